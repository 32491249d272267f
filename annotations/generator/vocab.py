"""The generator's word lists: cities, people, hotels, places and phrasings, read from `data/`.

The lists are data, not code, so adding a phrasing or a city needs no Python. Everything is read
once per process and shared read-only.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

DATA_DIR = Path(__file__).parent / "data"
_MARK = re.compile(r"\[\[([^\[\]|]+)\|[a-z_]+\]\]")


@dataclass(frozen=True)
class City:
    """A city: `name` is the normalized English value, `de` the German form, `alt` other
    spellings."""

    name: str
    de: str
    alt: tuple[str, ...]
    cc: str
    weight: int


@dataclass(frozen=True)
class Vocab:
    cities: tuple[City, ...]
    city_weights: tuple[int, ...]
    people: dict[str, Any]
    hotels: dict[str, Any]
    places: dict[str, Any]
    negatives: dict[str, Any]
    changes: dict[str, Any]
    dates: dict[str, Any]
    books: dict[str, dict[str, Any]]

    def book(self, lang: str) -> dict[str, Any]:
        """The phrasebook of `lang` ("en" or "de")."""
        return self.books[lang]


def _load(name: str) -> dict[str, Any]:
    with open(DATA_DIR / name, encoding="utf-8") as f:
        data: dict[str, Any] = json.load(f)
    return data


@cache
def vocab() -> Vocab:
    """All word lists, loaded once."""
    raw = _load("cities.json")["cities"]
    cities = tuple(
        City(name=c["name"], de=c.get("de", c["name"]), alt=tuple(c.get("alt", ())), cc=c["cc"],
             weight=int(c.get("w", 1)))
        for c in raw
    )
    return Vocab(
        cities=cities,
        city_weights=tuple(c.weight for c in cities),
        people=_load("people.json"),
        hotels=_load("hotels.json"),
        places=_load("places.json"),
        negatives=_load("negatives.json"),
        changes=_load("changes.json"),
        dates=_load("dates.json"),
        books={"en": _load("en.json"), "de": _load("de.json")},
    )


def mark(text: str, label: str) -> str:
    """`text` as an inline span of `label`: `[[text|label]]`."""
    if any(ch in text for ch in "[]|") or text != text.strip() or not text:
        raise ValueError(f"cannot mark {text!r} as {label}")
    return f"[[{text}|{label}]]"


def plain(markup: str) -> str:
    """`markup` with its span marks removed (for mentions that must not be labelled)."""
    return _MARK.sub(r"\1", markup)


def cap(markup: str) -> str:
    """`markup` with the first letter of its text upper-cased (marks are skipped)."""
    i = 0
    while i < len(markup):
        if markup.startswith("[[", i):
            i += 2
            continue
        ch = markup[i]
        if ch.isalpha():
            return markup[:i] + ch.upper() + markup[i + 1 :]
        if ch.isdigit():
            return markup
        i += 1
    return markup
