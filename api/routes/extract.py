"""`POST /v1/extract`: the result JSON for one email; nothing is stored."""

from __future__ import annotations

from fastapi import APIRouter, Request

from api.deps import CurrentKey, ExtractBody, ExtractionDep
from api.intake import openapi_body
from api.schemas import ErrorBody, ExtractRequest
from extractor.form import ExtractionResult

router = APIRouter(prefix="/v1", tags=["extract"])


@router.post("/extract", response_model=ExtractionResult,
             openapi_extra=openapi_body(ExtractRequest),
             responses={413: {"model": ErrorBody}, 415: {"model": ErrorBody},
                        503: {"model": ErrorBody}})
async def extract(key: CurrentKey, email: ExtractBody, extraction: ExtractionDep,
                  request: Request) -> ExtractionResult:
    """Extract the form of a text (JSON) or a raw message (multipart file `email`); any role.
    An extraction over its time budget is an `error` result (X002); all workers busy is 503."""
    return await extraction.extract(email, request)
