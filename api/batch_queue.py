"""`stayform batch --queue`: every result of a batch also stored as a review-queue item.

Idempotent like `POST /v1/emails`: a re-run of the same inbox finds its items and adds none.
Items are owned by no agent key (the batch is an operator's job), so reviewers and admins see
them; agents do not.
"""

from __future__ import annotations

from contextlib import ExitStack

from api import store
from api.db import session_scope
from extractor.form import ExtractionResult
from stayform.settings import Settings


class QueueWriter:
    """Stores results as they come; `close()` when the batch ends."""

    def __init__(self, settings: Settings) -> None:
        self._stack = ExitStack()
        self._session = self._stack.enter_context(session_scope(settings))
        self.created = 0

    def add(self, result: ExtractionResult) -> None:
        _, created = store.enqueue_result(self._session, result=result, raw=None,
                                          owner_key_id=None)
        self.created += int(created)

    def close(self) -> None:
        self._stack.close()
