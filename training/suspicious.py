"""`stayform annotations suspicious`: annotated emails most likely to be labelled wrong, first.

Two signals, both from a trained model: how surprised the model is by the given word labels
(the negative log-likelihood of the annotated tag, averaged over the worst three words), and how
many form values the extractor reads differently from the annotation. A mislabelled span shows
up in the first; a wrong normalized value (a date off by a month) in the second. Confident
learning in miniature: the person fixes the top of the list first.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from annotations.schema import AnnotatedEmail
from extractor.pipeline import Extractor
from extractor.tags import LABELS
from training.evaluate import judge
from training.finish import prepared

WORST_WORDS = 3
VALUE_WEIGHT = 0.5  # one disputed form value counts like half a nat of surprise


@dataclass(frozen=True)
class Suspect:
    id: str
    score: float
    reason: str


def _word_surprise(word_logits: np.ndarray, gold: np.ndarray) -> tuple[float, int]:
    """Mean NLL of the gold tags over the worst words, and the index of the worst word."""
    if len(gold) == 0:
        return 0.0, -1
    z = word_logits - word_logits.max(axis=1, keepdims=True)
    logp = z - np.log(np.exp(z).sum(axis=1, keepdims=True))
    nll = -logp[np.arange(len(gold)), gold]
    worst = np.argsort(-nll)[:WORST_WORDS]
    return float(nll[worst].mean()), int(worst[0])


def rank_suspicious(extractor: Extractor, emails: Sequence[AnnotatedEmail]) -> list[Suspect]:
    """All `emails`, most suspicious first."""
    from training.train import gold_word_tags

    tagger = extractor.tagger
    word_logits, _ = tagger._logits([e.text for e in emails], batch_size=32)
    golds = gold_word_tags(tagger.tokenizer, emails)
    results = extractor.extract_prepared(prepared(emails))
    rows: list[Suspect] = []
    for email, logits, gold, result in zip(emails, word_logits, golds, results, strict=True):
        surprise, worst = _word_surprise(logits, gold)
        counts, _ = judge(result, email)
        disputed = [f for f, c in counts.items() if c.fp or c.fn]
        intent_off = result.intent != email.form.intent
        score = surprise + VALUE_WEIGHT * (len(disputed) + 2 * intent_off)
        why = []
        if worst >= 0:
            pred = LABELS[int(logits[worst].argmax())]
            why.append(f"word labelled {LABELS[int(gold[worst])]} looks like {pred}")
        if disputed:
            why.append("values disputed: " + ", ".join(disputed))
        if intent_off:
            why.append(f"intent {email.form.intent} read as {result.intent}")
        rows.append(Suspect(email.id, score, "; ".join(why)))
    rows.sort(key=lambda r: -r.score)
    return rows
