"""Validation: each code of docs/ANNOTATION.md's table is caught in a file planted with it."""

from __future__ import annotations

import copy
import json
from pathlib import Path
from typing import Any

import pytest

from annotations.validate import Problem, parse_line, validate, validate_files
from stayform.cli import main

TEXT = "Hi, please book two single rooms in Munich from 3 to 5 May near the Messe, with breakfast."


def _span(label: str, phrase: str, *, text: str = TEXT) -> dict[str, Any]:
    start = text.index(phrase)
    return {"start": start, "end": start + len(phrase), "label": label, "text": phrase}


def good() -> dict[str, Any]:
    """A clean annotation line (as a dict) that every planted error starts from."""
    return {
        "id": "en-1",
        "text": TEXT,
        "received_at": "2026-04-20T09:12:00+02:00",
        "language": "en",
        "origin": "handwritten",
        "spans": [
            _span("rooms", "two"), _span("room_type", "single rooms"),
            _span("destination", "Munich"), _span("check_in", "3"),
            _span("check_out", "5 May"), _span("near", "Messe"),
            _span("breakfast", "with breakfast"),
        ],
        "form": {"intent": "new_booking", "stays": [{
            "destination": "Munich", "check_in": "2026-05-03", "check_out": "2026-05-05",
            "nights": 2, "rooms": 2, "room_type": "single", "near": "Messe", "breakfast": True,
        }]},
    }


def _write(path: Path, *records: dict[str, Any] | str) -> Path:
    lines = [r if isinstance(r, str) else json.dumps(r, ensure_ascii=False) for r in records]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def _codes(problems: list[Problem]) -> list[str]:
    return [p.code for p in problems]


def test_clean_email_has_no_problems(tmp_path: Path) -> None:
    _, problems = validate_files([_write(tmp_path / "ok.jsonl", good())])
    assert problems == []


def _plant(code: str) -> list[dict[str, Any] | str]:
    e = good()
    spans = e["spans"]
    stay = e["form"]["stays"][0]
    if code == "E100":
        bad_schema = copy.deepcopy(e)
        bad_schema["id"] = "en-2"
        bad_schema["form"]["stays"][0]["rooms"] = 0  # rooms >= 1
        return ['{"id": "en-0", "text": ', bad_schema, e]
    if code == "E101":
        spans[2] = {"start": spans[2]["start"] + 1, "end": spans[2]["end"], "label": "destination"}
    elif code == "E102":
        spans.append({"start": len(TEXT) - 2, "end": len(TEXT) + 5, "label": "near"})
    elif code == "E103":
        spans.append(_span("politeness", "please"))
    elif code == "E104":
        spans[2]["text"] = "Munchen"
    elif code == "E105":
        spans.append(_span("hotel_name", "the Messe"))
    elif code == "E106":
        stay["guests"] = 2
    elif code == "E107":
        stay["nights"] = 3
    elif code == "E108":
        return [e, copy.deepcopy(e) | {"text": TEXT}]
    elif code == "E109":
        e["form"]["intent"] = "not_hotel"
    elif code == "E110":
        stay["implied"] = ["guests"]  # guests null: the mark claims a value there is none of
    return [e]


@pytest.mark.parametrize("code", [f"E1{n:02d}" for n in range(11)])
def test_each_planted_error_is_found_with_its_code(tmp_path: Path, code: str) -> None:
    path = _write(tmp_path / f"{code}.jsonl", *_plant(code))
    _, problems = validate_files([path])
    errors = [p for p in problems if p.is_error]
    assert errors, f"{code} not found"
    assert {p.code for p in errors} == {code}, [p.format() for p in problems]
    assert all(p.file == str(path) for p in problems)


def test_unreadable_lines_are_reported_by_line_and_validation_goes_on(tmp_path: Path) -> None:
    path = _write(tmp_path / "e100.jsonl", *_plant("E100"))
    located, problems = validate_files([path])
    assert [(p.code, p.line) for p in problems] == [("E100", 1), ("E100", 2)]
    assert problems[1].id == "en-2" and "rooms" in problems[1].message
    assert [loc.line for loc in located] == [3]


def test_e101_and_e105_details() -> None:
    e = good()
    # The end inside a word: "Munic|h".
    e["spans"][2] = {"start": e["spans"][2]["start"], "end": e["spans"][2]["end"] - 1,
                     "label": "destination"}
    e["spans"].append(_span("hotel_name", "the Messe"))
    problems = validate([json.dumps(e)], consistency=False)
    assert sorted(_codes(problems)) == ["E101", "E105"]
    assert "Munich" in next(p for p in problems if p.code == "E101").message


def test_span_with_outer_whitespace_is_e101() -> None:
    e = good()
    e["spans"][2] = _span("destination", "Munich ")
    assert _codes(validate([json.dumps(e)], consistency=False)) == ["E101"]


def test_empty_span_is_e102() -> None:
    e = good()
    e["spans"].append({"start": 10, "end": 10, "label": "near"})
    assert _codes(validate([json.dumps(e)], consistency=False)) == ["E102"]


def test_derived_nights_and_check_out_need_no_span() -> None:
    e = good()
    e["spans"] = [s for s in e["spans"] if s["label"] != "check_out"]  # check_in + nights
    assert validate([json.dumps(e)], consistency=False) == []
    e = good()
    e["spans"] = [s for s in e["spans"] if s["label"] != "check_in"]
    stay = e["form"]["stays"][0]
    stay["check_in"] = None  # now check_out has a span, nights does not derive from anything
    assert _codes(validate([json.dumps(e)], consistency=False)) == ["E106"]


def test_booking_without_stays_is_e109() -> None:
    e = good()
    e["form"] = {"intent": "modification", "stays": []}
    assert _codes(validate([json.dumps(e)], consistency=False)) == ["E109"]
    e["form"] = {"intent": "cancellation", "stays": []}
    assert _codes(validate([json.dumps(e)], consistency=False)) == []


def test_duplicate_ids_across_files(tmp_path: Path) -> None:
    a = _write(tmp_path / "a.jsonl", good())
    b = _write(tmp_path / "b.jsonl", good())
    _, problems = validate_files([a, b])
    assert [(p.code, p.file, p.line) for p in problems if p.is_error] == [("E108", str(b), 1)]


def test_source_markup_lines_are_read_as_handwritten() -> None:
    source = {"id": "de-1", "language": "de",
              "markup": "Bitte [[2|rooms]] [[DZ|room_type]] in [[Köln|destination]].",
              "form": {"intent": "new_booking",
                       "stays": [{"destination": "Cologne", "rooms": 2, "room_type": "double"}]}}
    loc = parse_line(json.dumps(source, ensure_ascii=False), lineno=7)
    assert not isinstance(loc, Problem)
    assert loc.email.origin == "handwritten" and loc.line == 7
    assert loc.email.text == "Bitte 2 DZ in Köln."
    assert [(s.start, s.end, s.label) for s in loc.email.spans] == [
        (6, 7, "rooms"), (8, 10, "room_type"), (14, 18, "destination")]


def test_broken_markup_is_e100() -> None:
    source = {"id": "de-2", "markup": "in [[Köln|destination] bitte", "form": {"intent": "not_hotel"}}
    problems = validate([json.dumps(source)], consistency=False)
    assert [(p.code, p.id, p.line) for p in problems] == [("E100", "de-2", 1)]


def test_cli_prints_problems_and_exits_1_on_errors(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = _write(tmp_path / "e107.jsonl", *_plant("E107"))
    assert main(["annotations", "validate", str(path)]) == 1
    out = capsys.readouterr().out.splitlines()
    assert out[0].startswith(f"{path}:1 en-1 E107 stays[0].nights = 3")
    assert out[-1] == "1 file(s), 1 email(s) read: 1 error(s), 0 warning(s)"


def test_cli_exits_0_with_only_warnings(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    other = good() | {"id": "en-2"}
    other["spans"] = [s for s in other["spans"] if s["label"] != "near"]
    other["form"]["stays"][0]["near"] = None
    path = _write(tmp_path / "w.jsonl", good(), other)
    assert main(["annotations", "validate", str(path)]) == 0
    out = capsys.readouterr().out.splitlines()
    assert out[0] == (f"{path}:2 en-2 W201 'Messe' unlabelled here but labelled in the same "
                      "sentence as near in id en-1")


def test_cli_missing_file_is_a_one_line_user_error(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["annotations", "validate", "/nonexistent/x.jsonl"]) == 1
    err = capsys.readouterr().err
    assert err.strip() == "stayform: error: /nonexistent/x.jsonl: no such file"


def test_every_span_nested_in_a_long_one_overlaps_it() -> None:
    e = good()
    e["spans"].append(_span("hotel_name", "two single rooms in Munich"))
    problems = validate([json.dumps(e)], consistency=False)
    assert [p.message for p in problems] == [
        "span [16,42) hotel_name overlaps [16,19) rooms",
        "span [16,42) hotel_name overlaps [20,32) room_type",
        "span [16,42) hotel_name overlaps [36,42) destination",
    ]


def test_implied_values_need_no_span_but_must_be_values() -> None:
    # "Could you book me two single rooms ...", signed: the writer named by the sign-off and
    # the guests of two single rooms are implied; children is no span label at all
    e = good()
    e["form"]["stays"][0].update(guests=2, traveler_names=["Daniel Okafor"], children=1,
                                 implied=["guests", "traveler_names"])
    assert validate([json.dumps(e)], consistency=False) == []
    e["form"]["stays"][0]["implied"] = ["guests"]
    assert _codes(validate([json.dumps(e)], consistency=False)) == ["E106"]
    e["form"]["stays"][0]["implied"] = ["guests", "traveler_names", "hotel_name"]
    problems = validate([json.dumps(e)], consistency=False)
    assert _codes(problems) == ["E110"] and "hotel_name" in problems[0].message


def test_implied_must_name_stay_fields() -> None:
    e = good()
    e["form"]["stays"][0]["implied"] = ["politeness"]
    assert _codes(validate([json.dumps(e)], consistency=False)) == ["E100"]
