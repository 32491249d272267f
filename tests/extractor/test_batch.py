"""`stayform batch`: streaming, resuming, error records, workers, and the CLI around it."""

import json
import os
import shutil
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


@pytest.mark.parametrize("workers", ["1", "2"])
@pytest.mark.parametrize(("broken", "says"), [
    ("model.safetensors", "cannot be loaded"),  # found from the header, before any worker
    ("calibration.json", "calibration"),
    ("tokenizer.json", "cannot be loaded"),  # found by the workers' load, with the first chunk
])
def test_a_broken_model_is_a_one_line_error_and_nothing_is_written(
        tiny_model_dir, tmp_path, capsys, workers, broken, says):
    folder = tmp_path / "model"
    shutil.copytree(tiny_model_dir, folder)
    (folder / broken).write_bytes(b"garbage")
    inbox = tmp_path / "in.jsonl"
    inbox.write_text(json.dumps({"id": "a", "text": "Hotel in Graz, 3.-5. Mai"}) + "\n")
    out = tmp_path / "out.jsonl"
    assert main(["batch", str(inbox), "--out", str(out), "--model", str(folder),
                 "--workers", workers, "--no-progress"]) == 1
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and says in err and "Traceback" not in err
    assert not out.exists() or out.read_text() == ""


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


# --- issue 14: exactly once with the queue, one bad record never stops a batch ------------

KILLING_DRIVER = '''
import os, signal, sys
from api import store
mode, at = sys.argv[1], int(sys.argv[2])
calls = 0
def count():
    global calls
    calls += 1
    if calls == at:
        os.kill(os.getpid(), signal.SIGKILL)
if mode == "queue":  # killed right after the at-th queue write committed
    real_enqueue = store.enqueue_result
    def enqueue(*args, **kwargs):
        done = real_enqueue(*args, **kwargs)
        count()
        return done
    store.enqueue_result = enqueue
elif mode == "out":  # killed right after the at-th chunk of OUT was fsynced
    real_fsync = os.fsync
    def fsync(fd):
        real_fsync(fd)
        count()
    os.fsync = fsync
from stayform.cli import main
sys.exit(main(sys.argv[3:]))
'''


def test_killed_batch_with_queue_rerun_has_every_message_once_in_out_and_queue(
        tiny_model_dir, tmp_path):
    """SIGKILL right after a queue write (the first, one in the second chunk) and right after
    a chunk of OUT was fsynced; then a full re-run: every message exactly once in OUT and
    exactly once in the queue. (The result line used to be written first: killed after it,
    the re-run skipped those ids and never queued them.)"""
    from api import store
    from api.db import session_scope
    from stayform.settings import Settings

    n = 600  # three chunks of CHUNK=256
    inp = write_jsonl_input(tmp_path / "in.jsonl", n)
    out, url = tmp_path / "out.jsonl", f"sqlite:///{tmp_path}/queue.db"
    driver = tmp_path / "driver.py"
    driver.write_text(KILLING_DRIVER, encoding="utf-8")
    env = {**os.environ, "HF_HUB_OFFLINE": "1", "STAYFORM_DATABASE_URL": url,
           "PYTHONPATH": str(ROOT)}
    args = ["batch", str(inp), "--out", str(out), "--queue", "--workers", "1",
            "--model", str(tiny_model_dir), "--no-progress"]
    for mode, at in (("queue", 1), ("queue", 300), ("out", 1)):
        done = subprocess.run([sys.executable, str(driver), mode, str(at), *args], cwd=ROOT,
                              env=env, capture_output=True, timeout=300)
        assert done.returncode == -signal.SIGKILL, (mode, at, done.stderr[-2000:])
    subprocess.run([sys.executable, str(driver), "none", "0", *args], cwd=ROOT, env=env,
                   check=True, capture_output=True, timeout=300)
    ids = ids_of(out)
    assert len(ids) == len(set(ids)) == n
    with session_scope(Settings(database_url=url)) as session:
        from sqlalchemy import select

        from api.models import Item
        queued = list(session.scalars(select(Item.external_id)))
        assert sum(store.queue_counts(session).values()) == n
    assert sorted(queued) == sorted(f"m{i}" for i in range(n))


def test_a_deeply_nested_jsonl_line_is_an_error_record(tiny_model_dir, tmp_path):
    inp = tmp_path / "in.jsonl"
    inp.write_text('{"id": "a", "text": "Hotel in Rome"}\n' + "[" * 100_000 + "\n"
                   + '{"id": "deep", "text": ' + '{"x": ' * 50_000 + "1" + "}" * 50_000
                   + "}\n" + '{"id": "b", "text": "Hotel in Paris"}\n', encoding="utf-8")
    out = tmp_path / "out.jsonl"
    summary = run_batch(inp, out, model_dir=tiny_model_dir)
    records = [json.loads(line) for line in out.read_text().splitlines()]
    assert [r["id"] for r in records][0] == "a" and records[-1]["id"] == "b"
    assert summary.messages == 4 and summary.errors == 2
    assert all(r["error"]["code"] == "bad_jsonl" for r in records[1:3])


def test_a_database_error_for_one_item_is_an_error_record_and_the_batch_goes_on(
        tiny_model_dir, tmp_path, monkeypatch, capsys):
    from sqlalchemy.exc import DataError

    from api import store
    from api.db import session_scope
    from stayform.settings import Settings, get_settings

    url = f"sqlite:///{tmp_path}/queue.db"
    monkeypatch.setenv("STAYFORM_DATABASE_URL", url)
    get_settings.cache_clear()
    real = store.enqueue_result

    def refusing(session, *, result, **kwargs):  # type: ignore[no-untyped-def]
        if result.id == "m3" and result.status != "error":
            raise DataError("INSERT ...", {}, ValueError("refused"))
        return real(session, result=result, **kwargs)

    monkeypatch.setattr(store, "enqueue_result", refusing)
    try:
        inp = write_jsonl_input(tmp_path / "in.jsonl", 8)
        out = tmp_path / "o.jsonl"
        assert main(["batch", str(inp), "--out", str(out), "--queue", "--workers", "1",
                     "--model", str(tiny_model_dir), "--no-progress"]) == 0
        assert "queued:         8" in capsys.readouterr().out
        records = {json.loads(x)["id"]: json.loads(x) for x in out.read_text().splitlines()}
        assert len(records) == 8
        assert records["m3"]["status"] == "error"
        assert records["m3"]["error"]["code"] == "queue_failed"
        assert all(r["status"] != "error" for k, r in records.items() if k != "m3")
        with session_scope(Settings(database_url=url)) as session:
            assert store.queue_counts(session)["error"] == 1
    finally:
        get_settings.cache_clear()


def test_a_failing_message_is_an_error_record_not_the_end_of_the_batch(
        tiny_model_dir, tmp_path, monkeypatch):
    from extractor.pipeline import Extractor

    real = Extractor.prepare_email

    def failing(self, raw, **kwargs):  # type: ignore[no-untyped-def]
        if b"poison" in raw:
            raise RecursionError("maximum recursion depth exceeded")
        return real(self, raw, **kwargs)

    monkeypatch.setattr(Extractor, "prepare_email", failing)
    folder = tmp_path / "inbox"
    folder.mkdir()
    for name, body in (("1.eml", "Hotel in Rome"), ("2.eml", "poison"), ("3.eml", "Paris")):
        (folder / name).write_bytes(f"Subject: x\r\n\r\n{body}\r\n".encode())
    out = tmp_path / "out.jsonl"
    summary = run_batch(folder, out, model_dir=tiny_model_dir)
    records = [json.loads(line) for line in out.read_text().splitlines()]
    assert summary.messages == 3 and summary.errors == 1
    assert records[1]["error"]["code"] == "extract_failed"


@pytest.mark.parametrize("where", ["folder", "under_a_file"])
def test_out_errors_are_one_line(tiny_model_dir, tmp_path, capsys, where):
    inp = write_jsonl_input(tmp_path / "in.jsonl", 2)
    if where == "folder":
        out = tmp_path / "outdir"
        out.mkdir()
    else:
        (tmp_path / "file").write_text("x")
        out = tmp_path / "file" / "out.jsonl"
    code = main(["batch", str(inp), "--out", str(out), "--model", str(tiny_model_dir),
                 "--no-progress", "--workers", "1"])
    err = capsys.readouterr().err
    assert code == 1
    assert err.startswith("stayform: error: ") and err.count("\n") == 1, err


def test_a_date_header_utc_cannot_hold_is_queued(tiny_model_dir, tmp_path, monkeypatch, capsys):
    """issue 14: with --queue, `Date: Fri, 31 Dec 9999 23:59:59 -1400` ended the batch in an
    OverflowError, then PendingRollbackError for every later message."""
    from api import store
    from api.db import session_scope
    from stayform.settings import Settings, get_settings

    url = f"sqlite:///{tmp_path}/queue.db"
    monkeypatch.setenv("STAYFORM_DATABASE_URL", url)
    get_settings.cache_clear()
    folder = tmp_path / "inbox"
    folder.mkdir()
    for n, date in enumerate(("Fri, 31 Dec 9999 23:59:59 -1400", "Mon, 20 Apr 2026 09:00:00 +0200")):
        (folder / f"{n}.eml").write_bytes(
            f"Message-ID: <m{n}@x.org>\r\nDate: {date}\r\nSubject: x\r\n\r\nHotel in Rome\r\n"
            .encode())
    try:
        out = tmp_path / "o.jsonl"
        assert main(["batch", str(folder), "--out", str(out), "--queue", "--workers", "1",
                     "--model", str(tiny_model_dir), "--no-progress"]) == 0
        assert "queued:         2" in capsys.readouterr().out
        assert all(json.loads(x)["status"] != "error" for x in out.read_text().splitlines())
        with session_scope(Settings(database_url=url)) as session:
            assert sum(store.queue_counts(session).values()) == 2
    finally:
        get_settings.cache_clear()
