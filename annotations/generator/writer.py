"""`StayWriter` writes the fields of one stay and records the form values of what it wrote.

A value enters the expected form only when a phrase stating it was written, so the form can never
hold a value the text does not support (E106) and never misses one it states.
"""

from __future__ import annotations

from typing import Any

from annotations.generator import fields, rooms
from annotations.generator.context import Ctx
from annotations.generator.dates import render_dates
from annotations.generator.plan import StayPlan
from extractor.form import Price, StayValues
from extractor.values.money import local_price

# the order a writer usually gives a stay's parts in; shuffled a little per email
_BASE_ORDER = {"hotel": 0.0, "dest": 1.0, "near": 2.0, "dates": 3.0, "guests": 4.0,
               "breakfast": 5.0, "price": 6.0, "travelers": 7.0}


class StayWriter:
    """Writes phrases for `stay` in `lang` and collects the values they state."""

    def __init__(self, ctx: Ctx, stay: StayPlan, lang: str | None = None) -> None:
        self.ctx = ctx
        self.stay = stay
        self.lang = lang or ctx.lang
        self.values: dict[str, Any] = {}
        self.implied: set[str] = set()  # fields whose value the email implies (party.imply)

    def present(self) -> list[str]:
        """The parts of the stay that are to be stated ("dest", "dates", "rooms", ...)."""
        s = self.stay
        have = {"dest": s.city is not None, "dates": True,
                "rooms": s.rooms is not None or s.room_type is not None,
                "hotel": s.hotel is not None, "near": s.near is not None,
                "guests": s.guests is not None, "breakfast": s.breakfast is not None,
                "price": s.price is not None, "travelers": bool(s.travelers)}
        return [k for k, v in have.items() if v]

    def order_key(self, part: str, noise: float = 1.6) -> float:
        """A noisy sort key so inline phrases come in a natural but varying order."""
        return _BASE_ORDER.get(part, 3.5) + self.ctx.rng.gauss(0, noise)

    def write(self, part: str, kind: str, lang: str | None = None) -> str:
        """The markup of `part` as a `kind` phrase ("pp", "sent", "bare", "struct")."""
        ctx, s, lang = self.ctx, self.stay, lang or self.lang
        if part == "dest":
            self.values["destination"] = s.city.name if s.city else None
            return fields.destination(ctx, lang, s, "bare" if kind == "struct" else kind)
        if part == "dates":
            text, dv = render_dates(ctx, s.dates, kind, lang)
            self.values.update(check_in=dv.check_in, check_out=dv.check_out, nights=dv.nights)
            return text
        if part == "rooms":
            self.record_rooms()
            if kind == "sent":
                return rooms.room_sentence(ctx, lang, s.rooms, s.room_type,
                                           single_use=s.single_use)
            return rooms.room_object(ctx, lang, s.rooms, s.room_type, chat=kind == "bare",
                                     single_use=s.single_use)
        if part == "guests":
            assert s.guests is not None
            self.values["guests"] = s.guests
            if s.children:
                self.values["children"] = s.children
            with_me = s.party == "self_plus" and not s.travelers
            if kind in ("bare", "struct"):
                return rooms.guests_core(ctx, lang, s.guests, children=s.children or 0,
                                         party="obj" if with_me else None)
            return rooms.guests_phrase(ctx, lang, s.guests, kind, children=s.children or 0,
                                       with_me=with_me)
        if part == "hotel":
            assert s.hotel is not None
            text, self.values["hotel_name"] = fields.hotel(ctx, lang, s.hotel, _k(kind))
            return text
        if part == "near":
            assert s.near is not None
            text, self.values["near"] = fields.near(ctx, lang, s.near, _k(kind))
            return text
        if part == "price":
            assert s.price is not None
            p = s.price
            self.values["max_price"] = Price(amount=p.amount, currency=p.currency, per=p.per)
            return fields.price(ctx, lang, p, _k(kind))
        if part == "breakfast":
            assert s.breakfast is not None
            self.values["breakfast"] = s.breakfast
            return fields.breakfast(ctx, lang, s.breakfast, kind)
        if part == "travelers":
            assert s.travelers
            text, self.values["traveler_names"] = fields.travellers(
                ctx, lang, s.travelers, _k(kind), with_me=s.party == "self_plus")
            return text
        raise ValueError(f"unknown part {part}")

    def obj(self, *, chat: bool = False, with_rooms: bool = True) -> str:
        """The room object of a request sentence; `with_rooms=False` names just a hotel (the
        rooms are then told in a sentence of their own)."""
        s = self.stay
        if with_rooms:
            self.record_rooms()
            return rooms.room_object(self.ctx, self.lang, s.rooms, s.room_type, chat=chat,
                                     single_use=s.single_use)
        if s.rooms is None and s.room_type is None:
            return rooms.room_object(self.ctx, self.lang, None, None, chat=chat)
        return self.ctx.pick(self.ctx.book(self.lang)["obj_hotel"])

    def record_rooms(self) -> None:
        """Record the rooms and room type as stated (the caller wrote them)."""
        if self.stay.rooms is not None:
            self.values["rooms"] = self.stay.rooms
        if self.stay.room_type is not None:
            self.values["room_type"] = self.stay.room_type

    def essential(self) -> list[str]:
        """The parts that say who travels and so must be written whatever the shape drops:
        the others of the writer's party, the travellers of a booker."""
        s = self.stay
        if s.party == "self_plus":
            return ["travelers" if s.travelers else "guests"]
        return ["travelers"] if s.party == "others" else []

    def form_values(self) -> StayValues:
        """The stay's expected form values: what was written, and what it implies (listed in
        `implied`, see `annotations.generator.party`); a budget written without its currency
        is in the currency of the stay's city where the amount is a price there, as a clerk
        books it (`extractor.values.money.local_price`)."""
        values = dict(self.values)
        price = values.get("max_price")
        if isinstance(price, Price) and price.currency is None:
            values["max_price"] = local_price(price, "", values.get("destination"))
        return StayValues(**values, implied=sorted(self.implied))


def _k(kind: str) -> str:
    return "bare" if kind == "struct" else kind
