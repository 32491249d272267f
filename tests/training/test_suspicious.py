"""`annotations suspicious` finds planted label errors: at least 8 of 10 in its top 30."""

import random

import pytest

from annotations.generator import generate
from annotations.schema import AnnotatedEmail, Span, write_jsonl
from extractor.form import FIELDS
from extractor.pipeline import Extractor
from training.config import load_config
from training.suspicious import rank_suspicious
from training.train import train

SWAPS = {"destination": "hotel_name", "check_in": "check_out", "check_out": "check_in",
         "nights": "rooms", "rooms": "guests", "guests": "nights", "max_price": "near",
         "breakfast": "room_type", "room_type": "breakfast", "hotel_name": "destination",
         "near": "traveler_names", "traveler_names": "near"}


def corrupt(email: AnnotatedEmail, rng: random.Random) -> AnnotatedEmail:
    """Relabel every span of one field as another field (a typical annotation slip)."""
    fields = sorted({s.label for s in email.spans})
    target = rng.choice(fields)
    spans = [Span(start=s.start, end=s.end, text=s.text,
                  label=SWAPS[s.label] if s.label == target else s.label) for s in email.spans]
    return email.model_copy(update={"spans": spans})


@pytest.mark.timeout(600)
def test_planted_label_errors_rank_high(tiny_model_dir, tmp_path):
    emails = [e for e in generate(420, seed=21) if e.form.intent == "new_booking"][:260]
    assert len(emails) >= 200
    rng = random.Random(4)
    planted_idx = set(rng.sample(range(len(emails)), 10))
    planted = {emails[i].id for i in planted_idx}
    data = [corrupt(e, rng) if i in planted_idx else e for i, e in enumerate(emails)]
    assert all(s.label in FIELDS for e in data for s in e.spans)
    write_jsonl(tmp_path / "train.jsonl", data)
    write_jsonl(tmp_path / "dev.jsonl", data[:20])
    cfg = load_config(base_model=str(tiny_model_dir), train_files=[str(tmp_path / "train.jsonl")],
                      dev_files=[str(tmp_path / "dev.jsonl")], output_dir=str(tmp_path / "m"),
                      max_length=128, stride=32, epochs=6, batch_size=16, learning_rate=3e-3,
                      warmup_ratio=0.0, dropout=0.0, early_stopping_patience=100, seed=1)
    train(cfg, calibrate=False)
    ranked = rank_suspicious(Extractor.load(tmp_path / "m"), data)
    top = {r.id for r in ranked[:30]}
    assert len(top & planted) >= 8, [(r.id in planted, round(r.score, 2)) for r in ranked[:40]]


def test_cross_fold_ranking_judges_every_email_with_a_model_that_never_saw_it(
        tiny_model_dir, tmp_path):
    from training.suspicious import cross_fold_suspects

    emails = list(generate(24, seed=5))
    cfg = load_config(base_model=str(tiny_model_dir), max_length=64, stride=16, epochs=1,
                      batch_size=8, seed=2)
    rows = cross_fold_suspects(emails, cfg, folds=3, workdir=tmp_path)
    assert sorted(r.id for r in rows) == sorted(e.id for e in emails)
    assert [r.score for r in rows] == sorted((r.score for r in rows), reverse=True)
    for k in range(3):  # each fold's model was trained without its held-out emails
        trained = (tmp_path / f"fold-{k}" / "train.jsonl").read_text()
        assert len(trained.splitlines()) == 16


def test_a_label_contradicting_its_own_form_is_flagged():
    from training.suspicious import _contradicting_spans

    email = next(e for e in generate(60, seed=3)
                 if any(s.label == "nights" for s in e.spans) and e.form.stays[0].rooms is None)
    relabelled = corrupt_label(email, "nights", "rooms")
    assert _contradicting_spans(email) == []
    assert _contradicting_spans(relabelled) == ["rooms"]


def corrupt_label(email: AnnotatedEmail, old: str, new: str) -> AnnotatedEmail:
    spans = [Span(start=s.start, end=s.end, text=s.text, label=new if s.label == old else s.label)
             for s in email.spans]
    return email.model_copy(update={"spans": spans})
