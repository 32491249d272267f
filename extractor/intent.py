"""The email's intent: the token classifier's [CLS] reading, stacked with a lexical classifier's.

The fine-tuned transformer reads the intent from [CLS]; on little data it misses plain lexical
cues ("stornieren", "instead of", "no hotel needed") and German words its English vocabulary
splits into pieces. A second, lexical model sees them: hashed word 1-2-grams and character
3-5-grams (no vocabulary to store, the same features on every machine) into a multinomial
logistic regression fitted on the training split by `stayform train` (`training/intent.py`).
The features are scikit-learn's `HashingVectorizer`'s (word and char_wb analyzers,
MurmurHash3 via `mmh3`), computed here so that reading an email does not import scikit-learn
and SciPy (over a second of `stayform extract`'s start-up); a test holds them equal to
scikit-learn's on the corpus. The two are stacked: a second, small logistic
regression on dev reads both models' log-probabilities (8 numbers) and gives the intent, so
that it learns when to trust which (the transformer is sure and wrong on German cancellations
more often than the lexical model is).

Saved in the model folder as `intent.safetensors` (weights) and `intent.json` (features): no
pickles. A folder without them (older models, tests' tiny models) uses the transformer alone.

After the models, `extractor.intent_words.final_intent` reads the intent with the thread and
the words.
"""

from __future__ import annotations

import json
import re
from collections import Counter
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

import mmh3
import numpy as np
from safetensors.numpy import load_file, save_file

from extractor.model import softmax

if TYPE_CHECKING:
    from scipy.sparse import csr_matrix

WEIGHTS = "intent.safetensors"
SETTINGS = "intent.json"
N_FEATURES = 2**18  # per analyzer; collisions are rare at this corpus size


_WORD = re.compile(r"(?u)\b\w\w+\b")  # HashingVectorizer's default token_pattern
WORD_NGRAMS = (1, 2)
CHAR_NGRAMS = (3, 5)


def _word_grams(text: str) -> Iterator[str]:
    """The word analyzer's n-grams of lowercased `text`: tokens, then adjacent pairs."""
    tokens = _WORD.findall(text)
    for n in range(WORD_NGRAMS[0], WORD_NGRAMS[1] + 1):
        for i in range(len(tokens) - n + 1):
            yield " ".join(tokens[i:i + n])


def _char_grams(text: str) -> Iterator[str]:
    """The char_wb analyzer's n-grams: within each word padded by a space on either side; a
    word shorter than n gives itself once."""
    for word in text.split():
        padded = f" {word} "
        for n in range(CHAR_NGRAMS[0], CHAR_NGRAMS[1] + 1):
            yield padded[:n]
            for offset in range(1, len(padded) - n + 1):
                yield padded[offset:offset + n]
            if len(padded) <= n:
                break


def _bucket(gram: str) -> int:
    """The column of `gram` among N_FEATURES: |signed MurmurHash3| mod N, as scikit-learn
    takes it (whose abs(-2**31) is defined as below)."""
    h = mmh3.hash(gram, 0, signed=True)
    if h == -2**31:
        return (2**31 - 1 - (N_FEATURES - 1)) % N_FEATURES
    return abs(h) % N_FEATURES


def _l2(grams: Iterator[str], offset: int) -> tuple[list[int], list[float]]:
    counts = Counter(_bucket(g) for g in grams)
    norm = float(np.sqrt(sum(c * c for c in counts.values()))) or 1.0
    return [offset + i for i in counts], [c / norm for c in counts.values()]


def feature_rows(texts: Sequence[str]) -> list[tuple[np.ndarray, np.ndarray]]:
    """Per text, the columns and values of its lexical features among 2 * N_FEATURES: word
    n-grams then character n-grams, each part L2-normed."""
    rows = []
    for text in texts:
        lower = text.lower()
        wi, wv = _l2(_word_grams(lower), 0)
        ci, cv = _l2(_char_grams(lower), N_FEATURES)
        rows.append((np.asarray(wi + ci, dtype=np.int64), np.asarray(wv + cv, dtype=np.float32)))
    return rows


def features(texts: Sequence[str]) -> csr_matrix:
    """The lexical features of `texts` as a sparse (len(texts), 2 * N_FEATURES) matrix, for
    fitting (training imports SciPy; reading an email does not)."""
    from scipy.sparse import csr_matrix

    rows = feature_rows(texts)
    indptr = np.cumsum([0, *(len(cols) for cols, _ in rows)])
    cols = np.concatenate([c for c, _ in rows]) if rows else np.zeros(0, dtype=np.int64)
    vals = np.concatenate([v for _, v in rows]) if rows else np.zeros(0, dtype=np.float32)
    matrix = csr_matrix((vals, cols, indptr), shape=(len(texts), 2 * N_FEATURES))
    matrix.sort_indices()
    return matrix


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
        scores = np.stack([self.coef[:, cols] @ vals for cols, vals in feature_rows(texts)])
        return softmax(scores + self.intercept)

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
