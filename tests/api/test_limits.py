"""Bad and oversized input: 413 before the body is read, 415, 422; never a 500."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient

from tests.api.conftest import REQUEST, Keys


def test_a_body_over_the_limit_is_413_by_content_length(client: TestClient, keys: Keys) -> None:
    big = b'{"text": "' + b"a" * 200_000 + b'"}'  # the test settings allow 64 KiB emails
    for path in ("/v1/extract", "/v1/emails"):
        r = client.post(path, content=big, headers={**keys.h("agent"),
                                                    "Content-Type": "application/json"})
        assert r.status_code == 413, path
        assert "detail" in r.json()


def test_a_streamed_body_over_the_limit_is_413(client: TestClient, keys: Keys,
                                               extraction_calls: list[str]) -> None:
    def chunks():  # no Content-Length: the cap counts bytes as they arrive
        yield b'{"text": "'
        for _ in range(50):
            yield b"a" * 10_000
        yield b'"}'

    r = client.post("/v1/emails", content=chunks(),
                    headers={**keys.h("agent"), "Content-Type": "application/json"})
    assert r.status_code == 413
    assert r.json()["detail"]
    assert extraction_calls == []


def test_an_oversized_upload_is_413(client: TestClient, keys: Keys) -> None:
    r = client.post("/v1/emails", files={"email": ("big.eml", b"x" * 300_000)},
                    headers=keys.h("agent"))
    assert r.status_code == 413


def test_the_review_save_has_a_smaller_limit(client: TestClient, keys: Keys) -> None:
    stays = [{"destination": "x" * 20_000}] * 15
    r = client.put("/v1/review/any", json={"intent": "new_booking", "stays": stays},
                   headers={**keys.h("reviewer"), "If-Match": "1"})
    assert r.status_code == 413


@pytest.mark.parametrize("body", [
    {"text": REQUEST, "status": "reviewed"},          # unknown field
    {"text": REQUEST, "id": "x"},                     # id is for /v1/emails only
    {"text": ""},                                     # empty
    {"text": 5},                                      # wrong type
    {"text": REQUEST, "received_at": "yesterday"},    # not a date-time
    {},
])
def test_bad_json_bodies_are_422(client: TestClient, keys: Keys, body: dict) -> None:
    r = client.post("/v1/extract", json=body, headers=keys.h("agent"))
    assert r.status_code == 422
    assert isinstance(r.json()["detail"], list)


def test_ingest_refuses_unknown_fields(client: TestClient, keys: Keys) -> None:
    r = client.post("/v1/emails", json={"text": REQUEST, "reviewed_by": "me"},
                    headers=keys.h("agent"))
    assert r.status_code == 422


def test_text_length_is_limited(client: TestClient, keys: Keys, settings) -> None:  # type: ignore[no-untyped-def]
    from api.schemas import MAX_TEXT_CHARS
    assert MAX_TEXT_CHARS < 10 ** 7
    r = client.post("/v1/emails", json={"text": REQUEST, "id": "x" * 600},
                    headers=keys.h("agent"))
    assert r.status_code == 422


@pytest.mark.parametrize("content, content_type", [
    (b"{not json", "application/json"),
    (b"\xff\xfe\x00", "application/json"),
    (b"text=hello", "application/x-www-form-urlencoded"),
    (b"hello", "text/plain"),
    (b"", ""),
])
def test_malformed_bodies_are_4xx(client: TestClient, keys: Keys, content: bytes,
                                  content_type: str) -> None:
    headers = {**keys.h("agent")}
    if content_type:
        headers["Content-Type"] = content_type
    r = client.post("/v1/emails", content=content, headers=headers)
    assert r.status_code in (415, 422), r.text
    assert "detail" in r.json()


def test_multipart_without_the_email_file_or_with_extra_fields_is_422(
        client: TestClient, keys: Keys) -> None:
    r = client.post("/v1/emails", data={"received_at": "2026-04-20T10:00:00Z"},
                    files={"other": ("x.eml", b"hi")}, headers=keys.h("agent"))
    assert r.status_code == 422
    locs = {tuple(e["loc"]) for e in r.json()["detail"]}
    assert ("body", "email") in locs and ("body", "other") in locs
    r = client.post("/v1/extract", files={"email": ("x.eml", b"hi")}, data={"id": "nope"},
                    headers=keys.h("agent"))
    assert r.status_code == 422
    r = client.post("/v1/extract", files={"email": ("x.eml", b"")}, headers=keys.h("agent"))
    assert r.status_code == 422


def test_a_bad_email_upload_is_a_result_not_an_error(client: TestClient, keys: Keys) -> None:
    r = client.post("/v1/extract", files={"email": ("x.eml", b"\x00\xff;;;;\r\n\r\n\xfe")},
                    headers=keys.h("agent"))
    assert r.status_code == 200


@pytest.mark.parametrize("when", ["0001-01-01T00:00:00+01:00", "9999-12-31T23:59:59-05:00"])
def test_a_date_time_outside_the_utc_calendar_is_422_on_both_body_kinds(
        client: TestClient, keys: Keys, when: str) -> None:
    # one hour past the end of the calendar once made UTC: the database write failed with a 500
    r = client.post("/v1/emails", json={"text": REQUEST, "received_at": when},
                    headers=keys.h("agent"))
    assert r.status_code == 422 and "received_at" in r.text
    r = client.post("/v1/emails", files={"email": ("m.eml", b"Subject: x\n\nhotel please")},
                    data={"received_at": when}, headers=keys.h("agent"))
    assert r.status_code == 422 and "received_at" in r.text


def test_a_date_time_without_an_offset_is_stored(client: TestClient, keys: Keys) -> None:
    r = client.post("/v1/emails", json={"text": REQUEST, "received_at": "2026-04-20T09:12:00"},
                    headers=keys.h("agent"))
    assert r.status_code < 300
