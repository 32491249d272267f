"""What a reviewer does to an item besides saving it: keep its lease alive while the page is
open, release it or skip it, and reopen a rejected item. Keyword-only database functions that
commit before they return and audit every change, as `api.store` does.

A skip is a release that is remembered (an audit event `skip`), so "Review next item" can
pass over what the reviewer just put aside (`skipped_by`); the lease is what keeps two
reviewers apart, and a release or skip hands it back at once instead of after it expires.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy import or_, select, update
from sqlalchemy.orm import Session

from api.i18n import gettext as _
from api.models import Answer, ApiKey, AuditEvent, Item, utcnow
from api.store import SaveConflict, is_item_id

# how long a skipped item stays out of its skipper's "next item"
SKIP_HOLD_SECONDS = 3600.0
LEASABLE = ("needs_review", "auto_accepted")


@dataclass(frozen=True)
class LeaseState:
    """Who holds an item, as the page tells the reviewer: `mine` when the asking reviewer
    holds a live lease; else `holder` (a key's name) and `until` when another one does."""

    mine: bool
    holder: str | None
    until: dt.datetime | None
    version: int
    status: str


def holder_of(session: Session, item: Item, *, reviewer_key_id: str,
              now: dt.datetime | None = None) -> LeaseState:
    """The lease state of `item` as `reviewer_key_id` sees it."""
    now = now or utcnow()
    live = item.lease_owner is not None and item.lease_expires_at is not None \
        and item.lease_expires_at > now
    mine = live and item.lease_owner == reviewer_key_id
    other = live and not mine
    key = session.get(ApiKey, item.lease_owner) if other and item.lease_owner else None
    return LeaseState(mine=mine, holder=(key.name if key else _("another reviewer")) if other
                      else None, until=item.lease_expires_at if live else None,
                      version=item.version, status=item.status)


def held_by_others(session: Session, *, reviewer_key_id: str, now: dt.datetime | None = None
                   ) -> list[tuple[Item, str, dt.datetime]]:
    """Items other reviewers hold a live lease on, with the holder's name and the lease's
    end, soonest first: the queue says why "Review next item" may find nothing."""
    now = now or utcnow()
    rows = session.execute(
        select(Item, ApiKey.name).outerjoin(ApiKey, ApiKey.id == Item.lease_owner)
        .where(Item.status.in_(LEASABLE), Item.lease_owner.is_not(None),
               Item.lease_owner != reviewer_key_id, Item.lease_expires_at > now)
        .order_by(Item.lease_expires_at).limit(50))
    return [(item, name or _("another reviewer"), item.lease_expires_at)
            for item, name in rows if item.lease_expires_at is not None]


def renew(session: Session, *, item_id: str, reviewer_key_id: str, lease_seconds: float,
          now: dt.datetime | None = None) -> LeaseState | None:
    """Extend the reviewer's own lease on the item (even one that ran out, while nobody else
    took it); a lease the reviewer does not hold is left alone. Returns the lease state
    afterwards, or None when there is no such item."""
    if not is_item_id(item_id):
        return None
    now = now or utcnow()
    session.execute(
        update(Item).where(Item.id == item_id, Item.status.in_(LEASABLE),
                           Item.lease_owner == reviewer_key_id)
        .values(lease_expires_at=now + dt.timedelta(seconds=lease_seconds))
        .execution_options(synchronize_session=False))
    session.commit()
    item = session.get(Item, item_id, populate_existing=True)
    return holder_of(session, item, reviewer_key_id=reviewer_key_id, now=now) if item else None


def take(session: Session, *, item_id: str, reviewer_key_id: str, lease_seconds: float,
         now: dt.datetime | None = None) -> bool:
    """Lease the item to the reviewer who opened it (from the list, a link), unless another
    reviewer holds a live lease; the reviewer's own lease is renewed. Unlike claiming the next
    item this keeps the version, so a clerk whose lease ran out while logged out still finds
    their kept edits valid. Returns whether the reviewer holds the item now (audited when the
    lease is new)."""
    if not is_item_id(item_id):
        return False
    now = now or utcnow()
    expires = now + dt.timedelta(seconds=lease_seconds)
    if renew(session, item_id=item_id, reviewer_key_id=reviewer_key_id,
             lease_seconds=lease_seconds, now=now) is None:
        return False
    taken = session.scalars(
        update(Item).where(Item.id == item_id, Item.status.in_(LEASABLE),
                           or_(Item.lease_owner.is_(None), Item.lease_expires_at <= now))
        .values(lease_owner=reviewer_key_id, lease_expires_at=expires, updated_at=now)
        .returning(Item.id).execution_options(synchronize_session=False)).first() is not None
    if taken:
        session.add(AuditEvent(at=now, actor_key_id=reviewer_key_id, action="claim",
                               item_id=item_id, new={"lease_expires_at": expires.isoformat()}))
    session.commit()
    item = session.get(Item, item_id, populate_existing=True)
    return item is not None and item.lease_owner == reviewer_key_id


def release(session: Session, *, item_id: str, reviewer_key_id: str, skip: bool = False,
            now: dt.datetime | None = None) -> bool:
    """Hand back the reviewer's lease on the item (the item stays as it is, for anyone to
    claim); with `skip`, also remember that this reviewer put it aside. Returns whether a
    lease was released; a skip is recorded either way."""
    if not is_item_id(item_id):
        return False
    now = now or utcnow()
    released = session.scalars(
        update(Item).where(Item.id == item_id, Item.lease_owner == reviewer_key_id)
        .values(lease_owner=None, lease_expires_at=None, updated_at=now)
        .returning(Item.id).execution_options(synchronize_session=False)).first() is not None
    if released or skip:
        session.add(AuditEvent(at=now, actor_key_id=reviewer_key_id,
                               action="skip" if skip else "release", item_id=item_id))
    session.commit()
    return released


def skipped_by(session: Session, *, reviewer_key_id: str, now: dt.datetime | None = None,
               hold_seconds: float = SKIP_HOLD_SECONDS) -> list[str]:
    """The ids of the items the reviewer skipped in the last `hold_seconds`."""
    since = (now or utcnow()) - dt.timedelta(seconds=hold_seconds)
    return list(session.scalars(select(AuditEvent.item_id).distinct().where(
        AuditEvent.actor_key_id == reviewer_key_id, AuditEvent.action == "skip",
        AuditEvent.at > since, AuditEvent.item_id.is_not(None))))


def is_rejected(session: Session, item: Item) -> bool:
    """Whether the item was reviewed as not a hotel request (a reject that can be undone)."""
    if item.status != "reviewed":
        return False
    newest = session.scalars(select(Answer.values).where(Answer.item_id == item.id)
                             .order_by(Answer.id.desc()).limit(1)).first()
    return newest is not None and newest.get("intent") == "not_hotel"


def reopen(session: Session, *, item_id: str, reviewer_key_id: str, version: int,
           now: dt.datetime | None = None) -> Item:
    """Undo a reject: the item at `version`, reviewed as not a hotel request, goes back to
    `needs_review` (a new version, no reviewer, no lease); the rejecting answer stays in the
    history. Raises SaveConflict when it is no reject or the version is stale; LookupError
    when there is no such item."""
    now = now or utcnow()
    item = session.get(Item, item_id, populate_existing=True) if is_item_id(item_id) else None
    if item is None:
        raise LookupError(item_id)
    if not is_rejected(session, item):
        session.rollback()
        raise SaveConflict("not_rejected", "only a rejected item can be reopened",
                           current_version=item.version)
    done = session.scalars(
        update(Item).where(Item.id == item_id, Item.version == version,
                           Item.status == "reviewed",
                           or_(Item.lease_owner.is_(None), Item.lease_owner == reviewer_key_id))
        .values(status="needs_review", version=Item.version + 1, reviewed_by=None,
                reviewed_at=None, lease_owner=None, lease_expires_at=None, updated_at=now)
        .returning(Item.version).execution_options(synchronize_session=False)).first()
    if done is None:
        session.rollback()
        raise SaveConflict("stale_version", f"version {version} is stale; reload the item",
                           current_version=item.version)
    session.add(AuditEvent(at=now, actor_key_id=reviewer_key_id, action="reopen",
                           item_id=item_id, old={"status": "reviewed", "intent": "not_hotel"},
                           new={"status": "needs_review", "version": done},
                           detail=f"version {version} -> {done}"))
    session.commit()
    reopened = session.get(Item, item_id, populate_existing=True)
    assert reopened is not None
    return reopened
