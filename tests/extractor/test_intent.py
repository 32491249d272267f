"""The extractor's intent: the transformer's [CLS] reading stacked with the lexical model."""

import json
from pathlib import Path

import numpy as np
import pytest
from scipy.sparse import hstack
from sklearn.feature_extraction.text import HashingVectorizer

from annotations.schema import read_jsonl
from extractor.form import INTENTS
from extractor.intent import (
    CHAR_NGRAMS,
    N_FEATURES,
    SETTINGS,
    WEIGHTS,
    WORD_NGRAMS,
    LexicalIntent,
    features,
    transformer_only,
)
from extractor.model import ModelLoadError, softmax
from extractor.pipeline import Extractor

N = features(["x"]).shape[1]
ROOT = Path(__file__).resolve().parents[2]
ODD = ["", " ", "a", "ab", "Zimmer\u00a0frei", "tab\tand  two   spaces\n\nnew para",
       "Größe STRASSE İstanbul ǅ", "東京 ホテル 予約", "x" * 300, "don't e-mail 3-5 Feb",
       "ﬁne ligature", "emoji 🙂 ok"]


def cancel_only(trust: str) -> LexicalIntent:
    """A lexical model that reads every text as a cancellation, stacked to trust `trust`."""
    intercept = np.zeros(len(INTENTS), dtype=np.float32)
    intercept[INTENTS.index("cancellation")] = 8.0
    stack, bias = transformer_only(len(INTENTS))
    if trust == "lexical":
        stack = np.roll(stack, len(INTENTS), axis=1)
    return LexicalIntent(coef=np.zeros((len(INTENTS), N), dtype=np.float32),
                         intercept=intercept, stack=stack, stack_bias=bias)


def test_folder_without_lexical_model_uses_the_transformer_alone(booking_model_dir):
    ex = Extractor.load(booking_model_dir)
    assert ex.lexical_intent is None
    assert ex.extract_text("Hotel in Rome, 2 nights").intent == "new_booking"


@pytest.mark.parametrize(("trust", "intent"), [("lexical", "cancellation"),
                                               ("transformer", "new_booking")])
def test_the_stacker_decides_between_the_two(booking_model_dir, tmp_path, trust, intent):
    folder = tmp_path / "model"
    folder.mkdir()
    for f in booking_model_dir.iterdir():
        (folder / f.name).write_bytes(f.read_bytes())
    cancel_only(trust).save(folder)
    result = Extractor.load(folder).extract_text("Hotel in Rome, 2 nights")
    assert result.intent == intent
    assert 0.0 <= result.intent_confidence <= 1.0


def test_mismatched_lexical_files_are_a_model_load_error(booking_model_dir, tmp_path):
    folder = tmp_path / "model"
    folder.mkdir()
    for f in booking_model_dir.iterdir():
        (folder / f.name).write_bytes(f.read_bytes())
    cancel_only("lexical").save(folder)
    (folder / SETTINGS).write_text(json.dumps({"n_features": 1024}))
    with pytest.raises(ModelLoadError, match="intent model"):
        Extractor.load(folder)
    (folder / WEIGHTS).write_bytes(b"not safetensors")
    with pytest.raises(ModelLoadError, match="intent model"):
        Extractor.load(folder)


def sklearn_features(texts: list[str]):
    """What the lexical model was first fitted on: scikit-learn's two HashingVectorizers."""
    common = {"n_features": N_FEATURES, "alternate_sign": False, "norm": "l2",
              "lowercase": True, "dtype": np.float32}
    words = HashingVectorizer(analyzer="word", ngram_range=WORD_NGRAMS, **common)
    chars = HashingVectorizer(analyzer="char_wb", ngram_range=CHAR_NGRAMS, **common)
    return hstack([words.transform(texts), chars.transform(texts)], format="csr")


@pytest.mark.parametrize("split", ["dev", "test"])
def test_the_features_are_scikit_learns_on_the_corpus(split):
    texts = [e.text for e in read_jsonl(ROOT / "data" / "corpus" / f"{split}.jsonl")][:250]
    ours, theirs = features(texts), sklearn_features(texts)
    assert ours.shape == theirs.shape
    assert np.array_equal(np.diff(ours.indptr), np.diff(theirs.indptr))
    assert abs(ours - theirs).max() < 1e-6


def test_the_features_are_scikit_learns_on_odd_text():
    ours, theirs = features(ODD), sklearn_features(ODD)
    assert abs(ours - theirs).max() < 1e-6
    assert ours[0].nnz == 0  # an empty text: no features, and no NaN from its zero norm


def test_reading_an_email_scores_the_features_as_the_sparse_product_does():
    rng = np.random.default_rng(0)
    coef = rng.normal(size=(len(INTENTS), N)).astype(np.float32)
    intercept = rng.normal(size=len(INTENTS)).astype(np.float32)
    stack, bias = transformer_only(len(INTENTS))
    model = LexicalIntent(coef=coef, intercept=intercept, stack=stack, stack_bias=bias)
    texts = [*ODD, "Bitte stornieren Sie meine Buchung in Köln, 3.-5. Mai."]
    expected = softmax(np.asarray(features(texts) @ coef.T) + intercept)
    assert np.allclose(model.proba(texts), expected, atol=1e-5)
