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

import json
import re
from functools import cache
from importlib import resources

from extractor.lexicon import SPELLED_OUT, city_spellings, lexicon

MIN_LETTERS = 5  # shorter words have look-alikes ("Mai"/"Mia", "Nacht" is the shortest kept)
CITY_LETTERS = 6  # a five-letter city has words one swap away ("pairs"/"Paris")
_WORD = re.compile(rf"[^\W\d_]{{{MIN_LETTERS},}}")


@cache
def _known() -> dict[str, frozenset[str]]:
    """The training mail's words (`training/vocabulary.py` writes `data/words.json`)."""
    raw = resources.files("extractor").joinpath("data/words.json").read_text(encoding="utf-8")
    return {key: frozenset(words) for key, words in json.loads(raw).items()}


def _targets() -> frozenset[str]:
    """The words a slip is mended into: the lexicon's stay words and long cities, and the
    training mail's long words but for travellers' names."""
    lex = lexicon()
    words = [w for group in (*lex.calendar.months, *lex.calendar.weekdays) for w in group.names]
    words += [*lex.calendar.stay_words, *lex.cues.check_in, *lex.cues.check_out,
              *lex.cues.cancel_verbs, *lex.people.party_words, *lex.people.child_words,
              *lex.rooms.codes, *lex.rooms.breakfast_words]
    words += [c for c in city_spellings() if len(c) >= CITY_LETTERS]
    words += [w for w in _known()["words"] - _known()["names"] if len(w) >= CITY_LETTERS]
    return frozenset(w for w in words if len(w) >= MIN_LETTERS and w.isalpha())


def swaps(word: str) -> list[str]:
    """`word` with two neighbouring letters swapped, each way it can be."""
    return [word[:k] + word[k + 1] + word[k] + word[k + 2:] for k in range(len(word) - 1)
            if word[k] != word[k + 1]]


@cache
def _mends() -> dict[str, str]:
    """Each one-swap misspelling of a target word, with the word; a misspelling of two words,
    or one that is itself a known word, is left out."""
    targets = _targets()
    known = targets | _known()["words"] | _known()["names"]
    found: dict[str, set[str]] = {}
    for word in targets:
        for typo in swaps(word):
            found.setdefault(typo, set()).add(word)
    return {typo: next(iter(words)) for typo, words in found.items()
            if len(words) == 1 and typo not in known}


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


# Umlauts written out: what the model reads

PAD = "\x01"  # a control character: a BERT-style normalizer drops it (`encoding.encode` checks)
_UMLAUT_OF = {out: u for u, out in SPELLED_OUT.items()}  # "ae" -> "ä"
_DIGRAPH = re.compile("|".join(_UMLAUT_OF), re.IGNORECASE)
_WRITTEN_OUT = re.compile(rf"[^\W\d_]*(?:{_DIGRAPH.pattern})[^\W\d_]*", re.IGNORECASE)
MAX_DIGRAPHS = 4


@cache
def _umlaut_words() -> frozenset[str]:
    """The words the training mail and the city table write with ä, ö, ü or ß, lowercased."""
    return _known()["umlauts"] | {c for c in city_spellings() if any(u in c for u in SPELLED_OUT)}


def _written_back(word: str) -> str | None:
    """`word` with its written-out umlauts written back, at its length (a `PAD` beside each
    umlaut), when the training mail knows the word so; the most changes first (whoever spells
    one umlaut out spells them all out: "Fruehstueck" is "Frühstück", not "Fruehstück")."""
    found = [m.start() for m in _DIGRAPH.finditer(word)]
    if len(found) > MAX_DIGRAPHS:
        return None
    known = _umlaut_words()
    subsets = sorted((s for s in range(1, 1 << len(found))), key=lambda s: -s.bit_count())
    for subset in subsets:
        chosen = [p for k, p in enumerate(found) if subset >> k & 1]
        pieces, at = [], 0
        for p in chosen:
            pair = word[p:p + 2]
            umlaut = _UMLAUT_OF[pair.lower()]
            umlaut = umlaut.upper() if pair[0].isupper() and umlaut != "ß" else umlaut
            pieces += [word[at:p], umlaut + PAD if p == 0 else PAD + umlaut]
            at = p + 2
        pieces.append(word[at:])
        written = "".join(pieces)
        if written.replace(PAD, "").lower() in known:
            return written
    return None


def umlauts_read(text: str) -> str:
    """`text` as the model reads it: umlauts written out ("fuer", "Muenchen", "Gruesse") are
    written back ("fü\\x01r") where the training mail writes the word with them, so the model
    meets the sub-words it learned. Each word keeps its length, so offsets index into `text`.
    The rules read `text` itself: their word lists know both spellings where they need to."""
    if not _DIGRAPH.search(text):
        return text
    return _WRITTEN_OUT.sub(lambda m: _written_back(m.group()) or m.group(), text)
