"""Bad input that reached the database and failed there with a 500 (issue 14, point 3): dates
outside what the database holds, and NUL characters, which PostgreSQL text refuses, in every
field and path. Every test runs on SQLite and PostgreSQL."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient

from tests.api.conftest import REQUEST, Keys

FAR_DATES = [
    "Fri, 31 Dec 9999 23:59:59 -1400",  # UTC cannot hold it: 10000-01-01 in UTC
    "Mon, 1 Jan 0001 00:00:00 +1400",   # before year 1 in UTC
    "Fri, 31 Dec 9999 23:59:59 +0000",  # the largest date Python holds
]


def _eml(date: str, message_id: str = "<far@example.org>", body: str = REQUEST) -> bytes:
    return (f"From: a@example.org\r\nTo: b@example.org\r\nSubject: hotel\r\n"
            f"Message-ID: {message_id}\r\nDate: {date}\r\n\r\n{body}\r\n").encode()


@pytest.mark.parametrize("date", FAR_DATES)
def test_a_date_header_outside_what_utc_holds_is_no_500(client: TestClient, keys: Keys,
                                                         date: str) -> None:
    raw = _eml(date)
    r = client.post("/v1/emails", files={"email": ("m.eml", raw)}, headers=keys.h("agent"))
    assert r.status_code == 201, r.text
    item = r.json()
    again = client.get(f"/v1/emails/{item['id']}", headers=keys.h("agent"))
    assert again.status_code == 200
    assert client.post("/v1/extract", files={"email": ("m.eml", raw)},
                       headers=keys.h("agent")).status_code == 200
    # sent again: the same item, not a second one and not an error
    assert client.post("/v1/emails", files={"email": ("m.eml", raw)},
                       headers=keys.h("agent")).status_code == 200


def test_nul_in_the_json_text_and_id(client: TestClient, keys: Keys) -> None:
    r = client.post("/v1/emails", json={"text": "Munich\x00 2026-05-03", "id": "a\x00b"},
                    headers=keys.h("agent"))
    assert r.status_code in (201, 422), r.text
    r = client.post("/v1/emails", json={"text": "Munich\x00 2026-05-03"},
                    headers=keys.h("agent"))
    assert r.status_code == 201, r.text
    assert client.post("/v1/extract", json={"text": "Munich\x00 2026-05-03"},
                       headers=keys.h("agent")).status_code == 200


def test_a_stored_text_with_nul_leaves_the_search_working(client: TestClient, keys: Keys
                                                          ) -> None:
    # PostgreSQL cannot read a JSON string holding \u0000 as text: one such email had made
    # every search of the list a 500
    r = client.post("/v1/emails", json={"text": "Munich\x00 2026-05-03"},
                    headers=keys.h("agent"))
    assert r.status_code == 201, r.text
    found = client.get("/v1/emails?q=munich", headers=keys.h("agent"))
    assert found.status_code == 200, found.text
    [item] = found.json()["items"]
    assert item["id"] == r.json()["id"]
    assert item["result"]["text"] == "Munich\ufffd 2026-05-03"  # stored as a visible mark, same length


def test_nul_in_multipart_fields_and_the_message(client: TestClient, keys: Keys) -> None:
    raw = _eml("Mon, 20 Apr 2026 09:00:00 +0200", message_id="<nul\x00id@example.org>",
               body="Munich\x00 2026-05-03")
    r = client.post("/v1/emails", files={"email": ("m.eml", raw)}, headers=keys.h("agent"))
    assert r.status_code == 201, r.text
    assert client.get(f"/v1/emails/{r.json()['id']}", headers=keys.h("agent")).status_code == 200
    r = client.post("/v1/emails", files={"email": ("m.eml", b"Munich 2026-05-03")},
                    data={"id": "x\x00y"}, headers=keys.h("agent"))
    assert r.status_code in (201, 422), r.text
    r = client.post("/v1/emails", files={"email": ("m\x00.eml", b"Munich 2026-05-03")},
                    data={"received_at": "2026-04-20T09:00:00\x00"}, headers=keys.h("agent"))
    assert r.status_code == 422, r.text


@pytest.mark.parametrize("path", ["/v1/emails/%00", "/v1/emails/ab%00cd",
                                  "/v1/emails/" + "%00" * 40])
def test_nul_in_a_path_is_404(client: TestClient, keys: Keys, path: str) -> None:
    for who in ("agent", "admin"):
        assert client.get(path, headers=keys.h(who)).status_code == 404
    assert client.delete(path, headers=keys.h("admin")).status_code == 404
    page = path.replace("/v1/emails/", "/review/")
    assert client.get(page, headers=keys.h("admin")).status_code == 404


def test_nul_in_a_review_path_and_answer(client: TestClient, keys: Keys) -> None:
    r = client.put("/v1/review/%00", json={"intent": "new_booking", "stays": []},
                   headers={**keys.h("reviewer"), "If-Match": "1"})
    assert r.status_code == 404
    client.post("/v1/emails", json={"text": REQUEST}, headers=keys.h("agent"))
    item = client.post("/v1/review/claim", headers=keys.h("reviewer")).json()
    r = client.put(f"/v1/review/{item['id']}", json={
        "intent": "new_booking", "stays": [{"destination": "Mu\x00nich", "hotel_name": "\x00",
                                            "traveler_names": ["A\x00"]}]},
        headers={**keys.h("reviewer"), "If-Match": str(item["version"])})
    assert r.status_code in (200, 422), r.text


def test_nul_in_the_api_key_is_401(client: TestClient) -> None:
    assert client.get("/v1/emails/x", headers={"X-API-Key": "sfk_\x00"}).status_code == 401


def test_lone_surrogates_in_the_id_and_text(client: TestClient, keys: Keys) -> None:
    body = '{"text": "Munich \\ud800 2026-05-03", "id": "s\\udfff"}'
    r = client.post("/v1/emails", content=body, headers={
        **keys.h("agent"), "Content-Type": "application/json"})
    assert r.status_code in (201, 422), r.text
    if r.status_code == 201:
        assert client.get(f"/v1/emails/{r.json()['id']}",
                          headers=keys.h("agent")).status_code == 200
