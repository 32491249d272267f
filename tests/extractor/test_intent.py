"""The extractor's intent: the transformer's [CLS] reading stacked with the lexical model."""

import json

import numpy as np
import pytest

from extractor.form import INTENTS
from extractor.intent import SETTINGS, WEIGHTS, LexicalIntent, features, transformer_only
from extractor.model import ModelLoadError
from extractor.pipeline import Extractor

N = features(["x"]).shape[1]


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
