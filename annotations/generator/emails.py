"""One whole generated email: draw language, style, intent and shape; write; add noise; annotate."""

from __future__ import annotations

import datetime as dt
import random
import re
from collections.abc import Callable
from typing import Literal, cast

from annotations.generator import changes, compose, multi, party
from annotations.generator.context import Ctx
from annotations.generator.dates import render_single
from annotations.generator.letters import forward_header, unmark_signer
from annotations.generator.negatives import MACHINE, negative
from annotations.generator.noise import add_noise
from annotations.generator.plan import draw_city, draw_person, draw_stay
from annotations.generator.vocab import plain
from annotations.generator.voice import ALL
from annotations.generator.writer import StayWriter
from annotations.markup import parse_markup
from annotations.schema import AnnotatedEmail
from extractor.counts import names_one_room
from extractor.form import FIELDS, FormValues, Intent, StayValues

LANGS = (("en", 55), ("de", 40), ("mixed", 5))
INTENTS = (("new_booking", 64), ("modification", 9), ("cancellation", 7), ("not_hotel", 20))
SHAPES = (("prose", 46), ("chat", 12), ("terse", 8), ("form", 12), ("multi", 12),
          ("flight_hotel", 5))
_SHAPE_STYLES = {  # (formal, neutral, chatty, mobile)
    "prose": (25, 38, 25, 12), "chat": (0, 0, 55, 45), "terse": (0, 45, 35, 20),
    "form": (55, 45, 0, 0), "multi": (35, 45, 20, 0), "flight_hotel": (35, 45, 20, 0),
    "change": (30, 40, 20, 10), "not_hotel": (30, 45, 15, 10),
}
_STYLES = ("formal", "neutral", "chatty", "mobile")
_OFFSETS = (1, 2, 0, -5)
_START = dt.datetime(2025, 1, 1)
_SPAN_MINUTES = int((dt.datetime(2028, 1, 1) - _START).total_seconds() // 60)
_AS_WRITTEN = ("hotel_name", "near")
# a date ending in a dot at the end of a sentence: "bis 5.5.." -> "bis 5.5."
_DOT_AFTER_SPAN = re.compile(r"\.(\|[a-z_]+\]\])\.(?!\.)")
_DOUBLE_DOT = re.compile(r"(?<![.\]])\.\.(?!\.)")


def _draw(rng: random.Random, table: tuple[tuple[str, float], ...]) -> str:
    return rng.choices([k for k, _ in table], weights=[w for _, w in table], k=1)[0]


def _received_at(rng: random.Random, *, december: bool) -> dt.datetime:
    tz = dt.timezone(dt.timedelta(hours=rng.choice(_OFFSETS)))
    if december:
        day = dt.datetime(rng.choice((2025, 2026, 2027)), 12, rng.randint(10, 31))
        return day.replace(hour=rng.randint(7, 19), minute=rng.randint(0, 59), tzinfo=tz)
    t = _START + dt.timedelta(minutes=rng.randrange(_SPAN_MINUTES))
    if not 6 <= t.hour <= 21 and rng.random() < 0.8:  # mostly sent in office hours
        t = t.replace(hour=rng.randint(7, 19))
    return t.replace(tzinfo=tz)


def make_email(seed: int, index: int) -> AnnotatedEmail:
    """The generated email number `index` of the stream `seed` (the same every time)."""
    rng = random.Random(f"stayform-generator/{seed}/{index}")
    lang = _draw(rng, LANGS)
    intent = _draw(rng, INTENTS)
    shape = _draw(rng, SHAPES) if intent == "new_booking" else \
        ("not_hotel" if intent == "not_hotel" else "change")
    rollover = intent == "new_booking" and rng.random() < 0.07
    received = _received_at(rng, december=rollover)
    style = rng.choices(_STYLES, weights=_SHAPE_STYLES[shape], k=1)[0]
    mixed = lang == "mixed"
    ctx = Ctx(rng=rng, lang=rng.choice(("en", "de")) if mixed else lang, received_at=received,
              style=style, mixed=mixed)
    start = dt.date(received.year + 1, 1, rng.randint(2, 25)) if rollover else None
    template = shape
    stays: list[StayValues] = []
    if intent == "new_booking":
        markup, writers, template = _booking(ctx, shape, start)
        stays = [w.form_values() for w in writers]
        ctx.voices = ALL
    elif intent == "not_hotel":
        body, kind = negative(ctx)
        template = f"not_hotel/{kind}"
        markup = body if kind in MACHINE else compose.letter(ctx, body, closings="closing_generic")
    else:
        own = False
        if intent == "modification":
            body, values, kind, own = changes.modification(ctx)
            template = f"modification/{kind}"
        else:
            body, values, own = changes.cancellation(ctx)
            template = "cancellation"
        markup, signer = compose.signed_letter(ctx, body, closings="closing_generic")
        if own and signer and values.traveler_names is None:
            # "please extend my stay", "please cancel my reservation", signed: the writer's
            # own booking, so its guest (ANNOTATION.md)
            values = values.model_copy(update={"traveler_names": [signer],
                                                "implied": ["traveler_names"]})
        if intent == "cancellation" and names_one_room(parse_markup(body)[0]):
            # "cancel the room": one room, as CONVENTIONS lists a cancellation's rooms
            values = values.model_copy(update={"rooms": 1, "implied": sorted(
                {*values.implied, "rooms"}, key=FIELDS.index)})
        stays = [values]
    markup = _DOUBLE_DOT.sub(".", _DOT_AFTER_SPAN.sub(r".\1", markup.strip()))
    markup, transform = add_noise(ctx, markup)
    markup = unmark_signer(markup)
    text, spans = parse_markup(markup)
    form = FormValues(intent=cast(Intent, intent),
                      stays=[_as_written(s, transform) for s in stays])
    language = cast(Literal["en", "de", "mixed"], lang)
    return AnnotatedEmail(
        id=f"gen-{seed}-{index}", text=text, received_at=received, language=language,
        origin="generated", spans=spans, form=form,
        meta={"template": template, "style": style},
    )


def _as_written(values: StayValues, transform: Callable[[str], str]) -> StayValues:
    """The values that are "as written" follow the noise applied to the text."""
    data = values.model_dump()
    for key in _AS_WRITTEN:
        if data[key] is not None:
            data[key] = transform(data[key])
    if data["traveler_names"] is not None:
        data["traveler_names"] = [transform(n) for n in data["traveler_names"]]
    return StayValues.model_validate(data)


def _booking(ctx: Ctx, shape: str, start: dt.date | None) -> tuple[str, list[StayWriter], str]:
    """A new booking's markup, its writers (their values and what the party implies) and its
    template name."""
    who = party.draw_party(ctx, shape)
    if shape == "multi":
        stays = multi.draw_trip(ctx, start=start, party=who)
    else:
        mode = ctx.weighted(("range", "in_nights"), (3, 2)) if shape == "flight_hotel" else None
        stays = [draw_stay(ctx, ctx.lang, start=start, date_mode=mode, party=who)]
    ctx.voices = party.VOICES[stays[0].party]
    if shape == "multi":
        body, writers = multi.trip(ctx, stays)
    else:
        w = StayWriter(ctx, stays[0])
        writers = [w]
        body = getattr(compose, "prose" if shape == "flight_hotel" else shape)(ctx, w)
        if shape == "flight_hotel":
            body = _with_flight(ctx, w, body)
    travels = stays[0].party in ("self", "self_plus")
    if ctx.chance(0.1) and shape in ("prose", "chat", "terse", "form", "multi"):
        markup, signer = _forwarded(ctx, body, travels=travels)
        template = f"{shape}+forward"
    else:
        # a chat line ends with its own "thx": no closing sentence after it; a writer who
        # travels mostly signs (the name is the traveller's)
        markup, signer = compose.signed_letter(
            ctx, body, closings=None if shape == "chat" else "closing",
            p_sign=0.9 if travels else None)
        template = shape
    for w in writers:
        party.imply(w, signer)
    return markup, writers, template


def _with_flight(ctx: Ctx, w: StayWriter, body: str) -> str:
    """A flight or train note beside the hotel request: its cities and dates are not labelled."""
    dates = w.stay.dates
    assert dates.check_in is not None and dates.check_out is not None
    template = ctx.pick(ctx.book()["flight_note"])
    origin = draw_city(ctx, exclude=(w.stay.city,) if w.stay.city else ())
    if w.stay.city and ("train" in template or "Zug" in template):  # a train stays in the country
        for _ in range(50):
            if origin.cc == w.stay.city.cc:
                break
            origin = draw_city(ctx, exclude=(w.stay.city,))
        else:
            template = ctx.book()["flight_note"][0]
    note = template.format(
        origin=origin.de if ctx.lang == "de" else origin.name,
        date=plain(render_single(ctx, ctx.lang, dates.check_in, "check_in")),
        date2=plain(render_single(ctx, ctx.lang, dates.check_out, "check_out")),
        time=f"{ctx.rng.randint(6, 21)}:{ctx.pick(('05', '20', '35', '50'))}")
    return f"{note} {body}" if ctx.chance(0.4) else f"{body}\n{note}"


def _forwarded(ctx: Ctx, body: str, *, travels: bool) -> tuple[str, str | None]:
    """An agent's note on top of the customer's forwarded request, and the customer's name as
    a form takes it when `travels` (the request is the customer's own): the full name of the
    forwarded From line, whatever the sign-off shows."""
    customer = draw_person(ctx)
    original = compose.letter(ctx, body, sender=customer)
    voices, ctx.voices = ctx.voices, ALL  # the agent's note is no part of the request
    note = ctx.pick(ctx.book()["forward_note"])
    ctx.voices = voices
    agent = draw_person(ctx)
    markup = f"{note}\n{agent.first}\n\n{forward_header(ctx, ctx.lang, customer)}\n\n{original}"
    return markup, f"{customer.first} {customer.last}" if travels else None
