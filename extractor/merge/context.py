"""What every merge step sees besides the spans: the text, its layout, the rules' spans and
the intent the model read."""

from __future__ import annotations

from dataclasses import dataclass, field

from extractor.layout import Layout
from extractor.spans import FoundSpan

DATE_FIELDS = ("check_in", "check_out")


@dataclass(frozen=True)
class MergeContext:
    text: str
    rules: list[FoundSpan]
    intent: str = "new_booking"
    layout: Layout = field(default=None)  # type: ignore[assignment]

    def __post_init__(self) -> None:
        if self.layout is None:
            object.__setattr__(self, "layout", Layout(self.text))

    def span_text(self, span: FoundSpan) -> str:
        return self.text[span.start : span.end]
