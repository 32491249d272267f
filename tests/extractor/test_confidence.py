"""Calibrated confidences and the review decision (extractor/confidence.py, extractor/route.py)."""

import datetime as dt

from extractor.confidence import Calibration
from extractor.form import Stay
from extractor.route import calibrate, route, unusual


def stay(**values):
    data = {}
    for name, value in values.items():
        data[name] = {"value": value, "confidence": 0.95, "source": "model"}
    return Stay.model_validate(data)


def routed(stays, intent="new_booking", conf=0.99, threshold=0.8, issues=()):
    return route(intent=intent, intent_confidence=conf, stays=stays, threshold=threshold,
                 issues=list(issues))


def confident(s: Stay) -> Stay:
    for name in Stay.model_fields:
        s.field(name).confidence = max(s.field(name).confidence, 0.95)
    return s


BOOKABLE = {"rooms": 1, "guests": 1, "traveler_names": ["Daniel Okafor"]}


def test_complete_confident_booking_is_auto_accepted():
    s = confident(stay(destination="Munich", check_in=dt.date(2026, 5, 3),
                       check_out=dt.date(2026, 5, 5), **BOOKABLE))
    assert routed([s]) == ("auto_accepted", [])


def test_missing_required_fields_send_to_review():
    assert routed([confident(stay(destination="Munich", **BOOKABLE))]) == (
        "needs_review", ["missing:check_in", "missing:check_out"])


def test_a_booking_without_a_guest_name_or_counts_is_not_bookable():
    s = confident(stay(destination="Munich", check_in=dt.date(2026, 5, 3), nights=2))
    assert routed([s]) == ("needs_review",
                           ["missing:rooms", "missing:guests", "missing:traveler_names"])
    # a change or a cancellation names a booking the agency has: nothing is missing
    assert routed([s], intent="modification") == ("auto_accepted", [])


def test_nights_stand_in_for_check_out():
    s = confident(stay(destination="Munich", check_in=dt.date(2026, 5, 3), nights=2,
                       **BOOKABLE))
    assert routed([s])[0] == "auto_accepted"


def test_low_confidence_field_and_intent_named():
    s = confident(stay(destination="Munich", check_in=dt.date(2026, 5, 3), nights=2,
                       **BOOKABLE))
    s.near.confidence = 0.4
    assert routed([s], conf=0.5, issues=["vague:check_out"])[1] == [
        "low_confidence:intent", "low_confidence:near", "vague:check_out"]


def test_not_hotel_needs_no_stay():
    assert routed([], intent="not_hotel") == ("auto_accepted", [])


def test_booking_without_stay_goes_to_review():
    assert routed([]) == ("needs_review", ["missing:stay"])


def test_threshold_is_honoured_exactly():
    s = confident(stay(destination="Munich", check_in=dt.date(2026, 5, 3), nights=2,
                       **BOOKABLE))
    s.destination.confidence = 0.8
    assert routed([s]) == ("auto_accepted", [])
    assert routed([s], threshold=0.81) == ("needs_review", ["low_confidence:destination"])


def test_calibration_maps_by_kind_and_absence():
    cal = Calibration(maps={"model": ([0.0, 1.0], [0.0, 0.5]), "absent": ([0.0, 1.0], [1.0, 1.0])})
    raw = stay(destination="Munich")
    [s], intent_confidence = calibrate([raw], "new_booking", 0.99, {"near": 0.2}, cal)
    assert s.destination.confidence == 0.475
    assert s.near.confidence == 1.0
    assert intent_confidence == 0.99  # no intent map: identity
    assert raw.destination.confidence == 0.95  # a new stay: the one given is unchanged


def test_a_field_with_its_own_map_is_calibrated_by_it():
    cal = Calibration(maps={"model": ([0.0, 1.0], [0.0, 1.0]),
                            "model:near": ([0.0, 1.0], [0.0, 0.5]),
                            "intent:not_hotel": ([0.0, 1.0], [0.0, 0.8])})
    raw = stay(destination="Munich", near="Messe")
    [s], intent_confidence = calibrate([raw], "not_hotel", 0.5, {}, cal)
    assert s.near.confidence == 0.475  # a place: its own map
    assert s.destination.confidence == 0.95  # the kind's map
    assert intent_confidence == 0.4
    assert cal.apply(0.5, "intent", "new_booking") == 0.5  # no map of its own, none for the kind


def test_routing_changes_nothing_it_is_given():
    s = stay(destination="Munich")
    before = s.model_dump()
    reasons = ["vague:check_in"]
    routed([s], issues=reasons)
    assert s.model_dump() == before and reasons == ["vague:check_in"]


def test_uncalibrated_model_is_identity():
    assert Calibration().apply(0.42, "model") == 0.42


def test_a_stay_unlike_dev_mail_goes_to_review_however_sure():
    sent = dt.date(2026, 4, 1)

    def reasons(intent="new_booking", messages=1, **values):
        return unusual([stay(**values)], intent=intent, received=sent, messages=messages)

    usual = {"check_in": dt.date(2026, 5, 3), "nights": 2}
    assert reasons(**usual) == []
    assert reasons(check_in=dt.date(2026, 5, 3), nights=22) == ["unusual:nights"]
    assert reasons(check_in=dt.date(2026, 5, 3), nights=21) == []  # three weeks is a stay
    assert reasons(check_in=dt.date(2026, 3, 30), nights=2) == ["unusual:check_in"]  # past
    # a change may concern a stay under way; a year too many is unusual for any intent
    assert reasons("modification", check_in=dt.date(2026, 3, 30), nights=2) == []
    assert reasons("modification", check_in=dt.date(2027, 7, 1), nights=2) == [
        "unusual:check_in"]
    assert reasons(messages=5, **usual) == ["unusual:thread"]
    assert unusual([stay(**usual)], intent="new_booking", received=None, messages=1) == []
    s = confident(stay(destination="Munich", check_in=dt.date(2026, 5, 3), nights=30,
                       **BOOKABLE))
    assert routed([s], issues=reasons(check_in=dt.date(2026, 5, 3), nights=30)) == (
        "needs_review", ["unusual:nights"])
