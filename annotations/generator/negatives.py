"""Emails that ask for no hotel: flights, cars, trains, meetings, newsletters, a hotel's own
confirmation, out-of-office replies, invoices.

They are full of cities, dates, names and prices, none of them labelled: the classifier must learn
that these words are stay fields only inside a hotel request. A hotel's or agency's
confirmation is the exception: its booking is marked (hotel, city, dates, room, breakfast, the
guest), because a reply that changes or cancels a booking quotes it and the extractor reads the
quote for that booking (`extractor.thread`). Its intent stays not_hotel, and it has no stays.
"""

from __future__ import annotations

import datetime as dt

from annotations.generator.context import Ctx
from annotations.generator.datewords import WEEKDAYS, format_date
from annotations.generator.fields import person
from annotations.generator.numbers import amount_text
from annotations.generator.plan import city_form, draw_city, draw_hotel, draw_person

KINDS = ("flight", "car", "train", "meeting", "newsletter", "confirmation", "ooo", "invoice",
         "other")
_WEIGHTS = (5, 2, 1.5, 3, 2, 2.5, 2, 2, 3)
# kinds that come from machines, not people: no greeting or sign-off around them
MACHINE = frozenset({"newsletter", "confirmation", "ooo"})
# what a confirmation's slots hold of the booking it confirms: the form a reply that quotes it
# changes or cancels is read there (the email itself stays no hotel request)
_CONFIRMED = {"hotel": "hotel_name", "city": "destination", "date": "check_in",
              "date2": "check_out", "name": "traveler_names"}


def _date(ctx: Ctx, lang: str, d: dt.date) -> str:
    code = ctx.weighted(("DM", "DMY", "NUMY", "MD") if lang == "en" else ("DM", "NUM", "NUMY"),
                        (3, 2, 1, 2) if lang == "en" else (3, 3, 2))
    if code in ("DM", "MD", "NUM") and d <= ctx.today:
        code = "DMY" if lang == "en" else "NUMY"
    return format_date(ctx, lang, code, d)


def negative(ctx: Ctx) -> tuple[str, str]:
    """A not-hotel email body and its kind."""
    lang = ctx.lang
    kind = ctx.weighted(KINDS, _WEIGHTS)
    template = ctx.pick(ctx.vocab.negatives[lang][kind])
    start = ctx.today + dt.timedelta(days=ctx.rng.randint(1, 120))
    if kind == "invoice" and ctx.chance(0.7):  # a bill follows the stay
        start = ctx.today - dt.timedelta(days=ctx.rng.randint(8, 60))
    end = start + dt.timedelta(days=ctx.rng.randint(1, 6))
    city, city2 = draw_city(ctx), draw_city(ctx)
    while kind == "train" and city.cc != "DE":  # trains between German cities
        city = draw_city(ctx)
    while city2 == city or (kind == "train" and city2.cc != city.cc):
        city2 = draw_city(ctx)
    name = person(ctx, lang, draw_person(ctx))[0]
    name2 = person(ctx, lang, draw_person(ctx))[0]
    currency = ctx.pick(("EUR", "€", "USD", "GBP", "CHF"))
    amount = amount_text(ctx, lang, float(ctx.rng.randrange(59, 1900)))
    price = f"{amount} {currency}" if currency != "€" or ctx.chance(0.5) else f"€{amount}"
    streets = "streets_de" if city.cc in ("DE", "AT", "CH", "LU") else "streets_en"
    slots = {
        "city": city_form(ctx, city, lang), "city2": city_form(ctx, city2, lang),
        "date": _date(ctx, lang, start), "date2": _date(ctx, lang, end),
        "name": name, "name2": name2, "price": price,
        "hotel": draw_hotel(ctx, lang, city, city_form(ctx, city, lang)),
        "ref": f"{ctx.pick(('', 'HX', 'RE-', 'INV-', '2026-'))}{ctx.rng.randint(10000, 9999999)}",
        "time": f"{ctx.rng.randint(6, 20)}:{ctx.pick(('00', '15', '30', '45'))}",
        "company": ctx.pick(ctx.vocab.places["companies"]),
        "n": str(ctx.rng.randint(2, 12)),
        "street": f"{ctx.pick(ctx.vocab.places[streets])} {ctx.rng.randint(1, 99)}",
        "weekday": WEEKDAYS[lang][start.weekday()],
    }
    if kind == "confirmation":  # the booking it confirms, marked: a reply may quote it
        slots.update({key: f"[[{slots[key]}|{label}]]" for key, label in _CONFIRMED.items()})
    text = template
    for key in sorted(slots, key=len, reverse=True):
        text = text.replace("{" + key + "}", slots[key])
    return text, kind
