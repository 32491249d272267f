"""The lexicon (extractor/lexicon/): every word list once, each file validated."""

from __future__ import annotations

import json
import re
from importlib import resources

import pytest

from extractor.lexicon import (
    SECTIONS,
    LexiconError,
    alternation,
    lexicon,
    load_section,
    word_list,
)


def _lists(model: object, path: str) -> list[tuple[str, tuple[str, ...]]]:
    """Every word list inside a section model, with its path."""
    out = []
    for name in type(model).model_fields:  # type: ignore[attr-defined]
        value = getattr(model, name)
        items = value if isinstance(value, tuple) else (value,)
        if isinstance(value, tuple) and all(isinstance(w, str) for w in value):
            out.append((f"{path}.{name}", value))
        else:
            for i, item in enumerate(items):
                if hasattr(type(item), "model_fields"):
                    out += _lists(item, f"{path}.{name}[{i}]")
    return out


ALL_LISTS = [x for section in SECTIONS for x in _lists(getattr(lexicon(), section), section)]


@pytest.mark.parametrize(("path", "words"), ALL_LISTS, ids=[p for p, _ in ALL_LISTS])
def test_no_list_names_a_word_twice(path, words):
    assert len(set(words)) == len(words), path


@pytest.mark.parametrize("path", [
    "money.currency_tokens", "calendar.month_tokens", "calendar.weekday_tokens",
    "calendar.weekday_names", "people.title_tokens", "people.pronouns",
])
def test_derived_lists_name_each_word_once(path):
    words = word_list(path)
    assert words and len(set(words)) == len(words)


def test_one_currency_word_belongs_to_one_currency():
    seen: dict[str, str] = {}
    for currency in lexicon().money.currencies:
        for word in currency.symbols + currency.words:
            assert seen.setdefault(word, currency.code) == currency.code, word


def test_a_file_with_an_unknown_key_fails_to_load():
    raw = json.loads(resources.files("extractor.lexicon").joinpath("cues.json").read_text())
    raw["instead_off"] = ["statt"]
    with pytest.raises(LexiconError, match=r"(?s)E301 .*cues\.json.*instead_off"):
        load_section("cues", json.dumps(raw))


@pytest.mark.parametrize(("section", "key", "value", "message"), [
    ("cues", "instead_of", ["statt", "statt"], "more than once"),
    ("cues", "instead_of", ["Statt"], "lowercase"),
    ("money", "iso_codes", ["EURO"], "ISO 4217"),
])
def test_a_bad_list_fails_to_load(section, key, value, message):
    raw = json.loads(resources.files("extractor.lexicon").joinpath(f"{section}.json").read_text())
    raw[key] = value
    with pytest.raises(LexiconError, match=message):
        load_section(section, json.dumps(raw))


def test_a_reference_to_no_list_fails():
    with pytest.raises(LexiconError, match="E302"):
        word_list("money.currency_token")
    with pytest.raises(LexiconError, match="E302"):
        word_list("moneys.currency_tokens")


def test_spellings_of_a_month_reach_both_the_rules_and_the_dates():
    # "märz" is written once; its spellings "maerz" and "marz" are derived
    assert {"märz", "maerz", "marz", "mär."} <= set(word_list("calendar.month_tokens"))


def test_a_phrase_of_the_word_lists_matches_across_a_wrapped_line():
    phrase = re.compile(alternation(["und ich", "for me"]))
    assert phrase.search("Lena und\nich teilen uns das Zimmer")
    assert phrase.search("for  me")
    assert not phrase.search("Lena und\n\nich")  # a paragraph ends the phrase


@pytest.mark.parametrize("feast", [
    {"pattern": "x", "month": 11},  # a month alone dates nothing
    {"pattern": "x", "month": 11, "weekday": 3},  # nor without which of its Thursdays
    {"pattern": "x", "day": 4, "month": 7, "easter_offset": 1},  # two ways at once
    {"pattern": "x", "month": 11, "weekday": 9, "nth": 4},  # no such weekday
])
def test_a_feast_says_its_day_one_way_only(feast):
    raw = json.loads(resources.files("extractor.lexicon").joinpath("calendar.json").read_text())
    raw["holidays"] = [*raw["holidays"], feast]
    with pytest.raises(LexiconError):
        load_section("calendar", json.dumps(raw))
