"""`/v1/review`: reviewers claim items and save answers under optimistic locking."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Header, HTTPException, Response

from api import store
from api.deps import ReviewerKey, SessionDep, SettingsDep
from api.schemas import ErrorBody, ItemPublic, SaveResult
from extractor.form import FormValues

router = APIRouter(prefix="/v1/review", tags=["review"])


def parse_if_match(value: str | None) -> int:
    """The version of an `If-Match` header (`3`, `"3"` or `W/"3"`); 428 or 400 otherwise."""
    if value is None:
        raise HTTPException(428, "If-Match: <version> is required (the version you reviewed)")
    tag = value.strip().removeprefix("W/").strip('"')
    if not tag.isdigit():
        raise HTTPException(400, "If-Match must be the item version, e.g. If-Match: 3")
    return int(tag)


@router.post("/claim", response_model=ItemPublic,
             responses={204: {"description": "the queue is empty"}})
def claim(key: ReviewerKey, session: SessionDep, settings: SettingsDep,
          response: Response) -> ItemPublic | Response:
    """Lease the next `needs_review` item to this reviewer (the held one, if any)."""
    stored = store.claim_next(session, reviewer_key_id=key.id,
                              lease_seconds=settings.review_lease_seconds)
    if stored is None:
        return Response(status_code=204)
    response.headers["ETag"] = f'"{stored.item.version}"'
    return stored.public()


@router.put("/{item_id}", response_model=SaveResult,
            responses={404: {"model": ErrorBody}, 409: {"model": ErrorBody},
                       428: {"model": ErrorBody}})
def save(item_id: str, answer: FormValues, key: ReviewerKey, session: SessionDep,
         response: Response,
         if_match: Annotated[str | None, Header(description="the version reviewed")] = None,
         ) -> SaveResult:
    """Save the reviewer's form; a stale `If-Match` version is 409 and changes nothing."""
    item = store.save_answer(session, item_id=item_id, reviewer_key_id=key.id,
                             version=parse_if_match(if_match), values=answer)
    response.headers["ETag"] = f'"{item.version}"'
    return SaveResult(id=item.id, status=item.status, version=item.version)  # type: ignore[arg-type]
