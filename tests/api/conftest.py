"""Fixtures of the API tests: real databases (a SQLite file and a PostgreSQL server, every
database test runs on both), the app with the real extractor on a tiny hand-made model
(tests/api/keyword_model.py: deterministic, built once per session), and keys of each role."""

from __future__ import annotations

import os
import secrets
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient
from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url
from sqlalchemy.exc import ProgrammingError

from api import store
from api.app import create_app
from stayform.settings import Settings
from tests.api.keyword_model import build_keyword_model
from tests.api.postgres import embedded_server

if TYPE_CHECKING:
    from extractor.pipeline import Extractor

TABLES = "webhook_outbox, audit_events, answers, suggestions, items, review_sessions, api_keys"


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


@pytest.fixture(scope="session")
def keyword_model_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The model folder of tests/api/keyword_model.py (session-wide, read-only)."""
    return build_keyword_model(tmp_path_factory.mktemp("keyword-model"))


@pytest.fixture(scope="session")
def pipeline(keyword_model_dir: Path) -> Extractor:
    """The real extractor on the keyword model, loaded once (tests patch it per test only)."""
    from extractor.pipeline import Extractor

    return Extractor.load(keyword_model_dir)


@pytest.fixture
def extractor(pipeline: Extractor) -> Extractor:
    return pipeline


@pytest.fixture
def extraction_calls(extractor: Extractor, monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The names of the extractor's entry points as the service calls them, in order."""
    calls: list[str] = []
    for name in ("extract_text", "extract_email"):
        real = getattr(extractor, name)

        def counted(*args, _real=real, _name=name, **kwargs):  # type: ignore[no-untyped-def]
            calls.append(_name)
            return _real(*args, **kwargs)

        monkeypatch.setattr(extractor, name, counted)
    return calls


def crash_on(marker: str, extractor: Extractor, monkeypatch: pytest.MonkeyPatch) -> None:
    """Make `extractor.extract_text` raise on texts containing `marker`, quoting the text as
    validation errors do (the service must neither fail the request nor log the text)."""
    real = extractor.extract_text

    def crashing(text: str, **kwargs):  # type: ignore[no-untyped-def]
        if marker in text:
            raise RuntimeError(f"the extractor was told to crash on {text!r}")
        return real(text, **kwargs)

    monkeypatch.setattr(extractor, "extract_text", crashing)


@pytest.fixture
def app(settings: Settings, extractor: Extractor) -> FastAPI:
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
    return make_keys(app)


def make_keys(app: FastAPI) -> Keys:
    """Two agents, two reviewers and an admin, created in `app`'s database."""
    tokens, ids = {}, {}
    with app.state.sessions() as session:
        for who, role in (("agent", "agent"), ("agent2", "agent"), ("reviewer", "reviewer"),
                          ("reviewer2", "reviewer"), ("admin", "admin")):
            key, tokens[who] = store.create_key(session, name=who, role=role)
            ids[who] = key.id
    return Keys(ids=ids, **tokens)


# Munich, 2026-05-03 to 2026-05-05, 2 guests; signed by Anna, whom the model is unsure of:
# needs_review for low_confidence:traveler_names, and missing:rooms and missing:traveler_names
# (two guests and one unsure first name imply neither the rooms nor who stays)
REQUEST = ("Hello, please book a hotel in Munich from 2026-05-03 to 2026-05-05 "
           "for 2 guests.\nBest, Anna")
# a complete request the model is sure of: the signed writer asks a single room for
# themselves, so one room, one guest and the guest's name are implied: auto_accepted
SURE = "Please book me a single room in Munich 2026-05-03 to 2026-05-04.\nThanks, Peter Brown"
