"""A 500 writes no email to any log (issue 14, point 4): an unhandled exception is answered with
a JSON 500 naming a request id and logged as its type, route template and that id; uvicorn's
own error logger goes through the same formatter. The service runs in a real uvicorn server
with its own logging set up, faults are injected where the database is written and read, and
every line it logged is read back."""

from __future__ import annotations

import json
import logging
import socket
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING

import httpx
import pytest
import uvicorn
from sqlalchemy.exc import StatementError

import api.logs
from api import store
from tests.api.live import new_key, sqlite_app

if TYPE_CHECKING:
    from extractor.pipeline import Extractor

SECRET = "Please book Munich for anna.schmidt@example.org, Message-ID <x1@secret.example>"
LOGGERS = ("stayform", "uvicorn", "uvicorn.error", "uvicorn.access")


@pytest.fixture
def service_logging() -> Iterator[None]:
    """Undoes the service's own logging (`stayform serve` sets it up) after the test."""
    saved = {name: (list(lg.handlers), lg.level, lg.propagate, lg.disabled)
             for name in LOGGERS for lg in [logging.getLogger(name)]}
    yield
    for name, (handlers, level, propagate, disabled) in saved.items():
        lg = logging.getLogger(name)
        lg.handlers, lg.level, lg.propagate, lg.disabled = handlers, level, propagate, disabled


def _fault(*args: object, **kwargs: object) -> None:
    # what SQLAlchemy raises when a statement fails: its message holds the parameters
    raise StatementError(f"(psycopg.DataError) cannot store {SECRET}",
                         "INSERT INTO items (raw, external_id) VALUES (%(raw)s, %(id)s)",
                         {"raw": SECRET.encode(), "id": "<x1@secret.example>"},
                         ValueError(SECRET))


def _serve(app: object) -> tuple[uvicorn.Server, threading.Thread, str]:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    # log_config=None, as `stayform serve` runs it: the service's logging stays in place
    server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=port,  # type: ignore[arg-type]
                                           log_config=None, access_log=False))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 30
    while not server.started:
        assert thread.is_alive() and time.monotonic() < deadline, "the server did not start"
        time.sleep(0.02)
    return server, thread, f"http://127.0.0.1:{port}"


def test_a_500_logs_type_route_and_request_id_and_no_email(
        tmp_path: Path, extractor: Extractor, monkeypatch: pytest.MonkeyPatch,
        capsys: pytest.CaptureFixture[str], service_logging: None) -> None:
    api.logs.configure_logging()  # here: its handler writes to the stderr capsys reads
    app = sqlite_app(tmp_path / "q.db", extractor)
    server, thread, base = _serve(app)
    try:
        agent, reviewer = new_key(app, "agent"), new_key(app, "reviewer")
        with httpx.Client(base_url=base, timeout=30) as http:
            stored = http.post("/v1/emails", json={"text": "Munich 2026-05-03"},
                               headers={"X-API-Key": agent}).json()
            monkeypatch.setattr(store, "enqueue_result", _fault)
            monkeypatch.setattr(store, "load_item", _fault)
            ingest = http.post("/v1/emails", json={"text": SECRET},
                               headers={"X-API-Key": agent})
            read = http.get(f"/v1/emails/{stored['id']}?q=anna.schmidt@example.org",
                            headers={"X-API-Key": agent})
            page = http.get(f"/review/{stored['id']}", headers={"X-API-Key": reviewer})
        try:  # what uvicorn logs on its own (a protocol error, a failed start-up ...)
            raise RuntimeError(SECRET)
        except RuntimeError:
            logging.getLogger("uvicorn.error").exception("Exception in ASGI application")
    finally:
        server.should_exit = True
        thread.join(timeout=10)

    for response in (ingest, read, page):
        assert response.status_code == 500
        assert response.json()["detail"] == "internal error"
        request_id = response.json()["request_id"]
        assert response.headers["x-request-id"] == request_id
        assert "content-security-policy" in response.headers
    lines = capsys.readouterr().err.splitlines()
    assert lines, "the service logged nothing"
    records = [json.loads(line) for line in lines]  # every line is one JSON object
    errors = [r for r in records if r.get("event") == "error"]
    assert {(r["route"], r["error"]) for r in errors} == {
        ("/v1/emails", "StatementError"), ("/v1/emails/{item_id}", "StatementError"),
        ("/review/{item_id}", "StatementError")}
    assert {r["request_id"] for r in errors} == {
        ingest.json()["request_id"], read.json()["request_id"], page.json()["request_id"]}
    assert any(r["logger"] == "uvicorn.error" and r.get("error") == "RuntimeError"
               for r in records)
    joined = "\n".join(lines)
    for leak in ("anna.schmidt", "Munich", "secret.example", "INSERT", agent, reviewer,
                 stored["id"]):
        assert leak not in joined
