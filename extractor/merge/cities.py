"""Merge step 16: a known city beside its own dates is a destination, and so is the head of a
list line shaped like a destination's (the policy is in `extractor.merge`)."""

from __future__ import annotations

import re
from bisect import bisect_left, bisect_right

from extractor.merge.changes import RANGE_JOIN
from extractor.merge.context import DATE_FIELDS, MergeContext
from extractor.spans import FoundSpan, SpanIndex
from extractor.values.journey import passed_through
from extractor.values.places import known_cities_in

# a list line's head: bullets or numbering, then the city, then a separator or the dates
_LIST_HEAD = re.compile(r"[ \t]*(?:[-•*·–]|\d{1,2}[.)])?[ \t]*")
_HEAD_SEPARATOR = re.compile(r"[ \t]*([:–—-]|,)[ \t]*")
_BEFORE_DATES = re.compile(
    r"[ \t]*[:–—-]?[ \t]*(?:(?:anreise|arrival|check-in|from|vom|von|ab|am|on)\b[ \t:]*)?$",
    re.IGNORECASE)
_AFTER_DATES = re.compile(r"^[ \t,:–—-]*$")
_HEAD_WORDS = re.compile(r"[A-ZÄÖÜÉ][\w'’.-]*(?:[ \t]+[A-ZÄÖÜÉ][\w'’.-]*){0,2}")
CITY_CONFIDENCE = 0.85


class _Dates:
    """The check-in and check-out spans in order of position, found by bisection."""

    def __init__(self, spans: list[FoundSpan]) -> None:
        self.spans = sorted(spans, key=lambda m: m.start)
        self._starts = [m.start for m in self.spans]

    def first_from(self, pos: int) -> FoundSpan | None:
        """The first date that starts at or after `pos`."""
        k = bisect_left(self._starts, pos)
        return self.spans[k] if k < len(self.spans) else None

    def last_ending_by(self, pos: int) -> FoundSpan | None:
        """The last date (in order of position) that ends at or before `pos`."""
        for k in range(bisect_right(self._starts, pos) - 1, -1, -1):
            if self.spans[k].end <= pos:
                return self.spans[k]
        return None

    def any_within(self, start: int, end: int) -> bool:
        """Whether a date starts in [start, end)."""
        k = bisect_left(self._starts, start)
        return k < len(self.spans) and self._starts[k] < end


class _Taken:
    """The ranges the spans and the cities found so far cover."""

    def __init__(self, spans: list[FoundSpan]) -> None:
        self.spans = SpanIndex(spans)
        self.cities = SpanIndex()
        self.found: list[FoundSpan] = []  # the cities, in the order they were found

    def add(self, start: int, end: int) -> None:
        city = _city(start, end)
        self.found.append(city)
        self.cities.add(city)

    def free(self, start: int, end: int) -> bool:
        return not self.spans.any_overlap(start, end) and not self.cities.any_overlap(start, end)


def _city(start: int, end: int) -> FoundSpan:
    return FoundSpan("destination", start, end, CITY_CONFIDENCE, "rules", kind="city")


def cities_by_dates(spans: list[FoundSpan], ctx: MergeContext) -> list[FoundSpan]:
    """Step 16: a known city (data/cities.json) that no span covers and that stands right
    before or after a check-in or check-out ("Linz – Anreise 10.09.", "dann jena mi-fr") or
    heads a list line holding one ("- Straßburg: Anreise 26.11.") is a destination, unless
    "from"/"ab" makes it the place left; so is the head of a list line shaped like a line a
    destination heads ("Jaipur — 10 to 13 January" under "[Delhi] — 8 to 10 January")."""
    dates = _Dates([m for m in spans if m.field in DATE_FIELDS])
    if not dates.spans:
        return spans
    text = ctx.text
    taken = _Taken(spans)
    for _, start, end in known_cities_in(text, any_case=not ctx.layout.cased):
        if not taken.free(start, end) or passed_through(text, start):
            continue
        lo, hi = ctx.layout.line_at(start, end)
        after = dates.first_from(end)
        before = dates.last_ending_by(start)
        heads_line = _LIST_HEAD.fullmatch(text, lo, start) is not None
        if ((after is not None and (_BEFORE_DATES.match(text[end : after.start])
                                    or (heads_line and after.start < hi)))
                or (before is not None and _AFTER_DATES.match(text[before.end : start]))):
            taken.add(start, end)
    heads = _parallel_heads(spans, dates, ctx, taken)
    return spans + taken.found + [m for s, e, found in heads for m in (_city(s, e), *found)]


def _parallel_heads(spans: list[FoundSpan], dates: _Dates, ctx: MergeContext,
                    taken: _Taken) -> list[tuple[int, int, tuple[FoundSpan, ...]]]:
    """Heads of list lines shaped like a line headed by a destination, with dates of their own:
    dates the model read, or a range of the rules' dates that no span covers ("Abuja -
    Wednesday to Thursday" under "[Lagos] - [Monday] to [Wednesday]"), then its arrival and
    departure."""
    text, layout = ctx.text, ctx.layout
    shapes: set[str] = set()
    for d in (m for m in spans if m.field == "destination"):
        lo, hi = layout.line_at(d.start, d.end)
        sep = _HEAD_SEPARATOR.match(text, d.end)
        if (_LIST_HEAD.fullmatch(text, lo, d.start) and sep
                and dates.any_within(d.end, hi)):
            shapes.add(sep.group(1))
    out: list[tuple[int, int, tuple[FoundSpan, ...]]] = []
    if not shapes:
        return out
    for lo, hi in layout.lines():
        lead = _LIST_HEAD.match(text, lo, hi)
        head = _HEAD_WORDS.match(text, lead.end() if lead else lo, hi)
        if head is None:
            continue
        sep = _HEAD_SEPARATOR.match(text, head.end(), hi)
        if not (sep and sep.group(1) in shapes and taken.free(head.start(), head.end())):
            continue
        if dates.any_within(head.end(), hi):
            out.append((head.start(), head.end(), ()))
        elif found := _rule_range(ctx, taken, head.end(), hi):
            out.append((head.start(), head.end(), found))
    return out


def _rule_range(ctx: MergeContext, taken: _Taken, start: int, end: int
                ) -> tuple[FoundSpan, ...]:
    """The first two rule dates in [start, end) that no span covers, as arrival and departure,
    when a range word joins them ("Wednesday to Thursday"); none otherwise."""
    rules = sorted((r for r in ctx.rules if r.kind == "date" and start <= r.start
                    and r.end <= end and taken.free(r.start, r.end)), key=lambda r: r.start)
    if len(rules) < 2 or not RANGE_JOIN.fullmatch(ctx.text, rules[0].end, rules[1].start):
        return ()
    return tuple(FoundSpan(field, r.start, r.end, CITY_CONFIDENCE, "rules", kind="date")
                 for field, r in zip(DATE_FIELDS, rules[:2], strict=True))
