"""The review page's server-side sessions (issue 14, point 6): the cookie is a random session
id, never the API key; the session is created at login, destroyed at logout (which checks the
CSRF token), expires, and dies with its key."""

from __future__ import annotations

import datetime as dt
import re

from fastapi import FastAPI
from fastapi.testclient import TestClient
from sqlalchemy import select, update

from api import auth, store
from api.deps import COOKIE_NAME
from api.models import ReviewSession, utcnow
from tests.api.conftest import Keys


def _login(client: TestClient, token: str) -> str:
    r = client.post("/review/login", data={"key": token}, follow_redirects=False)
    assert r.status_code == 303, r.text
    return client.cookies[COOKIE_NAME]


def _csrf(client: TestClient) -> str:
    found = re.search(r'name="csrf" value="([^"]+)"', client.get("/review").text)
    assert found is not None, "not logged in"
    return found.group(1)


def _logged_in(client: TestClient, cookie: str) -> bool:
    client.cookies.clear()
    client.cookies.set(COOKIE_NAME, cookie)
    return "Review next item" in client.get("/review").text


def test_the_cookie_is_a_random_session_never_the_key(app: FastAPI, client: TestClient,
                                                      keys: Keys) -> None:
    r = client.post("/review/login", data={"key": keys.reviewer}, follow_redirects=False)
    cookie = r.headers["set-cookie"]
    value = client.cookies[COOKIE_NAME]
    assert keys.reviewer not in cookie and value != keys.reviewer and len(value) >= 40
    assert "HttpOnly" in cookie and "samesite=strict" in cookie.lower()
    assert "Max-Age=43200" in cookie and "Path=/review" in cookie
    with app.state.sessions() as session:
        row = session.scalars(select(ReviewSession)).one()
    assert row.id_hash == auth.hash_token(value) and row.key_id == keys.ids["reviewer"]
    assert row.expires_at - row.created_at == dt.timedelta(hours=12)
    # a second login is a second session with another id and another CSRF token
    csrf = _csrf(client)
    client.cookies.clear()
    other = _login(client, keys.reviewer)
    assert other != value and _csrf(client) != csrf
    # the API key itself is no session: a stolen key cookie from the old scheme does nothing
    assert not _logged_in(client, keys.reviewer)


def test_logout_destroys_the_session_and_checks_the_csrf_token(app: FastAPI, client: TestClient,
                                                               keys: Keys) -> None:
    cookie = _login(client, keys.reviewer)
    csrf = _csrf(client)
    refused = client.post("/review/logout", data={"csrf": "forged"}, follow_redirects=False)
    assert refused.status_code == 403
    assert _logged_in(client, cookie), "a logout without the CSRF token changes nothing"
    r = client.post("/review/logout", data={"csrf": csrf}, follow_redirects=False)
    assert r.status_code == 303
    with app.state.sessions() as session:
        assert session.scalars(select(ReviewSession)).all() == []
    assert not _logged_in(client, cookie), "the old cookie is worthless after logout"


def test_an_expired_session_is_logged_out(app: FastAPI, client: TestClient, keys: Keys) -> None:
    cookie = _login(client, keys.reviewer)
    with app.state.sessions() as session:
        session.execute(update(ReviewSession).values(
            expires_at=utcnow() - dt.timedelta(seconds=1)))
        session.commit()
    assert not _logged_in(client, cookie)


def test_revoking_the_key_ends_its_sessions(app: FastAPI, client: TestClient,
                                            keys: Keys) -> None:
    cookie = _login(client, keys.reviewer)
    assert _logged_in(client, cookie)
    with app.state.sessions() as session:
        assert store.revoke_key(session, key_id=keys.ids["reviewer"])
    assert not _logged_in(client, cookie)
