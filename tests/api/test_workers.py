"""One email cannot stall the service (issue 14, point 1, the service side): extraction runs in
worker processes; one over its time budget, or whose client hung up, is abandoned and its
worker killed and replaced; short requests keep being answered meanwhile; `/readyz` reports
saturation; a full waiting line is a 503 to retry; shutdown ends within a bound.

A real uvicorn server; the workers run the real extractor on the keyword model, except that
a text containing SLOW takes a minute (tests/api/slow_extractor.py)."""

from __future__ import annotations

import os
import socket
import threading
import time
from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor
from pathlib import Path

import httpx
import uvicorn
from fastapi import FastAPI

from api.app import create_app
from stayform.settings import Settings
from tests.api.conftest import SURE
from tests.api.live import new_key
from tests.api.slow_extractor import load_slow

SLOW = "SLOW " + "Munich 2026-05-03 " * 1500  # over 20,000 characters: a large input
BUDGET_S = 3.0


def _until(check: Callable[[], bool], timeout: float, what: str) -> None:
    deadline = time.monotonic() + timeout
    while not check():
        assert time.monotonic() < deadline, f"timed out waiting until {what}"
        time.sleep(0.05)


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    status = Path(f"/proc/{pid}/status")
    return not (status.exists() and "zombie" in status.read_text())


def _worker_pids(app: FastAPI) -> set[int]:
    pool = app.state.extraction.pool
    with pool._lock:  # test-only look inside: which processes are the workers now
        return {w.process.pid for w in pool._all}


def test_a_costly_email_is_abandoned_and_the_service_keeps_answering(
        tmp_path: Path, keyword_model_dir: Path) -> None:
    settings = Settings(database_url=f"sqlite:///{tmp_path}/q.db", admin_key=None,
                        model_dir=keyword_model_dir, extract_concurrency=2,
                        extract_timeout_s=BUDGET_S, extract_max_waiting=1,
                        shutdown_grace_s=1.0)
    app = create_app(settings, worker_factory=(load_slow, (str(keyword_model_dir),)))
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning",
                                           timeout_graceful_shutdown=2))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    _until(lambda: server.started or not thread.is_alive(), 120, "the server started")
    assert server.started, "the service did not start"
    base = f"http://127.0.0.1:{port}"
    key = {"X-API-Key": new_key(app, "agent")}
    pool = app.state.extraction.pool
    first_workers = _worker_pids(app)
    assert len(first_workers) == 2

    def post(text: str, timeout: float = 60) -> httpx.Response:
        return httpx.post(f"{base}/v1/extract", json={"text": text}, headers=key,
                          timeout=timeout)

    with ThreadPoolExecutor(4) as background, httpx.Client(base_url=base, timeout=30) as http:
        # A: a costly email holds one worker; short ones are answered by the other, at once
        started = time.monotonic()
        slow_one: Future[httpx.Response] = background.submit(post, SLOW)
        _until(lambda: pool.busy == 1, 10, "the costly email runs")
        for _ in range(5):
            t0 = time.monotonic()
            r = http.post("/v1/extract", json={"text": SURE}, headers=key)
            assert r.status_code == 200 and r.json()["stays"], r.text
            assert time.monotonic() - t0 < 2.0
        # B: a second costly email waits (large inputs may hold all workers but one): the
        # waiting line is full, /readyz says saturated, a further request is a 503 to retry
        slow_two = background.submit(post, SLOW)
        _until(lambda: pool.waiting == 1, 10, "the second costly email waits")
        ready = http.get("/readyz")
        assert ready.status_code == 503 and ready.json()["saturated"] is True
        assert "saturated" in ready.json()["detail"]
        refused = http.post("/v1/extract", json={"text": SURE}, headers=key)
        assert refused.status_code == 503 and refused.json()["code"] == "B001"
        assert int(refused.headers["retry-after"]) > 0
        # C: each costly email ends at its budget with an error result; its worker is killed
        for done in (slow_one.result(), slow_two.result()):
            assert done.status_code == 200
            assert done.json()["status"] == "error" and done.json()["error"]["code"] == "X002"
        assert time.monotonic() - started < 2 * BUDGET_S + 5
        _until(lambda: not any(_alive(p) for p in first_workers - _worker_pids(app)), 10,
               "the killed workers are gone")
        assert len(first_workers - _worker_pids(app)) >= 1
        # D: replacements load, and the service is ready again
        _until(lambda: http.get("/readyz").json().get("workers") == 2, 120, "two workers again")
        assert http.get("/readyz").status_code == 200
        # E: a client that hangs up: its extraction is abandoned, its worker killed
        before = _worker_pids(app)
        try:
            post(SLOW, timeout=1.0)
        except httpx.TimeoutException:
            pass
        _until(lambda: pool.busy == 0, BUDGET_S - 0.5, "the abandoned work is stopped")
        _until(lambda: not all(_alive(p) for p in before), 5, "its worker is killed")
        assert http.post("/v1/extract", json={"text": SURE}, headers=key).status_code == 200
        # F: shutdown with a costly email running ends within a bound, workers and all
        _until(lambda: http.get("/readyz").json().get("workers") == 2, 120, "two workers again")
        every = _worker_pids(app)
        last = background.submit(post, SLOW)
        _until(lambda: pool.busy == 1, 10, "the last costly email runs")
        t0 = time.monotonic()
        server.should_exit = True
        thread.join(timeout=30)
        assert not thread.is_alive() and time.monotonic() - t0 < 10
        _until(lambda: not any(_alive(p) for p in every | _worker_pids(app)), 10,
               "no worker outlives the service")
        try:
            last.result(timeout=10)
        except httpx.HTTPError:
            pass  # cut off by the shutdown: what the bound means
