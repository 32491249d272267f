"""The email's intent: the token classifier's [CLS] reading, mixed with a lexical classifier.

The fine-tuned transformer reads the intent from [CLS]; on little data it misses plain lexical
cues ("stornieren", "instead of", "no hotel needed") and German words its English vocabulary
splits into pieces. A second, lexical model sees them: hashed word 1-2-grams and character
3-5-grams (scikit-learn's `HashingVectorizer`: no vocabulary to store, the same features on
every machine) into a multinomial logistic regression fitted on the training split by
`stayform train` (`training/intent.py`). The two are mixed log-linearly,
p ∝ p_model^mix · p_lexical^(1 - mix), with `mix` chosen on dev.

Saved in the model folder as `intent.safetensors` (weights) and `intent.json` (features, mix):
no pickles. A folder without them (older models, tests' tiny models) uses the model alone.
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


def _softmax(z: np.ndarray) -> np.ndarray:
    z = z - z.max(axis=1, keepdims=True)
    e = np.exp(z)
    return e / e.sum(axis=1, keepdims=True)


@dataclass(frozen=True)
class LexicalIntent:
    """Logistic-regression weights over `features()`; classes in INTENTS order."""

    coef: np.ndarray  # (n_intents, 2 * N_FEATURES)
    intercept: np.ndarray  # (n_intents,)
    mix: float = 0.5  # the transformer's share in the log-linear mix

    def proba(self, texts: Sequence[str]) -> np.ndarray:
        """(len(texts), n_intents) lexical intent probabilities."""
        if not texts:
            return np.zeros((0, len(self.intercept)))
        return _softmax(np.asarray(features(texts) @ self.coef.T) + self.intercept)

    def combine(self, model_probs: np.ndarray, texts: Sequence[str]) -> np.ndarray:
        """The mixed probabilities for rows of `model_probs` (the transformer's) and `texts`."""
        if self.mix >= 1.0 or not len(texts):
            return model_probs
        logp = (self.mix * np.log(np.clip(model_probs, 1e-9, 1.0))
                + (1.0 - self.mix) * np.log(np.clip(self.proba(texts), 1e-9, 1.0)))
        return _softmax(logp)

    def save(self, model_dir: Path) -> None:
        save_file({"coef": self.coef.astype(np.float32), "intercept":
                   self.intercept.astype(np.float32)}, str(model_dir / WEIGHTS))
        (model_dir / SETTINGS).write_text(json.dumps({
            "mix": self.mix, "n_features": N_FEATURES,
            "features": "word 1-2-grams + char_wb 3-5-grams, hashed, L2-normed"}, indent=2),
            encoding="utf-8")

    @classmethod
    def load(cls, model_dir: Path, n_intents: int) -> LexicalIntent | None:
        """The lexical model of `model_dir`, None when the folder has none. Raises ValueError
        when its files are there but do not fit this stayform."""
        if not (model_dir / WEIGHTS).is_file():
            return None
        settings = json.loads((model_dir / SETTINGS).read_text(encoding="utf-8"))
        tensors = load_file(str(model_dir / WEIGHTS))
        coef, intercept = tensors["coef"], tensors["intercept"]
        if settings.get("n_features") != N_FEATURES or coef.shape != (n_intents, 2 * N_FEATURES) \
                or intercept.shape != (n_intents,):
            raise ValueError(f"{WEIGHTS} does not match this stayform's intent features")
        mix = float(settings["mix"])
        if not 0.0 <= mix <= 1.0:
            raise ValueError("intent mix must lie in [0, 1]")
        return cls(coef=coef, intercept=intercept, mix=mix)
