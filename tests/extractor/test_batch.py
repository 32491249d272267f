"""`stayform batch`: streaming, resuming, error records, workers, and the CLI around it."""

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from extractor.batch import done_ids, run_batch
from stayform.cli import main

ROOT = Path(__file__).resolve().parents[2]
SAMPLES = ROOT / "data" / "samples" / "inbox.mbox"


def write_jsonl_input(path: Path, n: int) -> Path:
    with open(path, "w", encoding="utf-8") as f:
        for i in range(n):
            f.write(json.dumps({"id": f"m{i}", "text": f"Hotel in Munich for {i % 5 + 1} nights",
                                "received_at": "2026-04-20T09:00:00+02:00"}) + "\n")
    return path


def ids_of(path: Path) -> list[str]:
    return [json.loads(line)["id"] for line in path.read_text(encoding="utf-8").splitlines()]


def test_every_message_once_and_rerun_skips(tiny_model_dir, tmp_path):
    inp = write_jsonl_input(tmp_path / "in.jsonl", 150)
    out = tmp_path / "out.jsonl"
    first = run_batch(inp, out, model_dir=tiny_model_dir)
    assert first.messages == 150 and first.skipped == 0
    again = run_batch(inp, out, model_dir=tiny_model_dir)
    assert (again.messages, again.skipped) == (0, 150)
    assert sorted(ids_of(out)) == sorted(f"m{i}" for i in range(150))


def test_torn_last_line_is_dropped_and_redone(tiny_model_dir, tmp_path):
    inp = write_jsonl_input(tmp_path / "in.jsonl", 10)
    out = tmp_path / "out.jsonl"
    run_batch(inp, out, model_dir=tiny_model_dir)
    lines = out.read_text(encoding="utf-8").splitlines(keepends=True)
    out.write_text("".join(lines[:4]) + lines[4][:30], encoding="utf-8")  # killed mid-write
    assert done_ids(out) == {"m0", "m1", "m2", "m3"}
    summary = run_batch(inp, out, model_dir=tiny_model_dir)
    assert summary.messages == 6
    assert sorted(ids_of(out)) == sorted(f"m{i}" for i in range(10))


def test_bad_lines_become_error_records_and_the_batch_goes_on(tiny_model_dir, tmp_path):
    inp = tmp_path / "in.jsonl"
    inp.write_text('{"id": "a", "text": "Hotel in Rome"}\n{not json\n'
                   '{"id": "b", "text": "Hotel in Paris"}\n', encoding="utf-8")
    out = tmp_path / "out.jsonl"
    summary = run_batch(inp, out, model_dir=tiny_model_dir)
    records = [json.loads(line) for line in out.read_text().splitlines()]
    assert summary.messages == 3 and summary.errors == 1
    errors = [r for r in records if r["status"] == "error"]
    assert len(errors) == 1 and errors[0]["error"]["code"] and errors[0]["stays"] == []


def test_workers_give_the_same_results(tiny_model_dir, tmp_path):
    inp = write_jsonl_input(tmp_path / "in.jsonl", 140)
    one, two = tmp_path / "one.jsonl", tmp_path / "two.jsonl"
    run_batch(inp, one, model_dir=tiny_model_dir, workers=1)
    run_batch(inp, two, model_dir=tiny_model_dir, workers=2)
    strip = [{k: v for k, v in json.loads(x).items()} for x in one.read_text().splitlines()]
    assert strip == [json.loads(x) for x in two.read_text().splitlines()]


def test_workers_carry_filled_stays(booking_model_dir, tmp_path):
    # results with stays hold pydantic generics that do not pickle: workers must still deliver
    inp = tmp_path / "in.jsonl"
    inp.write_text("".join(json.dumps({"id": f"m{i}", "text": f"Hotel, {i % 3 + 1} nights, 2 EZ",
                                       "received_at": "2026-04-20T09:00:00+02:00"}) + "\n"
                           for i in range(40)), encoding="utf-8")
    one, two = tmp_path / "one.jsonl", tmp_path / "two.jsonl"
    run_batch(inp, one, model_dir=booking_model_dir, workers=1)
    summary = run_batch(inp, two, model_dir=booking_model_dir, workers=2)
    first = [json.loads(x) for x in one.read_text().splitlines()]
    assert summary.messages == 40 and summary.errors == 0
    assert first == [json.loads(x) for x in two.read_text().splitlines()]
    assert all(r["stays"] and r["stays"][0]["nights"]["value"] for r in first)
    assert {r["stays"][0]["rooms"]["value"] for r in first} == {2}


def test_sample_inbox_through_the_cli(tiny_model_dir, tmp_path, capsys):
    out = tmp_path / "samples.jsonl"
    code = main(["batch", str(SAMPLES), "--out", str(out), "--model", str(tiny_model_dir),
                 "--no-progress"])
    assert code == 0
    printed = capsys.readouterr().out
    assert "messages:" in printed and "auto-accepted:" in printed and "rate:" in printed
    assert len(ids_of(out)) == len(set(ids_of(out))) > 10


def test_killed_batch_rerun_writes_every_message_exactly_once(tiny_model_dir, tmp_path):
    inp = write_jsonl_input(tmp_path / "in.jsonl", 2000)
    out = tmp_path / "out.jsonl"
    cmd = [sys.executable, "-m", "stayform.cli", "batch", str(inp), "--out", str(out),
           "--model", str(tiny_model_dir), "--no-progress"]
    env = {**os.environ, "HF_HUB_OFFLINE": "1"}
    proc = subprocess.Popen(cmd, cwd=ROOT, env=env, stdout=subprocess.DEVNULL,
                            stderr=subprocess.DEVNULL)
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        if out.exists() and out.stat().st_size > 0 and len(out.read_bytes().splitlines()) >= 200:
            break
        time.sleep(0.05)
    proc.send_signal(signal.SIGKILL)
    proc.wait()
    done_before = len(done_ids(out))
    assert 0 < done_before < 2000, "the kill should land half-way"
    # the killed batch's worker processes do not wait for work forever
    deadline = time.monotonic() + 20
    while _processes_naming(str(out)) and time.monotonic() < deadline:
        time.sleep(0.2)
    assert _processes_naming(str(out)) == []
    subprocess.run(cmd, cwd=ROOT, env=env, check=True, capture_output=True)
    ids = ids_of(out)
    assert len(ids) == len(set(ids)) == 2000


def _processes_naming(arg: str) -> list[int]:
    """Live processes whose command line holds `arg` (from /proc: Linux, where CI runs)."""
    found = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            cmdline = (entry / "cmdline").read_bytes().split(b"\0")
            state = next(line for line in (entry / "status").read_text().splitlines()
                         if line.startswith("State:"))
        except (OSError, StopIteration):
            continue
        if arg.encode() in cmdline and "zombie" not in state:
            found.append(int(entry.name))
    return found


def test_missing_input_is_a_one_line_error(tiny_model_dir, tmp_path, capsys):
    assert main(["batch", str(tmp_path / "nope.mbox"), "--out", str(tmp_path / "o.jsonl"),
                 "--model", str(tiny_model_dir)]) == 1
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "no such file" in err


def test_missing_model_is_a_one_line_error(tmp_path, capsys):
    assert main(["extract", "--text", "hi", "--model", str(tmp_path / "none")]) == 1
    assert "not found" in capsys.readouterr().err


@pytest.mark.parametrize("content", [b"", b"\x00\x01\x02garbage\xff" * 50])
def test_extract_bad_file(tiny_model_dir, tmp_path, capsys, content):
    f = tmp_path / "bad.eml"
    f.write_bytes(content)
    code = main(["extract", str(f), "--model", str(tiny_model_dir)])
    err = capsys.readouterr().err
    assert code in (0, 1)
    if code == 1:
        assert err.count("\n") == 1 and "Traceback" not in err


def test_queue_flag_stores_each_result_once(tiny_model_dir, tmp_path, monkeypatch, capsys):
    from api import store
    from api.db import session_scope
    from stayform.settings import Settings, get_settings

    url = f"sqlite:///{tmp_path}/queue.db"
    monkeypatch.setenv("STAYFORM_DATABASE_URL", url)
    get_settings.cache_clear()
    try:
        inp = write_jsonl_input(tmp_path / "in.jsonl", 30)
        args = ["batch", str(inp), "--out", str(tmp_path / "o.jsonl"), "--queue",
                "--model", str(tiny_model_dir), "--no-progress"]
        assert main(args) == 0
        assert "queued:         30" in capsys.readouterr().out
        (tmp_path / "o.jsonl").unlink()
        assert main(args) == 0  # same inbox again: no new items
        with session_scope(Settings(database_url=url)) as session:
            counts = store.queue_counts(session)
        assert sum(counts.values()) == 30
    finally:
        get_settings.cache_clear()


@pytest.mark.parametrize(("cores", "expected"), [(1, 1), (2, 2), (32, 8), (None, 1)])
def test_default_workers_one_per_core_on_a_cpu(monkeypatch, cores, expected):
    import torch

    from extractor.batch import default_workers

    monkeypatch.setattr(torch.cuda, "is_available", lambda: False)
    monkeypatch.setattr(os, "cpu_count", lambda: cores)
    assert default_workers() == expected
    monkeypatch.setattr(torch.cuda, "is_available", lambda: True)
    assert default_workers() == 1
