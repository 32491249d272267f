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
    """Ready when the model is loaded, the database can be written (a SQLite file that is
    gone, replaced or read-only is not) and the extraction workers are not saturated; 503
    otherwise, `detail` says why."""
    database_problem = db.problem(request.app.state.engine)
    pool = extraction.state()
    saturated = pool is not None and pool.saturated
    ready = extraction.ready and database_problem is None and not saturated
    detail = (extraction.load_error if not extraction.ready else database_problem
              or ("saturated: every extraction worker is busy" if saturated else None))
    body = Health(status="ok" if ready else "unavailable", model_loaded=extraction.ready,
                  database=database_problem is None, detail=detail)
    if pool is not None:
        body = body.model_copy(update={"workers": pool.workers, "busy": pool.busy,
                                       "waiting": pool.waiting, "saturated": pool.saturated})
    return JSONResponse(body.model_dump(exclude_none=True), status_code=200 if ready else 503)


@router.get("/metrics", response_class=Response)
def metrics(request: Request) -> Response:
    """Prometheus metrics: requests, latencies, queue depth, auto-accept share."""
    return Response(generate_latest(request.app.state.metrics.registry),
                    media_type=CONTENT_TYPE_LATEST)
