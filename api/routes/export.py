"""`GET /v1/export/annotations`: reviewed items as annotation JSONL (admin)."""

from __future__ import annotations

from collections.abc import Iterator

from fastapi import APIRouter
from fastapi.responses import StreamingResponse

from api import store
from api.deps import AdminKey, SessionDep
from api.export import to_annotation

router = APIRouter(prefix="/v1/export", tags=["export"])


@router.get("/annotations", response_class=StreamingResponse,
            responses={200: {"content": {"application/x-ndjson": {}},
                             "description": "one AnnotatedEmail JSON object per line"}})
def export_annotations(key: AdminKey, session: SessionDep) -> StreamingResponse:
    """Every reviewed item as an `AnnotatedEmail` line (origin "review"); see api/export.py
    for which spans are included."""

    def lines() -> Iterator[str]:
        for stored in store.iter_reviewed(session):
            yield to_annotation(stored).model_dump_json() + "\n"

    return StreamingResponse(lines(), media_type="application/x-ndjson", headers={
        "Content-Disposition": 'attachment; filename="review-annotations.jsonl"'})
