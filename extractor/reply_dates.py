"""What a reply's words do to the booked dates, for the thread step (`extractor.thread`): a move
of the whole booking ("um eine Woche nach hinten verschieben", "push the whole booking back by
one week"), a night cut off its first or last day ("bitte die letzte Nacht stornieren"), and a
day the reply names by its weekday alone, read near the booked arrival rather than after the
reply ("verlängern bis Donnerstag", "also schon am Sonntag").
"""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

from extractor.form import Evidence, FormField, Stay
from extractor.lexicon import alternation, lexicon
from extractor.values.dates import names_a_weekday, parse_date
from extractor.values.numbers import fold, word_to_int

__all__ = ["CANCEL", "CLAUSE", "CUTS_A_NIGHT", "moved", "moved_by", "night_cut",
           "read_after_arrival", "read_near_arrival", "written"]

# "cancel the last night", "die letzte Nacht bitte stornieren": in one clause, either order
# (a clause may wrap onto the next line, not past a blank one)
CLAUSE = r"(?:[^.!?\n]|\n(?!\s*\n))"
CANCEL = alternation(lexicon().cues.cancel_verbs)
_NIGHT_CUT = alternation(lexicon().cues.night_cut)
CUTS_A_NIGHT = re.compile(
    rf"(?<!\w)(?:{CANCEL})(?!\w){CLAUSE}{{0,12}}?(?<!\w)(?P<a>{_NIGHT_CUT})(?!\w)"
    rf"|(?<!\w)(?P<b>{_NIGHT_CUT})(?!\w){CLAUSE}{{0,25}}?(?<!\w)(?:{CANCEL})(?!\w)", re.IGNORECASE)
_FIRST_NIGHT = re.compile(r"^(?:first|erste)", re.IGNORECASE)
_LAST_NIGHT = re.compile(r"^(?:last|final|letzte)", re.IGNORECASE)


# a move of the whole booking by days or weeks: "um eine Woche nach hinten verschieben",
# "push it back by two days", "one week later", "drei Tage früher"
def _amount(k: int) -> str:
    return (rf"(?P<n{k}>\d{{1,2}}|[^\W\d_]+)[ \t]+"
            rf"(?P<unit{k}>weeks?|days?|wochen?|tagen?|tage)")


_WHAT = r"(?:[ \t]+[^\W\d_]+){0,3}?"  # what moves: "it", "the whole booking"
_MOVE = re.compile(
    rf"(?:\bby|\bum)[ \t]+(?:(?:genau|exactly|just|nur|bitte|ca\.|about)[ \t]+)?{_amount(1)}"
    r"[ \t]+(?P<dir1>nach hinten|nach vorne|später|spaeter|früher|frueher|later|earlier|verschieben|vorverlegen|vorziehen)"
    rf"|(?P<dir2>push(?:ed)?{_WHAT} back|postpone(?:d)?{_WHAT}"
    rf"|bring{_WHAT} forward|move(?:d)?{_WHAT} (?:back|forward))"
    rf"[ \t]+by[ \t]+(?:a|one|{_amount(2)})(?:[ \t]+(?P<unit4>weeks?|days?))?"
    rf"|\b{_amount(3)}[ \t]+(?P<dir3>later|earlier|später|spaeter|früher|frueher)\b",
    re.IGNORECASE)
_LATER = re.compile(r"hinten|später|spaeter|later|verschieben|push|postpone|back", re.IGNORECASE)
# a move said of one end only, earlier in its clause: "arrive one day earlier", "die Abreise um
# einen Tag nach hinten"
_ARRIVAL = re.compile(rf"(?<!\w)(?:{alternation(lexicon().cues.check_in)}|anreisen|ankommen"
                      rf"|check in)(?!\w){CLAUSE}{{0,40}}$", re.IGNORECASE)
_DEPARTURE = re.compile(rf"(?<!\w)(?:{alternation(lexicon().cues.check_out)}|abreisen|leave"
                        rf"|depart|check out)(?!\w){CLAUSE}{{0,40}}$", re.IGNORECASE)


def moved_by(text: str) -> tuple[dt.timedelta, Evidence, tuple[str, ...]] | None:
    """How far a reply moves the booking ("um eine Woche nach hinten": +7 days, "two days
    earlier": -2), where it says so, and which dates move: both, or the one its clause names
    before ("arrive one day earlier": the check-in); None when it says no such move."""
    m = _MOVE.search(text)
    if m is None:
        return None
    said = Evidence(start=m.start(), end=m.end())
    before = text[max(0, m.start() - 60) : m.start()]
    ends = ("check_in",) if _ARRIVAL.search(before) else ("check_out",) if _DEPARTURE.search(
        before) else ("check_in", "check_out")
    groups = m.groupdict()
    n_text = groups["n1"] or groups["n2"] or groups["n3"] or "1"
    unit = groups["unit1"] or groups["unit2"] or groups["unit3"] or groups["unit4"] or "week"
    n = int(n_text) if n_text.isdigit() else word_to_int(fold(n_text))
    if n is None or n > 60:
        return None
    days = n * (7 if unit.lower().startswith(("week", "woche")) else 1)
    direction = groups["dir1"] or groups["dir2"] or groups["dir3"] or ""
    if "forward" in direction.lower() or "vorne" in direction.lower():
        return dt.timedelta(days=-days), said, ends
    return dt.timedelta(days=days if _LATER.search(direction) else -days), said, ends


def written(f: FormField[Any]) -> bool:
    return f.value is not None and f.source not in ("derived", "history")


def night_cut(stay: Stay, base: Stay, cut: re.Match[str] | None) -> Stay:
    """`stay` with the quoted booking's first or last night cut off, as the reply says (`cut`,
    its `CUTS_A_NIGHT` match: "bitte die letzte Nacht stornieren": one day earlier out;
    "cancel the first night": one day later in), where the reply writes no date of its own
    for that end."""
    night = (cut["a"] or cut["b"]) if cut else ""
    name, delta = (("check_out", -1) if _LAST_NIGHT.match(night) else
                   ("check_in", 1) if _FIRST_NIGHT.match(night) else ("", 0))
    old = base.field(name).value if name else None
    if cut is None or old is None or written(stay.field(name)):
        return stay
    field = FormField(value=old + dt.timedelta(days=delta), confidence=base.field(name).confidence,
                      evidence=[Evidence(start=cut.start(), end=cut.end())], source="rules")
    return stay.model_copy(update={name: field})


def moved(stay: Stay, base: Stay, delta: dt.timedelta, said: Evidence,
          ends: tuple[str, ...] = ("check_in", "check_out")) -> Stay:
    """`stay` with the quoted booking's dates (`ends`) moved by `delta` (as the reply says,
    `said`)."""
    out = stay.model_copy(deep=True)
    for name in ends:
        old = base.field(name)
        if old.value is not None:
            setattr(out, name, FormField(value=old.value + delta, confidence=old.confidence,
                                         evidence=[said], source="rules"))
    return out


def read_after_arrival(stay: Stay, base: Stay, text: str, reference: dt.date | None) -> Stay:
    """`stay` with a departure the reply names by its weekday alone ("bitte verlängern bis
    Donnerstag") read as the first such day after the booked arrival, not after the reply."""
    co, arrival = stay.check_out, base.check_in.value
    if not written(co) or arrival is None or reference is None or len(co.evidence) != 1:
        return stay
    ev = co.evidence[0]
    if not 0 <= ev.start < ev.end <= len(text):
        return stay
    said = text[ev.start : ev.end]
    anchored = parse_date(said, reference=reference, anchor=arrival).value
    if anchored is None or anchored == co.value or \
            parse_date(said, reference=arrival - dt.timedelta(days=400)).value == co.value:
        return stay  # the same day either way, or a date that names its month and year
    out = stay.model_copy(deep=True)
    out.check_out = co.model_copy(update={"value": anchored})
    return out


def read_near_arrival(stay: Stay, base: Stay, text: str) -> Stay:
    """`stay` with an arrival the reply names by its weekday alone ("reist einen Tag früher
    an, also schon am Sonntag") read as that weekday nearest the booked arrival (within three
    days either way), not as the next one after the reply."""
    ci, arrival = stay.check_in, base.check_in.value
    if not written(ci) or arrival is None or len(ci.evidence) != 1:
        return stay
    ev = ci.evidence[0]
    if not 0 <= ev.start < ev.end <= len(text) or not names_a_weekday(text[ev.start : ev.end]):
        return stay
    if ci.value is None or abs((ci.value - arrival).days) <= 3:
        return stay
    near = next((arrival + dt.timedelta(days=d) for d in (-1, 1, -2, 2, -3, 3)
                 if (arrival + dt.timedelta(days=d)).weekday() == ci.value.weekday()), None)
    if near is None:
        return stay
    departure = stay.check_out.value
    if departure is not None and near >= departure:
        # the weekday the new departure names ("meetings run into Thursday, so check out on
        # Thursday 21 May"): no arrival of its own, the booked one stands
        return stay.model_copy(update={"check_in": FormField(value=None)})
    return stay.model_copy(update={"check_in": ci.model_copy(update={"value": near})})
