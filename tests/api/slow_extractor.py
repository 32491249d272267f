"""A worker factory for tests/api/test_workers.py: the real extractor on the keyword model,
except that a text containing SLOW takes a minute (as a pathological email did), so that the
service's time budget, disconnect handling and shutdown bound can be seen."""

from __future__ import annotations

import time
from typing import Any


class _Slow:
    def __init__(self, real: Any) -> None:
        self.real = real

    def extract_text(self, text: str, **kwargs: Any) -> Any:
        if "SLOW" in text:
            time.sleep(60)
        return self.real.extract_text(text, **kwargs)

    def extract_email(self, raw: bytes, **kwargs: Any) -> Any:
        return self.real.extract_email(raw, **kwargs)


def load_slow(model_dir: str) -> _Slow:
    """Imported by name in a spawned worker process."""
    from extractor.pipeline import Extractor

    return _Slow(Extractor.load(model_dir))
