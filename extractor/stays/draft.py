"""Stay drafts: the valued spans of one stay before its values are chosen."""

from __future__ import annotations

from dataclasses import dataclass, field

from extractor.form import Stay
from extractor.values.valued import Valued

DATES = ("check_in", "check_out")
DATED = (*DATES, "nights")
# stated once for the whole trip, they hold for every stay (docs/ANNOTATION.md)
SHARED_FIELDS = ("rooms", "guests", "room_type", "max_price", "breakfast", "traveler_names")


@dataclass(slots=True)
class StayDraft:
    spans: dict[str, list[Valued]] = field(default_factory=dict)

    def add(self, item: Valued) -> None:
        self.spans.setdefault(item.span.field, []).append(item)


@dataclass(slots=True)
class AssembledStay:
    stay: Stay
    issues: list[str]  # review reasons found while assembling ("vague:check_in" ...)


def share(drafts: list[StayDraft], names: tuple[str, ...], always: tuple[str, ...] = ()
          ) -> None:
    """A field stated in one draft only holds for all of them; one in `always` holds for the
    drafts without it whenever one states it (the city of one city's several stays)."""
    for name in names:
        stated = [draft.spans[name] for draft in drafts if draft.spans.get(name)]
        if len(stated) == 1 or (name in always and stated):
            for draft in drafts:
                draft.spans.setdefault(name, list(stated[0]))
