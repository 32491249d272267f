"""Evidence highlighting, the thread's parts and the review form's round trip (children,
implied values), without HTTP."""

from __future__ import annotations

import datetime as dt

import pytest

from api import review_form, store
from api.highlight import segments, thread
from extractor.form import ExtractionResult, FormValues, Segment, Stay
from tests.api.thread import thread_result

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
        "destination": "Munich", "check_in": "2026-05-03", "check_out": "2026-05-05",
        "nights": 2, "breakfast": False,
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
    cells = review_form.cells_from_values(
        FormValues(intent="new_booking", stays=[s.values() for s in result.stays]))
    rows = review_form.checklist(result, cells)
    # a new booking also needs its rooms and guests (issue 15); both stays name the traveller
    assert [(r.name, r.flags) for r in rows if r.flags] == [
        ("destination", ["missing"]), ("check_in", ["missing"]), ("check_out", ["missing"]),
        ("nights", ["missing"]), ("rooms", ["missing"]), ("guests", ["missing"]),
        ("hotel_name", ["low confidence"])]
    # the page's intent decides: a cancellation books no rooms
    rows = review_form.checklist(result, cells, intent="cancellation")
    assert [r.name for r in rows if r.flags] == [
        "destination", "check_in", "check_out", "nights", "hotel_name"]


def test_the_thread_is_cut_at_its_segments_and_keeps_evidence_in_each() -> None:
    result = thread_result()
    parts = thread(result)
    assert [(p.kind, p.author, p.earlier) for p in parts] == [
        ("new", None, False), ("quoted", "Stay Agency", True)]
    assert "".join(s.text for p in parts for s in p.pieces) == result.text
    assert parts[1].sent_at is not None and parts[1].sent_at.isoformat().startswith("2026-04-20")
    marked = {(s.text, s.field) for s in parts[1].pieces if s.field}
    assert ("Munich", "destination") in marked and ("Anna Schmidt", "traveler_names") in marked
    assert ("Our son Ben (7)", "children") in {(s.text, s.field) for s in parts[0].pieces}


def test_evidence_across_a_segment_boundary_is_marked_on_both_sides() -> None:
    text = "See below.\n> Munich"
    cut = text.index(">")
    across = Stay.model_validate({"destination": {
        "value": "Munich", "confidence": 0.5, "evidence": [{"start": 4, "end": len(text)}]}})
    result = ExtractionResult(id="x", status="needs_review", intent="new_booking", text=text,
                              stays=[across], segments=[Segment(start=cut, end=len(text),
                                                                kind="forwarded")])
    parts = thread(result)
    # the text before the first segment is still shown, as a part of no kind
    assert [p.kind for p in parts] == [None, "forwarded"]
    assert [s.text for s in parts[1].pieces if s.field == "destination"] == ["> Munich"]
    assert [s.text for s in parts[0].pieces if s.field == "destination"] == ["below.\n"]


def test_a_result_without_segments_is_one_new_part() -> None:
    (part,) = thread(_result())
    assert part.kind == "new" and "".join(s.text for s in part.pieces) == TEXT


def test_children_round_trip_through_the_form_cells() -> None:
    values = FormValues.model_validate({"intent": "new_booking", "stays": [{
        "destination": "Munich", "guests": 2, "children": 0}]})
    cells = review_form.cells_from_values(values)
    assert cells[0]["children"] == "0"
    assert review_form.parse("new_booking", cells).stays[0].children == 0
    cells[0]["children"] = "-1"
    with pytest.raises(review_form.FormErrors) as e:
        review_form.parse("new_booking", cells)
    assert e.value.messages == ["stay 1, children: a whole number"]


def test_implied_values_stay_implied_only_while_the_reviewer_keeps_them() -> None:
    result = thread_result()
    basis = store.suggested_form(result)
    assert basis is not None
    cells = review_form.cells_from_values(basis)
    kept = review_form.parse("modification", cells, basis).stays[0]
    assert kept.implied == ["destination", "check_in", "nights", "rooms", "guests", "room_type",
                            "hotel_name", "traveler_names"]
    assert kept.children == 1 and "children" not in kept.implied  # the model read it
    cells[0].update({"guests": "3", "traveler_names": "Anna Schmidt\r\nTom Berg"})
    edited = review_form.parse("modification", cells, basis).stays[0]
    assert "guests" not in edited.implied and "traveler_names" not in edited.implied
    assert "destination" in edited.implied
    rows = {r.name: r for r in review_form.checklist(result, cells, basis)}
    assert rows["hotel_name"].implied == ["history"] and rows["nights"].implied == ["derived"]
    assert rows["guests"].implied == [None] and rows["check_out"].implied == [None]


def test_a_new_stay_and_a_moved_stay_keep_their_own_implied_values() -> None:
    result = thread_result()
    basis = store.suggested_form(result)
    assert basis is not None
    moved = review_form.cells_from_values(basis)[0]
    new = review_form.empty_cells()
    new.update({"destination": "Munich", "check_in": "2026-05-03", "nights": "3"})
    parsed = review_form.parse("modification", [new, moved], basis)
    # same values, but the reviewer typed them: only the check-out computed from them is implied
    assert parsed.stays[0].implied == ["check_out"]
    assert "hotel_name" in parsed.stays[1].implied
    forged = {**new, "origin": "7"}  # no such stay in the basis
    assert review_form.parse("modification", [forged], basis).stays[0].implied == ["check_out"]


def test_changes_print_their_values_readably() -> None:
    assert review_form.shown(None) == "—"
    assert review_form.shown({"amount": 150.0, "currency": "EUR", "per": "night"}) == \
        "150 EUR per night"
    assert review_form.shown(["Anna", "Tom"]) == "Anna, Tom"
    assert review_form.shown(False) == "no"
    assert review_form.shown(dt.date(2026, 5, 6)) == "2026-05-06"
