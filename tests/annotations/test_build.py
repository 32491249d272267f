"""The corpus build: deterministic bytes, everything validated, the files and card written."""

from __future__ import annotations

import json
import random
from collections.abc import Iterator
from pathlib import Path

import pytest

from annotations import build
from annotations.build import BuildError, build_corpus
from annotations.markup import parse_markup
from annotations.schema import AnnotatedEmail, json_schema, read_jsonl
from extractor.form import FormValues, StayValues
from stayform.cli import main

CITIES = [("Munich", "München"), ("Cologne", "Köln"), ("Berlin", "Berlin"),
          ("Vienna", "Wien"), ("Hamburg", "Hamburg"), ("Zurich", "Zürich")]
NAMES = ["Anna Schmidt", "Tom Berg", "Lea Wolf", "Jonas Keller", "Mia Brandt", "Paul Roth"]


def _source_line(i: int) -> dict[str, object]:
    city, written = CITIES[i % len(CITIES)]
    name = NAMES[(i * 5) % len(NAMES)]
    markup = (f"Hallo, bitte [[{i % 3 + 1}|rooms]] [[EZ|room_type]] in [[{written}|destination]] "
              f"für [[{name}|traveler_names]], Anfrage Nummer {i} von Kunde {NAMES[i % 6]}. "
              f"Danke und viele Grüße aus dem Büro {i * 7}.")
    return {"id": f"hw-de-{i:03d}", "language": "de", "markup": markup,
            "received_at": "2026-04-20T09:00:00+02:00",
            "form": {"intent": "new_booking", "stays": [
                {"destination": city, "rooms": i % 3 + 1, "room_type": "single",
                 "traveler_names": [name]}]},
            "meta": {"annotator": "tester", "style": "formal" if i % 2 else "chat"}}


def fake_generate(n: int, seed: int) -> Iterator[AnnotatedEmail]:
    """A stand-in generator: varied, seeded, labelled by construction."""
    rng = random.Random(seed)
    openers = ["Hi", "Hello team", "Dear booking office", "Good morning"]
    for k in range(n):
        city, _ = rng.choice(CITIES)
        nights = rng.randint(1, 9)
        words = " ".join(rng.choice(["quiet", "central", "modern", "cheap", "nice"])
                         for _ in range(rng.randint(1, 4)))
        text, spans = parse_markup(
            f"{rng.choice(openers)}, I need a {words} hotel in [[{city}|destination]] for "
            f"[[{nights} nights|nights]], reference {rng.randint(100, 999)}.")
        yield AnnotatedEmail(
            id=f"gen-{seed}-{k:05d}", text=text, spans=spans, origin="generated", language="en",
            form=FormValues(intent="new_booking",
                            stays=[StayValues(destination=city, nights=nights)]),
            meta={"template": "hotel-nights"})


@pytest.fixture
def root(tmp_path: Path) -> Path:
    src = tmp_path / "repo" / "data" / "handwritten" / "source"
    src.mkdir(parents=True)
    (src / "de.jsonl").write_text(
        "".join(json.dumps(_source_line(i), ensure_ascii=False) + "\n" for i in range(24)),
        encoding="utf-8")
    return tmp_path / "repo"


OUTPUTS = ["data/corpus/train.jsonl", "data/corpus/dev.jsonl", "data/corpus/test.jsonl",
           "docs/annotation.schema.json", "docs/DATA_CARD.md"]


def _bytes(out: Path) -> dict[str, bytes]:
    return {name: (out / name).read_bytes() for name in OUTPUTS}


def test_build_twice_gives_identical_bytes(root: Path, tmp_path: Path) -> None:
    first = build_corpus(root=root, n_generated=40, seed=13, generate=fake_generate,
                         out=tmp_path / "a")
    build_corpus(root=root, n_generated=40, seed=13, generate=fake_generate, out=tmp_path / "b")
    assert _bytes(tmp_path / "a") == _bytes(tmp_path / "b")
    assert [str(p.relative_to(tmp_path / "a")) for p in first.written] == OUTPUTS
    other = build_corpus(root=root, n_generated=40, seed=14, generate=fake_generate,
                         out=tmp_path / "c")
    assert _bytes(tmp_path / "c") != _bytes(tmp_path / "a")  # the seed reaches the generator
    assert sum(len(p) for p in other.splits.values()) == 64


def test_build_with_the_project_generator_is_deterministic(root: Path, tmp_path: Path) -> None:
    # Whatever annotations.generator is today (or its absence), a tiny build repeats exactly.
    build_corpus(root=root, n_generated=12, seed=13, out=tmp_path / "a")
    build_corpus(root=root, n_generated=12, seed=13, out=tmp_path / "b")
    assert _bytes(tmp_path / "a") == _bytes(tmp_path / "b")


def test_build_writes_every_email_once_sorted_with_schema_and_card(root: Path) -> None:
    result = build_corpus(root=root, n_generated=40, seed=13, generate=fake_generate)
    ids = []
    for name in ("train", "dev", "test"):
        part = [e.id for e in read_jsonl(root / "data" / "corpus" / f"{name}.jsonl")]
        assert part == sorted(part) and part == [e.id for e in result.splits[name]]
        ids += part
    assert sorted(ids) == sorted([f"hw-de-{i:03d}" for i in range(24)]
                                 + [f"gen-13-{k:05d}" for k in range(40)])
    assert (root / "docs" / "annotation.schema.json").read_text() == json_schema() + "\n"
    card = (root / "docs" / "DATA_CARD.md").read_text()
    assert "| all | 64 | 0 | 64 |" in card  # emails, multi-stay emails, stays
    assert "| tester / chat | 12 |" in card and "| tester / formal | 12 |" in card
    assert "generate(n=40, seed=13)" in card
    assert "## What it does not cover" in card and build.NOT_COVERED in card
    per_split = " | ".join(str(len(result.splits[n])) for n in ("train", "dev", "test"))
    # Every email is a new booking with one destination span.
    assert f"| new_booking | {per_split} | 64 |" in card
    assert f"| destination | {per_split} | 64 | " in card


def test_validation_errors_abort_and_nothing_is_written(root: Path) -> None:
    src = root / "data" / "handwritten" / "source" / "de.jsonl"
    broken = _source_line(99) | {"id": "hw-de-000"}  # a duplicate id
    with src.open("a", encoding="utf-8") as f:
        f.write(json.dumps(broken) + "\n{oops\n")
    with pytest.raises(BuildError) as info:
        build_corpus(root=root, n_generated=5, seed=1, generate=fake_generate)
    codes = sorted((p.code, p.file, p.line) for p in info.value.problems if p.is_error)
    assert codes == [("E100", "data/handwritten/source/de.jsonl", 26),
                     ("E108", "data/handwritten/source/de.jsonl", 25)]
    assert not (root / "data" / "corpus").exists()


def test_without_a_generator_the_hand_written_part_is_built(
        root: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(build, "load_generator", lambda: None)
    result = build_corpus(root=root, n_generated=50, seed=13)
    assert "not available yet" in result.generator
    assert sum(len(p) for p in result.splits.values()) == 24
    assert "none in this build: annotations.generator is not available yet" in (
        root / "docs" / "DATA_CARD.md").read_text()


def test_cli_build_from_the_repository_root(root: Path, monkeypatch: pytest.MonkeyPatch,
                                            capsys: pytest.CaptureFixture[str]) -> None:
    monkeypatch.setattr(build, "load_generator", lambda: fake_generate)
    monkeypatch.setattr(build, "DEFAULT_GENERATED", 30)
    monkeypatch.chdir(root / "data")  # a subfolder: the root is found above it
    assert main(["annotations", "build"]) == 0
    out = capsys.readouterr().out
    assert "generated 30 email(s) with annotations.generator (seed 13)" in out
    assert f"wrote {root / 'data' / 'corpus' / 'test.jsonl'}" in out


def test_cli_build_reports_problems(root: Path, monkeypatch: pytest.MonkeyPatch,
                                   capsys: pytest.CaptureFixture[str]) -> None:
    monkeypatch.setattr(build, "load_generator", lambda: None)
    src = root / "data" / "handwritten" / "source" / "de.jsonl"
    with src.open("a", encoding="utf-8") as f:
        f.write("not json\n")
    monkeypatch.chdir(root)
    assert main(["annotations", "build"]) == 1
    captured = capsys.readouterr()
    assert "data/handwritten/source/de.jsonl:25 - E100" in captured.out
    assert captured.err.strip() == "stayform: error: validation found 1 error(s); nothing written"


def test_generated_emails_are_validated_too(root: Path) -> None:
    def broken(n: int, seed: int) -> Iterator[object]:
        yield from fake_generate(n - 1, seed)
        yield {"id": "gen-bad", "markup": "a [[broken|label", "form": {"intent": "not_hotel"}}

    with pytest.raises(BuildError) as info:
        build_corpus(root=root, n_generated=3, seed=1, generate=broken)
    assert [(p.code, p.file, p.line) for p in info.value.problems] == [
        ("E100", "<generator>", 3)]


def test_the_training_pool_goes_to_train_and_dev_and_leaves_test_as_it_was(root: Path) -> None:
    before = build_corpus(root=root, n_generated=0, generate=fake_generate)
    pool = root / "data" / "handwritten" / "training"
    pool.mkdir()
    lines = []
    for i in range(40):
        line = _source_line(100 + i)
        line["id"] = f"hw-pool-{i:03d}"
        lines.append(json.dumps(line, ensure_ascii=False) + "\n")
    (pool / "pool.jsonl").write_text("".join(lines), encoding="utf-8")
    after = build_corpus(root=root, n_generated=0, generate=fake_generate)
    pooled = {e.id: name for name in ("train", "dev", "test") for e in after.splits[name]
              if e.id.startswith("hw-pool-")}
    assert len(pooled) == 40 and set(pooled.values()) == {"train", "dev"}
    assert all(e.meta["pool"] == "training" for name in ("train", "dev")
               for e in after.splits[name] if e.id.startswith("hw-pool-"))
    assert [e.id for e in after.splits["test"]] == [e.id for e in before.splits["test"]]
    assert "40 of them written after the test split was fixed" in (
        root / "docs" / "DATA_CARD.md").read_text()
