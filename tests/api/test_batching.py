"""Batched inference in the service (issue 19, point 2): short requests that arrive together
share one model call in one worker process, and each still gets exactly what it would get
alone; an email that breaks the model fails only itself; a request that waits or runs past
its time budget is answered as before batching.

The worker processes run the real extractor on the keyword model; `_Counting` writes the
number of emails of every `extract_prepared` call (the extractor's batch method) to a file,
breaks on BOOM and sleeps on SLOW, so that what happens inside the workers can be seen."""

from __future__ import annotations

import asyncio
import datetime as dt
import time
from collections.abc import Iterator, Sequence
from email.message import EmailMessage
from pathlib import Path
from typing import Any

import anyio.from_thread
import pytest
from anyio.from_thread import BlockingPortal

from api.extraction import EmailInput, ExtractionService, ServiceBusy
from extractor.form import ExtractionResult
from extractor.pipeline import Extractor, Prepared
from stayform.settings import Settings

BUDGET_S, QUEUE_S = 20.0, 20.0  # the deadline test narrows both
# over 20,000 characters: a large input, which runs alone on the worker
LARGE = "Please book a room in Munich. " + "Some more words to read here. " * 700
RECEIVED = dt.datetime(2026, 4, 20, 9, 12, tzinfo=dt.UTC)
TEXTS = [f"Please book a single room in {city} 2026-05-0{day} to 2026-05-0{day + 1}.\n"
         f"Thanks, {name}"
         for city, day, name in [("Munich", 1, "Peter Brown"), ("Berlin", 2, "Anna"),
                                 ("Hamburg", 3, "Tom Berg"), ("Vienna", 4, "Lena Wolf"),
                                 ("Cologne", 5, "Mia Keller"), ("Munich", 6, "Jonas Weber")]]


class _Counting(Extractor):
    """The real extractor, logging the size of each `extract_prepared` call to `calls`."""

    calls: Path

    def extract_prepared(self, items: Sequence[Prepared], *, batch_size: int = 32
                         ) -> list[ExtractionResult]:
        with self.calls.open("a", encoding="utf-8") as f:
            f.write(f"{len(items)}\n")
        if any("BOOM" in p.text for p in items):
            raise ValueError("this email breaks the model")
        if any("SLOW" in p.text for p in items):
            time.sleep(60)
        return super().extract_prepared(items, batch_size=batch_size)


def load_counting(model_dir: str, calls: str) -> _Counting:
    """The worker factory (imported by name in a spawned worker process)."""
    extractor = _Counting.load(model_dir)
    assert isinstance(extractor, _Counting)
    extractor.calls = Path(calls)
    return extractor


def _raw_email(text: str) -> bytes:
    msg = EmailMessage()
    msg["From"] = "Tom Berg <tom@example.com>"
    msg["Subject"] = "Hotel"
    msg["Message-ID"] = "<batching-1@example.com>"
    msg["Date"] = "Mon, 20 Apr 2026 09:12:00 +0000"
    msg.set_content(text)
    return msg.as_bytes()


def _start(model_dir: Path, calls: Path, **overrides: Any) -> ExtractionService:
    settings = Settings(model_dir=model_dir, extract_concurrency=1, **overrides)
    service = ExtractionService.start_pool(settings, (load_counting, (str(model_dir),
                                                                      str(calls))))
    assert service.pool is not None, service.load_error
    return service


def _calls(path: Path) -> list[int]:
    return [int(n) for n in path.read_text(encoding="utf-8").split()]


@pytest.fixture(scope="module")
def batching(keyword_model_dir: Path, tmp_path_factory: pytest.TempPathFactory
             ) -> Iterator[tuple[ExtractionService, BlockingPortal, Path]]:
    """One worker process batching up to 16 requests, and an event loop to call it from."""
    calls = tmp_path_factory.mktemp("batching") / "calls.txt"
    service = _start(keyword_model_dir, calls, batch_max_rows=16, batch_wait_ms=20,
                     extract_timeout_s=BUDGET_S, extract_queue_timeout_s=QUEUE_S)
    with anyio.from_thread.start_blocking_portal() as portal:
        yield service, portal, calls
        service.close(grace_s=1)


def _together(service: ExtractionService, portal: BlockingPortal,
              emails: list[EmailInput]) -> list[ExtractionResult]:
    async def all_at_once() -> list[ExtractionResult]:
        return list(await asyncio.gather(*(service.extract(e) for e in emails)))

    return portal.call(all_at_once)


def test_requests_arriving_together_share_a_model_call_and_get_their_own_results(
        batching: tuple[ExtractionService, BlockingPortal, Path], pipeline: Extractor) -> None:
    service, portal, calls = batching
    raw = _raw_email(TEXTS[2])
    emails = [EmailInput(text=t, received_at=RECEIVED) for t in TEXTS]
    emails += [EmailInput(raw=raw), EmailInput(text=TEXTS[0], id="mine-7")]
    emails += [EmailInput(text=LARGE, received_at=RECEIVED)]
    before = len(_calls(calls))
    results = _together(service, portal, emails)
    made = _calls(calls)[before:]
    assert sorted(made) == [1, len(emails) - 1], made  # the short ones in one call
    alone = [pipeline.extract_text(t, received_at=RECEIVED) for t in TEXTS]
    alone += [pipeline.extract_email(raw), pipeline.extract_text(TEXTS[0], id="mine-7")]
    alone += [pipeline.extract_text(LARGE, received_at=RECEIVED)]
    for got, want in zip(results, alone, strict=True):
        assert got.model_dump_json() == want.model_dump_json()
    assert {r.stays[0].destination.value for r in results[:5]} == {
        "Munich", "Berlin", "Hamburg", "Vienna", "Cologne"}


def test_an_email_that_breaks_the_model_fails_only_itself(
        batching: tuple[ExtractionService, BlockingPortal, Path], pipeline: Extractor) -> None:
    service, portal, calls = batching
    unreadable = EmailInput(raw=b"no header at all, only text")  # its own error result
    emails = [EmailInput(text=TEXTS[0], received_at=RECEIVED),
              EmailInput(text="BOOM " + TEXTS[1], received_at=RECEIVED),
              EmailInput(text=TEXTS[3], received_at=RECEIVED), unreadable]
    before = len(_calls(calls))
    results = _together(service, portal, emails)
    assert _calls(calls)[before] == 3  # the readable three in one call, then each alone
    ok = [results[0], results[2]]
    want = [pipeline.extract_text(TEXTS[i], received_at=RECEIVED) for i in (0, 3)]
    assert [r.model_dump_json() for r in ok] == [w.model_dump_json() for w in want]
    broken = results[1]
    assert broken.status == "error" and broken.error is not None
    assert broken.error.code == "X001" and "ValueError" in broken.error.message
    assert results[3].status == "error" and results[3].error is not None
    assert results[3].model_dump_json() == pipeline.extract_email(unreadable.raw or b""
                                                                  ).model_dump_json()


def test_a_request_past_its_time_budget_is_answered_as_before_batching(
        batching: tuple[ExtractionService, BlockingPortal, Path]) -> None:
    """The worker runs an email that takes a minute: a request waiting behind it past the
    queue's time is refused (B001, a 503), the costly one ends at its budget (X002): the
    answers of the one-by-one pool (tests/api/test_workers.py). Last: it kills the worker."""
    service, portal, _ = batching
    assert service.pool is not None
    service.pool.queue_timeout_s, service.timeout_s = 1.0, 3.0

    async def scenario() -> tuple[ExtractionResult, BaseException | None, float]:
        slow = asyncio.ensure_future(service.extract(EmailInput(text="SLOW " + TEXTS[0])))
        while not (service.pool and service.pool.busy):
            await asyncio.sleep(0.01)
        started = time.monotonic()
        refused: BaseException | None = None
        try:
            await service.extract(EmailInput(text=TEXTS[1]))
        except ServiceBusy as e:
            refused = e
        waited = time.monotonic() - started
        return await slow, refused, waited

    slow, refused, waited = portal.call(scenario)
    assert isinstance(refused, ServiceBusy) and str(refused).startswith("B001")
    assert 1.0 <= waited < 2.0
    assert slow.status == "error" and slow.error is not None and slow.error.code == "X002"
