"""Grouping valued spans into one draft per destination."""

from __future__ import annotations

from bisect import bisect_left

from extractor.layout import Layout
from extractor.stays.draft import DATED, DATES, SHARED_FIELDS, StayDraft, share
from extractor.values.places import is_known_city
from extractor.values.valued import Valued

# an unknown place name read as a destination with less confidence than this does not open a
# stay of its own beside a known city ("kleine Änderung in Bremen: komme erst Mittwoch" -> "komme"),
# unless it has dates of its own after the dates of the stay before it ("Brisbane 18-20 Aug and
# then Gold Coast 20-23 Aug")
SURE_UNKNOWN_DESTINATION = 0.9


def group_stays(valued: list[Valued], layout: Layout) -> list[StayDraft]:
    """One draft per destination (see `extractor.stays`): doubtful unknown places and undated
    cities beside dated ones open none; fields stated once are shared."""
    dests = [v for v in valued if v.span.field == "destination" and v.value]
    if any(is_known_city(d.value) for d in dests):
        doubtful = [d for d in dests if not is_known_city(d.value)
                    and d.span.confidence < SURE_UNKNOWN_DESTINATION
                    and not _own_dates(d, dests, valued)]
        valued = [v for v in valued if v not in doubtful]
        dests = [d for d in dests if d not in doubtful]
    order = list(dict.fromkeys(d.value for d in dests))
    drafts = _assign(layout, valued, dests, order)
    # a stay has dates: a city that gets none beside one that has them is only mentioned ("bin
    # beim Kunden in Fürth", "zusätzlich zu meiner Buchung in Köln"), its spans join the others
    undated = [value for value, draft in zip(order, drafts, strict=True)
               if not any(draft.spans.get(f) for f in DATED)] if len(order) > 1 else []
    if undated and len(undated) < len(order):
        dated = [value for value in order if value not in undated]
        if not any(map(is_known_city, dated)) and any(map(is_known_city, undated)):
            # ... but a known city is the stay's over unknown words read beside the dates
            # ("Einzelzimmer, [ruhig], 3 Nächte ab dem 17., [Genf]")
            undated = [value for value in order if not is_known_city(value)]
        valued = [v for v in valued if v.span.field != "destination" or v.value not in undated]
        dests = [d for d in dests if d.value not in undated]
        order = [value for value in order if value not in undated]
        drafts = _assign(layout, valued, dests, order)
    share(drafts, SHARED_FIELDS)
    return drafts


def _own_dates(dest: Valued, dests: list[Valued], valued: list[Valued]) -> bool:
    """Whether dates lie both between the destination before `dest` and it, and between it and
    the next destination (or the end): then it is a stop of its own on a trip."""
    at = dest.span.start
    before = [d.span.start for d in dests if d.span.start < at]
    after = [d.span.start for d in dests if d.span.start > at]
    if not before:
        return False
    dates = [v.span.start for v in valued if v.span.field in DATES]
    return (any(before[-1] < x < at for x in dates)
            and any(at < x and (not after or x < after[0]) for x in dates))


def _assign(layout: Layout, valued: list[Valued], dests: list[Valued], order: list[str]
            ) -> list[StayDraft]:
    """One draft per destination value in `order`: each span joins the stay of the destination
    nearest to it in its clause, else the nearest one before it, else the first."""
    drafts = [StayDraft() for _ in range(max(1, len(order)))]
    if len(order) <= 1:
        for v in valued:
            drafts[0].add(v)
        return drafts
    by_clause: dict[int, list[Valued]] = {}
    for d in dests:  # (in order of position: `dests` is)
        by_clause.setdefault(layout.clause_of(d.span.start), []).append(d)
    starts = [d.span.start for d in dests]
    for v in valued:
        if v.span.field == "destination":
            drafts[order.index(v.value) if v.value in order else 0].add(v)
            continue
        same = by_clause.get(layout.clause_of(v.span.start))
        before = bisect_left(starts, v.span.start)  # how many destinations lie before it
        if same:
            target = min(same, key=lambda d: abs(d.span.start - v.span.start))
        elif before:
            target = dests[before - 1]
        else:
            target = dests[0]
        drafts[order.index(target.value)].add(v)
    return drafts
