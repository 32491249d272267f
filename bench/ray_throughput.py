"""Benchmark: `stayform batch` emails/s, the local engine against the Ray engine (issue 19).

Same machine, same input (the dev emails of the corpus as JSONL), same model and batch size;
the engines run interleaved --repeats times and each figure is the median. The local engine
runs with its default workers (one process per core); the Ray engine on a local Ray
(`ray.init` with the machine's cores) started before its clock starts, as a job runs on a
cluster that is already up: the actor pool's start and its model loading are inside the time,
as the local engine's worker start and model loading are. Each run is a process of its own.
Not a test: it prints figures for BENCHMARKS.md.

    python bench/ray_throughput.py [--model models/default] [--repeats 3] [--copies 1]
                                   [--json FILE]
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("RAY_USAGE_STATS_ENABLED", "0")
os.environ.setdefault("RAY_ENABLE_WINDOWS_OR_OSX_CLUSTER", "0")  # a loopback-only node

from annotations.schema import read_jsonl  # noqa: E402
from extractor.batch import default_workers, run_batch  # noqa: E402
from extractor.ray_engine import import_ray, run_ray_batch  # noqa: E402


def dev_rows(limit: int | None, copies: int) -> list[dict]:
    """The dev emails (`copies` times over, each copy under its own ids: a longer run that
    shares the engines' start-up costs among more messages)."""
    rows = [{"id": f"{e.id}/{k}" if k else e.id, "text": e.text,
             "received_at": e.received_at.isoformat() if e.received_at else None}
            for k in range(copies) for e in read_jsonl(ROOT / "data" / "corpus" / "dev.jsonl")]
    return rows[:limit] if limit else rows


def one_run(engine: str, inp: Path, out: Path, model: Path, batch_size: int) -> float:
    """Emails/s of one engine on `inp`, measured in this (fresh) process."""
    if engine == "local":
        t = time.perf_counter()
        summary = run_batch(inp, out, model_dir=model, workers=default_workers(),
                            batch_size=batch_size)
        return summary.messages / (time.perf_counter() - t)
    ray = import_ray()
    ray.init(num_cpus=os.cpu_count(), include_dashboard=False, log_to_driver=False)
    try:  # the cluster is up before the job starts; the actors' start is inside the time
        t = time.perf_counter()
        summary = run_ray_batch(inp, out, model_dir=model, batch_size=batch_size)
        return summary.messages / (time.perf_counter() - t)
    finally:
        ray.shutdown()


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--model", default=str(ROOT / "models" / "default"))
    ap.add_argument("--emails", type=int, default=None, help="at most this many dev emails")
    ap.add_argument("--copies", type=int, default=1, help="the dev emails this many times")
    ap.add_argument("--repeats", type=int, default=3)
    ap.add_argument("--batch-size", type=int, default=32)
    ap.add_argument("--json", help="also write the figures to this file")
    ap.add_argument("--one", nargs=3, metavar=("ENGINE", "IN", "OUT"), help=argparse.SUPPRESS)
    args = ap.parse_args()
    if args.one:  # a child: one run, its rate on stdout
        engine, inp, out = args.one
        print(one_run(engine, Path(inp), Path(out), Path(args.model), args.batch_size))
        return 0

    import torch

    rows = dev_rows(args.emails, args.copies)
    rates: dict[str, list[float]] = {"local": [], "ray": []}
    with tempfile.TemporaryDirectory() as tmp:
        inp = Path(tmp) / "dev.jsonl"
        inp.write_text("".join(json.dumps(r) + "\n" for r in rows), encoding="utf-8")
        # each run in a process of its own: the local engine forks its workers, which a
        # process holding Ray's threads must not do; interleaved, so drift hits both alike
        for k in range(args.repeats):
            for engine in ("local", "ray"):
                out = Path(tmp) / f"{engine}{k}.jsonl"
                done = subprocess.run(
                    [sys.executable, __file__, "--model", args.model, "--batch-size",
                     str(args.batch_size), "--one", engine, str(inp), str(out)],
                    check=True, capture_output=True, text=True)
                rates[engine].append(float(done.stdout.strip().splitlines()[-1]))
        same = all((Path(tmp) / f"local{k}.jsonl").read_bytes()
                   == (Path(tmp) / f"ray{k}.jsonl").read_bytes() for k in range(args.repeats))
    local, distributed = (statistics.median(rates[e]) for e in ("local", "ray"))
    figures = {
        "date": time.strftime("%Y-%m-%d"),
        "machine": f"{platform.machine()}, {os.cpu_count()} cores, "
                   f"{torch.cuda.get_device_name() if torch.cuda.is_available() else 'CPU'}",
        "emails": len(rows),
        "local_workers": default_workers(),
        "local_emails_per_s": round(local, 1),
        "ray_emails_per_s": round(distributed, 1),
        "ray_over_local": round(distributed / local, 3),
        "runs": {engine: [round(r, 1) for r in rs] for engine, rs in rates.items()},
        "identical_output": same,
        "ray_version": import_ray().__version__,
    }
    print(json.dumps(figures, indent=2))
    if args.json:
        Path(args.json).write_text(json.dumps(figures, indent=2), encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
