"""Request and response bodies of the HTTP API.

What clients send is `extra="forbid"`: a PUT that carries `status`, `reviewed_by` or `id` is
a 422, never silently ignored. The reviewer's answer is `extractor.form.FormValues` itself,
the one contract shared with the annotations.
"""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Literal

from pydantic import AfterValidator, BaseModel, BeforeValidator, ConfigDict, Field

from extractor.form import ExtractionResult, FormValues
from extractor.inputs import received_time

# A hotel request is a few hundred characters; a long thread with quoted history a few tens of
# thousands. A megabyte of text is far beyond any real request and still cheap to refuse.
MAX_TEXT_CHARS = 1_000_000
MAX_ID_CHARS = 512


# an ISO date-time; one without an offset is read as UTC, one UTC cannot hold is a 422
ReceivedAt = Annotated[dt.datetime, AfterValidator(received_time)]

ItemStatus = Literal["auto_accepted", "needs_review", "reviewed", "error"]


class ExtractRequest(BaseModel):
    """`POST /v1/extract` as JSON: the email text and the date its dates resolve against."""

    model_config = ConfigDict(extra="forbid")
    text: str = Field(min_length=1, max_length=MAX_TEXT_CHARS)
    received_at: ReceivedAt | None = None


class IngestRequest(ExtractRequest):
    """`POST /v1/emails` as JSON; `id` makes re-sending idempotent."""

    id: str | None = Field(default=None, min_length=1, max_length=MAX_ID_CHARS)


class ItemPublic(BaseModel):
    """A stored item: its `result`, the reviewer's `answer` if any, and `form`, the values to
    act on (the answer when reviewed, else the suggestion's values).

    Before review `result` is the model's suggestion. Once reviewed, `result` says `reviewed`
    and holds the answer's values (source `human`), and `suggestion` keeps the model's own
    result, unchanged (`api/views.py`)."""

    id: str
    external_id: str
    status: ItemStatus
    version: int
    received_at: dt.datetime | None
    created_at: dt.datetime
    updated_at: dt.datetime
    lease_owner: str | None = None
    lease_expires_at: dt.datetime | None = None
    reviewed_by: str | None = None
    reviewed_at: dt.datetime | None = None
    result: ExtractionResult
    suggestion: ExtractionResult | None = None
    answer: FormValues | None = None
    form: FormValues | None = None


class ItemPage(BaseModel):
    """One page of `GET /v1/emails`: items newest first, and the cursor of the next page
    (null on the last)."""

    items: list[ItemPublic]
    next_cursor: str | None = None


def _comma_list(value: object) -> object:
    """`?status=a,b` and `?status=a&status=b` alike: one flat list of the named values."""
    values = value if isinstance(value, list | tuple) else [value]
    return [part.strip() for v in values for part in str(v).split(",") if part.strip()]


class EmailListQuery(BaseModel):
    """The filters of `GET /v1/emails`; every one given must hold (AND).

    `since` (inclusive) and `until` (exclusive) bound when the email was received, or stored
    where it carries no date; without an offset they are UTC, a bare date is its midnight.
    `sender` is the From address, matched whole and case-insensitively. `q` searches subject
    and text, case-insensitively (SQLite folds ASCII letters only), `%` and `_` literal.
    """

    status: Annotated[list[ItemStatus], BeforeValidator(_comma_list)] = Field(
        default_factory=list, description="one or more statuses, comma-separated")
    sender: str | None = Field(default=None, min_length=1, max_length=320)
    since: ReceivedAt | None = None
    until: ReceivedAt | None = None
    q: str | None = Field(default=None, min_length=1, max_length=200)
    external_id: str | None = Field(default=None, min_length=1, max_length=MAX_ID_CHARS)
    limit: int = Field(default=50, ge=1, le=200)
    cursor: str | None = Field(default=None, max_length=400,
                               description="`next_cursor` of the previous page")


class SaveResult(BaseModel):
    """The outcome of a saved review: the item's new version."""

    id: str
    status: ItemStatus
    version: int


class QueueCounts(BaseModel):
    """Items per status."""

    needs_review: int = 0
    reviewed: int = 0
    auto_accepted: int = 0
    error: int = 0


class ErrorBody(BaseModel):
    """Every error response: `{"detail": ...}`."""

    detail: str | list[dict[str, object]]


class Health(BaseModel):
    status: Literal["ok", "unavailable"]
    model_loaded: bool | None = None
    database: bool | None = None
    detail: str | None = None
    # the extraction workers: how many live, busy and waiting requests; saturated when the
    # waiting line is as long as there are workers (a balancer should send work elsewhere)
    workers: int | None = None
    busy: int | None = None
    waiting: int | None = None
    saturated: bool | None = None


KeyRole = Literal["agent", "reviewer", "admin"]
KeyState = Literal["live", "expired", "revoked"]


def _key_name(value: str) -> str:
    value = value.strip()
    if not value or any(ord(c) < 32 or ord(c) == 127 for c in value):
        raise ValueError("a name of printable characters")
    return value


def sender_address(value: str) -> str:
    """`value` as a registered sender address: one @, no spaces or brackets, lower-cased (the
    rule `stayform keys create --email` applies)."""
    address = value.strip().lower()
    local, at, domain = address.partition("@")
    if (not at or not local or not domain or "@" in domain or len(address) > 320
            or any(c.isspace() or c in "<>,;\"" or ord(c) < 32 for c in address)):
        raise ValueError(f"{value!r} is not an email address (name@domain)")
    return address


class KeyCreate(BaseModel):
    """`POST /v1/keys`: a new key's name, role and optional expiry; `emails`, for agent keys
    only, are the sender addresses whose forwarded mail becomes the agent's items."""

    model_config = ConfigDict(extra="forbid")
    name: Annotated[str, AfterValidator(_key_name)] = Field(min_length=1, max_length=200)
    role: KeyRole
    expires_at: ReceivedAt | None = None
    emails: list[Annotated[str, AfterValidator(sender_address)]] = Field(
        default_factory=list, max_length=100)


class KeyPublic(BaseModel):
    """A key as admins see it: never the token or its hash."""

    id: str
    name: str
    role: KeyRole
    state: KeyState
    created_at: dt.datetime
    expires_at: dt.datetime | None = None
    revoked_at: dt.datetime | None = None
    # an agent's registered sender addresses (lower-cased, sorted); empty for other roles
    emails: list[str] = Field(default_factory=list)


class KeyCreated(KeyPublic):
    """A key just created: `token` is shown this once."""

    token: str
