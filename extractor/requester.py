"""Who asks: the writer's name (the sign-off, the From header's display name, or how they
introduce themselves; titles dropped) and whether they stay (CONVENTIONS): alone when they ask
in the first person ("book me a single", "ich brauche ein EZ"), together with the people they
name when they say so ("for Anna and me", "mein Kollege kommt mit"), and not when they book
for others ("for our guests", "on behalf of"). `extractor.implied` fills the form from it.
In a thread, who asks and where (`asking`: the sender, their own request quoted under the
agency's question, a forwarded original's author) and where a forwarder signs their note
(`forwarders_sign_offs`).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Literal, Protocol

from extractor.form import Segment, Sender
from extractor.layout import Layout
from extractor.lexicon import alternation, lexicon
from extractor.merge.vocabulary import COMES_ALONG, NOT_NAME
from extractor.signature import POST_NOMINALS, sign_off_span, signer_span
from extractor.values.dates import names_a_day
from extractor.values.people import abbreviates, goes_by, initials_of, normalize_traveler
from extractor.values.places import known_city_in, only_common_words

__all__ = ["FOR_SELF", "NAME", "PEOPLE", "Requester", "asking", "asks_for_self",
           "forwarders_sign_offs", "not_a_name", "person", "requester", "signed_names"]

PEOPLE = lexicon().people
_PARTICLES = frozenset(lexicon().places.name_particles)  # lowercase, as names write them
ROOMS = lexicon().rooms
# not where the writer is who mail goes to: "send the confirmation to me and copy him"
# (not a count of rooms or nights: "brauchen wir zwei Einzelzimmer"; nor a range's start:
# "senden Sie uns zwei bis drei Vorschläge")
_TOGETHER = re.compile(rf"(?<!\w)(?<!\bto )(?<!\ban )(?<!\bcc ){alternation(PEOPLE.together)}"
                       r"(?![\w'’])(?![ \t]+\w*(?:zimmer|rooms?|nächte|naechte|nights|ez|dz)\b)"
                       r"(?![ \t]*(?:bis|oder|or|to|-|–)[ \t]*\w)", re.I)
# ... or the writer is on the way with one: "ich bin mit meinem Kollegen Herrn Fischer unterwegs"
_WITH_COMPANION = re.compile(
    rf"(?<!\w)(?:with|mit)[ \t]+(?:my|meinem|meiner|meinen)[ \t]+"
    rf"{alternation(PEOPLE.relations + PEOPLE.roles)}[ \t]+(?P<who>[^\n,;.!?]{{1,40}})", re.I)
# someone the writer is related to, named: "meine Frau Petra Zimmermann", "my husband, Tom
# Baker", "my colleague Eilidh MacDonald", "meine Kollegin Małgorzata Zielińska"
_MY_RELATION = re.compile(rf"(?<!\w)(?:my|mein|meine)[ \t]+{alternation(PEOPLE.relations)},?[ \t]+"
                        r"(?P<who>[^\n,;.!?]{1,40})", re.I)
_NEGATED = re.compile(r"(?:\bnot|n[’']t|\bnicht|\bnever|\bnie)\s+$", re.I)
# ... or names their own booking with words between: "cancel my Auckland hotel", "mein EZ im
# Hotel Paris", "my Lisbon booking"
_MINE_NAMED = (r"(?:my|mein|meine|meinen|meinem|meiner)[ \t]+(?:[^\W\d_][\w-]*[ \t]+){1,2}?"
               rf"(?:{alternation(ROOMS.room_nouns)}|hotel|booking|reservation|stay|buchung"
               r"|reservierung|aufenthalt)")
FOR_SELF = re.compile(rf"(?<!\w)(?:{alternation(PEOPLE.for_self)}|{_MINE_NAMED})(?!\w)", re.I)
_FOR_OTHERS = re.compile(
    rf"(?<!\w)(?:{alternation(PEOPLE.for_others)}|(?:for|für|fuer)\s+"
    rf"{alternation(PEOPLE.possessives)}\s+{alternation(PEOPLE.relations + PEOPLE.roles)}"
    rf"|(?:for|für|fuer)\s+{alternation(PEOPLE.title_words)}\.?(?=\s))"
    rf"(?!\w)(?![’']s\b)(?!\s+{alternation(PEOPLE.occasions)}\b)", re.I)  # "for a client workshop"
_NOT_PERSON = re.compile(r"\b(?:team|office|desk|travel|reisen|booking|bookings|info|service|"
                         r"support|noreply|no-reply|admin|gmbh|ag|ltd|inc|llc|kg|sekretariat|familie|family|"
                         r"assistenz|assistant|hr|events?|sales|empfang|reception)\b", re.I)
_NAME_WORD = re.compile(r"^[^\W\d_][\w'’.-]*$")
# the writer in the first person singular, alone: with no one else named and no "we", the
# request is theirs ("My plans changed", "Kann ich bis zum 17.2. bleiben?")
_I = re.compile(rf"(?<![\w'’]){alternation(PEOPLE.me + PEOPLE.mine)}(?![\w'’])", re.I)
_COUPLE = re.compile(r"\s+(?:&|and|und|\+)\s+", re.I)
_WE = re.compile(rf"(?<![\w'’]){alternation(PEOPLE.we_request)}(?![\w'’])", re.I)
# a capitalised name word ("Anna", "Schäfer-Okoye")
# a name word: "Anna", "Müller-Lüdenscheidt", "O'Connell" ("O'" and "D'" begin a word)
NAME = (r"(?:[A-ZÄÖÜ]['’][A-ZÄÖÜ][^\W\d_]+"
        r"|[A-ZÄÖÜ][^\W\d_]+(?:[-'’][A-ZÄÖÜ][^\W\d_]+)?)")
# a clause the writer adds after a comma: "max. USD 160 per night, and I would like breakfast"
# (but "My wife, Julia Moretti, and I": a name between commas is the one the writer joins)
# a role said of someone in apposition: "our CFO", "meine Kollegin aus dem Vertrieb"
OUR_ROLE = r"(?i:our|my|unser|unsere|unser[mn]|mein|meine|mein[mn])[ \t]+[^\W\d][^\n,]{0,30}"
_CLAUSE_AND = re.compile(r"(?<!\w)(?:and|und) ")
# "My wife, Julia Moretti, and I", "Robert Kline, our CFO, and I"
_NAMED_BETWEEN_COMMAS = re.compile(
    rf",[ \t]+(?:{NAME}(?:[ \t]+{NAME}){{0,2}}|{OUR_ROLE}),[ \t]*$")
_COMMA_REACH = 120  # characters: more than ", " and three name words and ", " take
# the writer names themselves near the start: "Hey, Kemi hier", "Hi, this is Dana Levi"
_INTRO = re.compile(
    rf"(?:^|[\n.!,;:]|\b(?i:hi|hey|hello|hallo|moin|servus))[ \t]*"
    rf"(?P<a>{NAME}(?:[ \t]+{NAME})?)[ \t]+(?i:{alternation(PEOPLE.self_introduced_after)})\b"
    rf"|(?<!\w)(?i:{alternation(PEOPLE.self_introduced_before)})[ \t]+(?P<b>{NAME}(?:[ \t]+{NAME})?)")
_INTRO_ANY_CASE = re.compile(_INTRO.pattern, re.I)  # a text written all in lowercase
_INTRO_ZONE = 300  # characters: an introduction opens the email
# the writer listed first among the named: "It's for myself, Rosa Ibáñez and Peter Novak",
# "for myself, my colleague Stefan Brandt and ..."
_ME_LISTED = re.compile(rf"(?<![\w'’])(?i:myself|me|mich|mir|ich)\s*,\s*"
                        rf"(?:(?i:{alternation(PEOPLE.mine)})\s+[^\W\d_]+(?:-[^\W\d_]+)?\s+)?"
                        rf"(?P<next>{NAME})")
# a room the writer asks for themselves beside rooms for others: "a single for me", "King room
# for me and my husband", "ein EZ für mich" (not "book for me a single", asked on their behalf)
_ROOM_FOR_ME = re.compile(
    rf"(?<!\w)(?:{alternation(ROOMS.room_nouns + ROOMS.kinds)})\w*(?:[ \t]+rooms?)?[ \t]+"
    r"(?:for|für|fuer)[ \t]+(?:me|myself|mich|meself)(?![\w'’])", re.I)


@dataclass(frozen=True)
class Requester:
    """Who wrote the request, and whether they stay: `names` (titles dropped; two when a
    couple signs, "Eva and Tomasz Wójcik") with the evidence of the signed names in the text
    (None when they come from the From header), and `how` they were found to travel (a key of
    `IMPLIED_CONFIDENCE`) or None when they do not."""

    names: tuple[str, ...]
    evidence: tuple[int, int] | None
    how: Literal["sender_together", "sender_self", "sender_alone"] | None


def person(name: str | None) -> str | None:
    """`name` as a person's name without titles, or None when it is no person ("Travel
    Desk", "info@acme.de", a lowercase word)."""
    if not name or "@" in name or _NOT_PERSON.search(name):
        return None
    name = POST_NOMINALS.sub("", name)  # "Keisha Morgan, RN, BSN"
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
    if any(w.lower() in NOT_NAME and not (0 < k < len(words) - 1 and w in _PARTICLES)
           for k, w in enumerate(words)):
        return None  # a name's particles may stand inside it: "Pieter van der Berg"
    return clean


def _people(signed: str) -> tuple[str, ...]:
    """The people a signed line names: one, or a couple ("Nele & Saskia"; "Eva and Tomasz
    Wójcik": the surname is both's)."""
    parts = [p for p in _COUPLE.split(signed) if p.strip()]
    if len(parts) != 2:
        one = person(signed)
        return (one,) if one else ()
    first, second = (person(p) for p in parts)
    if not first or not second:
        return ()
    if len(first.split()) == 1 and len(second.split()) > 1:
        first = f"{first} {second.split()[-1]}"
    return first, second


def signed_names(layout: Layout, sender: Sender | None
                 ) -> tuple[tuple[str, ...], tuple[int, int] | None]:
    """The requester's names and where the text signs them: a signed name as written; a first
    name alone completed from the From header when that starts with it, and initials ("G.B.")
    when they are its; else the From header's name (no evidence in the text)."""
    header = person(sender.name) if sender else None
    found = signer_span(layout.text)
    signed = _people(layout.text[found[0] : found[1]]) if found else ()
    if len(signed) == 1 and len(signed[0].split()) == 1 and header \
            and (goes_by(signed[0], header.split()[0]) or initials_of(signed[0], header)):
        return (header,), found
    if len(signed) == 1 and header and abbreviates(signed[0], header):
        return (header,), found  # "Alejandro Gutiérrez R." under a From of the whole name
    if signed:
        return signed, found
    intro = _introduced(layout.text, cased=layout.cased)
    if intro and not (header and goes_by(intro[0].split()[0], header.split()[0])):
        return (intro[0],), intro[1]
    return ((header,) if header else (intro[0],) if intro else ()), None


def _introduced(text: str, *, cased: bool = True) -> tuple[str, tuple[int, int]] | None:
    """The name the writer introduces themselves with at the start ("Kemi hier", "this is
    Dana Levi", in a text written all in lowercase "hey, kemi hier") and where it stands;
    None when the start names no one so."""
    for m in (_INTRO if cased else _INTRO_ANY_CASE).finditer(text[:_INTRO_ZONE]):
        group = "a" if m["a"] else "b"
        name = person(m[group])
        if name and not not_a_name(m[group]):
            return name, (m.start(group), m.end(group))
    return None


def requester(layout: Layout, sender: Sender | None, named: list[str], request: str, *,
              for_one: bool = False) -> Requester:
    """Who asks, and whether they stay, given the travellers the stays name and the `request`
    (the text before the sign-off: where its people are said): with others named
    only when they say so ("for Anna and me"); alone when they ask in the first person
    ("book me", "ich brauche") and not for a group ("we need five rooms"); a couple that signs
    together when they write as one ("we", "meine Freundin und ich"). An impersonal request
    that names no one and asks for one person (`for_one`: "bitte 1 EZ in Graz, 8.-10. Juni")
    is the writer's own, less surely (CONVENTIONS: the people who stay, and a booker who books
    for someone names them)."""
    names, evidence = signed_names(layout, sender)
    if names and any(n.split()[0].casefold() in m.casefold().split() or abbreviates(n, m)
                     for n in names for m in named):
        return Requester(names, evidence, None)  # named as a traveller already
    listed = any(m["next"].casefold() in {n.split()[0].casefold() for n in named}
                 for m in _ME_LISTED.finditer(request))
    if listed or _together(request) or (len(names) > 1 and _WE.search(request)) or (
            named and _ROOM_FOR_ME.search(request)):
        return Requester(names, evidence, "sender_together")
    along = _comes_along(request)
    related = along is not None and _related_named(request, named)  # "meine Frau X kommt mit"
    along = along if along is not None else _with_named(request, named)
    if named and along is not None and (FOR_SELF.search(request) or related) \
            and not _FOR_OTHERS.search(request, 0, along):  # "... a second room for him" after
        return Requester(names, evidence, "sender_together")  # "ich bin ..., X kommt mit"
    if named or _FOR_OTHERS.search(request):
        return Requester(names, evidence, None)
    if len(names) <= 1 and (FOR_SELF.search(request) or (
            _I.search(request) and not _WE.search(request))):
        return Requester(names, evidence, "sender_self")
    if len(names) == 1 and for_one and not _WE.search(request) and not _I.search(request):
        return Requester(names, evidence, "sender_alone")
    return Requester(names, evidence, None)


def _comes_along(request: str) -> int | None:
    """Where `request` first says someone comes along, not negated ("I'm not joining");
    None when it does not."""
    return next((m.start() for m in COMES_ALONG.finditer(request)
                 if not _NEGATED.search(request, max(0, m.start() - 12), m.start())), None)


def _with_named(request: str, named: list[str]) -> int | None:
    """Where `request` says the writer is with a companion among the `named` travellers ("mit
    meinem Kollegen Herrn Ruben Fischer"; not "with my assistant Nina", who books); None when
    it does not."""
    words = {w.casefold() for n in named for w in n.split()}
    return next((m.start() for m in _WITH_COMPANION.finditer(request)
                 if words & {w.casefold() for w in m["who"].split()}), None)


def _related_named(request: str, named: list[str]) -> bool:
    """Whether `request` names one of the `named` travellers by their relation to the writer
    ("meine Frau Petra Zimmermann", "my colleague Eilidh MacDonald"): said beside their coming
    along, the writer travels with them."""
    words = {w.casefold() for n in named for w in n.split()}
    return any(words & {w.casefold() for w in m["who"].split()}
               for m in _MY_RELATION.finditer(request))


def asks_for_self(text: str) -> bool:
    """Whether the writer of `text` asks in the first person, alone or with others."""
    return bool(FOR_SELF.search(text) or _together(text)
                or (_I.search(text) and not _WE.search(text)))


def _together(text: str) -> bool:
    """Whether the writer says they come with others ("Anna and I", "wir beide"), not in a
    clause they add after a comma ("..., and I would like breakfast")."""
    for m in _TOGETHER.finditer(text):
        before = text[max(0, m.start() - _COMMA_REACH) : m.start()].rstrip(" ")
        if not (_CLAUSE_AND.match(m.group()) and before.endswith(",")) \
                or _NAMED_BETWEEN_COMMAS.search(before):
            return True
    return False


def not_a_name(words: str) -> bool:
    """A capitalised phrase that names a day, a known city or only common words ("Here's")."""
    return names_a_day(words) or bool(known_city_in(words)) or only_common_words(words)


# -- who asks in a thread -------------------------------------------------------------
class Message(Protocol):
    """What these helpers read of a message (`extractor.pipeline.Prepared`)."""

    @property
    def sender(self) -> Sender | None: ...
    @property
    def asked(self) -> tuple[int, int] | None: ...
    @property
    def segments(self) -> tuple[Segment, ...]: ...


def asking(item: Message, text: str) -> tuple[Sender | None, tuple[int, int] | None]:
    """Who asks in `text` (the request `item` reads) and where they write: the sender in their
    own request quoted under the agency's question (`Prepared.asked`); in a forward, the
    original's author when the original asks in the first person ("could you get me a
    hotel") and the forwarder does not ask for themselves ("Thiago Mendes und ich fliegen"
    above a colleague's hotel tip; not "we need a second single room for her"), else the
    forwarder in their note; else the sender, in the whole text."""
    if item.asked is not None:
        return item.sender, item.asked
    note = next((s for s in item.segments if s.kind == "new"), None)
    original = next((s for s in item.segments if s.kind == "forwarded" and s.start < len(text)),
                    None)
    if note is None or original is None:
        return item.sender, None
    part = (original.start, min(original.end, len(text)))
    mine = (note.start, min(note.end, len(text)))
    if original.author and asks_for_self(text[part[0] : part[1]]) and not (
            _note_for_self(text, *mine) or _together(text[mine[0] : mine[1]])):
        return Sender(name=original.author), part
    return item.sender, mine


# whom a forwarder's words ask for, later in their clause: "we need a second single room for
# her" asks for someone else
_FOR_SOMEONE_ELSE = re.compile(r"[^.!?\n]*?\b(?:for|für|fuer)\s+(?:her|him|them|sie|ihn)\b",
                               re.IGNORECASE)


def _note_for_self(text: str, start: int, end: int) -> bool:
    """Whether a forwarder's note (`text[start:end]`) asks for the forwarder: first-person
    words not followed in their clause by whom else they are for."""
    return any(not _FOR_SOMEONE_ELSE.match(text, m.end(), end)
               for m in FOR_SELF.finditer(text, start, end))


def forwarders_sign_offs(item: Message, text: str) -> tuple[tuple[int, int], ...]:
    """Where the forwarder signs their note above a forwarded request in `text` (the request
    `item` reads): a name there signs the note, it does not stay."""
    zones = []
    for seg, nxt in zip(item.segments, item.segments[1:], strict=False):
        if seg.kind == "new" and nxt.kind == "forwarded" and nxt.start < len(text):
            note = text[seg.start : seg.end]
            zone = sign_off_span(note) or _own_name_line(note, seg.author)
            if zone is not None:
                zones.append((seg.start + zone[0], seg.start + zone[1]))
    return tuple(zones)


def _own_name_line(note: str, author: str | None) -> tuple[int, int] | None:
    """The note's last line when it is only its author's name or part of it ("...\n\nMegan"
    by Megan Doyle): the forwarder signs without a closing phrase."""
    body = note.rstrip()
    start = body.rfind("\n") + 1
    last = body[start:].strip()
    if not last or not author or not set(last.casefold().split()) <= set(author.casefold().split()):
        return None
    start += body[start:].index(last)
    return start, start + len(last)
