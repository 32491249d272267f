"""Form sets: hand-written mail labelled with the booking form it must give, and its judge.

A form set is the format `../shared/external/CONVENTIONS.md` describes and the project's own
probe sets use (`data/handwritten/probe`, `threads`, `chat`, ...): a folder of `.eml` files
with an `expected.jsonl` of `{"file", "intent", "stays": [{field: value}]}` lines, or a `.jsonl`
of texts (`{"id", "text", "received_at"}`) with `expected.jsonl` beside it naming each text
`<id>.eml`. The labels are form values, not spans: they say what the clerk books, written or
implied, so they judge the whole form stayform gives (calibration fits on them;
`training.calibrate`).

The judge follows the conventions: only the fields an expected stay names are judged; an
expected null must come out null; places and names compare case- and accent-insensitively;
a hotel or a place to be near is right when half its words are the expected ones, or when it is
a short form inside the expected name; a budget for a one-night stay may be per night or per
stay. Expected and found stays pair by destination, then in order.
"""

from __future__ import annotations

import json
import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from extractor.batch import process_chunk
from extractor.form import STAY_FIELDS, ExtractionResult, Price, Stay
from extractor.inputs import InputItem, iter_inputs
from extractor.pipeline import Extractor
from training.evaluate import Outcome

EXPECTED = "expected.jsonl"
_FUZZY = ("hotel_name", "near")  # named places: half the words are enough
_COUNTS = ("nights", "rooms", "guests", "children")


@dataclass(frozen=True)
class FormCase:
    """One message of a form set and the form it must give (`expected`: intent and stays)."""

    item: InputItem
    expected: dict[str, Any]


@dataclass(frozen=True)
class Judged:
    """A case's outcomes (each found field with its confidence and whether it is right, the
    intent, and every stay missed or made up) and whether it went to review whatever its
    confidences (`blocked`: a missing value, a vague date ...)."""

    outcomes: list[Outcome]
    blocked: bool

    @property
    def right(self) -> bool:
        return all(o.correct for o in self.outcomes)


def load_form_set(path: Path) -> list[FormCase]:
    """The cases of the form set at `path` (a folder of .eml, or a .jsonl of texts)."""
    expected_file = (path if path.is_dir() else path.parent) / EXPECTED
    if not expected_file.is_file():
        raise ValueError(f"form set {path}: no {EXPECTED} beside it")
    expected = [json.loads(line) for line in expected_file.read_text(encoding="utf-8")
                .splitlines() if line.strip()]
    if path.is_dir():
        missing = [e["file"] for e in expected if not (path / e["file"]).is_file()]
        if missing:
            raise ValueError(f"form set {path}: {len(missing)} labelled files missing, "
                             f"first {missing[0]}")
        return [FormCase(InputItem(id=e["file"], raw=(path / e["file"]).read_bytes()), e)
                for e in expected]
    items = {item.id: item for item in iter_inputs(path)}
    stems = [str(e["file"]).removesuffix(".eml") for e in expected]
    missing = [s for s in stems if s not in items]
    if missing:
        raise ValueError(f"form set {path}: {len(missing)} labelled texts missing, "
                         f"first {missing[0]}")
    return [FormCase(items[s], e) for s, e in zip(stems, expected, strict=True)]


def _norm(value: object) -> str:
    s = unicodedata.normalize("NFKD", str(value))
    s = "".join(c for c in s if not unicodedata.combining(c)).replace("ı", "i")
    return re.sub(r"\s+", " ", s).strip().casefold()


def _words(value: object) -> set[str]:
    return set(re.findall(r"\w+", _norm(value)))


def same_as_expected(name: str, expected: Any, got: Any, *, one_night: bool = False) -> bool:
    """Whether the found value `got` of field `name` is the `expected` one (see the module)."""
    if expected is None:
        return got in (None, [], "")
    if got is None:
        return False
    if name == "destination":
        g, e = _norm(got), _norm(expected)
        return g == e or g.startswith((e + ",", e + " ("))
    if name in _FUZZY:
        want, have = _words(expected), _words(got)
        return (len(want & have) / max(1, len(want | have)) >= 0.5
                or (bool(have) and have <= want and len(" ".join(have)) >= 3))
    if name == "max_price":
        if not isinstance(got, Price):
            return False
        return (abs(float(got.amount) - float(expected["amount"])) < 0.01
                and _norm(got.currency) == _norm(expected["currency"])
                and (not expected.get("per") or one_night
                     or _norm(got.per) == _norm(expected["per"])))
    if name == "traveler_names":
        return {_norm(x) for x in got} == {_norm(x) for x in expected}
    if name in _COUNTS:
        return isinstance(got, int) and got == int(expected)
    if name in ("check_in", "check_out"):
        return got.isoformat() == str(expected)
    if isinstance(got, bool):
        return got is bool(expected)
    return _norm(got) == _norm(expected)


def _pair(expected: Sequence[dict[str, Any]], found: Sequence[Stay]
          ) -> tuple[list[tuple[dict[str, Any], Stay | None]], int]:
    """Expected stays paired with found ones (by destination, then in order), and how many
    found stays are left over."""
    free = list(range(len(found)))
    pairs: list[tuple[dict[str, Any], Stay | None]] = []
    for e in expected:
        pick = next((i for i in free if "destination" in e and same_as_expected(
            "destination", e["destination"], found[i].destination.value)), None)
        if pick is None and free:
            pick = free[0]
        if pick is not None:
            free.remove(pick)
        pairs.append((e, found[pick] if pick is not None else None))
    return pairs, len(free)


def judge_form(result: ExtractionResult, expected: dict[str, Any]) -> Judged:
    """The outcomes of one result against its expected form; a field the expected stay does
    not name counts as right (it is not judged), but its confidence still decides routing."""
    outcomes = [Outcome(str(result.intent), result.intent_confidence, "intent",
                        result.intent == expected["intent"])]
    pairs, extra = _pair(expected.get("stays") or [], result.stays)
    outcomes.extend(Outcome("stays", 1.0, "stay_made_up", False) for _ in range(extra))
    for want, stay in pairs:
        if stay is None:
            outcomes.append(Outcome("stays", 1.0, "stay_missed", False))
            continue
        for name in STAY_FIELDS:
            f = stay.field(name)
            kind = "absent" if f.value in (None, []) else f.source
            right = name not in want or same_as_expected(
                name, want[name], f.value, one_night=want.get("nights") == 1)
            outcomes.append(Outcome(name, f.confidence, kind, right))
    blocked = any(not r.startswith("low_confidence:") for r in result.review_reasons)
    return Judged(outcomes, blocked)


def judge_form_set(extractor: Extractor, cases: Sequence[FormCase], *, batch_size: int = 32
                   ) -> list[Judged]:
    """Each case read and extracted as `stayform batch` would, then judged."""
    results = process_chunk(extractor, [c.item for c in cases], batch_size=batch_size)
    return [judge_form(r, c.expected) for r, c in zip(results, cases, strict=True)]
