"""The thread step: the newest text's stays combined with the booking quoted under it.

A reply is read twice: its own text (what the model's intent is about) and the quoted history
below it, whose stays say what was asked or booked before (`Extractor` extracts the quote as
a booking whatever it is: the agency's confirmation is no request of its own). Then, as
`../shared/external/CONVENTIONS.md` asks:
- a **modification** is the booking after the change: every value of the quoted booking the
  reply does not change is carried over (but its rate, which is no cap) (`source: "history"`, evidence in the quote), and
  `changes` lists what the reply changes (`{stay, field, old, new}`); nights and check-out
  follow the changed dates; a move of the whole booking ("um eine Woche nach hinten
  verschieben", "two days earlier") moves both quoted dates, and a departure named by its
  weekday alone ("verlängern bis Donnerstag") is the first such day after the booked arrival;
- a **cancellation** names its booking by what identifies it, from the quote when the reply
  does not repeat it, with the adults the quote books it for;
- a reply that names only travellers of the quoted booking, or part of their names ("Lisa
  broke her ankle", "Tom und ich teilen uns das Zimmer"), means the quoted booking's
  travellers as the quote writes them;
- a **new booking** that only answers a question (it lacks the place or the dates) is
  completed from the quoted request; a new request that stands on its own keeps nothing of the
  quote (an old booking quoted under a new request is no part of it).
Forwarded originals are read with the forwarder's note as one request (`extractor.text`), so
they need nothing here.
"""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

from extractor.counts import rooms_with_added
from extractor.form import (
    CANCELLATION_FIELDS,
    STAY_FIELDS,
    Change,
    Evidence,
    FormField,
    Intent,
    Stay,
)
from extractor.lexicon import alternation, lexicon
from extractor.reply_dates import (
    CUTS_A_NIGHT,
    moved,
    moved_by,
    night_cut,
    read_after_arrival,
    read_near_arrival,
    written,
)
from extractor.values.people import completed_name, same_people

__all__ = ["answer_intent", "combine", "shift"]

_JOINS = re.compile(rf"(?<!\w){alternation(lexicon().cues.joins + lexicon().cues.adds)}(?!\w)",
                    re.IGNORECASE)
BOOKED = re.compile(rf"(?<!\w){alternation(lexicon().cues.booked)}(?!\w)", re.IGNORECASE)
# a reply without these answers a question; with them it is a request of its own
_STANDS_ALONE = ("destination", "check_in")
# what a change carries over from the booking it changes: not its price, which a confirmation
# quotes as a rate and no one asked as a cap (CONVENTIONS)
_CARRIED = tuple(name for name in STAY_FIELDS if name != "max_price")
_DATES = ("check_in", "check_out", "nights")
# what a cancellation by reply takes from the booking it quotes: what identifies it, and the
# adults it was booked for ("2 adults: Chris & Joanna Patel"), which the reply's own words
# never give (merge step 17 keeps no guest count of the reply)
_CANCELLED = frozenset(CANCELLATION_FIELDS) | {"guests"}


def shift(stays: list[Stay], offset: int) -> list[Stay]:
    """Copies of `stays` whose evidence points `offset` characters further (a quote's stays,
    extracted from the quote alone, into the whole thread's text)."""
    out = []
    for stay in stays:
        copy = stay.model_copy(deep=True)
        for name in STAY_FIELDS:
            f = copy.field(name)
            f.evidence = [Evidence(start=e.start + offset, end=e.end + offset) for e in f.evidence]
        out.append(copy)
    return out


def answer_intent(intent: Intent, quote: str | None, answered_end: int) -> Intent:
    """The intent of a reply whose `quote` (the quoted history; the message it answers ends
    at `answered_end`) asks a question about a request nothing has booked yet ("which dates
    do you need?"): an answer completes that request, a `new_booking`, whatever the reply's
    own short words read as alone ("Ingolstadt, natürlich", "Wednesday and Thursday")."""
    if quote is None or intent not in ("modification", "not_hotel"):
        return intent
    if "?" in quote[:answered_end] and not BOOKED.search(quote):
        return "new_booking"
    return intent


def combine(intent: Intent, stays: list[Stay], quoted: list[Stay], *, text: str = "",
            reference: dt.date | None = None) -> tuple[list[Stay], list[Change]]:
    """The stays of a reply with `quoted` (the stays of the quote, evidence already in the
    thread's text) taken into account, and the changes a modification makes. `text` is what
    the reply writes (it may move the whole booking: "eine Woche später") and `reference`
    its date, which its own relative dates were read against."""
    if not quoted or intent == "not_hotel":
        return stays, []
    if intent == "modification":
        return _modify(stays, quoted, text, reference)
    if intent == "cancellation":
        if not stays:
            return [_carried(Stay(), q, _CANCELLED) for q in quoted], []
        return [_carried(s, _partner(s, quoted), _CANCELLED, text) for s in stays], []
    if not stays:
        return [_carried(Stay(), q, STAY_FIELDS) for q in quoted], []
    if all(s.field(name).value is not None for s in stays for name in _STANDS_ALONE):
        return stays, []
    return [_carried(s, _partner(s, quoted), STAY_FIELDS, text) for s in stays], []


def _partner(stay: Stay, quoted: list[Stay]) -> Stay:
    """The quoted stay `stay` is about: the one in the same city, else the first."""
    city = stay.destination.value
    return next((q for q in quoted if city and q.destination.value == city), quoted[0])


def _carried(stay: Stay, base: Stay, fields: frozenset[str] | tuple[str, ...],
             text: str = "") -> Stay:
    """`stay` with its empty `fields` filled from `base` (source history). A value the reply
    only implies (the writer as the one guest) gives way to one the quote writes ("2
    Erwachsene: Lena Schröder, Paul Schröder"): the quote knows the booking better. `text` is
    the reply's (whether someone it names comes along)."""
    out = stay.model_copy(deep=True)
    joins = bool(_JOINS.search(text))
    if "traveler_names" in fields:
        out.traveler_names = _travellers(out.traveler_names, base.traveler_names, joins=joins)
    for name in fields:
        mine, theirs = out.field(name), base.field(name)
        if theirs.value is None or (mine.value is not None and (
                mine.source != "derived" or theirs.source == "derived")):
            continue
        if name == "rooms" and mine.value is not None and written(stay.room_type) and \
                stay.room_type.value != base.room_type.value and not rooms_with_added(0, text):
            continue  # "ein Twin room statt zwei Singles": the new kind's own count stands
        if name == "traveler_names" and joins and mine.value and not same_people(
                mine.value, theirs.value):
            continue  # someone the quote does not name comes along ("my wife Anne")
        if name != "nights" or mine.value is None:  # nights follow the dates below
            setattr(out, name, _history(theirs))
    _dates_agree(out, stay)
    names = out.traveler_names.value or []
    if joins and out.guests.source in ("history", "derived") and (out.guests.value or 0) < len(
            names):
        # the booked adults and a guest who comes along: as many adults as named guests
        out.guests = _derived(len(names), out.traveler_names)
    if out.rooms.source == "history" and out.rooms.value:  # "add a second room for her"
        if (rooms := rooms_with_added(out.rooms.value, text)) != out.rooms.value:
            out.rooms = _derived(rooms, out.rooms)
    return out


def _travellers(mine: FormField[Any], theirs: FormField[Any], *, joins: bool = False
                ) -> FormField[Any]:
    """The reply's travellers (`mine`) read with the quote's: a reply that names only people
    of the quoted booking, or some of them by part of their name ("Lisa broke her ankle",
    "Herr Ziegler hat abgesagt", "Tom und ich"), means that booking's travellers, all of
    them, as the quote writes them; other names the reply writes stay, completed from the
    quote where it writes them in full. When the reply says they come along (`joins`: "meine
    Frau, Monika Vogt, begleitet mich"), they are added to the quoted guests."""
    if not mine.value or not theirs.value:
        return mine
    if same_people(mine.value, theirs.value):
        return _history(theirs)
    others = [t for t in theirs.value if t not in mine.value]
    completed = list(dict.fromkeys(completed_name(n, others) for n in mine.value))
    if joins and not any(same_people([n], theirs.value) for n in completed):
        completed = list(theirs.value) + completed
    return mine.model_copy(update={"value": completed})


def _history(f: FormField[Any]) -> FormField[Any]:
    return FormField(value=f.value, confidence=f.confidence, evidence=list(f.evidence),
                     source="history")


def _modify(stays: list[Stay], quoted: list[Stay], text: str, reference: dt.date | None
            ) -> tuple[list[Stay], list[Change]]:
    move = moved_by(text)
    cut = CUTS_A_NIGHT.search(text)
    if not stays and move is None and cut is None and not rooms_with_added(0, text):
        # "please change it as discussed": the quoted booking, for a person to check
        return [_carried(Stay(), q, _CARRIED) for q in quoted], []
    out: list[Stay] = []
    changes: list[Change] = []
    for k, stay in enumerate(stays or [Stay() for _ in quoted]):
        base = _partner(stay, quoted) if stays else quoted[k]
        stay = read_near_arrival(read_after_arrival(stay, base, text, reference), base, text)
        if move is not None and not any(written(stay.field(n)) for n in _DATES[:2]):
            stay = moved(stay, base, *move)
        stay = night_cut(stay, base, cut)
        for name in STAY_FIELDS:
            new, old = stay.field(name).value, base.field(name).value
            if new is not None and new != old and stay.field(name).source != "derived":
                changes.append(Change(stay=k, field=name, old=_plain(old), new=_plain(new)))
        out.append(_carried(stay, base, _CARRIED, text))
        if out[-1].rooms.value != base.rooms.value and stay.rooms.value is None:  # one added
            changes.append(Change(stay=k, field="rooms", old=base.rooms.value,
                                  new=out[-1].rooms.value))
    return out, changes


def _dates_agree(out: Stay, written: Stay) -> None:
    """Nights and check-out kept consistent when the reply changes one date and the quote
    gives the others: a written value wins over a carried one, and what follows is derived;
    a date missing on one side follows from the other and the nights."""
    ci, co, n = out.check_in.value, out.check_out.value, out.nights.value
    wrote = {name for name in _DATES if written.field(name).value is not None
             and written.field(name).source != "derived"}
    if ci and n and not co:  # "arriving 7 September" answering "3 nights" asked before
        out.check_out = _derived(ci + dt.timedelta(days=n), out.nights, out.check_in)
    elif co and n and not ci:
        out.check_in = _derived(co - dt.timedelta(days=n), out.nights, out.check_out)
    elif ci and co and co > ci and (co - ci).days != n:
        if "nights" in wrote and "check_out" not in wrote:
            out.check_out = _derived(ci + dt.timedelta(days=n or 0), out.nights, out.check_in)
        else:
            out.nights = _derived((co - ci).days, out.check_in, out.check_out)


def _derived(value: Any, *parts: FormField[Any]) -> FormField[Any]:
    return FormField(value=value, source="derived", evidence=[],
                     confidence=min(p.confidence for p in parts))


def _plain(value: Any) -> Any:
    """A value as JSON holds it (dates as ISO text, a budget as its fields)."""
    if isinstance(value, dt.date):
        return value.isoformat()
    if hasattr(value, "model_dump"):
        return value.model_dump(mode="json")
    return value
