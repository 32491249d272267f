"""The lexicon: every word list of the steps after the model, as data, in one place.

One JSON file per section (`calendar.json`, `cues.json`, `money.json`, `names.json`,
`people.json`, `places.json`, `rooms.json`), validated by the models of `extractor.lexicon.schema` and read
once. Code builds its regexes and sets from these lists (`alternation`), and the rule
patterns name them instead of copying them (`{"LOWER": {"IN": {"lexicon": "money.currency_tokens"}}}`,
see `word_list`).
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable
from functools import cache
from importlib import resources
from typing import Any

from pydantic import ValidationError

from extractor.lexicon.schema import SPELLED_OUT, Lexicon, spellings

__all__ = ["SPELLED_OUT", "Lexicon", "LexiconError", "airports", "alternation", "cities", "city_spellings",
           "eur_per_unit", "lexicon", "local_currencies", "short_forms", "spellings",
           "umlauts_either", "word_list"]

SECTIONS = tuple(Lexicon.model_fields)


class LexiconError(ValueError):
    """A lexicon file that does not match its schema, or a reference to no word list."""


def load_section(name: str, raw: str) -> object:
    """The validated model of section `name` from the JSON text `raw`; LexiconError (E301)
    naming the file and the key when it does not fit."""
    model = Lexicon.model_fields[name].annotation
    assert isinstance(model, type)
    try:
        return model.model_validate_json(raw)  # type: ignore[attr-defined]
    except ValidationError as err:
        raise LexiconError(f"E301 lexicon file {name}.json does not fit its schema: {err}") from err


@cache
def lexicon() -> Lexicon:
    """The lexicon, read and validated once."""
    files = resources.files("extractor.lexicon")
    return Lexicon.model_validate({
        name: load_section(name, files.joinpath(f"{name}.json").read_text(encoding="utf-8"))
        for name in SECTIONS})


def word_list(path: str) -> tuple[str, ...]:
    """The word list at `path`, "section.name" ("money.currency_tokens", "people.titles");
    LexiconError (E302) when there is none."""
    section, _, name = path.partition(".")
    value = getattr(getattr(lexicon(), section, None), name, None) if section in SECTIONS else None
    if not (isinstance(value, tuple) and all(isinstance(w, str) for w in value)):
        raise LexiconError(f"E302 no word list {path!r} in the lexicon")
    return value


# the space between two words of a phrase, also where a hard-wrapped line breaks ("Tom und\nich")
_PHRASE_SPACE = r"(?:[ \t]*\n[ \t]*|[ \t]+)"


def alternation(words: Iterable[str]) -> str:
    """A regex group matching any of `words` literally, longest first (so "anstelle von" is
    tried before "anstelle"), each also with its umlauts spelled out or dropped ("für",
    "fuer", "fur": `spellings`); a space of a phrase matches spaces or one line break."""
    ordered = sorted(dict.fromkeys(s for w in words for s in spellings(w)), key=len, reverse=True)
    return "(?:" + "|".join(re.escape(w).replace("\\ ", _PHRASE_SPACE) for w in ordered) + ")"


@cache
def _city_file() -> dict[str, Any]:
    """`extractor/data/cities.json` (its tables and their notes), read once."""
    raw = resources.files("extractor").joinpath("data/cities.json").read_text(encoding="utf-8")
    tables: dict[str, Any] = json.loads(raw)
    return tables


def cities() -> dict[str, list[str]]:
    """The city table of `extractor/data/cities.json`: each city's value with its other
    spellings (extractor.values.places looks cities up in it)."""
    table: dict[str, list[str]] = _city_file()["cities"]
    return table


def airports() -> dict[str, list[str]]:
    """The airports of `extractor/data/cities.json`, by the city whose destination value they
    are ("Heathrow": London); no spelling of the city, so no text scan finds them."""
    table: dict[str, list[str]] = _city_file()["airports"]
    return table


def short_forms() -> dict[str, list[str]]:
    """The short forms of `extractor/data/cities.json` ("BCN", "KL", "Melb"), by the city whose
    destination value they are; read only where a destination span is one, never in a text
    scan ("DC", "MAD" and "SIN" are words too)."""
    table: dict[str, list[str]] = _city_file()["short_forms"]
    return table


@cache
def _currency_file() -> dict[str, Any]:
    """`extractor/data/currencies.json` (its tables and their notes), read once."""
    raw = resources.files("extractor").joinpath("data/currencies.json").read_text(encoding="utf-8")
    tables: dict[str, Any] = json.loads(raw)
    return tables


@cache
def local_currencies() -> dict[str, str]:
    """The currency each city of the city table pays in, by its destination value
    (`extractor/data/currencies.json`): "Berlin" -> "EUR", "Melbourne" -> "AUD"."""
    return {city: code for code, cities_ in _currency_file()["local"].items() for city in cities_}


def eur_per_unit() -> dict[str, float]:
    """What one unit of a currency is worth in euros, roughly (`data/currencies.json`): only
    its order of magnitude is used, to tell a plausible room price."""
    table: dict[str, float] = _currency_file()["eur_per_unit"]
    return table


@cache
def stop_words() -> frozenset[str]:
    """spaCy's English and German stop words, lowercase: words no name of a place, hotel or
    person is made of alone ("Here", "Dafür", "He")."""
    from spacy.lang.de.stop_words import STOP_WORDS as DE_STOP_WORDS
    from spacy.lang.en.stop_words import STOP_WORDS as EN_STOP_WORDS

    return frozenset(EN_STOP_WORDS | DE_STOP_WORDS)


@cache
def city_spellings() -> frozenset[str]:
    """Every city name and alias of the city table as written, lowercased."""
    return frozenset(s.lower() for name, aliases in cities().items() for s in (name, *aliases))


_EITHER = str.maketrans({u: f"(?:{u}|{out})" for u, out in SPELLED_OUT.items()})


def umlauts_either(pattern: str) -> str:
    """A regex `pattern` (umlauts outside character classes) that also matches its words with
    umlauts spelled out ("schöne grüße" matches "Schoene Gruesse")."""
    return pattern.translate(_EITHER)
