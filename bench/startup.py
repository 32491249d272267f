"""Benchmark: time to the first result of `stayform extract mail.eml` (issue 19, goal <= 2 s).

Each figure is the wall time of a fresh `python -m stayform.cli extract FILE` process, from
start to exit (the result JSON printed), the median of --runs runs after one warm-up run (warm
disk: the model's files and the libraries are in the page cache). One figure per runtime
(`STAYFORM_RUNTIME`); `--before DIR` also runs another copy of the code (e.g. an older commit
unpacked with `git archive`) with the same Python and the same model, under PyTorch. The runs
of all figures are interleaved, so that load from other work on a shared machine hits each
alike. Not a test: it prints figures for BENCHMARKS.md.

    python bench/startup.py --model DIR [--runtime torch onnx-int8] [--runs 5]
                            [--before DIR] [--email FILE]
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def first_result_seconds(checkout: Path, email: Path, env: dict[str, str]) -> float:
    """Seconds from starting `stayform extract EMAIL` in `checkout` to its exit."""
    t = time.perf_counter()
    done = subprocess.run([sys.executable, "-m", "stayform.cli", "extract", str(email)],
                          cwd=checkout, env=env, capture_output=True, text=True, timeout=300)
    seconds = time.perf_counter() - t
    if done.returncode != 0 or not json.loads(done.stdout).get("stays"):
        raise SystemExit(f"extract failed ({done.returncode}): {done.stderr[-2000:]}")
    return seconds


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--model", default=str(ROOT / "models" / "default"))
    ap.add_argument("--email", default=str(ROOT / "data" / "samples" / "eml" / "01-en-plain.eml"))
    ap.add_argument("--runtime", nargs="+", default=["torch", "onnx-int8"])
    ap.add_argument("--runs", type=int, default=5)
    ap.add_argument("--before", help="another copy of the code to time too (PyTorch)")
    ap.add_argument("--json", help="also write the figures to this file")
    args = ap.parse_args()

    email = Path(args.email).resolve()
    configs = {f"after/{runtime}": (ROOT, runtime) for runtime in args.runtime}
    if args.before:
        configs = {"before/torch": (Path(args.before).resolve(), "torch"), **configs}
    envs = {label: {**os.environ, "STAYFORM_MODEL_DIR": str(Path(args.model).resolve()),
                    "STAYFORM_RUNTIME": runtime, "HF_HUB_OFFLINE": "1",
                    "TRANSFORMERS_OFFLINE": "1", "TOKENIZERS_PARALLELISM": "false",
                    "PYTHONPATH": str(checkout)}
            for label, (checkout, runtime) in configs.items()}
    for label, (checkout, _) in configs.items():  # warm-up: the page cache
        first_result_seconds(checkout, email, envs[label])
    runs: dict[str, list[float]] = {label: [] for label in configs}
    for _ in range(args.runs):
        for label, (checkout, _) in configs.items():
            runs[label].append(first_result_seconds(checkout, email, envs[label]))
    figures = {
        "date": time.strftime("%Y-%m-%d"),
        "machine": f"{platform.machine()} {os.cpu_count()} cores",
        "email": email.name, "runs": args.runs,
        "seconds": {label: {"median": round(statistics.median(r), 2),
                            "runs": [round(x, 2) for x in r]} for label, r in runs.items()},
    }
    print(json.dumps(figures, indent=2))
    if args.json:
        Path(args.json).write_text(json.dumps(figures, indent=2), encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
