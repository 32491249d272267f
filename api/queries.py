"""Listing stored items (`GET /v1/emails`): filters, text search and keyset pagination.

Pages are keyed on `(created_at, id)`, newest first, never on an offset: an item stored
while a client pages through can neither push an item onto two pages nor hide one between
them. The cursor is that key, base64url-encoded with a digest of the query it belongs to: a
cursor altered, cut or reused with other filters is refused (`BadCursor`, a 422) instead of
silently giving the wrong page. It is no secret and needs none: it only says where a page
starts, and the caller's own visibility is applied on every page.

Sender, subject and text live in the suggestion's JSON; SQLAlchemy's JSON paths read them on
SQLite (`json_extract`) and PostgreSQL (`#>>`) alike.
"""

from __future__ import annotations

import base64
import binascii
import datetime as dt
import hashlib
import json
from dataclasses import asdict, dataclass
from typing import Any

from sqlalchemy import and_, func, or_, select
from sqlalchemy.orm import Session

from api.models import Answer, Item, Suggestion
from api.store import StoredItem, is_item_id, storable_text
from extractor.form import ExtractionResult, FormValues


class BadCursor(ValueError):
    """A cursor that is not one this service gave out for the same query."""


@dataclass(frozen=True, kw_only=True)
class ItemFilter:
    """What to list; None (or no statuses) means no condition. `owner_key_id` is set for
    agents, who see only the items they stored."""

    owner_key_id: str | None = None
    statuses: tuple[str, ...] = ()
    sender: str | None = None
    since: dt.datetime | None = None
    until: dt.datetime | None = None
    q: str | None = None
    external_id: str | None = None


def _digest(where: ItemFilter, created_at: str, item_id: str) -> str:
    query = {**asdict(where), "since": str(where.since), "until": str(where.until)}
    data = json.dumps([query, created_at, item_id], sort_keys=True).encode()
    return hashlib.sha256(data).hexdigest()[:16]


def encode_cursor(where: ItemFilter, item: Item) -> str:
    """The cursor of the page after `item` (the last item of a page) for query `where`."""
    created = item.created_at.astimezone(dt.UTC).isoformat()
    data = json.dumps([created, item.id, _digest(where, created, item.id)])
    return base64.urlsafe_b64encode(data.encode()).decode().rstrip("=")


def decode_cursor(where: ItemFilter, cursor: str) -> tuple[dt.datetime, str]:
    """The `(created_at, id)` a cursor continues after; BadCursor unless it is one
    `encode_cursor` made for the same query."""
    try:
        data = base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4))
        created, item_id, digest = json.loads(data)
        when = dt.datetime.fromisoformat(created)
        when.astimezone(dt.UTC)  # a time UTC cannot hold (year 1, east of Greenwich) raises
    except (binascii.Error, ValueError, TypeError, OverflowError) as e:
        raise BadCursor("the cursor is not one this service gave out") from e
    # the digest is no secret: a cursor rebuilt by hand is checked like any input
    if not isinstance(item_id, str) or not is_item_id(item_id) or when.tzinfo is None \
            or digest != _digest(where, created, item_id):
        raise BadCursor("the cursor belongs to another query, or was changed")
    return when, item_id


def _like_pattern(text: str) -> str:
    """`%text%` with LIKE's wildcards (and the escape character) taken literally."""
    escaped = text.lower().replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return f"%{escaped}%"


def _conditions(where: ItemFilter) -> list[Any]:
    result = Suggestion.result
    conditions: list[Any] = []
    if where.owner_key_id is not None:
        conditions.append(Item.owner_key_id == where.owner_key_id)
    if where.statuses:
        conditions.append(Item.status.in_(where.statuses))
    if where.external_id is not None:
        conditions.append(Item.external_id == storable_text(where.external_id))
    if where.sender is not None:
        address = result[("sender", "address")].as_string()
        conditions.append(func.lower(address) == storable_text(where.sender.strip().lower()))
    # when the email was received; when it was stored, where it carries no date
    when = func.coalesce(Item.received_at, Item.created_at)
    if where.since is not None:
        conditions.append(when >= where.since)
    if where.until is not None:
        conditions.append(when < where.until)
    if where.q is not None:
        # the pattern is lowered here, where Python folds every letter; lower() in SQL folds
        # the stored side (ASCII only on SQLite)
        pattern = _like_pattern(storable_text(where.q))
        conditions.append(or_(*(func.lower(func.coalesce(result[key].as_string(), ""))
                                .like(pattern, escape="\\") for key in ("subject", "text"))))
    return conditions


def list_items(session: Session, *, where: ItemFilter, limit: int, cursor: str | None = None
               ) -> tuple[list[StoredItem], str | None]:
    """One page of the items matching `where`, newest first (`created_at`, then `id`), and
    the cursor of the next page, None on the last. Raises BadCursor for a bad `cursor`."""
    conditions = _conditions(where)
    if cursor is not None:
        created, item_id = decode_cursor(where, cursor)
        conditions.append(or_(Item.created_at < created,
                              and_(Item.created_at == created, Item.id < item_id)))
    rows = session.execute(
        select(Item, Suggestion.result).join(Suggestion, Suggestion.item_id == Item.id)
        .where(*conditions).order_by(Item.created_at.desc(), Item.id.desc())
        .limit(limit + 1)).tuples().all()
    page = rows[:limit]
    answers = _newest_answers(session, [item.id for item, _ in page])
    session.commit()  # end the read: hold no pooled connection or transaction
    items = [StoredItem(item=item, result=ExtractionResult.model_validate(result),
                        answer=answers.get(item.id)) for item, result in page]
    more = len(rows) > limit
    return items, encode_cursor(where, page[-1][0]) if more else None


def _newest_answers(session: Session, item_ids: list[str]) -> dict[str, FormValues]:
    """The newest answer of each of `item_ids` that has one."""
    if not item_ids:
        return {}
    newest: dict[str, FormValues] = {}
    rows = session.execute(select(Answer.item_id, Answer.values)
                           .where(Answer.item_id.in_(item_ids)).order_by(Answer.id))
    for item_id, values in rows:
        newest[item_id] = FormValues.model_validate(values)  # later rows are newer
    return newest
