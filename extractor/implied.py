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
from dataclasses import dataclass, replace
from typing import Literal

from extractor.counts import IMPLIED_CONFIDENCE, derived, imply_children, imply_counts
from extractor.form import Evidence, FormField, Intent, Sender, Stay
from extractor.layout import Layout
from extractor.lexicon import alternation, lexicon
from extractor.merge.vocabulary import NOT_NAME
from extractor.signature import signer_span
from extractor.values.dates import names_a_day
from extractor.values.people import completed_name, goes_by, normalize_traveler
from extractor.values.places import known_city_in, only_common_words

__all__ = ["IMPLIED_CONFIDENCE", "Requester", "asks_for_self", "imply", "requester"]

_PEOPLE = lexicon().people
# not where the writer is who mail goes to: "send the confirmation to me and copy him"
_TOGETHER = re.compile(rf"(?<!\w)(?<!to )(?<!an )(?<!cc ){alternation(_PEOPLE.together)}"
                       rf"(?![\w'’])", re.I)
# a named companion comes along with the writer: "mein Kollege Herr Brandt kommt mit"
_COMES_ALONG = re.compile(rf"(?<!\w){alternation(lexicon().cues.joins)}(?!\w)", re.I)
_NEGATED = re.compile(r"(?:\bnot|n[’']t|\bnicht|\bnever|\bnie)\s+$", re.I)
_FOR_SELF = re.compile(rf"(?<!\w){alternation(_PEOPLE.for_self)}(?!\w)", re.I)
_FOR_OTHERS = re.compile(
    rf"(?<!\w)(?:{alternation(_PEOPLE.for_others)}|(?:for|für|fuer)\s+"
    rf"{alternation(_PEOPLE.possessives)}\s+{alternation(_PEOPLE.relations + _PEOPLE.roles)}"
    rf"|(?:for|für|fuer)\s+{alternation(_PEOPLE.titles + _PEOPLE.name_start_titles)}\.?\s)"
    rf"(?!\w)(?![’']s\b)(?!\s+{alternation(_PEOPLE.occasions)}\b)", re.I)  # "for a client workshop"
_NOT_PERSON = re.compile(r"\b(?:team|office|desk|travel|reisen|booking|bookings|info|service|"
                         r"support|noreply|no-reply|admin|gmbh|ag|ltd|inc|llc|kg|sekretariat|familie|family|"
                         r"assistenz|assistant|hr|events?|sales|empfang|reception)\b", re.I)
_NAME_WORD = re.compile(r"^[^\W\d_][\w'’.-]*$")
# the writer in the first person singular, alone: with no one else named and no "we", the
# request is theirs ("My plans changed", "Kann ich bis zum 17.2. bleiben?")
_I = re.compile(rf"(?<![\w'’]){alternation(_PEOPLE.me + _PEOPLE.mine)}(?![\w'’])", re.I)
_COUPLE = re.compile(r"\s+(?:&|and|und|\+)\s+", re.I)
_WE = re.compile(rf"(?<![\w'’]){alternation(_PEOPLE.we_request)}(?![\w'’])", re.I)
# a companion the email does not name: "seine Frau reist mit", "my husband", "a colleague"
_UNNAMED = re.compile(
    rf"(?<!\w)(?:my|his|her|a|an|mein|meine|meinen|sein|seine|seinen|ihr|ihre|ihren|eine|einen)"
    rf"\s+{alternation(_PEOPLE.relations)}(?!\w)(?!\s+[A-ZÄÖÜ])"
    rf"(?!,\s+(?-i:[A-ZÄÖÜ]))|\bbegleitung\b", re.I)  # "meine Frau, Frau Monika Vogt": named

# the writer names themselves near the start: "Hey, Kemi hier", "Hi, this is Dana Levi"
_NAME = r"[A-ZÄÖÜ][^\W\d_]+(?:[-'’][A-ZÄÖÜ][^\W\d_]+)?"
_INTRO = re.compile(
    rf"(?:^|[\n.!,;:]|\b(?i:hi|hey|hello|hallo|moin|servus))[ \t]*"
    rf"(?P<a>{_NAME}(?:[ \t]+{_NAME})?)[ \t]+(?i:{alternation(_PEOPLE.self_introduced_after)})\b"
    rf"|(?<!\w)(?i:{alternation(_PEOPLE.self_introduced_before)})[ \t]+(?P<b>{_NAME}(?:[ \t]+{_NAME})?)")
_INTRO_ZONE = 300  # characters: an introduction opens the email

# How sure each way of implying a value is, before calibration: measured on the relabelled
# hand-written dev emails (docs/ANNOTATION.md, "Implied values"), rounded down.
# whose trip the email is about, named only in the possessive: "Sunita's Benelux trip"
_TRIP_OWNER = re.compile(
    rf"(?P<name>{_NAME}(?:[ \t]+{_NAME})?)['’]s[ \t]+(?:[\w-]+[ \t]+){{0,2}}?"
    r"(?:trip|travels?|booking|reservation|stay|visit|itinerary|hotel)\b")


@dataclass(frozen=True)
class Requester:
    """Who wrote the request, and whether they stay: `names` (titles dropped; two when a
    couple signs, "Eva and Tomasz Wójcik") with the evidence of the signed names in the text
    (None when they come from the From header), and `how` they were found to travel (a key of
    `IMPLIED_CONFIDENCE`) or None when they do not."""

    names: tuple[str, ...]
    evidence: tuple[int, int] | None
    how: Literal["sender_together", "sender_self"] | None


def _person(name: str | None) -> str | None:
    """`name` as a person's name without titles, or None when it is no person ("Travel
    Desk", "info@acme.de", a lowercase word)."""
    if not name or "@" in name or _NOT_PERSON.search(name):
        return None
    if "," in name:  # "Okafor, Daniel"
        last, _, first = name.partition(",")
        name = f"{first.strip()} {last.strip()}"
    clean = normalize_traveler(name)
    words = clean.split() if clean else []
    if not 1 <= len(words) <= 4 or not all(_NAME_WORD.match(w) for w in words):
        return None
    if re.search(r"(?<![\w.])[^\W\d_]\.\s*$", name):  # "petra s.": the initial keeps its dot
        clean = f"{clean}."
    bare = words[0].rstrip(".")
    if len(words) == 1 and len(bare) <= 2 and (bare.islower() or bare.isupper()):
        return None  # initials ("mb", "ts", "BR") sign, they name no one ("Jo" does)
    if any(w.lower() in NOT_NAME for w in words):
        return None
    return clean


def _people(signed: str) -> tuple[str, ...]:
    """The people a signed line names: one, or a couple ("Nele & Saskia"; "Eva and Tomasz
    Wójcik": the surname is both's)."""
    parts = [p for p in _COUPLE.split(signed) if p.strip()]
    if len(parts) != 2:
        one = _person(signed)
        return (one,) if one else ()
    first, second = (_person(p) for p in parts)
    if not first or not second:
        return ()
    if len(first.split()) == 1 and len(second.split()) > 1:
        first = f"{first} {second.split()[-1]}"
    return first, second


def _signed_names(layout: Layout, sender: Sender | None
                  ) -> tuple[tuple[str, ...], tuple[int, int] | None]:
    """The requester's names and where the text signs them: a signed name as written; a first
    name alone completed from the From header when that starts with it; else the From
    header's name (no evidence in the text)."""
    header = _person(sender.name) if sender else None
    found = signer_span(layout.text)
    signed = _people(layout.text[found[0] : found[1]]) if found else ()
    if len(signed) == 1 and len(signed[0].split()) == 1 and header \
            and goes_by(signed[0], header.split()[0]):
        return (header,), found
    if signed:
        return signed, found
    intro = _introduced(layout.text)
    if intro and not (header and goes_by(intro[0].split()[0], header.split()[0])):
        return (intro[0],), intro[1]
    return ((header,) if header else (intro[0],) if intro else ()), None


def _introduced(text: str) -> tuple[str, tuple[int, int]] | None:
    """The name the writer introduces themselves with at the start ("Kemi hier", "this is
    Dana Levi") and where it stands; None when the start names no one so."""
    for m in _INTRO.finditer(text[:_INTRO_ZONE]):
        group = "a" if m["a"] else "b"
        name = _person(m[group])
        if name and not _not_a_name(m[group]):
            return name, (m.start(group), m.end(group))
    return None


def requester(layout: Layout, sender: Sender | None, named: list[str], request: str
              ) -> Requester:
    """Who asks, and whether they stay, given the travellers the stays name and the `request`
    (the text before the sign-off: where its people are said): with others named
    only when they say so ("for Anna and me"); alone when they ask in the first person
    ("book me", "ich brauche") and not for a group ("we need five rooms"); a couple that signs
    together when they write as one ("we", "meine Freundin und ich"). An impersonal request
    ("EZ in Graz, 3.-5. Mai. Danke, R. Hein") does not say who stays."""
    names, evidence = _signed_names(layout, sender)
    if names and any(n.split()[0].casefold() in m.casefold().split()
                     for n in names for m in named):
        return Requester(names, evidence, None)  # named as a traveller already
    if _TOGETHER.search(request) or (len(names) > 1 and _WE.search(request)):
        return Requester(names, evidence, "sender_together")
    along = _comes_along(request)
    if named and along is not None and _FOR_SELF.search(request) \
            and not _FOR_OTHERS.search(request, 0, along):  # "... a second room for him" after
        return Requester(names, evidence, "sender_together")  # "ich bin ..., X kommt mit"
    if named or _FOR_OTHERS.search(request):
        return Requester(names, evidence, None)
    if len(names) <= 1 and (_FOR_SELF.search(request) or (
            _I.search(request) and not _WE.search(request))):
        return Requester(names, evidence, "sender_self")
    return Requester(names, evidence, None)


def _comes_along(request: str) -> int | None:
    """Where `request` first says someone comes along, not negated ("I'm not joining");
    None when it does not."""
    return next((m.start() for m in _COMES_ALONG.finditer(request)
                 if not _NEGATED.search(request, max(0, m.start() - 12), m.start())), None)


def asks_for_self(text: str) -> bool:
    """Whether the writer of `text` asks in the first person, alone or with others."""
    return bool(_FOR_SELF.search(text) or _TOGETHER.search(text)
                or (_I.search(text) and not _WE.search(text)))


def imply(stays: list[Stay], *, intent: Intent, layout: Layout, sender: Sender | None,
          known: tuple[str, ...] = (), signed: tuple[tuple[int, int], ...] = (),
          asked: tuple[int, int] | None = None) -> list[Stay]:
    """Copies of `stays` with the travellers, rooms and adults the email implies filled in
    (see the module docstring); values the email writes are never replaced, but a traveller
    written by one name ("Frau Wagner") is completed from a full name the thread knows
    (`known`: the From header's, the authors of quoted and forwarded messages), and a name
    that only signs a forwarder's note above the forwarded request (`signed`: those sign-off
    zones) is no traveller. Who asks and whether they stay is read in `asked`, the sender's
    own part of a quote (their request under the agency's question), when given."""
    if intent == "not_hotel" or not stays:
        return stays
    people = Layout(layout.text[asked[0] : asked[1]]) if asked else layout
    request = people.request
    if intent == "cancellation":  # it names its guests in full, and the writer's own booking
        who = requester(people, sender, [], request)
        own = who.how == "sender_self" and bool(_FOR_SELF.search(request))  # not "let me know"
        return [_own_booking(_completed(s, known), who) if own and who.names
                else _completed(s, known) for s in stays]
    stays = [_unsigned(s, layout.text, signed) for s in stays]
    stays = _trip_owner(stays, request, asked[0] if asked else 0)
    named = [n for s in stays for n in s.traveler_names.value or []
             if not asked or any(w in people.text for w in n.split())]
    who = requester(people, sender, named, request)
    if asked and who.evidence:
        who = replace(who, evidence=(who.evidence[0] + asked[0], who.evidence[1] + asked[0]))
    # an unnamed companion leaves the names incomplete (a couple signing names both)
    # so does the writer with others they do not name ("für uns beide", "me and a colleague")
    unnamed = len(who.names) < 2 and (bool(_UNNAMED.search(request)) or (
        who.how == "sender_together" and not named))
    # a shallow copy: the steps below replace whole fields, never change one in place
    return [_completed(_imply_stay(s.model_copy(), who, layout.text, unnamed=unnamed,
                                   request=request, whole=intent == "new_booking"), known)
            for s in stays]


def _own_booking(stay: Stay, who: Requester) -> Stay:
    """A cancellation's `stay` naming no guest, with the writer (`who`, who cancels their own
    booking: "please cancel my reservation ... Emily") as its guest: who it identifies."""
    if stay.traveler_names.value:
        return stay
    field = derived(list(who.names), "sender_self", who.evidence)
    return stay.model_copy(update={"traveler_names": field})


def _not_a_name(words: str) -> bool:
    """A capitalised phrase that names a day, a known city or only common words ("Here's")."""
    return names_a_day(words) or bool(known_city_in(words)) or only_common_words(words)


def _trip_owner(stays: list[Stay], request: str, offset: int = 0) -> list[Stay]:
    """`stays` with the person whose trip the request is about as their traveller, when no
    stay names anyone and the request names one only in the possessive ("update on Sunita's
    Benelux trip", "for Mr Ito's stay"); `request` starts `offset` characters into the text."""
    if any(s.traveler_names.value for s in stays):
        return stays
    for m in _TRIP_OWNER.finditer(request):
        name = _person(m["name"])
        if name and not _not_a_name(m["name"]):
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
    full = [p for k in known if (p := _person(k))]
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


def _imply_stay(stay: Stay, who: Requester, text: str, *, unnamed: bool, request: str,
                whole: bool) -> Stay:
    names = list(stay.traveler_names.value or [])
    if who.how is not None and who.names:
        travellers = [*names, *who.names]
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
    alone = who.how == "sender_self" and len(names) <= 1 and not unnamed
    if whole:
        imply_children(stay, request)
    imply_counts(stay, names, alone=alone, text=text, request=request, whole=whole)
    if unnamed and stay.traveler_names.value is not None:
        stay.traveler_names = FormField(value=None)
    return stay
