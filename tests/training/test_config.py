"""Training configs: every shipped file validates; unknown keys are refused."""

from pathlib import Path

import pytest
from pydantic import ValidationError

from training.config import CONFIG_DIR, load_config


@pytest.mark.parametrize("path", sorted(CONFIG_DIR.glob("*.toml")), ids=lambda p: p.name)
def test_every_shipped_config_loads(path: Path):
    cfg = load_config(path)
    assert cfg.epochs > 0 and cfg.max_length >= 16


def test_a_config_file_overrides_its_preset(tmp_path: Path):
    f = tmp_path / "c.toml"
    f.write_text('preset = "quick"\nepochs = 6\n')
    cfg = load_config(f)
    assert (cfg.preset, cfg.epochs, cfg.max_length) == ("quick", 6, 128)


def test_unknown_keys_are_refused(tmp_path: Path):
    f = tmp_path / "c.toml"
    f.write_text("learnig_rate = 0.1\n")
    with pytest.raises(ValidationError):
        load_config(f)


def test_unknown_preset_is_a_clear_error():
    with pytest.raises(ValueError, match="unknown preset"):
        load_config(preset="nope")
