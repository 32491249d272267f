"""The review page through HTTP: login cookie, escaping, highlights, CSRF, confirm, conflict."""

from __future__ import annotations

import re

from fastapi.testclient import TestClient

from tests.api.conftest import REQUEST, Keys

XSS = ('Hotel in Munich 2026-05-03 to 2026-05-05 <svg/onload=alert(1)> '
       '<script>alert(2)</script>')


def _login(client: TestClient, token: str) -> None:
    r = client.post("/review/login", data={"key": token}, follow_redirects=False)
    assert r.status_code == 303, r.text


def _form_fields(html: str) -> dict[str, str]:
    """The values of the item form's inputs and selected options, as a browser would post."""
    fields = dict(re.findall(r'<input type="(?:hidden|text|date|number)"[^>]*? name="([^"]+)" '
                             r'value="([^"]*)"', html))
    fields.update(re.findall(r'<input type="hidden" name="([^"]+)" value="([^"]*)"', html))
    for name, body in re.findall(r'<select name="([^"]+)"[^>]*>(.*?)</select>', html, re.S):
        chosen = re.search(r'<option value="([^"]*)" selected', body)
        fields[name] = chosen.group(1) if chosen else ""
    return fields


def test_login_sets_a_strict_httponly_cookie(client: TestClient, keys: Keys) -> None:
    assert 'name="key"' in client.get("/review").text
    r = client.post("/review/login", data={"key": keys.reviewer}, follow_redirects=False)
    cookie = r.headers["set-cookie"]
    assert "HttpOnly" in cookie and "SameSite=strict" in cookie.replace("Strict", "strict")
    assert "Path=/review" in cookie
    assert "Review next item" in client.get("/review").text


def test_login_refuses_agents_and_bad_keys(client: TestClient, keys: Keys) -> None:
    for token in (keys.agent, "sfk_nonsense"):
        r = client.post("/review/login", data={"key": token}, follow_redirects=False)
        assert r.status_code == 401 and "set-cookie" not in r.headers
    r = client.post("/review/login", data={"key": keys.reviewer},
                    headers={"Origin": "https://evil.example"}, follow_redirects=False)
    assert r.status_code == 401, "a cross-origin login form is refused"


def test_the_header_works_instead_of_the_cookie(client: TestClient, keys: Keys) -> None:
    r = client.get("/review", headers=keys.h("reviewer"))
    assert 'id="count-needs_review">0<' in r.text
    assert 'name="key"' in client.get("/review", headers=keys.h("agent")).text


def test_the_email_is_escaped_and_evidence_highlighted(client: TestClient, keys: Keys) -> None:
    item = client.post("/v1/emails", json={"text": XSS}, headers=keys.h("agent")).json()
    html = client.get(f"/review/{item['id']}", headers=keys.h("reviewer")).text
    assert "<svg" not in html and "<script>alert" not in html
    assert "&lt;svg/onload=alert(1)&gt;" in html
    assert re.search(r'<mark class="f-destination"[^>]*>Munich</mark>', html)
    assert re.search(r'<mark class="f-check_in"[^>]*>2026-05-03</mark>', html)
    assert '<script src="/static/review.js" defer></script>' in html
    assert len(re.findall(r"<script", html)) == 1, "no inline script"


def test_flagged_fields_come_first(client: TestClient, keys: Keys) -> None:
    # no dates (missing, and so no nights), two guests who imply no number of rooms, and a
    # name the model is unsure of (low confidence) and so does not write: a booking a clerk
    # cannot make without rooms and a guest name (issue 15)
    item = client.post("/v1/emails", json={"text": "Hotel in Munich please, 2 guests.\nAnna"},
                       headers=keys.h("agent")).json()
    assert item["result"]["review_reasons"] == [
        "missing:check_in", "missing:check_out", "missing:rooms", "missing:traveler_names",
        "low_confidence:traveler_names"]
    html = client.get(f"/review/{item['id']}", headers=keys.h("reviewer")).text
    rows = re.findall(r'<tr class="(flagged|)" data-row="([a-z_]+)"', html)
    flagged = [name for cls, name in rows if cls]
    assert flagged == ["check_in", "check_out", "nights", "rooms", "traveler_names"]
    assert [name for _, name in rows[:5]] == flagged
    names_row = html[html.index('data-row="traveler_names"'):]
    names_row = names_row[:names_row.index("</th>")]
    assert re.findall(r'<span class="flag">([^<]+)</span>', names_row) == [
        "missing", "low confidence"]


def test_a_booking_needs_rooms_and_guests_flagged_but_a_cancellation_does_not(
        client: TestClient, keys: Keys) -> None:
    # routing asks a new booking for rooms, guests and names; the page flags the same rows,
    # and stops when the reviewer turns the item into a cancellation
    item = client.post("/v1/emails", json={"text": "Munich 2026-05-03 to 2026-05-04"},
                       headers=keys.h("agent")).json()
    assert item["result"]["review_reasons"] == [
        "missing:rooms", "missing:guests", "missing:traveler_names"]
    _login(client, keys.reviewer)
    html = client.get(f"/review/{item['id']}").text
    rows = re.findall(r'<tr class="(flagged|)" data-row="([a-z_]+)"', html)
    assert [name for cls, name in rows if cls] == ["rooms", "guests", "traveler_names"]
    # as a cancellation (re-rendered with a new, empty stay): only the place and dates count
    fields = {**_form_fields(html), "intent": "cancellation", "action": "add_stay"}
    html = client.post(f"/review/{item['id']}", data=fields).text
    rows = re.findall(r'<tr class="(flagged|)" data-row="([a-z_]+)"', html)
    assert [name for cls, name in rows if cls] == [
        "destination", "check_in", "check_out", "nights"]


def test_confirm_saves_and_opens_the_next_item(client: TestClient, keys: Keys) -> None:
    first = client.post("/v1/emails", json={"text": REQUEST}, headers=keys.h("agent")).json()
    second = client.post("/v1/emails", json={"text": REQUEST + " #2"},
                         headers=keys.h("agent")).json()
    _login(client, keys.reviewer)
    queue = client.get("/review").text
    found = re.search(r'name="csrf" value="([^"]+)"', queue)
    assert found is not None
    r = client.post("/review/next", data={"csrf": found.group(1)}, follow_redirects=False)
    assert r.headers["location"] == f"/review/{first['id']}"
    fields = _form_fields(client.get(r.headers["location"]).text)
    assert fields["s0.check_in"] == "2026-05-03" and fields["version"] == "2"
    fields.update({"s0.check_out": "2026-05-07", "action": "confirm"})
    r = client.post(f"/review/{first['id']}", data=fields, follow_redirects=False)
    assert r.status_code == 303 and r.headers["location"] == f"/review/{second['id']}"
    saved = client.get(f"/v1/emails/{first['id']}", headers=keys.h("agent")).json()
    assert saved["status"] == "reviewed"
    assert saved["answer"]["stays"][0]["check_out"] == "2026-05-07"
    assert saved["answer"]["stays"][0]["guests"] == 2


def test_a_stale_page_gets_a_conflict_not_an_overwrite(client: TestClient, keys: Keys) -> None:
    item = client.post("/v1/emails", json={"text": REQUEST}, headers=keys.h("agent")).json()
    html = client.get(f"/review/{item['id']}", headers=keys.h("reviewer")).text
    fields = _form_fields(html)
    # opening the item leased it; handed back, the page stays open (and goes stale)
    client.post(f"/review/{item['id']}", data={**fields, "action": "release"},
                headers=keys.h("reviewer"), follow_redirects=False)
    v = client.post("/v1/review/claim", headers=keys.h("reviewer2")).json()["version"]
    client.put(f"/v1/review/{item['id']}", json={"intent": "cancellation", "stays": []},
               headers={**keys.h("reviewer2"), "If-Match": str(v)})
    r = client.post(f"/review/{item['id']}", data={**fields, "action": "confirm"},
                    headers=keys.h("reviewer"))
    assert r.status_code == 409 and "Not saved" in r.text
    saved = client.get(f"/v1/emails/{item['id']}", headers=keys.h("agent")).json()
    assert saved["answer"]["intent"] == "cancellation"


def test_posts_without_the_csrf_token_are_refused(client: TestClient, keys: Keys) -> None:
    item = client.post("/v1/emails", json={"text": REQUEST}, headers=keys.h("agent")).json()
    _login(client, keys.reviewer)
    fields = _form_fields(client.get(f"/review/{item['id']}").text)
    for csrf in (None, "forged"):
        data = {**fields, "action": "reject"}
        data.pop("csrf")
        if csrf:
            data["csrf"] = csrf
        assert client.post(f"/review/{item['id']}", data=data).status_code == 403
    assert client.post("/review/next", data={}).status_code == 403
    saved = client.get(f"/v1/emails/{item['id']}", headers=keys.h("agent")).json()
    assert saved["status"] == "needs_review"


def test_add_and_remove_a_stay_and_reject(client: TestClient, keys: Keys) -> None:
    item = client.post("/v1/emails", json={"text": REQUEST}, headers=keys.h("agent")).json()
    _login(client, keys.reviewer)
    url = f"/review/{item['id']}"
    fields = _form_fields(client.get(url).text)
    html = client.post(url, data={**fields, "action": "add_stay"}).text
    assert "stay 2" in html and 'name="s1.destination"' in html
    fields = _form_fields(html)
    assert fields["stays"] == "2" and fields["s0.destination"] == "Munich"
    html = client.post(url, data={**fields, "action": "remove_stay:0"}).text
    assert _form_fields(html)["stays"] == "1" and _form_fields(html)["s0.destination"] == ""
    bad = client.post(url, data={**fields, "s0.check_in": "May 3", "action": "confirm"})
    assert bad.status_code == 422 and "a date YYYY-MM-DD" in bad.text
    r = client.post(url, data={**fields, "action": "reject"}, follow_redirects=False)
    assert r.status_code == 303
    saved = client.get(f"/v1/emails/{item['id']}", headers=keys.h("agent")).json()
    assert saved["answer"] == {"intent": "not_hotel", "stays": []}


def test_logout_and_unknown_items(client: TestClient, keys: Keys) -> None:
    _login(client, keys.reviewer)
    assert client.get("/review/does-not-exist").status_code == 404
    csrf = re.search(r'name="csrf" value="([^"]+)"', client.get("/review").text)
    assert csrf is not None
    client.post("/review/logout", data={"csrf": csrf.group(1)})
    r = client.get("/review/does-not-exist", follow_redirects=False)
    assert r.status_code == 303 and r.headers["location"] == "/review"
