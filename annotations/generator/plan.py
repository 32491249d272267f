"""The true content of a request, drawn before a word is written.

Each optional field is present or absent on its own draw, so that the classifier cannot learn that
one field comes with another; values are plausible together (guests never fewer than rooms).
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field
from typing import Literal

from annotations.generator.context import Ctx
from annotations.generator.dates import DatePlan, draw_dates
from annotations.generator.vocab import City

ROOM_TYPES = ("single", "double", "twin", "suite")
_DACH = frozenset({"DE", "AT", "CH", "LI"})
# how often each optional field is stated in a request
PRESENCE = {
    "rooms": 0.42, "room_type": 0.52, "guests": 0.40, "hotel": 0.26, "near": 0.32,
    "price": 0.32, "breakfast": 0.42, "travelers": 0.42,
}


@dataclass(frozen=True)
class Person:
    first: str
    last: str
    gender: str  # "f" or "m", for titles and greetings
    origin: str  # "de", "en" or "intl"


@dataclass(frozen=True)
class Landmark:
    """A place to be near: `text` as it will be written, `kind` "art" (needs an article) or
    "bare", and for German generic places the grammatical gender."""

    text: str
    kind: str
    gender: str = "n"


@dataclass(frozen=True)
class PricePlan:
    amount: float
    currency: str | None
    per: Literal["night", "stay"]


@dataclass
class StayPlan:
    city: City | None
    city_form: str  # the spelling this email uses for the city
    dates: DatePlan
    rooms: int | None = None
    room_type: str | None = None
    guests: int | None = None
    hotel: str | None = None
    near: Landmark | None = None
    price: PricePlan | None = None
    breakfast: bool | None = None
    travelers: list[Person] | None = field(default=None)
    # who travels (annotations.generator.party): "self" the writer alone, "self_plus" the
    # writer and `others` more (named in `travelers`, or told as "my colleague and me"),
    # "others" the named `travelers` only, "open" not said
    party: str = "open"
    others: int = 0
    children: int | None = None  # counted apart from `guests`, which counts adults
    single_use: bool = False  # a double "for single use": one guest


def draw_city(ctx: Ctx, *, exclude: tuple[City, ...] = ()) -> City:
    v = ctx.vocab
    while True:
        city = ctx.rng.choices(v.cities, weights=v.city_weights, k=1)[0]
        if city not in exclude:
            return city


def city_form(ctx: Ctx, city: City, lang: str) -> str:
    """How this email spells `city`: the usual form of `lang`, sometimes another or lower case."""
    own = city.de if lang == "de" else city.name
    other = city.name if lang == "de" else city.de
    roll = ctx.rng.random()
    if city.alt and roll < 0.08:
        form = ctx.pick(city.alt)
    elif other != own and roll < (0.12 if city.cc in _DACH else 0.03):
        form = other  # "München" in an English email, rarely "Milan" in a German one
    else:
        form = own
    if ctx.chance(0.25 if ctx.casual else 0.03):
        form = form.lower()
    return form


def draw_person(ctx: Ctx) -> Person:
    people = ctx.vocab.people
    origin = ctx.weighted(("de", "en", "intl"), (5, 3, 2) if ctx.lang == "de" else (3, 5, 2))
    gender = ctx.pick(("f", "m"))
    first = ctx.pick(people["first"][origin][gender])
    last_origin = origin if ctx.chance(0.85) else ctx.pick(("de", "en", "intl"))
    return Person(first, ctx.pick(people["last"][last_origin]), gender, origin)


def draw_landmark(ctx: Ctx, lang: str, city: City | None) -> Landmark:
    places = ctx.vocab.places
    own = places["city_landmarks"].get(city.name, []) if city else []
    roll = ctx.rng.random()
    if own and roll < 0.35:
        return Landmark(ctx.pick(own), "bare")
    if roll < 0.55:
        streets = places["streets_de" if lang == "de" or ctx.chance(0.5) else "streets_en"]
        if lang == "de":  # "in der Kölner Str.": only street names that take "der"
            streets = [s for s in streets if re.search(r"(?i)(stra(ß|ss)e|str\.|allee)$", s)]
        street = ctx.pick(streets)
        office = ctx.pick(ctx.book(lang)["offices"]).format(
            street=street, no=ctx.rng.randint(1, 120), company=ctx.pick(places["companies"]))
        return Landmark(office, "bare")
    if lang == "de":
        name, gender = ctx.pick(places["landmarks_de"])
        return Landmark(name, "art", gender)
    return Landmark(ctx.pick(places["landmarks_en"]), "art")


def draw_hotel(ctx: Ctx, lang: str, city: City | None, form: str) -> str:
    hotels = ctx.vocab.hotels
    famous = hotels["famous"].get(city.name, []) if city else []
    roll = ctx.rng.random()
    if famous and roll < 0.3:
        return ctx.pick(famous)
    if roll < 0.7:
        chain = ctx.pick(hotels["chains"])
        shape = ctx.rng.random()
        if city is None or shape < 0.35:
            return chain
        area = ctx.pick(hotels["areas"][lang])
        if city.cc not in _DACH:  # chains name their hotels abroad in English
            form = city.name
        if shape < 0.75:
            return f"{chain} {form}"
        return f"{chain} {form} {area}" if ctx.chance(0.6) else f"{chain} {form}-{area}"
    return ctx.pick(hotels["local"])


def draw_price(ctx: Ctx, city: City | None) -> PricePlan:
    local = {"US": "USD", "GB": "GBP", "CH": "CHF", "LI": "CHF"}.get(city.cc if city else "", "EUR")
    currency = ctx.weighted((local, "EUR", "USD", "GBP", "CHF", None), (6, 4, 0.6, 0.5, 0.5, 1.0))
    per: Literal["night", "stay"] = "night" if ctx.chance(0.75) else "stay"
    if per == "night":
        amount: float = ctx.rng.randrange(60, 360, ctx.pick((5, 10, 10, 50)))
    else:
        amount = ctx.rng.randrange(200, 3000, ctx.pick((10, 50, 100)))
    if ctx.chance(0.04):
        amount += ctx.pick((0.5, 0.99, 0.9))
    return PricePlan(float(amount), currency, per)


def draw_stay(ctx: Ctx, lang: str, *, city: City | None = None, start: dt.date | None = None,
              date_mode: str | None = None, with_city: bool = True,
              party: str = "open") -> StayPlan:
    """Draw one stay; `start` and `date_mode` fix its dates (a trip's later legs); `party`
    says who travels, and the counts and names are drawn to fit it."""
    p = PRESENCE
    if city is None and with_city:
        city = draw_city(ctx)
    form = city_form(ctx, city, lang) if city else ""
    stay = StayPlan(city=city, city_form=form, dates=draw_dates(ctx, start=start, mode=date_mode))
    if ctx.chance(p["rooms"]):
        stay.rooms = ctx.weighted((1, 2, 3, 4, 5, 6, 8, 10, 12, 20),
                                  (30, 30, 14, 8, 4, 4, 3, 3, 2, 2))
    if ctx.chance(p["room_type"]):
        stay.room_type = ctx.weighted(ROOM_TYPES, (40, 35, 15, 10))
    if ctx.chance(p["guests"]):
        guests = ctx.weighted((1, 2, 3, 4, 5, 6, 8, 12), (20, 35, 15, 12, 6, 5, 4, 3))
        if stay.rooms:
            guests = stay.rooms if stay.room_type == "single" else max(guests, stay.rooms)
        elif stay.room_type == "single":
            guests = 1  # one single room sleeps one
        stay.guests = guests
    if ctx.chance(p["hotel"]):
        stay.hotel = draw_hotel(ctx, lang, city, form)
    if ctx.chance(p["near"]):
        stay.near = draw_landmark(ctx, lang, city)
    if ctx.chance(p["price"]):
        stay.price = draw_price(ctx, city)
    if ctx.chance(p["breakfast"]):
        stay.breakfast = ctx.chance(0.7)
    if party == "open" and ctx.chance(p["travelers"]):
        party = "others"
    stay.party = party
    fit_party(ctx, stay)
    return stay


def fit_party(ctx: Ctx, stay: StayPlan) -> None:
    """Make the counts and names of `stay` agree with its party: the writer alone books one
    room for one guest; the writer and others are 2 to 4 adults; named others are every adult
    most of the time; children come only with a count of adults ("2 adults and a child")."""
    party = stay.party
    if party == "self":
        stay.rooms = 1 if stay.rooms is not None else None
        if stay.room_type in ("double", "twin", "suite"):
            if stay.room_type == "double" and ctx.chance(0.5):
                stay.single_use = True
            else:
                stay.guests = 1  # "a double for one person": said, never left to guess
        stay.guests = 1 if stay.guests is not None else None
    elif party == "self_plus":
        stay.others = ctx.weighted((1, 2, 3), (70, 20, 10))
        adults = 1 + stay.others
        if ctx.chance(0.5):
            stay.travelers = distinct_people(ctx, stay.others)
            stay.guests = adults if stay.guests is not None else None
        else:
            stay.guests = adults  # told as "my colleague and me": the count is the phrase
        if stay.room_type == "single":
            stay.room_type = "double" if adults == 2 else None
        if stay.rooms is not None:
            stay.rooms = min(stay.rooms, adults)
    elif party == "others":
        n = ctx.weighted((1, 2, 3), (60, 28, 12))
        if stay.guests is not None and ctx.chance(0.15) and stay.guests > n:
            pass  # some of a larger group named: the names are not every guest
        elif stay.guests is not None:
            stay.guests = n
        if stay.rooms is not None:
            stay.rooms = min(stay.rooms, stay.guests or n)
        if stay.room_type == "single" and n > 1 and stay.guests in (None, n):
            stay.rooms = n  # "two single rooms for Anna and Tom"
        stay.travelers = distinct_people(ctx, n)
    if party == "open" and stay.room_type == "double" and stay.rooms in (None, 1) and \
            stay.guests is None and ctx.chance(0.15):
        stay.single_use = True
    if party in ("open", "others") and stay.guests and stay.guests >= 3 and \
            stay.room_type != "single" and ctx.chance(0.2):
        stay.children = ctx.rng.randint(1, min(3, stay.guests - 1))
        stay.guests -= stay.children
        if stay.rooms is not None:
            stay.rooms = min(stay.rooms, stay.guests)
        if party == "others" and stay.travelers and len(stay.travelers) > stay.guests:
            stay.travelers = stay.travelers[: stay.guests]
    if stay.single_use and (stay.rooms or 1) > 1:
        stay.single_use = False


def distinct_people(ctx: Ctx, n: int) -> list[Person]:
    """`n` people with different last names."""
    people: list[Person] = []
    while len(people) < n:
        person = draw_person(ctx)
        if all(person.last != p.last for p in people):
            people.append(person)
    return people
