"""Agreement of two hand-made annotator files, every number computed by hand below."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from annotations.agreement import cohen_kappa, compare
from annotations.schema import Span
from annotations.validate import read_file
from stayform.cli import main

# e1 "Two rooms in Munich near the Messe from 3 to 5 May."
#    A and B agree on rooms [0,9) destination [13,19) check_in [40,41) check_out [45,50);
#    near: A "the Messe" [25,34), B "Messe" [29,34): no exact match, IoU 5/9.
#    Forms: one stay each, equal except near ("the Messe" vs "Messe").
# e2 "Please cancel my booking at Hotel Adlon in Berlin."
#    A cancellation, B modification. destination [43,49) agrees; hotel_name: A "Hotel Adlon"
#    [28,39), B "Adlon" [34,39): IoU 5/11. A has one stay, B two: slot 0 differs in
#    hotel_name; slot 1 is (null vs destination Berlin).
# e3 "Newsletter: spring offers in Vienna." both not_hotel, no stays; only B marks Vienna.
# a-only / b-only: in one file each.
A = [
    {"id": "e1", "markup": "[[Two rooms|rooms]] in [[Munich|destination]] near [[the Messe|near]]"
     " from [[3|check_in]] to [[5 May|check_out]].",
     "form": {"intent": "new_booking", "stays": [
         {"destination": "Munich", "check_in": "2026-05-03", "check_out": "2026-05-05",
          "nights": 2, "rooms": 2, "near": "the Messe"}]}},
    {"id": "e2", "markup": "Please cancel my booking at [[Hotel Adlon|hotel_name]] in "
     "[[Berlin|destination]].",
     "form": {"intent": "cancellation", "stays": [
         {"destination": "Berlin", "hotel_name": "Hotel Adlon"}]}},
    {"id": "e3", "markup": "Newsletter: spring offers in Vienna.",
     "form": {"intent": "not_hotel", "stays": []}},
    {"id": "a-only", "markup": "Hello.", "form": {"intent": "not_hotel"}},
]
B = [
    {"id": "b-only", "markup": "Hello.", "form": {"intent": "not_hotel"}},
    {"id": "e3", "markup": "Newsletter: spring offers in [[Vienna|destination]].",
     "form": {"intent": "not_hotel", "stays": []}},
    {"id": "e2", "markup": "Please cancel my booking at Hotel [[Adlon|hotel_name]] in "
     "[[Berlin|destination]].",
     "form": {"intent": "modification", "stays": [
         {"destination": "Berlin", "hotel_name": "Adlon"}, {"destination": "Berlin"}]}},
    {"id": "e1", "markup": "[[Two rooms|rooms]] in [[Munich|destination]] near the [[Messe|near]]"
     " from [[3|check_in]] to [[5 May|check_out]].",
     "form": {"intent": "new_booking", "stays": [
         {"destination": "Munich", "check_in": "2026-05-03", "check_out": "2026-05-05",
          "nights": 2, "rooms": 2, "near": "Messe"}]}},
]


def _write(path: Path, records: list[dict[str, Any]]) -> Path:
    path.write_text("".join(json.dumps(r) + "\n" for r in records), encoding="utf-8")
    return path


@pytest.fixture
def files(tmp_path: Path) -> tuple[Path, Path]:
    return _write(tmp_path / "a.jsonl", A), _write(tmp_path / "b.jsonl", B)


def test_scores_match_the_hand_computation(files: tuple[Path, Path]) -> None:
    a, b = ([loc.email for loc in read_file(p)[0]] for p in files)
    r = compare(a, b)
    assert r.emails == 3 and r.only_a == ["a-only"] and r.only_b == ["b-only"]
    by_label = {s.label: s for s in r.labels}
    assert list(by_label) == ["destination", "check_in", "check_out", "rooms", "hotel_name",
                              "near"]
    # destination: A 2 (Munich, Berlin), B 3 (+Vienna), 2 exact: P 2/2, R 2/3, F1 2·2/(2+3).
    d = by_label["destination"]
    assert (d.spans_a, d.spans_b, d.exact) == (2, 3, 2)
    assert (d.precision, d.recall, d.f1) == (1.0, pytest.approx(2 / 3), pytest.approx(0.8))
    assert (d.overlapping_pairs, d.mean_iou) == (2, 1.0)
    for label in ("rooms", "check_in", "check_out"):
        s = by_label[label]
        assert (s.spans_a, s.spans_b, s.exact, s.precision, s.recall, s.f1, s.mean_iou) == (
            1, 1, 1, 1.0, 1.0, 1.0, 1.0)
    # hotel_name and near: one span each side, no exact match, IoU 5/11 and 5/9.
    h, n = by_label["hotel_name"], by_label["near"]
    assert (h.exact, h.precision, h.recall, h.f1) == (0, 0.0, 0.0, 0.0)
    assert h.mean_iou == pytest.approx(5 / 11)
    assert n.mean_iou == pytest.approx(5 / 9)
    # all: A 7 spans, B 8, 5 exact: P 5/7, R 5/8, F1 10/15; 7 overlapping pairs with mean IoU
    # (5·1 + 5/11 + 5/9) / 7 = (595/99) / 7 = 85/99.
    o = r.overall
    assert (o.spans_a, o.spans_b, o.exact, o.overlapping_pairs) == (7, 8, 5, 7)
    assert o.precision == pytest.approx(5 / 7) and o.recall == pytest.approx(5 / 8)
    assert o.f1 == pytest.approx(2 / 3) and o.mean_iou == pytest.approx(85 / 99)


def test_form_and_intent_agreement_match_the_hand_computation(files: tuple[Path, Path]) -> None:
    a, b = ([loc.email for loc in read_file(p)[0]] for p in files)
    r = compare(a, b)
    # Stay slots: e1 one, e2 two (A's missing slot 1 counts as all null), e3 none: 3 per field.
    fields = {f.field: (f.compared, f.agreed) for f in r.fields}
    assert fields["destination"] == (3, 2)  # e2 slot 1: null vs Berlin
    assert fields["near"] == (3, 2)  # e1: "the Messe" vs "Messe"
    assert fields["hotel_name"] == (3, 2)  # e2 slot 0: "Hotel Adlon" vs "Adlon"
    assert {k: v for k, v in fields.items() if k not in ("destination", "near", "hotel_name")
            } == {k: (3, 3) for k in fields if k not in ("destination", "near", "hotel_name")}
    # Intent: 2 of 3 agree. A: nb, cancel, not_hotel; B: nb, modification, not_hotel.
    # chance = 1/3·1/3 (new_booking) + 1/3·1/3 (not_hotel) = 2/9;
    # kappa = (2/3 − 2/9) / (1 − 2/9) = 4/7.
    assert r.intent_agreement == pytest.approx(2 / 3)
    assert r.intent_kappa == pytest.approx(4 / 7)


def test_disagreements_are_listed(files: tuple[Path, Path]) -> None:
    a, b = ([loc.email for loc in read_file(p)[0]] for p in files)
    listed = [(d.id, d.label, d.a, d.b) for d in compare(a, b).disagreements]
    assert listed == [
        ("e1", "near", "'the Messe' [25,34)", "'Messe' [29,34)"),
        ("e1", "stays[0].near", '"the Messe"', '"Messe"'),
        ("e2", "intent", "cancellation", "modification"),
        ("e2", "hotel_name", "'Hotel Adlon' [28,39)", "'Adlon' [34,39)"),
        ("e2", "stays[0].hotel_name", '"Hotel Adlon"', '"Adlon"'),
        ("e2", "stays[1].destination", None, '"Berlin"'),
        ("e3", "destination", None, "'Vienna' [29,35)"),
    ]


def test_cohen_kappa_edge_cases() -> None:
    assert cohen_kappa(["x", "y"], ["x", "y"]) == 1.0
    assert cohen_kappa(["x", "x"], ["x", "x"]) is None  # chance agreement is 1
    assert cohen_kappa([], []) is None
    # a: x x y y, b: x y y y -> observed 3/4, chance (2·1 + 2·3)/16 = 1/2, kappa 1/2.
    assert cohen_kappa(list("xxyy"), list("xyyy")) == pytest.approx(0.5)


def test_iou_of_disjoint_and_nested_spans() -> None:
    from annotations.agreement import iou

    assert iou(Span(start=0, end=4, label="near"), Span(start=4, end=8, label="near")) == 0.0
    assert iou(Span(start=0, end=10, label="near"), Span(start=2, end=4, label="near")) == 0.2


def test_cli_json_and_table(files: tuple[Path, Path], capsys: pytest.CaptureFixture[str]) -> None:
    a, b = files
    assert main(["annotations", "agreement", str(a), str(b), "--json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["overall"]["exact"] == 5 and data["intent_kappa"] == pytest.approx(4 / 7)
    assert len(data["disagreements"]) == 7
    assert main(["annotations", "agreement", str(a), str(b)]) == 0
    out = capsys.readouterr().out
    assert "only in A (1): a-only" in out and "only in B (1): b-only" in out
    assert "Cohen's kappa 0.571" in out
    assert any(line.split()[:4] == ["destination", "2", "3", "2"] for line in out.splitlines())


def test_cli_rejects_an_unreadable_file(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    bad = tmp_path / "bad.jsonl"
    bad.write_text("{not json\n", encoding="utf-8")
    good = _write(tmp_path / "b.jsonl", B)
    assert main(["annotations", "agreement", str(bad), str(good)]) == 1
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and "E100" in err[0] and f"{bad}:1" in err[0]


def test_children_and_implied_marks_are_compared() -> None:
    from annotations.schema import AnnotatedEmail
    from extractor.form import FormValues, StayValues

    def one(stay: StayValues) -> AnnotatedEmail:
        return AnnotatedEmail(id="x", text="t", origin="handwritten",
                              form=FormValues(intent="new_booking", stays=[stay]))

    a = one(StayValues(guests=2, children=1, implied=["guests"]))
    b = one(StayValues(guests=2, children=2))
    r = compare([a], [b])
    fields = {f.field: (f.compared, f.agreed) for f in r.fields}
    assert fields["children"] == (1, 0) and fields["guests"] == (1, 1)
    assert fields["implied"] == (1, 0)
    assert ("x", "stays[0].implied", '["guests"]', None) in [
        (d.id, d.label, d.a, d.b) for d in r.disagreements]
