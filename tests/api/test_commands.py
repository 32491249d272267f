"""`stayform keys create` prints a working key once; `stayform batch --queue` fills the review
queue; bad input is a one-line error."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING

import pytest
from fastapi.testclient import TestClient

from api import store
from api.app import create_app
from api.db import session_scope
from stayform import cli
from stayform.settings import Settings, get_settings
from tests.api.conftest import SURE

if TYPE_CHECKING:
    from extractor.pipeline import Extractor


@pytest.fixture
def database(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[str]:
    url = f"sqlite:///{tmp_path}/cli.db"
    monkeypatch.setenv("STAYFORM_DATABASE_URL", url)
    get_settings.cache_clear()
    yield url
    get_settings.cache_clear()


def test_keys_create_prints_the_key_once(database: str, capsys: pytest.CaptureFixture[str],
                                         extractor: Extractor) -> None:
    assert cli.main(["keys", "create", "--role", "reviewer", "--name", "Rita"]) == 0
    out, err = capsys.readouterr()
    token = out.strip()
    assert token.startswith("sfk_") and len(out.splitlines()) == 1
    assert "reviewer" in err and token not in err
    settings = Settings(database_url=database, admin_key=None)
    with TestClient(create_app(settings, extractor=extractor)) as client:
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


def _inbox(path: Path) -> Path:
    lines = [{"id": "m1", "text": SURE},
             {"id": "m2", "text": "Berlin 2026-06-10"}]
    path.write_text("".join(json.dumps(line) + "\n" for line in lines), encoding="utf-8")
    return path


def test_batch_queue_stores_the_results_through_the_command_line_wiring(
        database: str, tmp_path: Path, keyword_model_dir: Path,
        capsys: pytest.CaptureFixture[str]) -> None:
    # the extractor's batch command is handed the review queue by stayform/cli.py (issue 13)
    args = ["batch", str(_inbox(tmp_path / "in.jsonl")), "--out", str(tmp_path / "o.jsonl"),
            "--queue", "--model", str(keyword_model_dir), "--workers", "1", "--no-progress"]
    assert cli.main(args) == 0
    assert "queued:         2" in capsys.readouterr().out
    with session_scope(Settings(database_url=database)) as session:
        assert store.queue_counts(session) == {"needs_review": 1, "reviewed": 0,
                                               "auto_accepted": 1, "error": 0}


def test_batch_queue_with_a_bad_database_url_is_a_user_error(
        monkeypatch: pytest.MonkeyPatch, tmp_path: Path, keyword_model_dir: Path,
        capsys: pytest.CaptureFixture[str]) -> None:
    monkeypatch.setenv("STAYFORM_DATABASE_URL", "mysql://nope")
    get_settings.cache_clear()
    args = ["batch", str(_inbox(tmp_path / "in.jsonl")), "--out", str(tmp_path / "o.jsonl"),
            "--queue", "--model", str(keyword_model_dir), "--workers", "1", "--no-progress"]
    try:
        assert cli.main(args) == 1
    finally:
        get_settings.cache_clear()
    err = capsys.readouterr().err
    assert "D001" in err and "Traceback" not in err and err.count("\n") == 1
