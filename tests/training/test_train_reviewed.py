"""Corrections train (issue 18): reviewed emails (the review queue's annotation export) join
the training emails only, repeated `reviewed_repeat` times, never dev; `stayform train
--include-reviewed` refuses an export that does not validate."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

import training.train as train_module
from annotations.schema import AnnotatedEmail, write_jsonl
from stayform.cli import main
from tests.training.test_train import handful
from training.config import load_config


def _as_reviewed(email: AnnotatedEmail, ident: str) -> AnnotatedEmail:
    return email.model_copy(update={"id": ident, "origin": "review",
                                    "meta": {"item_id": ident, "evidence": "reviewer"}})


def test_reviewed_emails_are_trained_on_repeated_and_never_in_dev(
        tiny_model_dir: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    emails = handful(12)
    train_file, dev_file, reviewed_file = (tmp_path / n for n in ("t.jsonl", "d.jsonl", "r.jsonl"))
    write_jsonl(train_file, emails[:6])
    write_jsonl(dev_file, emails[6:9])
    write_jsonl(reviewed_file, [
        _as_reviewed(emails[9], "review-a"), _as_reviewed(emails[10], "review-b"),
        _as_reviewed(emails[10], "review-b"),  # exported twice: trained as one email
        _as_reviewed(emails[6], "review-dev")])  # the text of a dev email: left out
    seen: list[list[AnnotatedEmail]] = []
    real = train_module.build_dataset

    def spy(batch, *args, **kwargs):  # type: ignore[no-untyped-def]
        seen.append(list(batch))
        return real(batch, *args, **kwargs)

    monkeypatch.setattr(train_module, "build_dataset", spy)
    cfg = load_config(base_model=str(tiny_model_dir), train_files=[str(train_file)],
                      dev_files=[str(dev_file)], reviewed_files=[str(reviewed_file)],
                      reviewed_repeat=3, output_dir=str(tmp_path / "out"), max_length=64,
                      stride=16, epochs=1, batch_size=8, seed=3)
    result = train_module.train(cfg, calibrate=False)
    (trained,) = seen
    ids = [e.id for e in trained]
    assert ids.count("review-a") == 3 and ids.count("review-b") == 3
    assert "review-dev" not in ids
    # the hand-written ones keep their own repeat (3), the reviewed come on top
    assert len(ids) == 6 * cfg.handwritten_repeat + 2 * 3
    training = result.metrics["training"]
    assert training["reviewed_emails"] == 2 and training["reviewed_repeat"] == 3
    assert training["train_emails"] == len(ids)
    saved = json.loads((tmp_path / "out" / "train_config.json").read_text())
    assert saved["reviewed_files"] == [str(reviewed_file)]


def test_without_reviewed_files_nothing_is_added(tiny_model_dir: Path) -> None:
    cfg = load_config(base_model=str(tiny_model_dir))
    assert cfg.reviewed_files == [] and cfg.reviewed_repeat == 2
    assert train_module.reviewed_emails(cfg, []) == []


def test_the_command_refuses_a_reviewed_file_that_does_not_validate(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    emails = handful(3)
    write_jsonl(tmp_path / "t.jsonl", emails[:2])
    write_jsonl(tmp_path / "d.jsonl", emails[2:])
    # a value without a span (E106): what the export leaves out, written by hand
    bad = AnnotatedEmail(id="review-x", text="Hotel in Munich please", origin="review",
                         form={"intent": "new_booking", "stays": [{"destination": "Munich"}]})
    write_jsonl(tmp_path / "r.jsonl", [bad])
    config = tmp_path / "c.json"
    config.write_text(json.dumps({"train_files": [str(tmp_path / "t.jsonl")],
                                  "dev_files": [str(tmp_path / "d.jsonl")],
                                  "output_dir": str(tmp_path / "out")}))
    code = main(["train", "--config", str(config), "--include-reviewed", str(tmp_path / "r.jsonl")])
    err = capsys.readouterr().err
    assert code == 1 and "E106" in err and "review-x" in err
    assert len(err.strip().splitlines()) == 1
    assert not (tmp_path / "out").exists()
