"""The whole email on the review page (issue 18 item 3), on SQLite and PostgreSQL: sender,
recipients, subject and date above the thread, and the stored raw message on demand as plain
text, for reviewers and admins only."""

from __future__ import annotations

import email.message
import re

from fastapi.testclient import TestClient

from tests.api.conftest import REQUEST, Keys
from tests.api.test_page import _login


def _eml() -> bytes:
    msg = email.message.EmailMessage()
    msg["From"] = "Anna Schmidt <anna@example.org>"
    msg["To"] = "Desk <desk@agency.example>, bookings@agency.example"
    msg["Cc"] = "Tom Berg <tom@example.org>"
    msg["Subject"] = "Munich in May <b>soon</b>"
    msg["Date"] = "Mon, 20 Apr 2026 09:12:00 +0200"
    msg["Message-ID"] = "<raw-view@example.org>"
    msg.set_content(REQUEST + "\n<script>alert(1)</script>")
    return msg.as_bytes()


def _upload(client: TestClient, keys: Keys, raw: bytes) -> str:
    r = client.post("/v1/emails", files={"email": ("m.eml", raw, "message/rfc822")},
                    headers=keys.h("agent"))
    assert r.status_code == 201, r.text
    return str(r.json()["id"])


def test_the_item_shows_who_wrote_to_whom_and_when(client: TestClient, keys: Keys) -> None:
    item_id = _upload(client, keys, _eml())
    _login(client, keys.reviewer)
    html = client.get(f"/review/{item_id}").text
    assert '<h1 id="subject">Munich in May &lt;b&gt;soon&lt;/b&gt;</h1>' in html
    assert re.search(r'id="sender"><b>Anna Schmidt</b>\s*&lt;anna@example.org&gt;', html)
    assert ('<dd id="to">Desk &lt;desk@agency.example&gt;, bookings@agency.example</dd>'
            in html)
    assert '<dd id="cc">Tom Berg &lt;tom@example.org&gt;</dd>' in html
    assert re.search(r'<dd id="date"><time datetime="2026-04-20T09:12:00\+02:00">'
                     r"2026-04-20 09:12</time>", html), "the Date header, its own zone"
    assert f'href="/review/{item_id}/raw"' in html


def test_the_raw_message_is_plain_text_for_reviewers_and_admins(client: TestClient,
                                                                 keys: Keys) -> None:
    raw = _eml()
    item_id = _upload(client, keys, raw)
    for who in ("reviewer", "admin"):
        r = client.get(f"/review/{item_id}/raw", headers=keys.h(who))
        assert r.status_code == 200
        assert r.headers["content-type"] == "text/plain; charset=utf-8"
        assert r.headers["x-content-type-options"] == "nosniff"
        assert "no-store" in r.headers["cache-control"]
        assert r.content == raw, "byte for byte, headers and all"
    refused = client.get(f"/review/{item_id}/raw", headers=keys.h("agent"))
    assert refused.status_code == 403 and b"anna@example.org" not in refused.content
    stranger = client.get(f"/review/{item_id}/raw", follow_redirects=False)
    assert stranger.status_code == 303 and stranger.headers["location"] == "/review"


def test_an_item_sent_as_text_has_no_raw_message(client: TestClient, keys: Keys) -> None:
    item_id = client.post("/v1/emails", json={"text": REQUEST},
                          headers=keys.h("agent")).json()["id"]
    _login(client, keys.reviewer)
    html = client.get(f"/review/{item_id}").text
    assert "/raw" not in html and 'id="to"' not in html
    assert client.get(f"/review/{item_id}/raw").status_code == 404
    assert client.get(f"/review/{'0' * 32}/raw").status_code == 404
