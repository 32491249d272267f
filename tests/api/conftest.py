"""Fixtures of the API tests: real databases (a SQLite file and a PostgreSQL server, every
database test runs on both), the app with a deterministic extractor, and keys of each role."""

from __future__ import annotations

import os
import secrets
from collections.abc import Iterator
from dataclasses import dataclass

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient
from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url
from sqlalchemy.exc import ProgrammingError

from api import store
from api.app import create_app
from stayform.settings import Settings
from tests.api.fakes import FakeExtractor
from tests.api.postgres import embedded_server

TABLES = "audit_events, answers, suggestions, items, api_keys"


@pytest.fixture(scope="session")
def pg_server_url() -> Iterator[str]:
    """STAYFORM_TEST_DATABASE_URL when set, else a throw-away embedded server."""
    given = os.environ.get("STAYFORM_TEST_DATABASE_URL")
    if given:
        yield given
        return
    with embedded_server() as url:
        yield url


@pytest.fixture(scope="session")
def pg_database(pg_server_url: str) -> Iterator[str]:
    """A database of its own for this test run on the PostgreSQL server, dropped afterwards."""
    name = "stayform_test_" + secrets.token_hex(4)
    admin = create_engine(pg_server_url, isolation_level="AUTOCOMMIT")
    with admin.connect() as c:
        c.execute(text(f'CREATE DATABASE "{name}"'))
    url = make_url(pg_server_url).set(database=name).render_as_string(hide_password=False)
    yield url
    with admin.connect() as c:
        c.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
    admin.dispose()


@pytest.fixture(params=["sqlite", "postgresql"])
def database_url(request: pytest.FixtureRequest, tmp_path) -> str:  # type: ignore[no-untyped-def]
    """An empty review database: a new SQLite file, or the emptied PostgreSQL test database."""
    if request.param == "sqlite":
        return f"sqlite:///{tmp_path}/stayform.db"
    url: str = request.getfixturevalue("pg_database")
    engine = create_engine(url)
    try:
        with engine.begin() as c:
            c.execute(text(f"TRUNCATE {TABLES} RESTART IDENTITY CASCADE"))
    except ProgrammingError:
        pass  # no tables yet: the first app start creates them
    finally:
        engine.dispose()
    return url


@pytest.fixture
def settings(database_url: str, tmp_path) -> Settings:  # type: ignore[no-untyped-def]
    return Settings(database_url=database_url, model_dir=tmp_path / "no-model",
                    admin_key=None, review_lease_seconds=600, extract_concurrency=2,
                           cookie_secure=None, max_email_bytes=64 * 1024)


@pytest.fixture
def extractor() -> FakeExtractor:
    return FakeExtractor()


@pytest.fixture
def app(settings: Settings, extractor: FakeExtractor) -> FastAPI:
    return create_app(settings, extractor=extractor)


@pytest.fixture
def client(app: FastAPI) -> Iterator[TestClient]:
    with TestClient(app) as c:
        yield c


@dataclass(frozen=True)
class Keys:
    """Tokens (and key ids) of one key per role, plus a second agent and reviewer."""

    agent: str
    agent2: str
    reviewer: str
    reviewer2: str
    admin: str
    ids: dict[str, str]

    def h(self, who: str) -> dict[str, str]:
        """The X-API-Key header of `who` (agent, agent2, reviewer, reviewer2, admin)."""
        return {"X-API-Key": getattr(self, who)}


@pytest.fixture
def keys(app: FastAPI, client: TestClient) -> Keys:
    tokens, ids = {}, {}
    with app.state.sessions() as session:
        for who, role in (("agent", "agent"), ("agent2", "agent"), ("reviewer", "reviewer"),
                          ("reviewer2", "reviewer"), ("admin", "admin")):
            key, tokens[who] = store.create_key(session, name=who, role=role)
            ids[who] = key.id
    return Keys(ids=ids, **tokens)


REQUEST = ("Hello, please book a hotel in Munich from 2026-05-03 to 2026-05-05 "
           "for 2 guests. REVIEW\nBest, Anna")
