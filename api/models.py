"""The review queue's tables (SQLAlchemy 2), the same on SQLite and PostgreSQL.

An item is one email in the queue. The model's suggestion (the ExtractionResult) and the
human's answers are separate rows, as Argilla keeps them: a review never overwrites what the
model said, so the export can compare the two and the model's mistakes stay visible.
Every change, and every refused save, leaves an `AuditEvent`.

`api/migrations/versions/` must describe exactly these tables; `tests/api/test_migrations.py`
fails when they drift.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import (
    JSON,
    BigInteger,
    DateTime,
    ForeignKey,
    Index,
    Integer,
    LargeBinary,
    String,
    Text,
    TypeDecorator,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

ROLES: tuple[str, ...] = ("agent", "reviewer", "admin")
ITEM_STATUSES: tuple[str, ...] = ("auto_accepted", "needs_review", "reviewed", "error")
WEBHOOK_EVENT_TYPES: tuple[str, ...] = (
    "item.auto_accepted", "item.reviewed", "item.rejected", "item.deleted")


def utcnow() -> dt.datetime:
    """Now, in UTC, timezone-aware."""
    return dt.datetime.now(dt.UTC)


class UTCDateTime(TypeDecorator[dt.datetime]):
    """A timestamp stored in UTC and read back timezone-aware on every backend.

    SQLite has no time zones: without this, values written aware come back naive and
    comparisons with `utcnow()` raise.
    """

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: dt.datetime | None, dialect: Any) -> dt.datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetime given to a UTC column")
        value = value.astimezone(dt.UTC)
        # SQLite stores text: keep it naive so string comparison orders correctly.
        return value.replace(tzinfo=None) if dialect.name == "sqlite" else value

    def process_result_value(self, value: dt.datetime | None, dialect: Any) -> dt.datetime | None:
        if value is None:
            return None
        return value.replace(tzinfo=dt.UTC) if value.tzinfo is None else value.astimezone(dt.UTC)


class Base(DeclarativeBase):
    pass


class ApiKey(Base):
    """An API key: only the SHA-256 of the token is stored; the token is shown once."""

    __tablename__ = "api_keys"
    id: Mapped[str] = mapped_column(String(32), primary_key=True)
    name: Mapped[str] = mapped_column(String(200))
    role: Mapped[str] = mapped_column(String(16))
    key_hash: Mapped[str] = mapped_column(String(64), unique=True)
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime())
    expires_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime(), nullable=True)
    revoked_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime(), nullable=True)


class KeyAddress(Base):
    """A sender address registered to an agent's key (`keys create --email`, lower-cased).

    Mail forwarded from it to the SMTP receiver (api/smtp.py) becomes that agent's item; one
    address belongs to one key, so a forward never has two possible owners.
    """

    __tablename__ = "key_addresses"
    address: Mapped[str] = mapped_column(String(320), primary_key=True)
    key_id: Mapped[str] = mapped_column(
        String(32), ForeignKey("api_keys.id", ondelete="CASCADE"), index=True)
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime())


class Item(Base):
    """One email in the queue, with its lease and its optimistic-locking version."""

    __tablename__ = "items"
    id: Mapped[str] = mapped_column(String(32), primary_key=True)
    # sha256 of (owner, external id): the same message from the same owner is one item.
    dedup_key: Mapped[str] = mapped_column(String(64), unique=True)
    external_id: Mapped[str] = mapped_column(Text)
    owner_key_id: Mapped[str | None] = mapped_column(
        String(32), ForeignKey("api_keys.id", ondelete="SET NULL"), nullable=True
    )
    raw: Mapped[bytes | None] = mapped_column(LargeBinary, nullable=True)
    received_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime(), nullable=True)
    status: Mapped[str] = mapped_column(String(16))
    # Where the extractor routed the item (never changes): the auto-accept share is computed
    # from it, since `status` becomes "reviewed" later.
    routed_status: Mapped[str] = mapped_column(String(16))
    version: Mapped[int] = mapped_column(Integer, default=1)
    lease_owner: Mapped[str | None] = mapped_column(String(32), nullable=True)
    lease_expires_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime(), nullable=True)
    reviewed_by: Mapped[str | None] = mapped_column(String(32), nullable=True)
    reviewed_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime(), nullable=True)
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime())
    updated_at: Mapped[dt.datetime] = mapped_column(UTCDateTime())

    __table_args__ = (
        Index("ix_items_status_created", "status", "created_at"),
        Index("ix_items_owner", "owner_key_id"),
    )


class Suggestion(Base):
    """The model's ExtractionResult for an item, as JSON; written once, never updated."""

    __tablename__ = "suggestions"
    item_id: Mapped[str] = mapped_column(
        String(32), ForeignKey("items.id", ondelete="CASCADE"), primary_key=True
    )
    result: Mapped[dict[str, Any]] = mapped_column(JSON)
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime())


class Answer(Base):
    """A reviewer's saved form (FormValues JSON); one row per save, the newest is current."""

    __tablename__ = "answers"
    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    item_id: Mapped[str] = mapped_column(
        String(32), ForeignKey("items.id", ondelete="CASCADE"), index=True
    )
    item_version: Mapped[int] = mapped_column(Integer)
    values: Mapped[dict[str, Any]] = mapped_column(JSON)
    # per stay, {field: [[start, end], ...]}: where in the text the reviewer's values stand
    # (api/evidence_form.py); null when the answer came without it (PUT /v1/review)
    evidence: Mapped[list[dict[str, list[list[int]]]] | None] = mapped_column(
        JSON, nullable=True)
    reviewer_key_id: Mapped[str] = mapped_column(String(32))
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime())


class AuditEvent(Base):
    """Who did what to which item when, with the values before and after.

    `item_id` is no foreign key: the record that an item was deleted outlives the item.
    """

    __tablename__ = "audit_events"
    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    at: Mapped[dt.datetime] = mapped_column(UTCDateTime())
    actor_key_id: Mapped[str | None] = mapped_column(String(32), nullable=True)
    action: Mapped[str] = mapped_column(String(32))
    item_id: Mapped[str | None] = mapped_column(String(32), nullable=True, index=True)
    old: Mapped[dict[str, Any] | None] = mapped_column(JSON, nullable=True)
    new: Mapped[dict[str, Any] | None] = mapped_column(JSON, nullable=True)
    detail: Mapped[str | None] = mapped_column(Text, nullable=True)


class ReviewSession(Base):
    """A logged-in review page: the cookie holds a random token, the table its SHA-256.

    Created at login, deleted at logout, dead after `expires_at` or once its key is revoked or
    expired; the API key itself never leaves the login form. The CSRF token of the page's
    forms is random per session too.
    """

    __tablename__ = "review_sessions"
    id_hash: Mapped[str] = mapped_column(String(64), primary_key=True)
    key_id: Mapped[str] = mapped_column(
        String(32), ForeignKey("api_keys.id", ondelete="CASCADE"), index=True)
    csrf: Mapped[str] = mapped_column(String(64))
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime())
    expires_at: Mapped[dt.datetime] = mapped_column(UTCDateTime())


class OutboxEvent(Base):
    """A webhook event, written in the same transaction as the status change it reports.

    `api.webhooks` posts it until the receiver answers 2xx, then sets `delivered_at`; the id
    is the `webhook-id` header, the same on every retry, so the receiver can drop repeats.
    `item_id` is no foreign key: the event of a deletion outlives the item. `data` holds ids
    and the status only, never email content.
    """

    __tablename__ = "webhook_outbox"
    id: Mapped[str] = mapped_column(String(40), primary_key=True)
    type: Mapped[str] = mapped_column(String(32))
    item_id: Mapped[str] = mapped_column(String(32))
    data: Mapped[dict[str, Any]] = mapped_column(JSON)
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime())
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    # when the next try is due; a sender moves it ahead before posting (its lease)
    next_attempt_at: Mapped[dt.datetime] = mapped_column(UTCDateTime())
    delivered_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime(), nullable=True)
    last_status: Mapped[int | None] = mapped_column(Integer, nullable=True)

    __table_args__ = (Index("ix_webhook_outbox_due", "delivered_at", "next_attempt_at"),)


class MailboxCursor(Base):
    """How far `stayform fetch` has read one IMAP folder (api/fetch.py).

    `mailbox` is `user@host:port`; IMAP UIDs only mean something together with the folder's
    UIDVALIDITY, so a server announcing another UIDVALIDITY sends the fetch back to UID 1 (a
    full rescan, the intake's Message-ID dedup keeping each message one item). Both numbers
    are 32-bit unsigned in IMAP, hence BigInteger.
    """

    __tablename__ = "mailbox_cursors"
    mailbox: Mapped[str] = mapped_column(String(500), primary_key=True)
    folder: Mapped[str] = mapped_column(String(500), primary_key=True)
    uidvalidity: Mapped[int] = mapped_column(BigInteger)
    last_uid: Mapped[int] = mapped_column(BigInteger)
    updated_at: Mapped[dt.datetime] = mapped_column(UTCDateTime())
