"""Inline span markup for writing annotations by hand: `[[Munich|destination]]`.

Writers (people and the generator) mark spans inline; `parse_markup` strips the markup and
returns the plain text with exact character offsets, so nobody counts characters by hand.
"""

from __future__ import annotations

import re

from annotations.schema import Span

_MARK = re.compile(r"\[\[(?P<text>[^\[\]|]+)\|(?P<label>[a-z_]+)\]\]")


class MarkupError(ValueError):
    """Raised for markup that cannot be read (unbalanced or nested brackets)."""


def parse_markup(markup: str) -> tuple[str, list[Span]]:
    """Return the plain text of `markup` and its spans, in order of appearance."""
    out: list[str] = []
    spans: list[Span] = []
    pos = 0
    length = 0
    for m in _MARK.finditer(markup):
        before = markup[pos : m.start()]
        if "[[" in before or "]]" in before:
            raise MarkupError(f"unreadable markup near {before[-40:]!r}")
        out.append(before)
        length += len(before)
        text = m.group("text")
        spans.append(Span(start=length, end=length + len(text), label=m.group("label"), text=text))
        out.append(text)
        length += len(text)
        pos = m.end()
    rest = markup[pos:]
    if "[[" in rest or "]]" in rest:
        raise MarkupError(f"unreadable markup near {rest[:40]!r}")
    out.append(rest)
    return "".join(out), spans


def to_markup(text: str, spans: list[Span]) -> str:
    """The inverse of `parse_markup` for non-overlapping spans."""
    parts: list[str] = []
    pos = 0
    for span in sorted(spans, key=lambda s: s.start):
        parts.append(text[pos : span.start])
        parts.append(f"[[{text[span.start : span.end]}|{span.label}]]")
        pos = span.end
    parts.append(text[pos:])
    return "".join(parts)
