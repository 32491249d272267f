"""The service with the real extractor (`extractor.pipeline.Extractor`) on the tiny random
model of tests/conftest.py: loaded once at start-up, results stored and served. The model's
predictions are poor by design; what is checked is the plumbing around them."""

from __future__ import annotations

from pathlib import Path

from fastapi.testclient import TestClient

from api import store
from api.app import create_app
from extractor.form import FIELDS, ExtractionResult
from stayform.settings import Settings

TEXT = "Hello, please book a double room in Munich from 3 to 5 May for 2 guests. Thanks, Anna"
EML = (b"From: anna@example.org\r\nTo: desk@example.org\r\nSubject: Hotel\r\n"
       b"Message-ID: <tiny-1@example.org>\r\nDate: Mon, 20 Apr 2026 09:12:00 +0200\r\n"
       b"Content-Type: text/plain; charset=utf-8\r\n\r\n" + TEXT.encode() + b"\r\n")


def test_the_service_loads_the_model_and_serves_its_results(tiny_model_dir: Path,
                                                            tmp_path: Path) -> None:
    settings = Settings(database_url=f"sqlite:///{tmp_path}/q.db", admin_key=None,
                        model_dir=tiny_model_dir)
    app = create_app(settings)
    with TestClient(app) as client:
        ready = client.get("/readyz")
        assert ready.status_code == 200 and ready.json()["model_loaded"] is True
        with app.state.sessions() as session:
            _, agent = store.create_key(session, name="agent", role="agent")
        headers = {"X-API-Key": agent}
        r = client.post("/v1/extract", json={"text": TEXT,
                                             "received_at": "2026-04-20T09:12:00+02:00"},
                        headers=headers)
        assert r.status_code == 200, r.text
        result = ExtractionResult.model_validate(r.json())
        assert result.text == TEXT and result.status in ("auto_accepted", "needs_review")
        assert all(set(FIELDS) <= set(stay.model_dump()) for stay in result.stays)
        first = client.post("/v1/emails", files={"email": ("m.eml", EML)}, headers=headers)
        again = client.post("/v1/emails", files={"email": ("m.eml", EML)}, headers=headers)
        assert (first.status_code, again.status_code) == (201, 200)
        assert "tiny-1@example.org" in first.json()["external_id"]  # the Message-ID
        with app.state.sessions() as session:
            stored = store.load_item(session, item_id=first.json()["id"])
            assert stored is not None and stored.item.raw == EML


def test_a_missing_model_folder_leaves_the_service_unready(tmp_path: Path) -> None:
    settings = Settings(database_url=f"sqlite:///{tmp_path}/q.db", admin_key=None,
                        model_dir=tmp_path / "missing")
    with TestClient(create_app(settings)) as client:
        r = client.get("/readyz")
        assert r.status_code == 503 and "missing" in r.json()["detail"]
