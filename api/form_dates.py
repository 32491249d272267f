"""The date triple of a stay on the review page: check-in, check-out and nights.

Any two give the third, so a reviewer who types two never leaves the third empty (the export
and the booking need check-out; issue 18 found "check-in and nights" saved without it). The
page works on "cells", the input strings of one stay (see `api.review_form`); this module
fills the empty third in place and says which it filled, and checks that three given values
agree, naming the input that is wrong so the message can stand beside it.
"""

from __future__ import annotations

import datetime as dt

from api.i18n import gettext

TRIPLE = ("check_in", "check_out", "nights")
Cells = dict[str, str]  # the input strings of one stay, as api.review_form names them
MAX_NIGHTS = 365  # StayValues' own bound on nights


def _date(raw: str) -> dt.date | None:
    try:
        return dt.date.fromisoformat(raw) if raw else None
    except ValueError:
        return None


def _nights(raw: str) -> int | None:
    return int(raw) if raw.isdigit() and int(raw) <= MAX_NIGHTS else None


def derive(cells: Cells) -> str | None:
    """Fill the one empty input of the triple from the other two (when both parse); returns
    the name it filled, or None. Nothing is filled when the result would be nonsense (a
    check-out before check-in gives no negative nights: the check reports it instead)."""
    empty = [name for name in TRIPLE if not cells.get(name)]
    if len(empty) != 1:
        return None
    check_in, check_out = _date(cells.get("check_in", "")), _date(cells.get("check_out", ""))
    nights = _nights(cells.get("nights", ""))
    name = empty[0]
    if name == "check_out" and check_in and nights is not None:
        cells[name] = (check_in + dt.timedelta(days=nights)).isoformat()
    elif name == "check_in" and check_out and nights is not None:
        cells[name] = (check_out - dt.timedelta(days=nights)).isoformat()
    elif name == "nights" and check_in and check_out and check_out >= check_in:
        cells[name] = str((check_out - check_in).days)
    else:
        return None
    return name


def disagreement(cells: Cells) -> tuple[str, str] | None:
    """(input name, message) when the triple contradicts itself: check-out before check-in,
    or nights that are not the days between the dates; None when it agrees or is incomplete."""
    check_in, check_out = _date(cells.get("check_in", "")), _date(cells.get("check_out", ""))
    if not (check_in and check_out):
        return None
    if check_out < check_in:
        return "check_out", gettext("is before check-in")
    nights = _nights(cells.get("nights", ""))
    days = (check_out - check_in).days
    if nights is not None and nights != days:
        return "nights", gettext("does not match the dates (%(days)s from check-in to "
                                 "check-out)") % {"days": days}
    return None
