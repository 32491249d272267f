"""How rooms and the people in them count together, for `extractor.stays.assembly`: a booking
that mixes room kinds ("2 DZ und 1 EZ", "2 twins and 1 single") has no room type (CONVENTIONS),
and its rooms are all of them; people counted per room ("8 Doppelzimmer für jeweils 2
Erwachsene") are that many in every room."""

from __future__ import annotations

import re
from typing import Any

from extractor.form import Evidence, FormField
from extractor.values.valued import Valued, source_of

# a kind read with its count: "[1 single]"
_OWN_COUNT = re.compile(r"[ \t]*(\d{1,2})[ \t]*(?:x[ \t]*)?[^\W\d_]")


def _own_count(kind: Valued, text: str) -> int | None:
    m = _OWN_COUNT.match(text, kind.span.start, kind.span.end)
    return int(m[1]) if m else None


def mixed(kinds: list[Valued], rooms: list[Valued], text: str) -> bool:
    """Whether several rooms of different kinds are asked for: two kinds, each with its own
    count ("2 DZ und 1 EZ", "2 twins + [1 single]" read with its count), not a kind named twice
    or a model's stray second kind."""
    counted = [r for r in rooms if r.value is not None]
    counted += [k for k in kinds if _own_count(k, text)]
    return len({k.value for k in kinds if k.value}) > 1 and len(counted) > 1


def all_kinds(rooms: list[Valued], kinds: list[Valued], read: FormField[Any], text: str
              ) -> FormField[Any]:
    """The rooms of a booking mixing kinds: the sum of the counts right before a kind of
    their own or read with it ("[2] twins and [1] single", "[2] twins + [1 single]": 3), when
    two kinds have one; else as `read`."""
    counted: dict[int, tuple[Valued, int, Any]] = {}
    for kind in kinds:
        count = next((r for r in rooms if r.value is not None
                      and 0 <= kind.span.start - r.span.end <= 2), None)
        if count is not None and kind.value:
            counted[count.span.start] = (count, count.value, kind.value)
        elif (own := _own_count(kind, text)) and kind.value:
            counted[kind.span.start] = (kind, own, kind.value)
    if len({k for _, _, k in counted.values()}) < 2:
        return read
    support = [c for c, _, _ in counted.values()]
    return FormField(value=sum(n for _, n, _ in counted.values()),
                     confidence=min(c.span.confidence for c in support),
                     evidence=[Evidence(start=c.span.start, end=c.span.end) for c in support],
                     source=source_of(support))


# people counted per room: "für [je] 2 Personen", "[2 adults] per room", "2 Erwachsene jeweils"
_EACH_BEFORE = re.compile(r"(?<!\w)(?:je|jeweils)[ \t]*$", re.IGNORECASE)
_PER_ROOM = re.compile(r"(?<!\w)(?:per room|in each room|pro zimmer|je zimmer|im zimmer)(?!\w)",
                       re.IGNORECASE)
_AFTER_REACH = 14  # characters after the count: "[2 adults per] room"
_EACH_AFTER = re.compile(r"[ \t]*(?:each|jeweils)(?!\w)(?![ \t]+(?:with|mit))", re.IGNORECASE)


def per_room(guests: FormField[Any], items: list[Valued], rooms: FormField[Any], text: str
             ) -> FormField[Any]:
    """The adults of a booking whose adults are counted per room ("8 Doppelzimmer für jeweils
    [2 Erwachsene]", "3 doubles, [2 adults] per room"): that count times the rooms; else
    `guests` as read."""
    read = next((i for i in items if i.value == guests.value), None)
    if read is None or not isinstance(guests.value, int) or not isinstance(rooms.value, int) \
            or rooms.value < 2 or not (
            _EACH_BEFORE.search(text, max(0, read.span.start - 12), read.span.start)
            or _EACH_AFTER.match(text, read.span.end)
            or _PER_ROOM.search(text, read.span.start, read.span.end + _AFTER_REACH)):
        return guests
    return guests.model_copy(update={"value": guests.value * rooms.value,
                                     "source": "derived",
                                     "evidence": [*guests.evidence, *rooms.evidence]})
