"""Many reviewers at once on PostgreSQL: every item is claimed exactly once, and an abandoned
lease returns its item to the queue.

20 threads, each a reviewer with its own key and connection, claim and save from a queue of
200 items until it is empty. `FOR UPDATE SKIP LOCKED` must hand each item to one reviewer
only, and no save may be refused (each reviewer saves only what it holds). On SQLite the
writers of one process take turns instead of retrying on SQLite's busy timeout.
"""

from __future__ import annotations

import datetime as dt
import threading
from collections import Counter
from collections.abc import Iterator

import pytest
from sqlalchemy import event, text
from sqlalchemy.orm import Session, sessionmaker

from api import db, store
from api.models import AuditEvent
from extractor.form import ExtractionResult, FormValues
from tests.api.conftest import TABLES

REVIEWERS, ITEMS = 20, 200
NOT_HOTEL = FormValues(intent="not_hotel", stays=[])


@pytest.fixture
def pg_sessions(pg_database: str) -> Iterator[sessionmaker[Session]]:
    """Sessions on the emptied PostgreSQL test database, a connection per reviewer thread."""
    engine = db.make_engine(pg_database, pool_size=REVIEWERS)
    db.migrate(engine)
    with engine.begin() as c:
        c.execute(text(f"TRUNCATE {TABLES} RESTART IDENTITY CASCADE"))
    yield db.make_sessionmaker(engine)
    engine.dispose()


def _enqueue(session: Session, external_id: str) -> str:
    result = ExtractionResult(id=external_id, status="needs_review", intent="new_booking",
                              text=f"mail {external_id}")
    return store.enqueue_result(session, result=result, raw=None, owner_key_id=None)[0].id


def test_twenty_reviewers_claim_two_hundred_items_exactly_once(
        pg_sessions: sessionmaker[Session]) -> None:
    with pg_sessions() as session:
        ids = {_enqueue(session, f"m{i}") for i in range(ITEMS)}
    claims: dict[str, list[str]] = {f"key_r{n}": [] for n in range(REVIEWERS)}
    errors: list[BaseException] = []
    start = threading.Barrier(REVIEWERS)

    def review(reviewer: str) -> None:
        try:
            start.wait()  # all at once
            with pg_sessions() as session:
                while (stored := store.claim_next(session, reviewer_key_id=reviewer,
                                                  lease_seconds=600)) is not None:
                    claims[reviewer].append(stored.item.id)
                    store.save_answer(session, item_id=stored.item.id, reviewer_key_id=reviewer,
                                      version=stored.item.version, values=NOT_HOTEL)
        except BaseException as e:  # reported by the main thread
            errors.append(e)

    threads = [threading.Thread(target=review, args=(r,)) for r in claims]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=120)
    assert not errors, errors
    claimed = Counter(i for got in claims.values() for i in got)
    assert set(claimed) == ids, "every item was claimed"
    assert max(claimed.values()) == 1, "no item was claimed twice"
    assert sum(1 for got in claims.values() if got) > 1, "the work was shared"
    with pg_sessions() as session:
        assert store.queue_counts(session)["reviewed"] == ITEMS
        assert store.claim_next(session, reviewer_key_id="key_late", lease_seconds=1) is None


def test_an_expired_lease_comes_back_to_the_queue(pg_sessions: sessionmaker[Session]) -> None:
    now = store.utcnow()
    with pg_sessions() as session:
        item_id = _enqueue(session, "abandoned")
        held = store.claim_next(session, reviewer_key_id="key_a", lease_seconds=30, now=now)
        assert held is not None and held.item.id == item_id
    with pg_sessions() as session:
        later = now + dt.timedelta(seconds=29)
        assert store.claim_next(session, reviewer_key_id="key_b", lease_seconds=60,
                                now=later) is None
        expired = now + dt.timedelta(seconds=31)
        back = store.claim_next(session, reviewer_key_id="key_b", lease_seconds=60, now=expired)
        assert back is not None and back.item.id == item_id and back.item.lease_owner == "key_b"


def test_sqlite_writers_of_one_process_take_turns(tmp_path) -> None:
    """A second writer waits for the first one's transaction to end, then writes: it never
    meets SQLite's busy handling (turned off here: it would fail at once)."""
    engine = db.make_engine(f"sqlite:///{tmp_path / 'q.db'}")
    db.migrate(engine)
    engine.dispose()

    @event.listens_for(engine, "connect")
    def _no_busy_wait(dbapi_connection, _record) -> None:  # SQLite's own waiting would fail
        dbapi_connection.execute("PRAGMA busy_timeout=0")

    sessions = db.make_sessionmaker(engine)
    order: list[str] = []
    first = sessions()
    first.add(AuditEvent(at=dt.datetime.now(dt.UTC), action="first"))
    first.flush()  # the first writer's transaction is open and holds its turn
    second_done = threading.Event()

    def second() -> None:
        with sessions() as session:
            result = ExtractionResult(id="second", status="needs_review", intent="not_hotel",
                                      text="t")
            store.enqueue_result(session, result=result, raw=None, owner_key_id=None)
            order.append("second")
        second_done.set()

    thread = threading.Thread(target=second)
    thread.start()
    assert not second_done.wait(0.5)  # waits for its turn, not for the busy timeout
    order.append("first")
    first.commit()
    first.close()
    assert second_done.wait(10)
    thread.join()
    assert order == ["first", "second"]
    with sessions() as session:
        assert session.scalars(text("SELECT action FROM audit_events ORDER BY id")).all() == [
            "first", "ingest"]
    engine.dispose()
