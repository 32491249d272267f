"""The extractor inside the service: loaded once per process, run off the event loop.

The model is CPU-heavy and not async: it runs in worker threads, at most `concurrency` at a
time (more would only make the cores thrash; waiting requests cost nothing while they wait).
A model folder that cannot be loaded does not stop the service: the review page and export
still work, `/readyz` says 503 and the extraction routes answer 503 with the reason.
"""

from __future__ import annotations

import datetime as dt
import logging
from dataclasses import dataclass
from functools import partial
from typing import Protocol

import anyio

from api.logs import error_fields
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


class ModelUnavailable(Exception):
    """The model could not be loaded; the message says why (code M001)."""


class ExtractionService:
    """The process's extractor and the limit on how many extractions run at once."""

    def __init__(self, extractor: Extractor | None, *, load_error: str | None = None,
                 concurrency: int = 2) -> None:
        self.extractor = extractor
        self.load_error = load_error
        self.concurrency = concurrency
        self._limiter: anyio.CapacityLimiter | None = None

    @classmethod
    def load(cls, settings: Settings, *, concurrency: int = 2) -> ExtractionService:
        """Load `settings.model_dir`; a failure is kept as `load_error`, not raised."""
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
        return self.extractor is not None

    async def extract(self, email: EmailInput) -> ExtractionResult:
        """The result for `email`, computed in a worker thread.

        Raises ModelUnavailable when no model is loaded. An extractor crash becomes an
        `error` result (code X001): one bad message must not fail the request with a 500.
        """
        if self.extractor is None:
            raise ModelUnavailable(f"M001: model not loaded: {self.load_error}")
        if self._limiter is None:  # created here: a limiter needs the running event loop
            self._limiter = anyio.CapacityLimiter(self.concurrency)
        call = self._call(self.extractor, email)
        return await anyio.to_thread.run_sync(call, limiter=self._limiter)

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
