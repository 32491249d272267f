"""A small, deterministic extractor for the API tests.

The service must be tested on what it does with results (store, route, review, export), with
results a test can predict; the real pipeline on a tiny random model predicts nothing useful.
This one finds a few known cities, ISO dates and "N guests" in the text, with exact evidence
offsets, and routes like the pipeline does: needs_review when a required field is missing or
the text says REVIEW, else auto_accepted. `tests/api/test_pipeline.py` runs the real one.
"""

from __future__ import annotations

import datetime as dt
import email
import email.policy
import hashlib
import re
import threading

from extractor.form import ExtractionResult, FormField, Stay

CITIES = ("Munich", "Berlin", "Hamburg", "Vienna", "Cologne")
_DATE = re.compile(r"\b\d{4}-\d{2}-\d{2}\b")
_GUESTS = re.compile(r"\b(\d+) guests\b")


class FakeExtractor:
    """Implements the two entry points of `extractor.pipeline.Extractor`; counts calls."""

    def __init__(self) -> None:
        self.calls = 0
        self._lock = threading.Lock()

    def extract_text(self, text: str, *, received_at: dt.datetime | None = None,
                     id: str | None = None) -> ExtractionResult:
        with self._lock:
            self.calls += 1
        if "CRASH" in text:
            # quoting the input, as validation errors do: the service must not log it
            raise RuntimeError(f"the fake extractor was told to crash on {text!r}")
        rid = id or "sha256:" + hashlib.sha256(text.encode()).hexdigest()[:16]
        if "not a hotel" in text:
            return ExtractionResult(id=rid, received_at=received_at, language="en",
                                    intent="not_hotel", status="auto_accepted", text=text)
        stay = Stay()
        for city in CITIES:
            if (at := text.find(city)) >= 0:
                stay.destination = FormField[str](value=city, confidence=0.95,
                                                  evidence=[{"start": at, "end": at + len(city)}])
                break
        dates = list(_DATE.finditer(text))
        for name, m in zip(("check_in", "check_out"), dates, strict=False):
            setattr(stay, name, FormField[dt.date](
                value=dt.date.fromisoformat(m.group()), confidence=0.9,
                evidence=[{"start": m.start(), "end": m.end()}]))
        if m := _GUESTS.search(text):
            stay.guests = FormField[int](value=int(m.group(1)), confidence=0.6,
                                         evidence=[{"start": m.start(), "end": m.end()}])
        reasons = [f"missing:{n}" for n in ("destination", "check_in")
                   if stay.field(n).value is None]
        if "REVIEW" in text:
            reasons.append("low_confidence:guests")
        return ExtractionResult(
            id=rid, received_at=received_at, language="en", intent="new_booking",
            intent_confidence=0.9, status="needs_review" if reasons else "auto_accepted",
            review_reasons=reasons, text=text, stays=[stay])

    def extract_email(self, raw: bytes, *, received_at: dt.datetime | None = None,
                      id: str | None = None) -> ExtractionResult:
        msg = email.message_from_bytes(raw, policy=email.policy.default)
        body = msg.get_body(("plain",))
        text = body.get_content() if body is not None else ""
        mid = id or msg.get("Message-ID") or "sha256:" + hashlib.sha256(raw).hexdigest()[:16]
        result = self.extract_text(text, received_at=received_at, id=mid)
        return result.model_copy(update={"subject": msg.get("Subject")})
