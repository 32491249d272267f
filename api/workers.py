"""Extraction in worker processes that can be stopped (issue 14, point 1).

A thread running the model cannot be stopped: an email that costs minutes kept its thread,
and two of them kept every thread, while the client had long hung up. Here each extraction
runs in one of `size` worker processes (spawned, each with its own copy of the model); a task
over its time budget, or whose client disconnected, is abandoned and its worker killed and
replaced, so the capacity comes back. Large inputs may hold at most `size - 1` workers, so
one is always free for short ones. Requests wait for a worker at most `queue_timeout_s`, and
at most `max_waiting` of them wait at all: then the pool is *saturated* (`/readyz` says so,
and a balancer sends work elsewhere) and a further request is refused at once with a 503.

Short jobs are gathered into batches that share one model call (api/batcher.py) unless
`batch_rows` is 1; large ones always run alone.

Workers send results back as JSON (pydantic's parametrized generics do not pickle), and
errors as their type only: a message could quote the email.
"""

from __future__ import annotations

import asyncio
import contextlib
import datetime as dt
import logging
import multiprocessing as mp
import os
import signal
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from multiprocessing.connection import Connection
from multiprocessing.process import BaseProcess
from typing import Any

import anyio

from api.batcher import Batcher, extract_batch, extract_one

log = logging.getLogger("stayform.api")

# (text, raw, received_at, id): what a worker extracts; exactly one of text and raw is set
Job = tuple[str | None, bytes | None, dt.datetime | None, str | None]


class PoolBusy(Exception):
    """No worker became free in time, or too many requests wait already (retry later)."""


class TaskTimeout(Exception):
    """The extraction ran past its time budget; its worker was killed."""


class WorkerFailed(Exception):
    """The worker died while extracting (killed from outside, out of memory ...)."""


class ModelNotLoaded(Exception):
    """The first worker could not load the model; the message says why (a path, no email)."""


def load_pipeline(model_dir: str, review_threshold: float | None,
                  max_email_bytes: int) -> Any:
    """The default worker factory: `extractor.pipeline.Extractor.load`."""
    from extractor.pipeline import Extractor

    return Extractor.load(model_dir, review_threshold=review_threshold,
                          max_email_bytes=max_email_bytes)


def _exit_when_orphaned(parent: int) -> None:
    while os.getppid() == parent:
        time.sleep(1.0)
    os._exit(1)


def _worker_main(conn: Connection, factory: Callable[..., Any], args: tuple[Any, ...],
                 threads: int) -> None:
    """A worker process: load the extractor, then answer jobs until the pipe closes."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl+C is the server's to handle
    threading.Thread(target=_exit_when_orphaned, args=(os.getppid(),), daemon=True).start()
    try:
        import torch

        torch.set_num_threads(threads)
        extractor = factory(*args)
        extractor.extract_text("Warm-up: a room in Berlin for one night.")
    except Exception as e:  # noqa: BLE001 - reported to the parent, which decides
        conn.send(("failed", f"{type(e).__name__}: {e}"[:500]))
        return
    conn.send(("ready", None))
    while True:
        try:
            job = conn.recv()
        except (EOFError, OSError):
            return
        if isinstance(job, list):  # a batch (api/batcher.py): one answer per job, in order
            conn.send(("batch", extract_batch(extractor, job)))
        else:
            conn.send(extract_one(extractor, job))


@dataclass(eq=False)  # hashed by identity: kept in a set
class _Worker:
    process: BaseProcess
    conn: Connection


@dataclass(frozen=True)
class PoolState:
    """What `/readyz` reports about the pool."""

    workers: int
    busy: int
    waiting: int
    saturated: bool


class WorkerPool:
    """`size` extraction processes; `run` one job on a free one, within a time budget."""

    def __init__(self, factory: Callable[..., Any], args: tuple[Any, ...], *, size: int,
                 queue_timeout_s: float = 30.0, max_waiting: int = 64,
                 start_timeout_s: float = 300.0, batch_rows: int = 1,
                 batch_wait_s: float = 0.0) -> None:
        self.factory, self.args, self.size = factory, args, size
        self.batch_rows, self.batch_wait_s = batch_rows, batch_wait_s
        self.queue_timeout_s, self.max_waiting = queue_timeout_s, max_waiting
        self.start_timeout_s = start_timeout_s
        self._ctx = mp.get_context("spawn")  # never fork a process that runs torch threads
        self._threads = max(1, (os.cpu_count() or 1) // size)
        self._idle: list[_Worker] = []
        self._all: set[_Worker] = set()
        self._lock = threading.Lock()
        self._loop: asyncio.AbstractEventLoop | None = None
        self._available: asyncio.Event | None = None
        self._large: asyncio.Semaphore | None = None
        # short jobs are gathered into batches (api/batcher.py) unless a batch is one row
        self.batcher: Batcher | None = None
        self.busy = 0
        self.waiting = 0
        self.closed = False

    # -- starting and replacing workers ------------------------------------------------------
    def start(self) -> None:
        """Start the workers and wait until they are loaded (blocking: call it off the event
        loop). Raises ModelNotLoaded when the first one cannot load the model."""
        first = self._spawn()
        assert first is not None, "a new pool is open"
        if (problem := self._wait_ready(first)) is not None:
            self._kill(first)
            raise ModelNotLoaded(problem)
        others = [w for w in (self._spawn() for _ in range(self.size - 1)) if w is not None]
        for worker in [first, *others]:
            if worker is first or self._wait_ready(worker) is None:
                self._release(worker)
            else:
                self._kill(worker)

    def _spawn(self) -> _Worker | None:
        """A new worker process (None once the pool is closed: none may outlive `close`)."""
        parent, child = self._ctx.Pipe()
        process = self._ctx.Process(target=_worker_main, daemon=True, name="stayform-extract",
                                    args=(child, self.factory, self.args, self._threads))
        with self._lock:  # close() takes the lock too: a worker is started and listed, or not
            if self.closed:
                return None
            process.start()
            worker = _Worker(process, parent)
            self._all.add(worker)
        child.close()
        return worker

    def _wait_ready(self, worker: _Worker) -> str | None:
        """None when `worker` loaded its model, else why not (or the pool closed meanwhile)."""
        deadline = time.monotonic() + self.start_timeout_s
        try:
            while not worker.conn.poll(0.2):
                if self.closed:
                    return "the pool was closed"
                if time.monotonic() > deadline:
                    return "the worker did not start in time"
            kind, detail = worker.conn.recv()
        except (EOFError, OSError):
            return "the worker exited while starting"
        return None if kind == "ready" else str(detail)

    def _replace(self) -> None:
        """Start a worker in place of a killed one (in a thread: loading takes seconds)."""
        worker = self._spawn()
        if worker is None:
            return
        if self._wait_ready(worker) is None and not self.closed:
            self._release(worker)
        else:
            self._kill(worker)

    def _kill(self, worker: _Worker) -> None:
        with self._lock:
            self._all.discard(worker)
        with contextlib.suppress(Exception):
            worker.process.kill()
            worker.process.join(timeout=5)
            worker.conn.close()

    def _release(self, worker: _Worker) -> None:
        with self._lock:
            self._idle.append(worker)
        loop, available = self._loop, self._available
        if loop is not None and available is not None and not loop.is_closed():
            with contextlib.suppress(RuntimeError):
                loop.call_soon_threadsafe(available.set)

    # -- running jobs ---------------------------------------------------------------------------
    def state(self) -> PoolState:
        """Workers loaded and ready (idle or busy; not those still starting), busy, waiting."""
        with self._lock:
            workers = len(self._idle) + self.busy
        return PoolState(workers=workers, busy=self.busy, waiting=self.waiting,
                         saturated=workers == 0 or self.waiting >= self.max_waiting)

    async def run(self, job: Job, *, timeout_s: float, large: bool = False) -> str:
        """The result JSON of `job`. Raises PoolBusy, TaskTimeout, WorkerFailed, or the
        worker's own error as RuntimeError(type name). Cancelling it (the client went away)
        kills the worker."""
        if self._loop is None:
            self._loop = asyncio.get_running_loop()
            self._available = asyncio.Event()
            self._large = asyncio.Semaphore(max(1, self.size - 1))
            if self.batch_rows > 1:
                self.batcher = Batcher(self, max_rows=self.batch_rows, wait_s=self.batch_wait_s)
        assert self._available is not None and self._large is not None
        if self.closed or self.waiting >= self.max_waiting:
            raise PoolBusy("every extraction worker is busy and the waiting line is full")
        if self.batcher is not None and not large:
            return await self.batcher.run(job, timeout_s=timeout_s)
        async with contextlib.AsyncExitStack() as stack:
            self.waiting += 1
            try:
                with anyio.fail_after(self.queue_timeout_s):
                    if large:  # all but one worker at most: short requests always find one
                        await stack.enter_async_context(self._large)
                    worker = await self._acquire()
            except TimeoutError as e:
                raise PoolBusy("no extraction worker became free in time") from e
            finally:
                self.waiting -= 1
            self.busy += 1
            try:
                return await self._on(worker, job, timeout_s)
            finally:
                self.busy -= 1
        raise AssertionError("unreachable")  # for mypy: the block returns or raises

    async def _acquire(self) -> _Worker:
        assert self._available is not None
        while True:
            with self._lock:
                if self._idle:
                    return self._idle.pop(0)
                self._available.clear()
            await self._available.wait()

    async def _on(self, worker: _Worker, job: Job, timeout_s: float) -> str:
        """Run `job` on `worker`; the worker goes back to the pool only after a clean answer."""
        done = False
        try:
            with anyio.fail_after(timeout_s):
                await anyio.to_thread.run_sync(worker.conn.send, job)
                await self._readable(worker.conn)
                kind, payload = worker.conn.recv()
            done = True
        except TimeoutError as e:
            raise TaskTimeout(f"extraction took longer than {timeout_s:g} s") from e
        except (EOFError, OSError) as e:
            raise WorkerFailed("the extraction worker died") from e
        finally:
            if done:
                self._release(worker)
            else:  # over time, cancelled or dead: its work is abandoned, a new one replaces it
                self._abandon(worker)
        if kind == "error":
            raise RuntimeError(payload)
        return str(payload)

    def _abandon(self, worker: _Worker) -> None:
        """Kill `worker`, whose work nobody waits for any more, and start a replacement."""
        self._kill(worker)
        threading.Thread(target=self._replace, daemon=True,
                         name="stayform-extract-restart").start()

    async def _readable(self, conn: Connection) -> None:
        loop = asyncio.get_running_loop()
        ready = asyncio.Event()
        loop.add_reader(conn.fileno(), ready.set)
        try:
            await ready.wait()
        finally:
            loop.remove_reader(conn.fileno())

    def close(self, grace_s: float = 5.0) -> None:
        """Stop: wait up to `grace_s` for running jobs, then kill every worker."""
        with self._lock:  # from now on no job starts and no worker is spawned
            self.closed = True
        loop, batcher = self._loop, self.batcher
        if loop is not None and batcher is not None and not loop.is_closed():
            with contextlib.suppress(RuntimeError):
                loop.call_soon_threadsafe(batcher.close)
        deadline = time.monotonic() + grace_s
        while self.busy and time.monotonic() < deadline:
            time.sleep(0.05)
        with self._lock:
            workers = list(self._all)
            self._idle.clear()
        for worker in workers:
            self._kill(worker)
