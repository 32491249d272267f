"""What clients see of a stored item (`ItemPublic`): the model's suggestion until a reviewer
answers, then the result as the human left it.

The suggestion row is never rewritten (Argilla's habit, see `api/models.py`): a reviewed
item's `result` is built here, at read time, from the suggestion and the newest answer, and
the untouched suggestion rides along as `suggestion`. So the export and training keep reading
the model's own guess (`StoredItem.result`) while a client polling the item sees
`status: "reviewed"` and the human's values (`source: "human"`).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from api.human_evidence import StayEvidence
from api.schemas import ItemPublic
from extractor.form import STAY_FIELDS, ExtractionResult, FormValues, Stay, StayValues

if TYPE_CHECKING:
    from api.store import StoredItem


def suggested_form(result: ExtractionResult) -> FormValues | None:
    """The plain values the model suggests, or None for an error result.

    Built without validation: a suggestion may be wrong in ways a reviewer's answer may not
    (check_out before check_in), and the reviewer must see it to correct it. `implied` names
    the values no span states (source derived or history), as `Stay.values` does.
    """
    if result.intent is None:
        return None
    stays = [StayValues.model_construct(
        **{n: s.field(n).value for n in STAY_FIELDS},
        implied=[n for n in STAY_FIELDS if s.field(n).value is not None
                 and s.field(n).source in ("derived", "history")])
        for s in result.stays]
    return FormValues.model_construct(intent=result.intent, stays=stays)


def reviewed_result(result: ExtractionResult, answer: FormValues,
                    evidence: list[StayEvidence] | None = None) -> ExtractionResult:
    """`result` as the reviewer confirmed it: status `reviewed`, the answer's intent and stays,
    every field fully confident with source `human`.

    With `evidence` (the review page saves it: where the reviewer's values stand, per stay)
    each field's evidence is the reviewer's. Without it (an answer sent to the API), a value
    the reviewer kept (same stay, equal value) keeps the model's evidence, so the text behind
    it can still be shown; a changed value has none, since the words the model pointed at are
    not the words of the new value. Text, sender, segments, review reasons (why a human
    looked) and the rest stay as the model wrote them.
    """
    stays = []
    for index, values in enumerate(answer.stays):
        stay = Stay.from_values(values, source="human")
        if evidence is not None:
            own = evidence[index] if index < len(evidence) else {}
            for name in STAY_FIELDS:
                if stay.field(name).value is not None:
                    stay.field(name).evidence = list(own.get(name, []))
        elif index < len(result.stays):
            before = result.stays[index]
            for name in STAY_FIELDS:
                field, old = stay.field(name), before.field(name)
                if field.value is not None and field.value == old.value:
                    field.evidence = list(old.evidence)
        stays.append(stay)
    return result.model_copy(update={"status": "reviewed", "intent": answer.intent,
                                     "intent_confidence": 1.0, "stays": stays})


def item_public(stored: StoredItem) -> ItemPublic:
    """The item as the API returns it: `result` is the reviewed result once a reviewer saved
    an answer, with the model's own result in `suggestion`; before that, `result` is the
    model's and `suggestion` is null. `form` holds the values to act on either way."""
    i, answer = stored.item, stored.answer
    reviewed = i.status == "reviewed" and answer is not None
    return ItemPublic(
        id=i.id, external_id=i.external_id, status=i.status, version=i.version,  # type: ignore[arg-type]
        received_at=i.received_at, created_at=i.created_at, updated_at=i.updated_at,
        lease_owner=i.lease_owner, lease_expires_at=i.lease_expires_at,
        reviewed_by=i.reviewed_by, reviewed_at=i.reviewed_at,
        result=reviewed_result(stored.result, answer, stored.evidence)
        if reviewed and answer else stored.result,
        suggestion=stored.result if reviewed else None,
        answer=answer, form=answer or suggested_form(stored.result),
    )
