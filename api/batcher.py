"""Batched inference in the service (issue 19, point 2): short extractions that arrive close
together share one `Extractor.extract_prepared` call in one worker process.

One request per forward pass left the service at ~50 short requests/s on two cores while
`stayform batch` read ~70/s on the same cores: the model is cheaper per email in a batch. So a
short request (not a large input: those keep running alone, at most all workers but one) is
queued here; a dispatcher gathers the queued requests into a batch of at most `max_rows` once
the first has waited `wait_s` (or the batch is full), takes a free worker, and sends it the
whole batch. Under load the queue fills while every worker is busy, so batches grow with the
load and need no wait at all; when idle a request pays at most `wait_s`.

The worker does not cut the batch any further than the extractor does for `stayform batch`:
`extract_prepared` runs the model in forward passes of the tagger's token budget
(`TokenTagger.max_tokens`), so the service and the batch command share one batching policy.
Each request gets its own answer: an email that cannot be read is its own `error` result, and
if the batch's call fails, each email is extracted alone, so one bad email fails only itself.

Time budgets are today's: a request waits for a worker at most the pool's `queue_timeout_s`
(then 503 B001); once its batch runs it has `timeout_s` (then an X002 `error` result). A
worker is killed (and replaced) only when every request of its batch has stopped waiting for
it (over time, or the client gone): the others' answers are still wanted.
"""

from __future__ import annotations

import asyncio
import contextlib
import time
from collections import deque
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

import anyio

if TYPE_CHECKING:
    from api.workers import Job, WorkerPool, _Worker

# what a worker answers for one job: ("ok", result JSON) or ("error", exception type name)
Answer = tuple[str, str]


def extract_one(extractor: Any, job: Job) -> Answer:
    """One job, extracted alone (`extract_text` or `extract_email`)."""
    text, raw, received_at, item_id = job
    try:
        if raw is not None:
            result = extractor.extract_email(raw, received_at=received_at, id=item_id)
        else:
            result = extractor.extract_text(text or "", received_at=received_at, id=item_id)
        return "ok", result.model_dump_json()
    except Exception as e:  # noqa: BLE001 - the type only: messages may quote the email
        return "error", type(e).__name__


def extract_batch(extractor: Any, jobs: list[Job]) -> list[Answer]:
    """The answers of `jobs`, in order, with one `extract_prepared` call for all the emails
    that could be read (each prepared exactly as `extract_text` / `extract_email` would, so a
    result is the one the email would get alone). An extractor without `extract_prepared`
    (a test's wrapper) answers each job alone."""
    if not hasattr(extractor, "extract_prepared"):
        return [extract_one(extractor, job) for job in jobs]
    from extractor.form import ExtractionResult
    from extractor.pipeline import Prepared

    answers: list[Answer | None] = [None] * len(jobs)
    ready: list[tuple[int, Prepared]] = []
    for i, (text, raw, received_at, item_id) in enumerate(jobs):
        try:
            if raw is not None:
                prepared = extractor.prepare_email(raw, received_at=received_at, id=item_id)
                if isinstance(prepared, ExtractionResult):  # unreadable: its error result
                    answers[i] = ("ok", prepared.model_dump_json())
                    continue
            else:
                prepared = extractor.prepare_text(text or "", received_at=received_at,
                                                  id=item_id)
            ready.append((i, prepared))
        except Exception as e:  # noqa: BLE001 - as extract_one
            answers[i] = ("error", type(e).__name__)
    if ready:
        try:
            results = extractor.extract_prepared([p for _, p in ready])
            for (i, _), result in zip(ready, results, strict=True):
                answers[i] = ("ok", result.model_dump_json())
        except Exception:  # noqa: BLE001 - find the email that fails: each alone
            for i, prepared in ready:
                try:
                    answers[i] = ("ok", extractor.extract_prepared([prepared])[0]
                                  .model_dump_json())
                except Exception as e:  # noqa: BLE001 - as extract_one
                    answers[i] = ("error", type(e).__name__)
    return [a if a is not None else ("error", "RuntimeError") for a in answers]


@dataclass(eq=False)
class _Pending:
    """One queued request: its job, and the answer its batch gives it."""

    job: Job
    arrived: float
    answer: asyncio.Future[Answer]
    started: asyncio.Event = field(default_factory=asyncio.Event)
    gone: bool = False  # stopped waiting before it was dispatched
    batch: _Batch | None = None


@dataclass(eq=False)
class _Batch:
    members: list[_Pending]
    waiting: int  # members still waiting for its answers
    task: asyncio.Task[None] | None = None


class Batcher:
    """Gathers the pool's short jobs into batches and runs each batch on a free worker."""

    def __init__(self, pool: WorkerPool, *, max_rows: int, wait_s: float) -> None:
        self.pool, self.max_rows, self.wait_s = pool, max_rows, wait_s
        self._queue: deque[_Pending] = deque()
        self._wake = asyncio.Event()
        self._dispatcher: asyncio.Task[None] | None = None
        self.batches = 0  # dispatched so far (for tests and metrics)

    async def run(self, job: Job, *, timeout_s: float) -> str:
        """The result JSON of `job`, extracted in a batch. Raises what `WorkerPool.run` does."""
        from api.workers import PoolBusy, TaskTimeout

        loop = asyncio.get_running_loop()
        if self._dispatcher is None:
            self._dispatcher = loop.create_task(self._dispatch(), name="stayform-batcher")
        pending = _Pending(job, time.monotonic(), loop.create_future())
        self._queue.append(pending)
        self._wake.set()
        self.pool.waiting += 1
        try:
            try:
                with anyio.fail_after(self.pool.queue_timeout_s):
                    await pending.started.wait()
            except TimeoutError as e:
                raise PoolBusy("no extraction worker became free in time") from e
            finally:
                self.pool.waiting -= 1
                if not pending.started.is_set():
                    pending.gone = True
            try:
                with anyio.fail_after(timeout_s):
                    kind, payload = await pending.answer
            except TimeoutError as e:
                raise TaskTimeout(f"extraction took longer than {timeout_s:g} s") from e
        finally:
            self._leave(pending)
        if kind == "error":
            raise RuntimeError(payload)
        return payload

    def _leave(self, pending: _Pending) -> None:
        """`pending` no longer waits; a batch nobody waits for any more is abandoned."""
        batch = pending.batch
        if batch is None:
            return
        batch.waiting -= 1
        if batch.waiting == 0 and batch.task is not None and not batch.task.done():
            batch.task.cancel()

    async def _dispatch(self) -> None:
        """Forever: wait for a request, let a batch gather, take a worker, send the batch."""
        while True:
            while self._queue and self._queue[0].gone:
                self._queue.popleft()
            if not self._queue:
                self._wake.clear()
                await self._wake.wait()
                continue
            live = sum(not p.gone for p in self._queue)
            left = self._queue[0].arrived + self.wait_s - time.monotonic()
            if left > 0 and live < self.max_rows:  # a short wait for others to join
                self._wake.clear()
                with contextlib.suppress(TimeoutError):
                    await asyncio.wait_for(self._wake.wait(), left)
                continue
            worker = await self.pool._acquire()  # more requests queue meanwhile
            members: list[_Pending] = []
            while self._queue and len(members) < self.max_rows:
                pending = self._queue.popleft()
                if not pending.gone:
                    members.append(pending)
            if not members:  # all stopped waiting while a worker was found
                self.pool._release(worker)
                continue
            batch = _Batch(members, waiting=len(members))
            for pending in members:
                pending.batch = batch
                pending.started.set()
            self.pool.busy += 1
            self.batches += 1
            batch.task = asyncio.get_running_loop().create_task(self._run(worker, batch))

    async def _run(self, worker: _Worker, batch: _Batch) -> None:
        """Send `batch` to `worker` and hand each member its answer; the worker goes back to
        the pool only after a clean answer, else it is killed and replaced."""
        from api.workers import WorkerFailed

        answers: list[Answer] | None = None
        failure: Exception | None = None
        try:
            await anyio.to_thread.run_sync(worker.conn.send, [p.job for p in batch.members])
            await self.pool._readable(worker.conn)
            kind, payload = worker.conn.recv()
            answers = list(payload) if kind == "batch" else None
        except Exception as e:  # noqa: BLE001 - dead (EOF, OSError) or a garbled answer
            failure = WorkerFailed("the extraction worker died")
            failure.__cause__ = e
        finally:
            self.pool.busy -= 1
            if answers is not None:
                self.pool._release(worker)
            else:  # abandoned (nobody waits), dead, or a protocol error: replace it
                self.pool._abandon(worker)
        for i, pending in enumerate(batch.members):
            if pending.answer.done():
                continue
            if answers is not None:
                pending.answer.set_result(tuple(answers[i]))  # type: ignore[arg-type]
            else:
                pending.answer.set_exception(failure or WorkerFailed("no answer from worker"))

    def close(self) -> None:
        """Stop dispatching (the pool is closing)."""
        if self._dispatcher is not None and not self._dispatcher.done():
            self._dispatcher.cancel()
