"""Date resolution: `Parts` -> calendar dates, against the day the email was received.

Everything prefers the future: a date without a year is its next occurrence on or after the
reference; a bare weekday ("Friday") is the next one strictly after it; a check-out
resolves after its check-in (`anchor`).
"""

from __future__ import annotations

from dataclasses import replace
from datetime import date, timedelta

from extractor.values.dates.parts import DateParse, Parts, date_parts, monday_of, valid


def _next_date(day: int, month: int, start: date) -> date | None:
    """The first `day`.`month`. on or after `start` (29 February waits for a leap year)."""
    for year in range(start.year, start.year + 9):
        if valid(year, month, day) and date(year, month, day) >= start:
            return date(year, month, day)
    return None


def _next_day_of_month(day: int, start: date, *, strictly: bool,
                       weekday: int | None = None) -> date | None:
    """The first day-of-month `day` on or after (`strictly`: after) `start`; with a weekday
    hint, the first such date that falls on it within a year, else the first at all."""
    first = None
    year, month = start.year, start.month
    for _ in range(14):
        if valid(year, month, day):
            d = date(year, month, day)
            if d > start or (d == start and not strictly):
                if weekday is None or d.weekday() == weekday:
                    return d
                first = first or d
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)
    return first


def resolve(p: Parts, ref: date, anchor: date | None = None) -> DateParse:
    """Put `p` on the calendar: after `ref` (the email's date), or after `anchor` (the
    check-in) for a check-out."""
    if p.kind == "vague":
        return DateParse(vague=True)
    if p.kind == "fixed":
        return DateParse(value=p.fixed, end=p.end)
    if p.kind == "date":
        if p.year is not None:
            return DateParse(value=date(p.year, p.month, p.day))
        return DateParse(value=_next_date(p.day, p.month, anchor or ref))
    if p.kind == "day":
        start = anchor or ref
        value = _next_day_of_month(p.day, start, strictly=anchor is not None, weekday=p.weekday)
        # A weekday hint ("Freitag, den 13.") pins the month as well as context would.
        return DateParse(value=value, needs_context=anchor is None and p.weekday is None)
    assert p.weekday is not None
    if p.week_offset is not None:
        return DateParse(value=monday_of(ref) + timedelta(days=7 * p.week_offset + p.weekday))
    start = anchor or ref
    delta = (p.weekday - start.weekday()) % 7
    if delta == 0 and (anchor is not None or not p.same_day_ok):
        delta = 7
    return DateParse(value=start + timedelta(days=delta))


def _borrow(check_in: Parts, check_out: Parts) -> Parts:
    """A bare-day check-in ("[3] to 5 May", "[28.] - 2.1.") takes month and year from its
    check-out, the month before when its day is later than the check-out's."""
    if check_in.kind != "day" or check_out.kind != "date":
        return check_in  # only a written month is borrowed; "[30] to [Tuesday]" stays a guess
    month, year, out_day = check_out.month, check_out.year, check_out.day
    if check_in.day > out_day:
        month -= 1
        if month == 0:
            month, year = 12, (year - 1 if year is not None else None)
    return date_parts(check_in.day, month, year) or check_in


def _share_week(check_in: Parts, check_out: Parts) -> Parts:
    """A bare weekday check-in takes the week of its check-out ("[Monday] to [Wednesday next
    week]"), unless its day comes later in the week than the check-out's."""
    if (check_in.kind == "weekday" and check_in.week_offset is None
            and check_out.kind == "weekday" and check_out.week_offset is not None
            and check_in.weekday is not None and check_out.weekday is not None
            and check_in.weekday <= check_out.weekday):
        return replace(check_in, week_offset=check_out.week_offset)
    return check_in


def resolve_pair(check_in: Parts | None, check_out: Parts | None, ref: date
                 ) -> tuple[DateParse | None, DateParse | None]:
    """Check-in and check-out on the calendar: the check-in borrows what it lacks from the
    check-out (`_borrow`, `_share_week`), the check-out resolves after the check-in; a bare
    weekday before a feast's day ("the Friday after Thanksgiving") is the one before it."""
    if check_in is not None and check_out is not None:
        check_in = _share_week(_borrow(check_in, check_out), check_out)
        if (check_in.kind == "weekday" and check_in.week_offset is None
                and check_in.weekday is not None and check_out.fixed is not None):
            # "in the Sunday before ... out the Friday after Thanksgiving": the weekday
            # before a feast's day, not the next one after the email
            back = (check_out.fixed.weekday() - check_in.weekday) % 7 or 7
            return DateParse(value=check_out.fixed - timedelta(days=back)), resolve(check_out, ref)
    din = resolve(check_in, ref) if check_in is not None else None
    if check_out is None:
        return din, None
    dout = resolve(check_out, ref, anchor=din.value if din is not None else None)
    if dout.end is not None and check_in is not None:
        # "bis KW 24", "till the weekend": the stay ends with that week or weekend.
        dout = DateParse(value=dout.end)
    return din, dout
