"""`POST /v1/extract`, `POST /v1/emails`, `GET` and `DELETE /v1/emails/{id}` on both databases."""

from __future__ import annotations

import email.message
from typing import TYPE_CHECKING

import pytest
from fastapi.testclient import TestClient

from api import store
from tests.api.conftest import REQUEST, SURE, Keys, crash_on

if TYPE_CHECKING:
    from extractor.pipeline import Extractor


def _eml(body: str, message_id: str = "<abc-123@example.org>") -> bytes:
    msg = email.message.EmailMessage()
    msg["From"], msg["To"], msg["Subject"] = "anna@example.org", "desk@example.org", "Hotel"
    msg["Message-ID"] = message_id
    msg.set_content(body)
    return msg.as_bytes()


def test_extract_returns_the_result_and_stores_nothing(client: TestClient, keys: Keys) -> None:
    for who in ("agent", "reviewer", "admin"):
        r = client.post("/v1/extract", json={"text": REQUEST}, headers=keys.h(who))
        assert r.status_code == 200, r.text
        result = r.json()
        assert result["stays"][0]["destination"]["value"] == "Munich"
        start = result["stays"][0]["destination"]["evidence"][0]["start"]
        assert REQUEST[start:start + 6] == "Munich"
    counts = client.get("/review", headers=keys.h("reviewer"))
    assert 'id="count-needs_review">0<' in counts.text
    assert 'id="count-auto_accepted">0<' in counts.text


def test_extract_accepts_a_raw_message_upload(client: TestClient, keys: Keys) -> None:
    raw = _eml("A room in Berlin, 2026-06-01 to 2026-06-03 please.")
    r = client.post("/v1/extract", files={"email": ("m.eml", raw, "message/rfc822")},
                    data={"received_at": "2026-04-20T09:12:00+02:00"}, headers=keys.h("agent"))
    assert r.status_code == 200, r.text
    assert r.json()["id"] == "abc-123@example.org"  # the reader drops the angle brackets
    assert r.json()["received_at"] == "2026-04-20T09:12:00+02:00"
    assert r.json()["stays"][0]["destination"]["value"] == "Berlin"


def test_ingest_is_idempotent_by_content_by_message_id_and_by_id(
        client: TestClient, keys: Keys, extraction_calls: list[str]) -> None:
    first = client.post("/v1/emails", json={"text": REQUEST}, headers=keys.h("agent"))
    assert first.status_code == 201, first.text
    body = first.json()
    assert {"id", "status", "version", "result"} <= body.keys()
    assert body["status"] == "needs_review" and body["version"] == 1
    # two guests imply no rooms, and an unsure first name is no guest name (issue 15)
    assert body["result"]["review_reasons"] == [
        "missing:rooms", "missing:traveler_names", "low_confidence:traveler_names"]
    again = client.post("/v1/emails", json={"text": REQUEST}, headers=keys.h("agent"))
    assert again.status_code == 200 and again.json()["id"] == body["id"]

    raw = _eml("Hamburg 2026-07-01 to 2026-07-02")
    a = client.post("/v1/emails", files={"email": ("a.eml", raw)}, headers=keys.h("agent"))
    b = client.post("/v1/emails", files={"email": ("b.eml", raw)}, headers=keys.h("agent"))
    assert (a.status_code, b.status_code) == (201, 200)
    assert a.json()["id"] == b.json()["id"]
    assert a.json()["external_id"] == "abc-123@example.org"  # the reader drops the angle brackets

    calls = len(extraction_calls)
    c = client.post("/v1/emails", json={"text": "Vienna 2026-08-01", "id": "crm-7"},
                    headers=keys.h("agent"))
    d = client.post("/v1/emails", json={"text": "a different text", "id": "crm-7"},
                    headers=keys.h("agent"))
    assert (c.status_code, d.status_code) == (201, 200)
    assert d.json()["result"]["text"] == "Vienna 2026-08-01"
    assert len(extraction_calls) == calls + 1, \
        "a known id is answered without running the model"


def test_the_same_email_from_two_agents_is_two_items(client: TestClient, keys: Keys) -> None:
    a = client.post("/v1/emails", json={"text": REQUEST}, headers=keys.h("agent"))
    b = client.post("/v1/emails", json={"text": REQUEST}, headers=keys.h("agent2"))
    assert (a.status_code, b.status_code) == (201, 201)
    assert a.json()["id"] != b.json()["id"]


def test_an_agent_sees_only_its_own_emails(client: TestClient, keys: Keys) -> None:
    item = client.post("/v1/emails", json={"text": REQUEST}, headers=keys.h("agent")).json()
    url = f"/v1/emails/{item['id']}"
    assert client.get(url, headers=keys.h("agent")).json()["id"] == item["id"]
    other = client.get(url, headers=keys.h("agent2"))
    assert other.status_code == 404 and other.json() == {"detail": "no such email"}
    assert client.get(url, headers=keys.h("reviewer")).status_code == 200
    assert client.get(url, headers=keys.h("admin")).status_code == 200
    assert client.get("/v1/emails/nope", headers=keys.h("reviewer")).status_code == 404


def test_auto_accepted_and_error_results_are_stored_with_their_status(
        client: TestClient, keys: Keys, extractor: Extractor, monkeypatch: pytest.MonkeyPatch
        ) -> None:
    ok = client.post("/v1/emails", json={"text": SURE}, headers=keys.h("agent"))
    assert ok.status_code == 201 and ok.json()["status"] == "auto_accepted"
    assert ok.json()["result"]["review_reasons"] == []
    crash_on("CRASH", extractor, monkeypatch)
    crash = client.post("/v1/emails", json={"text": "CRASH please"}, headers=keys.h("agent"))
    assert crash.status_code == 201, "an extractor failure is an error item, not a 500"
    assert crash.json()["status"] == "error"
    assert crash.json()["result"]["error"]["code"] == "X001"


def test_delete_erases_the_item_and_keeps_only_the_deletion_in_the_audit(
        app, client: TestClient, keys: Keys) -> None:  # type: ignore[no-untyped-def]
    item = client.post("/v1/emails", files={"email": ("m.eml", _eml("Cologne 2026-05-03"))},
                       headers=keys.h("agent")).json()
    url = f"/v1/emails/{item['id']}"
    assert client.delete(url, headers=keys.h("agent")).status_code == 403
    assert client.delete(url, headers=keys.h("reviewer")).status_code == 403
    assert client.delete(url, headers=keys.h("admin")).status_code == 204
    assert client.get(url, headers=keys.h("admin")).status_code == 404
    assert client.delete(url, headers=keys.h("admin")).status_code == 404
    with app.state.sessions() as session:
        trail = store.audit_trail(session, item_id=item["id"])
        assert [(e.action, e.old, e.new) for e in trail] == [("delete", None, None)]
        assert store.load_item(session, item_id=item["id"]) is None
    # the same message may be submitted again afterwards: it is a new item
    again = client.post("/v1/emails", files={"email": ("m.eml", _eml("Cologne 2026-05-03"))},
                        headers=keys.h("agent"))
    assert again.status_code == 201
