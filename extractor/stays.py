"""Assembling stays: normalized spans grouped into one stay per destination, dates resolved,
nights and check-out kept consistent.

Grouping: with one destination (however often it is named) there is one stay. Beside a known
city, an unknown name the model is not sure of is no destination at all (a verb, a name, a
word of the next line read as a place). With several
distinct destinations, each span joins the stay of the destination mentioned nearest to it in
the same clause, else the nearest one before it, else the first stay. A stay has dates: a city
that gets no dates or nights beside one that does is only mentioned ("beim Kunden in Fürth"),
and the spans it drew join the dated stays. One city's spans hold several stays when its dates
run one after another (`assemble_all`: "vom 11. bis 13. November im Hyatt, vom 13. bis 15.
November im 25hours"). A field stated once for
the whole trip (rooms, guests, room type, budget, breakfast, travellers) is copied into the
stays that lack it, as docs/ANNOTATION.md asks of annotators.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field
from typing import Any

from pydantic import ValidationError

from extractor import normalize
from extractor.dates import parse_date, parse_date_pair, parse_range
from extractor.form import FIELDS, Evidence, FormField, Stay
from extractor.spans import FoundSpan

# an unknown place name read as a destination with less confidence than this does not open a
# stay of its own beside a known city ("kleine Änderung in Bremen: komme erst Mittwoch" -> "komme"),
# unless it has dates of its own after the dates of the stay before it ("Brisbane 18-20 Aug and
# then Gold Coast 20-23 Aug")
SURE_UNKNOWN_DESTINATION = 0.9
_DATES = ("check_in", "check_out")
_DATED = (*_DATES, "nights")
SHARED_FIELDS = ("rooms", "guests", "room_type", "max_price", "breakfast", "traveler_names")
_CLAUSE_BREAK = re.compile(r"[\n;.!?]\s|[\n;]|,\s")


@dataclass(slots=True)
class Valued:
    """A span with its normalized value (None when the text did not normalize)."""

    span: FoundSpan
    value: Any


@dataclass(slots=True)
class StayDraft:
    spans: dict[str, list[Valued]] = field(default_factory=dict)

    def add(self, item: Valued) -> None:
        self.spans.setdefault(item.span.field, []).append(item)


@dataclass(slots=True)
class AssembledStay:
    stay: Stay
    issues: list[str]  # review reasons found while assembling ("vague:check_in" ...)


def _own_dates(dest: Valued, dests: list[Valued], valued: list[Valued]) -> bool:
    """Whether dates lie both between the destination before `dest` and it, and between it and
    the next destination (or the end): then it is a stop of its own on a trip."""
    at = dest.span.start
    before = [d.span.start for d in dests if d.span.start < at]
    after = [d.span.start for d in dests if d.span.start > at]
    if not before:
        return False
    dates = [v.span.start for v in valued if v.span.field in _DATES]
    return (any(before[-1] < x < at for x in dates)
            and any(at < x and (not after or x < after[0]) for x in dates))


_SENTENCE_END = re.compile(r"[\n.!?;]")
_CLAUSE_END = re.compile(r"[\n.!?;,]")


def _normalize(span: FoundSpan, text: str) -> Any:
    lo, hi = max(0, span.start - 40), span.end + 40
    if span.field == "breakfast":  # "Frühstück ist mir egal": its clause and sentence count
        lo, hi = max(0, span.start - 20), span.end + 30
        if m := _SENTENCE_END.search(text, span.end, hi):
            hi = m.start()
        lo = max([lo] + [m.end() for m in _CLAUSE_END.finditer(text, lo, span.start)])
    return normalize.normalize_field(span.field, text[span.start : span.end],
                                     context=text[lo:hi])


def _clause_bounds(text: str) -> list[int]:
    """Offsets where clauses end (sorted)."""
    return [m.start() for m in _CLAUSE_BREAK.finditer(text)]


def _clause_of(pos: int, bounds: list[int]) -> int:
    lo, hi = 0, len(bounds)
    while lo < hi:
        mid = (lo + hi) // 2
        if bounds[mid] < pos:
            lo = mid + 1
        else:
            hi = mid
    return lo


def group_stays(text: str, spans: list[FoundSpan]) -> list[StayDraft]:
    """Group normalized spans into stay drafts (see the module docstring)."""
    valued = [Valued(s, _normalize(s, text)) for s in sorted(spans, key=lambda s: s.start)]
    dests = [v for v in valued if v.span.field == "destination" and v.value]
    if any(normalize.is_known_city(d.value) for d in dests):
        doubtful = [d for d in dests if not normalize.is_known_city(d.value)
                    and d.span.confidence < SURE_UNKNOWN_DESTINATION
                    and not _own_dates(d, dests, valued)]
        valued = [v for v in valued if v not in doubtful]
        dests = [d for d in dests if d not in doubtful]
    order = list(dict.fromkeys(d.value for d in dests))
    drafts = _assign(text, valued, dests, order)
    # a stay has dates: a city that gets none beside one that has them is only mentioned ("bin
    # beim Kunden in Fürth", "zusätzlich zu meiner Buchung in Köln"), its spans join the others
    undated = [value for value, draft in zip(order, drafts, strict=True)
               if not any(draft.spans.get(f) for f in _DATED)] if len(order) > 1 else []
    if undated and len(undated) < len(order):
        valued = [v for v in valued if v.span.field != "destination" or v.value not in undated]
        dests = [d for d in dests if d.value not in undated]
        order = [value for value in order if value not in undated]
        drafts = _assign(text, valued, dests, order)
    _share(drafts, SHARED_FIELDS)
    return drafts


def _share(drafts: list[StayDraft], names: tuple[str, ...], always: tuple[str, ...] = ()
           ) -> None:
    """A field stated in one draft only holds for all of them; one in `always` holds for the
    drafts without it whenever one states it (the city of one city's several stays)."""
    for name in names:
        stated = [draft.spans[name] for draft in drafts if draft.spans.get(name)]
        if len(stated) == 1 or (name in always and stated):
            for draft in drafts:
                draft.spans.setdefault(name, list(stated[0]))


def _assign(text: str, valued: list[Valued], dests: list[Valued], order: list[str]
            ) -> list[StayDraft]:
    """One draft per destination value in `order`: each span joins the stay of the destination
    nearest to it in its clause, else the nearest one before it, else the first."""
    drafts = [StayDraft() for _ in range(max(1, len(order)))]
    if len(order) <= 1:
        for v in valued:
            drafts[0].add(v)
        return drafts
    bounds = _clause_bounds(text)
    for v in valued:
        if v.span.field == "destination":
            drafts[order.index(v.value) if v.value in order else 0].add(v)
            continue
        clause = _clause_of(v.span.start, bounds)
        same = [d for d in dests if _clause_of(d.span.start, bounds) == clause]
        before = [d for d in dests if d.span.start < v.span.start]
        if same:
            target = min(same, key=lambda d: abs(d.span.start - v.span.start))
        elif before:
            target = before[-1]
        else:
            target = dests[0]
        drafts[order.index(target.value)].add(v)
    return drafts


def _field(items: list[Valued], value: Any = None) -> FormField[Any]:
    """A form field from the spans that state `value` (default: the first one that normalized)."""
    good = [i for i in items if i.value is not None]
    if not good:
        return FormField(value=None, confidence=0.0, evidence=[], source="model")
    if value is None:
        value = good[0].value
    support = [i for i in good if i.value == value] or good[:1]
    return FormField(
        value=value,
        confidence=max(i.span.confidence for i in support),
        evidence=[Evidence(start=i.span.start, end=i.span.end) for i in support],
        source="model" if any(i.span.source == "model" for i in support) else "rules",
    )


def _dates(draft: StayDraft, text: str, reference: dt.date, lang: str | None
           ) -> tuple[FormField[Any], FormField[Any], list[str]]:
    issues: list[str] = []
    # of several mentions, the first that names a day ("nächste Woche" does not; "Montag,
    # 6. Oktober" after it does)
    ci_items = _concrete_first(draft.spans.get("check_in", []), reference, lang)
    co_items = _concrete_first(draft.spans.get("check_out", []), reference, lang)
    ci_text = ci_items[0].value if ci_items else None
    co_text = co_items[0].value if co_items else None
    ci_value = co_value = None
    if ci_text and not co_text:
        # one expression holding both ends: "3-5 May", "KW 23"
        both = parse_range(ci_text, reference=reference, lang=lang)
        if both is not None:
            ci_value, co_value = both[0].value, both[1].value
        else:
            single = parse_date(ci_text, reference=reference, lang=lang)
            ci_value, co_value = single.value, single.end
            if single.vague:
                issues.append("vague:check_in")
    else:
        ci, co = parse_date_pair(ci_text, co_text, reference=reference, lang=lang)
        if ci is not None:
            ci_value = ci.value
            if ci.vague:
                issues.append("vague:check_in")
        if co is not None:
            co_value = co.value
            if co.vague:
                issues.append("vague:check_out")
    if ci_text and ci_value is None and "vague:check_in" not in issues:
        issues.append("unparsed:check_in")
    if co_text and co_value is None and "vague:check_out" not in issues:
        issues.append("unparsed:check_out")
    check_in = _date_field(ci_items, ci_value)
    if co_items:
        check_out = _date_field(co_items, co_value)
    elif co_value is not None:  # the end of a one-expression range: same evidence
        check_out = _date_field(ci_items, co_value)
    else:
        check_out = FormField(value=None)
    return check_in, check_out, issues


def _concrete_first(items: list[Valued], reference: dt.date, lang: str | None) -> list[Valued]:
    for k, item in enumerate(items):
        parsed = parse_date(item.value, reference=reference, lang=lang)
        if parsed.value is not None or parsed.needs_context:
            return [item] + items[:k] + items[k + 1 :]
    return items


def _date_field(items: list[Valued], value: dt.date | None) -> FormField[Any]:
    if value is None or not items:
        return FormField(value=None)
    return FormField(value=value, confidence=items[0].span.confidence,
                     evidence=[Evidence(start=items[0].span.start, end=items[0].span.end)],
                     source="model" if items[0].span.source == "model" else "rules")


def assemble(draft: StayDraft, text: str, *, reference: dt.date, lang: str | None
             ) -> AssembledStay:
    """One stay from its draft: values chosen, dates resolved, nights/check-out derived."""
    fields: dict[str, FormField[Any]] = {}
    for name in FIELDS:
        items = draft.spans.get(name, [])
        if name == "traveler_names":
            names = _distinct_names([i.value for i in items if i.value])
            good = [i for i in items if i.value]
            fields[name] = FormField(
                value=names or None,
                confidence=min((i.span.confidence for i in good), default=0.0),
                evidence=[Evidence(start=i.span.start, end=i.span.end) for i in good],
                source="model" if any(i.span.source == "model" for i in good) else "rules")
        elif name == "max_price":
            # an amount with its currency over a bare number ("stand 212 ... max 130 EUR")
            priced = [i for i in items if i.value is not None
                      and normalize.currency_of(text[i.span.start : i.span.end])]
            fields[name] = _field(items, priced[0].value if priced else None)
        elif name not in ("check_in", "check_out"):
            fields[name] = _field(items)
    check_in, check_out, issues = _dates(draft, text, reference, lang)
    nights = fields["nights"]
    if check_in.value and check_out.value:
        if check_out.value <= check_in.value:
            issues.append("inconsistent:check_out")
        else:
            derived = (check_out.value - check_in.value).days
            if nights.value is not None and nights.value != derived:
                issues.append("inconsistent:nights")
            elif nights.value is None:
                nights = FormField(value=derived, evidence=[], source="derived",
                                   confidence=min(check_in.confidence, check_out.confidence))
    elif check_in.value and nights.value:
        check_out = FormField(value=check_in.value + dt.timedelta(days=nights.value),
                              evidence=[], source="derived",
                              confidence=min(check_in.confidence, nights.confidence))
    elif check_out.value and nights.value:
        check_in = FormField(value=check_out.value - dt.timedelta(days=nights.value),
                             evidence=[], source="derived",
                             confidence=min(check_out.confidence, nights.confidence))
    fields.update(check_in=check_in, check_out=check_out, nights=nights)
    if fields["destination"].value is None:
        fields["destination"] = _destination_inside(fields, text)
    if check_out.value and check_in.value and check_out.value < check_in.value:
        fields["check_out"] = FormField(value=None)  # never emit an impossible form
    stay = Stay.model_validate({k: f.model_dump() for k, f in fields.items()})
    issues += _drop_implausible(stay)
    return AssembledStay(stay=stay, issues=issues)


def assemble_all(draft: StayDraft, text: str, *, reference: dt.date, lang: str | None
                 ) -> list[AssembledStay]:
    """The stays of one destination's draft: one per run of dates when it holds several stays
    one after the other ("vom 11. bis 13. November im Hyatt, vom 13. bis 15. November im 25hours"),
    else the one stay `assemble` makes of it."""
    parts = _date_runs(draft, text)
    if len(parts) > 1:
        stays = [assemble(part, text, reference=reference, lang=lang) for part in parts]
        if _one_after_another([a.stay for a in stays]):
            return stays
    return [assemble(draft, text, reference=reference, lang=lang)]


def _date_runs(draft: StayDraft, text: str) -> list[StayDraft]:
    """The draft cut where a new arrival follows a complete stay (an arrival with a departure
    or nights): each other span joins the run it lies in (those before the first, the first:
    "three nights at the Breidenbacher Hof from 20 January"). A field stated in one run only
    (the city, rooms, budget, travellers...) holds for all of them."""
    items = sorted((i for items in draft.spans.values() for i in items),
                   key=lambda i: i.span.start)
    runs: list[list[Valued]] = [[]]
    for item in (i for i in items if i.span.field in _DATED):
        run = runs[-1]
        arrived = [i for i in run if i.span.field == "check_in"]
        if (item.span.field == "check_in" and arrived and len(run) > len(arrived)
                and all(text[i.span.start : i.span.end] != text[item.span.start : item.span.end]
                        for i in arrived)):
            runs.append([])
        runs[-1].append(item)
    if len(runs) == 1:
        return [draft]
    starts = [run[0].span.start for run in runs]
    parts = [StayDraft() for _ in runs]
    for k, run in enumerate(runs):
        for item in run:
            parts[k].add(item)
    for item in (i for i in items if i.span.field not in _DATED):
        k = max([k for k, start in enumerate(starts) if start <= item.span.start], default=0)
        parts[k].add(item)
    _share(parts, (*SHARED_FIELDS, "destination"), always=("destination",))
    return parts


def _one_after_another(stays: list[Stay]) -> bool:
    """Whether each stay has an arrival, and each arrives after the one before it arrived and
    no earlier than it leaves (a second arrival inside a stay restates or changes it)."""
    arrivals: list[dt.date] = [s.check_in.value for s in stays if s.check_in.value]
    if len(arrivals) < len(stays):
        return False
    leaves = [s.check_out.value or a for s, a in zip(stays, arrivals, strict=True)]
    return all(arrivals[k] > arrivals[k - 1] and arrivals[k] >= leaves[k - 1]
               for k in range(1, len(stays)))


def _distinct_names(values: list[str]) -> list[str]:
    """The travellers once each, in order: a repeat, or a lone first name or surname of a full
    name also given ("Professor Haruki Tanaka ... Tanaka"), is the same person."""
    names: list[str] = []
    for v in values:
        if v not in names:
            names.append(v)
    full = [n.casefold().split() for n in names if len(n.split()) > 1]
    return [n for n in names if len(n.split()) > 1
            or not any(n.casefold() in (f[0], f[-1]) for f in full)]


def _destination_inside(fields: dict[str, FormField[Any]], text: str) -> FormField[Any]:
    """A stay without a destination takes a known city named inside its hotel or the place it
    should be near ("The Ritz London", "near Munich Airport"): derived, its evidence the city's
    words. Only cities of data/cities.json, so that "Park Hyatt" names no town."""
    for name in ("hotel_name", "near"):
        f = fields[name]
        for ev in f.evidence:
            found = normalize.known_city_in(text[ev.start : ev.end])
            if found:
                city, start, end = found
                return FormField(value=city, confidence=f.confidence, source="derived",
                                 evidence=[Evidence(start=ev.start + start,
                                                    end=ev.start + end)])
    return FormField(value=None)


def _drop_implausible(stay: Stay) -> list[str]:
    """Null the values a form cannot hold (4254315 guests: a phone number read as a count),
    naming each in the review reasons; the stay then always converts to `StayValues`."""
    try:
        stay.values()
        return []
    except ValidationError as e:
        bad = {str(err["loc"][0]) for err in e.errors() if err["loc"]}
    if not bad:  # a cross-field problem (dates out of order): drop the check-out
        bad = {"check_out"}
    for name in bad:
        setattr(stay, name, FormField(value=None))
    stay.values()  # now valid
    return [f"implausible:{name}" for name in sorted(bad)]
