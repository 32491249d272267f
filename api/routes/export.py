"""`GET /v1/export/annotations`: reviewed items as annotation JSONL; `GET /v1/export/forms`:
the booking forms as CSV or XLSX (both admin)."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Annotated, Literal

from fastapi import APIRouter, HTTPException, Query, Response
from fastapi.responses import StreamingResponse

from api import forms_export, store
from api.deps import AdminKey, SessionDep
from api.export import trainable
from api.schemas import ErrorBody

router = APIRouter(prefix="/v1/export", tags=["export"])


@router.get("/annotations", response_class=StreamingResponse,
            responses={200: {"content": {"application/x-ndjson": {}},
                             "description": "one AnnotatedEmail JSON object per line"}})
def export_annotations(key: AdminKey, session: SessionDep) -> StreamingResponse:
    """Every reviewed item as an `AnnotatedEmail` line (origin "review") that validates; an
    item with a value located nowhere in its text is left out with a logged warning (see
    api/export.py)."""

    def lines() -> Iterator[str]:
        for annotation in trainable(store.iter_reviewed(session)):
            yield annotation.model_dump_json() + "\n"

    return StreamingResponse(lines(), media_type="application/x-ndjson", headers={
        "Content-Disposition": 'attachment; filename="review-annotations.jsonl"'})


@router.get("/forms", responses={
    200: {"content": {t: {} for t in forms_export.MEDIA_TYPES.values()},
          "description": "one row per stay (CSV with a UTF-8 BOM, or an XLSX workbook)"},
    422: {"model": ErrorBody}})
def export_forms(key: AdminKey, session: SessionDep,
                 format: Annotated[Literal["csv", "xlsx"], Query(
                     description="csv (UTF-8 with BOM, for Excel) or xlsx")] = "csv",
                 status: Annotated[str | None, Query(
                     description="comma list of auto_accepted, reviewed (default both)")] = None,
                 since: Annotated[str | None, Query(
                     description="ISO date or date-time: items final (reviewed, or "
                                 "auto-accepted on arrival) at or after it")] = None,
                 ) -> Response:
    """The booking forms of auto-accepted and reviewed items, one row per stay, with the
    reviewer's values where reviewed (columns: api/forms_export.py COLUMNS)."""
    try:
        statuses = forms_export.parse_statuses(status)
        after = forms_export.parse_since(since)
    except ValueError as e:
        raise HTTPException(422, str(e)) from e
    items = forms_export.iter_exported(session, statuses=statuses, since=after)
    name = f'attachment; filename="stayform-forms.{format}"'
    if format == "csv":
        return StreamingResponse(forms_export.iter_csv(items),
                                 media_type=forms_export.MEDIA_TYPES["csv"],
                                 headers={"Content-Disposition": name})
    return Response(forms_export.export_bytes("xlsx", items),
                    media_type=forms_export.MEDIA_TYPES["xlsx"],
                    headers={"Content-Disposition": name})
