"""Undoing a reject on the review page (issue 18 item 2), on SQLite and PostgreSQL: a rejected
item shows as rejected in the list and can be reopened from its page, back to needs_review
with the model's suggestion in the form, audited; anything else cannot be reopened."""

from __future__ import annotations

import re

from fastapi import FastAPI
from fastapi.testclient import TestClient

from api import store
from api.models import OutboxEvent
from tests.api.conftest import REQUEST, Keys
from tests.api.test_page import _form_fields, _login


def _rejected(client: TestClient, keys: Keys) -> str:
    item_id = str(client.post("/v1/emails", json={"text": REQUEST},
                              headers=keys.h("agent")).json()["id"])
    _login(client, keys.reviewer)
    fields = _form_fields(client.get(f"/review/{item_id}").text)
    r = client.post(f"/review/{item_id}", data={**fields, "action": "reject"},
                    follow_redirects=False)
    assert r.status_code == 303
    return item_id


def test_a_reviewer_reopens_a_rejected_item(app: FastAPI, client: TestClient, keys: Keys
                                            ) -> None:
    item_id = _rejected(client, keys)
    listed = client.get("/review/items?status=reviewed").text
    assert re.search(r'<span class="rejected">rejected</span>', listed)
    html = client.get(f"/review/{item_id}").text
    assert 'id="reopen"' in html and 'id="confirm"' not in html
    fields = _form_fields(html)
    with app.state.sessions() as session:
        events_before = session.query(OutboxEvent).count()
    r = client.post(f"/review/{item_id}", data={**fields, "action": "reopen"},
                    follow_redirects=False)
    assert r.status_code == 303 and r.headers["location"] == f"/review/{item_id}"
    got = client.get(f"/v1/emails/{item_id}", headers=keys.h("agent")).json()
    assert got["status"] == "needs_review" and got["reviewed_by"] is None
    assert got["version"] == int(fields["version"]) + 1
    page = client.get(f"/review/{item_id}").text
    assert 'id="confirm"' in page and 'id="reopen"' not in page
    assert _form_fields(page)["s0.destination"] == "Munich", "the suggestion, not the reject"
    with app.state.sessions() as session:
        trail = store.audit_trail(session, item_id=item_id)
        # (opening the reopened item leased it to the reviewer: a claim after the reopen)
        changes = [e for e in trail if e.action != "claim"]
        assert [e.action for e in changes][-2:] == ["save", "reopen"]
        assert changes[-1].actor_key_id == keys.ids["reviewer"]
        # the webhook outbox has no event kind for a reopened item: none is written
        assert session.query(OutboxEvent).count() == events_before
    # and it is back in the queue
    csrf = re.search(r'name="csrf" value="([^"]+)"', client.get("/review").text)
    assert csrf is not None
    r = client.post("/review/next", data={"csrf": csrf.group(1)}, follow_redirects=False)
    assert r.headers["location"] == f"/review/{item_id}"


def test_only_a_current_reject_can_be_reopened(client: TestClient, keys: Keys) -> None:
    item_id = _rejected(client, keys)
    fields = _form_fields(client.get(f"/review/{item_id}").text)
    stale = client.post(f"/review/{item_id}", data={**fields, "version": "1",
                                                    "action": "reopen"})
    assert stale.status_code == 409 and "Not reopened" in stale.text
    client.post(f"/review/{item_id}", data={**fields, "action": "reopen"})
    again = client.post(f"/review/{item_id}", data={**fields, "action": "reopen"})
    assert again.status_code == 409 and "only a rejected item can be reopened" in again.text
    got = client.get(f"/v1/emails/{item_id}", headers=keys.h("agent")).json()
    assert got["status"] == "needs_review"
