"""Agreement of two blind labellings of the cold set (data/cold): the writer's expected forms and
a second annotator's, email by email, before the disagreements are settled.

    python bench/cold_agreement.py data/cold/emails/expected-a.jsonl data/cold/second/expected-a.jsonl

Prints intent agreement, agreement on the number of stays, per-field agreement (over the stays
both put at the same position, a field counted when either labelling holds it; values compared
case- and accent-insensitively, a null and an absent key alike), and each disagreement.
"""

from __future__ import annotations

import argparse
import collections
import json
import sys
import unicodedata
from pathlib import Path
from typing import Any


def _norm(value: Any) -> Any:
    if isinstance(value, str):
        text = unicodedata.normalize("NFKD", value)
        return " ".join("".join(c for c in text if not unicodedata.combining(c)).split()).casefold()
    if isinstance(value, list):
        return sorted(_norm(v) for v in value)
    if isinstance(value, dict):
        return {k: _norm(v) for k, v in value.items()}
    return value


def _read(path: Path) -> dict[str, dict]:
    return {r["file"]: r for r in map(json.loads, path.read_text(encoding="utf-8").splitlines())
            if r}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("first", type=Path)
    parser.add_argument("second", type=Path)
    args = parser.parse_args()
    first, second = _read(args.first), _read(args.second)
    files = sorted(set(first) & set(second))
    agree, total = collections.Counter(), collections.Counter()
    same_intent = same_stays = 0
    disagreements: list[str] = []
    for name in files:
        a, b = first[name], second[name]
        same_intent += a["intent"] == b["intent"]
        if a["intent"] != b["intent"]:
            disagreements.append(f"{name} intent: {a['intent']} / {b['intent']}")
        same_stays += len(a["stays"]) == len(b["stays"])
        if len(a["stays"]) != len(b["stays"]):
            disagreements.append(f"{name} stays: {len(a['stays'])} / {len(b['stays'])}")
        for k, (x, y) in enumerate(zip(a["stays"], b["stays"], strict=False)):
            for key in sorted(set(x) | set(y)):
                total[key] += 1
                if _norm(x.get(key)) == _norm(y.get(key)):
                    agree[key] += 1
                else:
                    disagreements.append(f"{name} stay {k} {key}: {x.get(key)!r} / {y.get(key)!r}")
    n = len(files)
    print(f"{n} emails labelled twice; intent agreement {same_intent}/{n}; "
          f"same number of stays {same_stays}/{n}")
    for key in sorted(total):
        print(f"{key:15s} {agree[key]:4d}/{total[key]:<4d} {agree[key] / total[key]:.3f}")
    print(f"all fields {sum(agree.values())}/{sum(total.values())} "
          f"{sum(agree.values()) / max(1, sum(total.values())):.3f}")
    print("\n".join(disagreements))
    return 0


if __name__ == "__main__":
    sys.exit(main())
