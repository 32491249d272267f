"""One date in words: month and weekday names and the format families of `data/dates.json`.

A format code names a family (`DM` = day and month: "3 May", "3rd May", "3. Mai"); the concrete
spelling is drawn at random. Codes without a year (`YEARLESS`) are only used where the preferring-
the-future reading of ANNOTATION.md gives back the intended date.
"""

from __future__ import annotations

import datetime as dt

from annotations.generator.context import Ctx

MONTHS = {
    "en": ["January", "February", "March", "April", "May", "June", "July", "August",
           "September", "October", "November", "December"],
    "de": ["Januar", "Februar", "März", "April", "Mai", "Juni", "Juli", "August", "September",
           "Oktober", "November", "Dezember"],
}
MONTHS_SHORT = {
    "en": ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sept", "Oct", "Nov", "Dec"],
    "de": ["Jan.", "Feb.", "März", "Apr.", "Mai", "Juni", "Juli", "Aug.", "Sept.", "Okt.", "Nov.",
           "Dez."],
}
WEEKDAYS = {
    "en": ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"],
    "de": ["Montag", "Dienstag", "Mittwoch", "Donnerstag", "Freitag", "Samstag", "Sonntag"],
}
WEEKDAYS_SHORT = {
    "en": ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"],
    "de": ["Mo", "Di", "Mi", "Do", "Fr", "Sa", "So"],
}
YEARLESS = frozenset({"D", "TH", "DM", "MD", "THM", "NUM"})
# the codes ANY may become, with weights, per language
ANY_CODES = {
    "en": (("DM", 5), ("MD", 5), ("THM", 1), ("DMY", 2), ("ISO", 0.3), ("NUMY", 0.4)),
    "de": (("DM", 4), ("NUM", 4), ("NUMY", 3), ("DMY", 1.5), ("ISO", 0.2)),
}


def ordinal(day: int) -> str:
    """3 -> "3rd", 11 -> "11th", 22 -> "22nd"."""
    suffix = "th" if 10 <= day % 100 <= 20 else {1: "st", 2: "nd", 3: "rd"}.get(day % 10, "th")
    return f"{day}{suffix}"


def month_name(ctx: Ctx, lang: str, month: int, *, short_ok: bool = True) -> str:
    if short_ok and ctx.chance(0.25 if ctx.casual else 0.1):
        return MONTHS_SHORT[lang][month - 1]
    return MONTHS[lang][month - 1]


def weekday_name(ctx: Ctx, lang: str, d: dt.date) -> str:
    if ctx.chance(0.3 if ctx.casual else 0.05):
        return WEEKDAYS_SHORT[lang][d.weekday()]
    return WEEKDAYS[lang][d.weekday()]


def _year(ctx: Ctx, d: dt.date) -> str:
    return str(d.year) if ctx.chance(0.8) else f"{d.year % 100:02d}"


def format_date(ctx: Ctx, lang: str, code: str, d: dt.date, *, ordinals: bool | None = None
                ) -> str:
    """`d` written in the family `code` (one of the codes of dates.json except REL/WD/KW);
    `ordinals` fixes whether English days are written "3rd" (so a range keeps one style)."""
    r = ctx.chance
    if lang == "en":
        use_ordinal = r(0.3) if ordinals is None else ordinals
        day = ordinal(d.day) if use_ordinal else str(d.day)
        if code == "D":
            return day
        if code == "TH":
            return f"the {ordinal(d.day)}"
        if code == "DM":
            return f"{day} {month_name(ctx, lang, d.month)}" if r(0.85) else \
                f"{ordinal(d.day)} of {MONTHS['en'][d.month - 1]}"
        if code == "MD":
            return f"{month_name(ctx, lang, d.month)} {day}"
        if code == "THM":
            return f"the {ordinal(d.day)} of {MONTHS['en'][d.month - 1]}"
        if code == "DMY":
            month = month_name(ctx, lang, d.month)
            return f"{day} {month} {d.year}" if r(0.5) else f"{month} {day}, {d.year}"
    else:
        day = f"{d.day:02d}." if r(0.15) else f"{d.day}."
        if code in ("D", "TH"):
            return day
        if code == "DM":
            return f"{day} {month_name(ctx, lang, d.month)}"
        if code == "DMY":
            return f"{day} {month_name(ctx, lang, d.month)} {d.year}"
    if code == "NUM":
        return f"{d.day:02d}.{d.month:02d}." if r(0.5) else f"{d.day}.{d.month}."
    if code == "NUMY":
        return f"{d.day:02d}.{d.month:02d}.{_year(ctx, d)}" if r(0.6) else \
            f"{d.day}.{d.month}.{_year(ctx, d)}"
    if code == "ISO":
        return d.isoformat()
    raise ValueError(f"no format {code} for {lang}")


def resolve_yearless(today: dt.date, month: int, day: int) -> dt.date | None:
    """The date a reader takes "day.month." to mean on `today`: the next one not in the past."""
    for year in (today.year, today.year + 1):
        try:
            d = dt.date(year, month, day)
        except ValueError:  # 29 February of a common year
            continue
        if d >= today:
            return d
    return None


def iso_week_monday(today: dt.date, week: int) -> dt.date | None:
    """The Monday of calendar week `week` as read on `today`: the next such week not begun."""
    for year in (today.year, today.year + 1):
        try:
            monday = dt.date.fromisocalendar(year, week, 1)
        except ValueError:  # week 53 in a 52-week year
            continue
        if monday > today:
            return monday
    return None
