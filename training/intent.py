"""Fitting the lexical intent model (`extractor/intent.py`) after the transformer is trained.

A multinomial logistic regression (scikit-learn, lbfgs) on the hashed n-grams of the training
split, hand-written emails weighted like the transformer's training sees them. Its share in the
combination with the transformer is learnt on dev: a small logistic regression over both
models' log-probabilities (`extractor.intent.stack_inputs`), a hand-written email counting
`handwritten_weight` times.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
from sklearn.linear_model import LogisticRegression

from annotations.schema import AnnotatedEmail
from extractor.form import INTENTS
from extractor.intent import LexicalIntent, features, stack_inputs, transformer_only

C = 16.0  # inverse L2 strength: chosen on the dev split's hand-written emails (1, 4, 16, 64)
STACK_C = 1.0  # the stacker's: 5-fold accuracy on dev was flat over 0.1 to 10


def _labels(emails: Sequence[AnnotatedEmail]) -> np.ndarray:
    return np.array([INTENTS.index(e.form.intent) for e in emails])


def _weights(emails: Sequence[AnnotatedEmail], handwritten_weight: float) -> np.ndarray:
    return np.array([1.0 if e.origin == "generated" else handwritten_weight for e in emails])


def _full_rows(lr: LogisticRegression) -> tuple[np.ndarray, np.ndarray]:
    """A fitted classifier's weights as one row per intent (INTENTS order); an intent it never
    saw gets a bias of -30 (never predicted). sklearn keeps a single row for two classes."""
    coef = np.zeros((len(INTENTS), lr.coef_.shape[1]), dtype=np.float32)
    bias = np.full(len(INTENTS), -30.0, dtype=np.float32)
    classes = [int(k) for k in lr.classes_]
    if len(classes) == 2:  # class 1 against class 0: softmax over (0, w.x + b) is the same
        coef[classes[1]], bias[classes[1]] = lr.coef_[0], lr.intercept_[0]
        bias[classes[0]] = 0.0
    else:
        for row, k in enumerate(classes):
            coef[k], bias[k] = lr.coef_[row], lr.intercept_[row]
    return coef, bias


def fit_lexical(train: Sequence[AnnotatedEmail], *, handwritten_weight: float = 3.0
                ) -> LexicalIntent:
    """The logistic regression on `train` (its stacker is fitted by `fit_stack`)."""
    y = _labels(train)
    if len(set(y.tolist())) < 2:
        raise ValueError("the lexical intent model needs at least two intents in training")
    lr = LogisticRegression(C=C, max_iter=3000)
    lr.fit(features([e.text for e in train]), y, sample_weight=_weights(train, handwritten_weight))
    coef, intercept = _full_rows(lr)
    stack, bias = transformer_only(len(INTENTS))  # until fit_stack has seen dev
    return LexicalIntent(coef=coef, intercept=intercept, stack=stack, stack_bias=bias)


def fit_stack(lexical: LexicalIntent, dev: Sequence[AnnotatedEmail], model_probs: np.ndarray,
              *, handwritten_weight: float = 3.0) -> LexicalIntent:
    """`lexical` with its stacker fitted on dev; the transformer alone unless dev shows every
    intent (a stacker that never saw one would never predict it)."""
    y = _labels(dev)
    stack, bias = transformer_only(len(INTENTS))
    if len(set(y.tolist())) == len(INTENTS):
        x = stack_inputs(model_probs, lexical.proba([e.text for e in dev]))
        lr = LogisticRegression(C=STACK_C, max_iter=2000)
        lr.fit(x, y, sample_weight=_weights(dev, handwritten_weight))
        stack, bias = _full_rows(lr)
    return LexicalIntent(lexical.coef, lexical.intercept, stack=stack, stack_bias=bias)
