"""Modifications and cancellations of existing bookings.

ANNOTATION.md: a modification's stay holds the new values the email states (the replaced ones
are written but never marked); a cancellation's stay holds what identifies the booking (city,
dates, hotel, and the writer when it is their own) and nothing else.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from annotations.generator import fields, rooms
from annotations.generator.context import Ctx
from annotations.generator.dates import DatePlan, nights_phrase, render_dates, render_single
from annotations.generator.plan import (
    ROOM_TYPES,
    city_form,
    distinct_people,
    draw_city,
    draw_hotel,
    draw_stay,
)
from annotations.generator.vocab import cap, mark, plain
from annotations.generator.voice import voice_of
from extractor.form import StayValues

CHANGES = ("mod_ci", "mod_co", "mod_range", "mod_nights", "mod_rooms", "mod_type", "mod_guests",
           "mod_names", "mod_breakfast")
_WEIGHTS = (3, 2, 4, 3, 1.2, 1.2, 1, 1, 1)


def _where(ctx: Ctx, lang: str, values: dict[str, Any], *, allow_empty: bool = True) -> str:
    book = ctx.vocab.changes[lang]
    options = [w for w in book["where"] if allow_empty or w.strip()]
    template = ctx.pick(options)
    city = draw_city(ctx)
    if "{city}" in template:
        template = template.replace("{city}", mark(city_form(ctx, city, lang), "destination"))
        values["destination"] = city.name
    if "{hotel}" in template:
        name = draw_hotel(ctx, lang, None, "")
        if name.startswith("The "):
            name = name[4:]
        template = template.replace("{hotel}", mark(name, "hotel_name"))
        values["hotel_name"] = name
    if "{ref}" in template:
        ref = ctx.pick(book["refs"]).format(n=ctx.rng.randint(10000, 99999999))
        template = template.replace("{ref}", ref)
    return template


def _shifted(ctx: Ctx, d: dt.date) -> dt.date:
    return d + dt.timedelta(days=ctx.pick((-3, -2, -1, 1, 2, 3, 7)))


# changes that name who stays or how many: the writer's "my booking" says nothing more then
_WHO = frozenset({"mod_names", "mod_guests", "mod_rooms"})


def modification(ctx: Ctx) -> tuple[str, StayValues, str, bool]:
    """A change request; returns the body, the stay's new values, the kind of change, and
    whether the writer speaks of their own stay ("please extend my stay": the writer is the
    traveller when they sign with a name)."""
    lang = ctx.lang
    book = ctx.vocab.changes[lang]
    kind = ctx.weighted(CHANGES, _WEIGHTS)
    values: dict[str, Any] = {}
    stay = draw_stay(ctx, lang, date_mode="range")
    ci, co, n = stay.dates.check_in, stay.dates.check_out, stay.dates.nights
    assert ci and co and n
    template = ctx.pick(book[kind])
    if kind == "mod_breakfast":
        template, values["breakfast"] = template
    slots: dict[str, str] = {}
    if "{ci}" in template:
        slots["ci"] = render_single(ctx, lang, ci, "check_in", relative=False)
        values["check_in"] = ci
        slots["old_ci"] = plain(render_single(ctx, lang, _shifted(ctx, ci), "check_in",
                                              relative=False))
    if "{co}" in template:
        slots["co"] = render_single(ctx, lang, co, "check_out", relative=False)
        values["check_out"] = co
        slots["old_co"] = plain(render_single(ctx, lang, _shifted(ctx, co), "check_out",
                                              relative=False))
    if "{range}" in template:
        slots["range"], dv = render_dates(ctx, stay.dates, "bare", lang)
        values.update(check_in=dv.check_in, check_out=dv.check_out, nights=dv.nights)
        old_in = _shifted(ctx, ci)
        old = DatePlan("range", old_in, old_in + dt.timedelta(days=n), n)
        slots["old_range"] = plain(render_dates(ctx, old, "bare", lang)[0])
    if "{nights}" in template:
        slots["nights"] = nights_phrase(ctx, lang, n)
        values["nights"] = n
        slots["old_nights"] = plain(nights_phrase(ctx, lang, n + ctx.pick((-1, 1, 2))
                                                  if n > 1 else n + 1))
    if "{rooms}" in template:
        count = ctx.rng.randint(2, 6)
        slots["rooms"] = rooms.room_object(ctx, lang, count, None)
        values["rooms"] = count
        slots["old_rooms"] = plain(rooms.room_object(ctx, lang, count - 1, None)) \
            if count > 2 else ("one" if lang == "en" else "einem Zimmer")
    if "{type}" in template:
        kind_value = ctx.pick(ROOM_TYPES)
        slots["type"] = rooms.room_object(ctx, lang, None, kind_value)
        values["room_type"] = kind_value
    if "{guests}" in template:
        count = ctx.rng.randint(2, 6)
        slots["guests"] = rooms.guests_core(ctx, lang, count)
        values["guests"] = count
        slots["old_guests"] = plain(rooms.guests_core(ctx, lang, count - 1))
    if "{names}" in template:
        new_guest, old_guest = distinct_people(ctx, 2)
        slots["names"], names = fields.travellers(ctx, lang, [new_guest], "bare")
        values["traveler_names"] = names
        slots["old_names"] = plain(fields.travellers(ctx, lang, [old_guest], "bare")[0])
    if "{where}" in template:
        slots["where"] = _where(ctx, lang, values)
    text = template
    for key in sorted(slots, key=len, reverse=True):
        text = text.replace("{" + key + "}", slots[key])
    own = kind not in _WHO and voice_of(template) == frozenset({"i"})
    return cap(text), StayValues(**values), kind, own


def cancellation(ctx: Ctx) -> tuple[str, StayValues, bool]:
    """A cancellation naming at least one of the booking's city, hotel or dates, and whether
    the writer cancels their own booking ("please cancel my reservation")."""
    lang = ctx.lang
    book = ctx.vocab.changes[lang]
    values: dict[str, Any] = {}
    stay = draw_stay(ctx, lang, date_mode="range")
    while True:
        template = ctx.pick(book["cancel"])
        when = ctx.pick(book["when"])
        where = _where(ctx, lang, values, allow_empty=bool(when.strip()))
        if values or when.strip():
            break
    if "{bare}" in when or "{pp}" in when:
        kind = "bare" if "{bare}" in when else "pp"
        text, dv = render_dates(ctx, stay.dates, kind, lang)
        when = when.replace("{" + kind + "}", text)
        values.update(check_in=dv.check_in, check_out=dv.check_out, nights=dv.nights)
    elif "{ci}" in when:
        assert stay.dates.check_in is not None
        when = when.replace("{ci}", render_single(ctx, lang, stay.dates.check_in, "check_in",
                                                  relative=False))
        values["check_in"] = stay.dates.check_in
    text = template.replace("{where}", where).replace("{when}", when)
    return cap(text), StayValues(**values), voice_of(template) == frozenset({"i"})
