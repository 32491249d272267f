"""`/v1/emails`: agents submit emails (extract, store, route) and read them back."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, HTTPException, Query, Request, Response
from fastapi.concurrency import run_in_threadpool
from sqlalchemy.orm import Session

from api import store
from api.deps import (
    AdminKey,
    AgentKey,
    CurrentKey,
    ExtractionDep,
    IngestBody,
    SessionDep,
    VisibleItem,
)
from api.followup import FollowUp, draft
from api.intake import openapi_body
from api.queries import BadCursor, ItemFilter, list_items
from api.schemas import EmailListQuery, ErrorBody, IngestRequest, ItemPage, ItemPublic
from extractor.form import ExtractionResult

router = APIRouter(prefix="/v1/emails", tags=["emails"])


def _existing(session: Session, owner: str, external_id: str) -> store.StoredItem | None:
    item = store.find_item(session, owner_key_id=owner, external_id=external_id)
    found = store.load_item(session, item_id=item.id) if item else None
    session.commit()  # release the connection before the model runs
    return found


def _enqueue(session: Session, result: ExtractionResult, raw: bytes | None, owner: str
             ) -> tuple[store.StoredItem, bool]:
    item, created = store.enqueue_result(session, result=result, raw=raw, owner_key_id=owner)
    stored = store.load_item(session, item_id=item.id)
    assert stored is not None
    return stored, created


@router.post("", status_code=201, response_model=ItemPublic,
             openapi_extra=openapi_body(IngestRequest),
             responses={200: {"model": ItemPublic, "description": "already stored: that item"},
                        413: {"model": ErrorBody}, 415: {"model": ErrorBody},
                        503: {"model": ErrorBody}})
async def ingest(key: AgentKey, email: IngestBody, session: SessionDep,
                 extraction: ExtractionDep, response: Response, request: Request
                 ) -> ItemPublic:
    """Extract, store and route an email. The same message again (same `id`, else the same
    Message-ID, else the same content) gives 200 and the stored item, never a duplicate."""
    if email.id is not None:
        found = await run_in_threadpool(_existing, session, key.id, email.id)
        if found is not None:
            response.status_code = 200
            return found.public()
    result = await extraction.extract(email, request)
    if email.id is not None:
        result = result.model_copy(update={"id": email.id})
    stored, created = await run_in_threadpool(_enqueue, session, result, email.raw, key.id)
    if not created:
        response.status_code = 200
    return stored.public()


@router.get("", response_model=ItemPage, responses={422: {"model": ErrorBody}})
def list_emails(key: CurrentKey, session: SessionDep,
                query: Annotated[EmailListQuery, Query()]) -> ItemPage:
    """Stored emails, newest first, a page at a time: agents see their own, reviewers and
    admins everyone's. Each item has the shape `GET /v1/emails/{id}` returns (result, answer,
    form), so a client acts on a listed item without fetching it again; `limit` (at most 200)
    bounds the page. `external_id` finds the item stored under the id the agent sent.
    Follow `next_cursor` until it is null; a cursor that was altered or belongs to other
    filters is a 422. The filters are described on `EmailListQuery`.
    """
    where = ItemFilter(owner_key_id=key.id if key.role == "agent" else None,
                       statuses=tuple(query.status), sender=query.sender, since=query.since,
                       until=query.until, q=query.q, external_id=query.external_id)
    try:
        items, cursor = list_items(session, where=where, limit=query.limit, cursor=query.cursor)
    except BadCursor as e:
        raise HTTPException(422, str(e)) from e
    return ItemPage(items=[stored.public() for stored in items], next_cursor=cursor)


@router.get("/{item_id}", response_model=ItemPublic, responses={404: {"model": ErrorBody}})
def get_email(stored: VisibleItem) -> ItemPublic:
    """A stored email: its owner agent, reviewers and admins see it; others get 404."""
    return stored.public()


@router.delete("/{item_id}", status_code=204, responses={404: {"model": ErrorBody}})
def delete_email(item_id: str, key: AdminKey, session: SessionDep) -> Response:
    """Erase an email and everything derived from it; the audit keeps only the deletion."""
    if not store.delete_item(session, item_id=item_id, actor_key_id=key.id):
        raise HTTPException(404, "no such email")
    return Response(status_code=204)


@router.get("/{item_id}/followup", response_model=FollowUp,
            responses={404: {"model": ErrorBody},
                       409: {"model": ErrorBody, "description": "nothing is missing"}})
def followup(stored: VisibleItem) -> FollowUp:
    """A drafted reply in the email's language asking for exactly the missing fields; for
    the owner agent, reviewers and admins (others: 404). Nothing missing is a 409, so a
    client never sends the customer an empty question."""
    drafted = draft(stored)
    if drafted is None:
        raise HTTPException(409, "nothing is missing: no follow-up to draft")
    return drafted
