"""What every merge step sees besides the spans: the text, its layout, the rules' spans and
the intent the model read."""

from __future__ import annotations

from dataclasses import dataclass, field

from extractor.layout import Layout
from extractor.spans import FoundSpan, SpanIndex

DATE_FIELDS = ("check_in", "check_out")


@dataclass(frozen=True)
class MergeContext:
    text: str
    rules: list[FoundSpan]
    intent: str = "new_booking"
    layout: Layout = field(default=None)  # type: ignore[assignment]
    rule_index: SpanIndex = field(init=False)

    def __post_init__(self) -> None:
        if self.layout is None:
            object.__setattr__(self, "layout", Layout(self.text))
        object.__setattr__(self, "rule_index", SpanIndex(self.rules))

    def span_text(self, span: FoundSpan) -> str:
        return self.text[span.start : span.end]
