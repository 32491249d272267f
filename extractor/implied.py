"""Implied values: what a clerk fills in without thinking, after the stays are built.

A booking needs its guests' names, and how many rooms and adults; emails often imply them
instead of writing them (`../shared/external/CONVENTIONS.md`):
- the sender stays when the request is for themselves ("book me a single in Munich",
  "meine Reservierung", "for Anna and me"), and not when they book for others ("for our
  guests", "for my colleague", a traveller named without them). Their name comes from the
  sign-off, or from the From header's display name when the sign-off is a first name only (or
  missing), titles dropped;
- one person travelling alone needs one room and is one adult; a double or twin for two named
  people is one room; single rooms hold one adult each; a double "for single use" holds one
  (`extractor.counts`);
- names are the travellers only when every adult guest is named: a form naming one of three
  guests is left without names (the clerk asks).

Every implied value has `source: "derived"`, evidence where the text shows it (the signed
name) and a confidence from how it was implied (`IMPLIED_CONFIDENCE`), which the calibration
of derived values then maps like any other. A cancellation identifies a booking by what it
writes, and by its writer when they cancel their own ("cancel my reservation"): no counts are
implied for it. A not-hotel email has no stays.
"""

from __future__ import annotations

import re
from dataclasses import replace

from extractor.counts import (
    IMPLIED_CONFIDENCE,
    cancelled_rooms,
    derived,
    imply_children,
    imply_counts,
)
from extractor.dropouts import without_non_stayers, without_passers_by
from extractor.form import Evidence, FormField, Intent, Sender, Stay
from extractor.layout import Layout
from extractor.lexicon import alternation
from extractor.requester import (
    FOR_SELF,
    NAME,
    OUR_ROLE,
    PEOPLE,
    Requester,
    asks_for_self,
    not_a_name,
    person,
    requester,
    signed_names,
)
from extractor.values.people import completed_name, distinct_people

__all__ = ["IMPLIED_CONFIDENCE", "Requester", "asks_for_self", "imply", "requester"]

# a line greeting someone by title and surname, or by first name alone: "Dear Mr Okoro,",
# "Sehr geehrter Herr Dr. Lenz", "Dear Niamh,"
_GREETED = re.compile(
    rf"(?im)^[ \t]*(?:{alternation(PEOPLE.greetings)})[ \t]+"
    rf"(?P<titles>(?:(?:{alternation(PEOPLE.title_words)})\.?[ \t]+)*)"
    rf"(?P<name>(?-i:{NAME})(?:[ \t]+(?-i:{NAME}))?)[ \t]*[,!:]?[ \t]*$")
# a companion the email does not name: "seine Frau reist mit", "my husband", "a colleague"
_UNNAMED = re.compile(
    rf"(?<!\w)(?:my|his|her|a|an|mein|meine|meinen|meiner|meinem|sein|seine|seinen|seiner|seinem"
    rf"|ihr|ihre|ihren|ihrer|ihrem|eine|einen|einer|einem)"
    rf"\s+{alternation(PEOPLE.relations)}(?!\w)(?!\s+[A-ZÄÖÜ])"
    rf"(?!,\s+(?-i:[A-ZÄÖÜ]))|\bbegleitung\b", re.I)  # "meine Frau, Frau Monika Vogt": named

# the writer's spouse by first name alone, who shares the writer's surname: "my wife Anne is
# coming along", "Mein Mann Stefan und unsere Tochter kommen doch mit"
_SPOUSE = re.compile(
    rf"(?<!\w)(?i:my|mein|meine|meinem|meinen|meiner)\s+(?i:{alternation(PEOPLE.spouses)})\s+"
    r"(?P<first>[A-ZÄÖÜ][a-zäöüß]+(?:-[A-ZÄÖÜ][a-zäöüß]+)?)(?![\w.-])(?!,?\s+[A-ZÄÖÜ][a-zäöüß])")

# a companion the writer names in full right before themselves: "meine Freundin Gisela Hartmann
# und ich", "My wife, Julia Moretti, and I", "Robert Kline, our CFO, and I" (a name the model
# may not have read as a traveller)
_NAMED_AND_I = re.compile(
    rf"(?<![\w.-])(?P<name>{NAME}(?:[ \t]+{NAME}){{1,2}})[ \t]*"
    rf"(?:,[ \t]+{OUR_ROLE},)?"
    r",?[ \t]+(?:und|and|&)[ \t]+(?:ich|I)(?![\w'’])")

# the writer asks a room for themselves in so many words: "Bitte buchen Sie mir ein EZ"
_BOOKED_FOR_ME = re.compile(rf"(?<![\w'’]){alternation(PEOPLE.booked_for_me)}(?![\w'’])", re.I)

_RELATION_WORDS = frozenset(w.casefold() for w in (*PEOPLE.relations, *PEOPLE.roles))

# whose trip the email is about, named only in the possessive: "Sunita's Benelux trip"
_TRIP_OWNER = re.compile(
    rf"(?P<name>{NAME}(?:[ \t]+{NAME})?)['’]s[ \t]+(?:[\w-]+[ \t]+){{0,2}}?"
    r"(?:trip|travels?|booking|reservation|stay|visit|itinerary|hotel|roadshow|tour|journey)\b")


def imply(stays: list[Stay], *, intent: Intent, layout: Layout, sender: Sender | None,
          known: tuple[str, ...] = (), signed: tuple[tuple[int, int], ...] = (),
          asked: tuple[int, int] | None = None, answers: bool = False,
          addressee: Sender | None = None) -> list[Stay]:
    """Copies of `stays` with the travellers, rooms and adults the email implies filled in
    (see the module docstring); values the email writes are never replaced, but a traveller
    written by one name ("Frau Wagner") is completed from a full name the thread knows
    (`known`: the From header's, the authors of quoted and forwarded messages), and a name
    that only signs a forwarder's note above the forwarded request (`signed`: those sign-off
    zones) is no traveller. Who asks and whether they stay is read in `asked`, the sender's
    own part of a quote (their request under the agency's question), when given. A text that
    `answers` a quoted history leaves who stays to the request quoted there. A quoted booking
    confirmed to its `addressee` (the sender of the reply above it) is theirs."""
    if intent == "not_hotel" or not stays:
        return stays
    people = Layout(layout.text[asked[0] : asked[1]]) if asked else layout
    request = people.request
    if intent == "cancellation":  # it names its guests in full, and the writer's own booking
        who = requester(people, sender, [], request)
        own = who.how == "sender_self" and bool(FOR_SELF.search(request))  # not "let me know"
        return [cancelled_rooms(_own_booking(_completed(s, known), who) if own and who.names
                                else _completed(s, known), request) for s in stays]
    stays = [without_non_stayers(_unsigned(s, layout.text, signed), layout.text) for s in stays]
    stays = _trip_owner(stays, request, asked[0] if asked else 0)
    stays = _with_spouse(stays, people, sender, request, asked[0] if asked else 0)
    stays = _with_named_companion(stays, request, asked[0] if asked else 0)
    if intent == "new_booking":  # someone mentioned in passing (`extractor.dropouts`)
        mine = all(map(_for_one, stays)) and bool(_BOOKED_FOR_ME.search(request))
        stays = [without_passers_by(s, layout.text, related_only=not mine) for s in stays]
    named = [n for s in stays for n in s.traveler_names.value or []
             if not asked or any(w in people.text for w in n.split())]
    # the writer's own request for one: a new booking from a sender the header names
    for_one = intent == "new_booking" and sender is not None and not answers and all(
        map(_for_one, stays))
    who = requester(people, sender, named, request, for_one=for_one)
    if asked and who.evidence:
        who = replace(who, evidence=(who.evidence[0] + asked[0], who.evidence[1] + asked[0]))
    # an unnamed companion leaves the names incomplete (a couple signing names both)
    # so does the writer with others they do not name ("für uns beide", "me and a colleague")
    unnamed = len(who.names) < 2 and (bool(_UNNAMED.search(request)) or (
        who.how == "sender_together" and not named))
    # a shallow copy: the steps below replace whole fields, never change one in place
    out = [_imply_stay(s.model_copy(), who, layout.text, unnamed=unnamed, request=request,
                       whole=intent == "new_booking") for s in stays]
    # a name written in full in one stay completes its part in another ("Dr. Reimann-Stoll"),
    # and the writer's signed name their first name read as a traveller ("tom" by "- tom reyes")
    known += tuple(n for s in out for n in s.traveler_names.value or [] if " " in n)
    known += tuple(n for n in who.names if " " in n)
    out = [_completed(s, known) for s in out]
    return _greeted_addressee(out, layout.text, addressee) if addressee else out


def _with_spouse(stays: list[Stay], people: Layout, sender: Sender | None, request: str,
                 offset: int) -> list[Stay]:
    """`stays` with the writer's spouse named by first name ("my wife Anne") as a traveller,
    with the writer's surname (in place of the first name alone), where no traveller has that
    first name in full already; `request` starts `offset` characters into the text."""
    m = _SPOUSE.search(request)
    writer = signed_names(people, sender)[0]
    if m is None or len(writer) != 1 or len(writer[0].split()) < 2 or not person(m["first"]):
        return stays
    first = m["first"]
    full = f"{first} {writer[0].split()[-1]}"
    out = []
    for stay in stays:
        names = [n for n in stay.traveler_names.value or [] if n.casefold() != first.casefold()]
        if any(first.casefold() in n.casefold().split() for n in names):
            out.append(stay)  # written in full already
            continue
        field = derived([*names, full], "sender_together",
                        (offset + m.start("first"), offset + m.end("first")))
        out.append(stay.model_copy(update={"traveler_names": field}))
    return out


def _with_named_companion(stays: list[Stay], request: str, offset: int) -> list[Stay]:
    """`stays` with the companion the writer names in full just before "and I" ("meine
    Freundin Gisela Hartmann und ich") as a traveller, where no traveller has that name's
    words already; `request` starts `offset` characters into the text. The writer joins them
    as `sender_together` does."""
    found = next(filter(None, map(_companion, _NAMED_AND_I.finditer(request))), None)
    if found is None:
        return stays
    name, (start, end) = found
    words = {w.casefold() for w in name.split()}
    out = []
    for stay in stays:
        names = stay.traveler_names.value or []
        if any(words & {w.casefold() for w in n.split()} for n in names):
            out.append(stay)
            continue
        field = derived([*names, name], "sender_together", (offset + start, offset + end))
        out.append(stay.model_copy(update={"traveler_names": field}))
    return out


def _companion(m: re.Match[str]) -> tuple[str, tuple[int, int]] | None:
    """The person `m` (of `_NAMED_AND_I`) names and where, without the words before the name
    ("meine Freundin Gisela Hartmann": Gisela Hartmann); None when no two name words are
    left."""
    words = list(re.finditer(r"\S+", m["name"]))
    while words and (not_a_name(words[0].group()) or words[0].group().casefold()
                     in _RELATION_WORDS):
        words.pop(0)
    if len(words) < 2:
        return None
    start, end = m.start("name") + words[0].start(), m.end("name")
    name = person(m.string[start:end])
    return (name, (start, end)) if name else None


def _greeted_addressee(stays: list[Stay], text: str, addressee: Sender) -> list[Stay]:
    """`stays` of a quoted message with its addressee as their guest, when no stay names one,
    each is for one adult, and the message greets the addressee by surname or first name
    ("Dear Mr Okoro, your booking is confirmed" quoted under Daniel Okoro's change; "Dear
    Niamh, your stay is confirmed"): a booking confirmed to someone is theirs."""
    name = person(addressee.name) if addressee.name else None
    if name is None or len(name.split()) < 2 or any(
            s.traveler_names.value or s.guests.value != 1 for s in stays):
        return stays
    surname, first = name.split()[-1].casefold(), name.split()[0].casefold()
    for m in _GREETED.finditer(text):
        if (m["name"].split()[-1].casefold() == surname if m["titles"]
                else m["name"].casefold() in (first, name.casefold())):
            field = derived([name], "addressee", (m.start("name"), m.end("name")))
            return [s.model_copy(update={"traveler_names": field}) for s in stays]
    return stays


def _own_booking(stay: Stay, who: Requester) -> Stay:
    """A cancellation's `stay` naming no guest, with the writer (`who`, who cancels their own
    booking: "please cancel my reservation ... Emily") as its guest: who it identifies."""
    if stay.traveler_names.value:
        return stay
    field = derived(list(who.names), "sender_self", who.evidence)
    return stay.model_copy(update={"traveler_names": field})


def _trip_owner(stays: list[Stay], request: str, offset: int = 0) -> list[Stay]:
    """`stays` with the person whose trip the request is about as their traveller, when no
    stay names anyone and the request names one only in the possessive ("update on Sunita's
    Benelux trip", "for Mr Ito's stay"); `request` starts `offset` characters into the text."""
    if any(s.traveler_names.value for s in stays):
        return stays
    for m in _TRIP_OWNER.finditer(request):
        name = person(m["name"])
        if name and not not_a_name(m["name"]):
            field = derived([name], "trip_owner",
                             (offset + m.start("name"), offset + m.end("name")))
            return [s.model_copy(update={"traveler_names": field}) for s in stays]
    return stays


def _unsigned(stay: Stay, text: str, zones: tuple[tuple[int, int], ...]) -> Stay:
    """`stay` without the travellers whose every mention stands in a sign-off of `zones`."""
    names = stay.traveler_names.value
    if not names or not zones:
        return stay
    inside = [e for e in stay.traveler_names.evidence
              if any(lo <= e.start and e.end <= hi for lo, hi in zones)]
    if not inside:
        return stay
    outside = [e for e in stay.traveler_names.evidence if e not in inside]
    signed = {w.casefold() for e in inside for w in text[e.start : e.end].split()}
    said = {w.casefold() for e in outside for w in text[e.start : e.end].split()}
    keep = [n for n in names if not ({w.casefold() for w in n.split()} & signed)
            or {w.casefold() for w in n.split()} & said]
    copy = stay.model_copy(deep=True)
    copy.traveler_names = FormField(value=keep or None, confidence=stay.traveler_names.confidence,
                                    evidence=outside, source=stay.traveler_names.source)
    return copy


def _completed(stay: Stay, known: tuple[str, ...]) -> Stay:
    """`stay` with each traveller written by part of their name that is part of exactly one
    full name in `known` written in full ("Wagner" -> "Brigitte Wagner"), and no other of its
    travellers ("Herr Reuter" and "Eva Reuter" are two people; "Greg" and "Greg Holt" one)."""
    names = stay.traveler_names.value
    full = [p for k in known if (p := person(k))]
    if not names:
        return stay
    out = [completed_name(name, [f for f in full if f not in names]) for name in names]
    out = [n for n in out if " " in n or not any(
        o != n and o.split()[0].casefold() == n.casefold() for o in out)]
    if out == names:
        return stay
    copy = stay.model_copy(deep=True)
    copy.traveler_names.value = list(dict.fromkeys(out))
    return copy


def _for_one(stay: Stay) -> bool:
    """Whether a stay asks for one person: one room or none said, one adult or none said, and
    no room made for two (a double or a twin)."""
    return (stay.rooms.value or 1) == 1 and (stay.guests.value or 1) == 1 and (
        stay.room_type.value not in ("double", "twin")) and not stay.children.value


def _imply_stay(stay: Stay, who: Requester, text: str, *, unnamed: bool, request: str,
                whole: bool) -> Stay:
    names = list(stay.traveler_names.value or [])
    if who.how is not None and who.names:
        travellers = distinct_people([*names, *who.names])
        evidence = [*stay.traveler_names.evidence]
        if who.evidence:
            evidence.append(Evidence(start=who.evidence[0], end=who.evidence[1]))
        confidence = IMPLIED_CONFIDENCE[who.how]
        if names:
            confidence = min(confidence, stay.traveler_names.confidence)
        stay.traveler_names = FormField(value=travellers, confidence=confidence,
                                        evidence=evidence, source="derived")
        names = travellers
    elif who.how == "sender_together" and len(names) == 1:  # "me and Ana Lima", unsigned
        names, unnamed = [*names, ""], True  # one adult more, and not every adult named
    if who.how == "sender_together" and unnamed and len(names) == 1:
        names = [*names, ""]  # "meine Freundin und ich", signed: the writer and one more at least
    alone = who.how in ("sender_self", "sender_alone") and len(names) <= 1 and not unnamed
    imply_children(stay, request)
    imply_counts(stay, names, alone=alone, text=text, request=request, whole=whole)
    named = stay.traveler_names.value
    if unnamed and named is not None and not (  # unnamed children leave the adults named
            stay.children.value and stay.guests.value == len(named)):
        stay.traveler_names = FormField(value=None)
    return stay
