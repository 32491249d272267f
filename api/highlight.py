"""The email text cut into segments, each marked with the fields whose evidence covers it.

The template prints each segment as escaped text, inside `<mark class="f-FIELD">` when it is
evidence: the page never renders the email as HTML, so a body like `<svg onload=...>` is shown
as the characters it is (the lesson of smtp4dev #1148).
"""

from __future__ import annotations

from dataclasses import dataclass

from extractor.form import FIELDS, ExtractionResult


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


def segments(result: ExtractionResult) -> list[Segment]:
    """`result.text` as consecutive segments; their texts joined give the text back."""
    text = result.text
    covers: list[tuple[int, int, str, int]] = []
    for number, stay in enumerate(result.stays, start=1):
        for name in FIELDS:
            for ev in stay.field(name).evidence:
                start, end = max(0, ev.start), min(len(text), ev.end)
                if end > start:
                    covers.append((start, end, name, number))
    cuts = sorted({0, len(text)} | {c[0] for c in covers} | {c[1] for c in covers})
    order = {name: i for i, name in enumerate(FIELDS)}
    out: list[Segment] = []
    for start, end in zip(cuts, cuts[1:], strict=False):
        fields = sorted({(name, stay) for s, e, name, stay in covers if s <= start and end <= e},
                        key=lambda f: (order[f[0]], f[1]))
        out.append(Segment(text[start:end], tuple(fields)))
    return out
