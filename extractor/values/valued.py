"""The normalize step: every merged span with the value of its field (dates stay text here:
they are resolved with their partner and the received date when stays are assembled)."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any, Literal

from extractor.layout import Layout
from extractor.spans import FoundSpan
from extractor.values import normalize_field

# how much text around a span its value may read (a currency written outside a price span)
_CONTEXT = 40


@dataclass(slots=True)
class Valued:
    """A span with its normalized value (None when the text did not normalize)."""

    span: FoundSpan
    value: Any


def source_of(items: list[Valued]) -> Literal["model", "rules"]:
    """Who read the values of `items`: the model when it read any of them, else the rules."""
    return "model" if any(i.span.source == "model" for i in items) else "rules"


_CLAUSE_BREAK = re.compile(r"[.!?;:,\n]")


def normalize_spans(spans: list[FoundSpan], layout: Layout) -> list[Valued]:
    """The spans of one text, sorted by position, each with its value."""
    return [Valued(s, _value(s, layout)) for s in sorted(spans, key=lambda s: s.start)]


def _value(span: FoundSpan, layout: Layout) -> Any:
    text = layout.text
    if span.field == "breakfast":  # "Frühstück ist mir egal": its clause and sentence count
        context = layout.clause_around(span.start, span.end, before=20, after=45)
        # the words right before it in its clause: "I don't [need breakfast]"
        lead = _CLAUSE_BREAK.split(text[max(0, span.start - 16) : span.start])[-1]
        return normalize_field(span.field, lead + text[span.start : span.end], context=context)
    context = text[max(0, span.start - _CONTEXT) : span.end + _CONTEXT]
    return normalize_field(span.field, text[span.start : span.end], context=context)
