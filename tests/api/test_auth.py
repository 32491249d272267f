"""Keys and roles on every route: 401 without a live key, 403 for the wrong role."""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING

import pytest
from fastapi.testclient import TestClient

from api import store
from api.app import create_app
from api.models import utcnow
from stayform.settings import Settings
from tests.api.conftest import REQUEST, Keys

if TYPE_CHECKING:
    from extractor.pipeline import Extractor

# (method, path, body) of every /v1 route, with the roles that may use it.
ROUTES = [
    ("POST", "/v1/extract", {"text": REQUEST}, {"agent", "reviewer", "admin"}),
    ("POST", "/v1/emails", {"text": REQUEST}, {"agent", "admin"}),
    ("GET", "/v1/emails/{id}", None, {"agent", "reviewer", "admin"}),
    ("DELETE", "/v1/emails/{id}", None, {"admin"}),
    ("POST", "/v1/review/claim", None, {"reviewer", "admin"}),
    ("PUT", "/v1/review/{id}", {"intent": "not_hotel", "stays": []}, {"reviewer", "admin"}),
    ("GET", "/v1/export/annotations", None, {"admin"}),
]


def _call(client: TestClient, method: str, path: str, body, headers):  # type: ignore[no-untyped-def]
    return client.request(method, path, json=body, headers={**headers, "If-Match": "1"})


def test_every_route_needs_a_key_and_the_right_role(client: TestClient, keys: Keys) -> None:
    for method, path, body, allowed in ROUTES:
        item = client.post("/v1/emails", json={"text": f"{REQUEST} {method}{path}"},
                           headers=keys.h("agent")).json()
        url = path.replace("{id}", item["id"])
        r = _call(client, method, url, body, {})
        assert r.status_code == 401, (method, path)
        assert r.json() == {"detail": "missing API key (header X-API-Key)"}
        r = _call(client, method, url, body, {"X-API-Key": "sfk_not-a-key"})
        assert r.status_code == 401, (method, path)
        for who in ("agent", "reviewer", "admin"):
            r = _call(client, method, url, body, keys.h(who))
            if who in allowed:
                # authorized: whatever the route answers, it is not an auth error (the
                # second save of the same version is a 409, which is the point of it)
                assert r.status_code in (200, 201, 204, 409), (method, path, who, r.text)
            else:
                assert r.status_code == 403, (method, path, who)
                assert "role" in r.json()["detail"]


def test_expired_and_revoked_keys_are_refused(app, client: TestClient) -> None:  # type: ignore[no-untyped-def]
    with app.state.sessions() as session:
        _, expired = store.create_key(session, name="old", role="agent",
                                      expires_at=utcnow() - dt.timedelta(seconds=1))
        _, live = store.create_key(session, name="tmp", role="agent",
                                   expires_at=utcnow() + dt.timedelta(hours=1))
        revoked_key, revoked = store.create_key(session, name="gone", role="agent")
        assert store.revoke_key(session, key_id=revoked_key.id)
    for token, status in ((expired, 401), (revoked, 401), (live, 200)):
        r = client.post("/v1/extract", json={"text": REQUEST}, headers={"X-API-Key": token})
        assert r.status_code == status


def test_the_admin_key_setting_bootstraps_an_admin(settings: Settings, extractor: Extractor
                                                   ) -> None:
    token = "sfk_bootstrap-for-tests-0123456789"
    boot = settings.model_copy(update={"admin_key": token})
    for _ in range(2):  # a restart finds the key and does not duplicate it
        with TestClient(create_app(boot, extractor=extractor)) as client:
            r = client.get("/v1/export/annotations", headers={"X-API-Key": token})
            assert r.status_code == 200
    app = create_app(boot, extractor=extractor)
    with TestClient(app), app.state.sessions() as session:
        key = store.key_for_token(session, token=token)
        assert key is not None and key.role == "admin"
        store.revoke_key(session, key_id=key.id)
    with TestClient(create_app(boot, extractor=extractor)) as client:
        r = client.get("/v1/export/annotations", headers={"X-API-Key": token})
        assert r.status_code == 401, "a restart must not undo a revocation"


def test_keys_are_stored_hashed(app, client: TestClient, keys: Keys) -> None:  # type: ignore[no-untyped-def]
    from sqlalchemy import select

    from api.models import ApiKey
    with app.state.sessions() as session:
        hashes = session.scalars(select(ApiKey.key_hash)).all()
    assert keys.agent not in hashes and all(len(h) == 64 for h in hashes)


def test_unknown_roles_are_refused(app, client: TestClient) -> None:  # type: ignore[no-untyped-def]
    with app.state.sessions() as session, pytest.raises(ValueError, match="unknown role"):
        store.create_key(session, name="x", role="superuser")
