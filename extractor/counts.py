"""Implied counts: the rooms and adults a stay's room kind and people imply (CONVENTIONS),
and the confidence of every implied value by how it was implied (`IMPLIED_CONFIDENCE`), for
`extractor.implied`."""

from __future__ import annotations

import re
from typing import Any

from extractor.form import Evidence, FormField, Stay
from extractor.lexicon import alternation, lexicon
from extractor.values.numbers import CARDINALS, ORDINALS, fold, word_to_int

IMPLIED_CONFIDENCE: dict[str, float] = {
    "sender_together": 0.9,  # "for Anna and me": the signer plus the named
    "sender_self": 0.85,  # a first-person request with no one else in it
    "sender_alone": 0.7,  # a request for one that names no one ("bitte 1 EZ in Graz ...")
    "count_alone": 0.9,  # one person alone: one room, one adult
    "count_room_kind": 0.9,  # single rooms hold one; a double for two named is one room
    "count_names": 0.85,  # as many adults as named travellers
    "trip_owner": 0.8,  # "update on Sunita's Benelux trip": whose trip it is
    "addressee": 0.8,  # a quoted booking confirmed to the reply's sender ("Dear Mr Okoro")
    "count_children": 0.85,  # children said apart: "our two girls (5 and 8)"
}
# "double for single use", "DZ zur Alleinbenutzung": a double room holding one adult
_SINGLE_USE = re.compile(r"single (?:use|occupancy)|allein(?:benutzung|nutzung)|einzelnutzung"
                         r"|einzelbelegung|for one person|für eine person", re.I)
# one room asked for in words that are no count span ("a room", "das Zimmer", "Zimmer für
# zwei"); not one room each ("a room for each of us", "jeweils ein EZ" for several people)
_ONE_ROOM = re.compile(
    r"(?<!\w)(?:a|an|one|the|ein|eine|einen|einem|einer|das|dem|1)\s+(?:[\w-]+\s+){0,2}?"
    r"(?:room|(?:doppel|einzel|zweibett|dreibett|vierbett|mehrbett|familien)?zimmer|family room"
    r"|\w*suite|dz|ez|double|twin|single)(?!\w)|(?<!\w)(?:room|zimmer)\s+(?:for|für)\s+(?:two|zwei|2)\b", re.I)
# a chat that opens on one room, no article, no count: "room rome 4-6 apr", "zimmer münchen
# 12.-14.3.", "DZ in köln für 2 ÜN" (for two people at most: "Zimmer" is plural too)
_BARE_ROOM = re.compile(r"\A\s*(?:room|zimmer|dz|ez|hotel room|hotelzimmer)[ \t]+(?=[^\W\d])", re.I)
# the traveller is said to travel alone: "he's travelling alone", "sie reist allein", "solo
# trip", "just me", or in a word of its own: "... 3 nights. solo, budget 150 eur"
_TRAVELS_ALONE = re.compile(
    r"(?<!\w)(?:(?:travel+ing|travels|reist|reise|fährt|fahre|komme|kommt)\s+(?:\w+\s+)?"
    r"(?:alone|allein|alleine|solo|on (?:his|her|my) own)|solo trip|(?:just|only) me|nur ich)"
    r"(?!\w)|(?:^|[.!?:;,]\s*)(?:solo|alone|allein)\s*(?:[.!?,;]|$)", re.IGNORECASE | re.MULTILINE)
# a room kind in the plural ("two single rooms", "singles"): more than one room, whatever
# count the model read or missed (German "Einzelzimmer" is both and tells nothing)
_PLURAL_KIND = re.compile(r"(?<!\w)(?:rooms|singles|doubles|twins|suites|\w*zimmern)(?!\w)", re.I)
_EACH = re.compile(r"\b(?:each|every|per person|jeweils|je ein|pro person|für jeden|for everyone)\b",
                   re.I)

_KID_WORDS = alternation([*lexicon().people.child_words, *lexicon().people.offspring_words])
# children said apart from any count of guests: "our two girls (5 and 8)", "die Kinder (12
# und 15)", "unsere Tochter, 4 Jahre, und unser Sohn (9)"
_KIDS_COUNTED = re.compile(rf"(?<!\w)(?P<n>\d{{1,2}}|[^\W\d_]+)\s+(?:(?:little|kleinen?|young)\s+)?"
                           rf"{_KID_WORDS}(?!\w)", re.I)
_KIDS_AGES = re.compile(rf"(?<!\w){_KID_WORDS}\s*\((?P<ages>[\d\s,&+]+(?:(?:and|und)[\d\s]+)?)"
                        r"(?:\s*(?:years?|yrs|jahre|j\.))?\)", re.I)
_ONE_KID = re.compile(r"(?<!\w)(?:our|my|unsere|unser|meine|mein|unseren|unserem)\s+"
                      r"(?:daughter|son|tochter|sohn|kind|child|kid|baby)(?!\w)", re.I)
# a guests count of everyone, children too: "the four of us", "wir sind zu viert", "für uns vier",
# "me and my two girls"
_EVERYONE = re.compile(r"\bof us\b|\bzu (?:zweit|dritt|viert|fünft|fuenft|sechst)\b|\bpeople\b"
                       r"|\bpersons?\b|\bpersonen\b|\bfamily of\b"
                       rf"|\b(?:uns|wir) (?:drei|vier|fünf|fuenf|sechs|[3-9])\b|\b{_KID_WORDS}\b",
                       re.I)

# a room added to those booked: "a second single room for her" (two in all), "noch ein
# Zimmer", "an additional room" (one more)
_ROOM_WORDS = alternation(lexicon().rooms.room_nouns)
_NTH = alternation([w for w, n in ORDINALS.items() if 2 <= n <= 5])
_ROOM_ADDED = re.compile(
    rf"(?<!\w)(?:(?P<nth>{_NTH})|{alternation(lexicon().cues.one_more)})\s+"
    rf"(?:[^\W\d_]+(?:\s+|-))?{_ROOM_WORDS}(?!\w)", re.I)

# rooms no one shares: as many as the adults ("separate rooms for us", "getrennte Zimmer")
_SEPARATE = re.compile(r"(?<!\w)(?:separate|own|individual|getrennte|eigene|einzelne)\s+"
                       r"(?:rooms|zimmer)(?!\w)", re.I)
# a room for each of the named: "je ein Einzelzimmer", "jeweils (ein) DZ", "a single room each",
# "one room for each of them"
_ROOM_EACH = re.compile(
    rf"(?<!\w)(?:je|jeweils)\s+(?:(?:ein|eine|einen|1)\s+)?(?:[^\W\d_]+\s+)?{_ROOM_WORDS}(?!\w)"
    rf"|(?<!\w){_ROOM_WORDS}s?\s+(?:each|for each|für jeden|für jede)(?!\w)", re.I)

# one room for someone, of several such: "a double for me & Tom and a single for Ana", "• King
# room for Carlos", "ein DZ für die Meiers und ein EZ für mich" (for a person, not a time: "a
# room for two nights")
_ROOMS = alternation(lexicon().rooms.room_nouns + lexicon().rooms.kinds)
_ROOM_FOR = re.compile(
    rf"(?:(?<!\w)(?:a|an|one|ein|eine|einen|1)[ \t]+|^[ \t]*(?:[-–•*]|\d[.)])[ \t]*)"
    rf"(?:[^\W\d_]+[ \t]+)?(?:{_ROOMS})\w*(?:[ \t]+room)?[ \t]+(?:for|für|fuer)[ \t]+"
    rf"(?!(?:\d|{alternation([w for w, n in CARDINALS.items() if 0 < n < 20])})\b)"
    rf"(?:me|myself|mich|mir|{alternation(lexicon().people.mine + lexicon().people.we_request)}"
    rf"|the|die|den|der|(?-i:[A-ZÄÖÜ][^\W\d_]+))(?!\w)", re.I | re.M)
# a rooming list: "Room 1: Aoife Kelly + Tomasz Nowak (twin)", "Zimmer 2: Frau Z (EZ)"
_ROOMING_LINE = re.compile(
    rf"^[ \t]*(?:[-–•*][ \t]*)?(?:{_ROOM_WORDS})[ \t]*(?:no\.?|nr\.?|#)?[ \t]*(\d{{1,2}})"
    r"[ \t]*[:.)–-]", re.I | re.M)

__all__ = ["IMPLIED_CONFIDENCE", "derived", "every_adult_named", "imply_children",
           "imply_counts", "one_double_for_two", "rooms_with_added"]


def rooms_with_added(rooms: int, text: str) -> int:
    """The rooms of a booking of `rooms` after `text` adds one: as many as its ordinal says
    ("a second single room": 2), else one more ("another room"); `rooms` when it adds none."""
    m = _ROOM_ADDED.search(text)
    if m is None:
        return rooms
    return max(rooms, ORDINALS[fold(m["nth"])]) if m["nth"] else rooms + 1


def derived(value: Any, how: str, evidence: tuple[int, int] | None = None) -> FormField[Any]:
    """An implied value, its confidence by `how` it was implied, its evidence where shown."""
    return FormField(value=value, confidence=IMPLIED_CONFIDENCE[how], source="derived",
                     evidence=[Evidence(start=evidence[0], end=evidence[1])] if evidence else [])


def imply_counts(stay: Stay, names: list[str], *, alone: bool, text: str, request: str,
                 whole: bool = True) -> None:
    """Rooms and adults of `stay` (changed in place) from its room kind and its people
    (`names`; `alone`: the writer travels alone): filled only where they follow. Rooms listed
    each for someone or in a rooming list are as many as listed, and everyone named in the
    list is an adult. Names go when fewer than the adults (CONVENTIONS: all adults named, or
    none). Counts that disagree are settled only in a `whole` booking, not in a change that
    writes what it adds."""
    kind = stay.room_type.value
    rooms, adults = stay.rooms.value, stay.guests.value
    single_use = kind == "double" and any(
        _SINGLE_USE.search(text[max(0, e.start - 30) : e.end + 30])
        for e in stay.room_type.evidence)
    plural = any(_PLURAL_KIND.search(text[e.start : e.end + 8]) for e in stay.room_type.evidence)
    alone = alone or bool(_TRAVELS_ALONE.search(request))
    if adults is None:
        if rooms in (None, 1) and (alone or single_use) and not plural and len(names) <= 1:
            stay.guests = derived(1, "count_alone")
        elif kind == "single" and (rooms or names or not plural):
            # a single holds one: as many adults as single rooms, or as named travellers
            stay.guests = derived(rooms or len(names) or 1, "count_room_kind")
        elif names:
            stay.guests = derived(len(names), "count_names")
        adults = stay.guests.value
    assigned = max(len(_ROOM_FOR.findall(request)), len(set(_ROOMING_LINE.findall(request))))
    if assigned > 1 and (rooms is None or (rooms == 1 and _one_of_listed(stay, text))):
        stay.rooms = derived(assigned, "count_room_kind")  # rooms listed, each for someone
    if assigned > 1 and whole and adults is not None and len(names) > adults:
        # the adults of one listed room ("a twin for our two PhD students") or of a part
        # ("me and my husband"): everyone named in the list stays
        stay.guests = derived(adults := len(names), "count_names")
    if rooms is None and stay.rooms.value is None and (added := _ROOM_ADDED.search(request)) \
            and added["nth"]:  # "add a second single room for him": two in all
        stay.rooms = derived(rooms := ORDINALS[fold(added["nth"])], "count_room_kind")
    if rooms is None and stay.rooms.value is None:
        if adults == 1 or (_ONE_ROOM.search(request) and not _EACH.search(request)) or (
                _BARE_ROOM.match(request) and (adults or 1) <= 2):
            stay.rooms = derived(1, "count_alone" if adults == 1 else "count_room_kind")
        elif kind == "single" and adults is not None:
            stay.rooms = derived(adults, "count_room_kind")
        elif kind in ("double", "twin", "suite") and adults == 2:  # a room two share
            stay.rooms = derived(1, "count_room_kind")
    rooms, adults = stay.rooms.value, stay.guests.value
    if whole and kind == "single" and rooms and adults and rooms != adults and names \
            and assigned < 2:  # rooms listed each for someone are as many as listed
        # a single holds one adult: of two counts that disagree, the one the named
        # travellers confirm stands ("one single room each" for two; "four of us, but
        # Priyanka cannot come ... three single rooms")
        if len(names) == adults:
            stay.rooms = derived(adults, "count_room_kind")
        elif len(names) == rooms:
            stay.guests = derived(rooms, "count_room_kind")
            adults = rooms
    if rooms is None and adults and adults > 1 and _SEPARATE.search(request):
        stay.rooms = derived(rooms := adults, "count_room_kind")  # "three of us, separate rooms"
    if whole and len(names) > 1 and (rooms or 1) == 1 and _ROOM_EACH.search(request):
        stay.rooms = derived(len(names), "count_names")  # "je ein Einzelzimmer" for four named
        if kind in (None, "single") and (adults or 1) < len(names):
            stay.guests = derived(adults := len(names), "count_names")
    if whole:  # a change names whom it adds; the names are counted after the thread
        every_adult_named(stay)


def _one_of_listed(stay: Stay, text: str) -> bool:
    """Whether the room count of `stay` was read inside one of the rooms listed each for
    someone ("one double for the Lees", beside "a single for me")."""
    listed = [m.span() for m in _ROOM_FOR.finditer(text)]
    return bool(stay.rooms.evidence) and all(
        any(lo <= e.start and e.end <= hi for lo, hi in listed) for e in stay.rooms.evidence)


def cancelled_rooms(stay: Stay, request: str) -> Stay:
    """A cancellation of one room in words that are no count ("cancel the room in Hamburg",
    "das Zimmer stornieren") cancels one room: CONVENTIONS lists the rooms a cancellation
    cancels. Unchanged when it has a room count, or its words name rooms in the plural or one
    each."""
    if stay.rooms.value is not None or not names_one_room(request):
        return stay
    return stay.model_copy(update={"rooms": derived(1, "count_room_kind")})


def names_one_room(text: str) -> bool:
    """Whether `text` asks for or about one room in words that are no count ("the room",
    "ein Zimmer"), and names no rooms in the plural or one each."""
    return bool(_ONE_ROOM.search(text)) and not _PLURAL_KIND.search(text) \
        and not _EACH.search(text)


def one_double_for_two(stay: Stay) -> Stay:
    """`stay` (changed in place) with one room when it is a double, twin or suite for two adults
    and says no count of rooms: after the thread, when the answer gives the adults and the
    quoted request the room ("zwei Erwachsene" under "Doppelzimmer")."""
    if stay.rooms.value is None and stay.guests.value == 2 and stay.room_type.value in (
            "double", "twin", "suite"):
        stay.rooms = derived(1, "count_room_kind")
    return stay


def every_adult_named(stay: Stay) -> Stay:
    """`stay` (changed in place) without names when they are fewer than its adults
    (CONVENTIONS: the names are given only when every adult guest is named)."""
    names, adults = stay.traveler_names.value or [], stay.guests.value
    if adults is not None and names and len(names) < adults:
        stay.traveler_names = FormField(value=None)
    return stay


def children_said(request: str) -> int | None:
    """How many children `request` says travel, apart from any guests count: counted ("our
    two girls"), by their ages ("die Kinder (12 und 15)"), or one by one ("unsere Tochter
    ... und unser Sohn"); None when it says none."""
    for m in _KIDS_COUNTED.finditer(request):
        n = word_to_int(fold(m["n"]))
        if n is not None and 0 < n < 10:
            return n
    by_age = 0
    for m in _KIDS_AGES.finditer(request):
        ages = [int(a) for a in re.findall(r"\d+", m["ages"])]
        if ages and all(a < 18 for a in ages):
            by_age = len(ages)
            break
    return max(by_age, len(_ONE_KID.findall(request))) or None


def imply_children(stay: Stay, request: str) -> None:
    """`stay`'s children (changed in place) when the request says them apart from the guests
    count, and its adults without them when that count is of everyone ("the four of us — me,
    my partner and our two girls": 2 adults, 2 children)."""
    if stay.children.value is not None:
        return
    n = children_said(request)
    if n is None:
        return
    stay.children = derived(n, "count_children")
    adults = stay.guests.value
    said = [request[e.start : e.end] for e in stay.guests.evidence if e.end <= len(request)]
    if adults is not None and adults > n and said and all(_EVERYONE.search(t) for t in said):
        stay.guests = derived(adults - n, "count_children")
