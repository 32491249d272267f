"""The extractor inside the service, run off the event loop.

`stayform serve` runs it in worker processes (`api/workers.py`, `concurrency` of them, each
with its own copy of the model): an extraction over its time budget (`extract_timeout_s`), or
whose client hung up, is abandoned and its worker killed and replaced, so one costly email
cannot hold the service; it answers an `error` result (X002). Short emails arriving
together share one model call (api/batcher.py; `STAYFORM_BATCH_WAIT_MS`,
`STAYFORM_BATCH_MAX_ROWS`). When every worker is busy and the waiting line is full, a request
is refused with 503 and Retry-After, and `/readyz` says the service is saturated.

An extractor passed in (the tests' tiny model, with faults patched in) runs in threads
instead, at most `concurrency` at a time; threads cannot be stopped, so that mode has no
time budget. A model folder that cannot be loaded does not stop the service: the review page
and export still work, `/readyz` says 503 and the extraction routes answer 503 with the reason.
"""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Callable
from dataclasses import dataclass
from functools import partial
from typing import Any, Protocol

import anyio
from starlette.requests import Request

from api.logs import error_fields
from api.workers import (
    ModelNotLoaded,
    PoolBusy,
    PoolState,
    TaskTimeout,
    WorkerFailed,
    WorkerPool,
    load_pipeline,
)
from extractor import inputs
from extractor.form import ExtractionResult
from stayform.settings import Settings

log = logging.getLogger("stayform.api")


class Extractor(Protocol):
    """What the service needs of `extractor.pipeline.Extractor` (tests pass their own)."""

    def extract_text(self, text: str, *, received_at: dt.datetime | None = None,
                     id: str | None = None) -> ExtractionResult: ...

    def extract_email(self, raw: bytes, *, received_at: dt.datetime | None = None,
                      id: str | None = None) -> ExtractionResult: ...


@dataclass(frozen=True)
class EmailInput:
    """One email as a client sent it: a text or a raw RFC 5322 message (exactly one)."""

    text: str | None = None
    raw: bytes | None = None
    received_at: dt.datetime | None = None
    id: str | None = None


def content_id(email: EmailInput) -> str:
    """A content-hash id (the pipeline's scheme), for an email without an id of its own."""
    return inputs.content_id(email.raw if email.raw is not None
                             else (email.text or "").encode("utf-8"))


class ClientGone(Exception):
    """The client disconnected while its email was extracted; the work was abandoned."""


class ModelUnavailable(Exception):
    """The model could not be loaded; the message says why (code M001)."""


class ServiceBusy(Exception):
    """Every extraction worker is busy and the waiting line is full (code B001): retry."""


# Text longer than this, or a raw message larger than this many bytes, is a large input: it
# may hold at most all but one worker, so short requests always find one.
LARGE_INPUT = 20_000


class ExtractionService:
    """The process's extractor (in threads) or its worker pool, and how many run at once."""

    def __init__(self, extractor: Extractor | None, *, load_error: str | None = None,
                 concurrency: int = 2, pool: WorkerPool | None = None,
                 timeout_s: float = 30.0) -> None:
        self.extractor = extractor
        self.load_error = load_error
        self.concurrency = concurrency
        self.pool = pool
        self.timeout_s = timeout_s
        self._limiter: anyio.CapacityLimiter | None = None

    @classmethod
    def start_pool(cls, settings: Settings,
                   factory: tuple[Callable[..., Any], tuple[Any, ...]] | None = None,
                   ) -> ExtractionService:
        """Worker processes loading `settings.model_dir` (or `factory`: a module-level
        function and its arguments); a model that cannot be loaded is kept as `load_error`.
        Blocking: call it off the event loop."""
        make, args = factory or (load_pipeline, (str(settings.model_dir),
                                                 settings.review_threshold,
                                                 settings.max_email_bytes))
        pool = WorkerPool(make, args, size=settings.extract_concurrency,
                          queue_timeout_s=settings.extract_queue_timeout_s,
                          max_waiting=settings.extract_max_waiting,
                          batch_rows=settings.batch_max_rows,
                          batch_wait_s=settings.batch_wait_ms / 1000)
        try:
            pool.start()
        except ModelNotLoaded as e:
            log.error("model not loaded", extra={"event": "model_load_failed", "detail": str(e)})
            return cls(None, load_error=str(e), concurrency=settings.extract_concurrency)
        return cls(None, concurrency=settings.extract_concurrency, pool=pool,
                   timeout_s=settings.extract_timeout_s)

    def close(self, grace_s: float = 5.0) -> None:
        """Stop the workers: running extractions get `grace_s` to finish, then are killed."""
        if self.pool is not None:
            self.pool.close(grace_s)

    @classmethod
    def load(cls, settings: Settings, *, concurrency: int = 2) -> ExtractionService:
        """Load `settings.model_dir` in this process (threads; no time budget); a failure is
        kept as `load_error`, not raised."""
        try:
            from extractor.pipeline import Extractor as PipelineExtractor  # torch: import late
            from extractor.pipeline import ModelLoadError
        except ImportError as e:
            return cls(None, load_error=f"extractor unavailable: {e}", concurrency=concurrency)
        try:
            extractor = PipelineExtractor.load(settings.model_dir,
                                               review_threshold=settings.review_threshold)
        except ModelLoadError as e:
            log.error("model not loaded", extra={"event": "model_load_failed", "detail": str(e)})
            return cls(None, load_error=str(e), concurrency=concurrency)
        # The first call pays for lazy initialisation (seconds); pay it before serving.
        try:
            extractor.extract_text("Warm-up: a room in Berlin for one night.")
        except Exception as e:
            log.error("model warm-up failed", extra={"event": "warmup_failed", **error_fields(e)})
        return cls(extractor, concurrency=concurrency)

    @property
    def ready(self) -> bool:
        return self.extractor is not None or self.pool is not None

    def state(self) -> PoolState | None:
        """The worker pool's state (None without a pool)."""
        return self.pool.state() if self.pool is not None else None

    async def extract(self, email: EmailInput, request: Request | None = None
                      ) -> ExtractionResult:
        """The result for `email`, computed in a worker process (or thread).

        Raises ModelUnavailable when no model is loaded, ServiceBusy when no worker is free,
        ClientGone when the client of `request` disconnected (its extraction is abandoned). An
        extractor crash becomes an `error` result (X001), one over its time budget too (X002):
        one bad message must not fail the request with a 500.
        """
        if self.pool is not None:
            return await self._in_pool(self.pool, email, request)
        if self.extractor is None:
            raise ModelUnavailable(f"M001: model not loaded: {self.load_error}")
        if self._limiter is None:  # created here: a limiter needs the running event loop
            self._limiter = anyio.CapacityLimiter(self.concurrency)
        call = self._call(self.extractor, email)
        return await anyio.to_thread.run_sync(call, limiter=self._limiter)

    async def _in_pool(self, pool: WorkerPool, email: EmailInput, request: Request | None
                       ) -> ExtractionResult:
        large = (len(email.raw) if email.raw is not None else len(email.text or "")
                 ) > LARGE_INPUT
        job = (email.text, email.raw, email.received_at, email.id)
        gone = False
        payload: str | None = None
        code = message = ""
        async with anyio.create_task_group() as group:
            if request is not None:
                async def watch() -> None:
                    nonlocal gone
                    try:  # the body is read: the next message is the client hanging up
                        while (await request.receive())["type"] != "http.disconnect":
                            pass
                    except Exception:  # noqa: BLE001 - a server that cannot tell: stop watching
                        return
                    gone = True
                    group.cancel_scope.cancel()

                group.start_soon(watch)
            try:  # nothing raised in here: a task group would wrap it in an ExceptionGroup
                payload = await pool.run(job, timeout_s=self.timeout_s, large=large)
            except PoolBusy as e:
                code, message = "B001", str(e)
            except TaskTimeout:
                code, message = "X002", f"extraction over its time budget ({self.timeout_s:g} s)"
            except WorkerFailed:
                code, message = "X003", "the extraction worker died"
            except RuntimeError as e:
                log.error("extractor failed", extra={"event": "extract_failed",
                                                     "error": str(e)[:100]})
                code, message = "X001", f"extraction failed: {str(e)[:100]}"
            group.cancel_scope.cancel()
        if gone:
            log.info("client gone, extraction abandoned", extra={"event": "client_gone"})
            raise ClientGone
        if code == "B001":
            raise ServiceBusy(f"B001: {message}")
        if payload is not None:
            return ExtractionResult.model_validate_json(payload)
        if code == "X002":
            log.warning("extraction timed out", extra={"event": "extract_timeout"})
        return ExtractionResult.failed(id=email.id or content_id(email), code=code,
                                       message=message, received_at=email.received_at)

    @staticmethod
    def _call(extractor: Extractor, email: EmailInput):  # type: ignore[no-untyped-def]
        if email.raw is not None:
            run = partial(extractor.extract_email, email.raw, received_at=email.received_at,
                          id=email.id)
        else:
            run = partial(extractor.extract_text, email.text or "",
                          received_at=email.received_at, id=email.id)

        def guarded() -> ExtractionResult:
            try:
                return run()
            except Exception as e:
                log.error("extractor failed", extra={"event": "extract_failed", **error_fields(e)})
                return ExtractionResult.failed(id=email.id or content_id(email), code="X001",
                                               message=f"extraction failed: {type(e).__name__}",
                                               received_at=email.received_at)
        return guarded
