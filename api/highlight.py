"""The email text cut into pieces, each marked with the fields whose evidence covers it, and
grouped into the thread's parts (the sender's new words, a quoted or forwarded message).

The template prints each piece as escaped text, inside `<mark class="f-FIELD">` when it is
evidence: the page never renders the email as HTML, so a body like `<svg onload=...>` is shown
as the characters it is (the lesson of smtp4dev #1148). A thread's parts are cut at the
result's `segments`, so evidence in a quoted message is highlighted inside that message.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from extractor.form import STAY_FIELDS, ExtractionResult

_ORDER = {name: i for i, name in enumerate(STAY_FIELDS)}


@dataclass(frozen=True)
class Segment:
    """A piece of the text; `fields` are the (field, stay number) pairs it is evidence for."""

    text: str
    fields: tuple[tuple[str, int], ...] = ()

    @property
    def field(self) -> str | None:
        """The field whose colour the segment gets (the first in form order)."""
        return self.fields[0][0] if self.fields else None

    @property
    def title(self) -> str:
        """A tooltip naming every field and stay the segment is evidence for."""
        return ", ".join(f"{name.replace('_', ' ')} (stay {stay})" for name, stay in self.fields)


@dataclass(frozen=True)
class Part:
    """One message of the thread as the page shows it: its kind (`new`, `quoted`,
    `forwarded`; None for text no segment claims), who wrote it when, and its pieces."""

    kind: str | None
    author: str | None
    sent_at: dt.datetime | None
    pieces: tuple[Segment, ...]

    @property
    def earlier(self) -> bool:
        """Whether this is an earlier message (quoted or forwarded): it gets a header."""
        return self.kind in ("quoted", "forwarded")


def segments(result: ExtractionResult) -> list[Segment]:
    """`result.text` as consecutive pieces; their texts joined give the text back."""
    return _pieces(result, set())


def thread(result: ExtractionResult) -> list[Part]:
    """`result.text` as the thread's parts in order; their pieces joined give the text back.

    Without segments (an older result, an error) the whole text is one `new` part. Text that
    no segment covers (segments should cover all of it) is still shown, as a part of no kind,
    so the reviewer never misses words that evidence may point at."""
    text = result.text
    heads: list[tuple[int, int, str | None, str | None, dt.datetime | None]] = []
    at = 0
    for seg in sorted(result.segments, key=lambda s: (s.start, s.end)):
        start, end = max(seg.start, at), min(seg.end, len(text))
        if end <= start:
            continue
        if start > at:
            heads.append((at, start, None, None, None))
        heads.append((start, end, seg.kind, seg.author, seg.sent_at))
        at = end
    if not heads:
        heads.append((0, len(text), "new", None, None))
    elif at < len(text):
        heads.append((at, len(text), None, None, None))
    pieces = iter(_pieces(result, {h[0] for h in heads}))
    parts: list[Part] = []
    for start, end, kind, author, sent_at in heads:
        own: list[Segment] = []
        while start < end:
            piece = next(pieces)
            own.append(piece)
            start += len(piece.text)
        parts.append(Part(kind=kind, author=author, sent_at=sent_at, pieces=tuple(own)))
    return parts


def _pieces(result: ExtractionResult, cuts: set[int]) -> list[Segment]:
    text = result.text
    covers: list[tuple[int, int, str, int]] = []
    for number, stay in enumerate(result.stays, start=1):
        for name in STAY_FIELDS:
            for ev in stay.field(name).evidence:
                start, end = max(0, ev.start), min(len(text), ev.end)
                if end > start:
                    covers.append((start, end, name, number))
    points = sorted({0, len(text)} | {c for c in cuts if 0 <= c <= len(text)}
                    | {c[0] for c in covers} | {c[1] for c in covers})
    out: list[Segment] = []
    for start, end in zip(points, points[1:], strict=False):
        fields = sorted({(name, stay) for s, e, name, stay in covers if s <= start and end <= e},
                        key=lambda f: (_ORDER[f[0]], f[1]))
        out.append(Segment(text[start:end], tuple(fields)))
    return out
