"""`stayform batch --engine ray`: the batch on a Ray cluster (Ray Data), with the local
engine's guarantees (`extractor.batch`): every message exactly once in OUT and in the queue,
resumable after a kill, an error record instead of a crash, the same summary.

How it runs:
- The input is cut into shards that Ray tasks read in parallel: an mbox into blocks of bytes,
  each owning the messages whose envelope line starts in it (`MboxBlock`), so that a message is
  split out whole by exactly one block; any other input (a folder, a Maildir, JSONL: cheap to
  read next to the model) is one shard read by `iter_inputs`.
- Two passes over the shards. The first reads only the ids: an id's `#2` suffix depends on every
  message before it, and which messages OUT already holds is known only from the final ids, so
  the driver numbers them in input order (`inputs._unique`, as the local engine does) and
  hands each shard the list of its ids still to do. The second reads the messages again and
  keeps those (reading is cheap; the model is what costs).
- An actor pool (`map_batches` with `_ExtractActor`) loads the model once per actor, one
  actor per GPU when the cluster has GPUs, else one per CPU with one torch thread, and runs
  the local engine's `process_chunk` (so an error is isolated to its message as there).
- The driver writes the results in input order (`preserve_order`) through the local engine's
  `ResultWriter`: the queue first, then OUT, flushed and fsynced per batch.

Ray is an optional extra (`pip install 'stayform[ray]'`), imported only here and only when
this engine runs; usage statistics are switched off (no telemetry).
"""

from __future__ import annotations

import datetime as dt
import logging
import os
import time
import warnings
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import IO, TYPE_CHECKING, Any

from extractor.inputs import (
    DEFAULT_MAX_BYTES,
    InputItem,
    _email_item,
    _too_large,
    _unique,
    input_kind,
    iter_inputs,
)
from extractor.mbox import is_envelope, split_mbox
from extractor.read import peek_message_id

if TYPE_CHECKING:  # the batch engine imports the pipeline (spaCy, torch): not for the readers
    from extractor.batch import Summary
    from extractor.form import ExtractionResult

BLOCK_BYTES = 16 * 1024 * 1024  # an mbox block: many messages, few tasks
CHUNK = 64  # messages per actor call: small enough to share a short input among actors
BLOCK_TARGET = 64 * 1024  # bytes per Ray block: a few dozen messages, whole ones at least


class RayUnavailable(RuntimeError):
    """`--engine ray` without Ray installed, or with no cluster at `--address`."""


def import_ray() -> Any:
    """The `ray` module (with Ray Data); raises `RayUnavailable` when it is not installed."""
    os.environ.setdefault("RAY_USAGE_STATS_ENABLED", "0")  # no telemetry
    try:
        import ray
        import ray.data  # noqa: F401 - the Data library is part of the extra
    except ImportError as e:
        raise RayUnavailable("--engine ray needs Ray: pip install 'stayform[ray]'") from e
    return ray


# -- reading: shards ----------------------------------------------------------------------
class MboxBlock:
    """A read-only view of the mbox messages whose envelope line starts in [start, end): it
    begins at the first envelope line at or after `start` (0: the file's start, preamble
    included) and ends before the first one at or after `end`, so that adjacent blocks share
    no message and miss none. Lines are returned as `readline(size)` returns them, so
    `split_mbox` reads a block exactly as it reads the whole file."""

    def __init__(self, f: IO[bytes], start: int, end: int) -> None:
        self.f, self.end = f, end
        self.at_line_start = True
        self.first: bytes | None = None
        self.done = False
        if start == 0:
            f.seek(0)
            return
        f.seek(start - 1)
        if f.read(1) != b"\n":  # inside a line: it belongs to the block before
            while (rest := f.readline(1 << 20)) and not rest.endswith(b"\n"):
                pass
        while chunk := f.readline(1 << 20):
            if self.at_line_start and is_envelope(chunk):
                if f.tell() - len(chunk) < end:
                    self.first, self.at_line_start = chunk, chunk.endswith(b"\n")
                    return
                break
            self.at_line_start = chunk.endswith(b"\n")
        self.done = True  # no envelope line starts in [start, end): an empty block

    def readline(self, size: int = -1) -> bytes:
        if self.first is not None:
            chunk, self.first = self.first, None
            return chunk
        if self.done:
            return b""
        position = self.f.tell()
        chunk = self.f.readline(size)
        if self.at_line_start and position >= self.end and is_envelope(chunk):
            self.done = True
            return b""
        self.at_line_start = chunk.endswith(b"\n")
        return chunk


def _mbox_block(path: str, start: int, end: int, max_bytes: int) -> Iterator[InputItem]:
    """The items of one mbox block, as `inputs` makes them of a whole mbox."""
    with open(path, "rb") as f:
        for m in split_mbox(MboxBlock(f, start, end), max_bytes=max_bytes):  # type: ignore[arg-type]
            defects = (("truncated",) if m.truncated else ()) + (
                ("no_mbox_envelope",) if m.before_first_envelope else ())
            if m.raw is None:
                item_id = peek_message_id(m.head) or "sha256:" + m.digest[:16]
                yield _too_large(item_id, m.size, max_bytes)
            else:
                yield _email_item(m.raw, defects)


def shards(input_path: Path, *, block_bytes: int = BLOCK_BYTES) -> list[dict[str, Any]]:
    """The shards of INPUT: byte blocks of an mbox, else the whole input (`end` -1).
    Raises `InputError` when the input cannot be read, as the local engine does."""
    if input_kind(input_path) != "mbox":
        return [{"path": str(input_path), "start": 0, "end": -1}]
    size = input_path.stat().st_size
    starts = range(0, max(size, 1), max(1, block_bytes))
    return [{"path": str(input_path), "start": s, "end": min(s + block_bytes, size)}
            for s in starts]


def read_shard(shard: dict[str, Any], max_bytes: int) -> Iterator[InputItem]:
    """The items of one shard in input order (ids not yet made unique across shards)."""
    if shard["end"] < 0:
        return iter_inputs(Path(shard["path"]), max_bytes=max_bytes)
    return _mbox_block(shard["path"], shard["start"], shard["end"], max_bytes)


# -- rows: what travels between Ray's stages ----------------------------------------------
def _row(item: InputItem) -> dict[str, Any]:
    return {"id": item.id, "raw": item.raw, "text": item.text,
            "received_at": item.received_at.isoformat() if item.received_at else None,
            "error_code": item.error[0] if item.error else None,
            "error_message": item.error[1] if item.error else None,
            "defects": ",".join(item.defects)}


def _item(row: dict[str, Any]) -> InputItem:
    received, code = row["received_at"], row["error_code"]
    return InputItem(id=str(row["id"]), raw=row["raw"], text=row["text"],
                     received_at=dt.datetime.fromisoformat(received) if received else None,
                     error=(str(code), str(row["error_message"])) if code else None,
                     defects=tuple(d for d in str(row["defects"]).split(",") if d))


def _shard_ids(shard: dict[str, Any], max_bytes: int) -> list[str]:
    return [item.id for item in read_shard(shard, max_bytes)]


def _pending_rows(row: dict[str, Any], *, max_bytes: int) -> Iterator[dict[str, Any]]:
    """The second pass: a shard's items under their final ids, those still to do only."""
    plan = list(row["plan"])
    for item, final in zip(read_shard(row, max_bytes), plan, strict=True):
        if final is not None:
            yield _row(InputItem(id=final, raw=item.raw, text=item.text,
                                 received_at=item.received_at, error=item.error,
                                 defects=item.defects))


class _ExtractActor:
    """One model per actor, loaded once; a call extracts a batch of rows (`process_chunk`,
    which turns any failure into its message's error record) and returns the JSON lines."""

    def __init__(self, model_dir: str, threshold: float | None, threads: int,
                 batch_size: int) -> None:
        import torch

        from extractor.pipeline import Extractor

        torch.set_num_threads(threads)
        self.batch_size = batch_size
        self.extractor = Extractor.load(model_dir, review_threshold=threshold)

    def __call__(self, batch: Any) -> dict[str, list[str]]:
        from extractor.batch import process_chunk

        results = process_chunk(self.extractor, [_item(r) for r in batch.to_pylist()],
                                batch_size=self.batch_size)
        return {"line": [r.model_dump_json() for r in results]}


# -- the run --------------------------------------------------------------------------------
def _plan(ray: Any, parts: list[dict[str, Any]], seen: set[str], max_bytes: int,
          summary: Summary) -> list[list[str | None]]:
    """Each shard's final ids in input order, None where OUT already holds the message."""
    scan = ray.remote(_shard_ids)
    found = ray.get([scan.remote(shard, max_bytes) for shard in parts])
    flat = [InputItem(id=i) for ids in found for i in ids]
    finals = iter(_unique(flat))
    plans: list[list[str | None]] = []
    for ids in found:
        plan: list[str | None] = []
        for _ in ids:
            final = next(finals).id
            if final in seen:
                summary.skipped += 1
                plan.append(None)
            else:
                seen.add(final)
                plan.append(final)
        plans.append(plan)
    return plans


def _pool(ray: Any) -> tuple[int, dict[str, float], int]:
    """Actors, each one's resources and its torch threads, from the cluster's resources."""
    resources = ray.cluster_resources()
    gpus = int(resources.get("GPU", 0))
    if gpus:
        return gpus, {"num_gpus": 1, "num_cpus": 1}, 1
    return max(1, int(resources.get("CPU", 1))), {"num_cpus": 1}, 1


def run_ray_batch(input_path: Path, out: Path, *, model_dir: Path, address: str | None = None,
                  batch_size: int = 32, chunk: int = CHUNK, block_bytes: int = BLOCK_BYTES,
                  threshold: float | None = None, max_email_bytes: int = DEFAULT_MAX_BYTES,
                  on_result: Callable[[ExtractionResult], ExtractionResult] | None = None,
                  progress: Callable[[int], None] | None = None) -> Summary:
    """Process `input_path` into `out` on Ray (see the module docstring); returns the summary.

    Connects to the cluster at `address` (`ray start --head` printed it; "auto" finds a local
    one), or starts a local Ray when None; one already initialised in this process is used as
    it is. Raises `RayUnavailable` without Ray or a cluster, `InputError` for an unreadable
    input."""
    from extractor.batch import ResultWriter, Summary, done_ids, from_worker

    ray = import_ray()
    summary = Summary()
    started = time.perf_counter()
    parts = shards(input_path, block_bytes=block_bytes)
    owned = not ray.is_initialized()
    if owned:
        local = {} if address else {"include_dashboard": False}
        try:
            ray.init(address=address, log_to_driver=False, logging_level=logging.WARNING,
                     **local)
        except (ConnectionError, RuntimeError, ValueError) as e:
            raise RayUnavailable(f"no Ray cluster at --address {address}: {e}") from e
    context = ray.data.DataContext.get_current()
    saved = (context.execution_options.preserve_order, context.enable_progress_bars,
             context.target_max_block_size)
    try:
        context.execution_options.preserve_order = True  # OUT in input order, as locally
        context.enable_progress_bars = False  # the command line has its own
        # small blocks: a shard's messages are shared among the actors (a task gets whole
        # blocks, and a repartition would need a CPU the actors hold)
        context.target_max_block_size = BLOCK_TARGET
        seen = done_ids(out)
        plans = _plan(ray, parts, seen, max_email_bytes, summary)
        todo = [{**shard, "plan": plan} for shard, plan in zip(parts, plans, strict=True)
                if any(p is not None for p in plan)]
        out.parent.mkdir(parents=True, exist_ok=True)
        with open(out, "a", encoding="utf-8") as sink:
            writer = ResultWriter(sink, summary, on_result=on_result, progress=progress)
            if todo:
                actors, resources, threads = _pool(ray)
                # reading is light: the actors hold the CPUs, a few readers keep them fed
                rows = ray.data.from_items(todo, override_num_blocks=len(todo)).flat_map(
                    _pending_rows, fn_kwargs={"max_bytes": max_email_bytes}, num_cpus=0,
                    compute=ray.data.TaskPoolStrategy(size=max(1, min(len(todo), actors))))
                results = rows.map_batches(
                    _ExtractActor, batch_size=chunk, batch_format="pyarrow",
                    compute=ray.data.ActorPoolStrategy(size=actors),
                    fn_constructor_kwargs={"model_dir": str(model_dir), "threshold": threshold,
                                           "threads": threads, "batch_size": batch_size},
                    **resources)
                # Ray Data warns that one input block cannot feed the pool: it counts the
                # shards, not the blocks their reading is cut into
                with warnings.catch_warnings():
                    warnings.filterwarnings("ignore", "The minimum number of concurrent actors")
                    for batch in results.iter_batches(batch_size=chunk, batch_format="pyarrow"):
                        lines = batch.column("line").to_pylist()
                        writer.write(from_worker(lines), lines)
    finally:
        (context.execution_options.preserve_order, context.enable_progress_bars,
         context.target_max_block_size) = saved
        if owned:
            ray.shutdown()
    summary.seconds = time.perf_counter() - started
    return summary
