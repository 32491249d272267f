"""All database work of the review service: keyword-only functions on a SQLAlchemy session.

Writes commit before they return, so a handler never holds a transaction (or a pooled
connection) while the model runs. Where a read and a write must agree, the write is one
conditional statement (claim, save): SQLite runs it atomically, PostgreSQL locks the row
(`FOR UPDATE SKIP LOCKED` when claiming), so two reviewers never get the same item and never
overwrite each other's save. Every change, and every refused save, writes an audit event.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import re
import uuid
from collections.abc import Collection, Iterator
from dataclasses import dataclass
from typing import Any

from sqlalchemy import case, delete, func, or_, select, text, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session, aliased

from api import audit_sample, human_evidence, outbox

# keys and page sessions live in api.access; callers reach them through this module
from api.access import (  # noqa: F401
    PageSession,
    addresses_by_key,
    agent_for_sender,
    check_reachable,
    create_key,
    create_session,
    end_session,
    ensure_bootstrap_key,
    key_for_token,
    list_keys,
    live_keys_named,
    page_session,
    revoke_key,
    rotate_key,
)
from api.models import (
    Answer,
    AuditEvent,
    Item,
    OutboxEvent,
    Suggestion,
    utcnow,
)
from api.schemas import ItemPublic
from api.views import item_public, suggested_form  # suggested_form: the exports read it here
from extractor.form import ExtractionResult, FormValues

REVIEWABLE = ("needs_review", "auto_accepted", "reviewed")
# Item ids are uuid4 hex: anything else (a NUL, which PostgreSQL text refuses, a path of any
# length) is no item, answered without asking the database.
_ITEM_ID = re.compile(r"[0-9a-f]{32}")


def is_item_id(value: str) -> bool:
    """Whether `value` has the shape of an item id (32 lowercase hex digits)."""
    return _ITEM_ID.fullmatch(value) is not None


def storable_text(value: str) -> str:
    """`value` as a PostgreSQL text column holds it: NUL, which it refuses, as U+FFFD.

    Only for what is shown (an item's external id, the strings of its result:
    `storable_json`); what identifies an item (its dedup key) is a digest of the original and
    stays exact."""
    return value.replace("\x00", "\ufffd")


def storable_json(value: Any) -> Any:
    """`value` (a result as JSON) with `storable_text` applied to every string: PostgreSQL
    stores a JSON string holding \\u0000 but cannot read it back as text, so one such email
    made every search of the list fail. Lengths are kept: offsets still index into the text."""
    if isinstance(value, str):
        return storable_text(value)
    if isinstance(value, list):
        return [storable_json(v) for v in value]
    if isinstance(value, dict):
        return {storable_text(k): storable_json(v) for k, v in value.items()}
    return value


def storable_time(value: dt.datetime | None) -> dt.datetime | None:
    """`value` if it can be stored as a UTC timestamp, else None: a Date header such as
    `Fri, 31 Dec 9999 23:59:59 -1400` is a valid date that UTC cannot hold (year 10000)."""
    if value is None:
        return None
    try:
        value.astimezone(dt.UTC)
    except (OverflowError, ValueError):
        return None
    return value


class ItemNotFound(LookupError):
    """No item with that id (or not one the caller may see)."""


class SaveConflict(Exception):
    """A save was refused: `code` is `stale_version`, `leased` or `not_reviewable`."""

    def __init__(self, code: str, message: str, *, current_version: int) -> None:
        super().__init__(message)
        self.code = code
        self.current_version = current_version


@dataclass(frozen=True)
class StoredItem:
    """An item with its suggestion (the model's result) and its current answer, if any."""

    item: Item
    result: ExtractionResult
    answer: FormValues | None
    # where the answer's values stand in the text, per stay (api/human_evidence.py); None when
    # the answer came without it
    evidence: list[human_evidence.StayEvidence] | None = None

    def public(self) -> ItemPublic:
        """The item as the API returns it (`api.views.item_public`)."""
        return item_public(self)


# --- items ----------------------------------------------------------------------------------

def dedup_key(*, owner_key_id: str | None, external_id: str) -> str:
    """The uniqueness key of an item: one per message per owner (None: the batch command)."""
    return hashlib.sha256(f"{owner_key_id or '-'}\n{external_id}".encode()).hexdigest()


def enqueue_result(session: Session, *, result: ExtractionResult, raw: bytes | None,
                   owner_key_id: str | None, now: dt.datetime | None = None,
                   ) -> tuple[Item, bool]:
    """Store `result` (and the raw message) as a queue item; returns (item, created).

    Idempotent: a result whose id the same owner already stored gives the stored item and
    False. The status is where the extractor routed it (auto_accepted, needs_review, error).
    """
    now = now or utcnow()
    status = result.status if result.status != "reviewed" else "needs_review"
    key = dedup_key(owner_key_id=owner_key_id, external_id=result.id)
    item = Item(id=uuid.uuid4().hex, dedup_key=key, external_id=storable_text(result.id),
                owner_key_id=owner_key_id, raw=raw, received_at=storable_time(result.received_at),
                status=status, routed_status=status, version=1, created_at=now, updated_at=now)
    # INSERT first: on SQLite the write transaction starts here, not with an earlier read.
    session.add(item)
    try:
        session.flush()
    except IntegrityError:
        session.rollback()
        existing = session.scalars(select(Item).where(Item.dedup_key == key)).one()
        return existing, False
    session.add(Suggestion(item_id=item.id, result=storable_json(result.model_dump(mode="json")),
                           created_at=now))
    session.add(AuditEvent(at=now, actor_key_id=owner_key_id, action="ingest", item_id=item.id,
                           new={"status": status, "version": 1}))
    if status == "auto_accepted":
        outbox.add_event(session, type="item.auto_accepted", item_id=item.id,
                         external_id=item.external_id, status=status, now=now)
    session.commit()
    return item, True


def find_item(session: Session, *, owner_key_id: str | None, external_id: str) -> Item | None:
    """The item `owner_key_id` stored under `external_id`, if any."""
    key = dedup_key(owner_key_id=owner_key_id, external_id=external_id)
    return session.scalars(select(Item).where(Item.dedup_key == key)).one_or_none()


def load_item(session: Session, *, item_id: str) -> StoredItem | None:
    """The item with its suggestion and newest answer; None when there is none."""
    if not is_item_id(item_id):
        return None
    item = session.get(Item, item_id, populate_existing=True)
    if item is None:
        return None
    return _stored(session, item)


def _stored(session: Session, item: Item) -> StoredItem:
    suggestion = session.get(Suggestion, item.id)
    assert suggestion is not None, "every item is written with its suggestion"
    answer = session.scalars(select(Answer).where(Answer.item_id == item.id)
                             .order_by(Answer.id.desc()).limit(1)).first()
    return StoredItem(item=item, result=ExtractionResult.model_validate(suggestion.result),
                      answer=FormValues.model_validate(answer.values) if answer else None,
                      evidence=human_evidence.from_json(answer.evidence) if answer else None)


def claim_next(session: Session, *, reviewer_key_id: str, lease_seconds: float,
               now: dt.datetime | None = None, audit_share: float = 0.0,
               exclude: Collection[str] = ()) -> StoredItem | None:
    """Lease the oldest free `needs_review` item to the reviewer, else the oldest item of the
    audit sample at `audit_share` (api/audit_sample.py); None when there is neither. Items
    in `exclude` (the ones the reviewer just skipped) are not given.

    A reviewer who still holds a live lease gets that item again, with the lease renewed (a
    reloaded page must not grab a second item). Claiming bumps the version, so a reviewer
    whose lease expired and was taken over cannot save over the new holder.
    """
    now = now or utcnow()
    expires = now + dt.timedelta(seconds=lease_seconds)
    held = session.scalars(
        update(Item).where(_claimable(Item, audit_share), Item.lease_owner == reviewer_key_id,
                           Item.lease_expires_at > now, Item.id.not_in(exclude))
        .values(lease_expires_at=expires).returning(Item.id)
        .execution_options(synchronize_session=False)).first()
    if held is None:
        # An alias, so the subquery is not correlated with the UPDATE's own `items`.
        candidate = aliased(Item)
        free = (select(candidate.id)
                .where(_claimable(candidate, audit_share), candidate.id.not_in(exclude),
                       or_(candidate.lease_owner.is_(None), candidate.lease_expires_at <= now))
                .order_by(case((candidate.status == "needs_review", 0), else_=1),
                          candidate.created_at, candidate.id).limit(1)
                .with_for_update(skip_locked=True).scalar_subquery())
        held = session.scalars(
            update(Item).where(Item.id == free, _lease_free(now))
            .values(lease_owner=reviewer_key_id, lease_expires_at=expires,
                    version=Item.version + 1, updated_at=now)
            .returning(Item.id).execution_options(synchronize_session=False)).first()
        if held is None:
            session.commit()
            return None
        session.add(AuditEvent(at=now, actor_key_id=reviewer_key_id, action="claim",
                               item_id=held, new={"lease_expires_at": expires.isoformat()}))
    session.commit()
    stored = load_item(session, item_id=held)
    assert stored is not None
    return stored


def _claimable(item: Any, audit_share: float) -> Any:
    return or_(item.status == "needs_review", audit_sample.waiting(item, audit_share))


def _lease_free(now: dt.datetime) -> Any:
    return or_(Item.lease_owner.is_(None), Item.lease_expires_at <= now)


def save_answer(session: Session, *, item_id: str, reviewer_key_id: str, version: int,
                values: FormValues, now: dt.datetime | None = None,
                evidence: list[human_evidence.StayEvidence] | None = None) -> Item:
    """Save a reviewer's answer (with `evidence`, where its values stand in the text, if
    given) if `version` is the item's current one; returns the item.

    Raises ItemNotFound, or SaveConflict when the version is stale, the item is leased to
    another reviewer, or it has nothing to review (an extraction error). The refused attempt
    is audited too, with the values it tried to save.
    """
    if not is_item_id(item_id):
        raise ItemNotFound(item_id)
    now = now or utcnow()
    new_values = values.model_dump(mode="json")
    saved = session.scalars(
        update(Item).where(Item.id == item_id, Item.version == version,
                           Item.status.in_(REVIEWABLE),
                           or_(_lease_free(now), Item.lease_owner == reviewer_key_id))
        .values(status="reviewed", version=Item.version + 1, lease_owner=None,
                lease_expires_at=None, reviewed_by=reviewer_key_id, reviewed_at=now,
                updated_at=now)
        .returning(Item.version).execution_options(synchronize_session=False)).first()
    if saved is None:
        item = session.get(Item, item_id, populate_existing=True)
        if item is None:
            session.rollback()
            raise ItemNotFound(item_id)
        conflict = _why_refused(item, version=version, reviewer_key_id=reviewer_key_id, now=now)
        session.add(AuditEvent(at=now, actor_key_id=reviewer_key_id, action="save_refused",
                               item_id=item_id, new=new_values,
                               detail=f"{conflict.code}: sent version {version}"))
        session.commit()
        raise conflict
    previous = _stored(session, session.get(Item, item_id, populate_existing=True))  # type: ignore[arg-type]
    old = previous.answer or suggested_form(previous.result)
    session.add(Answer(item_id=item_id, item_version=saved, values=new_values,
                       evidence=human_evidence.to_json(evidence),
                       reviewer_key_id=reviewer_key_id, created_at=now))
    session.add(AuditEvent(at=now, actor_key_id=reviewer_key_id, action="save", item_id=item_id,
                           old=old.model_dump(mode="json") if old else None, new=new_values,
                           detail=f"version {version} -> {saved}"))
    outbox.add_event(session, type="item.rejected" if values.intent == "not_hotel"
                     else "item.reviewed", item_id=item_id,
                     external_id=previous.item.external_id, status="reviewed", now=now)
    session.commit()
    return previous.item


def _why_refused(item: Item, *, version: int, reviewer_key_id: str, now: dt.datetime
                 ) -> SaveConflict:
    current = item.version
    if item.status not in REVIEWABLE:
        return SaveConflict("not_reviewable", f"item status {item.status} cannot be reviewed",
                            current_version=current)
    if item.version != version:
        return SaveConflict("stale_version", f"version {version} is stale; the item is at "
                            f"version {current}: reload it", current_version=current)
    return SaveConflict("leased", "the item is leased to another reviewer until "
                        f"{item.lease_expires_at.isoformat() if item.lease_expires_at else '?'}",
                        current_version=current)


def delete_item(session: Session, *, item_id: str, actor_key_id: str,
                now: dt.datetime | None = None) -> bool:
    """Erase an item: raw message, text, suggestion, answers and its audit history.

    Only the fact of the deletion (who, when, which id) stays in the audit trail.
    """
    if not is_item_id(item_id):
        return False
    now = now or utcnow()
    session.execute(delete(Answer).where(Answer.item_id == item_id))
    session.execute(delete(Suggestion).where(Suggestion.item_id == item_id))
    gone = session.execute(delete(Item).where(Item.id == item_id)
                           .returning(Item.external_id, Item.status)).first()
    if gone is None:
        session.rollback()
        return False
    session.execute(delete(AuditEvent).where(AuditEvent.item_id == item_id))
    # sent events of the item go too (undelivered ones are still owed to the receiver)
    session.execute(delete(OutboxEvent).where(OutboxEvent.item_id == item_id,
                                              OutboxEvent.delivered_at.is_not(None)))
    session.add(AuditEvent(at=now, actor_key_id=actor_key_id, action="delete", item_id=item_id))
    outbox.add_event(session, type="item.deleted", item_id=item_id, external_id=gone.external_id,
                     status=gone.status, now=now)
    session.commit()
    _flush_deleted(session)
    return True


def _flush_deleted(session: Session) -> None:
    """SQLite: write the deletion (zeroed pages, `secure_delete`) from the WAL into the
    database file and truncate the WAL, whose older frames still hold the deleted rows.
    A reader holding an old snapshot makes the checkpoint partial; the next deletion retries.
    PostgreSQL: nothing here (docs/SECURITY.md says what is and is not promised there)."""
    if session.get_bind().dialect.name != "sqlite":
        return
    session.execute(text("PRAGMA wal_checkpoint(TRUNCATE)")).all()
    session.commit()


def queue_counts(session: Session) -> dict[str, int]:
    """How many items have each status (every status present, zero when none)."""
    counts = dict.fromkeys(("needs_review", "reviewed", "auto_accepted", "error"), 0)
    for status, n in session.execute(select(Item.status, func.count()).group_by(Item.status)):
        counts[status] = n
    return counts


def auto_accept_share(session: Session) -> float | None:
    """Share of processed items (errors excluded) that the extractor auto-accepted."""
    rows = dict(session.execute(select(Item.routed_status, func.count())
                                .group_by(Item.routed_status)).tuples().all())
    total = sum(n for status, n in rows.items() if status != "error")
    return rows.get("auto_accepted", 0) / total if total else None


def leases_of(session: Session, *, reviewer_key_id: str, now: dt.datetime | None = None
              ) -> list[Item]:
    """Items the reviewer holds a live lease on, oldest first."""
    now = now or utcnow()
    return list(session.scalars(select(Item).where(
        Item.lease_owner == reviewer_key_id, Item.lease_expires_at > now,
        Item.status.in_(("needs_review", "auto_accepted"))).order_by(Item.created_at)))


def iter_reviewed(session: Session, *, batch_size: int = 200) -> Iterator[StoredItem]:
    """Every reviewed item with its suggestion and newest answer, oldest review first."""
    newest = (select(Answer.item_id, func.max(Answer.id).label("answer_id"))
              .group_by(Answer.item_id).subquery())
    rows = session.execute(
        select(Item, Suggestion.result, Answer.values, Answer.evidence)
        .join(Suggestion, Suggestion.item_id == Item.id)
        .join(newest, newest.c.item_id == Item.id)
        .join(Answer, Answer.id == newest.c.answer_id)
        .where(Item.status == "reviewed").order_by(Item.reviewed_at, Item.id)
        .execution_options(yield_per=batch_size))
    for item, result, values, evidence in rows:
        yield StoredItem(item=item, result=ExtractionResult.model_validate(result),
                         answer=FormValues.model_validate(values),
                         evidence=human_evidence.from_json(evidence))


def audit_trail(session: Session, *, item_id: str) -> list[AuditEvent]:
    """The audit events of an item, oldest first."""
    return list(session.scalars(select(AuditEvent).where(AuditEvent.item_id == item_id)
                                .order_by(AuditEvent.id)))
