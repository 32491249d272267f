"""Keys managed without Python (issue 14, point 6): `stayform keys list|revoke|rotate`,
`--expires`, the admin's `/v1/keys` routes, and no admin key shorter than 32 characters."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient

from api import store
from api.app import ConfigError, create_app
from stayform import cli
from stayform.settings import Settings, get_settings
from tests.api.conftest import REQUEST, Keys

if TYPE_CHECKING:
    from extractor.pipeline import Extractor


@pytest.fixture
def database(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[str]:
    url = f"sqlite:///{tmp_path}/cli.db"
    monkeypatch.setenv("STAYFORM_DATABASE_URL", url)
    monkeypatch.delenv("STAYFORM_ADMIN_KEY", raising=False)
    get_settings.cache_clear()
    yield url
    get_settings.cache_clear()


def _run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    code = cli.main(list(args))
    out, err = capsys.readouterr()
    return code, out, err


def _works(client: TestClient, token: str) -> bool:
    return client.post("/v1/extract", json={"text": REQUEST},
                       headers={"X-API-Key": token}).status_code == 200


def test_keys_list_revoke_rotate_and_expires_from_the_command_line(
        database: str, capsys: pytest.CaptureFixture[str], extractor: Extractor) -> None:
    soon = (dt.datetime.now(dt.UTC) + dt.timedelta(days=30)).isoformat()
    code, anna, _ = _run(capsys, "keys", "create", "--role", "agent", "--name", "anna",
                         "--expires", soon)
    assert code == 0
    _, bob, _ = _run(capsys, "keys", "create", "--role", "agent", "--name", "bob")
    _, rita, _ = _run(capsys, "keys", "create", "--role", "reviewer", "--name", "rita")
    anna, bob, rita = anna.strip(), bob.strip(), rita.strip()
    code, listed, _ = _run(capsys, "keys", "list")
    rows = {line.split("\t")[3]: line.split("\t") for line in listed.splitlines()}
    assert code == 0 and set(rows) == {"anna", "bob", "rita"}
    assert rows["anna"][1:3] == ["agent", "live"] and rows["anna"][5].startswith(soon[:16])
    assert rows["bob"][5] == "-"
    assert all(t not in listed for t in (anna, bob, rita)), "list never shows a token"

    code, _, err = _run(capsys, "keys", "revoke", "bob")
    assert code == 0 and "revoked" in err
    code, new_anna, err = _run(capsys, "keys", "rotate", "anna")
    new_anna = new_anna.strip()
    assert code == 0 and new_anna.startswith("sfk_") and new_anna != anna
    code, listed, _ = _run(capsys, "keys", "list")
    states = sorted(line.split("\t")[2] + ":" + line.split("\t")[3]
                    for line in listed.splitlines())
    assert states == ["live:anna", "live:rita", "revoked:anna", "revoked:bob"]
    assert [r.split("\t")[5][:16] for r in listed.splitlines()
            if r.split("\t")[2:4] == ["live", "anna"]] == [soon[:16]], "rotation keeps expiry"

    settings = Settings(database_url=database, admin_key=None)
    with TestClient(create_app(settings, extractor=extractor)) as client:
        assert not _works(client, bob) and not _works(client, anna)
        assert _works(client, new_anna) and _works(client, rita)

    # one-line errors: unknown name, nothing live, an expiry that is no date or is past
    for args in (("keys", "revoke", "nobody"), ("keys", "revoke", "bob"),
                 ("keys", "rotate", "nobody"),
                 ("keys", "create", "--role", "agent", "--name", "x", "--expires", "soon"),
                 ("keys", "create", "--role", "agent", "--name", "x", "--expires",
                  "2001-01-01T00:00:00Z")):
        code, _, err = _run(capsys, *args)
        assert code == 1 and err.startswith("stayform: error:") and err.count("\n") == 1, args


def test_an_expired_key_from_the_command_line_is_refused(
        database: str, capsys: pytest.CaptureFixture[str], extractor: Extractor,
        monkeypatch: pytest.MonkeyPatch) -> None:
    soon = (dt.datetime.now(dt.UTC) + dt.timedelta(seconds=2)).isoformat()
    _, token, _ = _run(capsys, "keys", "create", "--role", "agent", "--name", "brief",
                       "--expires", soon)
    settings = Settings(database_url=database, admin_key=None)
    with TestClient(create_app(settings, extractor=extractor)) as client:
        assert _works(client, token.strip())
        import api.access  # where keys are checked

        later = dt.datetime.now(dt.UTC) + dt.timedelta(seconds=5)
        monkeypatch.setattr(api.access, "utcnow", lambda: later)
        assert not _works(client, token.strip())


def test_admins_list_create_and_revoke_keys_over_http(client: TestClient, keys: Keys) -> None:
    admin = keys.h("admin")
    for who in ("agent", "reviewer"):
        assert client.get("/v1/keys", headers=keys.h(who)).status_code == 403
        assert client.post("/v1/keys", json={"name": "x", "role": "agent"},
                           headers=keys.h(who)).status_code == 403
    assert client.get("/v1/keys").status_code == 401
    expires = (dt.datetime.now(dt.UTC) + dt.timedelta(days=1)).isoformat()
    r = client.post("/v1/keys", json={"name": "carla", "role": "agent", "expires_at": expires},
                    headers=admin)
    assert r.status_code == 201, r.text
    created = r.json()
    assert created["state"] == "live" and created["token"].startswith("sfk_")
    assert _works(client, created["token"])
    listed = client.get("/v1/keys", headers=admin).json()
    assert {k["name"] for k in listed} >= {"carla", "agent", "admin"}
    assert all("token" not in k and "key_hash" not in k for k in listed)
    assert created["token"] not in client.get("/v1/keys", headers=admin).text
    assert client.delete(f"/v1/keys/{created['id']}", headers=admin).status_code == 204
    assert not _works(client, created["token"])
    assert client.delete(f"/v1/keys/{created['id']}", headers=admin).status_code == 404
    assert client.delete("/v1/keys/key_%00", headers=admin).status_code == 404
    states = {k["id"]: k["state"] for k in client.get("/v1/keys", headers=admin).json()}
    assert states[created["id"]] == "revoked"
    for bad in ({"name": "x", "role": "root"}, {"name": "", "role": "agent"},
                {"name": "a\x00b", "role": "agent"}, {"name": "x", "role": "agent", "id": "k"},
                {"name": "x", "role": "agent", "expires_at": "2001-01-01T00:00:00Z"}):
        assert client.post("/v1/keys", json=bad, headers=admin).status_code == 422, bad


@pytest.mark.parametrize("key", ["short", "sfk_" + "x" * 27, " " * 40 + "x"])
def test_an_admin_key_shorter_than_32_characters_is_refused_at_start_up(
        settings: Settings, extractor: Extractor, key: str, monkeypatch: pytest.MonkeyPatch,
        capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(ConfigError, match="32"):
        create_app(settings.model_copy(update={"admin_key": key}), extractor=extractor)
    monkeypatch.setenv("STAYFORM_ADMIN_KEY", key)
    monkeypatch.setenv("STAYFORM_DATABASE_URL", settings.database_url)
    get_settings.cache_clear()
    try:
        code, _, err = _run(capsys, "serve", "--port", "1")
    finally:
        get_settings.cache_clear()
    assert code == 1 and "STAYFORM_ADMIN_KEY" in err and err.count("\n") == 1


def test_an_agent_key_created_over_http_holds_its_sender_addresses(
        app: FastAPI, client: TestClient, keys: Keys) -> None:
    admin = keys.h("admin")
    r = client.post("/v1/keys", json={"name": "desk", "role": "agent",
                                      "emails": [" Desk@Hotel.example ", "ops@hotel.example"]},
                    headers=admin)
    assert r.status_code == 201, r.text
    assert r.json()["name"] == "desk" and r.json()["role"] == "agent"
    assert r.json()["emails"] == ["desk@hotel.example", "ops@hotel.example"]
    with app.state.sessions() as session:
        held = store.addresses_by_key(session)
    assert held[r.json()["id"]] == ["desk@hotel.example", "ops@hotel.example"]
    refused = ({"name": "x", "role": "reviewer", "emails": ["a@b.example"]},
               {"name": "x", "role": "agent", "emails": ["desk@hotel.example"]},
               {"name": "x", "role": "agent", "emails": ["no-at-sign"]},
               {"name": "x", "role": "agent", "emails": ["a b@c.example"]},
               {"name": "x", "role": "agent", "emails": ["<a@b.example>"]})
    for bad in refused:
        assert client.post("/v1/keys", json=bad, headers=admin).status_code == 422, bad
    with app.state.sessions() as session:
        assert sorted(a for addrs in store.addresses_by_key(session).values() for a in addrs) \
            == ["desk@hotel.example", "ops@hotel.example"], "a refused key registers nothing"
        assert "x" not in {k.name for k in store.list_keys(session)}


def test_the_key_list_shows_each_agents_sender_addresses_and_keeps_them_on_rotation(
        app: FastAPI, client: TestClient, keys: Keys) -> None:
    admin = keys.h("admin")
    made = client.post("/v1/keys", json={"name": "desk", "role": "agent",
                                         "emails": ["Ops@Hotel.example", "desk@hotel.example"]},
                       headers=admin).json()
    listed = {k["name"]: k for k in client.get("/v1/keys", headers=admin).json()}
    assert listed["desk"]["emails"] == ["desk@hotel.example", "ops@hotel.example"]
    assert listed["agent"]["emails"] == [] and listed["reviewer"]["emails"] == []
    with app.state.sessions() as session:
        (old,) = [k for k in store.list_keys(session) if k.id == made["id"]]
        new, _ = store.rotate_key(session, key=old)
    by_id = {k["id"]: k for k in client.get("/v1/keys", headers=admin).json()}
    assert by_id[new.id]["emails"] == ["desk@hotel.example", "ops@hotel.example"]
    assert by_id[made["id"]]["state"] == "revoked" and by_id[made["id"]]["emails"] == []

