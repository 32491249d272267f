"""Spelling: the commonest typing slip, two neighbouring letters swapped, mended in the words
that time and shape a stay, before anything reads the text.

"Jaunary", "Nähcte", "Aberise" and "Frietag" hide a date or a stay's length from the model and
the rules alike: one slip lost the nights, the departure and every value derived from them.
The mended words are the lexicon's: month and weekday names, the words of nights and days to
come (`calendar.stay_words`), arrival and departure cues, cancelling verbs, the words that count
guests and children, room codes and breakfast words; and the known cities' names of
`CITY_LETTERS` letters or more ("Hanvoer", "Sotckholm"). A word is mended only when a single
swap of two neighbouring letters makes exactly one of them and the word is none of them already. A swap keeps the length, and each letter keeps the case written
in its place, so offsets into the mended text index into the text as written.
"""

from __future__ import annotations

import re
from functools import cache

from extractor.lexicon import lexicon
from extractor.values.places import city_spellings

MIN_LETTERS = 5  # shorter words have look-alikes ("Mai"/"Mia", "Nacht" is the shortest kept)
CITY_LETTERS = 6  # a five-letter city has words one swap away ("pairs"/"Paris")
_WORD = re.compile(rf"[^\W\d_]{{{MIN_LETTERS},}}")


def _vocabulary() -> frozenset[str]:
    lex = lexicon()
    words = [w for group in (*lex.calendar.months, *lex.calendar.weekdays) for w in group.names]
    words += [*lex.calendar.stay_words, *lex.cues.check_in, *lex.cues.check_out,
              *lex.cues.cancel_verbs, *lex.people.party_words, *lex.people.child_words,
              *lex.rooms.codes, *lex.rooms.breakfast_words]
    words += [c for c in city_spellings() if len(c) >= CITY_LETTERS]
    return frozenset(w for w in words if len(w) >= MIN_LETTERS and w.isalpha())


def _swaps(word: str) -> list[str]:
    return [word[:k] + word[k + 1] + word[k] + word[k + 2:] for k in range(len(word) - 1)
            if word[k] != word[k + 1]]


@cache
def _mends() -> dict[str, str]:
    """Each one-swap misspelling of a vocabulary word, with the word; a misspelling of two
    words, or one that is itself a vocabulary word, is left out."""
    vocabulary = _vocabulary()
    found: dict[str, set[str]] = {}
    for word in vocabulary:
        for typo in _swaps(word):
            found.setdefault(typo, set()).add(word)
    return {typo: next(iter(words)) for typo, words in found.items()
            if len(words) == 1 and typo not in vocabulary}


def _with_case_of(written: str, word: str) -> str:
    return "".join(c.upper() if w.isupper() else c for c, w in zip(word, written, strict=True))


def mended(text: str) -> str:
    """`text` with the one-swap misspellings of the lexicon's stay words mended in place."""
    mends = _mends()

    def mend(m: re.Match[str]) -> str:
        word = mends.get(m.group().lower())
        if word is None or len(word) != len(m.group()):
            return m.group()
        return _with_case_of(m.group(), word)

    return _WORD.sub(mend, text)
