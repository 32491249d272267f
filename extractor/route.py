"""Confidence and routing, the last step: calibrated confidences, then the review decision.

An email goes to review when any field or the intent is under the threshold, when a required
field is missing, or when the stays have issues (vague or inconsistent dates); the reasons are
short machine-readable strings (`missing:check_in`, `low_confidence:near`, `vague:check_out`).
Both functions return new values and change nothing they are given.
"""

from __future__ import annotations

from extractor.confidence import Calibration
from extractor.form import STAY_FIELDS, Intent, Status, Stay

# what the reader noticed about a message that sends it to review
REVIEW_DEFECTS = ("truncated", "text_cut")
# what a new booking needs beside its place and dates (CONVENTIONS: the form a clerk can book
# from); implied values count (`extractor.implied`)
BOOKING_NEEDS = ("rooms", "guests", "traveler_names")


def calibrate(stays: list[Stay], intent_confidence: float, absent: dict[str, float],
              cal: Calibration) -> tuple[list[Stay], float]:
    """Copies of `stays` with calibrated confidences (a filled field by who filled it, an empty
    one by the model's belief that the field is absent), and the calibrated intent confidence."""
    out = []
    for stay in stays:
        copy = stay.model_copy(deep=True)
        for name in STAY_FIELDS:
            f = copy.field(name)
            if f.value is None:
                f.confidence = cal.apply(absent.get(name, 1.0), "absent")
            else:
                f.confidence = cal.apply(f.confidence, f.source)
        out.append(copy)
    return out, cal.apply(intent_confidence, "intent")


def route(*, intent: Intent, intent_confidence: float, stays: list[Stay], threshold: float,
          issues: list[str], defects: tuple[str, ...] = ()) -> tuple[Status, list[str]]:
    """The status (`auto_accepted` or `needs_review`) and the review reasons, each once and in
    order: the intent, then per stay what is missing and what is unsure, then `issues` (found
    while assembling) and the reader's `defects`."""
    reasons: list[str] = []
    if intent_confidence < threshold:
        reasons.append("low_confidence:intent")
    booking = intent == "new_booking"
    if booking and not stays:
        reasons.append("missing:stay")
    for stay in stays:
        if booking:
            if stay.destination.value is None:
                reasons.append("missing:destination")
            if stay.check_in.value is None:
                reasons.append("missing:check_in")
            if stay.check_out.value is None and stay.nights.value is None:
                reasons.append("missing:check_out")
            # a clerk books rooms for named guests: neither written nor implied, they ask
            for name in BOOKING_NEEDS:
                if stay.field(name).value is None:
                    reasons.append(f"missing:{name}")
        for name in STAY_FIELDS:
            if stay.field(name).confidence < threshold:
                reasons.append(f"low_confidence:{name}")
    reasons.extend(issues)
    reasons.extend(f"defect:{d}" for d in defects if d in REVIEW_DEFECTS)
    unique = list(dict.fromkeys(reasons))
    return ("needs_review" if unique else "auto_accepted"), unique
