"""Trips of two or three stays, each city with its own dates.

Fields said once for the whole trip ("each time a single room with breakfast for Anna Schmidt")
are copied into every stay, as ANNOTATION.md asks; a hotel or a place to be near belongs to the
stay it is written with.
"""

from __future__ import annotations

import datetime as dt

from annotations.generator.context import Ctx
from annotations.generator.plan import StayPlan, draw_city, draw_stay
from annotations.generator.vocab import cap
from annotations.generator.writer import StayWriter

_SHARED = ("rooms", "guests", "breakfast", "price", "travelers")
_SHARED_VALUES = {"rooms": ("rooms", "room_type"), "guests": ("guests", "children"),
                  "breakfast": ("breakfast",), "price": ("max_price",),
                  "travelers": ("traveler_names",)}


def draw_trip(ctx: Ctx, *, start: dt.date | None = None, party: str = "open"
              ) -> list[StayPlan]:
    """Two or three stays in different cities; each leg starts when the last ends, or a little
    later. `start` fixes the first arrival; `party` (who travels) is the trip's."""
    count = ctx.weighted((2, 3), (3, 1))
    stays = [draw_stay(ctx, ctx.lang, start=start, party=party,
                       date_mode=ctx.weighted(("range", "in_nights"), (3, 1)))]
    for _ in range(count - 1):
        prev = stays[-1]
        assert prev.dates.check_out is not None
        start = prev.dates.check_out
        if ctx.chance(0.2):
            start += dt.timedelta(days=ctx.rng.randint(1, 5))
        used = tuple(s.city for s in stays if s.city)
        city = draw_city(ctx, exclude=used)
        stay = draw_stay(ctx, ctx.lang, city=city, start=start,
                         date_mode=ctx.weighted(("range", "in_nights"), (3, 1)))
        for name in _SHARED:  # stated once for the trip: same value everywhere
            _copy_plan(stays[0], stay, name)
        stays.append(stay)
    return stays


def _copy_plan(src: StayPlan, dst: StayPlan, name: str) -> None:
    # who travels is the trip's: the party goes with the travellers
    dst.party, dst.others = src.party, src.others
    if name == "rooms":
        dst.rooms, dst.room_type, dst.single_use = src.rooms, src.room_type, src.single_use
    elif name == "travelers":
        dst.travelers = src.travelers
    elif name == "guests":
        dst.guests, dst.children = src.guests, src.children
    else:
        setattr(dst, name, getattr(src, name))


def trip(ctx: Ctx, stays: list[StayPlan]) -> tuple[str, list[StayWriter]]:
    """The body of a trip request and the writers holding each stay's values."""
    writers = [StayWriter(ctx, s) for s in stays]
    book = ctx.book()
    legs = [_leg(ctx, w) for w in writers]
    # a trip for the writer says so in its introduction ("I need hotels for my trip")
    own = stays[0].party == "self"
    intro_line = ctx.pick_voiced(book["multi_intro"], "i") if own else \
        ctx.pick(book["multi_intro"])
    if ctx.chance(0.45):
        bullet = ctx.pick(("- ", "* ", "", "1) "))
        numbered = [bullet.replace("1", str(i + 1)) + leg for i, leg in enumerate(legs)]
        body = intro_line + "\n" + "\n".join(numbered)
    else:
        sentences = [ctx.pick(book["multi_first"]).replace("{Stay}", cap(legs[0])).replace(
            "{stay}", legs[0])]
        for i, leg in enumerate(legs[1:], start=1):
            key = "multi_last" if i == len(legs) - 1 and i > 1 else "multi_next"
            sentences.append(ctx.pick(book[key]).replace("{Stay}", cap(leg)).replace(
                "{stay}", leg))
        intro = intro_line + " " if own or ctx.chance(0.6) else ""
        body = intro + " ".join(sentences)
    shared = _shared_sentence(ctx, writers)
    return (body + ("\n" if ctx.chance(0.5) else " ") + shared if shared else body), writers


def _leg(ctx: Ctx, w: StayWriter) -> str:
    """One stay: its city and dates, and its own hotel or nearby place."""
    s = w.stay
    bare = ctx.chance(0.5)
    city = w.write("dest", "bare" if bare else "pp")
    dates = w.write("dates", "bare" if bare and ctx.chance(0.6) else "pp")
    parts = [f"{city}: {dates}" if bare and ctx.chance(0.5) else f"{city} {dates}"]
    for part in ("hotel", "near"):
        if getattr(s, part) is not None:
            parts.append(w.write(part, "pp"))
    return ", ".join(parts)


def _shared_sentence(ctx: Ctx, writers: list[StayWriter]) -> str:
    first = writers[0]
    s = first.stay
    book = ctx.book()
    pps = [first.write(p, "pp") for p in ("guests", "breakfast", "price", "travelers")
           if p in first.present()]
    has_rooms = s.rooms is not None or s.room_type is not None
    if not pps and not has_rooms:
        return ""
    if has_rooms:
        text = ctx.pick(book["multi_shared"]).replace("{obj}", first.obj()).replace(
            "{pps}", "".join(" " + p for p in pps))
    else:
        text = ctx.pick(book["multi_shared_short"]).replace("{pps}", "".join(" " + p for p in pps))
    for other in writers[1:]:
        for part in _SHARED:
            for key in _SHARED_VALUES[part]:
                if key in first.values:
                    other.values[key] = first.values[key]
    return cap(text)
