"""Places: a city span -> its destination (data/cities.json); cities and streets found in a
text. Hotel and near values are `extractor.values.venues`'.

Every lookup goes by a folded key (`extractor.values.numbers.fold`), so "München",
"muenchen" and "MÜNCHEN" meet; the city table is read once. The filler words around a city
("nach", "city centre") and the particles kept lowercase in a name are the lexicon's
(`places.*`).
"""

from __future__ import annotations

import difflib
import re
import unicodedata
from collections.abc import Iterator
from functools import cache, lru_cache

from extractor.lexicon import airports, alternation, cities, lexicon, short_forms, stop_words
from extractor.values.dates import names_a_day, names_a_season
from extractor.values.numbers import fold

_PLACES = lexicon().places
_KEY_JUNK = re.compile(r"[^a-z0-9']+")
_LEADING = re.compile(
    rf"^{alternation(_PLACES.destination_prefixes + _PLACES.city_prefixes)}(?:\s+|$)")
_TRAILING = re.compile(rf"\s+{alternation(_PLACES.city_suffixes)}$")
# a city's part without the city: "Zentrum", "Centrum" of "Novotel Kraków Centrum", "Downtown"
_PART_ALONE = re.compile(rf"{alternation(_PLACES.city_suffixes + _PLACES.city_prefixes)}",
                         re.IGNORECASE)
_LEADING_RAW = re.compile(rf"^{alternation(_PLACES.destination_prefixes)}(?:\s+|$)",
                          re.IGNORECASE)
_PARENS = re.compile(r"\s*\([^)]*\)")
# a German compound saying nearness, not a place: "in Flughafennähe", "Bahnhofsnähe"
_NEAR_COMPOUND = re.compile(r"[^\W\d_]+(?:nähe|naehe)", re.IGNORECASE)
_PARTICLES = frozenset(_PLACES.lowercase_words)


def _ascii_fold(text: str) -> str:
    """`text` lowercased with every accent and umlaut dropped ("Zürich" -> "zurich")."""
    t = unicodedata.normalize("NFKD", text.lower().replace("ß", "ss"))
    return "".join(c for c in t if not unicodedata.combining(c))


def _squash(folded: str) -> str:
    """A folded text as a lookup key: punctuation gone, words single-spaced."""
    return " ".join(_KEY_JUNK.sub(" ", folded).split())


_STREET_WORDS = frozenset(_squash(fold(w)) for w in _PLACES.street_words)
# the endings of street compounds ("Hessenplatz", "Salzgäßchen"); abbreviations and words
# that end names too ("Richard", "Göring") only count as words of their own
_STREET_SUFFIXES = ("allee", "avenue", "chaussee", "damm", "gaesschen", "gasschen", "gasse",
                    "platz", "square", "strasse", "street", "katu", "gatan", "vagen", "vej",
                    "veien", "straat", "gracht", "utca")
_NAME_LIKE_STREET_WORDS = frozenset({"ring", "weg"})  # "Anna Ring" is a person
_STREET_PREFIXES = frozenset(_squash(fold(w)) for w in _PLACES.street_prefixes)
# a hyphenated compound ending in a street word is a street, whatever the word
# ("Theodor-Heuss-Ring", "Am-Kupfergraben-Weg")
_STREET_COMPOUND = re.compile(rf"-{alternation(_PLACES.street_words)}\.?$", re.IGNORECASE)
_TOWN_PARTICLE = re.compile(rf"(?<![a-z]){alternation(_PLACES.town_particles)}(?![a-z])")
# spaCy's English and German stop words, folded: a place or hotel of only these is no name
_STOP_WORDS = frozenset(_squash(fold(w)) for w in stop_words())


def only_common_words(text: str) -> bool:
    """Whether every word of `text` is one of spaCy's English or German stop words ("Here",
    "Dafür"): no name of a place, hotel or person."""
    return all(w in _STOP_WORDS for w in _key(text).split())


def _key(text: str) -> str:
    """The lookup key of a text as written ("Frankfurt a.M." -> "frankfurt a m")."""
    return _squash(fold(text))


def _city_keys(name: str) -> set[str]:
    """The lookup keys of one spelling: umlauts spelled out and dropped, punctuation gone."""
    return {_squash(v) for v in (fold(name), _ascii_fold(name))}


@cache
def _cities() -> dict[str, str]:
    """Lookup key -> the city's value, from `data/cities.json` (read once)."""
    table: dict[str, str] = {}
    for name, aliases in cities().items():
        for spelling in (name, *aliases):
            for key in _city_keys(spelling):
                table.setdefault(key, name)
    return table


def _keyed(table: dict[str, list[str]]) -> dict[str, str]:
    """Lookup key -> the city value, for a table of other names by city."""
    return {key: city for city, names in table.items() for name in names
            for key in _city_keys(name)}


@cache
def _airports() -> dict[str, str]:
    """Lookup key -> the city value of an airport named as a destination ("Heathrow")."""
    return _keyed(airports())


@cache
def _short_forms() -> dict[str, str]:
    """Lookup key -> the city value of a short form written as a destination ("BCN", "KL")."""
    return _keyed(short_forms())


@cache
def _airport_names() -> re.Pattern[str]:
    names = sorted((n for ns in airports().values() for n in ns), key=len, reverse=True)
    return re.compile(rf"(?<![\w-])(?:{'|'.join(map(re.escape, names))})(?![\w-])")


def airport_in(text: str) -> tuple[str, int, int] | None:
    """The city of the first airport `text` names as written ("the Premier Inn at Heathrow
    Terminal 5": London) and where; None when it names none."""
    m = _airport_names().search(text)
    return (_airports()[_key(m.group())], m.start(), m.end()) if m else None


@lru_cache(maxsize=1024)
def _fuzzy_city(key: str) -> str | None:
    # Only longer names: a short unknown town ("Hamm", "Celle") is too close to others.
    if len(key) < 6:
        return None
    hits = difflib.get_close_matches(key, _long_city_keys(), n=1, cutoff=0.88)
    return _cities()[hits[0]] if hits and hits[0][0] == key[0] else None


@cache
def _long_city_keys() -> tuple[str, ...]:
    return tuple(k for k in _cities() if len(k) >= 5)


def _title(text: str) -> str:
    """Title case for a name written all lowercase or all uppercase ("bad homburg")."""
    if not (text.islower() or text.isupper()):
        return text  # written with care ("McAllen", "St. Ingbert"): keep as written
    words = text.lower().split(" ")
    out = []
    for i, word in enumerate(words):
        if i > 0 and word in _PARTICLES:
            out.append(word)
        else:
            out.append("-".join(p[:1].upper() + p[1:] for p in word.split("-")))
    return " ".join(out)


def normalize_destination(text: str) -> str | None:
    """The destination value of a city span (data/cities.json): the common English spelling
    where English has one (`"München"` -> `"Munich"`, `"frankfurt a.M."` -> `"Frankfurt"`), a
    known city without one as properly written (`"luebeck"` -> `"Lübeck"`), an unknown one as
    written, stripped of filler words and punctuation and capitalised (`"bad homburg"` ->
    `"Bad Homburg"`); a known city's district after a hyphen is the city (`"Zürich-Oerlikon"`
    -> `"Zurich"`). None when no name is left."""
    cities = _cities()
    candidates = []
    key = _key(text)
    candidates.append(key)
    candidates.append(_TRAILING.sub("", _LEADING.sub("", key)))
    first_part = text.split(",")[0]  # "Munich, Germany", "Springfield, IL"
    for variant in (first_part, _PARENS.sub("", first_part)):
        k = _key(variant)
        candidates.append(_TRAILING.sub("", _LEADING.sub("", k)))
    for cand in candidates:
        if cand in cities:
            return cities[cand]
    for cand in candidates:
        if cand in _airports():
            return _airports()[cand]  # "Heathrow", "Flughafen München": the city's
    for cand in candidates:
        if cand in _short_forms():
            return _short_forms()[cand]  # the span is the short form: "bcn", "in KL", "Melb"
    for cand in candidates:
        if cand and (hit := _fuzzy_city(cand)):
            return hit
    town, dash, district = first_part.strip().partition("-")
    if dash and town[-1:].isalpha() and district[:1].isalpha() and (k := _key(town)) in cities:
        return cities[k]  # a known city's district: "Zürich-Oerlikon" (not "Oslo - København")
    # Unknown: the first comma part as written, without leading filler words or punctuation;
    # none when what is left is only a day's name, common words or a city's part alone
    # ("Karfreitag", "Dafür", "Zentrum"), or nearness ("Flughafennähe")
    plain = " ".join(_PARENS.sub("", first_part).split()).strip(" .,;:!?\"'()[]")
    plain = _LEADING_RAW.sub("", plain)
    if not plain or not any(c.isalpha() for c in plain) or names_a_day(plain) \
            or names_a_season(plain) or is_street(plain) or only_common_words(plain) \
            or _PART_ALONE.fullmatch(plain) or _NEAR_COMPOUND.fullmatch(plain):
        return None  # (a number is no city either: "127" of "Juri-Gagarin-Ring 127")
    return _title(plain)


@cache
def _city_values() -> frozenset[str]:
    return frozenset(_cities().values())


def is_known_city(value: str) -> bool:
    """Whether a destination value is a city of data/cities.json."""
    return value in _city_values()


_CAPITALISED_WORD = re.compile(r"[A-ZÄÖÜÉ][\w'’.-]*")


@cache
def _city_first_words() -> frozenset[str]:
    """The first word of every city's lookup key: no city starts at any other word."""
    return frozenset(key.split()[0] for key in _cities() if key)


def known_city_in(text: str) -> tuple[str, int, int] | None:
    """The first known city (data/cities.json, exact keys only) named inside `text` with a
    capital letter, as (value, start, end): "Hilton Madrid Airport" -> ("Madrid", 7, 13).
    The longest name wins at each position ("Frankfurt am Main" over "Frankfurt")."""
    return next(known_cities_in(text), None)


def is_street(text: str) -> bool:
    """Whether `text` names a street or square, not a city or a person: its last word is a
    street word ("Kings Road") or ends in one ("Hessenplatz", "Theodor-Heuss-Allee",
    "Salzgäßchen"); "ring" only as a word of its own (Göring, Düring are names) or at the end
    of a hyphenated compound ("Theodor-Heuss-Ring"); or it starts with a street word of a
    Romance or Slavic language ("ul. Szczepańska", "Via Veneto")."""
    words = _key(text).replace("'", " ").split()
    if not words or _TOWN_PARTICLE.search(" ".join(words)):
        return False  # "Neustadt an der Weinstraße" is a town named after its road
    if _STREET_COMPOUND.search(text.strip()) or (len(words) > 1 and words[0] in _STREET_PREFIXES):
        return True
    last = words[-1]
    if last in _STREET_WORDS:
        return len(words) > 1 and last not in _NAME_LIKE_STREET_WORDS
    return any(last.endswith(w) and len(last) > len(w) + 2 for w in _STREET_SUFFIXES)


def _names_a_street(words: list[re.Match[str]], after: int) -> bool:
    """Whether the word at `after` makes the city before it a street's or landmark's name
    ("Oxford Street", "Brandenburg Gate")."""
    if after >= len(words) or not words[after - 1].group()[-1].isalnum():  # "Essen. Gate 4"
        return False
    return _key(words[after].group()) in _STREET_WORDS


def known_cities_in(text: str, *, any_case: bool = False) -> Iterator[tuple[str, int, int]]:
    """Every known city named in `text`, left to right, as `known_city_in` finds the first;
    with `any_case`, written lowercase too (a chat: "dann jena mi-fr")."""
    cities, firsts = _cities(), _city_first_words()
    words = list(re.finditer(r"[^\s/-]+", text))  # "Hamburg-Alster": two words
    i = 0
    while i < len(words):
        if ((any_case or _CAPITALISED_WORD.match(words[i].group()))
                and _key(words[i].group()) in firsts):
            for n in (4, 3, 2, 1):
                if i + n > len(words):
                    continue
                start, end = words[i].start(), words[i + n - 1].end()
                while end > start and not text[end - 1].isalnum():
                    end -= 1
                key = _key(text[start:end])
                if len(key) >= 4 and key in cities:
                    if not _names_a_street(words, i + n):
                        yield cities[key], start, end
                    i += n - 1
                    break
        i += 1
