"""Where in the text a reviewer's values stand: the human's evidence, per stay and field.

A reviewer's answer (`FormValues`) holds plain values; the ranges of the email text that state
them are kept beside it (`answers.evidence`), as the model's evidence is kept beside its
values in a result. The page fills them (`api.evidence_form`), the reviewed result shows them
(`api.views`) and the annotation export turns them into spans (`api.export`).

Stored as JSON `[{"destination": [[31, 37]], ...}, ...]`, one object per stay of the answer.
"""

from __future__ import annotations

from typing import Any

from extractor.form import STAY_FIELDS, Evidence

StayEvidence = dict[str, list[Evidence]]


def to_json(evidence: list[StayEvidence] | None) -> list[dict[str, list[list[int]]]] | None:
    """The stored form of `evidence` (None stays None)."""
    if evidence is None:
        return None
    return [{name: [[ev.start, ev.end] for ev in ranges] for name, ranges in stay.items()
             if ranges} for stay in evidence]


def from_json(data: Any) -> list[StayEvidence] | None:
    """`evidence` as `to_json` stored it; None for none. Unknown fields and malformed ranges
    are skipped: a stored row never breaks reading an item."""
    if not isinstance(data, list):
        return None
    out: list[StayEvidence] = []
    for stay in data:
        own: StayEvidence = {}
        for name, ranges in (stay.items() if isinstance(stay, dict) else ()):
            if name not in STAY_FIELDS or not isinstance(ranges, list):
                continue
            own[name] = [Evidence(start=r[0], end=r[1]) for r in ranges
                         if isinstance(r, list) and len(r) == 2
                         and all(isinstance(x, int) and x >= 0 for x in r) and r[0] <= r[1]]
        out.append(own)
    return out


def tidy(text: str, start: int, end: int) -> tuple[int, int] | None:
    """`[start, end)` of `text` with whitespace cut from its edges and widened to whole words
    (a selection "unich" means "Munich"): the guideline's span edges (E101). None when
    nothing but whitespace is left, or the range is outside the text."""
    if not 0 <= start <= end <= len(text):
        return None
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    if start == end:
        return None
    while start > 0 and text[start - 1].isalnum() and text[start].isalnum():
        start -= 1
    while end < len(text) and text[end - 1].isalnum() and text[end].isalnum():
        end += 1
    return start, end


# the fields whose value is written as words of the email; a date, a number, a budget or
# breakfast yes/no is rarely written as the form shows it, and a digit found elsewhere (in a
# date) would be wrong evidence
LOCATABLE = ("destination", "hotel_name", "near", "room_type", "traveler_names")


def locate(name: str, value: object, text: str) -> list[Evidence]:
    """Where `text` writes the value of field `name`: every whole-word occurrence of the value
    as written, or if there is none, of it in any case; for traveller names every name must
    be found. Empty for fields outside `LOCATABLE` and for values not found."""
    if name not in LOCATABLE or value in (None, "", []):
        return []
    wanted = value if isinstance(value, list) else [value]
    found: list[Evidence] = []
    for one in wanted:
        ranges = _occurrences(str(one), text)
        if not ranges:
            return []
        found.extend(ranges)
    return sorted(set(found), key=lambda ev: (ev.start, ev.end))


def _occurrences(needle: str, text: str) -> list[Evidence]:
    needle = needle.strip()
    if not needle:
        return []
    for fold in (False, True):
        hay, pin = (text.casefold(), needle.casefold()) if fold else (text, needle)
        if fold and len(hay) != len(text):
            hay = text.lower()  # casefold changed lengths (ß -> ss): offsets must stay valid
            pin = needle.lower()
            if len(hay) != len(text):
                return []
        out: list[Evidence] = []
        at = hay.find(pin)
        while at >= 0:
            end = at + len(pin)
            if (at == 0 or not text[at - 1].isalnum()) and (end == len(text)
                                                            or not text[end].isalnum()):
                out.append(Evidence(start=at, end=end))
            at = hay.find(pin, at + 1)
        if out:
            return out
    return []
