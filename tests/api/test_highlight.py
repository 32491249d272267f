"""Evidence highlighting and the review form's round trip, without HTTP."""

from __future__ import annotations

import pytest

from api import review_form
from api.highlight import segments
from extractor.form import ExtractionResult, FormValues, Stay

TEXT = "Anna Schmidt needs Munich, 3 to 5 May."


def _result() -> ExtractionResult:
    name = {"value": ["Anna Schmidt"], "confidence": 0.9, "evidence": [{"start": 0, "end": 12}]}
    first = Stay.model_validate({"traveler_names": name, "destination": {
        "value": "Munich", "confidence": 0.9, "evidence": [{"start": 19, "end": 25}]}})
    # a second stay sharing the name, and an evidence overlapping the first one's
    second = Stay.model_validate({"traveler_names": name, "hotel_name": {
        "value": "Schmidt", "confidence": 0.2, "evidence": [{"start": 5, "end": 12}]}})
    return ExtractionResult(id="m", status="needs_review", intent="new_booking", text=TEXT,
                            stays=[first, second], review_reasons=["low_confidence:hotel_name"])


def test_segments_cover_the_text_and_name_every_field() -> None:
    parts = segments(_result())
    assert "".join(p.text for p in parts) == TEXT
    marked = [(p.text, p.field) for p in parts if p.field]
    assert marked == [("Anna ", "traveler_names"), ("Schmidt", "hotel_name"),
                      ("Munich", "destination")]
    schmidt = next(p for p in parts if p.text == "Schmidt")
    assert schmidt.title == "hotel name (stay 2), traveler names (stay 1), traveler names (stay 2)"


def test_form_values_round_trip_through_cells() -> None:
    values = FormValues.model_validate({"intent": "modification", "stays": [{
        "destination": "Munich", "check_in": "2026-05-03", "nights": 2, "breakfast": False,
        "max_price": {"amount": 150, "currency": "EUR", "per": "stay"},
        "traveler_names": ["Anna Schmidt", "Tom Berg"]}]})
    cells = review_form.cells_from_values(values)
    assert cells[0]["max_price.amount"] == "150" and cells[0]["breakfast"] == "no"
    assert review_form.parse("modification", cells) == values
    posted = {"stays": "1", **{f"s0.{k}": v for k, v in cells[0].items()}}
    assert review_form.cells_from_post(posted) == cells


@pytest.mark.parametrize("field, value, message", [
    ("nights", "two", "a whole number"), ("check_out", "5/5/2026", "a date YYYY-MM-DD"),
    ("max_price.amount", "-3", "above zero"), ("max_price.currency", "euro", "stay 1")])
def test_bad_inputs_are_reported_per_field(field: str, value: str, message: str) -> None:
    cells = review_form.empty_cells()
    cells[field] = value
    if field == "max_price.currency":
        cells["max_price.amount"] = "100"
    with pytest.raises(review_form.FormErrors) as e:
        review_form.parse("new_booking", [cells])
    assert any(message in m for m in e.value.messages)


def test_the_checklist_puts_missing_and_doubted_fields_first() -> None:
    result = _result()
    rows = review_form.checklist(result, review_form.cells_from_values(
        FormValues(intent="new_booking", stays=[s.values() for s in result.stays])))
    assert [(r.name, r.flags) for r in rows[:5]] == [
        ("destination", ["missing"]), ("check_in", ["missing"]), ("check_out", ["missing"]),
        ("nights", ["missing"]), ("hotel_name", ["low confidence"])]
