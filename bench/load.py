"""Load benchmark of the review service (not a test).

Starts `stayform serve` on a free loopback port in a child process (its own SQLite file in a
temporary folder, the model of --model), then N concurrent clients (httpx, asyncio) post
distinct emails to `POST /v1/emails` for a fixed time. Prints whether any request got a 5xx
or failed at the transport level, latency percentiles and throughput; exits 1 on any 5xx.

    python bench/load.py [--model models/default] [--clients 50] [--seconds 30]

Traffic goes to 127.0.0.1 only, and stops by itself (time limit and a request cap).
"""

from __future__ import annotations

import argparse
import asyncio
import os
import random
import secrets
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path

import httpx

CITIES = ("Munich", "Berlin", "Hamburg", "Vienna", "Zurich", "Cologne", "Frankfurt", "Paris")
TEMPLATES = (
    "Hello,\n\nplease book {rooms} single room(s) in {city} from {d1} to {d2} May for "
    "{guests} guests, near the trade fair, max {price} EUR per night with breakfast.\n\n"
    "Best regards,\n{name}",
    "Hallo,\n\nbitte buchen Sie {rooms} Doppelzimmer in {city} vom {d1}. bis {d2}. Juni "
    "für {guests} Personen, ohne Frühstück.\n\nViele Grüße\n{name}",
    "Hi team, {name} needs a hotel in {city}, arriving {d1} July, {nights} nights. Thanks!",
)
NAMES = ("Anna Schmidt", "Tom Berg", "Lena Wolf", "Jonas Weber", "Mia Keller")
MAX_REQUESTS = 1_000_000  # a hard cap besides the time limit


def percentiles(latencies: list[float]) -> tuple[float, float, float]:
    """p50, p90 and p99 of latencies in seconds, in milliseconds (one sample: itself)."""
    ms = sorted(x * 1000 for x in latencies)
    if len(ms) < 2:
        return (ms[0], ms[0], ms[0]) if ms else (0.0, 0.0, 0.0)
    q = statistics.quantiles(ms, n=100)
    return q[49], q[89], q[98]


def model_folder(path: str) -> Path | None:
    """The model folder `path` resolved, or None (said on stderr) when there is none."""
    model = Path(path).resolve()
    if not model.is_dir():
        print(f"bench: no model at {model}; train one (make model) or pass --model DIR",
              file=sys.stderr)
        return None
    return model


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _email(rng: random.Random) -> str:
    d1 = rng.randint(1, 25)
    return rng.choice(TEMPLATES).format(
        rooms=rng.randint(1, 3), city=rng.choice(CITIES), d1=d1, d2=d1 + rng.randint(1, 3),
        guests=rng.randint(1, 4), price=rng.choice((120, 150, 200)), name=rng.choice(NAMES),
        nights=rng.randint(1, 5))


def start_service(model: Path, folder: Path, port: int, admin_key: str, *,
                  database_url: str | None = None, env: dict[str, str] | None = None
                  ) -> subprocess.Popen:
    """`stayform serve` in a child process, logs to folder/service.log; the database is
    `database_url`, else a SQLite file in `folder`; `env`: more settings (STAYFORM_...)."""
    env = {**os.environ, "STAYFORM_MODEL_DIR": str(model), "STAYFORM_ADMIN_KEY": admin_key,
           "STAYFORM_DATABASE_URL": database_url or f"sqlite:///{folder}/bench.db",
           **(env or {})}
    log = open(folder / "service.log", "wb")  # noqa: SIM115 - closed with the process
    return subprocess.Popen([sys.executable, "-m", "stayform.cli", "serve", "--host",
                             "127.0.0.1", "--port", str(port)], env=env, stdout=log, stderr=log)


def wait_ready(base: str, process: subprocess.Popen, timeout: float = 180) -> None:
    """Wait for /readyz 200; raises SystemExit with the reason when the service is not ready."""
    deadline = time.monotonic() + timeout
    last = "no answer"
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise SystemExit(f"the service exited with status {process.returncode}")
        try:
            r = httpx.get(f"{base}/readyz", timeout=2)
            if r.status_code == 200:
                return
            last = r.text
            if r.status_code == 503 and '"database":true' in r.text.replace(" ", ""):
                raise SystemExit(f"the service has no model: {last}")
        except httpx.TransportError:
            pass
        time.sleep(0.5)
    raise SystemExit(f"the service did not become ready: {last}")


async def run_load(base: str, key: str, *, clients: int, seconds: float, seed: int = 0
                   ) -> tuple[list[float], Counter[str]]:
    """Post emails from `clients` concurrent clients for `seconds`; latencies and outcomes."""
    latencies: list[float] = []
    outcomes: Counter[str] = Counter()
    deadline = time.monotonic() + seconds
    limits = httpx.Limits(max_connections=clients, max_keepalive_connections=clients)
    async with httpx.AsyncClient(base_url=base, headers={"X-API-Key": key}, limits=limits,
                                 timeout=60) as client:

        async def one_client(n: int) -> None:
            rng = random.Random(seed * 1000 + n)
            i = 0
            while time.monotonic() < deadline and len(latencies) < MAX_REQUESTS:
                # an id per run: a repeated id is answered from the queue, not extracted again
                body = {"text": _email(rng), "id": f"bench-{seed}-{n}-{i}"}
                i += 1
                start = time.perf_counter()
                try:
                    r = await client.post("/v1/emails", json=body)
                    outcomes[str(r.status_code)] += 1
                except httpx.TransportError as e:
                    outcomes[f"transport:{type(e).__name__}"] += 1
                    continue
                latencies.append(time.perf_counter() - start)

        await asyncio.gather(*(one_client(n) for n in range(clients)))
    return latencies, outcomes


def stop_service(service: subprocess.Popen) -> None:
    """Stop the child service: politely first, then for good."""
    service.terminate()
    try:
        service.wait(timeout=20)
    except subprocess.TimeoutExpired:
        service.kill()


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--model", default=os.environ.get("STAYFORM_MODEL_DIR", "models/default"))
    p.add_argument("--clients", type=int, default=50)
    p.add_argument("--seconds", type=float, default=30.0)
    args = p.parse_args(argv)
    model = model_folder(args.model)
    if model is None:
        return 1
    admin_key = "sfk_" + secrets.token_urlsafe(32)
    with tempfile.TemporaryDirectory(prefix="stayform-bench-") as tmp:
        port = _free_port()
        base = f"http://127.0.0.1:{port}"
        service = start_service(model, Path(tmp), port, admin_key)
        try:
            wait_ready(base, service)
            wall = time.perf_counter()
            latencies, outcomes = asyncio.run(
                run_load(base, admin_key, clients=args.clients, seconds=args.seconds))
            wall = time.perf_counter() - wall
        finally:
            stop_service(service)
    server_errors = sum(n for code, n in outcomes.items() if code.startswith("5"))
    transport = sum(n for code, n in outcomes.items() if code.startswith("transport"))
    ms = sorted(x * 1000 for x in latencies)
    p50, p90, p99 = percentiles(latencies)
    print(f"model           {model}")
    print(f"clients         {args.clients} for {args.seconds:.0f} s (wall {wall:.1f} s)")
    print(f"requests        {len(ms)}  outcomes {dict(sorted(outcomes.items()))}")
    print(f"no 5xx          {'OK' if server_errors == 0 and transport == 0 else 'FAIL'}"
          f" ({server_errors} 5xx, {transport} transport errors)")
    print(f"latency ms      p50 {p50:.0f}  p90 {p90:.0f}  p99 {p99:.0f}  max {ms[-1]:.0f}"
          if ms else "latency ms      -")
    print(f"throughput      {len(ms) / wall:.1f} emails/s")
    return 0 if server_errors == 0 and transport == 0 and ms else 1


if __name__ == "__main__":
    sys.exit(main())
