"""Operations: liveness, readiness and Prometheus metrics (no key needed)."""

from __future__ import annotations

from fastapi import APIRouter, Request, Response
from fastapi.responses import JSONResponse
from prometheus_client import CONTENT_TYPE_LATEST, generate_latest

from api import db
from api.deps import ExtractionDep
from api.schemas import Health

router = APIRouter(tags=["operations"])


@router.get("/healthz", response_model=Health, response_model_exclude_none=True)
async def healthz() -> Health:
    """The process is up (says nothing about the model or the database)."""
    return Health(status="ok")


@router.get("/readyz", response_model=Health, responses={503: {"model": Health}})
def readyz(request: Request, extraction: ExtractionDep) -> JSONResponse:
    """Ready when the model is loaded and the database answers; 503 otherwise."""
    database = db.ping(request.app.state.engine)
    ready = extraction.ready and database
    body = Health(status="ok" if ready else "unavailable", model_loaded=extraction.ready,
                  database=database, detail=None if extraction.ready else extraction.load_error)
    return JSONResponse(body.model_dump(exclude_none=True), status_code=200 if ready else 503)


@router.get("/metrics", response_class=Response)
def metrics(request: Request) -> Response:
    """Prometheus metrics: requests, latencies, queue depth, auto-accept share."""
    return Response(generate_latest(request.app.state.metrics.registry),
                    media_type=CONTENT_TYPE_LATEST)
