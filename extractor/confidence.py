"""Confidence and routing: calibrated per-field confidences, and the review decision.

Raw scores (the model's tag probabilities, a rule's fixed score, the model's belief that a
field is absent) are mapped to the probability that the field's value is right by monotone
(isotonic) maps fitted on the dev split at training time (training/calibrate.py) and saved in
the model folder's `calibration.json`. An email goes to review when any field or the intent is
under the threshold, when a required field is missing, or when the stays have issues (vague or
inconsistent dates); `review_reasons` says which, as short machine-readable strings.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from extractor.form import FIELDS, ExtractionResult, FormField

# score kinds that get their own map: who produced the value, or that nothing was found
KINDS = ("model", "rules", "derived", "absent", "intent")
DEFAULT_THRESHOLD = 0.8


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

    def apply(self, raw: float, kind: str) -> float:
        """The calibrated probability for a raw score of `kind` (identity when not fitted)."""
        m = self.maps.get(kind)
        if m is None:
            return float(min(1.0, max(0.0, raw)))
        return float(np.interp(raw, m[0], m[1]))


def calibrate_result(result: ExtractionResult, absent: dict[str, float], cal: Calibration
                     ) -> None:
    """Replace the raw confidences of `result` (in place) with calibrated ones."""
    result.intent_confidence = cal.apply(result.intent_confidence, "intent")
    for stay in result.stays:
        for name in FIELDS:
            f: FormField = stay.field(name)
            if f.value is None:
                f.confidence = cal.apply(absent.get(name, 1.0), "absent")
            else:
                f.confidence = cal.apply(f.confidence, f.source)


def route(result: ExtractionResult, *, threshold: float, issues: list[str],
          defects: tuple[str, ...] = ()) -> None:
    """Set `status` and `review_reasons` of `result` (in place)."""
    reasons: list[str] = []
    if result.intent_confidence < threshold:
        reasons.append("low_confidence:intent")
    booking = result.intent == "new_booking"
    if booking and not result.stays:
        reasons.append("missing:stay")
    for stay in result.stays:
        if booking:
            if stay.destination.value is None:
                reasons.append("missing:destination")
            if stay.check_in.value is None:
                reasons.append("missing:check_in")
            if stay.check_out.value is None and stay.nights.value is None:
                reasons.append("missing:check_out")
        for name in FIELDS:
            if stay.field(name).confidence < threshold:
                reasons.append(f"low_confidence:{name}")
    reasons.extend(issues)
    reasons.extend(f"defect:{d}" for d in defects if d in ("truncated",))
    result.review_reasons = list(dict.fromkeys(reasons))  # unique, in order
    result.status = "needs_review" if result.review_reasons else "auto_accepted"
