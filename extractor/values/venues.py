"""Venues: a hotel or near span -> the name as written (a hotel_name or near value).

The text as written, trimmed, without a leading article; a hotel's street after a comma cut;
a near phrase's place after whose it is ("our client's office at Aker Brygge" -> "Aker
Brygge"); a German genitive undone ("Nähe des Kurhauses" -> "Kurhaus"). None for what names no
venue: a kind of lodging alone ("Hotel"), a day, common words, a person by title. Cities are
`extractor.values.places`'.
"""

from __future__ import annotations

import re

from extractor.lexicon import alternation, lexicon
from extractor.values.dates import names_a_day, names_a_season
from extractor.values.numbers import fold
from extractor.values.people import titled_person
from extractor.values.places import is_street, only_common_words
from extractor.values.trim import trim

_PLACES = lexicon().places

_ARTICLE = re.compile(rf"^{alternation(lexicon().names.articles)}(?:\s+|$)", re.IGNORECASE)
_GENERIC_HOTEL = frozenset(_PLACES.generic_hotel_words)


_PREDICATE = frozenset(fold(w) for w in _PLACES.predicate_words)
# a German infinitive: "[Fiera] raussuchen", "[Hotel] vermerken"
_INFINITIVE = re.compile(r"[a-zäöüß]{4,}en")


def normalize_name(text: str) -> str | None:
    """A hotel_name or near value: the text as written, trimmed, without a leading article
    (`"the Messe"` -> `"Messe"`), trailing punctuation or what the writer says of the place
    after its name (`without_predicate`). None when nothing remains."""
    t = trim(text)
    while (stripped := _ARTICLE.sub("", t, count=1)) != t:
        t = stripped
    return without_predicate(t) or None


def without_predicate(name: str) -> str:
    """`name` without the lowercase words after it that say something of the place or ask
    for something, in German where nouns are capitalised: "UKE wäre super" -> "UKE", "Fiera
    raussuchen" -> "Fiera" (the lexicon's `places.predicate_words`, or an infinitive after a
    capitalised name). A name written all in lowercase loses the lexicon's words only ("audi-werk
    liegen"; "covent garden" keeps its words); a name is never cut to nothing."""
    words = name.split(" ")
    cased = any(w[:1].isupper() for w in words)
    k = len(words)
    while k > 1 and words[k - 1].islower() and (fold(words[k - 1]) in _PREDICATE or (
            cased and _INFINITIVE.fullmatch(words[k - 1]))):
        k -= 1
    if cased and not any(w[:1].isupper() for w in words[:k]):
        return name
    return " ".join(words[:k])


# a German genitive after "des"/"eines": "Nähe des Kurhauses" -> Kurhaus, "des Hauptbahnhofs"
# -> Hauptbahnhof, "des Messegeländes" -> Messegelände
_GENITIVE_OF = re.compile(r"\b(?:des|eines)\s+$", re.I)
_GENITIVE_ES = re.compile(r"(?<=[sßzx])es$")
_GENITIVE_S = re.compile(r"(?<=[^\Wsßu])s$")  # not the "-us" of "Campus", "Globus"


# "our client's office [at] Aker Brygge", "Büro unseres Kunden [in der] Ottostraße 63"
_PLACE_AFTER = re.compile(r"\s(?:at|in|on|am|im|an|auf|bei|beim)\s+(?:(?:the|der|dem|den)\s+)?",
                          re.IGNORECASE)
_WORKPLACE = frozenset(fold(w) for w in _PLACES.workplace_words)
_COMPOUND_WORKPLACE = tuple(w for w in _WORKPLACE if len(w) >= 4 and " " not in w)


def _names_a_workplace(word: str) -> bool:
    """"office", "client's", "Kunden", a German compound ending in one ("Kundenbüro",
    "Continental-Standort")."""
    w = fold(re.sub(r"['’]s$", "", word))
    return w in _WORKPLACE or (word[:1].isupper() and w.endswith(_COMPOUND_WORKPLACE))


def place_of_workplace(name: str) -> str:
    """The place a near phrase names after whose it is: "our client's office at Aker Brygge"
    -> "Aker Brygge", "unserem Werk in der Seestrasse 35" -> "Seestrasse 35"; a clerk searches
    hotels near the place, not near "our office". Unchanged without a workplace word before
    the preposition or a name after it."""
    m = _PLACE_AFTER.search(name)
    if m is None:
        return _named_after_whose(name)
    head, place = name[: m.start()].split(), name[m.end():]
    named = place[:1].isupper() or place[:1].isdigit() or name.islower()
    if len(head) <= 5 and named and not only_common_words(place) and any(
            _names_a_workplace(w) for w in head):
        return place
    return name


_ARTICLES_AND_POSSESSIVES = frozenset(fold(w) for w in (*lexicon().names.articles,
                                                        *lexicon().people.possessives))
_POSSESSIVES = frozenset(fold(w) for w in lexicon().people.possessives)


def _named_after_whose(name: str) -> str:
    """The name after a possessive and workplace words: "our distributor Saigon Fresh
    Logistics" -> "Saigon Fresh Logistics", "unseren Kunden Bosch" -> "Bosch"."""
    words = name.split()
    k = 1
    while k < len(words) and fold(re.sub(r"['’]s$", "", words[k])) in _WORKPLACE:
        k += 1
    if len(words) > k > 1 and fold(words[0]) in _POSSESSIVES and words[k][:1].isupper():
        return " ".join(words[k:])
    return name


def names_no_place(value: str) -> bool:
    """Whether a near value says only whose or what the place is ("their office", "client's
    office", "the venue", "Veranstaltungsort"): the place itself is named elsewhere, if at all."""
    words = [fold(re.sub(r"['’]s$", "", w)) for w in re.findall(r"[\w'’]+", value)]
    return bool(words) and all(w in _WORKPLACE or w in _ARTICLES_AND_POSSESSIVES for w in words)


_ABBREVIATED = re.compile(
    rf"(?<![\w-])(?i:{alternation(_PLACES.place_abbreviations)})\.?(?![\w-])")


def _in_full(name: str | None) -> str | None:
    """`name` with its words written short in full (the lexicon's `place_abbreviations`):
    "Hbf" -> "Hauptbahnhof", "Mainz Hbf" -> "Mainz Hauptbahnhof" (CONVENTIONS: a place as
    written or its full form; the outside writers write it in full)."""
    if name is None:
        return None
    return _ABBREVIATED.sub(lambda m: _PLACES.place_abbreviations[m.group().rstrip(".").lower()],
                            name)


def normalize_near(text: str, context: str = "") -> str | None:
    """A near value (see `normalize_name`) with words written short in full ("Hbf" ->
    Hauptbahnhof), None for a person by title ("Dr. Ulrike Sand") or a day ("Brückentag"):
    the place after a workplace (`place_of_workplace`),
    or a German noun after "des" or "eines" in `context` without its genitive ending ("in
    der Nähe des [Kurhauses]": Kurhaus; "des [Gewerbegebiets Franowo]": Gewerbegebiet Franowo,
    the name after the noun as written)."""
    name = _in_full(normalize_name(text))
    if name is None or titled_person(name) or names_a_day(name):  # "[Brückentag]"
        return None
    if (place := place_of_workplace(name)) != name:
        return place
    if not context:
        return name
    at = context.find(text)
    if at < 0 or not _GENITIVE_OF.search(context[:at]):
        return name
    noun, _, rest = name.partition(" ")
    if rest and not all(w[:1].isupper() for w in rest.split()):
        return name  # "Zentrums der Stadt": not a noun and its name
    stem = _GENITIVE_ES.sub("", noun)
    stem = stem if stem != noun else _GENITIVE_S.sub("", noun)
    return f"{stem} {rest}" if rest else stem


_HOUSE_NUMBER = re.compile(r"\s+\d{1,4}\s?[a-z]?$")


def normalize_hotel(text: str) -> str | None:
    """A hotel_name value (see `normalize_name`) without the street after its comma; None
    when it names only a kind of lodging ("Hotel", "the hotel", "Unterkunft": the lexicon's
    `places.generic_hotel_words`), a day, a season, common words or, in a capitalised name,
    lowercase ones beside such words ("im selben Hotel") or a code ("MTD-61140")."""
    name = normalize_name(text)
    if name is None or fold(name) in _GENERIC_HOTEL or names_a_day(name) \
            or names_a_season(name) or names_no_place(name):
        return None  # a kind of lodging, a day, "the client's office", "Kunden"
    head, comma, address = name.partition(",")
    if comma and head.strip() and is_street(_HOUSE_NUMBER.sub("", address.strip())):
        name = head.strip()  # "Hotel Miradouro Lisboa, Rua da Misericordia 41": its address
    words = name.split()
    rest = [w for w in words if fold(w) not in _GENERIC_HOTEL]
    before_lodging = fold(words[-1]) in _GENERIC_HOTEL  # "same hotel", not "motel one"
    if only_common_words(name) or (rest and all(w.isalpha() and w.islower() for w in rest) and (
            (before_lodging and only_common_words(" ".join(rest)))
            or any(c.isupper() for c in name))):
        return None  # lodging and common words ("the same hotel", "im selben Hotel")
    if any(c.isdigit() for c in name) and not any(c.islower() for c in name):
        return None  # a reference code ("MTD-61140")
    return name
