"""The webhook outbox: events are rows written in the caller's transaction, then sent.

`add_event` only adds a row to the session; the store's own commit writes it together with
the status change, so an event exists exactly when its change committed (the transactional
outbox pattern). Events are written whether or not `STAYFORM_WEBHOOK_URL` is set: the store
does not read settings, and a receiver configured later gets the backlog instead of a gap.
The rest is the delivery side's database work (`api.webhooks` does the HTTP).
"""

from __future__ import annotations

import datetime as dt
import uuid
from typing import Any

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from api.models import WEBHOOK_EVENT_TYPES, OutboxEvent, utcnow


def add_event(session: Session, *, type: str, item_id: str, external_id: str, status: str,
              now: dt.datetime | None = None) -> OutboxEvent:
    """Add the event `type` about an item to `session` (not committed here).

    The data is the item's ids and status only: no email content leaves the service."""
    if type not in WEBHOOK_EVENT_TYPES:
        raise ValueError(f"unknown webhook event type {type!r}")
    now = now or utcnow()
    event = OutboxEvent(id="msg_" + uuid.uuid4().hex, type=type, item_id=item_id,
                        data={"item_id": item_id, "external_id": external_id, "status": status},
                        created_at=now, attempts=0, next_attempt_at=now)
    session.add(event)
    return event


def body(event: OutboxEvent) -> dict[str, Any]:
    """The JSON body posted for `event`: the same on every retry."""
    return {"type": event.type, "id": event.id, "timestamp": event.created_at.isoformat(),
            "data": event.data}


def claim_due(session: Session, *, now: dt.datetime, lease_s: float, limit: int
              ) -> list[OutboxEvent]:
    """Undelivered events due at `now`, oldest first, each moved `lease_s` ahead first.

    The move is a conditional UPDATE: when several service processes share the database,
    only the one whose UPDATE matched sends the event, and a sender that dies mid-post leaves
    it due again once the lease passes."""
    due = list(session.scalars(
        select(OutboxEvent.id).where(OutboxEvent.delivered_at.is_(None),
                                     OutboxEvent.next_attempt_at <= now)
        .order_by(OutboxEvent.created_at, OutboxEvent.id).limit(limit)))
    claimed: list[str] = []
    for event_id in due:
        done = session.execute(
            update(OutboxEvent).where(OutboxEvent.id == event_id,
                                      OutboxEvent.delivered_at.is_(None),
                                      OutboxEvent.next_attempt_at <= now)
            .values(next_attempt_at=now + dt.timedelta(seconds=lease_s))
            .execution_options(synchronize_session=False)).rowcount  # type: ignore[attr-defined]
        if done:
            claimed.append(event_id)
    session.commit()
    events = [e for e in (session.get(OutboxEvent, i, populate_existing=True) for i in claimed)
              if e is not None]
    session.commit()
    return events


def record_attempt(session: Session, *, event_id: str, status: int | None, delivered: bool,
                   retry_at: dt.datetime | None, now: dt.datetime | None = None) -> None:
    """Note one try: delivered (a 2xx), or due again at `retry_at`."""
    now = now or utcnow()
    values: dict[str, Any] = {"attempts": OutboxEvent.attempts + 1, "last_status": status}
    if delivered:
        values["delivered_at"] = now
    elif retry_at is not None:
        values["next_attempt_at"] = retry_at
    session.execute(update(OutboxEvent).where(OutboxEvent.id == event_id).values(**values)
                    .execution_options(synchronize_session=False))
    session.commit()
