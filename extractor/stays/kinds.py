"""A booking that mixes room kinds ("2 DZ und 1 EZ", "2 twins and 1 single"): it has no room
type (CONVENTIONS), and its rooms are all of them, for `extractor.stays.assembly`."""

from __future__ import annotations

from typing import Any

from extractor.form import Evidence, FormField
from extractor.values.valued import Valued, source_of


def mixed(kinds: list[Valued], rooms: list[Valued]) -> bool:
    """Whether several rooms of different kinds are asked for: two kinds, each with its own
    count ("2 DZ und 1 EZ"), not a kind named twice or a model's stray second kind."""
    counted = [r for r in rooms if r.value is not None]
    return len({k.value for k in kinds if k.value}) > 1 and len(counted) > 1


def all_kinds(rooms: list[Valued], kinds: list[Valued], read: FormField[Any]
              ) -> FormField[Any]:
    """The rooms of a booking mixing kinds: the sum of the counts right before a kind of
    their own ("[2] twins and [1] single": 3), when two kinds have one; else as `read`."""
    counted: dict[int, tuple[Valued, Any]] = {}
    for kind in kinds:
        count = next((r for r in rooms if r.value is not None
                      and 0 <= kind.span.start - r.span.end <= 2), None)
        if count is not None and kind.value:
            counted[count.span.start] = (count, kind.value)
    if len({k for _, k in counted.values()}) < 2:
        return read
    support = [c for c, _ in counted.values()]
    return FormField(value=sum(c.value for c in support),
                     confidence=min(c.span.confidence for c in support),
                     evidence=[Evidence(start=c.span.start, end=c.span.end) for c in support],
                     source=source_of(support))
