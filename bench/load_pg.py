"""Load benchmark of the review service on PostgreSQL (not a test).

Like bench/load.py, but the service's database is a throw-away embedded PostgreSQL server
(tests/api/postgres.py) and the model a tiny random one (tests/conftest.py's
build_tiny_model), so the database, not the model, is what is stressed. After the run the
items in the database are counted: every 201 must be exactly one stored item (no lost write,
no duplicate). Exits 1 on any 5xx, transport error or lost item.

    python bench/load_pg.py [--clients 200] [--seconds 60]

Traffic goes to 127.0.0.1 only, and stops by itself (time limit and a request cap).
"""

from __future__ import annotations

import argparse
import asyncio
import importlib.util
import secrets
import sys
import tempfile
import time
from pathlib import Path
from types import ModuleType

from sqlalchemy import create_engine, func, select, text

ROOT = Path(__file__).resolve().parents[1]


def _module(name: str, path: Path) -> ModuleType:
    # Loaded by file path: putting tests/ or bench/ on sys.path could shadow real packages.
    spec = importlib.util.spec_from_file_location(name, path)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


load = _module("stayform_bench_load", ROOT / "bench" / "load.py")
postgres = _module("stayform_bench_postgres", ROOT / "tests" / "api" / "postgres.py")
fixtures = _module("stayform_bench_fixtures", ROOT / "tests" / "conftest.py")


def count_items(url: str) -> int:
    """How many items the database behind `url` holds."""
    from api.models import Item

    engine = create_engine(url)
    try:
        with engine.connect() as c:
            return int(c.scalar(select(func.count()).select_from(Item)) or 0)
    finally:
        engine.dispose()


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--clients", type=int, default=200)
    p.add_argument("--seconds", type=float, default=60.0)
    args = p.parse_args(argv)
    admin_key = "sfk_" + secrets.token_urlsafe(32)
    with tempfile.TemporaryDirectory(prefix="stayform-bench-pg-") as tmp, \
            postgres.embedded_server() as server_url:
        folder = Path(tmp)
        model = fixtures.build_tiny_model(folder / "tiny-model")
        url = server_url.rsplit("/", 1)[0] + "/stayform_bench"
        admin = create_engine(server_url, isolation_level="AUTOCOMMIT")
        with admin.connect() as c:
            c.execute(text('CREATE DATABASE "stayform_bench"'))
        admin.dispose()
        port = load._free_port()
        base = f"http://127.0.0.1:{port}"
        service = load.start_service(model, folder, port, admin_key, database_url=url)
        try:
            load.wait_ready(base, service)
            wall = time.perf_counter()
            latencies, outcomes = asyncio.run(
                load.run_load(base, admin_key, clients=args.clients, seconds=args.seconds))
            wall = time.perf_counter() - wall
        finally:
            load.stop_service(service)
        stored = count_items(url)
    server_errors = sum(n for code, n in outcomes.items() if code.startswith("5"))
    transport = sum(n for code, n in outcomes.items() if code.startswith("transport"))
    created = outcomes.get("201", 0)
    ms = sorted(x * 1000 for x in latencies)
    p50, p90, p99 = load.percentiles(latencies)
    ok = server_errors == 0 and transport == 0 and stored == created and bool(ms)
    print("database        embedded PostgreSQL (loopback), tiny random model")
    print(f"clients         {args.clients} for {args.seconds:.0f} s (wall {wall:.1f} s)")
    print(f"requests        {len(ms)}  outcomes {dict(sorted(outcomes.items()))}")
    print(f"no 5xx          {'OK' if server_errors == 0 and transport == 0 else 'FAIL'}"
          f" ({server_errors} 5xx, {transport} transport errors)")
    print(f"no lost item    {'OK' if stored == created else 'FAIL'}"
          f" ({created} answered 201, {stored} items in the database)")
    print(f"latency ms      p50 {p50:.0f}  p90 {p90:.0f}  p99 {p99:.0f}  max {ms[-1]:.0f}"
          if ms else "latency ms      -")
    print(f"throughput      {len(ms) / wall:.1f} emails/s")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
