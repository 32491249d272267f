"""Health that tells the truth (issue 14, point 7): `/readyz` fails when the database file is
gone, replaced or read-only, or PostgreSQL is read-only; a deleted SQLite file is a 503 for
writes and for the review page, never a 201 into a file nobody will open again."""

from __future__ import annotations

import os
import shutil
import subprocess
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url

from tests.api.conftest import REQUEST, Keys
from tests.api.live import new_key, sqlite_app

if TYPE_CHECKING:
    from extractor.pipeline import Extractor


def _not_ready(client: TestClient, why: str) -> None:
    r = client.get("/readyz")
    assert r.status_code == 503, r.text
    assert r.json()["database"] is False and why in r.json()["detail"]


def _assert_503(response) -> None:  # type: ignore[no-untyped-def]
    assert response.status_code == 503, response.text
    assert response.json()["code"] == "D003"


def test_a_deleted_sqlite_file_is_not_ready_and_writes_are_503(tmp_path: Path,
                                                               extractor: Extractor) -> None:
    app = sqlite_app(tmp_path / "q.db", extractor)
    with TestClient(app) as client:
        agent, reviewer = new_key(app, "agent"), new_key(app, "reviewer")
        assert client.post("/v1/emails", json={"text": REQUEST},
                           headers={"X-API-Key": agent}).status_code == 201
        assert client.get("/readyz").status_code == 200
        for name in ("q.db", "q.db-wal", "q.db-shm"):
            (tmp_path / name).unlink(missing_ok=True)
        _not_ready(client, "gone")
        _assert_503(client.post("/v1/emails", json={"text": REQUEST + " again"},
                                headers={"X-API-Key": agent}))
        page = client.get("/review", headers={"X-API-Key": reviewer})
        assert page.status_code == 503 and "retry-after" in page.headers


def test_a_replaced_sqlite_file_is_not_ready(tmp_path: Path, extractor: Extractor) -> None:
    app = sqlite_app(tmp_path / "q.db", extractor)
    with TestClient(app) as client:
        agent = new_key(app, "agent")
        shutil.copy(tmp_path / "q.db", tmp_path / "copy.db")
        os.replace(tmp_path / "copy.db", tmp_path / "q.db")  # a restore over the live file
        _not_ready(client, "replaced")
        _assert_503(client.post("/v1/emails", json={"text": REQUEST},
                                headers={"X-API-Key": agent}))


@contextmanager
def _read_only(path: Path) -> Iterator[None]:
    """`path` read-only for this process: immutable for root (who ignores modes), else 0444."""
    if os.geteuid() == 0:
        subprocess.run(["chattr", "+i", str(path)], check=True)
        try:
            yield
        finally:
            subprocess.run(["chattr", "-i", str(path)], check=True)
    else:
        mode = path.stat().st_mode
        path.chmod(0o444)
        try:
            yield
        finally:
            path.chmod(mode)


def test_a_read_only_sqlite_file_is_not_ready(tmp_path: Path, extractor: Extractor) -> None:
    app = sqlite_app(tmp_path / "q.db", extractor)
    with TestClient(app) as client:
        assert client.get("/readyz").status_code == 200
        with _read_only(tmp_path / "q.db"):
            _not_ready(client, "not writable")
        assert client.get("/readyz").status_code == 200, "ready again once writable"


def test_a_read_only_postgres_database_is_not_ready(pg_database: str,
                                                    extractor: Extractor) -> None:
    from api.app import create_app
    from stayform.settings import Settings

    app = create_app(Settings(database_url=pg_database, admin_key=None), extractor=extractor)
    name = make_url(pg_database).database
    admin = create_engine(pg_database, isolation_level="AUTOCOMMIT")
    with TestClient(app) as client:
        assert client.get("/readyz").status_code == 200
        try:
            with admin.connect() as c:
                c.execute(text(f'ALTER DATABASE "{name}" SET default_transaction_read_only = on'))
            app.state.engine.dispose()  # new sessions take the setting
            _not_ready(client, "read-only")
        finally:
            with admin.connect() as c:
                c.execute(text(f'ALTER DATABASE "{name}" RESET default_transaction_read_only'))
            app.state.engine.dispose()
            admin.dispose()
        assert client.get("/readyz").status_code == 200


@pytest.mark.parametrize("database_url", ["sqlite"], indirect=True)
def test_ready_when_all_is_well(client: TestClient, keys: Keys) -> None:
    assert client.get("/readyz").json() == {"status": "ok", "model_loaded": True,
                                            "database": True}
