"""Calibration: raw scores -> the probability that a value is right.

Raw scores (the model's tag probabilities, a rule's fixed score, the model's belief that a
field is absent) are mapped to the probability that the field's value is right by monotone
(isotonic) maps fitted on hand-written dev mail at training time (training/calibrate.py) and
saved in the model folder's `calibration.json`, with the review threshold. A kind has one map,
and a field of that kind seen often enough its own (`model:near`, `intent:not_hotel`): a
model-read place is right less often than a model-read budget at the same score.
`extractor.route` applies them and decides what goes to review.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

# score kinds that get their own map: who produced the value, or that nothing was found
KINDS = ("model", "rules", "derived", "history", "absent", "intent")
DEFAULT_THRESHOLD = 0.8


def map_key(kind: str, field: str | None) -> str:
    """The key of a field's own map in `Calibration.maps` (`model:near`)."""
    return f"{kind}:{field}" if field else kind


@dataclass(frozen=True)
class Calibration:
    """Monotone maps from raw score to probability of being right, and the review threshold."""

    maps: dict[str, tuple[list[float], list[float]]] = field(default_factory=dict)
    threshold: float = DEFAULT_THRESHOLD
    temperature: float = 1.0

    @classmethod
    def load(cls, model_dir: Path) -> Calibration:
        path = model_dir / "calibration.json"
        if not path.is_file():
            return cls()
        data = json.loads(path.read_text(encoding="utf-8"))
        maps = {k: (list(v["x"]), list(v["y"])) for k, v in data.get("maps", {}).items()}
        return cls(maps=maps, threshold=float(data.get("threshold", DEFAULT_THRESHOLD)),
                   temperature=float(data.get("temperature", 1.0)))

    def to_json(self) -> dict:
        return {"temperature": self.temperature, "threshold": self.threshold,
                "maps": {k: {"x": x, "y": y} for k, (x, y) in self.maps.items()}}

    def apply(self, raw: float, kind: str, field: str | None = None) -> float:
        """The calibrated probability for a raw score of `kind` for `field` (the stay field, or
        the intent said): the field's own map, else the kind's, else the raw score."""
        m = self.maps.get(map_key(kind, field)) if field else None
        m = m if m is not None else self.maps.get(kind)
        if m is None:
            return float(min(1.0, max(0.0, raw)))
        return float(np.interp(raw, m[0], m[1]))
