"""A place to be near that the email names apart from where it asks for a hotel close to it.

- Named before, not again: "Einsatz ist bei einem Kunden in Nürnberg-Langwasser, also gern dort
  in der Nähe", "I'm running a workshop at the Museo Nacional de Antropología ... a hotel within
  walking distance" (`near_said_before`).
- Named by a label, where the request says only whose or what it is: "möglichst nah am
  Veranstaltungsort (siehe Einladung)" over a forwarded "Venue: SQUARE - Brussels Meeting
  Centre, Mont des Arts", "near the venue (FIL – Feira Internacional de Lisboa, ...)"; or
  named before it, where no label names it: "gig Fri 18 Sept at Maassilo ... 3 twin rooms
  near the venue" (`venue_named`). A venue's label names the place also where the request
  names none; a client's ("Kunde: Solterra Energía S.L., Carrer de Pujades 100") only where
  it says "near the client".
- A part of the city the writer would like to stay in, by a word that says so: "gern in
  Deutz", "im Stadtteil Oberkassel", "Hauptsache Altstadt", "in the Energy Corridor area",
  "Midtown preferred" (`district_preferred`).

Only for a text's one stay, with a destination; derived, less sure than a place the model or
the rules read."""

from __future__ import annotations

import re

from extractor.form import Evidence, FormField, Stay
from extractor.layout import Layout
from extractor.lexicon import alternation, city_spellings, lexicon
from extractor.values import normalize_field
from extractor.values.dates import names_a_day
from extractor.values.people import titled_person
from extractor.values.places import known_city_in, only_common_words
from extractor.values.venues import names_no_place, normalize_near

# close to something the words do not name: "dort in der Nähe", "within walking distance.",
# "so hotel must be near to there"
_CLOSE = re.compile(
    r"(?<!\w)(?:(?:within |in )?walking distance|close by|nearby|(?:dort |da )?in der "
    r"(?:nähe|naehe|ecke|gegend)|fußläufig|fussläufig|in laufweite"
    r"|(?:near|close)(?: to)? (?:there|it)(?!\w)|in der nähe davon)"
    r"(?![ \t]+(?:of|to|from|the|a|an|our|my|zu|zum|zur|von|vom|des|der|dem|den|die|unser\w*)"
    r"\b)", re.I)
# where the writer will be: "at the Museo ...", "am CERN", "bei einem Kunden in Ørestad",
# "der Kunde sitzt in Ørestad", "I visit the fair in Fiera Milano Rho"
_AT_PLACE = re.compile(
    r"(?:\b(?i:at|am|im|beim)[ \t]+(?:(?i:the|dem)[ \t]+)?|\b(?i:sitzt|liegt|is based|are based)"
    r"[ \t]+(?i:in)[ \t]+|\b(?i:fair|trade fair|messe|congress|conference|kongress|konferenz"
    r"|event|workshop|meeting|office|büro|site|plant|werk|campus)"
    r"[ \t]+(?i:in)[ \t]+|\b(?i:einem|unserem|dem)[ \t]+(?i:kunden)[ \t]+(?i:in)[ \t]+)"
    r"(?P<place>[A-ZÄÖÜØ][\w&'’.-]*(?:[ \t]+(?:(?:de|del|la|of|the|der)[ \t]+)?[A-ZÄÖÜØ][\w&'’.-]*)"
    r"{0,4})")
# `_AT_PLACE` by where the writer will be: "at Maassilo" (not "am Abend", "im Zentrum")
_AT_WORD = re.compile(r"(?i:at|beim)\b")
_HOTEL = re.compile(rf"(?<!\w){alternation(lexicon().places.hotel_words)}(?!\w)", re.I)
# every spelling of every known city, casefolded
_CITY_NAMES = frozenset(s.casefold() for s in city_spellings())
NEARBY_CONFIDENCE = 0.6
_LOOK_BACK = 300
# a line naming the event's place, or the client's, by its label: "Venue: SQUARE - Brussels
# Meeting Centre, Mont des Arts", "Veranstaltungsort: Messe Essen, Halle 3"
_LABELLED = re.compile(
    r"^[ \t>*•·-]*(?P<label>venue|event venue|conference venue|location|veranstaltungsort"
    r"|tagungsort|ort der veranstaltung|kunde|client|customer)[ \t]*:[ \t]*"
    r"(?P<place>[^,;\n(]+)", re.IGNORECASE | re.MULTILINE)
_CLIENT_LABELS = frozenset({"kunde", "client", "customer"})


def _name(group: str) -> str:
    """A capitalised name of up to three words, name particles between, as the named group."""
    return (rf"(?P<{group}>[A-ZÄÖÜØ][\w&'’.-]*(?:[ \t]+(?:(?:de|del|la|da|das|do|di|van|von)"
            r"[ \t]+)?[A-ZÄÖÜØ][\w&'’.-]*){0,2})")


# a part of the city named as where the writer would like to stay: a name after a wish and
# "in", after "Stadtteil"/"district", before "area"/"district", or before "preferred"
_DISTRICT = re.compile(
    r"(?<![^\W\d_])(?:(?i:gern|gerne|am liebsten|idealerweise|vorzugsweise|bevorzugt|möglichst"
    r"|preferably|ideally)[ \t]+(?i:in|im)[ \t]+(?:(?i:the|dem)[ \t]+)?"
    r"|(?i:hauptsache)[ \t]+(?:(?i:in|im)[ \t]+)?"
    r"|(?i:hotel|something|anything|somewhere|a room|zimmer|unterkunft)[ \t]+(?i:in|im)[ \t]+"
    r"(?:(?i:the)[ \t]+)?"
    r"|(?i:stadtteil|stadtviertel|viertel|bezirk|kiez|quartier|district of|neighbou?rhood of)"
    r"[ \t]+)" + _name("place")
    + r"|(?<![^\W\d_])(?i:in)[ \t]+(?:(?i:the)[ \t]+)?" + _name("area")
    + r"[ \t]+(?i:area|district|neighbou?rhood|quarter)(?![^\W\d_])"
    + r"|(?:^|(?<=[\s.,;:!?(]))" + _name("first")
    + r"[ \t]+(?i:preferred)(?![^\W\d_])", re.MULTILINE)
# a word for how near, no place: "gerne in Laufweite zur ...", "in Bahnhofsnähe"
_NEARNESS = re.compile(r"(?:weite|nähe|naehe|lage)$", re.IGNORECASE)
# what the words "the venue" are followed by when they name it: "the venue (FIL – Feira ...)"
_IN_BRACKETS = re.compile(r"[ \t]*\((?P<place>[^,;)\n]+)")


def near_said_before(stay: Stay, layout: Layout) -> Stay:
    """`stay` with the place to be near its request names before asking for a hotel close by
    (see the module docstring); unchanged when it has one, or when no such place is named."""
    if stay.near.value is not None:
        return stay
    text = layout.text
    end = layout.sign_off[0] if layout.sign_off else len(text)
    close = _CLOSE.search(text, 0, end)
    if close is None:
        return stay
    found = [m for m in _AT_PLACE.finditer(text, max(0, close.start() - _LOOK_BACK), close.start())
             if _a_place(m["place"], stay, may_name_city=True)]
    if not found:
        return stay
    m = found[-1]
    return _with_near(stay, m["place"], m.start("place"))


def _with_near(stay: Stay, place: str, start: int) -> Stay:
    """`stay` with `place`, written at `start`, as its derived place to be near; unchanged
    when it normalizes to none."""
    value = normalize_near(place)
    if value is None:
        return stay
    field = FormField(value=value, confidence=NEARBY_CONFIDENCE, source="derived",
                      evidence=[Evidence(start=start, end=start + len(place))])
    return stay.model_copy(update={"near": field})


def _a_place(place: str, stay: Stay, *, may_name_city: bool = False) -> bool:
    """A place to be near, not the city booked (nor one naming it, unless `may_name_city`: a
    venue "SQUARE - Brussels Meeting Centre", a fair "Fiera Milano Rho") or any known city, a
    hotel, a day or a person; only for a stay whose city is known."""
    words, city = place.casefold(), stay.destination.value
    named = known_city_in(place)
    return not (city is None or words in _CITY_NAMES or (named and named[1:] == (0, len(place)))
                or (city.casefold() in words and not may_name_city)
                or _HOTEL.search(place) or names_a_day(place) or titled_person(place)
                or only_common_words(place))


def venue_named(stay: Stay, layout: Layout) -> Stay:
    """`stay` with the place to be near named by a label or in brackets where its own place
    to be near only says whose or what it is, or where it has none and a venue's label names
    one (see the module docstring), a name with a capital ("(siehe Einladung)" names none);
    unchanged otherwise."""
    near, text = stay.near, layout.text
    vague = near.value is not None and names_no_place(near.value)
    if near.value is not None and not vague:
        return stay
    found: list[tuple[str, int]] = []
    if vague and near.evidence and (m := _IN_BRACKETS.match(text, near.evidence[0].end)):
        found.append((m["place"], m.start("place")))
    found += [(m["place"], m.start("place")) for m in _LABELLED.finditer(text)
              if vague or m["label"].casefold() not in _CLIENT_LABELS]
    if vague and near.evidence:  # "gig Fri 18 Sept at Maassilo ... near [the venue]"
        found += [(m["place"], m.start("place")) for m in reversed(list(_AT_PLACE.finditer(
            text, max(0, near.evidence[0].start - _LOOK_BACK), near.evidence[0].start)))
            if _AT_WORD.match(m.group()) and not known_city_in(m["place"])
            and not any(names_a_day(w) for w in m["place"].split())]
    for place, start in found:
        place = place.strip().rstrip(".")
        if place[:1].isupper() and _a_place(place, stay, may_name_city=True) \
                and normalize_near(place) is not None:
            return _with_near(stay, place, start)
    return stay


def district_preferred(stay: Stay, layout: Layout) -> Stay:
    """`stay` with the part of the city its request would like to stay in as the place to be
    near (see the module docstring), where it has none; not a known city, a hotel, a day, a
    person, a room or breakfast ("Hauptsache Frühstück"), nor how near ("gerne in Laufweite
    zur ..."). Unchanged otherwise."""
    if stay.near.value is not None:
        return stay
    text = layout.text
    end = layout.sign_off[0] if layout.sign_off else len(text)
    for m in _DISTRICT.finditer(text, 0, end):
        group = next(g for g in ("place", "area", "first") if m[g])
        place = m[group].rstrip(".")  # the sentence's full stop: "gerne in Bonn."
        if not _a_place(place, stay) or _NEARNESS.search(place) \
                or normalize_field("room_type", place) is not None \
                or normalize_field("breakfast", place) is not None:
            continue
        if normalize_near(place) is not None:
            return _with_near(stay, place, m.start(group))
    return stay
