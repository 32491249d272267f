"""`stayform annotations suspicious`: annotated emails most likely to be labelled wrong, first.

Three signals. Two come from a trained model: how much more it believes another field than the
annotated one on the annotated spans (a log-probability margin, at the worst span), and how many
form values the extractor reads differently from the annotation. The third needs no model: a
span whose text, normalized as its label, states no value the annotation's own form holds for
that field ("7 nights" labelled rooms in a form with rooms 2) is a label and a form that
disagree, and one of them is wrong. A mislabelled span shows
up in the first; a wrong normalized value (a date off by a month) in the second. Confident
learning in miniature: the person fixes the top of the list first.
"""

from __future__ import annotations

import random
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from annotations.schema import AnnotatedEmail, write_jsonl
from extractor.form import FIELDS, STAY_FIELDS
from extractor.pipeline import Extractor
from extractor.tags import LABELS, N_BIO
from extractor.values import normalize_field
from extractor.values.dates import parse_date
from training.config import TrainConfig
from training.data import gold_word_tags
from training.evaluate import judge, same_value
from training.finish import prepared

VALUE_WEIGHT = 0.5  # one value read differently counts like half a nat of surprise
SELF_WEIGHT = 2.0  # one span contradicting its own form


@dataclass(frozen=True)
class Suspect:
    id: str
    score: float
    reason: str


# tag index -> field index (0 = O), to compare fields without B/I boundary noise
_FIELD_OF_TAG = np.array([0] + [1 + (i - 1) // 2 for i in range(1, N_BIO)])


def _span_surprise(word_logits: np.ndarray, gold: np.ndarray) -> tuple[float, int]:
    """How much more the model believes another field than the annotated one, on the
    annotated spans: per word, log p(best other field) - log p(annotated field) with B and I
    pooled, averaged over the span, taken at the worst span. "O" is no rival: a model that
    misses an entity says nothing about its label, one that reads it as another field does.
    Returns (score, index of the worst word)."""
    if len(gold) == 0:
        return 0.0, -1
    z = word_logits - word_logits.max(axis=1, keepdims=True)
    p = np.exp(z) / np.exp(z).sum(axis=1, keepdims=True)
    fields = np.zeros((len(gold), _FIELD_OF_TAG.max() + 1))
    np.add.at(fields.T, _FIELD_OF_TAG, p.T)
    logf = np.log(fields + 1e-9)
    gold_field = _FIELD_OF_TAG[gold]
    best, worst_word = 0.0, -1
    w = 0
    while w < len(gold):
        if gold_field[w] == 0:
            w += 1
            continue
        end = w + 1
        while end < len(gold) and LABELS[int(gold[end])].startswith("I-"):
            end += 1
        f = gold_field[w]
        rivals = logf[w:end].copy()
        rivals[:, [0, f]] = -np.inf
        margin = rivals.max(axis=1) - logf[w:end, f]
        score = float(margin.mean())
        if score > best:
            best, worst_word = score, w + int(margin.argmax())
        w = end
    return best, worst_word


# fields whose every real value the normalizer reads: an unreadable span is a wrong label
_CLOSED = frozenset({"rooms", "guests", "nights", "room_type", "max_price", "breakfast"})
_OTHER_DATE = {"check_in": "check_out", "check_out": "check_in"}


def _swapped_date(email: AnnotatedEmail, label: str, text: str) -> bool:
    """A date span that states exactly the other date field's value and not its own."""
    if email.received_at is None:
        return False
    parsed = parse_date(text, reference=email.received_at.date()).value
    if parsed is None:
        return False
    own = {getattr(s, label) for s in email.form.stays}
    other = {getattr(s, _OTHER_DATE[label]) for s in email.form.stays}
    return parsed in other and parsed not in own


def _contradicting_spans(email: AnnotatedEmail) -> list[str]:
    """Labels of spans whose normalized value is none of the form's values for their field."""
    out: list[str] = []
    for span in email.spans:
        text = email.text[span.start : span.end]
        if span.label in _OTHER_DATE:
            if _swapped_date(email, span.label, text):
                out.append(span.label)
            continue
        if span.label not in FIELDS:
            continue
        value = normalize_field(span.label, text, context=email.text[max(0, span.start - 40)
                                                                     : span.end + 40])
        if value is None:
            if span.label in _CLOSED:  # "no breakfast" cannot be a room type
                out.append(span.label)
            continue  # an open field the normalizer cannot read: no evidence either way
        stated = [getattr(stay, span.label) for stay in email.form.stays]
        if span.label == "traveler_names":
            stated = [name for names in stated if names for name in names]
            if not stated:  # names left out because an adult is unnamed (CONVENTIONS)
                continue
        if span.label == "max_price" and getattr(value, "currency", "") is None:
            # a budget written without its currency: the form holds its city's (ANNOTATION.md)
            stated = [v.model_copy(update={"currency": None}) if v is not None else v
                      for v in stated]
        if not any(same_value(value, v) for v in stated):
            out.append(span.label)
    return out


def rank_suspicious(extractor: Extractor, emails: Sequence[AnnotatedEmail]) -> list[Suspect]:
    """All `emails`, most suspicious first."""
    tagger = extractor.tagger
    word_logits, _ = tagger.logits([e.text for e in emails], batch_size=32)
    golds = gold_word_tags(tagger.tokenizer, emails)
    results = extractor.extract_prepared(prepared(emails))
    rows: list[Suspect] = []
    for email, logits, gold, result in zip(emails, word_logits, golds, results, strict=True):
        surprise, worst = _span_surprise(logits, gold)
        counts, _ = judge(result, email)
        # a value read differently (not one the model merely missed or added), among the values
        # spans state: an implied value (the signer as the guest) says nothing of the spans
        implied = {f for stay in email.form.stays for f in stay.implied} | {
            f for stay in result.stays for f in STAY_FIELDS
            if stay.field(f).source in ("derived", "history")}
        disputed = [f for f, c in counts.items() if c.fp and c.fn and f not in implied]
        intent_off = result.intent != email.form.intent
        contradicting = _contradicting_spans(email)
        score = (surprise + VALUE_WEIGHT * (len(disputed) + 2 * intent_off)
                 + SELF_WEIGHT * len(contradicting))
        why = []
        if worst >= 0:
            pred = LABELS[int(logits[worst].argmax())]
            why.append(f"word labelled {LABELS[int(gold[worst])]} looks like {pred}")
        if contradicting:
            why.append("spans contradict the form: " + ", ".join(contradicting))
        if disputed:
            why.append("values disputed: " + ", ".join(disputed))
        if intent_off:
            why.append(f"intent {email.form.intent} read as {result.intent}")
        rows.append(Suspect(email.id, score, "; ".join(why)))
    rows.sort(key=lambda r: -r.score)
    return rows


def cross_fold_suspects(emails: Sequence[AnnotatedEmail], cfg: TrainConfig, *, folds: int,
                        workdir: Path) -> list[Suspect]:
    """Rank `emails` with models that never saw them: train `folds` models, each on the other
    folds, and score each email with the model its fold was held out from. A model trained on
    an email learns its wrong labels too; held out, it disputes them."""
    from training.train import train

    if folds < 2:
        raise ValueError("cross-fold ranking needs at least 2 folds")
    order = list(range(len(emails)))
    random.Random(cfg.seed).shuffle(order)
    rows: list[Suspect] = []
    for k in range(folds):
        held = [emails[i] for i in order[k::folds]]
        rest = [emails[i] for n, i in enumerate(order) if n % folds != k]
        fold_dir = workdir / f"fold-{k}"
        fold_dir.mkdir(parents=True, exist_ok=True)
        write_jsonl(fold_dir / "train.jsonl", rest)
        write_jsonl(fold_dir / "dev.jsonl", rest[: max(1, len(rest) // 10)])
        fold_cfg = cfg.model_copy(update={
            "train_files": [str(fold_dir / "train.jsonl")],
            "dev_files": [str(fold_dir / "dev.jsonl")],
            "output_dir": str(fold_dir / "model"), "logging_dir": str(fold_dir / "runs")})
        train(fold_cfg, calibrate=False)
        rows += rank_suspicious(Extractor.load(fold_dir / "model"), held)
    rows.sort(key=lambda r: -r.score)
    return rows
