"""Who travels, decided before a word is written, and the values that follows from it.

docs/ANNOTATION.md ("Implied values"): the writer is a traveller when the request is for
themselves ("I need a room", "book me", "für mich") and they sign with a name, which then is the
value (titles dropped); a booker writing for others is not. One person alone is one room and
one guest; "a double for my wife and me" is one room and two guests; named travellers are that
many guests; "two single rooms" are two guests; a double "for single use" is one. Values that
follow so are marked `implied`: no span states them.

The plan says who travels (`StayPlan.party`); the voice of the phrases keeps the words in line
(`annotations.generator.voice`); `imply` reads the plan and what was written, never the text.
"""

from __future__ import annotations

from annotations.generator.context import Ctx
from annotations.generator.voice import ALL
from annotations.generator.writer import StayWriter

# who travels, by the shape of the request: terse notes and pasted forms have no first
# person, so they are written by bookers or say nothing of it
PARTIES = {
    "first_person": (("self", 48), ("self_plus", 14), ("others", 22), ("open", 16)),
    "impersonal": (("others", 45), ("open", 55)),
}
FIRST_PERSON_SHAPES = frozenset({"prose", "chat", "multi", "flight_hotel"})
# the persons each party's phrases may speak for
VOICES: dict[str, frozenset[str]] = {
    "self": frozenset({"i"}), "self_plus": ALL, "others": frozenset(), "open": frozenset({"we"}),
}


def draw_party(ctx: Ctx, shape: str) -> str:
    """Who travels in a new booking written in `shape`."""
    table = PARTIES["first_person" if shape in FIRST_PERSON_SHAPES else "impersonal"]
    party = ctx.weighted([k for k, _ in table], [w for _, w in table])
    return "open" if party == "others" else party  # others: drawn with the travellers


def imply(w: StayWriter, signer: str | None) -> None:
    """Add to `w`'s values (marking them implied) what its party and its written values imply;
    `signer` is the writer's name as signed (titles dropped), None when unsigned."""
    s, v = w.stay, w.values

    def put(name: str, value: object) -> None:
        if v.get(name) is None and value is not None:
            v[name] = value
            w.implied.add(name)

    if s.party == "self":
        if signer:
            put("traveler_names", [signer])
        put("rooms", 1)
        put("guests", 1)
    elif s.party == "self_plus":
        adults = 1 + s.others
        if v.get("traveler_names"):
            if signer:  # "for Anna and me", signed Tom: every adult named
                v["traveler_names"] = [*v["traveler_names"], signer]
                w.implied.add("traveler_names")
            else:
                v["traveler_names"] = None  # the writer's name is unknown
        put("guests", adults)
        if adults == 2 and v.get("room_type") in ("double", "twin"):
            put("rooms", 1)
    elif s.party == "others" and v.get("traveler_names"):
        named = len(v["traveler_names"])
        if v.get("guests") is not None and v["guests"] != named:
            v["traveler_names"] = None  # not every adult guest is named
        else:
            put("guests", named)
            if named == 1:
                put("rooms", 1)
    if s.single_use:
        put("rooms", 1)
        put("guests", 1)
    if v.get("room_type") == "single" and v.get("rooms"):
        put("guests", v["rooms"])  # one guest to a single room
