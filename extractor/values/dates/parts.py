"""What a date expression says (`Parts`, before the calendar places it) and what it names
(`DateParse`, after)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from typing import Literal


@dataclass(frozen=True)
class DateParse:
    """What one date expression says.

    `value`: the date, or None when the text names none (unparseable) or only a vague time.
    `vague`: the text names a time too vague for a form ("Anfang Juni", "end of May").
    `end`: the last day of an expression that is a whole range by itself ("KW 23": Monday
    to Friday; "this weekend": Friday to Sunday); None otherwise.
    `needs_context`: `value` is a guess from a bare day of month ("the 3rd") made without
    an anchor or a month to borrow; context (the other half of the range) should decide.
    """

    value: date | None = None
    vague: bool = False
    end: date | None = None
    needs_context: bool = False


Kind = Literal["date", "day", "weekday", "fixed", "vague"]


@dataclass(frozen=True)
class Parts:
    """What the words of one expression say, before the calendar resolves them."""

    kind: Kind
    day: int = 0
    month: int = 0
    year: int | None = None
    weekday: int | None = None  # 0 = Monday; for kind "day" a hint ("Freitag, den 13.")
    week_offset: int | None = None  # weeks after the reference's week ("next week Wednesday")
    same_day_ok: bool = False  # "this Friday" may be today, a bare "Friday" may not
    fixed: date | None = None
    end: date | None = None


VAGUE = Parts("vague")


def valid(year: int, month: int, day: int) -> bool:
    """Whether the calendar has that day."""
    try:
        date(year, month, day)
    except ValueError:
        return False
    return True


def date_parts(day: int, month: int, year: int | None) -> Parts | None:
    """A day and month (and year) as `Parts`; None for a day the calendar lacks (a yearless
    29 February is kept: it waits for a leap year)."""
    if not 1 <= month <= 12 or not 1 <= day <= 31:
        return None
    if year is not None:
        if not valid(year, month, day):
            return None
        return Parts("date", day=day, month=month, year=year)
    if not valid(2000, month, day):  # 2000 is a leap year: 29 Feb stays possible
        return None
    return Parts("date", day=day, month=month)


def monday_of(d: date) -> date:
    """The Monday of `d`'s week."""
    return d - timedelta(days=d.weekday())
