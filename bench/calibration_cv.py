"""Benchmark: how sure stayform is, measured on mail the calibration was not fitted on.

The maps and threshold are fitted on hand-written dev emails and the hand-written form sets
(`stayform calibrate`), so their own auto-accept figures are in-sample. This leaves each group
out in turn (the hand-written dev emails, then each form set), fits the maps and the threshold
on the others exactly as `stayform calibrate` does, and counts on the group left out: how many
emails are auto-accepted and how many of those hold any wrong value. It also prints the Brier
score of the field confidences left out, with one map per kind (the calibration of the
thirteenth session) and with fields' own maps. Not a test: figures for BENCHMARKS.md.

    python bench/calibration_cv.py [--model models/default]
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from extractor.confidence import KINDS, Calibration  # noqa: E402
from extractor.pipeline import Extractor  # noqa: E402
from training import calibrate  # noqa: E402
from training.config import TrainConfig  # noqa: E402
from training.data import load_emails  # noqa: E402
from training.finish import judge_annotated  # noqa: E402
from training.forms import Judged, judge_form_set, load_form_set  # noqa: E402


def brier(cal: Calibration, judged: list[Judged]) -> tuple[float, int]:
    """The summed squared error of the field and intent confidences, and their number."""
    outs = [o for j in judged for o in calibrate.apply_maps(j.outcomes, cal) if o.kind in KINDS]
    return sum((o.confidence - o.correct) ** 2 for o in outs), len(outs)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--model", default=str(ROOT / "models/default"))
    a = ap.parse_args()
    model = Path(a.model)
    cfg = TrainConfig.model_validate_json((model / "train_config.json").read_text())
    loaded = Extractor.load(model)
    raw = Extractor(loaded.tagger, loaded.rules, Calibration(temperature=loaded.tagger.temperature),
                    threshold=0.0, lexical_intent=loaded.lexical_intent)
    dev = [e for e in load_emails([str(ROOT / f) for f in cfg.dev_files])
           if e.origin != "generated"]
    groups = {"hand-written dev": judge_annotated(raw, dev)}
    for path in cfg.calibration_forms:
        groups[Path(path).parent.name if path.endswith(".jsonl") else Path(path).name] = (
            judge_form_set(raw, load_form_set(ROOT / path)))
    print("| left out | emails | threshold | auto-accepted | with a wrong value |")
    print("| --- | --- | --- | --- | --- |")
    totals = [0, 0, 0]
    squared = {"per kind": [0.0, 0], "per field": [0.0, 0]}
    for name, judged in groups.items():
        rest = [j for other, js in groups.items() if other != name for j in js]
        cal, _ = calibrate.fit_on(rest)
        accepted, wrong = calibrate.held_out(cal, judged)
        totals = [totals[0] + len(judged), totals[1] + accepted, totals[2] + wrong]
        print(f"| {name} | {len(judged)} | {cal.threshold:.2f} | {accepted} "
              f"({accepted / len(judged):.1%}) | {wrong} |")
        pooled, _ = calibrate.fit_on(rest, field_min=len(rest) * 100)  # one map per kind
        for label, c in (("per kind", pooled), ("per field", cal)):
            s, n = brier(c, judged)
            squared[label][0] += s
            squared[label][1] += n
    n, accepted, wrong = totals
    print(f"| all, each left out once | {n} | | {accepted} ({accepted / n:.1%}) | {wrong} "
          f"({wrong / max(1, accepted):.1%} of them) |")
    for label, (s, k) in squared.items():
        print(f"Brier score of the field confidences left out, maps {label}: {s / k:.4f} ({k})")


if __name__ == "__main__":
    main()
