"""`stayform batch --engine ray` (issue 19): the same records as the local engine, exactly once
after a kill, error records; on a local Ray started once for the module (2 CPUs, loopback only,
no dashboard, no usage statistics)."""

from __future__ import annotations

import io
import json
import os
import shutil
import signal
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from extractor.batch import done_ids, run_batch
from extractor.mbox import split_mbox
from stayform.cli import main
from tests.api.keyword_model import build_keyword_model

ROOT = Path(__file__).resolve().parents[2]
SAMPLES = ROOT / "data" / "samples"
# before Ray is imported: no usage statistics, and a node address on the loopback interface
RAY_ENV = {"RAY_USAGE_STATS_ENABLED": "0", "RAY_ENABLE_WINDOWS_OR_OSX_CLUSTER": "0"}
os.environ.update(RAY_ENV)

ray = pytest.importorskip("ray")  # the [ray] extra, installed by `make install`

from extractor.ray_engine import MboxBlock, RayUnavailable, import_ray, run_ray_batch  # noqa: E402


@pytest.fixture(scope="module")
def ray_address() -> Iterator[str]:
    context = ray.init(num_cpus=2, include_dashboard=False, log_to_driver=False)
    yield context.address_info["address"]
    ray.shutdown()


@pytest.fixture(scope="module")
def keyword_model(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return build_keyword_model(tmp_path_factory.mktemp("keyword-model"))


def records(path: Path) -> list[dict]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]


def mbox_with_trouble(tmp_path: Path) -> Path:
    """The sample inbox, one of its messages again (the same Message-ID: the second is `#2`)
    and a message over the size limit the tests pass (2,000 bytes)."""
    inbox = (SAMPLES / "inbox.mbox").read_bytes()
    first = inbox[: inbox.index(b"\nFrom ", 10) + 1]
    huge = (b"From big@example.org Mon Oct 05 07:12:00 2026\nMessage-ID: <huge@example.org>\n"
            b"Subject: big\n\n" + b"Hotel in Berlin, please.\n" * 200)
    path = tmp_path / "inbox.mbox"
    path.write_bytes(inbox + b"\n" + first + b"\n" + huge + b"\n" + inbox[: 3000])
    return path


def jsonl_with_a_bad_line(tmp_path: Path, n: int = 12) -> Path:
    path = tmp_path / "in.jsonl"
    lines = [json.dumps({"id": f"m{i}", "text": f"Hotel in Munich 2026-05-0{i % 7 + 1} to "
                         f"2026-05-0{i % 7 + 2} for Anna", "received_at": "2026-04-20T09:00:00"})
             for i in range(n)]
    lines.insert(5, "{not json")
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def eml_folder(tmp_path: Path) -> Path:
    folder = tmp_path / "inbox"
    shutil.copytree(SAMPLES / "eml", folder)
    (folder / "zz-garbage.eml").write_bytes(b"\x00\x01\x02garbage\xff" * 50)
    return folder


@pytest.mark.parametrize("make_input", [mbox_with_trouble, jsonl_with_a_bad_line, eml_folder])
def test_ray_writes_the_records_and_summary_the_local_engine_writes(
        ray_address, keyword_model, tmp_path, make_input):
    inp = make_input(tmp_path)
    local, distributed = tmp_path / "local.jsonl", tmp_path / "ray.jsonl"
    expected = run_batch(inp, local, model_dir=keyword_model, max_email_bytes=2000)
    # small mbox blocks: the messages are split out by several tasks, whole and in order
    got = run_ray_batch(inp, distributed, model_dir=keyword_model, max_email_bytes=2000,
                        block_bytes=1500, chunk=4)
    assert records(distributed) == records(local)
    assert [r for r in records(local) if r["stays"]], "the model should fill some forms"
    fields = ("messages", "auto_accepted", "needs_review", "errors", "error_codes")
    assert {f: getattr(got, f) for f in fields} == {f: getattr(expected, f) for f in fields}
    assert expected.errors >= 1  # every input above holds one message that cannot be read
    if make_input is mbox_with_trouble:  # an error record, and the messages after it
        by_id = {r["id"]: r for r in records(distributed)}
        huge = by_id["huge@example.org"]
        assert huge["status"] == "error" and huge["stays"] == []
        assert huge["error"]["code"] == "too_large" and got.error_codes == {"too_large": 1}
        assert "20261005091200.4711@brightlabs.example#2" in by_id  # the same message again
        assert list(by_id).index("huge@example.org") < len(by_id) - 3


def test_an_interrupted_run_is_finished_by_the_ray_engine_without_a_duplicate(
        ray_address, keyword_model, tmp_path):
    inp = mbox_with_trouble(tmp_path)
    whole, resumed = tmp_path / "whole.jsonl", tmp_path / "resumed.jsonl"
    run_batch(inp, whole, model_dir=keyword_model, max_email_bytes=2000)
    lines = whole.read_text(encoding="utf-8").splitlines(keepends=True)
    resumed.write_text("".join(lines[:9]) + lines[9][:40], encoding="utf-8")  # torn mid-line
    summary = run_ray_batch(inp, resumed, model_dir=keyword_model, max_email_bytes=2000,
                            block_bytes=1500)
    assert summary.skipped == 9 and summary.messages == len(lines) - 9
    assert records(resumed) == records(whole)


KILLED_AFTER_FSYNC = """
import os, signal, sys
real_fsync, calls = os.fsync, 0
def fsync(fd):  # SIGKILL right after the n-th batch of OUT was written
    global calls
    real_fsync(fd)
    calls += 1
    if calls == int(sys.argv[1]):
        os.kill(os.getpid(), signal.SIGKILL)
os.fsync = fsync
from stayform.cli import main
sys.exit(main(sys.argv[2:]))
"""


def test_a_killed_ray_batch_rerun_writes_every_message_exactly_once(
        ray_address, tiny_model_dir, tmp_path):
    n = 1000
    inp = tmp_path / "in.jsonl"
    inp.write_text("".join(json.dumps({"id": f"m{i}", "text": f"Hotel in Munich, {i} nights"})
                           + "\n" for i in range(n)), encoding="utf-8")
    out, driver = tmp_path / "out.jsonl", tmp_path / "driver.py"
    driver.write_text(KILLED_AFTER_FSYNC, encoding="utf-8")
    args = ["batch", str(inp), "--out", str(out), "--engine", "ray", "--address", ray_address,
            "--model", str(tiny_model_dir), "--no-progress"]
    env = {**os.environ, **RAY_ENV, "HF_HUB_OFFLINE": "1", "PYTHONPATH": str(ROOT)}
    killed = subprocess.run([sys.executable, str(driver), "3", *args], cwd=ROOT, env=env,
                            capture_output=True, text=True, timeout=300)
    assert killed.returncode == -signal.SIGKILL, killed.stderr[-2000:]
    assert 0 < len(done_ids(out)) < n, "the kill should land part-way"
    done = subprocess.run([sys.executable, str(driver), "0", *args], cwd=ROOT, env=env,
                          capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr[-2000:]
    assert "already done, skipped" in done.stdout
    ids = [r["id"] for r in records(out)]
    assert len(ids) == len(set(ids)) == n


def test_queue_gets_each_message_once_through_the_ray_engine(
        ray_address, keyword_model, tmp_path, monkeypatch, capsys):
    from api import store
    from api.db import session_scope
    from stayform.settings import Settings, get_settings

    url = f"sqlite:///{tmp_path}/queue.db"
    monkeypatch.setenv("STAYFORM_DATABASE_URL", url)
    get_settings.cache_clear()
    try:
        inp = jsonl_with_a_bad_line(tmp_path, 20)
        out = tmp_path / "o.jsonl"
        args = ["batch", str(inp), "--out", str(out), "--queue", "--engine", "ray",
                "--model", str(keyword_model), "--no-progress"]
        assert main(args) == 0
        printed = capsys.readouterr().out
        assert "queued:         21" in printed and "errors:         1 (bad_jsonl: 1)" in printed
        assert len(records(out)) == 21
        with session_scope(Settings(database_url=url)) as session:
            assert sum(store.queue_counts(session).values()) == 21
    finally:
        get_settings.cache_clear()


@pytest.mark.parametrize("newline", [b"\n", b"\r\n"])
def test_mbox_blocks_of_any_size_split_out_each_message_once(newline):
    inbox = (SAMPLES / "inbox.mbox").read_bytes().replace(b"\n", newline)
    data = b"a preamble line" + newline + inbox + b"x" * 3000 + newline + inbox[:500]
    whole = [m.raw for m in split_mbox(io.BytesIO(data), max_bytes=10**6)]
    for size in (1, 37, 700, 4096, len(data)):
        found = []
        for start in range(0, len(data), size):
            block = MboxBlock(io.BytesIO(data), start, min(start + size, len(data)))
            found += [m.raw for m in split_mbox(block, max_bytes=10**6)]  # type: ignore[arg-type]
        assert found == whole, size


def test_without_ray_the_command_says_how_to_install_it(tiny_model_dir, tmp_path, monkeypatch,
                                                       capsys):
    monkeypatch.setitem(sys.modules, "ray", None)  # as if it were not installed
    with pytest.raises(RayUnavailable):
        import_ray()
    inp = jsonl_with_a_bad_line(tmp_path)
    code = main(["batch", str(inp), "--out", str(tmp_path / "o.jsonl"), "--engine", "ray",
                 "--model", str(tiny_model_dir)])
    err = capsys.readouterr().err
    assert code == 1 and err.count("\n") == 1 and "stayform[ray]" in err


def test_address_without_the_ray_engine_is_a_usage_error(tiny_model_dir, tmp_path, capsys):
    inp = jsonl_with_a_bad_line(tmp_path)
    assert main(["batch", str(inp), "--out", str(tmp_path / "o.jsonl"), "--address", "auto",
                 "--model", str(tiny_model_dir)]) == 1
    assert "--address is for --engine ray" in capsys.readouterr().err

