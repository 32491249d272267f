"""The audit sample: a share of auto-accepted items that also goes to the review queue, so
the team learns how often auto-accept is wrong (its live precision).

Which items are in the sample is decided by the item id alone, the same in Python and in
SQL, with no column to keep: ids are uuid4 hex, so their first eight hex digits read as a
number in [0, 1) are as good as a hash of the id, and "in the sample" is "those digits come
before the share". A share of 0.0 samples nothing and 1.0 everything (tests set both); a
changed `STAYFORM_AUDIT_SHARE` changes the sample from then on, old items included.

An audited item is claimed after every `needs_review` item (see `store.claim_next`) and, once
a reviewer saved it, counts as *changed* when the saved intent or any stay value differs
from what the model had auto-accepted.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sqlalchemy import ColumnElement, and_, false, func, select, true
from sqlalchemy.orm import Session

from api.models import Answer, Item, Suggestion
from api.views import suggested_form
from extractor.form import ExtractionResult, FormValues

_DIGITS = 8


def _cut(share: float) -> str:
    return format(int(share * 16**_DIGITS), f"0{_DIGITS}x")


def in_sample(item_id: str, share: float) -> bool:
    """Whether the item with this id is in the audit sample at `share` (0.0 to 1.0)."""
    if share >= 1.0:
        return True
    return share > 0.0 and item_id[:_DIGITS] < _cut(share)


def sampled(item_id: Any, share: float) -> ColumnElement[bool]:
    """`in_sample` as a SQL condition on an item id column."""
    if share >= 1.0:
        return true()
    if share <= 0.0:
        return false()
    return item_id < _cut(share)  # type: ignore[no-any-return]


def waiting(item: Any, share: float) -> ColumnElement[bool]:
    """SQL: the item is auto-accepted, in the sample and not looked at yet."""
    return and_(item.status == "auto_accepted", sampled(item.id, share))


@dataclass(frozen=True)
class Precision:
    """The audit so far: sampled items reviewed (`checked`), how many of those a reviewer
    changed, and how many still wait for their second look."""

    checked: int
    changed: int
    waiting: int

    @property
    def changed_share(self) -> float | None:
        """The share of checked items that needed a change (None before the first check)."""
        return self.changed / self.checked if self.checked else None


def _plain(values: FormValues) -> tuple[str, list[dict[str, Any]]]:
    # what a booking is made from: the intent and every stay value (not which are implied)
    return values.intent, [s.model_dump(mode="json", exclude={"implied"}) for s in values.stays]


def measure(session: Session, *, share: float) -> Precision:
    """Count the audit sample at `share`: checked, changed and still waiting."""
    audited = and_(Item.routed_status == "auto_accepted", sampled(Item.id, share))
    newest = (select(Answer.item_id, func.max(Answer.id).label("answer_id"))
              .group_by(Answer.item_id).subquery())
    rows = session.execute(
        select(Suggestion.result, Answer.values)
        .join(Item, Item.id == Suggestion.item_id)
        .join(newest, newest.c.item_id == Item.id)
        .join(Answer, Answer.id == newest.c.answer_id)
        .where(audited, Item.status == "reviewed"))
    checked = changed = 0
    for result, values in rows:
        checked += 1
        suggested = suggested_form(ExtractionResult.model_validate(result))
        answer = FormValues.model_validate(values)
        if suggested is None or _plain(suggested) != _plain(answer):
            changed += 1
    left = session.scalar(select(func.count()).select_from(Item).where(waiting(Item, share)))
    return Precision(checked=checked, changed=changed, waiting=left or 0)
