"""A reply to a booking on the review page and through the API, on SQLite and PostgreSQL: the
thread under its headers, the change it asks for, implied values tagged, sender and subject,
children round-tripping, and the stored result keeping the second round's keys."""

from __future__ import annotations

import html as htmllib
import re

from fastapi import FastAPI
from fastapi.testclient import TestClient

from api import store
from tests.api.conftest import Keys
from tests.api.test_page import _form_fields, _login
from tests.api.thread import TEXT, thread_result


def _stored_reply(app: FastAPI, keys: Keys) -> str:
    with app.state.sessions() as session:
        item, created = store.enqueue_result(session, result=thread_result(), raw=None,
                                             owner_key_id=keys.ids["agent"])
    assert created
    return item.id


def _posted(html: str) -> dict[str, str]:
    """What the browser would post, textareas (the traveller names) included."""
    fields = _form_fields(html)
    fields.update({name: htmllib.unescape(body) for name, body in
                   re.findall(r'<textarea name="([^"]+)"[^>]*>(.*?)</textarea>', html, re.S)})
    return fields


def test_the_stored_reply_comes_back_with_every_new_key(app: FastAPI, client: TestClient,
                                                         keys: Keys) -> None:
    item_id = _stored_reply(app, keys)
    got = client.get(f"/v1/emails/{item_id}", headers=keys.h("agent")).json()
    assert got["result"] == thread_result().model_dump(mode="json")
    result = got["result"]
    assert [s["kind"] for s in result["segments"]] == ["new", "quoted"]
    assert result["segments"][1]["author"] == "Stay Agency"
    assert result["changes"][0] == {"stay": 0, "field": "check_out", "old": "2026-05-05",
                                    "new": "2026-05-06"}
    assert result["stays"][0]["children"]["value"] == 1
    assert result["stays"][0]["hotel_name"]["source"] == "history"
    assert result["sender"] == {"name": "Anna Schmidt", "address": "anna@example.org"}
    # the suggested form names the values no span states
    assert "hotel_name" in got["form"]["stays"][0]["implied"]
    assert got["form"]["stays"][0]["children"] == 1


def test_the_page_shows_the_thread_the_change_and_what_is_implied(
        app: FastAPI, client: TestClient, keys: Keys) -> None:
    item_id = _stored_reply(app, keys)
    html = client.get(f"/review/{item_id}", headers=keys.h("reviewer")).text
    assert re.search(r'<h1 id="subject">Re: Your booking in Munich</h1>', html)
    assert "<b>Anna Schmidt</b>" in html and "&lt;anna@example.org&gt;" in html
    heads = re.findall(r'<p class="part-head">(.*?)</p>', html)
    assert heads == ["Quoted — Stay Agency, 2026-04-20 09:12"], "only the earlier message"
    quoted = html[html.index('data-kind="quoted"'):]
    assert re.search(r'<mark class="f-hotel_name"[^>]*>Hotel Adler</mark>', quoted)
    new = html[html.index('data-kind="new"'):html.index('data-kind="quoted"')]
    assert re.search(r'<mark class="f-check_out"[^>]*>2026-05-06</mark>', new)
    changes = re.search(r'<section class="changes" id="changes">(.*?)</section>', html, re.S)
    assert changes is not None
    assert re.search(r"check out:\s*<del>2026-05-05</del> → <ins>2026-05-06</ins>",
                     changes.group(1))
    assert re.search(r"children:\s*<del>—</del> → <ins>1</ins>", changes.group(1))
    assert html.index('id="changes"') < html.index('id="review-form"'), "above the form"
    rows = dict(re.findall(r'data-row="([a-z_]+)">(.*?)</tr>', html, re.S))
    assert re.search(r'data-implied="history"[^>]*>from the quoted mail<', rows["hotel_name"])
    assert re.search(r'data-implied="derived"[^>]*>implied<', rows["nights"])
    assert "data-implied" not in rows["check_out"] and "data-implied" not in rows["children"]
    assert re.search(r'<input type="number" min="0" step="1" name="s0.children" value="1">',
                     rows["children"])


def test_a_confirmed_reply_keeps_children_and_what_stayed_implied(
        app: FastAPI, client: TestClient, keys: Keys) -> None:
    item_id = _stored_reply(app, keys)
    _login(client, keys.reviewer)
    fields = _posted(client.get(f"/review/{item_id}").text)
    assert fields["s0.origin"] == "0" and fields["s0.traveler_names"] == "Anna Schmidt"
    fields.update({"s0.children": "2", "s0.guests": "1", "action": "save"})
    r = client.post(f"/review/{item_id}", data=fields, follow_redirects=False)
    assert r.status_code == 303, r.text
    answer = client.get(f"/v1/emails/{item_id}", headers=keys.h("agent")).json()["answer"]
    stay = answer["stays"][0]
    assert stay["children"] == 2 and stay["guests"] == 1 and stay["check_out"] == "2026-05-06"
    assert stay["implied"] == ["destination", "check_in", "nights", "rooms", "room_type",
                               "hotel_name", "traveler_names"], "guests was edited: it is human"
    # the saved answer is what the page shows next, tags and all
    html = client.get(f"/review/{item_id}").text
    rows = dict(re.findall(r'data-row="([a-z_]+)">(.*?)</tr>', html, re.S))
    assert 'name="s0.children" value="2"' in rows["children"]
    assert "data-implied" not in rows["guests"] and 'data-implied="history"' in rows["rooms"]


def test_the_api_saves_children_and_implied_as_sent(app: FastAPI, client: TestClient,
                                                    keys: Keys) -> None:
    item_id = _stored_reply(app, keys)
    v = client.post("/v1/review/claim", headers=keys.h("reviewer")).json()["version"]
    answer = {"intent": "modification", "stays": [{
        "destination": "Munich", "check_in": "2026-05-03", "check_out": "2026-05-06",
        "guests": 2, "children": 1, "traveler_names": ["Anna Schmidt"],
        "implied": ["destination", "check_in", "traveler_names"]}]}
    r = client.put(f"/v1/review/{item_id}", json=answer,
                   headers={**keys.h("reviewer"), "If-Match": str(v)})
    assert r.status_code == 200, r.text
    got = client.get(f"/v1/emails/{item_id}", headers=keys.h("agent")).json()
    assert got["answer"]["stays"][0]["children"] == 1
    assert got["answer"]["stays"][0]["implied"] == ["destination", "check_in", "traveler_names"]
    assert got["result"]["text"] == TEXT
    bad = client.put(f"/v1/review/{item_id}", json={"intent": "modification", "stays": [
        {"children": -1}]}, headers={**keys.h("reviewer"), "If-Match": str(r.json()["version"])})
    assert bad.status_code == 422
