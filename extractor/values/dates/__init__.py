"""Date expressions of booking emails (English and German) -> calendar dates.

A small parser of its own rather than dateparser or duckling, whose users were hurt by
exactly what a booking form needs (PEERS.md): future preference that does not roll the month
or the year, weekdays resolved into the past, interval ends that are exclusive. Here:

- Everything resolves against `reference`, the day the email was received, and prefers the
  future: a date without a year is its next occurrence on or after the reference; a bare
  weekday ("Friday") is the next one strictly after it.
- `check_out` is the departure day: "3 to 5 May" ends on 5 May, never 6 May.
- A check-out resolves after its check-in (`anchor`): "the 7th" is the first 7th after it,
  "Friday" the first Friday after it.
- A vague time ("Anfang Juni", "end of May", "next week") gives no date but says it is vague.

Matching runs in two stages: text -> `Parts` (`matchers`: what the words say, a day and
month, a weekday, a fixed date...), then `Parts` -> date (`resolve`: where the calendar puts
it). Ranges and pairs of spans work on the `Parts` of both halves, so one half can borrow
the month of the other ("3.-5. Mai"). The words are the lexicon's (`calendar`).
"""

from __future__ import annotations

import re
from dataclasses import replace
from datetime import date, timedelta

from extractor.lexicon import lexicon
from extractor.values.dates.matchers import match, take_week_qualifier
from extractor.values.dates.parts import DateParse
from extractor.values.dates.patterns import (
    CALENDAR_WEEK,
    FEASTS,
    HOLIDAYS,
    ORDINAL_WORD,
    REPLACED,
    TIME,
    WEEK_QUALIFIER,
)
from extractor.values.dates.resolve import resolve, resolve_pair
from extractor.values.dates.vocabulary import is_calendar_word, short_weekday_in_prose
from extractor.values.numbers import ORDINALS, fold

__all__ = ["FEASTS", "DateParse", "is_calendar_word", "last_night_listed", "names_a_day", "names_a_season",
           "names_a_weekday", "parse_date", "parse_date_pair", "parse_range",
           "short_weekday_in_prose", "slash_reading", "week_named", "week_opening", "weekday_named", "date_kind",
           "calendar_weeks"]

# a time of year: "Frühjahr", "summer" (`names_a_season`)
_SEASONS = frozenset(fold(w) for w in lexicon().calendar.seasons)
# a date written with slashes and its year: "12/05/2025", "5/13/26"
_SLASHED = re.compile(r"(?<![\d/])(\d{1,2})/(\d{1,2})/(\d{4}|\d{2})(?![\d/])")
_STAY_DAYS = 31  # two slashed dates of one stay lie at most a month apart
_SLASHED_DAY = re.compile(r"(\d{1,2})/(\d{1,2})(?:/(\d{4}|\d{2}))?")
_SLASHED_RANGE = re.compile(
    r"(?<![\d/])(\d{1,2}/\d{1,2})(?![\d/])[ \t]*(?:-|–|to|until|till|bis)[ \t]*"
    r"(?<![\d/])(\d{1,2}/\d{1,2})(?![\d/])", re.IGNORECASE)


def slash_reading(text: str, lang: str | None) -> str | None:
    """The `lang` to read `text`'s slashed dates with: one of them that can only be read one
    way decides for all ("12/05/2025 - 15/05/2025" is day-first, whatever the language: None;
    "05/12/2025 - 05/15/2025" month-first: "en"); else the text's language."""
    found = list(_SLASHED.finditer(text))
    for m in found:
        first, second = int(m[1]), int(m[2])
        if first > 12 >= second:
            return None
        if second > 12 >= first:
            return "en"
    # an arrival and a departure written one after the other: the reading that makes them a
    # stay decides ("09/03/2027 - 11/03/2027" is 9 to 11 March, not 3 September to 3 November)
    for a, b in zip(found, found[1:], strict=False):
        day_first, month_first = _stay_days(a, b, day_first=True), _stay_days(a, b, day_first=False)
        if day_first != month_first:
            return None if day_first else "en"
    # so does a range of two written without a year ("from 03/11 to 06/11" is 3 to 6
    # November, not 11 March to 11 June); a lone one may be no date at all ("24/7")
    for m in _SLASHED_RANGE.finditer(text):
        arrives, leaves = _SLASHED_DAY.match(m[1]), _SLASHED_DAY.match(m[2])
        if arrives is None or leaves is None:
            continue
        day_first = _stay_days(arrives, leaves, day_first=True)
        if day_first != _stay_days(arrives, leaves, day_first=False):
            return None if day_first else "en"
    return lang


def _stay_days(a: re.Match[str], b: re.Match[str], *, day_first: bool) -> bool:
    """Whether slashed dates `a` then `b`, read `day_first` or not, lie 1 to `_STAY_DAYS`
    days apart."""
    def read(m: re.Match[str], later: int = 0) -> date | None:
        day, month = (int(m[1]), int(m[2])) if day_first else (int(m[2]), int(m[1]))
        year = int(m[3]) + (2000 if len(m[3]) == 2 else 0) if m[3] else 2000 + later
        try:
            return date(year, month, day)
        except ValueError:
            return None
    start, end = read(a), read(b)
    if start and end and end < start and not b[3]:
        end = read(b, later=1)  # a year's end: "28/12 to 02/01"
    return bool(start and end and 1 <= (end - start).days <= _STAY_DAYS)



def prepare(text: str) -> str:
    """`text` folded, with what is no part of the date cut away: a replaced date ("instead of
    the 3rd"), times ("um 15 Uhr"); ordinal words as numbers ("third" -> "3th")."""
    t = TIME.sub(" ", REPLACED.sub("", fold(text)))
    return ORDINAL_WORD.sub(lambda m: f"{ORDINALS[m[1]]}th", t).strip()


def parse_date(text: str, *, reference: date, anchor: date | None = None,
               lang: str | None = None) -> DateParse:
    """The date one expression names, resolved against `reference` (the email's date).

    `anchor`: the check-in date, when `text` is a check-out; partial dates ("5.", "the 7th",
    "Friday") then resolve to the first match after it. `lang` ("en", "de") only decides
    whether "05/03/2026" is month-first (en) or day-first (anything else; a first number
    over 12 is a day either way). Unparseable text gives `DateParse()` (value None, not vague).
    """
    t = prepare(text)
    parts = match(t, reference, lang)
    if parts is None:
        return DateParse()
    parsed = resolve(parts, reference, anchor)
    if parsed.value is not None and parsed.end is None and _ONE_NIGHT.search(t):
        # "tonight", "tomorrow night", "heute Nacht": the night names the stay, one night
        parsed = replace(parsed, end=parsed.value + timedelta(days=1))
    return parsed


def last_night_listed(before: str, between: str, after: str, last: str = "",
                      first: str = "") -> bool:
    """Whether two dates are nights listed, not arrival and departure: joined by "and" with
    "night(s)" after them (or ending the `last` date's own text), "the nights of" before, or
    a `first` date that is a night itself ("fri [and] sat [night]", "[Wednesday] and [Thursday
    night next week]", "the nights of 5 [and] 6 December", "Mittwoch und Donnerstag Nacht",
    "[tonight] + [tomorrow]"), so the departure is the morning after the second."""
    return bool(_LISTED_JOIN.fullmatch(fold(between))) and bool(
        _NIGHT_AFTER.match(fold(after)) or _NIGHTS_BEFORE.search(fold(before))
        or _NIGHT_INSIDE.search(fold(last)) or _ONE_NIGHT.fullmatch(fold(first).strip()))


def parse_date_pair(check_in_text: str | None, check_out_text: str | None, *,
                    reference: date, lang: str | None = None
                    ) -> tuple[DateParse | None, DateParse | None]:
    """Check-in and check-out from two separate spans ("from [3] to [5 May]").

    A check-in that lacks month and year borrows them from the check-out; the check-out
    resolves after the check-in. A half whose text is None comes back None; a half whose
    text names no date comes back as `DateParse()`.
    """
    pin = pout = None
    if check_in_text is not None:
        pin = match(prepare(check_in_text), reference, lang)
    if check_out_text is not None:
        pout = match(prepare(check_out_text), reference, lang)
    din, dout = resolve_pair(pin, pout, reference)
    if check_in_text is not None and din is None:
        din = DateParse()
    if check_out_text is not None and dout is None:
        dout = DateParse()
    return din, dout


_WEEKDAY_MODIFIER = re.compile(r"\b(?:next|this|coming|following|naechste[nrs]?|kommende[nrs]?"
                               r"|diese[nrs]?|uebernaechste[nrs]?)\b")
# one night named by the day: "tonight", "Friday night", "heute Nacht" (not "nights")
_ONE_NIGHT = re.compile(r"\b(?:tonight|night|nacht|heute abend|this evening)\b")
_LISTED_JOIN = re.compile(r"\s*(?:,|and|und|&|\+)\s*")
_NIGHT_AFTER = re.compile(r"\s*(?:nights?|naechte|nacht)\b")
_NIGHT_INSIDE = re.compile(r"^\S+\s+(?:nights?|nacht)\b")  # "Thursday night next week"
_NIGHTS_BEFORE = re.compile(r"\b(?:nights|naechte)\s+(?:of|vom|von|am)?\s*(?:the\s+)?$")
_RANGE_INTRO = re.compile(
    r"^(?:(?P<between>between|zwischen)|from|vom|von|ab|starting|beginning|the\s+period"
    r"|zeitraum|period)\b\s*:?\s*"
)
_NIGHTS_LISTED = re.compile(r"^(?:the\s+)?nights?\s+(?:of\s+)?|\s*\b(?:nights?|naechte|nacht)\b\s*$")
_CONNECTOR = re.compile(
    r"\s*-+\s*|\s*/\s*(?=[a-z])|\b(?:bis(?:\s+(?:zum|zur|einschliesslich|inkl\.?|inklusive))?"
    r"|through\s+to|to|till|til|until|through|thru|(?P<and>and|und|&))\b"
)


def parse_range(text: str, *, reference: date, lang: str | None = None
                ) -> tuple[DateParse, DateParse] | None:
    """Check-in and check-out from one expression holding both ("3.-5. Mai", "from the 28th
    of December to 2 January", "Mo-Mi nächste Woche", "KW 23"); None when it holds no range.

    The check-out is the departure day ("3 to 5 May" -> 3 May, 5 May). A week qualifier
    ("next week") applies to both ends; a bare-day end borrows its month from the other.
    """
    t = prepare(text)
    t, week_offset = take_week_qualifier(t)
    # "the nights of 5 and 6 March", "Wednesday and Thursday night": the nights listed, so
    # the check-out is the morning after the last one
    nights = _NIGHTS_LISTED.search(t)
    if nights:
        t = (t[: nights.start()] + " " + t[nights.end():]).strip()
    whole = match(t, reference, lang, week_offset)
    if len(CALENDAR_WEEK.findall(t)) == 1 and whole is not None and whole.kind == "fixed" \
            and whole.end is not None:  # "Montag bis Donnerstag in KW 14": both in that week
        return DateParse(value=whole.fixed), DateParse(value=whole.end)
    intro = _RANGE_INTRO.match(t)
    between = bool(intro and intro["between"])
    if intro:
        t = t[intro.end():]
    for m in _CONNECTOR.finditer(t):
        if m["and"] and not (between or nights):
            continue
        if nights and not m["and"]:
            continue
        left, right = t[: m.start()].strip(" ,:"), t[m.end():].strip(" ,:")
        if not left or not right:
            continue
        pin = match(left, reference, lang, week_offset)
        pout = match(right, reference, lang, week_offset)
        if pin is None or pout is None or "vague" in (pin.kind, pout.kind):
            continue
        din, dout = resolve_pair(pin, pout, reference)
        if din is not None and dout is not None and din.value and dout.value:
            if din.end is not None:
                din = replace(din, end=None)
            if nights:
                dout = replace(dout, value=dout.value + timedelta(days=1))
            return din, dout
    whole = match(t, reference, lang, week_offset)
    if whole is not None and whole.kind == "fixed" and whole.end is not None:
        return DateParse(value=whole.fixed), DateParse(value=whole.end)
    return None


def week_named(text: str) -> str | None:
    """The week `text` names, alone or beside a day ("nächste woche" in "Donnerstag nächste
    Woche", "kw 14" in "Montag KW 14"), as prepared; None when it names none."""
    t = prepare(text)
    m = WEEK_QUALIFIER.search(t) or CALENDAR_WEEK.search(t)
    return m.group() if m else None


def week_opening(text: str) -> str | None:
    """The week `text` opens with ("next week?", "KW 12, ..."), as prepared; None when none."""
    t = prepare(text)
    m = WEEK_QUALIFIER.match(t) or CALENDAR_WEEK.match(t)
    return m.group() if m else None


def calendar_weeks(text: str, *, later: bool = False) -> set[str]:
    """The calendar weeks `text` names ("KW 12", "week 23/2026"), as prepared; `later`: the
    weeks two or more after the email's that it names too ("the week after next",
    "übernächste Woche"; not "next week", whose bare weekdays are the coming ones already:
    "Next week's schedule: Atlanta, arriving Sunday evening" is this Sunday)."""
    t = prepare(text)
    found = {m.group() for m in CALENDAR_WEEK.finditer(t)}
    if later:
        found |= {m.group() for m in WEEK_QUALIFIER.finditer(t)
                  if (take_week_qualifier(m.group())[1] or 0) >= 2}
    return found


def names_a_weekday(text: str) -> bool:
    """Whether `text` is a weekday and nothing more ("Monday", "am Dienstag"; not "next
    Monday")."""
    return weekday_named(text) is not None


def date_kind(text: str) -> str | None:
    """What a date expression names: "date" (a day of a month), "day" (a day of the month
    alone, "the 9th"), "weekday", "fixed" (a feast, a week), "vague"; None for no date."""
    parts = match(prepare(text), date.today(), None)
    return parts.kind if parts is not None else None


def weekday_named(text: str) -> int | None:
    """The weekday (0 = Monday) `text` names when it is a weekday and nothing more."""
    t = prepare(text)
    parts = match(t, date.today(), None)
    if parts is not None and parts.kind == "weekday" and parts.week_offset is None \
            and not _WEEKDAY_MODIFIER.search(t):
        return parts.weekday
    return None


def names_a_day(text: str) -> bool:
    """Whether `text` is only a day's name: a month or weekday ("Dienstag") or a feast
    ("Karfreitag", "Boxing Day"), which is never a place or a person."""
    t = prepare(text)
    if is_calendar_word(t) or ((week := CALENDAR_WEEK.search(t)) and week.group() == t):
        return True  # a calendar week too ("Kalenderwoche 37", "46. KW")
    return any(pattern.fullmatch(t) for pattern, *_ in HOLIDAYS)


def names_a_season(text: str) -> bool:
    """Whether `text` is only a time of year ("Frühjahr", "summer"): no place or hotel (a
    person may be called Sommer or Herbst)."""
    return prepare(text) in _SEASONS
