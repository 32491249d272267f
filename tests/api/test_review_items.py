"""`/review/items`: the review page's list of every item, filtered and paged with the same
query and cursor as `GET /v1/emails`; reviewers and admins only; bad filters are a message."""

from __future__ import annotations

import email.message
import re

from fastapi.testclient import TestClient

from tests.api.conftest import REQUEST, Keys


def _eml(*, sender: str, subject: str, date: str, message_id: str) -> bytes:
    msg = email.message.EmailMessage()
    msg["From"], msg["To"], msg["Subject"] = sender, "desk@example.org", subject
    msg["Message-ID"], msg["Date"] = message_id, date
    msg.set_content(REQUEST)
    return msg.as_bytes()


def _store(client: TestClient, keys: Keys, *, sender: str, subject: str, date: str,
           who: str = "agent") -> str:
    raw = _eml(sender=sender, subject=subject, date=date, message_id=f"<{subject}@x.example>")
    r = client.post("/v1/emails", files={"email": ("m.eml", raw, "message/rfc822")},
                    headers=keys.h(who))
    assert r.status_code == 201, r.text
    return str(r.json()["id"])


def _linked(html: str) -> list[str]:
    """The item ids the list links to, in page order."""
    return re.findall(r'<a href="/review/([0-9a-f]{32})">', html)


def _login(client: TestClient, token: str) -> None:
    r = client.post("/review/login", data={"key": token}, follow_redirects=False)
    assert r.status_code == 303, r.text


def test_the_list_shows_every_item_newest_first_and_filters_it(
        client: TestClient, keys: Keys) -> None:
    alpha = _store(client, keys, sender="Alma <alma@inn.example>", subject="Munich alpha",
                   date="Mon, 20 Apr 2026 09:00:00 +0000")
    beta = _store(client, keys, sender="bo@lodge.example", subject="Berlin beta",
                  date="Tue, 05 May 2026 09:00:00 +0000", who="agent2")
    gamma = _store(client, keys, sender="alma@inn.example", subject="Munich gamma",
                   date="Wed, 20 May 2026 09:00:00 +0000")
    _login(client, keys.reviewer)
    r = client.get("/review/items")
    assert r.status_code == 200 and "All items" in r.text
    assert _linked(r.text) == [gamma, beta, alpha], "every agent's items, newest first"
    assert "Berlin beta" in r.text and "alma@inn.example" in r.text

    assert _linked(client.get("/review/items?sender=ALMA@inn.example").text) == [gamma, alpha]
    assert _linked(client.get("/review/items?q=berlin").text) == [beta]
    assert _linked(client.get(
        "/review/items?since=2026-05-01&until=2026-05-10&status=&q=").text) == [beta]
    assert _linked(client.get("/review/items?status=reviewed").text) == []
    page = client.get("/review/items?sender=alma%40inn.example&q=munich").text
    assert 'value="alma@inn.example"' in page and 'value="munich"' in page, "filters stay filled"
    admin = client.get("/review/items?q=GAMMA", headers=keys.h("admin"))
    assert admin.status_code == 200 and _linked(admin.text) == [gamma]


def test_the_next_page_link_carries_the_cursor_and_the_filters(
        client: TestClient, keys: Keys, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    import api.routes.page

    monkeypatch.setattr(api.routes.page, "ITEMS_PER_PAGE", 2)
    ids = [_store(client, keys, sender="alma@inn.example", subject=f"Munich {n}",
                  date=f"Mon, {10 + n} Apr 2026 09:00:00 +0000") for n in range(3)]
    _store(client, keys, sender="other@inn.example", subject="Munich other",
           date="Mon, 20 Apr 2026 09:00:00 +0000")
    headers = keys.h("reviewer")
    first = client.get("/review/items?sender=alma@inn.example", headers=headers).text
    assert _linked(first) == [ids[2], ids[1]]
    link = re.search(r'<a href="([^"]+)" id="next-page"', first)
    assert link is not None
    second = client.get(link.group(1).replace("&amp;", "&"), headers=headers).text
    assert _linked(second) == [ids[0]] and 'id="next-page"' not in second
    # the cursor belongs to its filters: reused with others it is refused, as the API does
    cursor = re.search(r"cursor=([^\"&]+)", link.group(1)).group(1)  # type: ignore[union-attr]
    r = client.get(f"/review/items?cursor={cursor}&q=munich", headers=headers)
    assert r.status_code == 422 and "cursor" in r.text and _linked(r.text) == []


def test_agents_are_refused_and_strangers_sent_to_log_in(client: TestClient, keys: Keys) -> None:
    _store(client, keys, sender="alma@inn.example", subject="Munich secret",
           date="Mon, 20 Apr 2026 09:00:00 +0000")
    r = client.get("/review/items", headers=keys.h("agent"))
    assert r.status_code == 403 and "Munich secret" not in r.text
    r = client.get("/review/items", follow_redirects=False)
    assert r.status_code == 303 and r.headers["location"] == "/review"
    r = client.get("/review/items", headers={"X-API-Key": "sfk_nonsense"},
                   follow_redirects=False)
    assert r.status_code == 303


def test_bad_filters_are_a_message_on_the_page(client: TestClient, keys: Keys) -> None:
    _store(client, keys, sender="alma@inn.example", subject="Munich alpha",
           date="Mon, 20 Apr 2026 09:00:00 +0000")
    headers = keys.h("reviewer")
    for query in ("since=last+tuesday", "until=2026-13-01", "status=maybe",
                  "cursor=not-a-cursor", "q=" + "x" * 201):
        r = client.get(f"/review/items?{query}", headers=headers)
        assert r.status_code == 422, query
        assert 'id="filter-errors"' in r.text and _linked(r.text) == [], query
    r = client.get("/review/items?since=last+tuesday", headers=headers)
    assert "since" in r.text and "2026-05-01" in r.text, "names the field and the format"
    r = client.get("/review/items?since=%3Cscript%3Ealert(1)", headers=headers)
    assert r.status_code == 422 and "<script>alert(1)" not in r.text, "what was typed is escaped"
