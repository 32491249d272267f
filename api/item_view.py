"""What the review page's item view shows beside the form: the message's envelope (who wrote
to whom, when), who else is working on the item, and why a save was refused in words a
clerk can act on ("Rita holds this item until 14:05", not "version 2 is stale").

The envelope is read from the stored raw message, headers only: the result keeps the sender
and subject but not the recipients, and a text sent without headers has none to show.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from email.headerregistry import Address
from email.parser import BytesHeaderParser
from email.policy import default
from email.utils import parsedate_to_datetime

from sqlalchemy.orm import Session

from api import review_actions, store
from api.i18n import gettext as _
from api.models import ApiKey

MAX_RECIPIENTS = 20  # a mailing to hundreds is shown as its first twenty and a count


@dataclass(frozen=True)
class Envelope:
    """The headers of a raw message that the page shows."""

    to: list[str]
    cc: list[str]
    more: int
    date: dt.datetime | None


def _names(value: object) -> list[str]:
    addresses: tuple[Address, ...] = getattr(value, "addresses", ())
    return [str(a) for a in addresses]


def envelope(raw: bytes | None) -> Envelope | None:
    """The recipients and date of a raw message; None without one (an item sent as text)."""
    if not raw:
        return None
    try:
        headers = BytesHeaderParser(policy=default).parsebytes(raw)
        to, cc = _names(headers.get("to")), _names(headers.get("cc"))
    except (ValueError, TypeError, IndexError):  # a header the parser cannot read shows nothing
        return Envelope(to=[], cc=[], more=0, date=None)
    try:
        date = parsedate_to_datetime(str(headers.get("date", ""))) if headers.get("date") else None
    except (ValueError, TypeError, IndexError):
        date = None
    keep_to = to[:MAX_RECIPIENTS]
    keep_cc = cc[:MAX_RECIPIENTS - len(keep_to)]
    return Envelope(to=keep_to, cc=keep_cc, more=len(to) + len(cc) - len(keep_to) - len(keep_cc),
                    date=date)


@dataclass(frozen=True)
class Conflict:
    """Why a save was refused: another reviewer holds the item (`holder`, `until`), or saved
    it first (`saved_by`, `saved_at`), or `message` for anything else. `version` is the
    item's version now."""

    version: int
    holder: str | None = None
    until: dt.datetime | None = None
    saved_by: str | None = None
    saved_at: dt.datetime | None = None
    message: str | None = None


def conflict(session: Session, *, item_id: str, reviewer_key_id: str,
             error: store.SaveConflict) -> Conflict:
    """What the reviewer is told when `error` refused their save of the item."""
    fresh = store.load_item(session, item_id=item_id)
    if fresh is None:
        return Conflict(version=error.current_version, message=str(error))
    item = fresh.item
    state = review_actions.holder_of(session, item, reviewer_key_id=reviewer_key_id)
    if state.holder:
        return Conflict(version=item.version, holder=state.holder, until=state.until)
    if item.status == "reviewed" and item.reviewed_by:
        key = session.get(ApiKey, item.reviewed_by)
        return Conflict(version=item.version,
                        saved_by="you" if item.reviewed_by == reviewer_key_id
                        else (key.name if key else _("another reviewer")),
                        saved_at=item.reviewed_at)
    return Conflict(version=item.version, message=str(error))
