"""Shared fixtures: a tiny randomly initialised token classifier saved as a model folder.

Tests never download anything: the tokenizer comes from the MiniLM package installed with
stayform, the weights are random (seeded), the architecture is shrunk so it runs in
milliseconds. Predictions of this model are poor by design; the pipeline around it is real.
"""

from __future__ import annotations

import logging
import os
import shutil
import tempfile
from pathlib import Path

import pytest

os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
# `stayform train` remembers the folder it wrote in the user's config folder
# (stayform/paths.py): tests that train must not change what the developer's `stayform extract`
# finds, so the whole run gets a config and data folder of its own
_USER_DIRS = Path(tempfile.mkdtemp(prefix="stayform-tests-"))
os.environ["XDG_CONFIG_HOME"] = str(_USER_DIRS / "config")
os.environ["XDG_DATA_HOME"] = str(_USER_DIRS / "data")

TOKENIZER_FILES = ("vocab.txt", "tokenizer.json", "tokenizer_config.json",
                   "special_tokens_map.json")


def build_tiny_model(path: Path, *, seed: int = 0, hidden: int = 32, layers: int = 2) -> Path:
    """Save a tiny random BERT token classifier with stayform's labels and MiniLM's tokenizer."""
    import torch
    from transformers import BertConfig, BertForTokenClassification

    from extractor.tags import ID2LABEL, LABEL2ID
    from training.config import default_base_model

    path.mkdir(parents=True, exist_ok=True)
    base = Path(default_base_model())
    for name in TOKENIZER_FILES:
        if (base / name).is_file():
            shutil.copy(base / name, path / name)
    config = BertConfig(vocab_size=30522, hidden_size=hidden, num_hidden_layers=layers,
                        num_attention_heads=2, intermediate_size=hidden * 2,
                        max_position_embeddings=512, num_labels=len(ID2LABEL),
                        id2label=ID2LABEL, label2id=LABEL2ID)
    torch.manual_seed(seed)
    BertForTokenClassification(config).save_pretrained(path)
    return path


def build_booking_model(path: Path) -> Path:
    """A tiny model whose output biases make every text a new booking with only O tags, so
    that the rules fill the form: real stays from a model that costs nothing to build."""
    import torch
    from transformers import BertForTokenClassification

    from extractor.tags import LABEL2ID

    build_tiny_model(path)
    model = BertForTokenClassification.from_pretrained(path)
    with torch.no_grad():
        model.classifier.weight.zero_()
        model.classifier.bias.zero_()
        model.classifier.bias[LABEL2ID["O"]] = 10.0
        model.classifier.bias[LABEL2ID["INTENT-new_booking"]] = 10.0
    model.save_pretrained(path)
    return path


@pytest.fixture(scope="session")
def booking_model_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A model folder whose tiny model reads every text as a booking (see build_booking_model)."""
    return build_booking_model(tmp_path_factory.mktemp("booking-model"))


@pytest.fixture(scope="session")
def tiny_model_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A model folder holding a tiny random model (session-wide, read-only by convention)."""
    return build_tiny_model(tmp_path_factory.mktemp("tiny-model"))


class _SuiteLog(logging.Handler):
    """Every log record of the whole test session, formatted as the service writes them."""

    def __init__(self) -> None:
        super().__init__(level=logging.DEBUG)
        self.lines: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        try:
            self.lines.append(self.format(record))
        except Exception:  # noqa: BLE001 - a record that cannot be formatted is still kept
            self.lines.append(record.getMessage())


SUITE_LOG = _SuiteLog()
SERVICE_LOGGERS = ("stayform", "uvicorn", "uvicorn.error")


def pytest_sessionstart(session: pytest.Session) -> None:
    import api.logs

    SUITE_LOG.setFormatter(api.logs.JsonFormatter())  # as the service writes its lines
    # the service's loggers (not the test clients'): stayform at INFO, as the service runs
    for name in SERVICE_LOGGERS:
        logging.getLogger(name).addHandler(SUITE_LOG)
    logging.getLogger("stayform").setLevel(logging.INFO)
    configure = api.logs.configure_logging

    def configure_and_keep(level: int = logging.INFO) -> None:
        # the service's loggers do not propagate to the root: keep a copy of theirs too
        configure(level)
        for name in SERVICE_LOGGERS:
            logging.getLogger(name).addHandler(SUITE_LOG)

    api.logs.configure_logging = configure_and_keep


@pytest.fixture(scope="session")
def suite_log_lines() -> list[str]:
    """The formatted log lines of the test session so far."""
    return SUITE_LOG.lines
