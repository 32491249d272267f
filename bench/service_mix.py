"""Service benchmark of issue 14 (not a test): do two clients posting 1 MB texts slow down
fifty clients posting short emails?

Starts `stayform serve` (worker processes, the model of --model) on a free loopback port in a
child process, then runs the short clients twice against `POST /v1/extract`: alone, and while
2 clients keep posting texts of about a megabyte. Prints each run's latency percentiles of the
short requests, the outcomes of the large ones (an `error` result X002 is an extraction the
service abandoned at its time budget) and the ratio of the short p99s. The goal: the p99 with
the large texts stays within 2x of the p99 without them. Exits 1 on a 5xx other than the
service's "busy, retry" (503 B001), or when the goal is missed.

    python bench/service_mix.py [--model models/default] [--clients 50] [--large 2]
                                [--seconds 30] [--timeout 30]

Traffic goes to 127.0.0.1 only, and stops by itself (time limit).
"""

from __future__ import annotations

import argparse
import asyncio
import os
import random
import secrets
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
    start_service,
    stop_service,
    wait_ready,
)

LARGE_CHARS = 990_000  # the API accepts texts of up to 1,000,000 characters


def _large_text(rng: random.Random) -> str:
    """About a megabyte of plausible email text: many requests quoted one after another."""
    parts: list[str] = []
    size = 0
    while size < LARGE_CHARS:
        part = "> " + _email(rng).replace("\n", "\n> ") + "\n\n"
        parts.append(part)
        size += len(part)
    return "".join(parts)[:LARGE_CHARS]


async def _clients(base: str, key: str, *, short: int, large: int, seconds: float,
                   seed: int) -> tuple[list[float], Counter[str], Counter[str]]:
    """Short and large clients posting for `seconds`; short latencies, short and large
    outcomes."""
    latencies: list[float] = []
    short_out: Counter[str] = Counter()
    large_out: Counter[str] = Counter()
    deadline = time.monotonic() + seconds
    limits = httpx.Limits(max_connections=short + large, max_keepalive_connections=short + large)
    async with httpx.AsyncClient(base_url=base, headers={"X-API-Key": key}, limits=limits,
                                 timeout=120) as client:

        async def post(text: str, outcomes: Counter[str]) -> float | None:
            start = time.perf_counter()
            try:
                r = await client.post("/v1/extract", json={"text": text})
            except httpx.TransportError as e:
                outcomes[f"transport:{type(e).__name__}"] += 1
                return None
            code = str(r.status_code)
            if r.status_code == 200 and r.json().get("error"):
                code += ":" + r.json()["error"]["code"]
            elif r.status_code == 503:
                code += ":" + str(r.json().get("code"))
            outcomes[code] += 1
            return time.perf_counter() - start

        async def short_client(n: int) -> None:
            rng = random.Random(seed * 1000 + n)
            while time.monotonic() < deadline:
                took = await post(_email(rng), short_out)
                if took is not None:
                    latencies.append(took)

        async def large_client(n: int) -> None:
            rng = random.Random(seed * 1000 + 500 + n)
            text = _large_text(rng)
            while time.monotonic() < deadline:
                await post(text, large_out)

        await asyncio.gather(*(short_client(n) for n in range(short)),
                             *(large_client(n) for n in range(large)))
    return latencies, short_out, large_out


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--model", default=os.environ.get("STAYFORM_MODEL_DIR", "models/default"))
    p.add_argument("--clients", type=int, default=50)
    p.add_argument("--large", type=int, default=2)
    p.add_argument("--seconds", type=float, default=30.0)
    p.add_argument("--timeout", type=float, default=30.0,
                   help="the service's extraction time budget (STAYFORM_EXTRACT_TIMEOUT_S)")
    args = p.parse_args(argv)
    model = model_folder(args.model)
    if model is None:
        return 1
    os.environ["STAYFORM_EXTRACT_TIMEOUT_S"] = str(args.timeout)
    admin_key = "sfk_" + secrets.token_urlsafe(32)
    runs: dict[str, tuple[list[float], Counter[str], Counter[str]]] = {}
    with tempfile.TemporaryDirectory(prefix="stayform-bench-") as tmp:
        port = _free_port()
        base = f"http://127.0.0.1:{port}"
        service = start_service(model, Path(tmp), port, admin_key)
        try:
            wait_ready(base, service)
            for name, large in (("short only", 0), (f"with {args.large} x 1 MB", args.large)):
                runs[name] = asyncio.run(_clients(base, admin_key, short=args.clients,
                                                  large=large, seconds=args.seconds, seed=1))
        finally:
            stop_service(service)
    print(f"model           {model}")
    print(f"clients         {args.clients} short, {args.large} large (~{LARGE_CHARS} "
          f"characters), {args.seconds:.0f} s per run, budget {args.timeout:g} s")
    failed = False
    p99s = []
    for name, (latencies, short_out, large_out) in runs.items():
        p50, p90, p99 = percentiles(latencies)
        p99s.append(p99)
        print(f"{name:<16}short p50 {p50:.0f} ms  p90 {p90:.0f} ms  p99 {p99:.0f} ms  "
              f"({len(latencies)} requests, {dict(sorted(short_out.items()))})")
        if large_out:
            print(f"{'':<16}large {dict(sorted(large_out.items()))}")
        failed |= any(code.startswith("5") and code != "503:B001" or code.startswith("transport")
                      for code in (*short_out, *large_out))
    ratio = p99s[1] / p99s[0] if p99s[0] else float("inf")
    goal = ratio <= 2.0
    print(f"p99 ratio       {ratio:.2f} (goal <= 2.0: {'met' if goal else 'MISSED'})")
    return 0 if goal and not failed else 1


if __name__ == "__main__":
    sys.exit(main())
