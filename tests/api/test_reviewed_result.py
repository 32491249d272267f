"""After review, the stored item reads `reviewed` with the human's values (issue 17, item 3),
and the model's own result is still there beside them, on SQLite and PostgreSQL."""

from __future__ import annotations

import re
from typing import Any

from fastapi.testclient import TestClient

from api import store
from tests.api.conftest import REQUEST, Keys
from tests.api.test_page import _form_fields, _login

# the reviewer keeps Munich and the arrival, moves the departure, adds rooms and the guest
ANSWER: dict[str, Any] = {"intent": "new_booking", "stays": [{
    "destination": "Munich", "check_in": "2026-05-03", "check_out": "2026-05-06", "guests": 2,
    "rooms": 1, "traveler_names": ["Anna Weber"]}]}


def _review(client: TestClient, keys: Keys, answer: dict[str, Any]) -> str:
    item = client.post("/v1/emails", json={"text": REQUEST}, headers=keys.h("agent")).json()
    assert item["result"]["status"] == "needs_review" and item["suggestion"] is None
    claimed = client.post("/v1/review/claim", headers=keys.h("reviewer")).json()
    saved = client.put(f"/v1/review/{item['id']}", json=answer,
                       headers={**keys.h("reviewer"), "If-Match": str(claimed["version"])})
    assert saved.status_code == 200, saved.text
    return str(item["id"])


def test_a_confirmed_form_reads_reviewed_with_the_humans_values(client: TestClient, keys: Keys
                                                               ) -> None:
    item_id = _review(client, keys, ANSWER)
    got = client.get(f"/v1/emails/{item_id}", headers=keys.h("agent")).json()
    result = got["result"]
    assert got["status"] == "reviewed" and result["status"] == "reviewed"
    assert result["intent"] == "new_booking" and result["intent_confidence"] == 1.0
    (stay,) = result["stays"]
    expected = {**ANSWER["stays"][0], "near": None, "children": None}
    for name, value in expected.items():
        assert stay[name]["value"] == value, name
        assert stay[name]["source"] == "human" and stay[name]["confidence"] == 1.0, name
    start = stay["destination"]["evidence"][0]["start"]
    assert REQUEST[start:start + 6] == "Munich", "a kept value keeps the words it came from"
    assert stay["check_out"]["evidence"] == [], "a changed value has no evidence of its own"
    assert result["text"] == REQUEST


def test_the_models_own_result_stays_beside_the_reviewed_one(app, client: TestClient,  # type: ignore[no-untyped-def]
                                                             keys: Keys) -> None:
    item_id = _review(client, keys, ANSWER)
    got = client.get(f"/v1/emails/{item_id}", headers=keys.h("reviewer")).json()
    suggestion = got["suggestion"]
    assert suggestion["status"] == "needs_review"
    assert suggestion["stays"][0]["check_out"]["value"] == "2026-05-05"
    assert suggestion["stays"][0]["check_out"]["source"] != "human"
    assert got["answer"] == got["form"] and got["form"]["stays"][0]["check_out"] == "2026-05-06"
    with app.state.sessions() as session:  # the stored suggestion row is untouched
        stored = store.load_item(session, item_id=item_id)
        assert stored is not None and stored.result.status == "needs_review"
        assert stored.result.model_dump(mode="json") == suggestion


def test_a_second_review_shows_the_newest_answer(client: TestClient, keys: Keys) -> None:
    item_id = _review(client, keys, ANSWER)
    version = client.get(f"/v1/emails/{item_id}", headers=keys.h("reviewer")).json()["version"]
    cancel = {"intent": "cancellation", "stays": [{"destination": "Munich"}]}
    again = client.put(f"/v1/review/{item_id}", json=cancel,
                       headers={**keys.h("reviewer2"), "If-Match": str(version)})
    assert again.status_code == 200, again.text
    got = client.get(f"/v1/emails/{item_id}", headers=keys.h("agent")).json()
    assert got["result"]["intent"] == "cancellation"
    assert got["result"]["stays"][0]["check_in"] == {
        "value": None, "confidence": 1.0, "evidence": [], "source": "human"}
    listed = client.get("/v1/emails?status=reviewed", headers=keys.h("agent")).json()["items"]
    assert [i["result"] for i in listed] == [got["result"]], "the list shows the same result"


def test_a_form_confirmed_on_the_review_page_reads_reviewed_too(client: TestClient, keys: Keys
                                                                ) -> None:
    item = client.post("/v1/emails", json={"text": REQUEST}, headers=keys.h("agent")).json()
    _login(client, keys.reviewer)
    csrf = re.search(r'name="csrf" value="([^"]+)"', client.get("/review").text)
    assert csrf is not None
    opened = client.post("/review/next", data={"csrf": csrf.group(1)}, follow_redirects=False)
    fields = _form_fields(client.get(opened.headers["location"]).text)
    fields.update({"s0.check_out": "2026-05-07", "action": "confirm"})
    assert client.post(f"/review/{item['id']}", data=fields,
                       follow_redirects=False).status_code == 303
    got = client.get(f"/v1/emails/{item['id']}", headers=keys.h("agent")).json()
    assert got["result"]["status"] == "reviewed"
    check_out = got["result"]["stays"][0]["check_out"]
    assert (check_out["value"], check_out["source"]) == ("2026-05-07", "human")
    assert got["suggestion"]["stays"][0]["check_out"]["value"] == "2026-05-05"
