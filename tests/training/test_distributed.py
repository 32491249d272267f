"""Training under `accelerate launch` with two CPU processes: every process scores its share of
dev, the shares are gathered, and when early stopping triggers every process stops together
(were only the main process to stop, the other would wait forever in a gradient all-reduce)."""

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from annotations.markup import parse_markup
from annotations.schema import AnnotatedEmail, write_jsonl

ROOT = Path(__file__).resolve().parents[2]
TIMEOUT_S = 240  # a hang fails the test instead of holding up the suite

# what each process runs: train, then write down what it saw. The alarm ends a hung process
# (the launcher starts each in a session of its own, out of reach of the test's signals)
SCRIPT = f"""
import json, signal, sys
from pathlib import Path

signal.alarm({TIMEOUT_S})
from accelerate import PartialState
from training.config import load_config
from training.train import train

seen = []
result = train(load_config(sys.argv[1]), calibrate=False,
               on_step=lambda step, scores: seen.append([step.step, scores]))
rank = PartialState().process_index
Path(sys.argv[2], f"rank{{rank}}.json").write_text(
    json.dumps({{"steps": result.steps, "seen": seen}}))
"""


def _emails(indices: list[int]) -> list[AnnotatedEmail]:
    lines = (ROOT / "data/handwritten/source/en.jsonl").read_text(encoding="utf-8").splitlines()
    out = []
    for i in indices:
        d = json.loads(lines[i])
        text, spans = parse_markup(d["markup"])
        out.append(AnnotatedEmail(id=d["id"], text=text, received_at=d["received_at"],
                                  language=d["language"], origin="handwritten", spans=spans,
                                  form=d["form"]))
    return out


def test_two_processes_score_all_of_dev_and_stop_early_together(booking_model_dir, tmp_path):
    train_emails = _emails([0, 1, 3, 4, 5, 8, 9, 11])
    # three dev emails for two processes: the second one's shard is padded with a repeat of
    # the first email, which gathering must drop
    dev_emails = _emails([2, 3, 6])
    assert [e.form.intent for e in dev_emails] == ["not_hotel", "new_booking", "modification"]
    write_jsonl(tmp_path / "train.jsonl", train_emails)
    write_jsonl(tmp_path / "dev.jsonl", dev_emails)
    # the booking model reads every email as a new booking, and a learning rate far below
    # float32 precision leaves it so: dev never improves, and patience 1 stops at step 2
    config = {"base_model": str(booking_model_dir), "train_files": [str(tmp_path / "train.jsonl")],
              "dev_files": [str(tmp_path / "dev.jsonl")], "output_dir": str(tmp_path / "out"),
              "max_length": 64, "stride": 16, "batch_size": 2, "epochs": 1,
              "learning_rate": 1e-12, "warmup_ratio": 0.0, "dropout": 0.0,
              "handwritten_repeat": 1, "eval_every_steps": 1, "early_stopping_patience": 1,
              "mixed_precision": "no", "num_threads": 1}
    (tmp_path / "config.json").write_text(json.dumps(config))
    (tmp_path / "run.py").write_text(SCRIPT)
    # `accelerate launch --cpu` starts one process whatever --num_processes says; torchrun's
    # launcher (--multi_gpu) starts two, and ACCELERATE_USE_CPU makes them CPU (gloo) processes
    env = {**os.environ, "ACCELERATE_USE_CPU": "true", "OMP_NUM_THREADS": "1",
           "HF_HUB_OFFLINE": "1", "TRANSFORMERS_OFFLINE": "1", "HF_DATASETS_OFFLINE": "1",
           "TOKENIZERS_PARALLELISM": "false"}
    command = [sys.executable, "-m", "accelerate.commands.launch", "--multi_gpu",
               "--num_processes", "2", "--num_machines", "1", "--mixed_precision", "no",
               "--dynamo_backend", "no", "--main_process_port", "0",  # 0: any free port
               str(tmp_path / "run.py"), str(tmp_path / "config.json"), str(tmp_path)]
    try:
        run = subprocess.run(command, cwd=tmp_path, env=env, stdout=subprocess.PIPE,
                             stderr=subprocess.STDOUT, text=True, timeout=TIMEOUT_S + 60)
    except subprocess.TimeoutExpired:
        pytest.fail(f"distributed training still running after {TIMEOUT_S + 60} s: a hang")
    # a process that hung dies of its alarm (SIGALRM) after TIMEOUT_S, failing the run
    assert run.returncode == 0, run.stdout[-3000:]

    ranks = [json.loads((tmp_path / f"rank{r}.json").read_text()) for r in (0, 1)]
    assert [r["steps"] for r in ranks] == [2, 2]  # both stopped at the same step
    assert ranks[0]["seen"] == ranks[1]["seen"]  # and saw the same dev scores
    [[step1, first], [step2, second]] = ranks[0]["seen"]
    assert (step1, step2) == (1, 2) and first == second
    # one new booking among three: all of dev counted, each email once
    assert first["intent_accuracy"] == 1 / 3
    assert (tmp_path / "out" / "model.safetensors").is_file()
