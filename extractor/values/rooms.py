"""Rooms: a room_type span -> single, double, twin or suite; a breakfast span -> wanted or not.

Both read folded text (`extractor.values.numbers.fold`): "Doppelzimmer", "DOPPELZIMMER" and
"doppelzimmer" are one; a typo of a long room word ("doubel") is still that room.
"""

from __future__ import annotations

import difflib
import re

from spacy.matcher.levenshtein import levenshtein_compare

from extractor.form import RoomType
from extractor.lexicon import lexicon
from extractor.values.numbers import fold

_ROOM_RULES: tuple[tuple[RoomType, re.Pattern[str]], ...] = (
    ("suite", re.compile(r"suite|\bsuit\b")),
    ("twin", re.compile(
        r"twin|zweibett|\b(?:two|2|zwei)\s+(?:separate\s+|single\s+|getrennte\s+|einzel)?"
        r"(?:beds|betten)|separate beds|getrennte(?:n)? betten|einzelbetten|single beds"
        r"|\b(?:two|2|zwei)\s+(?:queen|king|double|full)(?:[\s-]+size)?\s+beds"
        r"|\b(?:queen|king|double)\s+beds\b")),
    ("double", re.compile(
        r"\bdz\b|doppel|double|dbl|\bking|\bqueen|franzoesisch|french bed|grand lit"
        r"|single use|einzelnutzung|einzelbelegung|als ez")),
    ("single", re.compile(r"\bez\b|einzel|single|\bsgl\b|einbett|\bsingel|\bsinlge")),
)
_LONG_WORD = re.compile(r"[a-z]{5,}")
_ROOM_WORDS: dict[str, RoomType] = {
    "single": "single", "double": "double", "twin": "twin", "suite": "suite",
    "einzelzimmer": "single", "doppelzimmer": "double", "zweibettzimmer": "twin",
}


def normalize_room_type(text: str) -> RoomType | None:
    """`single` (EZ, Einzelzimmer), `double` (DZ, Doppelzimmer, king, queen, a double for
    single use), `twin` (Zweibettzimmer, two beds) or `suite` (Junior Suite); else None."""
    t = fold(text)
    for room_type, pattern in _ROOM_RULES:
        if pattern.search(t):
            return room_type
    for word in _LONG_WORD.findall(t):  # typos: "doubel", "einzelzimer"
        hits = difflib.get_close_matches(word, _ROOM_WORDS, n=1, cutoff=0.75)
        if hits:
            return _ROOM_WORDS[hits[0]]
    return None


# ----------------------------------------------------------------------------- breakfast

_BREAKFAST = re.compile(
    r"breakfast|brekfast|breakfest|\bbfast|brekkie|fruehstueck|fruhstuck|fruestueck|\bfruehst\b"
    r"|\bzmorge\b|\buef\b|\bue/f\b"  # "ÜF", "Ü/F": Übernachtung mit Frühstück
    r"|b ?& ?b|bed and breakfast"
    r"|halbpension|vollpension|half board|full board|all inclusive|\bhp\b|\bvp\b|continental"
    r"|buffet|buffett|verpflegung"
)
_LONG_BREAKFAST = tuple(dict.fromkeys(fold(w) for w in lexicon().rooms.breakfast_long_words))
_NO_BREAKFAST = re.compile(
    r"\b(?:without|w/o|ohne|no|not|nope|none|nein|kein\w*|nicht|nich|dont|don't|do not"
    r"|exclud\w*|excl|exkl\w*"
    r"|room only|nur (?:uebernachtung|zimmer|das zimmer)|uebernachtung ohne)\b"
)
_ROOM_ONLY = re.compile(r"\b(?:room only|nur (?:uebernachtung|zimmer|das zimmer)|logis)\b")


_INDIFFERENT = re.compile(
    r"\b(?:egal|either way|not fussed|up to you|(?:doesn'?t|does not|don'?t) mind|optional"
    r"|(?:doesn'?t|does not) matter|no preference|mit oder ohne|with or without)\b")


def normalize_breakfast(text: str, *, context: str = "") -> bool | None:
    """True for a breakfast asked for (`with breakfast`, `inkl. Frühstück`, `breakfast
    please`), False for one refused (`ohne Frühstück`, `no breakfast`, `breakfast not needed`,
    `room only`), None when the text is about no breakfast at all or `context` (the span's
    sentence around it) says it does not matter (`Frühstück ist mir egal`, `breakfast
    optional`, `ob mit oder ohne Frühstück`)."""
    t = fold(text)
    if _INDIFFERENT.search(fold(context) if context else t):
        return None
    if _ROOM_ONLY.search(t):
        return False
    if not _BREAKFAST.search(t) and not _misspelt_breakfast(t):
        return None
    return not _NO_BREAKFAST.search(t)


def _misspelt_breakfast(folded: str) -> bool:
    """Whether a word of `folded` is a long breakfast word with a typo or two ("braekfast",
    "fruehstukc"): the rules' FUZZY2 reading of `rooms.breakfast_long_words`."""
    return any(levenshtein_compare(word, long, 2)
               for word in re.findall(r"[a-z]{7,}", folded) for long in _LONG_BREAKFAST)
