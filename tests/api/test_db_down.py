"""The database down or locked: 503 with Retry-After (never 500) on the API and on the review
page (never its login form), not ready, and the retried request creates the item exactly once
once the database is back."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient
from sqlalchemy import create_engine, func, select, text
from sqlalchemy.engine import make_url

from api import db
from api.deps import COOKIE_NAME
from api.models import Item
from tests.api.conftest import REQUEST, Keys
from tests.api.live import new_key, sqlite_app

if TYPE_CHECKING:
    from extractor.pipeline import Extractor

BODY = {"text": REQUEST, "id": "mail-retry-1"}


def _items(client: TestClient) -> int:
    with client.app.state.sessions() as session:  # type: ignore[attr-defined]
        return int(session.scalar(select(func.count()).select_from(Item)) or 0)


def _assert_retry_later(response) -> None:  # type: ignore[no-untyped-def]
    assert response.status_code == 503, response.text
    assert int(response.headers["retry-after"]) > 0
    assert response.json()["code"] == "D003"


def test_a_locked_sqlite_database_is_503_and_the_retry_stores_once(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch, extractor: Extractor) -> None:
    # a short busy timeout so the locked write gives up in a fraction of a second
    monkeypatch.setattr(db, "SQLITE_BUSY_TIMEOUT_MS", 200)
    path = tmp_path / "locked.db"
    app = sqlite_app(path, extractor)
    with TestClient(app) as client:
        agent = new_key(app, "agent")
        holder = sqlite3.connect(path, isolation_level=None, timeout=1)
        holder.execute("BEGIN EXCLUSIVE")  # another process holds the write lock
        try:
            _assert_retry_later(client.post("/v1/emails", json=BODY,
                                            headers={"X-API-Key": agent}))
            # the JSON body without an id (dedup by content) is refused the same way
            _assert_retry_later(client.post("/v1/emails", json={"text": REQUEST},
                                            headers={"X-API-Key": agent}))
        finally:
            holder.execute("ROLLBACK")
            holder.close()
        assert _items(client) == 0
        first = client.post("/v1/emails", json=BODY, headers={"X-API-Key": agent})
        assert first.status_code == 201
        again = client.post("/v1/emails", json=BODY, headers={"X-API-Key": agent})
        assert again.status_code == 200 and again.json()["id"] == first.json()["id"]
        assert _items(client) == 1


@pytest.mark.parametrize("database_url", ["postgresql"], indirect=True)
def test_postgres_refusing_connections_is_503_and_the_retry_stores_once(
        client: TestClient, keys: Keys, database_url: str, pg_server_url: str) -> None:
    name = make_url(database_url).database
    admin = create_engine(pg_server_url, isolation_level="AUTOCOMMIT")

    def allow(on: bool) -> None:
        with admin.connect() as c:
            c.execute(text(f'ALTER DATABASE "{name}" ALLOW_CONNECTIONS {str(on).lower()}'))
            if not on:  # and drop the service's pooled connections: the server "went away"
                c.execute(text("SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
                               "WHERE datname = :n AND pid <> pg_backend_pid()"), {"n": name})

    try:
        allow(False)
        _assert_retry_later(client.post("/v1/emails", json=BODY, headers=keys.h("agent")))
        ready = client.get("/readyz")
        assert ready.status_code == 503 and ready.json()["database"] is False
    finally:
        allow(True)
        admin.dispose()
    assert client.get("/readyz").status_code == 200
    first = client.post("/v1/emails", json=BODY, headers=keys.h("agent"))
    assert first.status_code == 201, first.text
    again = client.post("/v1/emails", json=BODY, headers=keys.h("agent"))
    assert again.status_code == 200 and again.json()["id"] == first.json()["id"]
    assert _items(client) == 1


@contextmanager
def _server_gone(app: FastAPI) -> Iterator[None]:
    """The app's sessions point at a closed port while the block runs, as when the PostgreSQL
    server is stopped under a running service."""
    dead = db.make_engine("postgresql+psycopg://postgres@127.0.0.1:1/none?connect_timeout=2")
    good = app.state.sessions
    app.state.sessions = db.make_sessionmaker(dead)
    try:
        yield
    finally:
        app.state.sessions = good
        dead.dispose()


def test_an_unreachable_postgres_server_is_503_not_500(tmp_path: Path, extractor: Extractor
                                                       ) -> None:
    # the app starts on SQLite, then its sessions point at a closed port
    app = sqlite_app(tmp_path / "q.db", extractor)
    with TestClient(app) as client:
        agent = new_key(app, "agent")
        with _server_gone(app):
            _assert_retry_later(client.post("/v1/emails", json=BODY,
                                            headers={"X-API-Key": agent}))
        assert client.post("/v1/emails", json=BODY, headers={"X-API-Key": agent}
                           ).status_code == 201
        assert _items(client) == 1


def test_the_review_page_is_503_not_the_login_form_when_the_database_is_down(
        tmp_path: Path, extractor: Extractor) -> None:
    # issue 13: the page caught every error while finding the reviewer and showed its login
    # form with 200, as if the reviewer were logged out
    app = sqlite_app(tmp_path / "q.db", extractor)
    with TestClient(app) as client:
        reviewer = new_key(app, "reviewer")
        client.post("/review/login", data={"key": reviewer}, follow_redirects=False)
        session = client.cookies[COOKIE_NAME]
        with _server_gone(app):
            for token in (session, "x" * 43, None):  # live session, valid-looking, none
                client.cookies.clear()
                if token:
                    client.cookies.set(COOKIE_NAME, token)
                for path in ("/review", "/review/some-item"):
                    r = client.get(path, follow_redirects=False)
                    _assert_retry_later(r)
                    assert 'name="key"' not in r.text, (token, path)
            client.cookies.clear()
            _assert_retry_later(client.get("/review", headers={"X-API-Key": reviewer}))
            _assert_retry_later(client.post("/review/login", data={"key": reviewer}))
        # the database is back: an unknown key is logged out again, the reviewer is in
        client.cookies.set(COOKIE_NAME, "x" * 43)
        r = client.get("/review")
        assert r.status_code == 200 and 'name="key"' in r.text
        client.cookies.set(COOKIE_NAME, session)
        assert 'id="count-needs_review">0<' in client.get("/review").text
