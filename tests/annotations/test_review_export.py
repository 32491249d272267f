"""Reviewed items exported as annotations mark what the email implies (issue 15, item 6):
a kept value the extractor derived (the writer as the guest) needs no span."""

from __future__ import annotations

from annotations.validate import check_email
from api.export import to_annotation
from api.models import Item
from api.store import StoredItem
from extractor.form import ExtractionResult, FormValues, Stay


def test_kept_derived_values_are_exported_as_implied() -> None:
    text = "Could you book me a single room in Munich? Thanks, Daniel Okafor"
    city = text.index("Munich")
    stay = Stay.model_validate({
        "destination": {"value": "Munich", "confidence": 0.9, "source": "model",
                        "evidence": [{"start": city, "end": city + 6}]},
        "traveler_names": {"value": ["Daniel Okafor"], "confidence": 0.8, "source": "derived"},
        "rooms": {"value": 1, "confidence": 0.8, "source": "derived"},
        "guests": {"value": 1, "confidence": 0.8, "source": "derived"},
    })
    result = ExtractionResult(id="m", status="needs_review", intent="new_booking", text=text,
                              stays=[stay])
    # the reviewer keeps the writer and the room, corrects guests to 2 by hand
    answer = FormValues(intent="new_booking", stays=[stay.values().model_copy(
        update={"guests": 2, "implied": []})])
    ann = to_annotation(StoredItem(item=Item(id="i", external_id="m", version=2),
                                   result=result, answer=answer))
    assert ann.form.stays[0].implied == ["rooms", "traveler_names"]
    assert [p.code for p in check_email(ann)] == ["E106"]  # guests 2: the reviewer's, no span
    assert ann.meta["spans_complete"] is False
