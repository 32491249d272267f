"""Webhooks (issue 17): outbox events written with the change, signed, retried until 2xx.

A real HTTP receiver on loopback refuses the first two posts with 500, checks every signature
with the `standardwebhooks` verifier and counts events by `webhook-id`; on SQLite and
PostgreSQL.
"""

from __future__ import annotations

import base64
import json
import random
import secrets
import threading
import time
from collections import Counter
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import create_engine, select, text
from sqlalchemy.exc import SQLAlchemyError
from standardwebhooks.webhooks import Webhook, WebhookVerificationError

from api import outbox, store
from api.app import create_app
from api.models import OutboxEvent
from api.webhooks import WebhookConfigError, backoff_s
from extractor.form import FormValues
from stayform.settings import Settings
from tests.api.conftest import REQUEST, SURE, Keys, make_keys

ANSWER = {"intent": "new_booking", "stays": [{
    "destination": "Munich", "check_in": "2026-05-03", "check_out": "2026-05-06", "guests": 2}]}
SECRET = "whsec_" + base64.b64encode(secrets.token_bytes(32)).decode()


class Receiver:
    """A loopback webhook endpoint: 500 for the first `fail_first` posts, then verifies the
    signature (400 when wrong) and answers 204."""

    def __init__(self, fail_first: int) -> None:
        self.lock = threading.Lock()
        self.posts = 0
        self.fail_first = fail_first
        self.refused: list[str] = []          # webhook-ids answered 500
        self.accepted: Counter[str] = Counter()
        self.bodies: dict[str, bytes] = {}
        self.bad_signatures = 0
        receiver = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:  # noqa: N802 (http.server's name)
                data = self.rfile.read(int(self.headers["content-length"]))
                headers = {k: v for k, v in self.headers.items()}
                with receiver.lock:
                    receiver.posts += 1
                    if receiver.posts <= receiver.fail_first:
                        receiver.refused.append(headers["webhook-id"])
                        code = 500
                    else:
                        try:
                            Webhook(SECRET).verify(data, headers)
                        except WebhookVerificationError:
                            receiver.bad_signatures += 1
                            code = 400
                        else:
                            receiver.accepted[headers["webhook-id"]] += 1
                            receiver.bodies[headers["webhook-id"]] = data
                            code = 204
                self.send_response(code)
                self.send_header("content-length", "0")
                self.end_headers()

            def log_message(self, *args: Any) -> None:
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}/hooks"


@pytest.fixture
def receiver() -> Iterator[Receiver]:
    r = Receiver(fail_first=2)
    thread = threading.Thread(target=r.server.serve_forever, daemon=True)
    thread.start()
    yield r
    r.server.shutdown()
    r.server.server_close()


@pytest.fixture
def empty_outbox(database_url: str) -> str:
    """The database with no events left by other tests (the PostgreSQL one is shared)."""
    engine = create_engine(database_url)
    try:
        with engine.begin() as c:
            c.execute(text("DELETE FROM webhook_outbox"))
    except SQLAlchemyError:
        pass  # no table yet: the app's start creates it
    finally:
        engine.dispose()
    return database_url


def _review(client: TestClient, keys: Keys, answer: dict[str, Any]) -> dict[str, Any]:
    claimed = client.post("/v1/review/claim", headers=keys.h("reviewer")).json()
    r = client.put(f"/v1/review/{claimed['id']}", json=answer,
                   headers={**keys.h("reviewer"), "If-Match": f'"{claimed["version"]}"'})
    assert r.status_code == 200, r.text
    return claimed


def test_a_flaky_receiver_gets_each_signed_event_once(
        empty_outbox: str, settings: Settings, extractor: Any, receiver: Receiver) -> None:
    hooked = settings.model_copy(update={
        "database_url": empty_outbox, "webhook_url": receiver.url, "webhook_secret": SECRET,
        "webhook_backoff_base_s": 0.05, "webhook_backoff_max_s": 0.2, "webhook_poll_s": 0.05})
    app = create_app(hooked, extractor=extractor)
    with TestClient(app) as client:
        keys = make_keys(app)
        sure = client.post("/v1/emails", json={"text": SURE, "id": "crm-1"},
                           headers=keys.h("agent")).json()
        assert sure["status"] == "auto_accepted"
        for i in range(2):
            client.post("/v1/emails", json={"text": f"{REQUEST} #{i}", "id": f"crm-r{i}"},
                        headers=keys.h("agent"))
        reviewed = _review(client, keys, ANSWER)
        rejected = _review(client, keys, {"intent": "not_hotel", "stays": []})
        assert client.delete(f"/v1/emails/{sure['id']}",
                             headers=keys.h("admin")).status_code == 204
        deadline = time.monotonic() + 30
        while len(receiver.accepted) < 4 and time.monotonic() < deadline:
            time.sleep(0.05)
        time.sleep(0.5)  # time for a duplicate to arrive, if the sender made one
        with app.state.sessions() as session:
            pending = session.scalars(select(OutboxEvent).where(
                OutboxEvent.delivered_at.is_(None))).all()
    assert not pending
    assert receiver.bad_signatures == 0
    assert len(receiver.accepted) == 4 and set(receiver.accepted.values()) == {1}
    assert receiver.posts == 6 and set(receiver.refused) <= set(receiver.accepted)
    bodies = [json.loads(b) for b in receiver.bodies.values()]
    got = {(b["type"], b["data"]["item_id"], b["data"]["external_id"], b["data"]["status"])
           for b in bodies}
    assert got == {("item.auto_accepted", sure["id"], "crm-1", "auto_accepted"),
                   ("item.reviewed", reviewed["id"], reviewed["external_id"], "reviewed"),
                   ("item.rejected", rejected["id"], rejected["external_id"], "reviewed"),
                   ("item.deleted", sure["id"], "crm-1", "auto_accepted")}
    for webhook_id, raw in receiver.bodies.items():
        body = json.loads(raw)
        assert body["id"] == webhook_id and set(body) == {"type", "id", "timestamp", "data"}
        assert set(body["data"]) == {"item_id", "external_id", "status"}
        assert b"Munich" not in raw and b"Peter" not in raw  # no email content leaves


def _events(app: Any, item_id: str) -> list[str]:
    with app.state.sessions() as session:
        return list(session.scalars(select(OutboxEvent.type)
                                    .where(OutboxEvent.item_id == item_id)))


def test_an_event_exists_only_when_its_change_committed(
        app: Any, client: TestClient, keys: Keys, monkeypatch: pytest.MonkeyPatch) -> None:
    assert app.state.webhooks is None  # no URL: events wait in the outbox, nothing is sent
    first = client.post("/v1/emails", json={"text": REQUEST, "id": "x"}, headers=keys.h("agent"))
    again = client.post("/v1/emails", json={"text": REQUEST, "id": "x"}, headers=keys.h("agent"))
    assert again.json()["id"] == first.json()["id"]
    item_id = first.json()["id"]
    assert _events(app, item_id) == []  # needs_review is no event; a repeat ingest neither
    url = f"/v1/review/{item_id}"
    stale = client.put(url, json=ANSWER, headers={**keys.h("reviewer"), "If-Match": "7"})
    assert stale.status_code == 409 and _events(app, item_id) == []

    def broken(*args: Any, **kwargs: Any) -> None:
        raise RuntimeError("the outbox insert failed")

    monkeypatch.setattr(outbox, "add_event", broken)
    with app.state.sessions() as session, pytest.raises(RuntimeError):
        store.save_answer(session, item_id=item_id, reviewer_key_id=keys.ids["reviewer"],
                          version=1, values=FormValues.model_validate(ANSWER))
    monkeypatch.undo()
    after = client.get(f"/v1/emails/{item_id}", headers=keys.h("reviewer")).json()
    assert after["status"] == "needs_review" and after["version"] == 1  # the change rolled back
    assert _events(app, item_id) == []
    ok = client.put(url, json=ANSWER, headers={**keys.h("reviewer"), "If-Match": "1"})
    assert ok.status_code == 200 and _events(app, item_id) == ["item.reviewed"]
    assert client.delete(f"/v1/emails/{'0' * 32}", headers=keys.h("admin")).status_code == 404
    assert client.delete(f"/v1/emails/{item_id}", headers=keys.h("admin")).status_code == 204
    assert sorted(_events(app, item_id)) == ["item.deleted", "item.reviewed"]


def test_backoff_doubles_with_jitter_up_to_the_cap() -> None:
    rng = random.Random(7)
    for n in range(1, 8):
        delay = min(10.0, 2.0 ** (n - 1))
        waits = [backoff_s(n, base_s=1.0, max_s=10.0, rng=rng) for _ in range(50)]
        assert all(delay / 2 <= w <= delay for w in waits) and len(set(waits)) > 1
    assert backoff_s(500, base_s=1.0, max_s=60.0) <= 60.0


@pytest.mark.parametrize("secret", [None, "whsec_not base64!"])
def test_a_url_without_a_usable_secret_stops_the_start(
        settings: Settings, extractor: Any, secret: str | None) -> None:
    bad = settings.model_copy(update={"webhook_url": "http://127.0.0.1:9/", "webhook_secret":
                                      secret})
    with pytest.raises(WebhookConfigError), TestClient(create_app(bad, extractor=extractor)):
        pass
