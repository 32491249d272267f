"""A reply that changes a quoted booking, as the extractor's result: the thread's segments, the
change it asks for, values carried over from the quote (`history`) or implied (`derived`).

Built by hand rather than by the pipeline, so the review page's tests do not depend on how
well the extractor reads threads; every offset is found in the text, never counted."""

from __future__ import annotations

import datetime as dt

from extractor.form import Change, ExtractionResult, Segment, Sender, Stay

NEW = "Could we move the check-out to 2026-05-06? Our son Ben (7) comes along too.\n\n"
QUOTE = ("On 2026-04-20 09:12, Stay Agency wrote:\n> Confirmed: Hotel Adler, Munich, "
         "2026-05-03 to 2026-05-05, one double room for Anna Schmidt.\n")
TEXT = NEW + QUOTE
SENT = dt.datetime(2026, 4, 20, 9, 12, tzinfo=dt.UTC)


def _at(words: str, *, after: int = 0) -> list[dict[str, int]]:
    start = TEXT.index(words, after)
    return [{"start": start, "end": start + len(words)}]


def thread_result(id: str = "reply-1") -> ExtractionResult:
    """The reply, routed to review: check-out changed, one child added, the rest from the
    quote; guests (2: Anna and the partner the double implies) is derived."""
    quote = len(NEW)

    def history(value: object, words: str) -> dict[str, object]:
        return {"value": value, "confidence": 0.9, "evidence": _at(words, after=quote),
                "source": "history"}

    stay = Stay.model_validate({
        "destination": history("Munich", "Munich"),
        "check_in": history("2026-05-03", "2026-05-03"),
        "check_out": {"value": "2026-05-06", "confidence": 0.95, "evidence": _at("2026-05-06"),
                      "source": "model"},
        "nights": {"value": 3, "confidence": 0.95, "source": "derived"},
        "rooms": history(1, "one double room"),
        "guests": {"value": 2, "confidence": 0.6, "source": "derived"},
        "room_type": history("double", "double"),
        "hotel_name": history("Hotel Adler", "Hotel Adler"),
        "traveler_names": history(["Anna Schmidt"], "Anna Schmidt"),
        "children": {"value": 1, "confidence": 0.8, "evidence": _at("Our son Ben (7)"),
                     "source": "model"},
    })
    return ExtractionResult(
        id=id, received_at=dt.datetime(2026, 4, 22, 8, 0, tzinfo=dt.UTC), language="en",
        intent="modification", intent_confidence=0.9, status="needs_review",
        review_reasons=["low_confidence:guests"], subject="Re: Your booking in Munich",
        sender=Sender(name="Anna Schmidt", address="anna@example.org"), text=TEXT,
        segments=[Segment(start=0, end=quote, kind="new"),
                  Segment(start=quote, end=len(TEXT), kind="quoted", sent_at=SENT,
                          author="Stay Agency")],
        stays=[stay],
        changes=[Change(stay=0, field="check_out", old=dt.date(2026, 5, 5),
                        new=dt.date(2026, 5, 6)),
                 Change(stay=0, field="children", old=None, new=1)],
    )
