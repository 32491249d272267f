"""Calibrated confidences and the review decision."""

import datetime as dt

from extractor.confidence import Calibration, calibrate_result, route
from extractor.form import ExtractionResult, Stay


def stay(**values):
    data = {}
    for name, value in values.items():
        data[name] = {"value": value, "confidence": 0.95, "source": "model"}
    return Stay.model_validate(data)


def result(stays, intent="new_booking", conf=0.99):
    return ExtractionResult(id="x", status="needs_review", intent=intent,
                            intent_confidence=conf, text="t", stays=stays)


def confident(s: Stay) -> Stay:
    for name in Stay.model_fields:
        s.field(name).confidence = max(s.field(name).confidence, 0.95)
    return s


def test_complete_confident_booking_is_auto_accepted():
    r = result([confident(stay(destination="Munich", check_in=dt.date(2026, 5, 3),
                               check_out=dt.date(2026, 5, 5)))])
    route(r, threshold=0.8, issues=[])
    assert (r.status, r.review_reasons) == ("auto_accepted", [])


def test_missing_required_fields_send_to_review():
    r = result([confident(stay(destination="Munich"))])
    route(r, threshold=0.8, issues=[])
    assert r.status == "needs_review"
    assert r.review_reasons == ["missing:check_in", "missing:check_out"]


def test_nights_stand_in_for_check_out():
    r = result([confident(stay(destination="Munich", check_in=dt.date(2026, 5, 3), nights=2))])
    route(r, threshold=0.8, issues=[])
    assert r.status == "auto_accepted"


def test_low_confidence_field_and_intent_named():
    s = confident(stay(destination="Munich", check_in=dt.date(2026, 5, 3), nights=2))
    s.near.confidence = 0.4
    r = result([s], conf=0.5)
    route(r, threshold=0.8, issues=["vague:check_out"])
    assert r.review_reasons == ["low_confidence:intent", "low_confidence:near", "vague:check_out"]


def test_not_hotel_needs_no_stay():
    r = result([], intent="not_hotel")
    route(r, threshold=0.8, issues=[])
    assert r.status == "auto_accepted"


def test_booking_without_stay_goes_to_review():
    r = result([])
    route(r, threshold=0.8, issues=[])
    assert r.review_reasons == ["missing:stay"]


def test_threshold_is_honoured_exactly():
    s = confident(stay(destination="Munich", check_in=dt.date(2026, 5, 3), nights=2))
    s.destination.confidence = 0.8
    r = result([s])
    route(r, threshold=0.8, issues=[])
    assert r.status == "auto_accepted"
    route(r, threshold=0.81, issues=[])
    assert r.review_reasons == ["low_confidence:destination"]


def test_calibration_maps_by_kind_and_absence():
    cal = Calibration(maps={"model": ([0.0, 1.0], [0.0, 0.5]), "absent": ([0.0, 1.0], [1.0, 1.0])})
    r = result([stay(destination="Munich")])
    calibrate_result(r, {"near": 0.2}, cal)
    assert r.stays[0].destination.confidence == 0.475
    assert r.stays[0].near.confidence == 1.0
    assert r.intent_confidence == 0.99  # no intent map: identity


def test_uncalibrated_model_is_identity():
    assert Calibration().apply(0.42, "model") == 0.42
