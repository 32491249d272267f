"""Confidence and routing, the last step: calibrated confidences, then the review decision.

An email goes to review when any field or the intent is under the threshold, when a required
field is missing, when the stays have issues (vague or inconsistent dates), or when the email is
unlike the mail the model learnt from (`unusual`); the reasons are short machine-readable
strings (`missing:check_in`, `low_confidence:near`, `vague:check_out`, `unusual:nights`).
The functions return new values and change nothing they are given.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from extractor.confidence import Calibration
from extractor.form import STAY_FIELDS, FormField, Intent, Status, Stay

# what the reader noticed about a message that sends it to review
REVIEW_DEFECTS = ("truncated", "text_cut")
# what a new booking needs beside its place and dates (CONVENTIONS: the form a clerk can book
# from); implied values count (`extractor.implied`)
BOOKING_NEEDS = ("rooms", "guests", "traveler_names")
# Limits past which an email is unlike the mail the model learnt from and goes to review
# however sure the model is: the confidences were calibrated on mail that stays inside them.
UNUSUAL_NIGHTS = 21  # more than three weeks: on threads, mostly dates taken from two messages
UNUSUAL_LEAD_DAYS = 450  # an arrival over ~15 months ahead: mostly a year read wrong
UNUSUAL_MESSAGES = 4  # a thread of more than four messages: which one asks is the question


def calibrate(stays: list[Stay], intent: Intent, intent_confidence: float,
              absent: dict[str, float], cal: Calibration) -> tuple[list[Stay], float]:
    """Copies of `stays` with calibrated confidences (a filled field by who filled it, an empty
    one by the model's belief that the field is absent; each by its field's map where it has
    one), and the calibrated confidence of `intent`."""
    def calibrated(f: FormField[Any], name: str) -> FormField[Any]:
        raw, kind = (absent.get(name, 1.0), "absent") if f.value is None else (
            f.confidence, f.source)
        # a shallow copy: this last step changes the confidence only (a deep copy of every
        # value and evidence list was an eighth of the time after the model)
        return f.model_copy(update={"confidence": cal.apply(raw, kind, name)})

    out = [stay.model_copy(update={name: calibrated(stay.field(name), name)
                                   for name in STAY_FIELDS}) for stay in stays]
    return out, cal.apply(intent_confidence, "intent", intent)


def unusual(stays: list[Stay], *, intent: Intent, received: dt.date | None, messages: int
            ) -> list[str]:
    """Why an email is unlike the mail the model learnt from: a stay over `UNUSUAL_NIGHTS`
    nights (`unusual:nights`), a new booking arriving before the email was sent or over
    `UNUSUAL_LEAD_DAYS` after (`unusual:check_in`), a thread of more than `UNUSUAL_MESSAGES`
    messages (`unusual:thread`)."""
    reasons = ["unusual:thread"] if messages > UNUSUAL_MESSAGES else []
    for stay in stays:
        if stay.nights.value is not None and stay.nights.value > UNUSUAL_NIGHTS:
            reasons.append("unusual:nights")
        arrival = stay.check_in.value
        if arrival is not None and received is not None and (
                (arrival - received).days > UNUSUAL_LEAD_DAYS
                or (intent == "new_booking" and arrival < received)):
            reasons.append("unusual:check_in")
    return reasons


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
