"""`stayform tune`: Optuna trials with Hyperband pruning report the best trial."""

import json
from pathlib import Path

from annotations.generator import generate
from annotations.schema import write_jsonl
from training.config import load_config
from training.tune import tune


def test_tune_runs_trials_and_reports_the_best(tiny_model_dir, tmp_path: Path):
    emails = list(generate(40, seed=9))
    write_jsonl(tmp_path / "train.jsonl", emails[:32])
    write_jsonl(tmp_path / "dev.jsonl", emails[32:])
    base = load_config(base_model=str(tiny_model_dir), train_files=[str(tmp_path / "train.jsonl")],
                       dev_files=[str(tmp_path / "dev.jsonl")], max_length=64, stride=16,
                       epochs=1, seed=4)
    best = tune(base, trials=3, output=tmp_path / "tune")
    assert set(best["params"]) == {"learning_rate", "epochs", "batch_size", "warmup_ratio",
                                   "dropout"}
    assert len(best["trials"]) == 3
    finished = [t for t in best["trials"] if t["value"] is not None]
    assert best["value"] == max(t["value"] for t in finished)
    saved = json.loads((tmp_path / "tune" / "best.json").read_text())
    assert saved["trial"] == best["trial"]
    assert (tmp_path / "tune" / f"trial-{best['trial']}" / "model.safetensors").is_file()
