"""Benchmark: end-to-end `stayform batch` emails/s against the model-only forward-pass rate.

Both are measured in one run, on the same texts (500+ emails of the corpus) with the same
model and batch size, so the ratio is what the pipeline around the model costs. Each figure is
the median of --repeats runs. Not a test: it prints figures for BENCHMARKS.md.

    python bench/throughput.py [--model models/default] [--emails 600] [--repeats 3]
                               [--workers 1 2] [--cli]

End to end is measured once per `--workers` value (`stayform batch --workers N`), each against
the same model-only median; with `--start-methods default spawn` once per way the worker
processes start as well (`default`: as `stayform batch` starts them, forked from a server
that imported the extractor, `extractor.batch.worker_context`; `spawn`: each a fresh
interpreter), interleaved in each repeat.

A whole run includes starting the workers (importing torch and loading the model: seconds on
a CPU), which a run of a few thousand emails feels and an inbox export of a hundred thousand
does not. So each end-to-end figure is also given in steady state: every repeat runs a quarter
of the emails too, and the rate of the difference, (N - N/4) / (t(N) - t(N/4)), cancels the
start-up, which is reported as t(N) - N / that rate. Runs of one bench share the process and
so the server the workers fork from, which only the first run starts; `--cli` also times the
command itself (`stayform batch --workers N` in a new process, from its start to its exit),
the whole run a user waits for.
"""

from __future__ import annotations

import argparse
import json
import platform
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import torch

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import multiprocessing as mp  # noqa: E402

import extractor.batch  # noqa: E402
from annotations.schema import read_jsonl  # noqa: E402
from extractor.batch import run_batch  # noqa: E402
from extractor.model import TokenTagger  # noqa: E402


def corpus_texts(n: int) -> list[dict]:
    rows: list[dict] = []
    for split in ("test", "dev", "train"):
        path = ROOT / "data" / "corpus" / f"{split}.jsonl"
        if not path.is_file():
            continue
        for e in read_jsonl(path):
            rows.append({"id": e.id, "text": e.text,
                         "received_at": e.received_at.isoformat() if e.received_at else None})
            if len(rows) >= n:
                return rows
    return rows


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--model", default=str(ROOT / "models" / "default"))
    ap.add_argument("--emails", type=int, default=600)
    ap.add_argument("--repeats", type=int, default=3)
    ap.add_argument("--batch-size", type=int, default=32)
    ap.add_argument("--workers", type=int, nargs="+", default=[1],
                    help="stayform batch --workers values to measure end to end")
    ap.add_argument("--start-methods", nargs="+", default=["default"],
                    choices=["default", "spawn"],
                    help="how worker processes start (default: as stayform batch does)")
    ap.add_argument("--cli", action="store_true",
                    help="also time `stayform batch` as a command, start-up included")
    ap.add_argument("--json", help="also write the figures to this file")
    args = ap.parse_args()

    rows = corpus_texts(args.emails)
    texts = [r["text"] for r in rows]
    tagger = TokenTagger.load(args.model)
    tagger.score(texts[:16])  # warm-up
    model_rates: list[float] = []
    runs = [(w, m) for w in args.workers for m in args.start_methods]
    e2e_rates: dict[tuple[int, str], list[float]] = {r: [] for r in runs}
    steady_rates: dict[tuple[int, str], list[float]] = {r: [] for r in runs}
    startups: dict[tuple[int, str], list[float]] = {r: [] for r in runs}
    cli_rates: dict[int, list[float]] = {w: [] for w in args.workers} if args.cli else {}
    default_context = extractor.batch.worker_context
    with tempfile.TemporaryDirectory() as tmp:
        inp = Path(tmp) / "in.jsonl"
        inp.write_text("".join(json.dumps(r) + "\n" for r in rows), encoding="utf-8")
        quarter = Path(tmp) / "quarter.jsonl"
        quarter.write_text("".join(json.dumps(r) + "\n" for r in rows[: len(rows) // 4]),
                           encoding="utf-8")
        for k in range(args.repeats):  # interleaved, so that drift hits every figure alike
            t = time.perf_counter()
            tagger.logits(texts, batch_size=args.batch_size)
            model_rates.append(len(texts) / (time.perf_counter() - t))
            for w, method in runs:
                extractor.batch.worker_context = (  # type: ignore[assignment]
                    default_context if method == "default"
                    else (lambda *_: mp.get_context("spawn")))
                seconds = {}
                for name, path in (("all", inp), ("quarter", quarter)):
                    t = time.perf_counter()
                    summary = run_batch(path, Path(tmp) / f"out{k}-{w}-{method}-{name}.jsonl",
                                        model_dir=Path(args.model), workers=w,
                                        batch_size=args.batch_size)
                    seconds[name] = (summary.messages, time.perf_counter() - t)
                (n, t_all), (q, t_q) = seconds["all"], seconds["quarter"]
                e2e_rates[(w, method)].append(n / t_all)
                steady = (n - q) / max(1e-9, t_all - t_q)
                steady_rates[(w, method)].append(steady)
                startups[(w, method)].append(t_all - n / steady)
            for w in cli_rates:
                t = time.perf_counter()
                subprocess.run([sys.executable, "-m", "stayform.cli", "batch", str(inp), "--out",
                                str(Path(tmp) / f"cli{k}-{w}.jsonl"), "--workers", str(w),
                                "--model", args.model, "--batch-size", str(args.batch_size),
                                "--no-progress"], check=True, stdout=subprocess.DEVNULL)
                cli_rates[w].append(len(rows) / (time.perf_counter() - t))
    model_rate = statistics.median(model_rates)
    figures = {
        "date": time.strftime("%Y-%m-%d"),
        "machine": f"{platform.machine()} {torch.get_num_threads()} threads, "
                   f"{torch.cuda.get_device_name() if torch.cuda.is_available() else 'CPU'}",
        "emails": len(texts),
        "model_only_emails_per_s": round(model_rate, 1),
        "end_to_end": [{"workers": w, "start": m, "emails_per_s": round(statistics.median(r), 1),
                        "ratio": round(statistics.median(r) / model_rate, 3),
                        "steady_emails_per_s": round(statistics.median(steady_rates[(w, m)]), 1),
                        "steady_ratio": round(statistics.median(steady_rates[(w, m)])
                                              / model_rate, 3),
                        "start_up_s": round(statistics.median(startups[(w, m)]), 2)}
                       for (w, m), r in e2e_rates.items()],
        "command": [{"workers": w, "emails_per_s": round(statistics.median(r), 1),
                     "ratio": round(statistics.median(r) / model_rate, 3)}
                    for w, r in cli_rates.items()],
        "runs": args.repeats,
    }
    print(json.dumps(figures, indent=2))
    if args.json:
        Path(args.json).write_text(json.dumps(figures, indent=2), encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
