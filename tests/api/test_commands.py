"""`stayform keys create` prints a working key once; bad input is a one-line error."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from api.app import create_app
from stayform import cli
from stayform.settings import Settings, get_settings
from tests.api.fakes import FakeExtractor


@pytest.fixture
def database(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[str]:
    url = f"sqlite:///{tmp_path}/cli.db"
    monkeypatch.setenv("STAYFORM_DATABASE_URL", url)
    get_settings.cache_clear()
    yield url
    get_settings.cache_clear()


def test_keys_create_prints_the_key_once(database: str, capsys: pytest.CaptureFixture[str]
                                         ) -> None:
    assert cli.main(["keys", "create", "--role", "reviewer", "--name", "Rita"]) == 0
    out, err = capsys.readouterr()
    token = out.strip()
    assert token.startswith("sfk_") and len(out.splitlines()) == 1
    assert "reviewer" in err and token not in err
    settings = Settings(database_url=database, admin_key=None)
    with TestClient(create_app(settings, extractor=FakeExtractor())) as client:
        assert client.post("/v1/review/claim", headers={"X-API-Key": token}).status_code == 204


def test_keys_create_refuses_a_blank_name(database: str, capsys: pytest.CaptureFixture[str]
                                          ) -> None:
    assert cli.main(["keys", "create", "--role", "agent", "--name", "  "]) == 1
    assert capsys.readouterr().err.startswith("stayform: error: --name")


def test_a_bad_database_url_is_a_user_error(monkeypatch: pytest.MonkeyPatch,
                                            capsys: pytest.CaptureFixture[str]) -> None:
    monkeypatch.setenv("STAYFORM_DATABASE_URL", "mysql://nope")
    get_settings.cache_clear()
    try:
        assert cli.main(["keys", "create", "--role", "agent", "--name", "a"]) == 1
    finally:
        get_settings.cache_clear()
    assert "D001" in capsys.readouterr().err
