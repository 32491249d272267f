"""`GET /v1/export/annotations`: reviewed items as AnnotatedEmail JSONL."""

from __future__ import annotations

import json
import logging

import pytest
from fastapi.testclient import TestClient

from annotations.schema import AnnotatedEmail
from annotations.validate import check_email
from api import store
from api.export import to_annotation
from api.store import StoredItem
from extractor.form import Evidence, ExtractionResult, FormValues, Stay
from tests.api.conftest import REQUEST, SURE, Keys


def _review(client: TestClient, keys: Keys, text: str, answer: dict) -> str:
    item = client.post("/v1/emails", json={"text": text}, headers=keys.h("agent")).json()
    v = client.post("/v1/review/claim", headers=keys.h("reviewer")).json()["version"]
    r = client.put(f"/v1/review/{item['id']}", json=answer,
                   headers={**keys.h("reviewer"), "If-Match": str(v)})
    assert r.status_code == 200, r.text
    return str(item["id"])


def test_an_api_answer_keeps_the_models_spans_of_kept_fields(client: TestClient, keys: Keys,
                                                             app) -> None:  # type: ignore[no-untyped-def]
    sure = client.post("/v1/emails", json={"text": SURE}, headers=keys.h("agent")).json()
    assert sure["status"] == "auto_accepted"  # not exported
    item_id = _review(client, keys, REQUEST, {"intent": "new_booking", "stays": [{
        "destination": "Munich", "check_in": "2026-05-03", "check_out": "2026-05-05",
        "guests": 2}]})
    r = client.get("/v1/export/annotations", headers=keys.h("admin"))
    assert r.status_code == 200
    assert r.headers["content-type"].startswith("application/x-ndjson")
    lines = [json.loads(line) for line in r.text.splitlines()]
    assert len(lines) == 1
    ann = AnnotatedEmail.model_validate(lines[0])
    assert ann.origin == "review" and ann.text == REQUEST
    assert ann.meta["item_id"] == item_id and ann.meta["evidence"] == "model"
    labels = {(s.label, s.text) for s in ann.spans}
    # every value kept: the model's evidence for each
    assert labels == {("destination", "Munich"), ("check_in", "2026-05-03"),
                      ("check_out", "2026-05-05"), ("guests", "2 guests")}
    for span in ann.spans:
        assert ann.text[span.start:span.end] == span.text
    assert not [p for p in check_email(ann) if p.is_error]


def test_an_answer_with_a_value_located_nowhere_is_left_out_with_a_warning(
        client: TestClient, keys: Keys, caplog: pytest.LogCaptureFixture) -> None:
    # the reviewer typed another check-out date and a breakfast the API answer points at no
    # words for: a training example would teach that the words stating them are no evidence
    item_id = _review(client, keys, REQUEST, {"intent": "new_booking", "stays": [{
        "destination": "Munich", "check_in": "2026-05-03", "check_out": "2026-05-06",
        "guests": 2, "breakfast": True}]})
    with caplog.at_level(logging.WARNING, logger="stayform.export"):
        r = client.get("/v1/export/annotations", headers=keys.h("admin"))
    assert r.status_code == 200 and r.text == ""
    (warning,) = [rec.getMessage() for rec in caplog.records if rec.name == "stayform.export"]
    assert item_id in warning and "check_out" in warning and "breakfast" in warning
    assert "E106" in warning


def test_a_rejected_email_exports_as_not_hotel_without_spans(client: TestClient, keys: Keys
                                                            ) -> None:
    _review(client, keys, REQUEST, {"intent": "not_hotel", "stays": []})
    (line,) = client.get("/v1/export/annotations", headers=keys.h("admin")).text.splitlines()
    ann = AnnotatedEmail.model_validate_json(line)
    assert ann.form.intent == "not_hotel" and ann.spans == [] and ann.meta["spans_complete"]


def test_the_export_is_for_admins_only(client: TestClient, keys: Keys) -> None:
    assert client.get("/v1/export/annotations", headers=keys.h("reviewer")).status_code == 403
    assert client.get("/v1/export/annotations", headers=keys.h("agent")).status_code == 403
    r = client.get("/v1/export/annotations", headers=keys.h("admin"))
    assert r.status_code == 200 and r.text == ""


def test_shared_spans_are_written_once_and_overlaps_dropped() -> None:
    from api.models import Item

    text = "Anna Schmidt to Munich and Berlin"
    name = {"value": ["Anna Schmidt"], "confidence": 0.9, "evidence": [{"start": 0, "end": 12}]}
    stays = [Stay.model_validate({"traveler_names": name,
                                  "destination": {"value": "Munich", "confidence": 0.9,
                                                  "evidence": [{"start": 16, "end": 22}]}}),
             Stay.model_validate({"traveler_names": name,
                                  "destination": {"value": "Berlin", "confidence": 0.9,
                                                  # wrongly overlapping the name
                                                  "evidence": [{"start": 5, "end": 12}]}})]
    result = ExtractionResult(id="m", status="needs_review", intent="new_booking", text=text,
                              stays=stays)
    answer = FormValues(intent="new_booking", stays=[s.values() for s in stays])
    ann = to_annotation(StoredItem(item=Item(id="i", external_id="m", version=2),
                                   result=result, answer=answer))
    assert [(s.label, s.text) for s in ann.spans] == [("destination", "Munich")]
    assert ann.meta["spans_complete"] is False


def _backwards_suggestion(item_id: str) -> ExtractionResult:
    # the model read the dates the wrong way round (a suggestion may be invalid, an answer
    # may not) and implied one guest for the signed writer
    text = "Munich 2026-05-06 to 2026-05-03, just me.\nPeter Brown"
    stay = Stay.model_validate({
        "destination": {"value": "Munich", "confidence": 1.0,
                        "evidence": [{"start": 0, "end": 6}]},
        "check_in": {"value": "2026-05-06", "confidence": 0.9,
                     "evidence": [{"start": 7, "end": 17}]},
        "check_out": {"value": "2026-05-03", "confidence": 0.9,
                      "evidence": [{"start": 21, "end": 31}]},
        "guests": {"value": 1, "confidence": 0.9, "source": "derived"}})
    return ExtractionResult(id=item_id, status="needs_review", intent="new_booking",
                            text=text, stays=[stay])


def test_an_answer_correcting_backwards_suggested_dates_exports_whole_stream(
        app, client: TestClient, keys: Keys) -> None:  # type: ignore[no-untyped-def]
    # regression: the export validated the suggestion (Stay.values) to find implied values,
    # so such an item raised half-way through the JSONL stream
    answer = FormValues.model_validate({"intent": "new_booking", "stays": [{
        "destination": "Munich", "check_in": "2026-05-03", "check_out": "2026-05-06",
        "guests": 1, "implied": ["guests"]}]})
    with app.state.sessions() as session:
        for external_id in ("<backwards@x>", "<after@x>"):
            store.enqueue_result(session, result=_backwards_suggestion(external_id), raw=None,
                                 owner_key_id=None)
            claimed = store.claim_next(session, reviewer_key_id=keys.ids["reviewer"],
                                       lease_seconds=60)
            assert claimed is not None
            # the reviewer points at the words of each corrected date (the review page does)
            store.save_answer(session, item_id=claimed.item.id,
                              reviewer_key_id=keys.ids["reviewer"],
                              version=claimed.item.version, values=answer,
                              evidence=[{"destination": [Evidence(start=0, end=6)],
                                         "check_in": [Evidence(start=21, end=31)],
                                         "check_out": [Evidence(start=7, end=17)]}])
    r = client.get("/v1/export/annotations", headers=keys.h("admin"))
    assert r.status_code == 200
    lines = [AnnotatedEmail.model_validate_json(line) for line in r.text.splitlines()]
    assert [a.meta["external_id"] for a in lines] == ["<backwards@x>", "<after@x>"]
    for ann in lines:
        stay = ann.form.stays[0]
        assert str(stay.check_in) == "2026-05-03" and str(stay.check_out) == "2026-05-06"
        # the guest is implied; the swapped dates stand where the reviewer pointed
        assert stay.implied == ["guests"]
        assert [(s.label, s.text) for s in ann.spans] == [
            ("destination", "Munich"), ("check_out", "2026-05-06"), ("check_in", "2026-05-03")]
