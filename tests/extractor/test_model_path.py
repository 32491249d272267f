"""`stayform extract` finds its model from any directory (issue 19): --model or
STAYFORM_MODEL_DIR, else ./models/default, else the folder the last `stayform train` remembered,
else the per-user data folder; when there is none, the error names every place looked in."""

from __future__ import annotations

import json
import os
from collections.abc import Iterator
from pathlib import Path

import pytest

from stayform import paths
from stayform.cli import main
from stayform.settings import get_settings

TEXT = "Bitte 1 EZ in Hamburg vom 3. bis 5. Mai 2026, max. 120 EUR."


@pytest.fixture
def elsewhere(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    """A working directory without models/, and per-user config and data folders of its own
    (platformdirs follows the XDG variables)."""
    work = tmp_path / "work"
    work.mkdir()
    monkeypatch.chdir(work)
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "config"))
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "data"))
    monkeypatch.delenv("STAYFORM_MODEL_DIR", raising=False)
    get_settings.cache_clear()
    yield work
    get_settings.cache_clear()


def _extract(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    get_settings.cache_clear()
    code = main(["extract", "--text", TEXT, *args])
    out, err = capsys.readouterr()
    return code, out, err


def test_a_remembered_model_is_found_from_another_directory(elsewhere, booking_model_dir,
                                                            capsys):
    written = paths.remember_model_dir(booking_model_dir)
    assert written == Path(os.environ["XDG_CONFIG_HOME"]) / "stayform" / "model-path"
    code, out, _ = _extract(capsys)
    assert code == 0
    assert json.loads(out)["stays"][0]["room_type"]["value"] == "single"


def test_the_remembered_path_is_absolute(elsewhere, booking_model_dir, monkeypatch):
    monkeypatch.chdir(booking_model_dir.parent)
    paths.remember_model_dir(booking_model_dir.name)
    monkeypatch.chdir(elsewhere)
    assert paths.remembered_model_dir() == booking_model_dir.resolve()


def test_without_a_model_the_error_lists_every_place(elsewhere, capsys):
    code, out, err = _extract(capsys)
    assert code == 1
    assert out == ""
    assert err.count("\n") == 1 and "Traceback" not in err
    assert str(elsewhere / "models" / "default") in err
    assert str(paths.remembered_file()) in err
    assert str(paths.user_model_dir()) in err
    assert "STAYFORM_MODEL_DIR" in err


def test_the_working_directory_comes_before_the_remembered_model(elsewhere, booking_model_dir,
                                                                 tiny_model_dir):
    paths.remember_model_dir(tiny_model_dir)
    (elsewhere / "models").mkdir()
    (elsewhere / "models" / "default").symlink_to(booking_model_dir)
    assert paths.resolve_model_dir() == elsewhere / "models" / "default"


def test_the_per_user_data_folder_is_the_last_place(elsewhere, booking_model_dir):
    user = paths.user_model_dir()
    user.parent.mkdir(parents=True)
    user.symlink_to(booking_model_dir)
    assert paths.resolve_model_dir() == user
    paths.remember_model_dir(booking_model_dir.parent / "gone")  # remembered, but removed
    assert paths.resolve_model_dir() == user


def test_the_setting_and_the_option_win(elsewhere, booking_model_dir, tiny_model_dir,
                                        monkeypatch, capsys):
    paths.remember_model_dir(tiny_model_dir)
    monkeypatch.setenv("STAYFORM_MODEL_DIR", str(elsewhere / "nowhere"))
    get_settings.cache_clear()
    assert paths.resolve_model_dir() == elsewhere / "nowhere"
    code, _, err = _extract(capsys)
    assert code == 1 and "nowhere" in err  # a named folder is not replaced by another
    code, out, _ = _extract(capsys, "--model", str(booking_model_dir))
    assert code == 0 and json.loads(out)["stays"]

