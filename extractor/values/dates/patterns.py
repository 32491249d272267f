"""The regular expressions of date expressions, over folded text (`fold`: lowercase, "ae"
for "ä"); their words are the lexicon's (`calendar`, `cues.instead_of`)."""

from __future__ import annotations

import re

from extractor.lexicon import alternation, lexicon
from extractor.values.dates.vocabulary import MONTHS
from extractor.values.numbers import ORDINALS

_CALENDAR = lexicon().calendar

_ORD = r"(?:st|nd|rd|th|ten|ter|te)"
_YEAR = r"(?P<y>\d{4}|'\d{2})(?!\d)"
TIME = re.compile(
    r"\b(?:um|at|ab|gegen|around|by)?\s*\d{1,2}(?::\d{2}|[.:]\d{2}\s*uhr|\s*uhr|\s*h\b"
    r"|\s*(?:am|pm|a\.m\.|p\.m\.))(?!\w)"
)
ORDINAL_WORD = re.compile(
    r"\b(" + "|".join(sorted(map(re.escape, ORDINALS), key=len, reverse=True)) + r")\b"
)
ISO = re.compile(r"(?<!\d)(?P<y>\d{4})\s*[-./]\s*(?P<m>\d{1,2})\s*[-./]\s*(?P<d>\d{1,2})(?!\d)")
NUMERIC = re.compile(
    r"(?<![\d.,/])(?P<a>\d{1,2})\s*(?P<sep>[./])\s*(?P<b>\d{1,2})"
    r"(?:\s*(?P=sep)\s*(?P<y>\d{4}|\d{2})(?!\d))?(?:\.|(?![\d,]))"
)
DAY_MONTH = re.compile(
    rf"(?<![\d.,])(?P<d>\d{{1,2}}){_ORD}?\.?\s*(?:of\s+|-\s*|/\s*)?(?:the\s+)?"
    rf"(?P<m>[a-z]{{3,12}})\b\.?(?:\s*[,\-/]?\s*{_YEAR})?"
)
MONTH_DAY = re.compile(
    rf"\b(?P<m>[a-z]{{3,12}})\.?\s*(?:the\s+)?(?P<d>\d{{1,2}}){_ORD}?(?!\d)\.?"
    rf"(?:(?:\s*,\s*|\s+){_YEAR})?"
)
CALENDAR_WEEK = re.compile(
    r"\b(?:kw|cw|wk|kalenderwoche|calendar\s+week|week|woche)\s*\.?\s*(?:nr\.?|no\.?|#)?\s*"
    r"(?P<w>\d{1,2})(?!\d)(?:\s*/\s*(?P<y>\d{4})(?!\d)|\s*'(?P<y2>\d{2})(?!\d))?"
    r"|(?<![\d.])(?P<w2>\d{1,2})\s*\.\s*(?:kw|kalenderwoche)\b"
)
WEEK_QUALIFIER = re.compile(
    r"\b(?:(?P<after>the\s+week\s+after\s+next|week\s+after\s+next|uebernaechste[nrs]?\s+woche)"
    r"|(?P<next>next|naechste[nrs]?|kommende[nrs]?|following|upcoming|coming)\s+(?:week|woche)"
    r"|(?P<this>this|diese[nrs]?|current|laufende[nrs]?)\s+(?:week|woche)"
    r"|(?:in\s+)?(?P<n>two|three|four|2|3|4|zwei|drei|vier)\s+(?:weeks|wochen))\b"
)
WEEKEND = re.compile(
    r"\b(?:(?P<mod>this|next|coming|dieses|diese|naechstes|naechste|kommendes|kommende"
    r"|following)\s+)?(?:weekend|wochenende)\b"
)
THIS = frozenset(_CALENDAR.this_words)
RELATIVE_DAYS = (
    (re.compile(r"\b(?:the\s+)?day\s+after\s+tomorrow\b|\buebermorgen\b"), 2),
    (re.compile(r"\b(?:tomorrow|tmrw|tmr|tomorow|tommorow|tommorrow|2morrow)\b"
                r"|(?<!\bam )(?<!\bden )(?<!\bjeden )\bmorgen\b"), 1),
    (re.compile(r"\b(?:today|tonight|heute|heut|this\s+evening)\b"), 0),
)
IN_N = re.compile(
    r"\b(?:in\s+(?P<n>\d{1,2}|[a-z]+)\s+(?P<u>days?|tagen?|weeks?|wochen?)"
    r"|(?P<n2>\d{1,2}|[a-z]+)\s+(?P<u2>days?|weeks?)\s+from\s+(?:now|today))\b"
)
VAGUE_WORDS = re.compile(
    r"\b(?:anfang|ende|mitte|beginning|start|end|middle|mid|early|late|later|sometime"
    r"|some\s+time|irgendwann|spaeter|frueh|soon|bald|asap|demnaechst|zeitnah|sommer|summer"
    r"|winter|spring|fruehling|fruehjahr|autumn|fall|herbst|monats\w+|\w*haelfte|half"
    r"|(?:next|this|naechste[nrs]?|kommende[nrs]?|diese[nrs]?)\s+(?:month|monat|year|jahr))\b"
    # German compounds of a month: "Maihälfte", "Juniwoche", "Julimitte"
    r"|\b(?:" + "|".join(MONTHS) + r")(?:woche|mitte|anfang|ende)\b"
)
MONTH_REF = re.compile(
    r"\b(?P<this>this\s+month|dieses\s+monats|diesen\s+monat|des\s+monats)\b"
    r"|\b(?P<next>next\s+month|naechsten\s+monats|kommenden\s+monats)\b"
)
BARE_DAY = re.compile(rf"(?<![\d.,:/])(?P<d>\d{{1,2}}){_ORD}?\.?(?![\d])")
# Words that may stand around a bare day in a date span without changing its meaning.
FILLER = frozenset(_CALENDAR.filler_words)
WORD = re.compile(r"[a-z]+")
DIGIT = re.compile(r"\d")
# days named by their feast: the lexicon's `calendar.holidays` (a day and month, days after
# Easter Sunday, or the nth weekday of a month), each with its pattern compiled
HOLIDAYS = tuple((re.compile(h.pattern), h) for h in _CALENDAR.holidays)
# the same feasts found in a text as written, any case ("New Years Eve", "FRONLEICHNAM")
FEASTS = tuple(re.compile(h.pattern, re.IGNORECASE) for h in _CALENDAR.holidays)
# "the 4th instead of the 3rd", "Mittwoch statt Dienstag": the replaced date is not the date
_INSTEAD_OF = alternation(lexicon().cues.instead_of)
REPLACED = re.compile(rf"\s*(?:\b{_INSTEAD_OF}|,\s*(?:not|nicht|und nicht|and not))\b.*$")
