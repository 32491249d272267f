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

Matching runs in two stages: text -> `_Parts` (what the words say: a day and month, a
weekday, a fixed date...), then `_Parts` -> date (where the calendar puts it). Ranges and
pairs of spans work on the `_Parts` of both halves, so one half can borrow the month of
the other ("3.-5. Mai").
"""

from __future__ import annotations

import difflib
import re
from dataclasses import dataclass, replace
from datetime import date, timedelta
from functools import lru_cache
from typing import Literal

from extractor.numbers import ORDINALS, fold, word_to_int


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
class _Parts:
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


_VAGUE = _Parts("vague")

# ----------------------------------------------------------------------------- vocabulary

_MONTH_WORDS: dict[int, tuple[str, ...]] = {
    1: ("january", "januar", "jaenner", "janner", "jan"),
    2: ("february", "februar", "feber", "feb", "febr"),
    3: ("march", "maerz", "marz", "maer", "mar", "mrz"),
    4: ("april", "apr"),
    5: ("may", "mai"),
    6: ("june", "juni", "jun"),
    7: ("july", "juli", "jul"),
    8: ("august", "aug"),
    9: ("september", "sept", "sep"),
    10: ("october", "oktober", "oct", "okt"),
    11: ("november", "nov"),
    12: ("december", "dezember", "dec", "dez"),
}
_MONTHS = {w: m for m, words in _MONTH_WORDS.items() for w in words}
_MONTH_FULL = tuple(w for w in _MONTHS if len(w) >= 5)

_WEEKDAY_WORDS: dict[int, tuple[str, ...]] = {
    0: ("monday", "montag", "mon"),
    1: ("tuesday", "dienstag", "tue", "tues"),
    2: ("wednesday", "mittwoch", "wed", "weds"),
    3: ("thursday", "donnerstag", "thu", "thur", "thurs"),
    4: ("friday", "freitag", "fri"),
    5: ("saturday", "samstag", "sonnabend", "sat"),
    6: ("sunday", "sonntag", "sun"),
}
_WEEKDAYS = {w: d for d, words in _WEEKDAY_WORDS.items() for w in words}
_WEEKDAY_FULL = tuple(w for w in _WEEKDAYS if len(w) >= 6)
# Month names that are also first names: never read as calendar words on their own.
_ALSO_NAMES = frozenset({"may", "mai", "june", "juni", "april", "august"})
_CALENDAR_WORDS = frozenset(_MONTH_FULL + _WEEKDAY_FULL) - _ALSO_NAMES


def is_calendar_word(word: str) -> bool:
    """Whether `word` is a month or weekday name ("Jänner", "Dienstag") that is no first name."""
    return fold(word.strip(" .,")) in _CALENDAR_WORDS
# German two-letter abbreviations ("Mo-Mi", "Fr., 7.5."): not in English text, where "do" and
# "so" are words, and only where an abbreviation can stand ("so bald wie möglich" is no Sunday).
_WEEKDAYS_DE_SHORT = {"mo": 0, "di": 1, "mi": 2, "do": 3, "fr": 4, "sa": 5, "so": 6}
_AFTER_SHORT_WEEKDAY = re.compile(r"\s*(?:[.,/-]|\d|$|(?:bis|und|to)\b)")


@lru_cache(maxsize=4096)
def _fuzzy(word: str, table: tuple[str, ...]) -> str | None:
    """The entry of `table` that `word` is a typo of ("febuary", "decmber", "wendesday")."""
    if len(word) < 5:
        return None
    hits = difflib.get_close_matches(word, table, n=1, cutoff=0.8)
    return hits[0] if hits and hits[0][0] == word[0] else None


def _month(word: str) -> int | None:
    word = word.rstrip(".")
    if word in _MONTHS:
        return _MONTHS[word]
    hit = _fuzzy(word, _MONTH_FULL)
    return _MONTHS[hit] if hit else None


def _weekday(word: str, after: str, lang: str | None) -> int | None:
    """The weekday `word` names; `after` is the text that follows it."""
    if word in _WEEKDAYS:
        return _WEEKDAYS[word]
    for full in _WEEKDAY_FULL:  # German compounds: "Freitagabend", "montags"
        if word.startswith(full):
            return _WEEKDAYS[full]
    if word in _WEEKDAYS_DE_SHORT:
        if lang == "en" or not _AFTER_SHORT_WEEKDAY.match(after):
            return None
        return _WEEKDAYS_DE_SHORT[word]
    hit = _fuzzy(word, _WEEKDAY_FULL)
    return _WEEKDAYS[hit] if hit else None


# ----------------------------------------------------------------------------- patterns

_ORD = r"(?:st|nd|rd|th|ten|ter|te)"
_YEAR = r"(?P<y>\d{4}|'\d{2})(?!\d)"
_TIME = re.compile(
    r"\b(?:um|at|ab|gegen|around|by)?\s*\d{1,2}(?::\d{2}|[.:]\d{2}\s*uhr|\s*uhr|\s*h\b"
    r"|\s*(?:am|pm|a\.m\.|p\.m\.))(?!\w)"
)
_ORDINAL_WORD = re.compile(
    r"\b(" + "|".join(sorted(map(re.escape, ORDINALS), key=len, reverse=True)) + r")\b"
)
_ISO = re.compile(r"(?<!\d)(?P<y>\d{4})\s*[-./]\s*(?P<m>\d{1,2})\s*[-./]\s*(?P<d>\d{1,2})(?!\d)")
_NUMERIC = re.compile(
    r"(?<![\d.,/])(?P<a>\d{1,2})\s*(?P<sep>[./])\s*(?P<b>\d{1,2})"
    r"(?:\s*(?P=sep)\s*(?P<y>\d{4}|\d{2})(?!\d))?(?:\.|(?![\d,]))"
)
_DAY_MONTH = re.compile(
    rf"(?<![\d.,])(?P<d>\d{{1,2}}){_ORD}?\.?\s*(?:of\s+|-\s*|/\s*)?(?:the\s+)?"
    rf"(?P<m>[a-z]{{3,12}})\b\.?(?:\s*[,\-/]?\s*{_YEAR})?"
)
_MONTH_DAY = re.compile(
    rf"\b(?P<m>[a-z]{{3,12}})\.?\s*(?:the\s+)?(?P<d>\d{{1,2}}){_ORD}?(?!\d)\.?"
    rf"(?:(?:\s*,\s*|\s+){_YEAR})?"
)
_CALENDAR_WEEK = re.compile(
    r"\b(?:kw|cw|wk|kalenderwoche|calendar\s+week|week|woche)\s*\.?\s*(?:nr\.?|no\.?|#)?\s*"
    r"(?P<w>\d{1,2})(?!\d)(?:\s*/\s*(?P<y>\d{4})(?!\d)|\s*'(?P<y2>\d{2})(?!\d))?"
    r"|(?<![\d.])(?P<w2>\d{1,2})\s*\.\s*(?:kw|kalenderwoche)\b"
)
_WEEK_QUALIFIER = re.compile(
    r"\b(?:(?P<after>the\s+week\s+after\s+next|week\s+after\s+next|uebernaechste[nrs]?\s+woche)"
    r"|(?P<next>next|naechste[nrs]?|kommende[nrs]?|following|upcoming|coming)\s+(?:week|woche)"
    r"|(?P<this>this|diese[nrs]?|current|laufende[nrs]?)\s+(?:week|woche))\b"
)
_WEEKEND = re.compile(
    r"\b(?:(?P<mod>this|next|coming|dieses|diese|naechstes|naechste|kommendes|kommende"
    r"|following)\s+)?(?:weekend|wochenende)\b"
)
_THIS = frozenset({"this", "diesen", "diese", "dieser", "dieses"})
_RELATIVE_DAYS = (
    (re.compile(r"\b(?:the\s+)?day\s+after\s+tomorrow\b|\buebermorgen\b"), 2),
    (re.compile(r"\b(?:tomorrow|tmrw|tmr|tomorow|tommorow|tommorrow|2morrow)\b"
                r"|(?<!\bam )(?<!\bden )(?<!\bjeden )\bmorgen\b"), 1),
    (re.compile(r"\b(?:today|tonight|heute|heut|this\s+evening)\b"), 0),
)
_IN_N = re.compile(
    r"\b(?:in\s+(?P<n>\d{1,2}|[a-z]+)\s+(?P<u>days?|tagen?|weeks?|wochen?)"
    r"|(?P<n2>\d{1,2}|[a-z]+)\s+(?P<u2>days?|weeks?)\s+from\s+(?:now|today))\b"
)
_VAGUE_WORDS = re.compile(
    r"\b(?:anfang|ende|mitte|beginning|start|end|middle|mid|early|late|later|sometime"
    r"|some\s+time|irgendwann|spaeter|frueh|soon|bald|asap|demnaechst|zeitnah|sommer|summer"
    r"|winter|spring|fruehling|fruehjahr|autumn|fall|herbst|monats\w+|\w*haelfte|half"
    r"|(?:next|this|naechste[nrs]?|kommende[nrs]?|diese[nrs]?)\s+(?:month|monat|year|jahr))\b"
    # German compounds of a month: "Maihälfte", "Juniwoche", "Julimitte"
    r"|\b(?:" + "|".join(_MONTHS) + r")(?:woche|mitte|anfang|ende)\b"
)
_MONTH_REF = re.compile(
    r"\b(?P<this>this\s+month|dieses\s+monats|diesen\s+monat|des\s+monats)\b"
    r"|\b(?P<next>next\s+month|naechsten\s+monats|kommenden\s+monats)\b"
)
_BARE_DAY = re.compile(rf"(?<![\d.,:/])(?P<d>\d{{1,2}}){_ORD}?\.?(?![\d])")
# Words that may stand around a bare day in a date span without changing its meaning.
_FILLER = frozenset(
    "on am the den dem der zum zur ab from vom von bis to until till of arrival arriving anreise"
    " abreise departure leaving check in out checkin checkout day tag ankunft".split()
)
_WORD = re.compile(r"[a-z]+")
_DIGIT = re.compile(r"\d")


# ----------------------------------------------------------------------------- matching


def _year(text: str | None) -> int | None:
    if text is None:
        return None
    digits = text.lstrip("'")
    return int(digits) + 2000 if len(digits) == 2 else int(digits)


def _valid(year: int, month: int, day: int) -> bool:
    try:
        date(year, month, day)
    except ValueError:
        return False
    return True


def _date_parts(day: int, month: int, year: int | None) -> _Parts | None:
    if not 1 <= month <= 12 or not 1 <= day <= 31:
        return None
    if year is not None:
        if not _valid(year, month, day):
            return None
        return _Parts("date", day=day, month=month, year=year)
    if not _valid(2000, month, day):  # 2000 is a leap year: 29 Feb stays possible
        return None
    return _Parts("date", day=day, month=month)


def _match_numeric(t: str, lang: str | None) -> _Parts | None:
    m = _ISO.search(t)
    if m:
        parts = _date_parts(int(m["d"]), int(m["m"]), int(m["y"]))
        if parts:
            return parts
    for m in _NUMERIC.finditer(t):
        a, b = int(m["a"]), int(m["b"])
        day, month = a, b
        if m["sep"] == "/" and a <= 12 and (b > 12 or lang == "en"):
            day, month = b, a  # US month-first, only where English says so or day > 12
        parts = _date_parts(day, month, _year(m["y"]))
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


# days named by their feast: a day and month without a year, like "14 February"
_HOLIDAYS: tuple[tuple[re.Pattern[str], int, int], ...] = (
    (re.compile(r"\bvalentin(?:e'?s|s)?[ -]?(?:tag|day)\b"), 14, 2),
    (re.compile(r"\b(?:heilig(?:er)?[ -]?abend|christmas eve|xmas eve)\b"), 24, 12),
    (re.compile(r"\b(?:christmas day|1\.? weihnachtstag|erste[nr]? weihnachtstag)\b"), 25, 12),
    (re.compile(r"\b(?:silvester|new year'?s eve|nye)\b"), 31, 12),
    (re.compile(r"\b(?:neujahr|new year'?s day)\b"), 1, 1),
    (re.compile(r"\bhalloween\b"), 31, 10),
)


_HOLIDAY_YEAR = re.compile(r"\b(20\d\d)\b")


def _match_holiday(t: str) -> _Parts | None:
    for pattern, day, month in _HOLIDAYS:
        if pattern.search(t):
            year = _HOLIDAY_YEAR.search(t)
            return _date_parts(day, month, int(year[1]) if year else None)
    return None


def _match_month_name(t: str) -> _Parts | None:
    for pattern in (_DAY_MONTH, _MONTH_DAY):
        for m in _search_all(pattern, t):
            month = _month(m["m"])
            if month is not None:
                parts = _date_parts(int(m["d"]), month, _year(m["y"]))
                if parts:
                    return parts
    return None


def _iso_week(week: int, year: int) -> date | None:
    try:
        return date.fromisocalendar(year, week, 1)
    except ValueError:
        return None


def _match_calendar_week(t: str, ref: date) -> _Parts | None:
    m = _CALENDAR_WEEK.search(t)
    if not m:
        return None
    week = int(m["w"] or m["w2"])
    year = _year(m["y"] or m["y2"])
    if year is None:
        monday = _iso_week(week, ref.year)
        # The week is this year's unless its Friday has already passed.
        if monday is None or monday + timedelta(days=4) < ref:
            monday = _iso_week(week, ref.year + 1)
    else:
        monday = _iso_week(week, year)
    if monday is None:
        return None
    return _Parts("fixed", fixed=monday, end=monday + timedelta(days=4))


def _monday(d: date) -> date:
    return d - timedelta(days=d.weekday())


def _match_weekend(t: str, ref: date, week_offset: int | None) -> _Parts | None:
    m = _WEEKEND.search(t)
    if not m:
        return None
    mod = m["mod"] or ""
    offset = week_offset if week_offset is not None else (
        1 if mod and mod not in ("this", "dieses", "diese") else 0)
    if offset == 0 and ref.weekday() == 6:
        offset = 1  # on a Sunday, "this weekend" can only mean the coming one
    friday = _monday(ref) + timedelta(days=7 * offset + 4)
    sunday = friday + timedelta(days=2)
    return _Parts("fixed", fixed=max(friday, ref), end=sunday)


def _match_weekday(t: str, lang: str | None, week_offset: int | None) -> _Parts | None:
    previous = ""
    for m in _WORD.finditer(t):
        wd = _weekday(m[0], t[m.end():], lang)
        if wd is None:
            previous = m[0]
            continue
        this = previous in _THIS
        day = _BARE_DAY.search(t)
        if day and week_offset is None:  # "Freitag, den 13.": the date, the weekday a hint
            return _Parts("day", day=int(day["d"]), weekday=wd)
        return _Parts("weekday", weekday=wd, week_offset=week_offset, same_day_ok=this)
    return None


def _match_relative(t: str, ref: date) -> _Parts | None:
    m = _IN_N.search(t)
    if m:
        n = word_to_int(m["n"] or m["n2"])
        if n is None and (m["n"] or m["n2"]) in ("a", "an"):
            n = 1
        if n is not None:
            unit = m["u"] or m["u2"]
            days = n * 7 if unit.startswith(("week", "woche")) else n
            return _Parts("fixed", fixed=ref + timedelta(days=days))
    for pattern, days in _RELATIVE_DAYS:
        if pattern.search(t):
            return _Parts("fixed", fixed=ref + timedelta(days=days))
    return None


def _match_bare_day(t: str, ref: date) -> _Parts | None:
    month_ref = _MONTH_REF.search(t)
    if month_ref:
        t = t[: month_ref.start()] + t[month_ref.end():]
    m = _BARE_DAY.search(t)
    if not m or _BARE_DAY.search(t, m.end()):
        return None
    rest = t[: m.start()] + " " + t[m.end():]
    if _DIGIT.search(rest) or any(w not in _FILLER for w in _WORD.findall(rest)):
        return None
    day = int(m["d"])
    if not 1 <= day <= 31:
        return None
    if month_ref:
        month = ref.month if month_ref["this"] else ref.month % 12 + 1
        year = ref.year if month_ref["this"] or ref.month < 12 else ref.year + 1
        return _date_parts(day, month, year)
    return _Parts("day", day=day)


def _take_week_qualifier(t: str) -> tuple[str, int | None]:
    m = _WEEK_QUALIFIER.search(t)
    if not m:
        return t, None
    offset = 2 if m["after"] else 1 if m["next"] else 0
    return (t[: m.start()] + " " + t[m.end():]).strip(), offset


# the words before a replaced date ("instead of the 3rd"); extractor.merge uses them too
INSTEAD_OF = r"instead of|rather than|anstatt|statt|anstelle von|anstelle"
# "the 4th instead of the 3rd", "Mittwoch statt Dienstag": the replaced date is not the date
_REPLACED = re.compile(rf"\s*(?:\b(?:{INSTEAD_OF})|,\s*(?:not|nicht|und nicht|and not))\b.*$")


def _prepare(text: str) -> str:
    t = _TIME.sub(" ", _REPLACED.sub("", fold(text)))
    return _ORDINAL_WORD.sub(lambda m: f"{ORDINALS[m[1]]}th", t).strip()


def _match(t: str, ref: date, lang: str | None, week_offset: int | None = None) -> _Parts | None:
    """The `_Parts` of a prepared text; None when it holds no date expression."""
    if week_offset is None:
        t, week_offset = _take_week_qualifier(t)
    parts = (_match_numeric(t, lang) or _match_month_name(t) or _match_holiday(t)
             or _match_calendar_week(t, ref)
             or _match_weekend(t, ref, week_offset) or _match_weekday(t, lang, week_offset))
    if parts:
        return parts
    if week_offset is None:
        parts = _match_relative(t, ref)
        if parts:
            return parts
    if _MONTH_REF.search(t) and (parts := _match_bare_day(t, ref)):
        return parts  # "the 3rd of next month" is a date, "next month" alone is vague
    if week_offset is not None or _VAGUE_WORDS.search(t):
        return _VAGUE
    if any(w in _MONTHS and len(w) > 2 for w in _WORD.findall(t)):
        return _VAGUE  # a month without a day: "im Mai", "in May"
    return _match_bare_day(t, ref)


# ----------------------------------------------------------------------------- resolving


def _next_date(day: int, month: int, start: date) -> date | None:
    """The first `day`.`month`. on or after `start` (29 February waits for a leap year)."""
    for year in range(start.year, start.year + 9):
        if _valid(year, month, day) and date(year, month, day) >= start:
            return date(year, month, day)
    return None


def _next_day_of_month(day: int, start: date, *, strictly: bool,
                       weekday: int | None = None) -> date | None:
    """The first day-of-month `day` on or after (`strictly`: after) `start`; with a weekday
    hint, the first such date that falls on it within a year, else the first at all."""
    first = None
    year, month = start.year, start.month
    for _ in range(14):
        if _valid(year, month, day):
            d = date(year, month, day)
            if d > start or (d == start and not strictly):
                if weekday is None or d.weekday() == weekday:
                    return d
                first = first or d
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)
    return first


def _resolve(p: _Parts, ref: date, anchor: date | None = None) -> DateParse:
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
        return DateParse(value=_monday(ref) + timedelta(days=7 * p.week_offset + p.weekday))
    start = anchor or ref
    delta = (p.weekday - start.weekday()) % 7
    if delta == 0 and (anchor is not None or not p.same_day_ok):
        delta = 7
    return DateParse(value=start + timedelta(days=delta))


def _borrow(check_in: _Parts, check_out: _Parts) -> _Parts:
    """A bare-day check-in ("[3] to 5 May", "[28.] - 2.1.") takes month and year from its
    check-out, the month before when its day is later than the check-out's."""
    if check_in.kind != "day" or check_out.kind != "date":
        return check_in  # only a written month is borrowed; "[30] to [Tuesday]" stays a guess
    month, year, out_day = check_out.month, check_out.year, check_out.day
    if check_in.day > out_day:
        month -= 1
        if month == 0:
            month, year = 12, (year - 1 if year is not None else None)
    return _date_parts(check_in.day, month, year) or check_in


def _share_week(check_in: _Parts, check_out: _Parts) -> _Parts:
    """A bare weekday check-in takes the week of its check-out ("[Monday] to [Wednesday next
    week]"), unless its day comes later in the week than the check-out's."""
    if (check_in.kind == "weekday" and check_in.week_offset is None
            and check_out.kind == "weekday" and check_out.week_offset is not None
            and check_in.weekday is not None and check_out.weekday is not None
            and check_in.weekday <= check_out.weekday):
        return replace(check_in, week_offset=check_out.week_offset)
    return check_in


def _resolve_pair(check_in: _Parts | None, check_out: _Parts | None, ref: date
                  ) -> tuple[DateParse | None, DateParse | None]:
    if check_in is not None and check_out is not None:
        check_in = _share_week(_borrow(check_in, check_out), check_out)
    din = _resolve(check_in, ref) if check_in is not None else None
    if check_out is None:
        return din, None
    dout = _resolve(check_out, ref, anchor=din.value if din is not None else None)
    if dout.end is not None and check_in is not None:
        # "bis KW 24", "till the weekend": the stay ends with that week or weekend.
        dout = DateParse(value=dout.end)
    return din, dout


# ----------------------------------------------------------------------------- public


def parse_date(text: str, *, reference: date, anchor: date | None = None,
               lang: str | None = None) -> DateParse:
    """The date one expression names, resolved against `reference` (the email's date).

    `anchor`: the check-in date, when `text` is a check-out; partial dates ("5.", "the 7th",
    "Friday") then resolve to the first match after it. `lang` ("en", "de") only decides
    whether "05/03/2026" is month-first (en) or day-first (anything else; a first number
    over 12 is a day either way). Unparseable text gives `DateParse()` (value None, not vague).
    """
    parts = _match(_prepare(text), reference, lang)
    if parts is None:
        return DateParse()
    return _resolve(parts, reference, anchor)


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
        pin = _match(_prepare(check_in_text), reference, lang)
    if check_out_text is not None:
        pout = _match(_prepare(check_out_text), reference, lang)
    din, dout = _resolve_pair(pin, pout, reference)
    if check_in_text is not None and din is None:
        din = DateParse()
    if check_out_text is not None and dout is None:
        dout = DateParse()
    return din, dout


_RANGE_INTRO = re.compile(
    r"^(?:(?P<between>between|zwischen)|from|vom|von|ab|starting|beginning|the\s+period"
    r"|zeitraum|period)\b\s*:?\s*"
)
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
    t = _prepare(text)
    t, week_offset = _take_week_qualifier(t)
    intro = _RANGE_INTRO.match(t)
    between = bool(intro and intro["between"])
    if intro:
        t = t[intro.end():]
    for m in _CONNECTOR.finditer(t):
        if m["and"] and not between:
            continue
        left, right = t[: m.start()].strip(" ,:"), t[m.end():].strip(" ,:")
        if not left or not right:
            continue
        pin = _match(left, reference, lang, week_offset)
        pout = _match(right, reference, lang, week_offset)
        if pin is None or pout is None or "vague" in (pin.kind, pout.kind):
            continue
        din, dout = _resolve_pair(pin, pout, reference)
        if din is not None and dout is not None and din.value and dout.value:
            if din.end is not None:
                din = replace(din, end=None)
            return din, dout
    whole = _match(t, reference, lang, week_offset)
    if whole is not None and whole.kind == "fixed" and whole.end is not None:
        return DateParse(value=whole.fixed), DateParse(value=whole.end)
    return None
