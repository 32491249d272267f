"""Safe editing on the review page, through HTTP on SQLite and PostgreSQL (issue 18): Enter
only checks, a refused field says so beside itself, the third date is derived, Skip and
Release hand the item back, the lease is renewed and a lost one names its holder, and a login
goes back to the item whose edits the tab kept."""

from __future__ import annotations

import datetime as dt
import re

from fastapi import FastAPI
from fastapi.testclient import TestClient

from api import review_actions, store
from api.models import AuditEvent, Item
from tests.api.conftest import REQUEST, Keys
from tests.api.test_page import _form_fields, _login


def _csrf(client: TestClient) -> str:
    found = re.search(r'name="csrf" value="([^"]+)"', client.get("/review").text)
    assert found is not None
    return found.group(1)


def _ingest(client: TestClient, keys: Keys, text: str = REQUEST) -> str:
    return str(client.post("/v1/emails", json={"text": text},
                           headers=keys.h("agent")).json()["id"])


def _next(client: TestClient) -> str:
    r = client.post("/review/next", data={"csrf": _csrf(client)}, follow_redirects=False)
    assert r.status_code == 303
    return str(r.headers["location"])


def _status(client: TestClient, keys: Keys, item_id: str) -> str:
    return str(client.get(f"/v1/emails/{item_id}", headers=keys.h("agent")).json()["status"])


def test_enter_only_checks_the_form_and_never_saves(client: TestClient, keys: Keys) -> None:
    item_id = _ingest(client, keys)
    _login(client, keys.reviewer)
    html = client.get(f"/review/{item_id}").text
    # the form's first submit button (what Enter presses without the script) is the check
    first = re.search(r'<button type="submit" name="action" value="([a-z_]+)"', html)
    assert first is not None and first.group(1) == "check"
    fields = {**_form_fields(html), "action": "check"}
    r = client.post(f"/review/{item_id}", data=fields)
    assert r.status_code == 200 and "Nothing is saved until you confirm" in r.text
    fields["s0.check_in"] = "May 3"
    r = client.post(f"/review/{item_id}", data=fields)
    assert r.status_code == 422
    assert _status(client, keys, item_id) == "needs_review"


def test_a_bad_value_is_named_beside_its_field(client: TestClient, keys: Keys) -> None:
    item_id = _ingest(client, keys)
    _login(client, keys.reviewer)
    fields = {**_form_fields(client.get(f"/review/{item_id}").text), "action": "confirm",
              "s0.check_in": "May 3", "s0.rooms": "two"}
    html = client.post(f"/review/{item_id}", data=fields).text
    check_in = re.search(r'<input type="date"([^>]*) name="s0.check_in" value="May 3">', html)
    assert check_in is not None
    assert 'aria-invalid="true"' in check_in.group(1)
    assert 'aria-describedby="err-s0.check_in"' in check_in.group(1)
    assert re.search(r'<span class="field-error" id="err-s0.check_in">a date YYYY-MM-DD</span>',
                     html)
    assert re.search(r'id="err-s0.rooms">a whole number<', html)
    assert "stay 1, check in: a date YYYY-MM-DD" in html, "and in the summary above the form"


def test_confirm_derives_the_missing_check_out_from_check_in_and_nights(
        client: TestClient, keys: Keys) -> None:
    item_id = _ingest(client, keys)
    _login(client, keys.reviewer)
    fields = {**_form_fields(client.get(f"/review/{item_id}").text),
              "s0.check_out": "", "s0.nights": "4", "s0.derived": ""}
    shown = client.post(f"/review/{item_id}", data={**fields, "action": "check"}).text
    assert 'name="s0.check_out" value="2026-05-07"' in shown
    assert 'name="s0.derived" value="check_out"' in shown and 'data-implied="computed"' in shown
    r = client.post(f"/review/{item_id}", data={**fields, "action": "save"},
                    follow_redirects=False)
    assert r.status_code == 303, r.text
    stay = client.get(f"/v1/emails/{item_id}", headers=keys.h("agent")).json()["answer"][
        "stays"][0]
    assert (stay["check_in"], stay["check_out"], stay["nights"]) == (
        "2026-05-03", "2026-05-07", 4)
    assert "check_out" in stay["implied"], "no words of the email state the computed date"


def test_nights_follow_a_corrected_check_out_but_typed_nights_must_agree(
        client: TestClient, keys: Keys) -> None:
    item_id = _ingest(client, keys)
    _login(client, keys.reviewer)
    fields = _form_fields(client.get(f"/review/{item_id}").text)
    assert fields["s0.derived"] == "nights", "the model computed the nights from the dates"
    checked = client.post(f"/review/{item_id}", data={**fields, "s0.check_out": "2026-05-06",
                                                      "action": "check"})
    assert 'name="s0.nights" value="3"' in checked.text
    typed = {**fields, "s0.derived": "", "s0.check_out": "2026-05-06", "s0.nights": "2",
             "action": "confirm"}
    refused = client.post(f"/review/{item_id}", data=typed)
    assert refused.status_code == 422
    assert re.search(r'id="err-s0.nights">does not match the dates \(3 from', refused.text)
    backwards = {**typed, "s0.check_out": "2026-05-01", "s0.nights": ""}
    assert re.search(r'id="err-s0.check_out">is before check-in<',
                     client.post(f"/review/{item_id}", data=backwards).text)


def test_skip_opens_another_item_and_next_never_returns_the_skipped_one(
        client: TestClient, keys: Keys) -> None:
    first, second = _ingest(client, keys), _ingest(client, keys, REQUEST + " #2")
    _login(client, keys.reviewer)
    assert _next(client) == f"/review/{first}"
    fields = _form_fields(client.get(f"/review/{first}").text)
    r = client.post(f"/review/{first}", data={**fields, "action": "skip"},
                    follow_redirects=False)
    assert r.headers["location"] == f"/review/{second}"
    assert _next(client) == f"/review/{second}", "the held item, not the skipped one"
    # released, the second one is free again and comes back; skipped too, nothing is left
    fields = _form_fields(client.get(f"/review/{second}").text)
    r = client.post(f"/review/{second}", data={**fields, "action": "release"},
                    follow_redirects=False)
    assert r.headers["location"] == "/review?released=true"
    assert "back in the queue" in client.get(r.headers["location"]).text
    assert _next(client) == f"/review/{second}"
    client.post(f"/review/{second}", data={**fields, "action": "skip"})
    assert _next(client) == "/review?empty=true"
    assert "skipped by you" in client.get("/review?empty=true").text
    # the skipped items are free for another reviewer at once; the queue says who has it
    assert client.post("/v1/review/claim", headers=keys.h("reviewer2")).json()["id"] == first
    held = re.search(r'<ul class="leases" id="held-by-others">(.*?)</ul>',
                     client.get("/review").text, re.S)
    assert held is not None and f'href="/review/{first}"' in held.group(1)
    assert "<b>reviewer2</b> until <time" in held.group(1)


def test_the_page_renews_its_lease_and_names_another_holder(
        app: FastAPI, client: TestClient, keys: Keys) -> None:
    item_id = _ingest(client, keys)
    _login(client, keys.reviewer)
    csrf = _csrf(client)
    _next(client)
    with app.state.sessions() as session:
        before = session.get(Item, item_id).lease_expires_at
    r = client.post(f"/review/{item_id}/lease", headers={"X-CSRF-Token": csrf})
    assert r.status_code == 200 and r.json()["mine"] is True and r.json()["holder"] is None
    with app.state.sessions() as session:
        assert session.get(Item, item_id).lease_expires_at > before
    other = client.post(f"/review/{item_id}/lease", headers={**keys.h("reviewer2"),
                                                             "X-CSRF-Token": "x"})
    assert other.status_code == 403, "the page's CSRF token is needed"
    assert client.post(f"/review/{item_id}/lease").status_code == 403
    client.cookies.clear()
    assert client.post(f"/review/{item_id}/lease",
                       headers={"X-CSRF-Token": csrf}).status_code == 401
    page = client.get(f"/review/{item_id}", headers=keys.h("reviewer2")).text
    assert re.search(r'id="lease-holder"[^>]*><b>reviewer</b> is working on this item until '
                     r'<time datetime="[^"]+">\d\d:\d\d UTC</time>', page)


def test_a_lost_lease_says_who_holds_the_item_and_keeps_the_edits(
        app: FastAPI, client: TestClient, keys: Keys) -> None:
    item_id = _ingest(client, keys)
    _login(client, keys.reviewer)
    _next(client)
    fields = {**_form_fields(client.get(f"/review/{item_id}").text),
              "s0.destination": "Hamburg", "action": "confirm"}
    with app.state.sessions() as session:  # the lease runs out and reviewer2 claims the item
        later = dt.datetime.now(dt.UTC) + dt.timedelta(seconds=601)
        taken = store.claim_next(session, reviewer_key_id=keys.ids["reviewer2"],
                                 lease_seconds=600, now=later)
        assert taken is not None and taken.item.id == item_id
    r = client.post(f"/review/{item_id}", data=fields)
    assert r.status_code == 409
    assert re.search(r"Not saved:\s*<b>reviewer2</b> holds this item until <time", r.text)
    assert "is stale" not in r.text
    assert 'name="s0.destination" value="Hamburg"' in r.text, "the edits are still there"
    assert 'data-posted="true"' in r.text, "the script keeps them as the tab's draft"


def test_a_login_goes_back_to_the_item_only(client: TestClient, keys: Keys) -> None:
    item_id = _ingest(client, keys)
    for back, expected in ((f"/review/{item_id}", f"/review/{item_id}"),
                           ("https://evil.example/review/" + "a" * 32, "/review"),
                           ("/review/items", "/review")):
        r = client.post("/review/login", data={"key": keys.reviewer, "next": back},
                        follow_redirects=False)
        assert r.status_code == 303 and r.headers["location"] == expected


def test_skip_and_release_are_audited(app: FastAPI, client: TestClient, keys: Keys) -> None:
    item_id = _ingest(client, keys)
    with app.state.sessions() as session:
        store.claim_next(session, reviewer_key_id=keys.ids["reviewer"], lease_seconds=60)
        assert review_actions.release(session, item_id=item_id,
                                      reviewer_key_id=keys.ids["reviewer"])
        assert not review_actions.release(session, item_id=item_id,
                                          reviewer_key_id=keys.ids["reviewer"])
        review_actions.release(session, item_id=item_id, reviewer_key_id=keys.ids["reviewer"],
                               skip=True)
        actions = [e.action for e in store.audit_trail(session, item_id=item_id)]
        assert actions == ["ingest", "claim", "release", "skip"]
        assert review_actions.skipped_by(session, reviewer_key_id=keys.ids["reviewer"]) == [
            item_id]
        hour_later = dt.datetime.now(dt.UTC) + dt.timedelta(hours=1, seconds=1)
        assert review_actions.skipped_by(session, reviewer_key_id=keys.ids["reviewer"],
                                         now=hour_later) == []
        assert session.query(AuditEvent).filter_by(action="skip").count() == 1
