"""Values: the text of a span -> the value of its form field (docs/ANNOTATION.md, "Values").

One module per kind of value: `places` (destination, hotel, near), `money` (max_price),
`rooms` (room_type, breakfast), `people` (traveler_names), `counts` (nights, rooms, guests: adults, and children),
`dates` (check_in, check_out: resolved later, against the received date and the partner
span). Each function takes the span's text and returns the value, or None when the text
states none; all accept lowercase, extra spaces and umlauts written as ae/oe/ue. Their word
lists are the lexicon's (`extractor.lexicon`).
"""

from __future__ import annotations

from collections.abc import Callable

from extractor.values.counts import normalize_count, normalize_guests, normalize_nights
from extractor.values.money import normalize_price
from extractor.values.people import normalize_traveler
from extractor.values.places import normalize_destination
from extractor.values.rooms import normalize_breakfast, normalize_room_type
from extractor.values.venues import normalize_hotel, normalize_near

# field -> its value from (text, context); a field not here keeps its text (the dates)
_BY_FIELD: dict[str, Callable[[str, str], object]] = {
    "destination": lambda text, _: normalize_destination(text),
    "rooms": lambda text, _: normalize_count(text),
    "guests": lambda text, _: normalize_guests(text),
    "nights": lambda text, _: normalize_nights(text),
    "room_type": lambda text, _: normalize_room_type(text),
    "hotel_name": lambda text, _: normalize_hotel(text),
    "near": lambda text, context: normalize_near(text, context),
    "max_price": lambda text, context: normalize_price(text, context=context),
    "breakfast": lambda text, context: normalize_breakfast(text, context=context),
    "traveler_names": lambda text, _: normalize_traveler(text),
}


def normalize_field(field: str, text: str, *, context: str = "") -> object:
    """The value of a span of `field` (one of FIELDS) with text `text`, or None.

    Dates are not resolved here (they need the received date and their partner span: see
    `extractor.values.dates`); for check_in/check_out the text itself is returned.
    `context` is the text around the span (a currency written outside a price span, a
    "doesn't matter" around a breakfast)."""
    value = _BY_FIELD.get(field)
    return text if value is None else value(text, context)
