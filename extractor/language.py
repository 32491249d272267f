"""Language of a text: English or German (lingua, restricted to the two we read)."""

from __future__ import annotations

from functools import lru_cache

from lingua import Language, LanguageDetector, LanguageDetectorBuilder

_CODES = {Language.ENGLISH: "en", Language.GERMAN: "de"}
# a text whose minority language holds at least this share of its sentences' letters is "mixed"
MIXED_SHARE = 0.25
_MIN_WORDS = 4


@lru_cache(maxsize=1)
def _detector() -> LanguageDetector:
    return LanguageDetectorBuilder.from_languages(*_CODES).with_preloaded_language_models().build()


# the pipeline asks twice per message (its stays' dates, then its result): the second is free
@lru_cache(maxsize=256)
def detect_language(text: str) -> str | None:
    """"en", "de" or "mixed" for `text`; None when it holds no letters to judge by."""
    sample = text[:4000]
    if not any(c.isalpha() for c in sample):
        return None
    detector = _detector()
    letters = {"en": 0, "de": 0}
    for line in sample.splitlines():
        prose = _without_names(line)
        if len(prose.split()) >= _MIN_WORDS:
            lang = detector.detect_language_of(prose)
            if lang is not None:
                letters[_CODES[lang]] += sum(c.isalpha() for c in prose)
    total = letters["en"] + letters["de"]
    if total and min(letters.values()) / total >= MIXED_SHARE:
        return "mixed"
    if total:
        return max(letters, key=lambda k: letters[k])
    lang = detector.detect_language_of(sample)
    return _CODES[lang] if lang is not None else None


def _without_names(line: str) -> str:
    """`line` without the capitalised words inside its sentences: names and places say
    nothing of the language they stand in ("names: Chiara Lindqvist, Ingrid Okonkwo" read as
    German); the small words around them do."""
    words = line.split()
    return " ".join(w for k, w in enumerate(words)
                    if k == 0 or not w[:1].isupper() or words[k - 1].endswith((".", "!", "?", ":")))
