"""Health, readiness, metrics, security headers and logs."""

from __future__ import annotations

import json
import logging
from typing import TYPE_CHECKING

import pytest
from fastapi.testclient import TestClient

from api.app import create_app
from api.logs import JsonFormatter
from stayform.settings import Settings
from tests.api.conftest import REQUEST, SURE, Keys, crash_on

if TYPE_CHECKING:
    from extractor.pipeline import Extractor


def test_health_and_readiness(client: TestClient) -> None:
    assert client.get("/healthz").json() == {"status": "ok"}
    r = client.get("/readyz")
    assert r.status_code == 200
    assert r.json() == {"status": "ok", "model_loaded": True, "database": True}


def test_not_ready_without_a_model_but_the_queue_still_works(settings: Settings) -> None:
    app = create_app(settings)  # settings.model_dir does not exist
    with TestClient(app) as client:
        r = client.get("/readyz")
        assert r.status_code == 503
        assert r.json()["model_loaded"] is False and r.json()["database"] is True
        assert r.json()["detail"]
        from api import store
        with app.state.sessions() as session:
            _, token = store.create_key(session, name="a", role="agent")
        r = client.post("/v1/extract", json={"text": REQUEST}, headers={"X-API-Key": token})
        assert r.status_code == 503 and r.json()["detail"].startswith("M001")
        assert client.get("/review").status_code == 200


def test_not_ready_when_the_database_is_gone(tmp_path, extractor) -> None:  # type: ignore[no-untyped-def]
    settings = Settings(database_url=f"sqlite:///{tmp_path}/q.db", admin_key=None)
    app = create_app(settings, extractor=extractor)
    with TestClient(app) as client:
        (tmp_path / "q.db").unlink()
        (tmp_path / "q.db").mkdir()  # the file is now a folder: SQLite cannot open it
        app.state.engine.dispose()
        r = client.get("/readyz")
        assert r.status_code == 503 and r.json()["database"] is False


def test_metrics_count_requests_and_queue_depth(client: TestClient, keys: Keys) -> None:
    client.post("/v1/emails", json={"text": REQUEST}, headers=keys.h("agent"))
    client.post("/v1/emails", json={"text": SURE}, headers=keys.h("agent"))
    client.get("/v1/emails/unknown-id", headers=keys.h("agent"))
    text = client.get("/metrics").text
    assert ('stayform_http_requests_total{method="POST",route="/v1/emails",status="201"} 2.0'
            in text)
    assert ('stayform_http_requests_total{method="GET",route="/v1/emails/{item_id}",'
            'status="404"} 1.0' in text), "routes are labelled by template, not by raw path"
    assert 'stayform_queue_items{status="needs_review"} 1.0' in text
    assert 'stayform_queue_items{status="auto_accepted"} 1.0' in text
    assert "stayform_auto_accept_share 0.5" in text
    assert "stayform_http_request_duration_seconds_bucket" in text


@pytest.mark.parametrize("path", ["/review", "/healthz", "/v1/emails/x", "/static/review.css"])
def test_security_headers_on_every_response(client: TestClient, path: str) -> None:
    r = client.get(path)
    csp = r.headers["content-security-policy"]
    for directive in ("default-src 'self'", "script-src 'self'", "style-src 'self'",
                      "frame-ancestors 'none'", "object-src 'none'"):
        assert directive in csp
    assert "unsafe-inline" not in csp
    assert r.headers["x-content-type-options"] == "nosniff"


def test_openapi_documents_the_routes(client: TestClient) -> None:
    spec = client.get("/openapi.json").json()
    for path in ("/v1/extract", "/v1/emails", "/v1/emails/{item_id}", "/v1/review/claim",
                 "/v1/review/{item_id}", "/v1/export/annotations", "/healthz", "/readyz"):
        assert path in spec["paths"], path
    body = spec["paths"]["/v1/emails"]["post"]["requestBody"]["content"]
    assert {"application/json", "multipart/form-data"} <= body.keys()
    assert client.get("/docs").status_code == 200


def test_logs_are_json_without_bodies_or_keys(
        client: TestClient, keys: Keys, caplog: pytest.LogCaptureFixture,
        extractor: Extractor, monkeypatch: pytest.MonkeyPatch) -> None:
    crash_on("CRASH", extractor, monkeypatch)
    secret_text = "Please book Munich 2026-05-03 for anna.schmidt@example.org"
    with caplog.at_level(logging.INFO, logger="stayform"):
        item = client.post("/v1/emails", json={"text": secret_text},
                           headers=keys.h("agent")).json()
        client.get(f"/v1/emails/{item['id']}?email=anna.schmidt@example.org",
                   headers=keys.h("agent"))
        crash = client.post("/v1/emails", json={"text": "CRASH " + secret_text},
                            headers=keys.h("agent"))
        assert crash.json()["status"] == "error"
    lines = [JsonFormatter().format(r) for r in caplog.records]
    requests = [json.loads(line) for line in lines if '"event": "request"' in line]
    assert any(r["route"] == "/v1/emails" and r["status"] == 201
               and r["key_id"] == keys.ids["agent"] for r in requests)
    assert any('"event": "extract_failed"' in line and "RuntimeError" in line for line in lines)
    joined = "\n".join(lines)
    for leak in ("anna.schmidt", "Munich", keys.agent):
        assert leak not in joined
