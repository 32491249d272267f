"""A span's text trimmed to the value it names: whitespace collapsed, punctuation, quotes and
unbalanced brackets stripped from the ends (the names of places, hotels and people)."""

from __future__ import annotations

import re

EDGE = " \t\n.,;:!?\"'“”„‚‘’«»-–—*"
_OPEN, _CLOSE = "([{", ")]}"
# A trailing dot that belongs to an abbreviation stays: "Kölner Str.", "Main St."
_ABBREV_END = re.compile(r"\b(?:str|st|ave|rd|blvd|pl|nr|co|inc|ltd|jr|sr|bhf|hbf)\.$",
                         re.IGNORECASE)


def trim(text: str) -> str:
    """Whitespace collapsed; punctuation, quotes and unbalanced brackets stripped from the
    ends ("Marriott (Messe)" keeps its brackets, "Adlon)" loses its one)."""
    t = " ".join(text.split())
    keep_dot = bool(_ABBREV_END.search(t))
    while True:
        before = t
        t = t.strip(EDGE)
        if t and t[0] in _OPEN and t.count(t[0]) > t.count(_CLOSE[_OPEN.index(t[0])]):
            t = t[1:]
        if t and t[-1] in _CLOSE and t.count(t[-1]) > t.count(_OPEN[_CLOSE.index(t[-1])]):
            t = t[:-1]
        if t == before:
            break
    return t + "." if keep_dot and not t.endswith(".") else t
