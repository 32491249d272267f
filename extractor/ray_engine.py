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
  cuts the messages still to do into the local engine's chunks (`batch.CHUNK`). The second
  pass reads the messages again (reading is cheap; the model is what costs), one row per
  chunk, whole even where it spans two shards: the model then pads the same batches as
  locally, and the records are the same to the last digit of every confidence.
- An actor pool (`map_batches` with `_ExtractActor`) loads the model once per actor, one
  actor per GPU when the cluster has GPUs, else one per CPU with one torch thread, and runs
  the local engine's `process_chunk` on one chunk a call (so an error is isolated to its
  message as there).
- The driver writes the results in input order (`preserve_order`) through the local engine's
  `ResultWriter`: the queue first, then OUT, flushed and fsynced per batch.

Ray is an optional extra (`pip install 'stayform[ray]'`), imported only here and only when
this engine runs; usage statistics are switched off (no telemetry).
"""

from __future__ import annotations

import datetime as dt
import json
import logging
import os
import time
import warnings
from collections.abc import Callable, Iterator
from dataclasses import replace
from pathlib import Path
from typing import IO, TYPE_CHECKING, Any

from extractor.inputs import (
    DEFAULT_MAX_BYTES,
    InputItem,
    _unique,
    input_kind,
    iter_inputs,
    mbox_items,
)
from extractor.mbox import is_envelope

if TYPE_CHECKING:  # the batch engine imports the pipeline (spaCy, torch): not for the readers
    from extractor.batch import Summary
    from extractor.form import ExtractionResult

BLOCK_BYTES = 16 * 1024 * 1024  # an mbox block: many messages, few tasks
BLOCK_TARGET = 1024  # bytes per Ray block: a chunk (256 messages) is a block of its own


class RayUnavailable(RuntimeError):
    """`--engine ray` without Ray installed, or with no cluster at `--address`."""


def import_ray(*, local: bool = False) -> Any:
    """The `ray` module (with Ray Data); raises `RayUnavailable` when it is not installed.

    `local`: no cluster will be joined, so the Ray this process starts listens on loopback
    only (Ray reads the switch when it is first imported)."""
    os.environ.setdefault("RAY_USAGE_STATS_ENABLED", "0")  # no telemetry
    if local:
        os.environ.setdefault("RAY_ENABLE_WINDOWS_OR_OSX_CLUSTER", "0")
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
        yield from mbox_items(MboxBlock(f, start, end), max_bytes)  # type: ignore[arg-type]


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


# -- chunks: what travels between Ray's stages ---------------------------------------------
def _chunk_row(k: int, items: list[InputItem]) -> dict[str, Any]:
    """One chunk as one row of parallel lists (Arrow holds them; no pickles)."""
    return {"chunk": k, "id": [i.id for i in items], "raw": [i.raw for i in items],
            "text": [i.text for i in items],
            "received_at": [i.received_at.isoformat() if i.received_at else None
                            for i in items],
            "error_code": [i.error[0] if i.error else None for i in items],
            "error_message": [i.error[1] if i.error else None for i in items],
            "defects": [",".join(i.defects) for i in items]}


def _chunk_items(row: dict[str, Any]) -> list[InputItem]:
    return [InputItem(id=i, raw=raw, text=text,
                      received_at=dt.datetime.fromisoformat(received) if received else None,
                      error=(code, message) if code else None,
                      defects=tuple(d for d in defects.split(",") if d))
            for i, raw, text, received, code, message, defects in zip(
                row["id"], row["raw"], row["text"], row["received_at"], row["error_code"],
                row["error_message"], row["defects"], strict=True)]


def _shard_ids(shard: dict[str, Any], max_bytes: int) -> list[str]:
    return [item.id for item in read_shard(shard, max_bytes)]


def _unit_chunks(row: dict[str, Any], *, max_bytes: int) -> Iterator[dict[str, Any]]:
    """The second pass: the chunks a unit owns (those whose first message is in its shard),
    each whole, read from its shard and, for its last chunk, the head of the next ones."""
    unit = json.loads(row["unit"])
    sizes = {int(k): n for k, n in unit["sizes"].items()}
    open_chunks: dict[int, list[InputItem]] = {}
    for segment in unit["segments"]:
        need = {int(i): (final, k) for i, (final, k) in segment["need"].items()}
        last = max(need)
        for index, item in enumerate(read_shard(segment, max_bytes)):
            if index in need:
                final, k = need[index]
                got = open_chunks.setdefault(k, [])
                got.append(replace(item, id=final))
                if len(got) == sizes[k]:
                    yield _chunk_row(k, open_chunks.pop(k))
            if index >= last:
                break
    if open_chunks:  # the input changed between the two passes
        raise RuntimeError(f"{row['unit'][:80]}...: messages missing on the second read")


class _ExtractActor:
    """One model per actor, loaded once; a call extracts one chunk (`process_chunk`, which
    turns any failure into its message's error record) and returns its JSON lines."""

    def __init__(self, model_dir: str, threshold: float | None, threads: int,
                 batch_size: int) -> None:
        import torch

        from extractor.pipeline import Extractor

        torch.set_num_threads(threads)
        self.batch_size = batch_size
        self.extractor = Extractor.load(model_dir, review_threshold=threshold)

    def __call__(self, batch: Any) -> dict[str, list[list[str]]]:
        from extractor.batch import process_chunk

        lines = [[r.model_dump_json() for r in process_chunk(
                     self.extractor, _chunk_items(row), batch_size=self.batch_size)]
                 for row in batch.to_pylist()]
        return {"lines": lines}


# -- the run --------------------------------------------------------------------------------
def _plan(ray: Any, parts: list[dict[str, Any]], seen: set[str], max_bytes: int,
          summary: Summary, chunk: int) -> list[dict[str, Any]]:
    """The read units of the second pass. The messages still to do (final ids in input
    order, skipping those OUT holds) are cut into chunks of `chunk` exactly as the local
    engine cuts them, so that the model sees the same batches and the records are the same
    to the last digit; a chunk belongs to the unit of the shard its first message is in."""
    scan = ray.remote(_shard_ids)
    found = ray.get([scan.remote(shard, max_bytes) for shard in parts])
    finals = iter(_unique(InputItem(id=i) for ids in found for i in ids))
    pending: list[tuple[int, int, str]] = []
    for s, ids in enumerate(found):
        for index in range(len(ids)):
            final = next(finals).id
            if final in seen:
                summary.skipped += 1
            else:
                seen.add(final)
                pending.append((s, index, final))
    units: dict[int, dict[str, Any]] = {}
    for n, (s, index, final) in enumerate(pending):
        k = n // chunk
        owner = pending[k * chunk][0]
        unit = units.setdefault(owner, {"sizes": {}, "segments": {}})
        unit["sizes"][k] = unit["sizes"].get(k, 0) + 1
        segment = unit["segments"].setdefault(s, {**parts[s], "need": {}})
        segment["need"][index] = (final, k)
    return [{"unit": json.dumps({"sizes": u["sizes"], "segments": list(u["segments"].values())})}
            for _, u in sorted(units.items())]


def _pool(ray: Any) -> tuple[int, dict[str, float], int]:
    """Actors, each one's resources and its torch threads, from the cluster's resources."""
    resources = ray.cluster_resources()
    gpus = int(resources.get("GPU", 0))
    if gpus:
        return gpus, {"num_gpus": 1, "num_cpus": 1}, 1
    return max(1, int(resources.get("CPU", 1))), {"num_cpus": 1}, 1


def run_ray_batch(input_path: Path, out: Path, *, model_dir: Path, address: str | None = None,
                  batch_size: int = 32, chunk: int | None = None,
                  block_bytes: int = BLOCK_BYTES,
                  threshold: float | None = None, max_email_bytes: int = DEFAULT_MAX_BYTES,
                  on_result: Callable[[ExtractionResult], ExtractionResult] | None = None,
                  progress: Callable[[int], None] | None = None) -> Summary:
    """Process `input_path` into `out` on Ray (see the module docstring); returns the summary.

    Connects to the cluster at `address` (`ray start --head` printed it; "auto" finds a local
    one), or starts a local Ray when None; one already initialised in this process is used as
    it is. Raises `RayUnavailable` without Ray or a cluster, `InputError` for an unreadable
    input."""
    from extractor.batch import CHUNK, ResultWriter, Summary, done_ids, from_worker

    chunk = chunk or CHUNK  # the local engine's: the same batches, the same records
    ray = import_ray(local=not address)
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
        # a block per chunk: an actor call gets one whole chunk (a task gets whole blocks)
        context.target_max_block_size = BLOCK_TARGET
        units = _plan(ray, parts, done_ids(out), max_email_bytes, summary, chunk)
        out.parent.mkdir(parents=True, exist_ok=True)
        with open(out, "a", encoding="utf-8") as sink:
            writer = ResultWriter(sink, summary, on_result=on_result, progress=progress)
            if units:
                actors, resources, threads = _pool(ray)
                # reading is light: the actors hold the CPUs, a few readers keep them fed
                chunks = ray.data.from_items(units, override_num_blocks=len(units)).flat_map(
                    _unit_chunks, fn_kwargs={"max_bytes": max_email_bytes}, num_cpus=0,
                    compute=ray.data.TaskPoolStrategy(size=max(1, min(len(units), actors))))
                results = chunks.map_batches(
                    _ExtractActor, batch_size=1, batch_format="pyarrow",
                    compute=ray.data.ActorPoolStrategy(size=actors),
                    fn_constructor_kwargs={"model_dir": str(model_dir), "threshold": threshold,
                                           "threads": threads, "batch_size": batch_size},
                    **resources)
                # Ray Data warns that one input block cannot feed the pool: it counts the
                # units, not the chunks their reading yields
                with warnings.catch_warnings():
                    warnings.filterwarnings("ignore", "The minimum number of concurrent actors")
                    for row in results.iter_rows():
                        lines = list(row["lines"])
                        writer.write(from_worker(lines), lines)
    finally:
        (context.execution_options.preserve_order, context.enable_progress_bars,
         context.target_max_block_size) = saved
        if owned:
            ray.shutdown()
    summary.seconds = time.perf_counter() - started
    return summary
