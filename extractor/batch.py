"""`stayform batch`: a whole inbox export through the extractor, streaming and resumable.

- Streams: messages are read, extracted and written in chunks; memory holds one chunk per
  worker plus the set of ids already written (for resuming), never the inbox.
- Resumable: every result line is flushed and fsynced with its chunk; a re-run reads the ids
  already in OUT (dropping a half-written last line from a killed run) and skips them, so no
  message is lost and none is written twice.
- Exactly once with `--queue` too: a chunk's results go to the queue (`on_result`, committed)
  *before* their lines are written to OUT. A run killed between the two left them queued but not
  in OUT; the re-run extracts them again, the queue's idempotent write finds them stored, and
  OUT gets their lines. (The other order lost them: in OUT, so skipped, and never queued.)
- Never stops on one bad message: an unreadable one, one the extractor fails on (recursion
  included), one the queue cannot store, becomes an `error` record.
- Uses the cores it is given: by default one worker process per core (`default_workers`),
  each with its own copy of the model and one thread; with `--workers 1` one process whose
  model thread uses every core and scores the next chunk while the main thread finishes the
  last (rules, stays, writing).
"""

from __future__ import annotations

import datetime as dt
import json
import os
import threading
import time
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import Future, ProcessPoolExecutor, ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import TextIO

from extractor.form import ExtractionResult
from extractor.inputs import InputItem, iter_inputs
from extractor.model import ModelLoadError, TextScores
from extractor.pipeline import Extractor, Prepared
from extractor.workers import worker_context

# messages per chunk: large enough that sorting a chunk by length leaves little padding in
# the model's batches, small enough that memory stays flat and a killed run loses little
CHUNK = 256


@dataclass
class Summary:
    messages: int = 0
    skipped: int = 0
    auto_accepted: int = 0
    needs_review: int = 0
    errors: int = 0
    seconds: float = 0.0
    queued: int = 0
    error_codes: dict[str, int] = field(default_factory=dict)

    def add(self, result: ExtractionResult) -> None:
        self.messages += 1
        if result.status == "auto_accepted":
            self.auto_accepted += 1
        elif result.status == "error":
            self.errors += 1
            code = result.error.code if result.error else "unknown"
            self.error_codes[code] = self.error_codes.get(code, 0) + 1
        else:
            self.needs_review += 1

    @property
    def rate(self) -> float:
        return self.messages / self.seconds if self.seconds > 0 else 0.0

    def lines(self) -> list[str]:
        share = self.auto_accepted / self.messages if self.messages else 0.0
        out = [
            f"messages:       {self.messages}" + (f" (+{self.skipped} already done, skipped)"
                                                  if self.skipped else ""),
            f"auto-accepted:  {self.auto_accepted} ({share:.1%})",
            f"needs review:   {self.needs_review}",
            f"errors:         {self.errors}" + (
                " (" + ", ".join(f"{k}: {v}" for k, v in sorted(self.error_codes.items())) + ")"
                if self.error_codes else ""),
            f"rate:           {self.rate:.1f} messages/s ({self.seconds:.1f} s)",
        ]
        if self.queued:
            out.append(f"queued:         {self.queued} new review-queue items")
        return out


def done_ids(out: Path) -> set[str]:
    """Ids already written to `out`; a torn last line (killed mid-write) is cut off first."""
    if not out.exists():
        return set()
    with open(out, "rb+") as f:
        data = f.read()
        if data and not data.endswith(b"\n"):
            keep = data.rfind(b"\n") + 1
            f.seek(keep)
            f.truncate()
            data = data[:keep]
    ids: set[str] = set()
    for line in data.splitlines():
        try:
            ids.add(json.loads(line)["id"])
        except (ValueError, KeyError, TypeError):
            continue  # a foreign line: leave it, it cannot match an id
    return ids


def _chunks(items: Iterable[InputItem], size: int) -> Iterator[list[InputItem]]:
    chunk: list[InputItem] = []
    for item in items:
        chunk.append(item)
        if len(chunk) >= size:
            yield chunk
            chunk = []
    if chunk:
        yield chunk


@dataclass
class _Chunk:
    """A chunk on its way: results known before the model (errors) and what it must score."""

    results: list[ExtractionResult | None]
    prepared: list[tuple[int, Prepared]]

    @property
    def items(self) -> list[Prepared]:
        return [p for _, p in self.prepared]


def _prepare(extractor: Extractor, chunk: list[InputItem]) -> _Chunk:
    results: list[ExtractionResult | None] = [None] * len(chunk)
    prepared: list[tuple[int, Prepared]] = []
    for k, item in enumerate(chunk):
        if item.error is not None:
            results[k] = ExtractionResult.failed(id=item.id, code=item.error[0],
                                                 message=item.error[1])
        elif item.raw is not None:
            try:
                p = extractor.prepare_email(item.raw, received_at=item.received_at, id=item.id,
                                            defects=item.defects)
            except Exception as e:  # noqa: BLE001 - an error record, and the batch goes on
                results[k] = _failed(item.id, e, item.received_at)
                continue
            if isinstance(p, ExtractionResult):
                results[k] = p
            else:
                prepared.append((k, p))
        else:
            prepared.append((k, Prepared.of_text(item.id, item.text or "", item.received_at,
                                                 item.defects)))
    return _Chunk(results, prepared)


def _complete(extractor: Extractor, chunk: _Chunk, scores: Callable[[], list[TextScores]]
              ) -> list[ExtractionResult]:
    """The chunk's results in order; a failure is isolated to its message."""
    items = chunk.items
    try:
        extracted = extractor.finish(items, scores())
    except Exception:  # noqa: BLE001 - isolate: retry one by one so one message cannot sink all
        extracted = [_one(extractor, p) for p in items]
    for (k, _), r in zip(chunk.prepared, extracted, strict=True):
        chunk.results[k] = r
    return [r for r in chunk.results if r is not None]


def process_chunk(extractor: Extractor, chunk: list[InputItem], *, batch_size: int = 32
                  ) -> list[ExtractionResult]:
    """Results for one chunk, in order; a failure is isolated to its message."""
    ready = _prepare(extractor, chunk)
    return _complete(extractor, ready,
                     lambda: extractor.score(ready.items, batch_size=batch_size))


def pipelined(extractor: Extractor, chunks: Iterable[list[InputItem]], *, batch_size: int = 32
              ) -> Iterator[list[ExtractionResult]]:
    """Results chunk by chunk, the model scoring chunk k+1 (in a thread: torch releases the GIL)
    while this thread reads chunk k+2 and finishes chunk k (rules, stays: Python)."""
    with ThreadPoolExecutor(max_workers=1, thread_name_prefix="stayform-model") as model:
        waiting: tuple[_Chunk, Future[list[TextScores]]] | None = None
        for chunk in chunks:
            ready = _prepare(extractor, chunk)
            scoring = model.submit(extractor.score, ready.items, batch_size=batch_size)
            if waiting is not None:
                yield _complete(extractor, waiting[0], waiting[1].result)
            waiting = (ready, scoring)
        if waiting is not None:
            yield _complete(extractor, waiting[0], waiting[1].result)


def _one(extractor: Extractor, p: Prepared) -> ExtractionResult:
    try:
        return extractor.extract_prepared([p])[0]
    except Exception as e:  # noqa: BLE001 - an error record, and the batch goes on
        return _failed(p.id, e, p.received_at)


def _failed(item_id: str, e: Exception, received_at: dt.datetime | None) -> ExtractionResult:
    return ExtractionResult.failed(id=item_id, code="extract_failed",
                                   message=f"{type(e).__name__}: {e}"[:300],
                                   received_at=received_at)


# -- worker processes ------------------------------------------------------------------------
_WORKER: Extractor | ModelLoadError | None = None


_ORPHAN_CHECK_S = 1.0


def _exit_when_orphaned(parent: int) -> None:
    """A worker whose batch was killed (SIGKILL, out of memory) would wait for work forever:
    it goes as soon as it has another parent."""
    while os.getppid() == parent:
        time.sleep(_ORPHAN_CHECK_S)
    os._exit(1)


def _init_worker(model_dir: str, threads: int, threshold: float | None) -> None:
    global _WORKER
    import torch

    threading.Thread(target=_exit_when_orphaned, args=(os.getppid(),), daemon=True,
                     name="stayform-orphan-check").start()
    torch.set_num_threads(threads)
    try:
        _WORKER = Extractor.load(model_dir, review_threshold=threshold)
    except ModelLoadError as e:  # raised with the first chunk: a broken pool would lose it
        _WORKER = e


def _work(chunk: list[InputItem], batch_size: int) -> list[str]:
    """A chunk's results as JSON: pydantic's parametrized generics (FormField[str]) do not
    pickle, and the JSON is what the parent writes (it parses it back only for the summary
    and the review queue). Raises the ModelLoadError the worker's model load met."""
    if isinstance(_WORKER, ModelLoadError):
        raise _WORKER
    assert _WORKER is not None
    return [r.model_dump_json() for r in process_chunk(_WORKER, chunk, batch_size=batch_size)]


def from_worker(lines: list[str]) -> list[ExtractionResult]:
    """Results back from the JSON lines a worker (a process, a Ray actor) wrote."""
    return [ExtractionResult.model_validate_json(line) for line in lines]


def default_workers() -> int:
    """Processes `stayform batch` uses when not told: one per core on a CPU, each with one
    thread (on 2 cores that ran at 0.86 of the model-only rate, one process with two threads at
    0.69: BENCHMARKS.md), at most 8; one on a GPU, which one process keeps busy."""
    import torch

    if torch.cuda.is_available():
        return 1
    return max(1, min(os.cpu_count() or 1, 8))


class ResultWriter:
    """Appends results to OUT with the batch's guarantees; shared by the local and the Ray
    engine (`extractor.ray_engine`), so that both keep the same order of queue and file."""

    def __init__(self, sink: TextIO, summary: Summary, *,
                 on_result: Callable[[ExtractionResult], ExtractionResult] | None = None,
                 progress: Callable[[int], None] | None = None) -> None:
        self.sink = sink
        self.summary = summary
        self.on_result = on_result
        self.progress = progress

    def write(self, results: list[ExtractionResult], lines: list[str] | None = None) -> None:
        """Queue `results`, then append them (as `lines` when a worker already wrote them as
        JSON), flushed and fsynced: queued before written, so a re-run finds the queue
        complete."""
        if self.on_result is not None:
            stored = [self.on_result(r) for r in results]
            if lines is not None:
                lines = [line if s is r else s.model_dump_json()
                         for line, r, s in zip(lines, results, stored, strict=True)]
            results = stored
        if lines is None:
            lines = [r.model_dump_json() for r in results]
        self.sink.write("".join(line + "\n" for line in lines))
        self.sink.flush()
        os.fsync(self.sink.fileno())
        for result in results:
            self.summary.add(result)
        if self.progress:
            self.progress(len(results))


def run_batch(input_path: Path, out: Path, *, model_dir: Path, workers: int = 1,
              batch_size: int = 32, threshold: float | None = None,
              max_email_bytes: int = 10 * 1024 * 1024,
              on_result: Callable[[ExtractionResult], ExtractionResult] | None = None,
              progress: Callable[[int], None] | None = None) -> Summary:
    """Process `input_path` into `out` (see the module docstring); returns the summary.

    `on_result` (the review queue) gets every result before its line is written and returns
    the result to write: the same, or an error record when it could not store it."""
    summary = Summary()
    seen = done_ids(out)
    started = time.perf_counter()

    def pending() -> Iterator[InputItem]:
        for item in iter_inputs(input_path, max_bytes=max_email_bytes):
            if item.id in seen:
                summary.skipped += 1
                continue
            seen.add(item.id)
            yield item

    out.parent.mkdir(parents=True, exist_ok=True)
    with open(out, "a", encoding="utf-8") as sink:
        write = ResultWriter(sink, summary, on_result=on_result, progress=progress).write

        if workers <= 1:
            extractor = Extractor.load(model_dir, review_threshold=threshold)
            for results in pipelined(extractor, _chunks(pending(), CHUNK),
                                     batch_size=batch_size):
                write(results)
        else:
            threads = max(1, (os.cpu_count() or 1) // workers)
            with ProcessPoolExecutor(max_workers=workers, initializer=_init_worker,
                                     initargs=(str(model_dir), threads, threshold),
                                     mp_context=worker_context(model_dir)) as pool:
                inflight: deque[Future[list[str]]] = deque()

                def write_oldest() -> None:
                    lines = inflight.popleft().result()
                    write(from_worker(lines), lines)

                for chunk in _chunks(pending(), CHUNK):
                    inflight.append(pool.submit(_work, chunk, batch_size))
                    if len(inflight) >= 2 * workers:  # bounded: memory does not grow
                        write_oldest()
                while inflight:
                    write_oldest()
    summary.seconds = time.perf_counter() - started
    return summary
