"""The words of dates: month and weekday names (from the lexicon's `calendar` section) looked
up in folded spelling, typos forgiven for the long ones."""

from __future__ import annotations

import difflib
import re
from functools import lru_cache

from extractor.lexicon import lexicon, spellings
from extractor.values.numbers import fold

_CALENDAR = lexicon().calendar


def _table(entries: tuple[tuple[int, tuple[str, ...]], ...]) -> dict[str, int]:
    """Folded spelling -> number (1 = January for months, 0 = Monday for weekdays)."""
    return {fold(s): n for n, words in entries for w in words for s in spellings(w)}


MONTHS = _table(tuple((n, m.names + m.abbreviations) for n, m in enumerate(_CALENDAR.months, 1)))
_MONTH_FULL = tuple(w for w in MONTHS if len(w) >= 5)
WEEKDAYS = _table(tuple((n, d.names + d.abbreviations) for n, d in enumerate(_CALENDAR.weekdays)))
_WEEKDAY_FULL = tuple(w for w in WEEKDAYS if len(w) >= 6)
# Month names that are also first names: never read as calendar words on their own.
_CALENDAR_WORDS = frozenset(_MONTH_FULL + _WEEKDAY_FULL) - frozenset(_CALENDAR.first_names)
# German two-letter abbreviations ("Mo-Mi", "Fr., 7.5."): not in English text, where "do" and
# "so" are words, and only where an abbreviation can stand ("so bald wie möglich" is no Sunday).
_WEEKDAYS_DE_SHORT = {w: n for n, w in enumerate(_CALENDAR.weekday_abbreviations_de)}
_AFTER_SHORT_WEEKDAY = re.compile(r"\s*(?:[.,/–—-]|\d|$|(?:bis|und|to)\b)")
_BEFORE_SHORT_WEEKDAY = re.compile(
    r"(?:[-–/]|\b(?:bis|und|von|vom|ab|am|anreise|abreise|from|to|until))\s*$", re.IGNORECASE)


def is_calendar_word(word: str) -> bool:
    """Whether `word` is a month or weekday name ("Jänner", "Dienstag") that is no first name."""
    return fold(word.strip(" .,")) in _CALENDAR_WORDS


@lru_cache(maxsize=4096)
def _fuzzy(word: str, table: tuple[str, ...]) -> str | None:
    """The entry of `table` that `word` is a typo of ("febuary", "decmber", "wendesday")."""
    if len(word) < 5:
        return None
    hits = difflib.get_close_matches(word, table, n=1, cutoff=0.8)
    return hits[0] if hits and hits[0][0] == word[0] else None


def month(word: str) -> int | None:
    """The month (1-12) a folded word names ("maerz", "sept.", "febuary"), or None."""
    word = word.rstrip(".")
    if word in MONTHS:
        return MONTHS[word]
    hit = _fuzzy(word, _MONTH_FULL)
    return MONTHS[hit] if hit else None


def short_weekday_in_prose(word: str, before: str, after: str) -> bool:
    """Whether `word`, a German weekday's two letters ("so", "do"), is a word of the sentence
    that `before` and `after` stand around ("Seoul bleibt [so] wie gebucht"), no day ("di bis
    [do] bitte" is one)."""
    return (word.casefold() in _WEEKDAYS_DE_SHORT and not _AFTER_SHORT_WEEKDAY.match(after)
            and not _BEFORE_SHORT_WEEKDAY.search(before))


def weekday(word: str, after: str, lang: str | None) -> int | None:
    """The weekday (0 = Monday) a folded word names; `after` is the text that follows it."""
    if word in WEEKDAYS:
        return WEEKDAYS[word]
    for full in _WEEKDAY_FULL:  # German compounds: "Freitagabend", "montags"
        if word.startswith(full):
            return WEEKDAYS[full]
    if word in _WEEKDAYS_DE_SHORT:
        if lang == "en" or not _AFTER_SHORT_WEEKDAY.match(after):
            return None
        return _WEEKDAYS_DE_SHORT[word]
    hit = _fuzzy(word, _WEEKDAY_FULL)
    return WEEKDAYS[hit] if hit else None
