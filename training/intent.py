"""Fitting the lexical intent model (`extractor/intent.py`) after the transformer is trained.

A multinomial logistic regression (scikit-learn, lbfgs) on the hashed n-grams of the training
split, hand-written emails weighted like the transformer's training sees them. Its share in the
mix with the transformer is chosen on dev: the mix weight with the lowest dev log-loss, a
hand-written email counting `handwritten_weight` times.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
from sklearn.linear_model import LogisticRegression

from annotations.schema import AnnotatedEmail
from extractor.form import INTENTS
from extractor.intent import LexicalIntent, features

C = 16.0  # inverse L2 strength: chosen on the dev split's hand-written emails (1, 4, 16, 64)
MIXES = tuple(round(float(m), 2) for m in np.linspace(0.0, 1.0, 11))


def _labels(emails: Sequence[AnnotatedEmail]) -> np.ndarray:
    return np.array([INTENTS.index(e.form.intent) for e in emails])


def _weights(emails: Sequence[AnnotatedEmail], handwritten_weight: float) -> np.ndarray:
    return np.array([1.0 if e.origin == "generated" else handwritten_weight for e in emails])


def fit_lexical(train: Sequence[AnnotatedEmail], *, handwritten_weight: float = 3.0
                ) -> LexicalIntent:
    """The logistic regression on `train` (its mix is set by `choose_mix`)."""
    y = _labels(train)
    if len(set(y.tolist())) < 2:
        raise ValueError("the lexical intent model needs at least two intents in training")
    lr = LogisticRegression(C=C, max_iter=3000)
    lr.fit(features([e.text for e in train]), y, sample_weight=_weights(train, handwritten_weight))
    coef = np.zeros((len(INTENTS), lr.coef_.shape[1]), dtype=np.float32)
    intercept = np.full(len(INTENTS), -30.0, dtype=np.float32)  # an intent never seen: ~never
    classes = list(lr.classes_)
    if len(classes) == 2:  # sklearn keeps one row for two classes: class 1 against class 0
        coef[classes[1]], intercept[classes[1]] = lr.coef_[0], lr.intercept_[0]
        intercept[classes[0]] = 0.0
    else:
        for row, k in enumerate(classes):
            coef[k], intercept[k] = lr.coef_[row], lr.intercept_[row]
    return LexicalIntent(coef=coef, intercept=intercept, mix=0.5)


def choose_mix(lexical: LexicalIntent, dev: Sequence[AnnotatedEmail], model_probs: np.ndarray, *,
               handwritten_weight: float = 3.0) -> LexicalIntent:
    """`lexical` with the mix weight of lowest weighted dev log-loss (ties: the transformer)."""
    if not dev:
        return lexical
    y = _labels(dev)
    w = _weights(dev, handwritten_weight)
    texts = [e.text for e in dev]
    best_mix, best_loss = 1.0, float("inf")
    for mix in sorted(MIXES, reverse=True):
        probs = LexicalIntent(lexical.coef, lexical.intercept, mix).combine(model_probs, texts)
        loss = float(-(w * np.log(np.clip(probs[np.arange(len(y)), y], 1e-9, 1.0))).sum()
                     / w.sum())
        if loss < best_loss - 1e-9:
            best_mix, best_loss = mix, loss
    return LexicalIntent(lexical.coef, lexical.intercept, best_mix)
