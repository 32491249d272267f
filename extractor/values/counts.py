"""Counts: a nights span -> the number of nights, a rooms or guests span -> how many.

Number words and the summing of parties live in `extractor.values.numbers`; this module adds
what nights need (weeks, "a single night", "overnight").
"""

from __future__ import annotations

import re

from extractor.values.numbers import fold, parse_count, parse_party, word_to_int

_NIGHTS = re.compile(
    r"(?P<n>\d+|[a-z]+(?:-[a-z]+)?)\s*(?P<u>nights?|nites?|naechte|naechten|nacht"
    r"|uebernachtung(?:en)?|uen\b|overnight\s+stays?|overnights|n\b|nts?\b|weeks?|wochen?|fortnight)"
)
_NIGHTS_RANGE = re.compile(r"\d+\s*(?:-|bis|to|or|oder)\s*\d+")
_FORTNIGHT = re.compile(r"\bfortnight\b")
_SINGLE_NIGHT = re.compile(r"\b(?:a|one|eine) (?:single|einzigen?) (?:night|nacht|uebernachtung)\b")
_OVERNIGHT = re.compile(r"\b(?:overnight|ueber nacht)\b")
_BARE_NUMBER = re.compile(r"(?:for\s+|fuer\s+)?\d{1,3}")


def normalize_nights(text: str) -> int | None:
    """The number of nights (`"3 nights"`, `"drei Nächte"`, `"one night"`, `"2
    Übernachtungen"`, `"a single night"`); a week is 7 (`"for a week"`, `"eine Woche"`, `"2
    weeks"` -> 14); a bare number is taken as is. Days (`"3 Tage"`) and ranges (`"3-4 nights"`) give None."""
    t = fold(text)
    if _NIGHTS_RANGE.search(t):
        return None
    if _FORTNIGHT.search(t):
        return 14
    if _SINGLE_NIGHT.search(t):
        return 1
    for m in _NIGHTS.finditer(t):
        n = word_to_int(m["n"])
        if n is None and m["n"] in ("a", "an", "over"):
            n = 1
        if n is None:
            continue
        return n * 7 if m["u"].startswith(("week", "woche")) else n
    if _OVERNIGHT.search(t):
        return 1
    if _BARE_NUMBER.fullmatch(t):
        return int(t.split()[-1])
    return None


def normalize_count(text: str) -> int | None:
    """The number of rooms or people a span states (`"two rooms"`, `"2 Erwachsene + 1 Kind"`
    -> 3); None for none, vague ones or zero. See `extractor.values.numbers.parse_count`."""
    return parse_count(text)


# the writer and whoever the span stops before: "[me and] the missus", "[ich und] meine Frau"
_ME_AND = re.compile(r"\s*(?:me|i|myself|ich|mich|mir)\s*(?:and|und|&|\+)\s*")


def normalize_guests(text: str) -> int | None:
    """The adults a guests span counts (the form's `guests`: `"2 Erwachsene + 1 Kind"` -> 2,
    `"3 people"` -> 3, `"me and"` cut before whom it joins -> 2); None when it counts only
    children or no one."""
    if _ME_AND.fullmatch(fold(text)):
        return 2
    return parse_party(text)[0]


def normalize_children(text: str) -> int | None:
    """The children a guests span counts (`"2 adults and 2 kids"` -> 2), None when none."""
    return parse_party(text)[1]
