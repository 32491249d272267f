"""The admin's keys page `/review/keys` (issue 18): list, create (the secret shown once) and
revoke keys through the page's forms, with the same checks as `/v1/keys`; CSRF-protected,
and refused to reviewers and agents."""

from __future__ import annotations

import datetime as dt
import re

from fastapi.testclient import TestClient

from tests.api.conftest import Keys


def _csrf(html: str) -> str:
    found = re.search(r'name="csrf" value="([^"]+)"', html)
    assert found, "the page carries its CSRF token"
    return found.group(1)


def _row(html: str, name: str) -> str:
    found = re.search(rf'<tr data-key="[0-9a-z_]+" class="key-\w+">\s*<td>{name}</td>.*?</tr>',
                      html, re.S)
    assert found, f"no row for {name}"
    return found.group(0)


def test_an_admin_creates_a_key_and_sees_its_secret_once(client: TestClient, keys: Keys) -> None:
    admin = keys.h("admin")
    page = client.get("/review/keys", headers=admin)
    assert page.status_code == 200 and "<td>reviewer2</td>" in page.text
    assert 'href="/review/keys"' in client.get("/review", headers=admin).text, "linked for admins"
    expires = (dt.date.today() + dt.timedelta(days=30)).isoformat()
    r = client.post("/review/keys", headers=admin, data={
        "csrf": _csrf(page.text), "name": "Nina Agent", "role": "agent",
        "emails": "Nina@Example.org\nbookings@example.org", "expires": expires})
    assert r.status_code == 201
    secret = re.search(r'id="new-secret" value="([^"]+)"', r.text)
    assert secret, "the secret is shown"
    row = _row(r.text, "Nina Agent")
    assert "bookings@example.org, nina@example.org" in row and f'datetime="{expires}T00:00' in row
    # the secret is a working agent key, and it is never shown again
    assert client.get("/v1/emails", headers={"X-API-Key": secret.group(1)}).status_code == 200
    again = client.get("/review/keys", headers=admin).text
    assert secret.group(1) not in again and 'id="new-secret"' not in again


def test_an_admin_revokes_a_key(client: TestClient, keys: Keys) -> None:
    admin = keys.h("admin")
    page = client.get("/review/keys", headers=admin).text
    assert client.get("/v1/emails", headers=keys.h("agent2")).status_code == 200
    r = client.post(f"/review/keys/{keys.ids['agent2']}/revoke", headers=admin,
                    data={"csrf": _csrf(page)}, follow_redirects=False)
    assert r.status_code == 303 and r.headers["location"] == "/review/keys?revoked=true"
    assert client.get("/v1/emails", headers=keys.h("agent2")).status_code == 401
    after = client.get("/review/keys?revoked=true", headers=admin).text
    assert 'id="revoked"' in after
    row = _row(after, "agent2")
    assert 'class="key-revoked"' in row and "/revoke" not in row, "no button on a revoked key"
    again = client.post(f"/review/keys/{keys.ids['agent2']}/revoke", headers=admin,
                        data={"csrf": _csrf(page)})
    assert again.status_code == 404


def test_the_form_refuses_what_the_api_refuses(client: TestClient, keys: Keys) -> None:
    admin = keys.h("admin")
    csrf = _csrf(client.get("/review/keys", headers=admin).text)
    cases = [({"name": "Rex", "role": "reviewer", "emails": "rex@example.org"}, "agent"),
             ({"name": "Old", "role": "agent", "expires": "2020-01-01"}, "past"),
             ({"name": "", "role": "agent"}, "name"),
             ({"name": "Bad", "role": "owner"}, "role")]
    for form, said in cases:
        r = client.post("/review/keys", headers=admin, data={"csrf": csrf, **form})
        assert r.status_code == 422 and 'id="key-errors"' in r.text, form
        assert said in r.text.split('id="key-errors"')[1].split("</div>")[0], form
        assert 'id="new-secret"' not in r.text
    names = re.findall(r'<tr data-key="[^"]+" class="key-\w+">\s*<td>([^<]*)</td>',
                       client.get("/review/keys", headers=admin).text)
    assert sorted(names) == ["admin", "agent", "agent2", "reviewer", "reviewer2"]


def test_reviewers_agents_and_forged_forms_are_refused(client: TestClient, keys: Keys) -> None:
    for who in ("reviewer", "agent"):
        r = client.get("/review/keys", headers=keys.h(who))
        assert r.status_code == 403 and "<td>admin</td>" not in r.text
    reviewer_csrf = _csrf(client.get("/review", headers=keys.h("reviewer")).text)
    r = client.post("/review/keys", headers=keys.h("reviewer"),
                    data={"csrf": reviewer_csrf, "name": "Mine", "role": "admin"})
    assert r.status_code == 403
    r = client.post(f"/review/keys/{keys.ids['admin']}/revoke", headers=keys.h("reviewer"),
                    data={"csrf": reviewer_csrf})
    assert r.status_code == 403
    # an admin's form without its token, or from another origin, does nothing
    admin = keys.h("admin")
    csrf = _csrf(client.get("/review/keys", headers=admin).text)
    assert client.post("/review/keys", headers=admin,
                       data={"csrf": "forged", "name": "X", "role": "admin"}).status_code == 403
    assert client.post(f"/review/keys/{keys.ids['reviewer']}/revoke", data={"csrf": csrf},
                       headers={**admin, "Origin": "https://evil.example"}).status_code == 403
    assert client.get("/v1/emails", headers=keys.h("reviewer")).status_code == 200
    assert "<td>X</td>" not in client.get("/review/keys", headers=admin).text
    # nobody logged in: the login form
    r = client.get("/review/keys", follow_redirects=False)
    assert r.status_code == 303 and r.headers["location"] == "/review"
