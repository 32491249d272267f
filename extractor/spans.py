"""Labelled spans found in the text, and how the model's word tags become spans.

A `FoundSpan` is the unit every later step works on: a field label, a character range of the
text, the confidence of whoever found it, and who that was (`model` or `rules`).
"""

from __future__ import annotations

import re
from bisect import bisect_left
from dataclasses import dataclass, replace

import numpy as np

from extractor.form import FIELDS
from extractor.layout import Layout
from extractor.model import TextScores
from extractor.tags import LABEL2ID, LABELS, N_BIO, field_of


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


class SpanIndex:
    """Spans ordered by (start, end) that answer "which of you overlap this range?" in
    O(log n + k): the steps after the model ask it instead of checking all pairs, so that their
    cost grows with the text, not with its square."""

    def __init__(self, spans: list[FoundSpan] | tuple[FoundSpan, ...] = ()) -> None:
        self._spans = sorted(spans, key=lambda s: (s.start, s.end))
        self._starts = [s.start for s in self._spans]
        self._longest = max((s.end - s.start for s in self._spans), default=0)

    def add(self, span: FoundSpan) -> None:
        k = bisect_left(self._starts, span.start)
        while k < len(self._spans) and self._spans[k].start == span.start \
                and self._spans[k].end <= span.end:
            k += 1  # after the spans of equal position: the order a stable sort gives
        self._spans.insert(k, span)
        self._starts.insert(k, span.start)
        self._longest = max(self._longest, span.end - span.start)

    def overlapping(self, start: int, end: int) -> list[FoundSpan]:
        """The spans that overlap text[start:end], ordered by (start, end)."""
        lo = bisect_left(self._starts, start - self._longest)
        hi = bisect_left(self._starts, end)
        return [s for s in self._spans[lo:hi] if s.end > start]

    def any_overlap(self, start: int, end: int) -> bool:
        return bool(self.overlapping(start, end))


def _allowed() -> np.ndarray:
    """allowed[prev, cur]: an I tag only continues a B or I of its own field."""
    n = N_BIO
    ok = np.ones((n, n), dtype=bool)
    for cur in range(1, n):
        field = field_of(cur)
        if LABELS[cur].startswith("I-"):
            ok[:, cur] = False
            ok[LABEL2ID[f"B-{field}"], cur] = True
            ok[cur, cur] = True
    return ok


_ALLOWED = _allowed()
_START_OK = np.array([not LABELS[t].startswith("I-") for t in range(N_BIO)])


def best_tags(probs: np.ndarray) -> np.ndarray:
    """The most probable tag sequence that is valid BIO (Viterbi over log-probabilities).

    Word-by-word argmax can read "Fira Gran Via" as B-near, B-traveler_names, I-traveler_names
    when "Gran" alone looks like a name; the best *valid* sequence keeps a span together when
    the model's probabilities allow it."""
    n = len(probs)
    greedy = probs.argmax(axis=1)
    if _START_OK[greedy[0]] and _ALLOWED[greedy[:-1], greedy[1:]].all():
        return greedy  # the unconstrained best is valid, so it is the constrained best too
    logp = np.log(np.clip(probs, 1e-12, 1.0))
    neg = -1e9
    trans = np.where(_ALLOWED, 0.0, neg)
    score = np.where(_START_OK, logp[0], neg)
    back = np.zeros((n, N_BIO), dtype=np.int64)
    for w in range(1, n):
        cand = score[:, None] + trans  # (prev, cur)
        back[w] = cand.argmax(axis=0)
        score = cand.max(axis=0) + logp[w]
    tags = np.zeros(n, dtype=np.int64)
    tags[-1] = int(score.argmax())
    for w in range(n - 1, 0, -1):
        tags[w - 1] = back[w, tags[w]]
    return tags


_FIELD_OF: tuple[str | None, ...] = tuple(field_of(t) for t in range(N_BIO))
_IS_BEGIN: tuple[bool, ...] = tuple(LABELS[t].startswith("B-") for t in range(N_BIO))
_DATE_FIELDS = frozenset({"check_in", "check_out"})
_BARE_NUMBER = re.compile(r"\d{1,5}[a-z]?")


def decode_model_spans(scores: TextScores, text: str | None = None) -> list[FoundSpan]:
    """The model's spans: the best valid BIO sequence of word tags, read as spans.

    A span's confidence is the mean probability of the tags it was read from (B on its first
    word, I on the others). Given the `text`, a span never goes on over a line break after a
    short line ("The Imperial\nJaipur — 10 to 13 January": the hotel ends at "Imperial"); the
    words after the break that the model would have added are left out, except in a list of
    names, where the next line is the next person ("Mag. Elisabeth Prenner\nDI Stefan
    Wöginger"), and in a date whose part before the break is a bare number: that is an
    address's house number, and the date is on the next line ("Bahnhofplatz [11\n25.01.2027]"
    is the date "25.01.2027"). A span the model begins after the break is kept ("10.09.\nLinz")."""
    probs = scores.word_probs
    if probs.size == 0:
        return []
    tags = best_tags(probs)
    layout = Layout(text) if text is not None else None
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

    tag_of = tags.tolist()
    prev = -2
    for w in np.flatnonzero(tags != LABEL2ID["O"]).tolist():  # only tagged words need a look
        if w != prev + 1:  # O words lay between: the open span ended at the last tagged word
            close(prev)
            current = None
        tag = tag_of[w]
        field = _FIELD_OF[tag]
        broken = (layout is not None and current is not None and field is not None
                  and not _IS_BEGIN[tag] and w > 0
                  and layout.hard_break(int(scores.word_end[w - 1]), int(scores.word_start[w])))
        if broken and text is not None and field in _DATE_FIELDS and _BARE_NUMBER.fullmatch(
                text[int(scores.word_start[start_w]) : int(scores.word_end[w - 1])]):
            current = None  # an address's house number above the date: the date goes on
        elif broken and field != "traveler_names":
            field = None  # an I- tag over the break: the span ends, its continuation is dropped
        if field is None or _IS_BEGIN[tag] or broken:  # (a name over the break: the next one)
            close(w - 1)
            current = field
            start_w, tag_probs = w, []
        tag_probs.append(float(probs[w, tag]))
        prev = w
    close(prev)
    return _names_whole(_without_house_numbers(spans, text), text) if text is not None else spans


_NAME_SPAN_FIELDS = frozenset({"traveler_names", "hotel_name", "near", "destination"})
_AFTER_APOSTROPHE = re.compile(r"[^\W\d_]+(?:-[^\W\d_]+)*")


def _names_whole(spans: list[FoundSpan], text: str) -> list[FoundSpan]:
    """`spans` with a name that stops at the apostrophe inside its word taking the rest of the
    word, a capitalised one ("[Siobhan O']Connell", "[D']Angelo"; not a possessive's "s"): the
    tokenizer splits such a word in three, and the model may stop before its last piece."""
    out = []
    for s in spans:
        m = _AFTER_APOSTROPHE.match(text, s.end) if s.field in _NAME_SPAN_FIELDS and (
            text[s.end - 1 : s.end] in ("'", "’")) and text[s.end : s.end + 1].isupper() else None
        out.append(s.with_bounds(s.start, m.end()) if m else s)
    return out


def _without_house_numbers(spans: list[FoundSpan], text: str) -> list[FoundSpan]:
    """`spans` without a date that is a bare number ending its line right above a date of
    the same field: an address's house number ("Bahnhofplatz [11]\\n[25.01.2027]")."""
    return [s for s, nxt in zip(spans, [*spans[1:], None], strict=False)
            if not (s.field in _DATE_FIELDS and nxt is not None and nxt.field == s.field
                    and _BARE_NUMBER.fullmatch(text[s.start : s.end])
                    and "\n" in text[s.end : nxt.start] and not text[s.end : nxt.start].strip())]


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
