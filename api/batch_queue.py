"""`stayform batch --queue`: every result of a batch also stored as a review-queue item.

Idempotent like `POST /v1/emails`: a re-run of the same inbox finds its items and adds none.
Items are owned by no agent key (the batch is an operator's job), so reviewers and admins see
them; agents do not.

A result the database refuses (a data error of that one item) becomes an `error` record
(code `queue_failed`), itself queued, and the batch goes on; a database that cannot be reached
stops the batch with a one-line error (code D003) before the chunk's lines are written, so the
re-run resumes there.
"""

from __future__ import annotations

import logging
from contextlib import ExitStack

from sqlalchemy.exc import InterfaceError, OperationalError, SQLAlchemyError
from sqlalchemy.exc import TimeoutError as PoolTimeout

from api import store
from api.db import session_scope
from api.logs import error_fields
from extractor.form import ExtractionResult
from stayform.cli import UserError
from stayform.settings import Settings

log = logging.getLogger("stayform.batch")
_UNREACHABLE = (OperationalError, InterfaceError, PoolTimeout)


class QueueWriter:
    """Stores results as they come; `close()` when the batch ends."""

    def __init__(self, settings: Settings) -> None:
        self._stack = ExitStack()
        self._session = self._stack.enter_context(session_scope(settings))
        self.created = 0

    def add(self, result: ExtractionResult) -> ExtractionResult:
        """Store `result`; returns it, or the `queue_failed` error record stored instead."""
        try:
            self._store(result)
            return result
        except _UNREACHABLE as e:
            self._session.rollback()
            raise UserError(f"D003: the review queue database cannot be reached "
                            f"({type(e).__name__}); run the batch again to resume") from e
        except (SQLAlchemyError, ValueError, OverflowError) as e:
            self._session.rollback()
            log.error("queue write failed", extra={"event": "queue_failed", **error_fields(e)})
            reason = type(e).__name__
        failed = ExtractionResult.failed(
            id=result.id, code="queue_failed",
            message=f"the review queue refused this result ({reason})")
        try:
            self._store(failed)
        except SQLAlchemyError as e:
            self._session.rollback()
            raise UserError(f"D003: the review queue database refused a write "
                            f"({type(e).__name__}); run the batch again to resume") from e
        return failed

    def _store(self, result: ExtractionResult) -> None:
        _, created = store.enqueue_result(self._session, result=result, raw=None,
                                          owner_key_id=None)
        self.created += int(created)

    def close(self) -> None:
        self._stack.close()
