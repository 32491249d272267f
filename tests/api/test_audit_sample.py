"""The audit sample (issue 18 item 5), on SQLite and PostgreSQL: a share of auto-accepted
items, chosen by item id, is also queued for a second look after everything that needs
review, and the queue page shows how many of the checked ones needed a change."""

from __future__ import annotations

import re
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from typing import TYPE_CHECKING

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select

from api.app import create_app
from api.audit_sample import in_sample, measure, sampled
from api.models import Item
from stayform.settings import Settings
from tests.api.conftest import REQUEST, SURE, Keys, make_keys
from tests.api.test_page import _login
from tests.api.test_thread_page import _posted

if TYPE_CHECKING:
    from extractor.pipeline import Extractor


def test_the_sample_is_decided_by_the_id_alone() -> None:
    ids = [uuid.uuid4().hex for _ in range(4000)]
    assert not any(in_sample(i, 0.0) for i in ids) and all(in_sample(i, 1.0) for i in ids)
    share = sum(in_sample(i, 0.05) for i in ids) / len(ids)
    assert 0.03 < share < 0.07
    assert [in_sample(i, 0.05) for i in ids] == [in_sample(i, 0.05) for i in ids]
    assert in_sample("0" * 32, 0.01) and not in_sample("f" * 32, 0.99)


@contextmanager
def _service(settings: Settings, extractor: Extractor, share: float
             ) -> Iterator[tuple[TestClient, Keys]]:
    app = create_app(settings.model_copy(update={"audit_share": share}), extractor=extractor)
    with TestClient(app) as client:
        yield client, make_keys(app)


def _ingest(client: TestClient, keys: Keys, text: str) -> dict[str, str]:
    return client.post("/v1/emails", json={"text": text}, headers=keys.h("agent")).json()


def _next(client: TestClient) -> str:
    csrf = re.search(r'name="csrf" value="([^"]+)"', client.get("/review").text)
    assert csrf is not None
    r = client.post("/review/next", data={"csrf": csrf.group(1)}, follow_redirects=False)
    return str(r.headers["location"])


def _confirm(client: TestClient, location: str, **changes: str) -> str:
    # everything the browser posts, the traveller names' textarea included
    fields = {**_posted(client.get(location).text), **changes, "action": "confirm"}
    r = client.post(location, data=fields, follow_redirects=False)
    assert r.status_code == 303, r.text
    return str(r.headers["location"])


def test_every_auto_accepted_item_is_audited_at_share_one(settings: Settings,
                                                          extractor: Extractor) -> None:
    with _service(settings, extractor, 1.0) as (client, keys):
        first = _ingest(client, keys, SURE)
        second = _ingest(client, keys, SURE.replace("Munich", "Berlin"))
        asking = _ingest(client, keys, REQUEST)
        assert first["status"] == second["status"] == "auto_accepted"
        _login(client, keys.reviewer)
        page = client.get("/review").text
        assert "No audited item checked yet" in page and "2 waiting" in page
        # what needs review comes first, then the sample, oldest first
        assert _next(client) == f"/review/{asking['id']}"
        location = _confirm(client, f"/review/{asking['id']}")
        assert location == f"/review/{first['id']}"
        assert "auto accepted" in client.get(location).text
        location = _confirm(client, location, **{"s0.destination": "Hamburg"})
        assert location == f"/review/{second['id']}"
        assert _confirm(client, location) == "/review?empty=true"
        page = client.get("/review").text
        assert re.search(r'<b id="audit-changed">50%</b> of the audited auto-accepted items '
                         r"needed a change\s*\(1 of 2 checked\)", page)
        assert "0 waiting" in page
        got = client.get(f"/v1/emails/{first['id']}", headers=keys.h("agent")).json()
        assert got["status"] == "reviewed"


def test_nothing_is_audited_at_share_zero(settings: Settings, extractor: Extractor) -> None:
    with _service(settings, extractor, 0.0) as (client, keys):
        item = _ingest(client, keys, SURE)
        assert item["status"] == "auto_accepted"
        _login(client, keys.reviewer)
        assert _next(client) == "/review?empty=true"
        assert "0 waiting" in client.get("/review").text


@pytest.mark.parametrize("share", [0.3, 0.7])
def test_sql_and_python_agree_on_the_sample(settings: Settings, extractor: Extractor,
                                            share: float) -> None:
    with _service(settings, extractor, share) as (client, keys):
        ids = [_ingest(client, keys, SURE.replace("Munich", city))["id"]
               for city in ("Munich", "Berlin", "Hamburg", "Vienna", "Zurich", "Paris")]
        app = client.app
        with app.state.sessions() as session:  # type: ignore[attr-defined]
            chosen = set(session.scalars(select(Item.id).where(sampled(Item.id, share))))
            assert chosen == {i for i in ids if in_sample(i, share)}
            counted = measure(session, share=share)
        waiting = sum(1 for i in ids if in_sample(i, share)
                      and client.get(f"/v1/emails/{i}", headers=keys.h("agent")).json()[
                          "status"] == "auto_accepted")
        assert (counted.checked, counted.changed, counted.waiting) == (0, 0, waiting)
