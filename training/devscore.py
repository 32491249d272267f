"""The dev score watched during training: span F1 and intent accuracy of the model alone.

Scores are built from per-email counts (one row of integers per email) so that several
processes can each count their share of dev, gather the rows, and sum them to the very
numbers one process would have counted alone.

Spans only: `children` and the values an email implies (`implied`) have no span, so they do not
enter this score; `training.evaluate` counts them among the form values.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import torch

from annotations.schema import AnnotatedEmail
from extractor.form import FIELDS
from extractor.model import TokenTagger
from extractor.spans import decode_model_spans
from extractor.tags import INTENT_TAGS
from training.evaluate import Counts

# the early-stopping (and tuning) metric: dev span micro F1 plus dev intent accuracy, each in
# [0, 1], so the sum is in [0, 2]
EARLY_STOPPING_METRIC = "dev_f1_plus_intent_acc"


def email_counts(tagger: TokenTagger, emails: Sequence[AnnotatedEmail]) -> torch.Tensor:
    """One int64 row per email: (tp, fp, fn) of exact-match spans for each field of FIELDS in
    order, then 1 if the predicted intent is right, else 0. Shape (len(emails), 3 * F + 1)."""
    rows = torch.zeros((len(emails), 3 * len(FIELDS) + 1), dtype=torch.int64)
    for r, (email, scores) in enumerate(zip(emails, tagger.score([e.text for e in emails]),
                                            strict=True)):
        pred = {(s.start, s.end, s.field) for s in decode_model_spans(scores)}
        gold = {(s.start, s.end, s.label) for s in email.spans}
        for k, f in enumerate(FIELDS):
            p = {x for x in pred if x[2] == f}
            g = {x for x in gold if x[2] == f}
            rows[r, 3 * k: 3 * k + 3] = torch.tensor([len(p & g), len(p - g), len(g - p)])
        intent = INTENT_TAGS[int(scores.intent_probs.argmax())]
        rows[r, -1] = int(intent == f"INTENT-{email.form.intent}")
    return rows


def scores_from_counts(rows: torch.Tensor) -> dict[str, float]:
    """Per-field span F1 (`span_f1/<field>`), micro span F1 (`span_f1/micro`) and
    `intent_accuracy` from the rows of `email_counts` (of all dev emails, in any order)."""
    total = [int(x) for x in rows.sum(dim=0).tolist()]
    counts = {f: Counts(*total[3 * k: 3 * k + 3]) for k, f in enumerate(FIELDS)}
    micro = Counts(sum(c.tp for c in counts.values()), sum(c.fp for c in counts.values()),
                   sum(c.fn for c in counts.values()))
    out = {f"span_f1/{f}": c.f1 for f, c in counts.items()}
    out["span_f1/micro"] = micro.f1
    out["intent_accuracy"] = total[-1] / len(rows) if len(rows) else 0.0
    return out


def span_f1(tagger: TokenTagger, emails: Sequence[AnnotatedEmail]) -> dict[str, float]:
    """Per-field exact-match span F1 and intent accuracy of the model alone on `emails`."""
    return scores_from_counts(email_counts(tagger, emails))


def f1_plus_intent_acc(scores: Mapping[str, float]) -> float:
    """The early-stopping metric from dev scores: span micro F1 + intent accuracy, in [0, 2]."""
    return scores["span_f1/micro"] + scores["intent_accuracy"]
