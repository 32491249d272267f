"""Training and tuning read train and dev only: the test split is `stayform evaluate`'s alone
(tuning trains through `train`, so what holds for training holds for every trial)."""

import argparse
import json
from pathlib import Path

from annotations.generator import generate
from annotations.schema import read_jsonl, write_jsonl
from training.commands import run_evaluate
from training.config import load_config
from training.train import train


def _splits(d: Path) -> tuple[Path, Path]:
    emails = list(generate(16, seed=21))
    write_jsonl(d / "train.jsonl", emails[:12])
    write_jsonl(d / "dev.jsonl", emails[12:])
    return d / "train.jsonl", d / "dev.jsonl"


def test_training_reads_train_and_dev_only(tiny_model_dir, tmp_path, monkeypatch):
    train_file, dev_file = _splits(tmp_path)
    # a test split where `stayform evaluate` looks for it, unreadable: training must not care
    (tmp_path / "data/corpus").mkdir(parents=True)
    (tmp_path / "data/corpus/test.jsonl").write_text("not json\n")
    monkeypatch.chdir(tmp_path)
    read: list[Path] = []

    def recording_read(path):  # noqa: ANN001, ANN202
        read.append(Path(path).resolve())
        return read_jsonl(path)

    monkeypatch.setattr("training.data.read_jsonl", recording_read)
    cfg = load_config(base_model=str(tiny_model_dir), train_files=[str(train_file)],
                      dev_files=[str(dev_file)], output_dir=str(tmp_path / "out"),
                      max_length=64, stride=16, epochs=1, batch_size=8, seed=2)
    result = train(cfg)  # calibrated and measured, as `stayform train` does
    assert set(read) == {train_file.resolve(), dev_file.resolve()}
    metrics = json.loads((result.output_dir / "metrics.json").read_text())
    assert "dev" in metrics and "test" not in metrics
    assert "test /" not in (result.output_dir / "README.md").read_text()


def test_evaluate_scores_the_test_split_by_default(booking_model_dir, tmp_path, monkeypatch,
                                                   capsys):
    emails = list(generate(5, seed=8))
    (tmp_path / "data/corpus").mkdir(parents=True)
    write_jsonl(tmp_path / "data/corpus/test.jsonl", emails)
    monkeypatch.chdir(tmp_path)
    args = argparse.Namespace(data=None, model=str(booking_model_dir), json=True)
    assert run_evaluate(args) == 0
    reports = json.loads(capsys.readouterr().out)
    assert reports["all"]["emails"] == len(emails)
