"""Evaluation of the extractor against annotated emails.

Values, not spans, are what a booking needs: a date counts when its ISO date is right, a city
when its normalized name is right. Per field, over stays aligned between prediction and gold:
a right value is a true positive; a wrong one is a false positive *and* a false negative; a
value where the gold is null is a false positive; a null where the gold has a value is a false
negative. Every field of a stay counts (`STAY_FIELDS`: the twelve span fields and `children`),
and a gold value the email implies (listed in the stay's `implied`: the sender as the guest, one
room for one person) counts like one it writes. Beside P/R/F1, a field's accuracy is the share
of gold stays whose value, null included, the aligned prediction has (the measure of the
external sets' score.py); `implied` reports how many implied gold values were found. The micro
scores over the twelve span fields alone (`micro_span_fields`) stay comparable with reports from
before `children` existed. Reported separately per origin (hand-written, generated), with
span-level scores, a confusion table of labels, the calibration error of confidences, and what
auto-accepting at the threshold would give.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from annotations.schema import AnnotatedEmail
from extractor.form import FIELDS, STAY_FIELDS, ExtractionResult, StayValues


@dataclass
class Counts:
    """Value (or span) counts of one field; `right` of `slots` gold stays hold the gold value,
    null included, in the aligned prediction (accuracy; unused for spans)."""

    tp: int = 0
    fp: int = 0
    fn: int = 0
    right: int = 0
    slots: int = 0

    @property
    def accuracy(self) -> float:
        return self.right / self.slots if self.slots else 1.0

    def add(self, other: Counts) -> None:
        self.tp += other.tp
        self.fp += other.fp
        self.fn += other.fn
        self.right += other.right
        self.slots += other.slots

    @property
    def precision(self) -> float:
        return self.tp / (self.tp + self.fp) if self.tp + self.fp else 1.0

    @property
    def recall(self) -> float:
        return self.tp / (self.tp + self.fn) if self.tp + self.fn else 1.0

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0

    def as_dict(self) -> dict[str, float | int]:
        return {"precision": round(self.precision, 4), "recall": round(self.recall, 4),
                "f1": round(self.f1, 4), "tp": self.tp, "fp": self.fp, "fn": self.fn,
                "support": self.tp + self.fn, "accuracy": round(self.accuracy, 4),
                "slots": self.slots}


@dataclass(frozen=True)
class Outcome:
    """One predicted field judged against the gold: what calibration is fitted on."""

    field: str
    confidence: float
    kind: str  # the value's source, or "absent" for a null prediction
    correct: bool


def same_value(a: Any, b: Any) -> bool:
    """Equality of two normalized values, forgiving case and surrounding spaces in text."""
    if a is None or b is None:
        return a is b
    if isinstance(a, str) and isinstance(b, str):
        return a.strip().casefold() == b.strip().casefold()
    if isinstance(a, list) and isinstance(b, list):
        return len(a) == len(b) and all(same_value(x, y) for x, y in zip(a, b, strict=True))
    if hasattr(a, "model_dump") and hasattr(b, "model_dump"):
        return a.model_dump() == b.model_dump()
    return bool(a == b)


def align_stays(pred: Sequence[StayValues], gold: Sequence[StayValues]
                ) -> list[tuple[int | None, int | None]]:
    """Pairs (pred index, gold index), greedily by the number of equal values; leftovers unpaired."""
    def score(p: StayValues, g: StayValues) -> int:
        s = sum(1 for f in STAY_FIELDS if getattr(g, f) is not None
                and same_value(getattr(p, f), getattr(g, f)))
        return s + (2 if same_value(p.destination, g.destination) and g.destination else 0)

    candidates = sorted(((score(p, g), -abs(i - j), i, j) for i, p in enumerate(pred)
                         for j, g in enumerate(gold)), reverse=True)
    used_p: set[int] = set()
    used_g: set[int] = set()
    pairs: list[tuple[int | None, int | None]] = []
    for _, _, i, j in candidates:
        if i not in used_p and j not in used_g:
            pairs.append((i, j))
            used_p.add(i)
            used_g.add(j)
    pairs += [(i, None) for i in range(len(pred)) if i not in used_p]
    pairs += [(None, j) for j in range(len(gold)) if j not in used_g]
    return pairs


def judge(result: ExtractionResult, gold: AnnotatedEmail
          ) -> tuple[dict[str, Counts], list[Outcome]]:
    """Per-field counts (every field of `STAY_FIELDS`, plus `implied`: the gold values the
    email implies, tp when found) and per-field outcomes of one predicted result against its
    gold."""
    counts = {f: Counts() for f in (*STAY_FIELDS, IMPLIED)}
    outcomes: list[Outcome] = []
    pred_values = [s.values() for s in result.stays]
    for i, j in align_stays(pred_values, gold.form.stays):
        for name in STAY_FIELDS:
            pv = getattr(pred_values[i], name) if i is not None else None
            gv = getattr(gold.form.stays[j], name) if j is not None else None
            if j is not None:
                counts[name].slots += 1
                counts[name].right += int(same_value(pv, gv))
                if gv is not None and name in gold.form.stays[j].implied:
                    hit = pv is not None and same_value(pv, gv)
                    counts[IMPLIED].tp += int(hit)
                    counts[IMPLIED].fn += int(not hit)
            c = counts[name]
            if pv is not None and gv is not None:
                if same_value(pv, gv):
                    c.tp += 1
                else:
                    c.fp += 1
                    c.fn += 1
            elif pv is not None:
                c.fp += 1
            elif gv is not None:
                c.fn += 1
            if i is not None:
                f = result.stays[i].field(name)
                kind = f.source if f.value is not None else "absent"
                outcomes.append(Outcome(name, f.confidence, kind, same_value(pv, gv)))
    return counts, outcomes


def expected_calibration_error(outcomes: Sequence[Outcome], bins: int = 10) -> float:
    """ECE over equal-width confidence bins: the mean |accuracy - confidence|, weighted."""
    if not outcomes:
        return 0.0
    groups: dict[int, list[Outcome]] = defaultdict(list)
    for o in outcomes:
        groups[min(bins - 1, int(o.confidence * bins))].append(o)
    total = len(outcomes)
    return sum(abs(sum(o.correct for o in g) / len(g) - sum(o.confidence for o in g) / len(g))
               * len(g) / total for g in groups.values())


# the row of `judge`'s counts that follows the gold values listed in `implied` (a recall:
# tp found, fn missed or wrong; the values count in their own fields too)
IMPLIED = "implied"


@dataclass
class Report:
    """The evaluation of one group of emails (one origin, or all)."""

    emails: int = 0
    fields: dict[str, Counts] = field(default_factory=lambda: {f: Counts() for f in STAY_FIELDS})
    implied: Counts = field(default_factory=Counts)
    spans: dict[str, Counts] = field(default_factory=lambda: {f: Counts() for f in FIELDS})
    confusion: Counter = field(default_factory=Counter)  # (gold label, predicted label)
    intent_right: int = 0
    outcomes: list[Outcome] = field(default_factory=list)
    accepted: int = 0
    accepted_right: int = 0
    accepted_values: int = 0

    def micro(self, fields: Sequence[str] = STAY_FIELDS) -> Counts:
        """The sums over `fields` (default: every field of a stay)."""
        total = Counts()
        for name in fields:
            total.add(self.fields[name])
        return total

    def as_dict(self) -> dict[str, Any]:
        return {
            "emails": self.emails,
            "micro": self.micro().as_dict(),
            "micro_span_fields": self.micro(FIELDS).as_dict(),
            "fields": {f: c.as_dict() for f, c in self.fields.items()},
            "implied": {"found": self.implied.tp, "total": self.implied.tp + self.implied.fn,
                        "recall": round(self.implied.recall, 4)},
            "spans": {f: c.as_dict() for f, c in self.spans.items()},
            "intent_accuracy": round(self.intent_right / self.emails, 4) if self.emails else 0.0,
            "ece": round(expected_calibration_error(self.outcomes), 4),
            "auto_accepted_share": round(self.accepted / self.emails, 4) if self.emails else 0.0,
            "auto_accepted_field_precision": round(
                self.accepted_right / self.accepted_values, 4) if self.accepted_values else 1.0,
            "confusion": {f"{g} -> {p}": n for (g, p), n in sorted(self.confusion.items())},
        }


def _confused_with(label: str, start: int, end: int, hits: list[tuple[int, int, str]]) -> str:
    """The predicted label a gold span is counted as: its own when a prediction of it overlaps
    (a range's evidence serves check_in and check_out alike), else the one overlapping most;
    "O" when none does. Chosen by content, not by set order, so the table is the same each run."""
    if any(pl == label for _, _, pl in hits):
        return label
    if not hits:
        return "O"
    return min(hits, key=lambda h: (-(min(h[1], end) - max(h[0], start)), h))[2]


def _span_scores(result: ExtractionResult, gold: AnnotatedEmail, report: Report) -> None:
    predicted: set[tuple[int, int, str]] = set()
    for stay in result.stays:
        for name in FIELDS:
            for ev in stay.field(name).evidence:
                predicted.add((ev.start, ev.end, name))
    gold_set = {(s.start, s.end, s.label) for s in gold.spans}
    for name in FIELDS:
        p = {x for x in predicted if x[2] == name}
        g = {x for x in gold_set if x[2] == name}
        report.spans[name].tp += len(p & g)
        report.spans[name].fp += len(p - g)
        report.spans[name].fn += len(g - p)
    for gs, ge, gl in gold_set:
        hits = [(ps, pe, pl) for ps, pe, pl in predicted if ps < ge and gs < pe]
        report.confusion[(gl, _confused_with(gl, gs, ge, hits))] += 1
    for ps, pe, pl in predicted:
        if not any(ps < ge and gs < pe for gs, ge, _ in gold_set):
            report.confusion[("O", pl)] += 1


def add_to_report(report: Report, result: ExtractionResult, gold: AnnotatedEmail) -> None:
    counts, outcomes = judge(result, gold)
    report.emails += 1
    report.implied.add(counts.pop(IMPLIED))
    for name, c in counts.items():
        report.fields[name].add(c)
    report.outcomes.extend(outcomes)
    report.intent_right += int(result.intent == gold.form.intent)
    _span_scores(result, gold, report)
    if result.status == "auto_accepted":
        report.accepted += 1
        for o in outcomes:
            if o.kind != "absent":
                report.accepted_values += 1
                report.accepted_right += int(o.correct)


def evaluate_results(results: Sequence[ExtractionResult], golds: Sequence[AnnotatedEmail]
                     ) -> dict[str, Report]:
    """Reports keyed by origin ("handwritten", "generated", "review") and "all"."""
    reports: dict[str, Report] = defaultdict(Report)
    for result, gold in zip(results, golds, strict=True):
        add_to_report(reports[gold.origin], result, gold)
        add_to_report(reports["all"], result, gold)
    return dict(reports)


def format_table(name: str, report: Report) -> str:
    """A plain-text per-field table of value precision / recall / F1 and accuracy (nulls
    included), the micro rows over every field and over the twelve span fields, and the share
    of implied gold values found."""
    lines = [f"{name}: {report.emails} emails",
             f"{'field':<18}{'P':>7}{'R':>7}{'F1':>7}{'support':>9}{'acc':>7}"]
    rows = [*report.fields.items(), ("micro", report.micro()),
            ("micro (12 span)", report.micro(FIELDS))]
    for f, c in rows:
        lines.append(f"{f:<18}{c.precision:>7.3f}{c.recall:>7.3f}{c.f1:>7.3f}{c.tp + c.fn:>9}"
                     f"{c.accuracy:>7.3f}")
    d = report.as_dict()
    lines.append(f"implied values found {report.implied.tp} of "
                 f"{report.implied.tp + report.implied.fn} ({report.implied.recall:.3f})")
    lines.append(f"intent accuracy {d['intent_accuracy']:.3f}   ECE {d['ece']:.3f}   "
                 f"auto-accepted {d['auto_accepted_share']:.1%} "
                 f"(field precision {d['auto_accepted_field_precision']:.3f})")
    return "\n".join(lines)
