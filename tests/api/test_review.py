"""The review queue: claim and lease, versioned saves (If-Match, 409, 428), the audit trail."""

from __future__ import annotations

import datetime as dt

import pytest
from fastapi.testclient import TestClient

from api import store
from api.models import utcnow
from extractor.form import ExtractionResult, FormValues
from tests.api.conftest import REQUEST, Keys

ANSWER = {"intent": "new_booking", "stays": [{
    "destination": "Munich", "check_in": "2026-05-03", "check_out": "2026-05-06", "guests": 2}]}


def _submit(client: TestClient, keys: Keys, n: int = 1) -> list[dict]:
    return [client.post("/v1/emails", json={"text": f"{REQUEST} #{i}"},
                        headers=keys.h("agent")).json() for i in range(n)]


def test_claim_leases_the_oldest_item_and_is_204_when_empty(client: TestClient, keys: Keys
                                                            ) -> None:
    assert client.post("/v1/review/claim", headers=keys.h("reviewer")).status_code == 204
    first, second = _submit(client, keys, 2)
    r = client.post("/v1/review/claim", headers=keys.h("reviewer"))
    assert r.status_code == 200
    claimed = r.json()
    assert claimed["id"] == first["id"] and claimed["version"] == 2
    assert claimed["lease_owner"] == keys.ids["reviewer"] and r.headers["ETag"] == '"2"'
    again = client.post("/v1/review/claim", headers=keys.h("reviewer")).json()
    assert again["id"] == first["id"], "a reviewer holding a lease gets the same item back"
    other = client.post("/v1/review/claim", headers=keys.h("reviewer2")).json()
    assert other["id"] == second["id"]
    assert client.post("/v1/review/claim", headers=keys.h("admin")).status_code == 204


def test_save_needs_the_current_version(app, client: TestClient, keys: Keys) -> None:  # type: ignore[no-untyped-def]
    (item,) = _submit(client, keys)
    claimed = client.post("/v1/review/claim", headers=keys.h("reviewer")).json()
    url = f"/v1/review/{item['id']}"
    missing = client.put(url, json=ANSWER, headers=keys.h("reviewer"))
    assert missing.status_code == 428 and "If-Match" in missing.json()["detail"]
    bad = client.put(url, json=ANSWER, headers={**keys.h("reviewer"), "If-Match": "latest"})
    assert bad.status_code == 400
    stale = client.put(url, json=ANSWER, headers={**keys.h("reviewer"), "If-Match": "1"})
    assert stale.status_code == 409 and stale.json()["current_version"] == 2
    ok = client.put(url, json=ANSWER, headers={**keys.h("reviewer"),
                                               "If-Match": f'"{claimed["version"]}"'})
    assert ok.status_code == 200, ok.text
    assert ok.json() == {"id": item["id"], "status": "reviewed", "version": 3}
    assert ok.headers["ETag"] == '"3"'
    lost = client.put(url, json={"intent": "cancellation", "stays": []},
                      headers={**keys.h("reviewer2"), "If-Match": "2"})
    assert lost.status_code == 409, "the second reviewer must not overwrite the first"
    stored = client.get(f"/v1/emails/{item['id']}", headers=keys.h("agent")).json()
    assert stored["status"] == "reviewed" and stored["answer"]["stays"][0]["check_out"] == "2026-05-06"
    assert stored["form"] == stored["answer"]
    assert stored["suggestion"]["stays"][0]["check_out"]["value"] == "2026-05-05", \
        "the model's suggestion is kept as it was"
    with app.state.sessions() as session:
        trail = [(e.action, e.actor_key_id) for e in store.audit_trail(session, item_id=item["id"])]
    assert trail == [("ingest", keys.ids["agent"]), ("claim", keys.ids["reviewer"]),
                     ("save_refused", keys.ids["reviewer"]), ("save", keys.ids["reviewer"]),
                     ("save_refused", keys.ids["reviewer2"])]


def test_the_audit_keeps_old_and_new_values(app, client: TestClient, keys: Keys) -> None:  # type: ignore[no-untyped-def]
    (item,) = _submit(client, keys)
    v = client.post("/v1/review/claim", headers=keys.h("reviewer")).json()["version"]
    client.put(f"/v1/review/{item['id']}", json=ANSWER,
               headers={**keys.h("reviewer"), "If-Match": str(v)})
    with app.state.sessions() as session:
        save = [e for e in store.audit_trail(session, item_id=item["id"]) if e.action == "save"][0]
    assert save.old["stays"][0]["check_out"] == "2026-05-05"
    assert save.new["stays"][0]["check_out"] == "2026-05-06"


def test_an_item_leased_to_another_reviewer_cannot_be_saved(client: TestClient, keys: Keys
                                                           ) -> None:
    (item,) = _submit(client, keys)
    v = client.post("/v1/review/claim", headers=keys.h("reviewer")).json()["version"]
    r = client.put(f"/v1/review/{item['id']}", json=ANSWER,
                   headers={**keys.h("reviewer2"), "If-Match": str(v)})
    assert r.status_code == 409 and r.json()["code"] == "leased"


@pytest.mark.parametrize("extra", [{"status": "reviewed"}, {"reviewed_by": "me"}, {"id": "x"},
                                   {"version": 4}])
def test_put_refuses_unknown_fields(client: TestClient, keys: Keys, extra: dict) -> None:
    (item,) = _submit(client, keys)
    r = client.put(f"/v1/review/{item['id']}", json={**ANSWER, **extra},
                   headers={**keys.h("reviewer"), "If-Match": "1"})
    assert r.status_code == 422
    assert r.json()["detail"][0]["type"] == "extra_forbidden"


@pytest.mark.parametrize("stay", [{"check_in": "2026-05-05", "check_out": "2026-05-03"},
                                  {"guests": 0}, {"room_type": "penthouse"},
                                  {"check_in": "3 May"}, {"foo": 1}])
def test_put_validates_the_values(client: TestClient, keys: Keys, stay: dict) -> None:
    (item,) = _submit(client, keys)
    r = client.put(f"/v1/review/{item['id']}", json={"intent": "new_booking", "stays": [stay]},
                   headers={**keys.h("reviewer"), "If-Match": "1"})
    assert r.status_code == 422


def test_put_of_an_unknown_item_is_404(client: TestClient, keys: Keys) -> None:
    r = client.put("/v1/review/nope", json=ANSWER, headers={**keys.h("reviewer"), "If-Match": "1"})
    assert r.status_code == 404


def test_an_abandoned_lease_expires_and_the_item_comes_back(app, client: TestClient) -> None:  # type: ignore[no-untyped-def]
    t0 = utcnow()
    result = ExtractionResult(id="m1", status="needs_review", intent="new_booking", text="x")
    with app.state.sessions() as session:
        item, created = store.enqueue_result(session, result=result, raw=None, owner_key_id=None)
        assert created
        first = store.claim_next(session, reviewer_key_id="key_a", lease_seconds=60, now=t0)
        assert first is not None and first.item.id == item.id
        first_version = first.item.version  # the ORM object is shared by later loads
        assert store.claim_next(session, reviewer_key_id="key_b", lease_seconds=60,
                                now=t0 + dt.timedelta(seconds=59)) is None
        back = store.claim_next(session, reviewer_key_id="key_b", lease_seconds=60,
                                now=t0 + dt.timedelta(seconds=61))
        assert back is not None and back.item.id == item.id
        assert back.item.lease_owner == "key_b" and back.item.version == first_version + 1
        # the first reviewer comes back late: his version is stale, the new holder's save wins
        answer = FormValues(intent="not_hotel", stays=[])
        with pytest.raises(store.SaveConflict) as late:
            store.save_answer(session, item_id=item.id, reviewer_key_id="key_a",
                              version=first_version, values=answer,
                              now=t0 + dt.timedelta(seconds=62))
        assert late.value.code == "stale_version"
        saved = store.save_answer(session, item_id=item.id, reviewer_key_id="key_b",
                                  version=back.item.version, values=answer,
                                  now=t0 + dt.timedelta(seconds=63))
        assert saved.status == "reviewed"


def test_enqueue_result_is_idempotent_and_keeps_the_raw_message(app, client: TestClient) -> None:  # type: ignore[no-untyped-def]
    result = ExtractionResult(id="<m@x>", status="auto_accepted", intent="new_booking", text="t")
    with app.state.sessions() as session:
        a, created_a = store.enqueue_result(session, result=result, raw=b"raw", owner_key_id=None)
        b, created_b = store.enqueue_result(session, result=result, raw=b"raw", owner_key_id=None)
        assert (created_a, created_b) == (True, False) and a.id == b.id
        assert store.load_item(session, item_id=a.id).item.raw == b"raw"
        assert store.queue_counts(session)["auto_accepted"] == 1
