"""Who wrote an earlier message of a thread, and when, from its intro line or header block.

A reply's intro holds both in one line ("On Mon, 3 Feb 2025 at 10:12, Anna Weber <anna@x.de>
wrote:", "Am 03.02.2025 um 10:12 schrieb Anna Weber <anna@x.de>:"); a forward or an Outlook
block holds them in header lines ("From: / Sent:", "Von: / Gesendet:", Gmail's "From: / Date:"),
which `extractor.history` reads. A date in RFC 5322 form with its offset is read by
`email.utils`; any other (English or German month and day names, "03.02.2025 um 10:12",
"February 3, 2025 4:05 PM") by `dateutil` without a time zone. Such a date comes back naive: the
reader gives it the offset of the email's own Date header, since mail clients write the intro
in their user's local time. A date without a year is not guessed: it is None, as is whatever
cannot be read.
"""

from __future__ import annotations

import datetime as dt
import re
import warnings
from email.utils import parseaddr, parsedate_to_datetime

from dateutil import parser as date_parser

_MAX_CHARS = 300  # of an intro or a header value: dates and names are short
_MAX_AUTHOR_CHARS = 200
# A year written out, or a numeric date with a two-digit year ("03.02.25").
_HAS_YEAR = re.compile(r"\b(?:19|20)\d{2}\b|\b\d{1,2}[./]\d{1,2}[./]\d{2}\b")
_RFC_OFFSET = re.compile(r"\d:\d{2}(?::\d{2})?\s+(?:[+-]\d{4}|GMT|UTC?)\s*(?:\([^()]*\))?$", re.I)
_US_SLASHES = re.compile(r"\b\d{1,2}/\d{1,2}/\d{2,4}\b.*\b[ap]\.?m\b", re.I)
_YEAR_FIRST = re.compile(r"\b\d{4}[/-]\d{1,2}[/-]\d{1,2}\b")
_NUMERIC_DATE = re.compile(r"\b\d{1,4}[./-]\d{1,2}[./-]\d{2,4}\b")
# The end of an intro's date: its time, with what clients write after it.
_TIME = re.compile(r"\d{1,2}:\d{2}(?::\d{2})?(?:\s*[ap]\.?\s?m\b\.?)?(?:\s*uhr\b)?"
                   r"(?:\s*\(?(?:[+-]\d{2}:?\d{2}|(?:GMT|UTC|CES?T|MES?Z)(?:[+-]\d{1,2}(?::?\d{2})?)?)"
                   r"\)?)?", re.I)
_DATE_FIRST = re.compile(r"^(?:on|am|le|el|em|den|op)\s+(?P<rest>.+)$", re.I | re.S)
# Where the verb sits between the date and the writer: "Am DATE schrieb USER:".
_VERB_MIDDLE = re.compile(r"^(?P<date>.+?)\s+(?:schrieb|skrev|schreef)\s+(?P<user>.+?)\s*:?$",
                          re.I | re.S)
_VERB_END = re.compile(r"\s*(?:wrote|a écrit|escribió|escreveu|heeft .* geschreven)\s*:?\s*$",
                       re.I | re.S)
_USER_FIRST = re.compile(r"^(?P<user>.+?)\s+(?:wrote|schrieb)\s+(?:on|am)\s+(?P<date>.+?)\s*:?$",
                         re.I | re.S)
_ISO_DATE_USER = re.compile(r"^(?P<date>\d{4}/\d{1,2}/\d{1,2})\s+(?P<user>.+)$")
_ANGLE = re.compile(r"^(?P<name>[^<>]*)<(?P<addr>[^<>]*)>")
_MAILTO = re.compile(r"^(?P<name>[^\[\]]*)\[mailto:(?P<addr>[^\[\]]*)\]", re.I)


class _Names(date_parser.parserinfo):
    """dateutil's English names with the German ones beside them ("Montag, 3. Februar")."""

    MONTHS = [("Jan", "January", "Januar", "Jän", "Jänner"), ("Feb", "February", "Februar"),
              ("Mar", "March", "März", "Mär", "Maerz"), ("Apr", "April"), ("May", "Mai"),
              ("Jun", "June", "Juni"), ("Jul", "July", "Juli"), ("Aug", "August"),
              ("Sep", "Sept", "September"), ("Oct", "October", "Okt", "Oktober"),
              ("Nov", "November"), ("Dec", "December", "Dez", "Dezember")]
    WEEKDAYS = [("Mon", "Monday", "Montag", "Mo"), ("Tue", "Tuesday", "Dienstag", "Di"),
                ("Wed", "Wednesday", "Mittwoch", "Mi"), ("Thu", "Thursday", "Donnerstag", "Do"),
                ("Fri", "Friday", "Freitag", "Fr"), ("Sat", "Saturday", "Samstag", "Sa"),
                ("Sun", "Sunday", "Sonntag", "So")]
    JUMP = [*date_parser.parserinfo.JUMP, "um", "uhr", "den"]


_DAY_FIRST = _Names(dayfirst=True)
_MONTH_FIRST = _Names(dayfirst=False)
# A month dateutil knows by name: without one (nor a numeric date) a fuzzy parse would build a
# date from stray numbers ("3 févr. 2025" as 5 March).
_MONTH_WORDS = "|".join(re.escape(name) for names in _Names.MONTHS for name in names)
_MONTH_NAME = re.compile(rf"\b(?:{_MONTH_WORDS})\b", re.I)


def _squeeze(text: str) -> str:
    """White space collapsed, cut to `_MAX_CHARS` (a long line costs nothing to look at)."""
    return " ".join(text[: 4 * _MAX_CHARS].split())[:_MAX_CHARS]


def sent_at(text: str) -> dt.datetime | None:
    """The date and time in `text` (an intro's date part or a Date/Sent/Gesendet value):
    aware when it is written with an offset in RFC 5322 form, naive otherwise, None when
    it has no year or cannot be read. "03/02/2025" is read day first unless an am/pm marks
    it as written in the US."""
    text = _squeeze(text)
    if not _HAS_YEAR.search(text) or not (_MONTH_NAME.search(text)
                                           or _NUMERIC_DATE.search(text)):
        return None
    if _RFC_OFFSET.search(text):
        try:
            return parsedate_to_datetime(text)
        except (TypeError, ValueError, IndexError, OverflowError):
            pass
    month_first = _US_SLASHES.search(text) or _YEAR_FIRST.search(text)
    info = _MONTH_FIRST if month_first else _DAY_FIRST
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # dateutil warns about names it skips
            return date_parser.parse(text, parserinfo=info, fuzzy=True, ignoretz=True)
    except (ValueError, OverflowError, TypeError):
        return None


def author(value: str) -> str | None:
    """The writer named in a From/Von value or an intro: the display name, else the
    address ("Weber, Anna <a@x.de>" -> "Weber, Anna"; "Anna [mailto:a@x.de]" -> "Anna")."""
    value = _squeeze(value)
    if m := _ANGLE.match(value) or _MAILTO.match(value):
        name, address = m.group("name"), m.group("addr")
    elif "@" in value:  # a bare address, maybe with a "(comment)" name
        name, address = parseaddr(value)
    else:
        name, address = value, ""
    found = name.strip(" \"',;:*") or address.strip(" *")
    return found[:_MAX_AUTHOR_CHARS] if found and found.isprintable() else None


def _split_date_user(rest: str) -> tuple[str, str] | None:
    """An intro without its verb, "Mon, 3 Feb 2025 at 10:12, Anna <a@x.de>", as date and
    writer: the date ends with its time, or else at the last comma."""
    times = list(_TIME.finditer(rest))
    if times:
        cut = times[-1].end()
        return rest[:cut], rest[cut:].lstrip(" ,")
    date, comma, user = rest.rpartition(",")
    return (date, user) if comma else None


def read_intro(line: str) -> tuple[dt.datetime | None, str | None]:
    """(sent_at, author) from a reply intro ("On DATE, USER wrote:", "Am DATE schrieb USER:",
    "USER wrote on DATE:", "2025/02/03 USER <addr>"); (None, None) for what it cannot split."""
    line = _squeeze(line.lstrip("> "))
    parts: tuple[str, str] | None = None
    if m := _ISO_DATE_USER.match(line):
        parts = m.group("date"), m.group("user")
    elif m := _USER_FIRST.match(line):
        parts = m.group("date"), m.group("user")
    elif m := _DATE_FIRST.match(line):
        rest = m.group("rest")
        if middle := _VERB_MIDDLE.match(rest):
            parts = middle.group("date"), middle.group("user")
        else:
            parts = _split_date_user(_VERB_END.sub("", rest))
    if parts is None:
        return None, None
    date, user = parts
    return sent_at(date), (author(user) if user.strip() else None)
