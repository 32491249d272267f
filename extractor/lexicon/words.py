"""The word lists' own types: distinct lowercase words (`Words`), ISO 4217 codes (`Codes`),
and the spellings of a word with umlauts, shared by the lexicon's schema and its readers."""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable
from typing import Annotated

from pydantic import AfterValidator

# each umlaut (and ß) with how it is spelled out: the one table the other spellings use
SPELLED_OUT = {"ä": "ae", "ö": "oe", "ü": "ue", "ß": "ss"}
_UMLAUTS = str.maketrans(SPELLED_OUT)
_DROPPED = str.maketrans({"ä": "a", "ö": "o", "ü": "u", "ß": "ss"})


def spellings(word: str) -> tuple[str, ...]:
    """`word` as written, with umlauts spelled out, and with umlauts dropped ("märz" ->
    "märz", "maerz", "marz"); one entry for a word without umlauts."""
    return tuple(dict.fromkeys((word, word.translate(_UMLAUTS), word.translate(_DROPPED))))


def _distinct(words: tuple[str, ...]) -> tuple[str, ...]:
    twice = [w for w, n in Counter(words).items() if n > 1]
    if twice:
        raise ValueError(f"listed more than once: {twice}")
    if any(not w or w != w.strip() for w in words):
        raise ValueError("an empty word or one with spaces around it")
    return words


def _lowercase(words: tuple[str, ...]) -> tuple[str, ...]:
    upper = [w for w in words if w != w.lower()]
    if upper:
        raise ValueError(f"words are written lowercase: {upper}")
    return words


def _codes(codes: tuple[str, ...]) -> tuple[str, ...]:
    bad = [c for c in codes if not re.fullmatch(r"[A-Z]{3}", c)]
    if bad:
        raise ValueError(f"not an ISO 4217 code: {bad}")
    return codes


Words = Annotated[tuple[str, ...], AfterValidator(_distinct), AfterValidator(_lowercase)]
Codes = Annotated[tuple[str, ...], AfterValidator(_distinct), AfterValidator(_codes)]


def unique(*lists: Iterable[str]) -> tuple[str, ...]:
    """The words of `lists` in order, each once."""
    return tuple(dict.fromkeys(w for words in lists for w in words))
