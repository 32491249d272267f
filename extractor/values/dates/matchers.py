"""Date matchers: prepared text -> `Parts` (what the words say), tried in the order of
`MATCHERS`; the first that finds something wins.

Each matcher takes the prepared text (folded, times and replaced dates cut away: see
`extractor.values.dates.prepare`) and the `Context` it is read in, and returns `Parts` or
None. The order is the policy: a written date beats a feast, a feast a calendar week, and so
on down to a bare day of month, which is read only when nothing else in the text is a date.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, timedelta

from dateutil.easter import easter

from extractor.values.dates.parts import VAGUE, Parts, date_parts, monday_of
from extractor.values.dates.patterns import (
    BARE_DAY,
    CALENDAR_WEEK,
    DAY_MONTH,
    DIGIT,
    FILLER,
    HOLIDAYS,
    IN_N,
    ISO,
    MONTH_DAY,
    MONTH_REF,
    NUMERIC,
    RELATIVE_DAYS,
    THIS,
    VAGUE_WORDS,
    WEEK_QUALIFIER,
    WEEKEND,
    WORD,
)
from extractor.values.dates.vocabulary import MONTHS, month, weekday
from extractor.values.numbers import word_to_int


@dataclass(frozen=True)
class Context:
    """What a matcher reads a text against: the email's date, its language ("en" makes
    "05/03" month-first) and the week a qualifier named ("next week": 1), if any."""

    ref: date
    lang: str | None
    week_offset: int | None = None


Matcher = Callable[[str, Context], Parts | None]


def _year(text: str | None) -> int | None:
    if text is None:
        return None
    digits = text.lstrip("'")
    return int(digits) + 2000 if len(digits) == 2 else int(digits)


def numeric(t: str, at: Context) -> Parts | None:
    """ "2026-05-03", "3.5.", "05/03/2026" (month-first only in English or when day > 12)."""
    m = ISO.search(t)
    if m:
        parts = date_parts(int(m["d"]), int(m["m"]), int(m["y"]))
        if parts:
            return parts
    for m in NUMERIC.finditer(t):
        a, b = int(m["a"]), int(m["b"])
        day, mon = a, b
        if m["sep"] == "/" and a <= 12 and (b > 12 or at.lang == "en"):
            day, mon = b, a  # US month-first, only where English says so or day > 12
        parts = date_parts(day, mon, _year(m["y"]))
        if parts:
            return parts
    return None


def _search_all(pattern: re.Pattern[str], t: str) -> list[re.Match[str]]:
    """Every match of `pattern`, overlapping ones included (a failed month word must not
    hide a real date that starts inside it)."""
    out, pos = [], 0
    while (m := pattern.search(t, pos)) is not None:
        out.append(m)
        pos = m.start() + 1
    return out


def month_name(t: str, at: Context) -> Parts | None:
    """ "3. Mai", "May 3rd, 2026", "the 3rd of May"."""
    for pattern in (DAY_MONTH, MONTH_DAY):
        for m in _search_all(pattern, t):
            mon = month(m["m"])
            if mon is not None:
                parts = date_parts(int(m["d"]), mon, _year(m["y"]))
                if parts:
                    return parts
    return None


_HOLIDAY_YEAR = re.compile(r"\b(20\d\d)\b")


def _movable_feast(offset: int, year: int | None, ref: date) -> Parts:
    """The feast `offset` days after Easter Sunday: in `year`, or its next one on or after
    `ref` (Easter moves, so "Karfreitag" in February is this spring's, in May next spring's)."""
    if year is not None:
        return Parts("fixed", fixed=easter(year) + timedelta(days=offset))
    day = easter(ref.year) + timedelta(days=offset)
    if day < ref:
        day = easter(ref.year + 1) + timedelta(days=offset)
    return Parts("fixed", fixed=day)


def holiday(t: str, at: Context) -> Parts | None:
    """ "Silvester", "Christmas Eve 2026", "Karfreitag", "Whit Monday": the lexicon's
    `calendar.holidays`."""
    for pattern, feast in HOLIDAYS:
        if pattern.search(t):
            m = _HOLIDAY_YEAR.search(t)
            year = int(m[1]) if m else None
            if feast.easter_offset is not None:
                return _movable_feast(feast.easter_offset, year, at.ref)
            if feast.day is not None and feast.month is not None:
                return date_parts(feast.day, feast.month, year)
            if feast.month is not None and feast.weekday is not None and feast.nth is not None:
                return _nth_weekday_feast(feast.month, feast.weekday, feast.nth, year, at.ref)
    return None


def _nth_weekday_feast(month: int, wd: int, nth: int, year: int | None, ref: date) -> Parts:
    """The `nth` weekday `wd` of `month` (-1: the last): in `year`, or its next one on or after
    `ref` ("Thanksgiving" said in December is next year's)."""
    def in_year(y: int) -> date:
        if nth > 0:
            first = date(y, month, 1)
            return first + timedelta(days=(wd - first.weekday()) % 7 + 7 * (nth - 1))
        last = date(y + month // 12, month % 12 + 1, 1) - timedelta(days=1)
        return last - timedelta(days=(last.weekday() - wd) % 7)

    day = in_year(year if year is not None else ref.year)
    if year is None and day < ref:
        day = in_year(ref.year + 1)
    return Parts("fixed", fixed=day)


# a weekday said by the feast it comes before or after: "the Thursday before Easter",
# "Samstag vor Pfingsten", "the Friday after Ascension"; Easter and Whitsun alone are a
# season ("über Ostern"), here their Sunday
_BESIDE = re.compile(r"(?P<day>[a-z]+)\s+(?P<dir>before|vor|after|nach)\s+(?:the\s+|dem\s+)?"
                     r"(?P<feast>.+)")
_SEASON_SUNDAYS = {"easter": 0, "ostern": 0, "pfingsten": 49, "whitsun": 49, "pentecost": 49}


def weekday_by_feast(t: str, at: Context) -> Parts | None:
    """ "the Thursday before Easter", "Mittwoch vor Fronleichnam": that weekday's date."""
    m = _BESIDE.search(t)
    wd = weekday(m["day"], "", at.lang) if m else None
    if m is None or wd is None:
        return None
    season = _SEASON_SUNDAYS.get(m["feast"].split()[0].strip(" ,.")) if m["feast"] else None
    feast = _movable_feast(season, None, at.ref) if season is not None else holiday(m["feast"], at)
    if feast is None or feast.fixed is None:
        return None
    if m["dir"] in ("before", "vor"):
        return Parts("fixed", fixed=feast.fixed - timedelta(days=(feast.fixed.weekday() - wd) % 7 or 7))
    return Parts("fixed", fixed=feast.fixed + timedelta(days=(wd - feast.fixed.weekday()) % 7 or 7))


def _iso_week(week: int, year: int) -> date | None:
    try:
        return date.fromisocalendar(year, week, 1)
    except ValueError:
        return None


def calendar_week(t: str, at: Context) -> Parts | None:
    """ "KW 23", "week 23/2026": Monday to Friday of that week."""
    m = CALENDAR_WEEK.search(t)
    if not m:
        return None
    week = int(m["w"] or m["w2"])
    year = _year(m["y"] or m["y2"])
    if year is None:
        monday = _iso_week(week, at.ref.year)
        # The week is this year's unless its Friday has already passed.
        if monday is None or monday + timedelta(days=4) < at.ref:
            monday = _iso_week(week, at.ref.year + 1)
    else:
        monday = _iso_week(week, year)
    if monday is None:
        return None
    # weekdays said with the week name its days: "KW 23, Tuesday", "Montag bis Donnerstag in
    # KW 14" (the first to the last named)
    rest = f"{t[: m.start()]} {t[m.end():]}"
    days = [wd for w in WORD.finditer(rest) if (wd := weekday(w[0], rest[w.end():], at.lang))
            is not None]
    if days:
        first = monday + timedelta(days=days[0])
        last = monday + timedelta(days=days[-1])
        return Parts("fixed", fixed=first, end=last if last > first else None)
    return Parts("fixed", fixed=monday, end=monday + timedelta(days=4))


def weekend(t: str, at: Context) -> Parts | None:
    """ "this weekend", "nächstes Wochenende": Friday (or today) to Sunday."""
    m = WEEKEND.search(t)
    if not m:
        return None
    mod = m["mod"] or ""
    offset = at.week_offset if at.week_offset is not None else (
        1 if mod and mod not in THIS else 0)
    if offset == 0 and at.ref.weekday() == 6:
        offset = 1  # on a Sunday, "this weekend" can only mean the coming one
    friday = monday_of(at.ref) + timedelta(days=7 * offset + 4)
    sunday = friday + timedelta(days=2)
    return Parts("fixed", fixed=max(friday, at.ref), end=sunday)


def weekday_name(t: str, at: Context) -> Parts | None:
    """ "Friday", "this Friday", "Freitag, den 13." (the date, the weekday a hint)."""
    previous = ""
    for m in WORD.finditer(t):
        wd = weekday(m[0], t[m.end():], at.lang)
        if wd is None:
            previous = m[0]
            continue
        this = previous in THIS
        day = BARE_DAY.search(t)
        if day and at.week_offset is None:  # "Freitag, den 13.": the date, the weekday a hint
            return Parts("day", day=int(day["d"]), weekday=wd)
        return Parts("weekday", weekday=wd, week_offset=at.week_offset, same_day_ok=this)
    return None


def relative(t: str, at: Context) -> Parts | None:
    """ "tomorrow", "in 3 days", "two weeks from now"; never after a week qualifier."""
    if at.week_offset is not None:
        return None
    m = IN_N.search(t)
    if m:
        n = word_to_int(m["n"] or m["n2"])
        if n is None and (m["n"] or m["n2"]) in ("a", "an"):
            n = 1
        if n is not None:
            unit = m["u"] or m["u2"]
            days = n * 7 if unit.startswith(("week", "woche")) else n
            return Parts("fixed", fixed=at.ref + timedelta(days=days))
    for pattern, days in RELATIVE_DAYS:
        if pattern.search(t):
            return Parts("fixed", fixed=at.ref + timedelta(days=days))
    return None


def bare_day(t: str, at: Context) -> Parts | None:
    """ "the 3rd", "am 5.", "the 3rd of next month": a day of month alone, fillers aside."""
    month_ref = MONTH_REF.search(t)
    if month_ref:
        t = t[: month_ref.start()] + t[month_ref.end():]
    m = BARE_DAY.search(t)
    if not m or BARE_DAY.search(t, m.end()):
        return None
    rest = t[: m.start()] + " " + t[m.end():]
    if DIGIT.search(rest) or any(w not in FILLER for w in WORD.findall(rest)):
        return None
    day = int(m["d"])
    if not 1 <= day <= 31:
        return None
    if month_ref:
        ref = at.ref
        mon = ref.month if month_ref["this"] else ref.month % 12 + 1
        year = ref.year if month_ref["this"] or ref.month < 12 else ref.year + 1
        return date_parts(day, mon, year)
    return Parts("day", day=day)


def month_ref_day(t: str, at: Context) -> Parts | None:
    """ "the 3rd of next month" is a date, "next month" alone is vague."""
    return bare_day(t, at) if MONTH_REF.search(t) else None


def vague(t: str, at: Context) -> Parts | None:
    """ "Anfang Juni", "end of May", "next week" without a day: vague."""
    return VAGUE if at.week_offset is not None or VAGUE_WORDS.search(t) else None


def month_without_day(t: str, at: Context) -> Parts | None:
    """ "im Mai", "in May": a month without a day is vague."""
    return VAGUE if any(w in MONTHS and len(w) > 2 for w in WORD.findall(t)) else None


MATCHERS: tuple[Matcher, ...] = (
    numeric, month_name, weekday_by_feast, holiday, calendar_week, weekend, weekday_name,
    relative, month_ref_day, vague, month_without_day, bare_day,
)


def take_week_qualifier(t: str) -> tuple[str, int | None]:
    """`t` without its week qualifier, and the week it names ("next week": 1, "in two
    weeks" beside a weekday: 2; "in two weeks" alone is a day, read by `relative`)."""
    m = WEEK_QUALIFIER.search(t)
    if not m:
        return t, None
    rest = (t[: m.start()] + " " + t[m.end():]).strip()
    if m["n"]:
        if not any(weekday(w.group(), "", None) is not None for w in WORD.finditer(rest)):
            return t, None
        return rest, word_to_int(m["n"])
    return rest, 2 if m["after"] else 1 if m["next"] else 0


def match(t: str, ref: date, lang: str | None, week_offset: int | None = None) -> Parts | None:
    """The `Parts` of a prepared text, from the first of `MATCHERS` that finds any; None
    when it holds no date expression. Without `week_offset`, a week qualifier in `t`
    ("next week") sets it."""
    if week_offset is None:
        t, week_offset = take_week_qualifier(t)
    at = Context(ref, lang, week_offset)
    return next((parts for matcher in MATCHERS if (parts := matcher(t, at)) is not None), None)
