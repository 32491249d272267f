"""Labelled spans found in the text, and how the model's word tags become spans.

A `FoundSpan` is the unit every later step works on: a field label, a character range of the
text, the confidence of whoever found it, and who that was (`model` or `rules`).
"""

from __future__ import annotations

from dataclasses import dataclass, replace

import numpy as np

from extractor.form import FIELDS
from extractor.model import TextScores
from extractor.tags import LABEL2ID, N_BIO, field_of


@dataclass(frozen=True, slots=True)
class FoundSpan:
    field: str
    start: int
    end: int
    confidence: float
    source: str  # "model" | "rules"
    kind: str = ""  # the rule's own kind ("date", "money" ...), empty for the model

    def overlaps(self, other: FoundSpan) -> bool:
        return self.start < other.end and other.start < self.end

    def with_bounds(self, start: int, end: int) -> FoundSpan:
        return replace(self, start=start, end=end)


def decode_model_spans(scores: TextScores) -> list[FoundSpan]:
    """Greedy BIO decoding of the per-word tags into spans.

    A span's confidence is the mean probability of the tags it was read from (B on its first
    word, I on the others); an I without a preceding B of its field opens a span, as the model
    sometimes under-predicts B on the second word of a two-word name.
    """
    probs = scores.word_probs
    if probs.size == 0:
        return []
    tags = probs.argmax(axis=1)
    spans: list[FoundSpan] = []
    current: str | None = None
    start_w = 0
    tag_probs: list[float] = []

    def close(end_w: int) -> None:
        if current is not None:
            spans.append(FoundSpan(
                field=current, start=int(scores.word_start[start_w]),
                end=int(scores.word_end[end_w]), confidence=float(np.mean(tag_probs)),
                source="model"))

    for w, tag in enumerate(tags):
        field = field_of(int(tag))
        is_begin = field is not None and int(tag) == LABEL2ID[f"B-{field}"]
        if field is None:
            close(w - 1)
            current = None
        elif is_begin or field != current:
            close(w - 1)
            current, start_w, tag_probs = field, w, []
        tag_probs.append(float(probs[w, tag]))
    close(len(tags) - 1)
    return spans


def absence_confidence(scores: TextScores) -> dict[str, float]:
    """Per field, the model's probability that no word of the text belongs to it."""
    probs = scores.word_probs
    out: dict[str, float] = {}
    for field in FIELDS:
        b, i = LABEL2ID[f"B-{field}"], LABEL2ID[f"I-{field}"]
        if probs.size == 0:
            out[field] = 1.0
            continue
        out[field] = float(1.0 - np.max(probs[:, b] + probs[:, i]))
    return out


assert N_BIO == 1 + 2 * len(FIELDS)
