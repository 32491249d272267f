"""Agreement of two annotators who labelled the same emails (matched by id).

Spans: per label, precision and recall of A against B with exact matching (same start, end and
label; B is the reference), F1 = 2·matches / (|A| + |B|), and the mean character IoU over every
pair of same-label spans that overlap. Forms: per field of a stay (children
included), the share of aligned (by index) stay slots where both values are equal, both null
counting as agreement, and the same for the set of fields each marks `implied`. Intent: observed agreement
and Cohen's kappa. Every disagreement is listed so the two can talk it through.
"""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Sequence
from dataclasses import asdict, dataclass
from typing import Any

from pydantic_core import to_jsonable_python

from annotations.schema import AnnotatedEmail, Span
from extractor.form import FIELDS, STAY_FIELDS, StayValues


@dataclass(frozen=True)
class LabelScores:
    """Span agreement of one label (or `all`, the micro sums)."""

    label: str
    spans_a: int
    spans_b: int
    exact: int
    precision: float | None  # exact / spans_a, None without spans in A
    recall: float | None  # exact / spans_b, None without spans in B
    f1: float
    overlapping_pairs: int
    mean_iou: float | None  # None without overlapping pairs


@dataclass(frozen=True)
class FieldAgreement:
    field: str
    compared: int  # stay slots compared
    agreed: int
    share: float | None


@dataclass(frozen=True)
class Disagreement:
    """One difference: `label` is a span label, `stays[i].field` or `intent`; `a`/`b` show
    each side (None where that side has nothing)."""

    id: str
    label: str
    a: str | None
    b: str | None


@dataclass(frozen=True)
class AgreementReport:
    emails: int
    only_a: list[str]
    only_b: list[str]
    text_differs: list[str]  # ids whose text differs: their spans are not compared
    labels: list[LabelScores]
    overall: LabelScores
    fields: list[FieldAgreement]
    intent_agreement: float | None
    intent_kappa: float | None
    disagreements: list[Disagreement]

    def to_dict(self) -> dict[str, Any]:
        """The report as plain JSON-able data."""
        return asdict(self)


def iou(a: Span, b: Span) -> float:
    """Characters both spans cover over characters either covers."""
    inter = max(0, min(a.end, b.end) - max(a.start, b.start))
    union = (a.end - a.start) + (b.end - b.start) - inter
    return inter / union if union else 0.0


def _overlap(a: Span, b: Span) -> bool:
    return a.start < b.end and b.start < a.end


def _show_span(text: str, s: Span) -> str:
    return f"{text[s.start : s.end]!r} [{s.start},{s.end})"


def _show_value(v: object) -> str | None:
    return None if v is None else json.dumps(to_jsonable_python(v), ensure_ascii=False)


def _ratio(num: int, den: int) -> float | None:
    return num / den if den else None


def cohen_kappa(a: Sequence[str], b: Sequence[str]) -> float | None:
    """Cohen's kappa of two label sequences of equal length; None when chance agreement is 1
    (both always used the one same label) or the sequences are empty."""
    n = len(a)
    if n == 0:
        return None
    observed = sum(x == y for x, y in zip(a, b, strict=True)) / n
    count_a, count_b = Counter(a), Counter(b)
    chance = sum(count_a[c] * count_b[c] for c in count_a) / (n * n)
    return None if chance == 1 else (observed - chance) / (1 - chance)


class _SpanTally:
    def __init__(self) -> None:
        self.a: Counter[str] = Counter()
        self.b: Counter[str] = Counter()
        self.exact: Counter[str] = Counter()
        self.ious: dict[str, list[float]] = {}

    def add(self, email_a: AnnotatedEmail, email_b: AnnotatedEmail) -> list[Disagreement]:
        out: list[Disagreement] = []
        labels = {s.label for s in email_a.spans} | {s.label for s in email_b.spans}
        for label in sorted(labels, key=_label_order):
            spans_a = sorted((s for s in email_a.spans if s.label == label), key=_pos)
            spans_b = sorted((s for s in email_b.spans if s.label == label), key=_pos)
            self.a[label] += len(spans_a)
            self.b[label] += len(spans_b)
            keys_b = {_pos(s) for s in spans_b}
            keys_a = {_pos(s) for s in spans_a}
            self.exact[label] += len(keys_a & keys_b)
            self.ious.setdefault(label, []).extend(
                iou(x, y) for x in spans_a for y in spans_b if _overlap(x, y))
            # Unmatched spans, an A span shown beside the first B span it overlaps.
            left_b = [s for s in spans_b if _pos(s) not in keys_a]
            for x in (s for s in spans_a if _pos(s) not in keys_b):
                y = next((s for s in left_b if _overlap(x, s)), None)
                if y is not None:
                    left_b.remove(y)
                out.append(Disagreement(email_a.id, label, _show_span(email_a.text, x),
                                        None if y is None else _show_span(email_b.text, y)))
            out.extend(Disagreement(email_a.id, label, None, _show_span(email_b.text, y))
                       for y in left_b)
        return out

    def scores(self, label: str) -> LabelScores:
        if label == "all":
            a, b, exact = sum(self.a.values()), sum(self.b.values()), sum(self.exact.values())
            ious = [v for vs in self.ious.values() for v in vs]
        else:
            a, b, exact, ious = self.a[label], self.b[label], self.exact[label], self.ious[label]
        return LabelScores(label, a, b, exact, _ratio(exact, a), _ratio(exact, b),
                           2 * exact / (a + b) if a + b else 0.0, len(ious),
                           sum(ious) / len(ious) if ious else None)


def _pos(s: Span) -> tuple[int, int]:
    return (s.start, s.end)


def _label_order(label: str) -> tuple[int, str]:
    return (FIELDS.index(label) if label in FIELDS else len(FIELDS), label)


# the pseudo-field under which the `implied` marks of two annotators are compared
IMPLIED = "implied"
FORM_KEYS: tuple[str, ...] = (*STAY_FIELDS, IMPLIED)


def _stay_value(stays: list[StayValues], i: int, name: str) -> object:
    if i >= len(stays):
        return None
    if name == IMPLIED:  # order carries no meaning; no marks and no stay agree
        return sorted(set(stays[i].implied)) or None
    return getattr(stays[i], name)


def compare(emails_a: Sequence[AnnotatedEmail], emails_b: Sequence[AnnotatedEmail]
            ) -> AgreementReport:
    """The agreement of annotator A (`emails_a`) with annotator B (`emails_b`) over the ids
    both annotated (the first email of an id counts)."""
    by_a: dict[str, AnnotatedEmail] = {}
    by_b: dict[str, AnnotatedEmail] = {}
    for email in emails_a:
        by_a.setdefault(email.id, email)
    for email in emails_b:
        by_b.setdefault(email.id, email)
    shared = sorted(by_a.keys() & by_b.keys())
    tally = _SpanTally()
    agreed: Counter[str] = Counter()
    compared: Counter[str] = Counter()
    disagreements: list[Disagreement] = []
    text_differs: list[str] = []
    for ident in shared:
        a, b = by_a[ident], by_b[ident]
        if a.form.intent != b.form.intent:
            disagreements.append(Disagreement(ident, "intent", a.form.intent, b.form.intent))
        if a.text == b.text:
            disagreements.extend(tally.add(a, b))
        else:
            text_differs.append(ident)
        for i in range(max(len(a.form.stays), len(b.form.stays))):
            for name in FORM_KEYS:
                va, vb = _stay_value(a.form.stays, i, name), _stay_value(b.form.stays, i, name)
                compared[name] += 1
                if va == vb:
                    agreed[name] += 1
                else:
                    disagreements.append(Disagreement(ident, f"stays[{i}].{name}",
                                                      _show_value(va), _show_value(vb)))
    intents_a = [by_a[i].form.intent for i in shared]
    intents_b = [by_b[i].form.intent for i in shared]
    labels = sorted(set(tally.a) | set(tally.b), key=_label_order)
    return AgreementReport(
        emails=len(shared),
        only_a=sorted(by_a.keys() - by_b.keys()),
        only_b=sorted(by_b.keys() - by_a.keys()),
        text_differs=text_differs,
        labels=[tally.scores(label) for label in labels],
        overall=tally.scores("all"),
        fields=[FieldAgreement(n, compared[n], agreed[n], _ratio(agreed[n], compared[n]))
                for n in FORM_KEYS],
        intent_agreement=_ratio(sum(x == y for x, y in zip(intents_a, intents_b, strict=True)),
                                len(shared)),
        intent_kappa=cohen_kappa(intents_a, intents_b),
        disagreements=disagreements,
    )


def _num(x: float | None) -> str:
    return "-" if x is None else f"{x:.3f}"


def _table(headers: Sequence[str], rows: Sequence[Sequence[str]]) -> str:
    widths = [max(len(str(c)) for c in col) for col in zip(headers, *rows, strict=True)]
    lines = ["  ".join(str(c).ljust(w) for c, w in zip(r, widths, strict=True)).rstrip()
             for r in [headers, ["-" * w for w in widths], *rows]]
    return "\n".join(lines)


def format_report(report: AgreementReport, *, name_a: str = "A", name_b: str = "B") -> str:
    """The report as plain-text tables: emails, spans per label, form fields, intent and the
    list of disagreements."""
    parts = [f"A = {name_a}, B = {name_b} (reference); {report.emails} email(s) in both"]
    if report.only_a:
        parts.append(f"only in A ({len(report.only_a)}): {', '.join(report.only_a)}")
    if report.only_b:
        parts.append(f"only in B ({len(report.only_b)}): {', '.join(report.only_b)}")
    if report.text_differs:
        parts.append(f"text differs, spans not compared: {', '.join(report.text_differs)}")
    parts.append("\nSpans (exact match)\n" + _table(
        ["label", "A", "B", "exact", "P", "R", "F1", "pairs", "mean IoU"],
        [[s.label, str(s.spans_a), str(s.spans_b), str(s.exact), _num(s.precision),
          _num(s.recall), _num(s.f1), str(s.overlapping_pairs), _num(s.mean_iou)]
         for s in [*report.labels, report.overall]]))
    parts.append("\nForm values (stays aligned by index)\n" + _table(
        ["field", "compared", "agreed", "share"],
        [[f.field, str(f.compared), str(f.agreed), _num(f.share)] for f in report.fields]))
    parts.append(f"\nIntent: agreement {_num(report.intent_agreement)}, "
                 f"Cohen's kappa {_num(report.intent_kappa)}")
    if report.disagreements:
        parts.append(f"\nDisagreements ({len(report.disagreements)})\n" + _table(
            ["id", "label", "A", "B"],
            [[d.id, d.label, d.a or "-", d.b or "-"] for d in report.disagreements]))
    else:
        parts.append("\nNo disagreements.")
    return "\n".join(parts)

