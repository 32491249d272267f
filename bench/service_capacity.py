"""Service capacity with and without batched inference (issue 19, point 2; not a test).

For each configuration (`STAYFORM_BATCH_MAX_ROWS=1`: one request per model call, as before
batching; and the default batching settings) it starts `stayform serve` (worker processes,
the model of --model, SQLite in a temporary folder) on a free loopback port and measures:

- open loop: short emails posted to `POST /v1/extract` at a fixed rate (Poisson arrivals,
  latency counted from the scheduled send, so a slow service cannot slow the load down) for
  each of --rates; the capacity is the highest rate whose median p99 over the rounds is at
  most 250 ms with no failed request;
- closed loop: --clients clients posting to `POST /v1/emails` (bench/load.py) for --seconds:
  p50, p99 and throughput (goal p99 <= 2x p50).

and, with no service running, the rate of `stayform batch` (default workers) on the same kind
of emails: the difference of two runs' wall times (N and 4N emails), so start-up cancels out.
All configurations' services run at once (an idle one costs memory only) and are measured
turn about, rate by rate, over --rounds rounds, medians printed: the machine is shared. Goal: capacity >= 0.9 x the batch rate.

    python bench/service_capacity.py [--model models/default] [--rounds 3] [--seconds 10]

Traffic goes to 127.0.0.1 only, and stops by itself.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import random
import secrets
import statistics
import subprocess
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path

import httpx
from load import (
    _email,
    _free_port,
    model_folder,
    percentiles,
    run_load,
    start_service,
    stop_service,
    wait_ready,
)

P99_GOAL_MS = 250.0
ONE_BY_ONE = {"STAYFORM_BATCH_MAX_ROWS": "1"}


async def open_loop(base: str, key: str, *, rate: float, seconds: float, seed: int
                    ) -> tuple[list[float], Counter[str]]:
    """Post short emails at `rate`/s (Poisson) for `seconds`; latencies from the schedule."""
    rng = random.Random(seed)
    latencies: list[float] = []
    outcomes: Counter[str] = Counter()
    limits = httpx.Limits(max_connections=1000, max_keepalive_connections=200)
    async with httpx.AsyncClient(base_url=base, headers={"X-API-Key": key}, limits=limits,
                                 timeout=60) as client:

        async def one(at: float, text: str) -> None:
            await asyncio.sleep(max(0.0, at - time.perf_counter()))
            try:
                r = await client.post("/v1/extract", json={"text": text})
                ok = r.status_code == 200 and not r.json().get("error")
                outcomes["200" if ok else f"{r.status_code}:{r.text[:40]}"] += 1
            except httpx.TransportError as e:
                outcomes[f"transport:{type(e).__name__}"] += 1
                return
            latencies.append(time.perf_counter() - at)

        start = time.perf_counter() + 0.2
        at, tasks = start, []
        while at < start + seconds:
            tasks.append(asyncio.create_task(one(at, _email(rng))))
            at += rng.expovariate(rate)
        await asyncio.gather(*tasks)
    return latencies, outcomes


def one_rate(base: str, key: str, rate: float, seconds: float, seed: int
             ) -> tuple[float, float, bool, Counter[str]]:
    """p50 and p99 (ms) of an open-loop run at `rate`, whether every request succeeded."""
    latencies, outcomes = asyncio.run(open_loop(base, key, rate=rate, seconds=seconds,
                                                seed=seed))
    p50, _, p99 = percentiles(latencies)
    return p50, p99, set(outcomes) == {"200"}, outcomes


def closed_loop(base: str, key: str, clients: int, seconds: float, seed: int
                ) -> tuple[float, float, float]:
    """p50 and p99 (ms) and requests/s of `clients` closed-loop clients on /v1/emails."""
    wall = time.perf_counter()
    latencies, _ = asyncio.run(run_load(base, key, clients=clients, seconds=seconds,
                                        seed=seed))
    wall = time.perf_counter() - wall
    p50, _, p99 = percentiles(latencies)
    return p50, p99, len(latencies) / wall


def batch_rate(model: Path, n: int) -> float:
    """Emails/s of `stayform batch` (default workers) on short emails: (4n - n) emails over
    the difference of the two runs' wall times."""
    rng = random.Random(7)
    times = []
    with tempfile.TemporaryDirectory(prefix="stayform-bench-") as tmp:
        for count in (n, 4 * n):
            src, out = Path(tmp) / f"in{count}.jsonl", Path(tmp) / f"out{count}.jsonl"
            src.write_text("".join(json.dumps({"id": f"b{count}-{i}", "text": _email(rng)})
                                   + "\n" for i in range(count)), encoding="utf-8")
            started = time.perf_counter()
            subprocess.run([sys.executable, "-m", "stayform.cli", "batch", str(src), "--out",
                            str(out)], check=True, capture_output=True,
                           env={**os.environ, "STAYFORM_MODEL_DIR": str(model)})
            times.append(time.perf_counter() - started)
    return 3 * n / (times[1] - times[0])


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--model", default=os.environ.get("STAYFORM_MODEL_DIR", "models/default"))
    p.add_argument("--rounds", type=int, default=3)
    p.add_argument("--seconds", type=float, default=8.0, help="per open-loop rate and closed run")
    p.add_argument("--rates", default="10,15,20,25,30,35,40,45,50",
                   help="open-loop rates to try (/s), rising")
    p.add_argument("--clients", type=int, default=50)
    p.add_argument("--batch-emails", type=int, default=300)
    p.add_argument("--rows", default="", help="batched configurations to compare, as "
                   "STAYFORM_BATCH_MAX_ROWS values (e.g. 4,8); default: the settings' default")
    args = p.parse_args(argv)
    model = model_folder(args.model)
    if model is None:
        return 1
    configs = {"one by one": ONE_BY_ONE}
    if args.rows:
        configs |= {f"rows {n}": {"STAYFORM_BATCH_MAX_ROWS": n} for n in args.rows.split(",")}
    else:
        configs["batched"] = {}
    med = statistics.median
    admin_key = "sfk_" + secrets.token_urlsafe(32)
    with tempfile.TemporaryDirectory(prefix="stayform-bench-") as tmp:
        # every configuration's service is up at once (idle ones cost memory only), so that
        # each measurement of one is next in time to the others': the machine is shared
        services: dict[str, tuple[str, subprocess.Popen]] = {}
        try:
            for name, env in configs.items():
                port = _free_port()
                folder = Path(tmp) / name.replace(" ", "-")
                folder.mkdir()
                services[name] = (f"http://127.0.0.1:{port}",
                                  start_service(model, folder, port, admin_key, env=env))
            for base, process in services.values():
                wait_ready(base, process)
                asyncio.run(open_loop(base, admin_key, rate=10, seconds=5, seed=99))  # warm
            p99s: dict[str, dict[float, list[float]]] = {n: {} for n in configs}
            closed: dict[str, list[tuple[float, float, float]]] = {n: [] for n in configs}
            batch: list[float] = []
            for r in range(args.rounds):
                order = list(configs) if r % 2 == 0 else list(reversed(configs))
                for rate in (float(x) for x in args.rates.split(",")):
                    for name in order:
                        if any(med(v) > 4 * P99_GOAL_MS for v in p99s[name].values()
                               if len(v) == r + 1):
                            continue  # far past its capacity already this round
                        p50, p99, ok, outcomes = one_rate(services[name][0], admin_key, rate,
                                                          args.seconds, seed=r)
                        p99s[name].setdefault(rate, []).append(p99 if ok else float("inf"))
                        print(f"round {r + 1} {name:<10} {rate:5.1f}/s  p50 {p50:6.0f} ms  "
                              f"p99 {p99:6.0f} ms  {dict(outcomes)}", flush=True)
                for name in order:
                    closed[name].append(closed_loop(services[name][0], admin_key, args.clients,
                                                    args.seconds, seed=r))
                    print(f"round {r + 1} {name:<10} closed loop {args.clients} clients: "
                          "p50 {:.0f} ms  p99 {:.0f} ms  {:.1f}/s".format(*closed[name][-1]),
                          flush=True)
                batch.append(batch_rate(model, args.batch_emails))
                print(f"round {r + 1} stayform batch: {batch[-1]:.1f} emails/s", flush=True)
        finally:
            for _, process in services.values():
                stop_service(process)
    rate = med(batch)
    print(f"\nmodel {model}, {args.rounds} rounds, medians")
    print(f"stayform batch (default workers)   {rate:.1f} emails/s  (runs {batch})")
    for name in configs:
        held = [r for r, v in sorted(p99s[name].items()) if len(v) == args.rounds
                and med(v) <= P99_GOAL_MS]
        cap = max(held, default=0.0)
        p50, p99, per_s = (med(x[i] for x in closed[name]) for i in range(3))
        ladder = "  ".join(f"{r:g}:{med(v):.0f}" for r, v in sorted(p99s[name].items()))
        print(f"{name:<10} open-loop capacity {cap:g}/s ({cap / rate:.2f} of batch); "
              f"closed loop p50 {p50:.0f} ms p99 {p99:.0f} ms ({p99 / p50:.2f}x) {per_s:.1f}/s")
        print(f"{'':<10} median p99 ms by rate  {ladder}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
