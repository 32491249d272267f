"""Training on the CPU with a tiny random BERT: the loss falls, the folder is complete and
self-describing, and a saved model loads back with identical predictions."""

import json
import math
from pathlib import Path

import numpy as np
import pytest
import torch
from accelerate import Accelerator
from transformers import AutoTokenizer, BertForTokenClassification

from annotations.markup import parse_markup
from annotations.schema import AnnotatedEmail, write_jsonl
from extractor.model import TokenTagger
from extractor.tags import LABELS
from training.config import load_config
from training.data import IGNORE, email_features
from training.train import _save, train

ROOT = Path(__file__).resolve().parents[2]


def handful(n: int) -> list[AnnotatedEmail]:
    out = []
    with open(ROOT / "data/handwritten/source/en.jsonl", encoding="utf-8") as f:
        for line in f:
            d = json.loads(line)
            text, spans = parse_markup(d["markup"])
            out.append(AnnotatedEmail(id=d["id"], text=text, received_at=d["received_at"],
                                      language=d["language"], origin="handwritten",
                                      spans=spans, form=d["form"]))
            if len(out) == n:
                break
    return out


@pytest.fixture(scope="module")
def files(tmp_path_factory) -> tuple[Path, Path]:
    d = tmp_path_factory.mktemp("data")
    emails = handful(16)
    write_jsonl(d / "train.jsonl", emails[:12])
    write_jsonl(d / "dev.jsonl", emails[12:])
    return d / "train.jsonl", d / "dev.jsonl"


def test_labels_align_to_first_subwords(tiny_model_dir):
    tok = AutoTokenizer.from_pretrained(tiny_model_dir)
    text, spans = parse_markup("Hotel in [[Garmisch-Partenkirchen|destination]] please")
    email = AnnotatedEmail(id="x", text=text, origin="handwritten", spans=spans,
                           form={"intent": "new_booking", "stays": []})
    [feat] = email_features(email, tok, max_length=64, stride=8)
    labels = [LABELS[i] if i != IGNORE else None for i in feat["labels"]]
    assert labels[0] == "INTENT-new_booking" and labels[-1] is None
    tagged = [lab for lab in labels[1:-1] if lab is not None]
    assert tagged == ["O", "O", "B-destination", "I-destination", "I-destination", "O"]


def test_long_email_becomes_overlapping_windows(tiny_model_dir):
    tok = AutoTokenizer.from_pretrained(tiny_model_dir)
    email = AnnotatedEmail(id="x", text="word " * 300, origin="handwritten",
                           form={"intent": "not_hotel", "stays": []})
    feats = email_features(email, tok, max_length=64, stride=16)
    assert len(feats) > 5
    assert all(len(f["input_ids"]) <= 64 for f in feats)


def test_tiny_model_trains_and_loss_falls(tiny_model_dir, files, tmp_path):
    train_file, dev_file = files
    cfg = load_config(base_model=str(tiny_model_dir), train_files=[str(train_file)],
                      dev_files=[str(dev_file)], output_dir=str(tmp_path / "out"),
                      max_length=64, stride=16, epochs=12, batch_size=8, learning_rate=3e-3,
                      warmup_ratio=0.0, dropout=0.0, early_stopping_patience=100, seed=3)
    losses: list[float] = []
    result = train(cfg, on_step=lambda step, scores: losses.append(step.loss))
    assert all(math.isfinite(x) for x in losses)
    assert np.mean(losses[-5:]) < 0.6 * np.mean(losses[:5])
    out = result.output_dir
    for name in ("model.safetensors", "config.json", "tokenizer.json", "train_config.json",
                 "calibration.json", "metrics.json", "README.md", "intent.safetensors",
                 "intent.json"):
        assert (out / name).is_file(), name
    assert not list(out.glob("*.bin"))
    config = json.loads((out / "config.json").read_text())
    assert [config["id2label"][str(i)] for i in range(len(LABELS))] == list(LABELS)
    saved = json.loads((out / "train_config.json").read_text())
    assert saved["learning_rate"] == 3e-3 and saved["seed"] == 3
    metrics = json.loads((out / "metrics.json").read_text())
    assert "dev" in metrics and "calibration" in metrics and metrics["training"]["steps"] > 0
    assert list((out / "runs").iterdir())  # TensorBoard event files


def test_bottom_layers_can_be_frozen(tiny_model_dir):
    from training.train import new_model

    cfg = load_config(base_model=str(tiny_model_dir), freeze_layers=1)
    model, _ = new_model(cfg)
    bert = model.base_model
    assert not any(p.requires_grad for p in bert.embeddings.parameters())
    assert not any(p.requires_grad for p in bert.encoder.layer[0].parameters())
    assert all(p.requires_grad for p in bert.encoder.layer[1].parameters())
    assert all(p.requires_grad for p in model.classifier.parameters())
    with pytest.raises(ValueError, match="2 layers"):
        new_model(load_config(base_model=str(tiny_model_dir), freeze_layers=2))


def test_training_is_reproducible(tiny_model_dir, files, tmp_path):
    train_file, dev_file = files
    runs = []
    for k in range(2):
        cfg = load_config(base_model=str(tiny_model_dir), train_files=[str(train_file)],
                          dev_files=[str(dev_file)], output_dir=str(tmp_path / f"r{k}"),
                          max_length=64, stride=16, epochs=2, batch_size=8, seed=5)
        run: list[float] = []
        runs.append(run)
        train(cfg, on_step=lambda step, scores, run=run: run.append(step.loss), calibrate=False)
    assert runs[0] == runs[1]


def test_saved_model_loads_back_with_identical_predictions(tiny_model_dir, tmp_path):
    model = BertForTokenClassification.from_pretrained(tiny_model_dir)
    model.eval()
    tok = AutoTokenizer.from_pretrained(tiny_model_dir)
    cfg = load_config(base_model=str(tiny_model_dir), output_dir=str(tmp_path / "saved"))
    _save(Accelerator(cpu=True), model, tok, tmp_path / "saved", cfg)
    texts = ["Hotel in Köln vom 3. bis 5. Mai, 2 EZ", "need a room in sydney next friday"]
    before = TokenTagger(model, tok).score(texts)
    after = TokenTagger.load(tmp_path / "saved").score(texts)
    for a, b in zip(before, after, strict=True):
        assert torch.equal(torch.from_numpy(a.word_probs), torch.from_numpy(b.word_probs))
        assert np.array_equal(a.intent_probs, b.intent_probs)


def test_model_folder_names_the_base_model_it_was_trained_from(tiny_model_dir, files, tmp_path,
                                                               monkeypatch):
    train_file, dev_file = files
    # base_model "" stands for the default base model: the folder must say which one that was
    monkeypatch.setattr("training.config.default_base_model", lambda: str(tiny_model_dir))
    cfg = load_config(train_files=[str(train_file)], dev_files=[str(dev_file)],
                      output_dir=str(tmp_path / "out"), max_length=64, stride=16, epochs=1,
                      batch_size=8, seed=2)
    assert cfg.base_model == ""
    result = train(cfg, calibrate=False)
    saved = json.loads((result.output_dir / "train_config.json").read_text())
    assert saved["base_model"] == str(Path(tiny_model_dir).resolve())
    assert load_config(result.output_dir / "train_config.json").base_model == saved["base_model"]
    assert f"`{saved['base_model']}`" in (result.output_dir / "README.md").read_text()
