"""The email's intent: the token classifier's [CLS] reading, stacked with a lexical classifier's.

The fine-tuned transformer reads the intent from [CLS]; on little data it misses plain lexical
cues ("stornieren", "instead of", "no hotel needed") and German words its English vocabulary
splits into pieces. A second, lexical model sees them: hashed word 1-2-grams and character
3-5-grams (scikit-learn's `HashingVectorizer`: no vocabulary to store, the same features on
every machine) into a multinomial logistic regression fitted on the training split by
`stayform train` (`training/intent.py`). The two are stacked: a second, small logistic
regression on dev reads both models' log-probabilities (8 numbers) and gives the intent, so
that it learns when to trust which (the transformer is sure and wrong on German cancellations
more often than the lexical model is).

Saved in the model folder as `intent.safetensors` (weights) and `intent.json` (features): no
pickles. A folder without them (older models, tests' tiny models) uses the transformer alone.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np
from safetensors.numpy import load_file, save_file
from scipy.sparse import csr_matrix, hstack
from sklearn.feature_extraction.text import HashingVectorizer

from extractor.model import softmax

WEIGHTS = "intent.safetensors"
SETTINGS = "intent.json"
N_FEATURES = 2**18  # per analyzer; collisions are rare at this corpus size


def _vectorizers() -> tuple[HashingVectorizer, HashingVectorizer]:
    common = {"n_features": N_FEATURES, "alternate_sign": False, "norm": "l2",
              "lowercase": True, "dtype": np.float32}
    return (HashingVectorizer(analyzer="word", ngram_range=(1, 2), **common),
            HashingVectorizer(analyzer="char_wb", ngram_range=(3, 5), **common))


def features(texts: Sequence[str]) -> csr_matrix:
    """The lexical features of `texts`: (len(texts), 2 * N_FEATURES), rows L2-normed per part."""
    words, chars = _vectorizers()
    return hstack([words.transform(texts), chars.transform(texts)], format="csr")


@dataclass(frozen=True)
class LexicalIntent:
    """Logistic-regression weights over `features()`; classes in INTENTS order."""

    coef: np.ndarray  # (n_intents, 2 * N_FEATURES)
    intercept: np.ndarray  # (n_intents,)
    # the stacker over [log p_transformer, log p_lexical]: (n_intents, 2 * n_intents), (n_intents,)
    stack: np.ndarray
    stack_bias: np.ndarray

    def proba(self, texts: Sequence[str]) -> np.ndarray:
        """(len(texts), n_intents) lexical intent probabilities."""
        if not texts:
            return np.zeros((0, len(self.intercept)))
        return softmax(np.asarray(features(texts) @ self.coef.T) + self.intercept)

    def combine(self, model_probs: np.ndarray, texts: Sequence[str]) -> np.ndarray:
        """The stacked probabilities for rows of `model_probs` (the transformer's) and `texts`."""
        if not len(texts):
            return model_probs
        return softmax(stack_inputs(model_probs, self.proba(texts)) @ self.stack.T
                        + self.stack_bias)

    def save(self, model_dir: Path) -> None:
        save_file({name: np.ascontiguousarray(getattr(self, name), dtype=np.float32)
                   for name in ("coef", "intercept", "stack", "stack_bias")},
                  str(model_dir / WEIGHTS))
        (model_dir / SETTINGS).write_text(json.dumps({
            "n_features": N_FEATURES,
            "features": "word 1-2-grams + char_wb 3-5-grams, hashed, L2-normed",
            "stack": "logistic regression over [log p_transformer, log p_lexical]"}, indent=2),
            encoding="utf-8")

    @classmethod
    def load(cls, model_dir: Path, n_intents: int) -> LexicalIntent | None:
        """The lexical model of `model_dir`, None when the folder has none. Raises ValueError
        when its files are there but do not fit this stayform."""
        if not (model_dir / WEIGHTS).is_file():
            return None
        settings = json.loads((model_dir / SETTINGS).read_text(encoding="utf-8"))
        t = load_file(str(model_dir / WEIGHTS))
        shapes = {"coef": (n_intents, 2 * N_FEATURES), "intercept": (n_intents,),
                  "stack": (n_intents, 2 * n_intents), "stack_bias": (n_intents,)}
        if settings.get("n_features") != N_FEATURES or any(
                name not in t or t[name].shape != shape for name, shape in shapes.items()):
            raise ValueError(f"{WEIGHTS} does not match this stayform's intent features")
        return cls(coef=t["coef"], intercept=t["intercept"], stack=t["stack"],
                   stack_bias=t["stack_bias"])


def stack_inputs(model_probs: np.ndarray, lexical_probs: np.ndarray) -> np.ndarray:
    """The stacker's inputs: both models' log-probabilities side by side."""
    return np.hstack([np.log(np.clip(model_probs, 1e-6, 1.0)),
                      np.log(np.clip(lexical_probs, 1e-6, 1.0))])


def transformer_only(n_intents: int) -> tuple[np.ndarray, np.ndarray]:
    """Stacker weights that reproduce the transformer's probabilities exactly."""
    return np.hstack([np.eye(n_intents), np.zeros((n_intents, n_intents))]), np.zeros(n_intents)
