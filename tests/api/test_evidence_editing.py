"""Evidence editing on the review page, through HTTP on SQLite and PostgreSQL (issue 18): the
email's pieces say where they stand in the text (non-ASCII and CR LF included), a selection
posted as a field's evidence is checked, tidied and saved with the reviewer's values, a typed
value is searched in the text and the page says what was found, the "implied" box marks a
value no words state, and the reviewed item's export validates."""

from __future__ import annotations

import html as htmllib
import json
import re
from pathlib import Path

from fastapi.testclient import TestClient

from annotations.schema import AnnotatedEmail, write_jsonl
from annotations.validate import validate_files
from api.human_evidence import locate, tidy
from tests.api.conftest import Keys
from tests.api.test_page import _form_fields, _login

# CR LF line ends, umlauts, an emoji (two UTF-16 units, one code point) before the evidence
TEXT = ("Grüße aus Köln 🙂\r\nBitte ein Hotel in Munich vom 2026-05-03 bis 2026-05-05."
        "\r\nDanke! Anna Straße")


def _fields(page: str) -> dict[str, str]:
    """What the browser posts: inputs, selects and the ticked boxes."""
    fields = _form_fields(page)
    fields.update({name: "1" for name in re.findall(
        r'<input type="checkbox" name="([^"]+)" value="1" checked>', page)})
    return fields


def _open(client: TestClient, keys: Keys, text: str = TEXT) -> tuple[str, str]:
    item_id = str(client.post("/v1/emails", json={"text": text},
                              headers=keys.h("agent")).json()["id"])
    _login(client, keys.reviewer)
    return item_id, client.get(f"/review/{item_id}").text


def _note(page: str, base: str) -> str:
    found = re.search(rf'<span class="evidence-note" id="ev-{re.escape(base)}"[^>]*>(.*?)</span>',
                      page, re.S)
    assert found is not None, base
    return htmllib.unescape(re.sub(r"<[^>]+>", "", found.group(1))).strip()


def _export(client: TestClient, keys: Keys, tmp_path: Path) -> tuple[list[AnnotatedEmail], list]:
    r = client.get("/v1/export/annotations", headers=keys.h("admin"))
    assert r.status_code == 200
    lines = [AnnotatedEmail.model_validate_json(line) for line in r.text.splitlines()]
    path = tmp_path / "reviewed.jsonl"
    write_jsonl(path, lines)
    return lines, validate_files([path])[1]


def test_each_piece_of_the_email_says_where_it_starts_in_the_text(client: TestClient,
                                                                 keys: Keys) -> None:
    item_id, page = _open(client, keys)
    text = client.get(f"/v1/emails/{item_id}", headers=keys.h("agent")).json()["result"]["text"]
    assert "\r\n" in text and "🙂" in text
    pieces = re.findall(r'data-start="(\d+)"(?: title="[^"]*")?>([^<]*)</(?:span|mark)>', page)
    assert "".join(htmllib.unescape(p) for _, p in pieces) == text
    for start, piece in pieces:
        piece = htmllib.unescape(piece)
        assert text[int(start):int(start) + len(piece)] == piece
    source = re.search(r"data-source='([^']*)'", page)
    assert source is not None and json.loads(htmllib.unescape(source.group(1))) == text


def test_a_selection_becomes_the_saved_evidence_and_the_export_validates(
        client: TestClient, keys: Keys, tmp_path: Path) -> None:
    item_id, page = _open(client, keys)
    name = TEXT.index("Anna Straße")
    fields = {**_fields(page), "action": "confirm", "s0.traveler_names": "Anna Straße",
              # a sloppy selection: the name's tail and the space before it
              "s0.traveler_names.ev": f"{name - 1}-{name + 6}", "s0.rooms": "1",
              "s0.rooms.implied": "1", "s0.guests": "1", "s0.guests.implied": "1"}
    r = client.post(f"/review/{item_id}", data=fields, follow_redirects=False)
    assert r.status_code == 303, _note(r.text, "s0.traveler_names")
    result = client.get(f"/v1/emails/{item_id}", headers=keys.h("agent")).json()["result"]
    stay = result["stays"][0]
    # widened to whole words: "Anna Straße", not " Anna St"
    assert stay["traveler_names"]["evidence"] == [{"start": name, "end": name + 11}]
    assert stay["destination"]["evidence"] == [{"start": TEXT.index("Munich"),
                                                 "end": TEXT.index("Munich") + 6}]
    lines, problems = _export(client, keys, tmp_path)
    assert [p.format() for p in problems if p.is_error] == []
    (ann,) = lines
    assert ann.meta["evidence"] == "reviewer" and ann.meta["spans_complete"] is True
    assert ("traveler_names", "Anna Straße") in {(s.label, s.text) for s in ann.spans}
    assert {"rooms", "guests"} <= set(ann.form.stays[0].implied)


def test_a_typed_value_is_found_in_the_text_and_shown_before_saving(client: TestClient,
                                                                    keys: Keys) -> None:
    item_id, page = _open(client, keys)
    fields = {**_fields(page), "action": "check", "s0.near": "köln",
              "s0.check_out": "2026-05-06"}
    r = client.post(f"/review/{item_id}", data=fields)
    assert r.status_code == 200
    # not as typed, but in another case: the email's own spelling is the evidence
    assert _note(r.text, "s0.near") == "“Köln” found in the text"
    assert _note(r.text, "s0.check_out").startswith("Not in the text")
    assert _note(r.text, "s0.destination") == "“Munich”"


def test_a_value_located_nowhere_leaves_the_item_out_of_the_export(
        client: TestClient, keys: Keys, tmp_path: Path) -> None:
    item_id, page = _open(client, keys)
    fields = {**_fields(page), "action": "save", "s0.check_out": "2026-05-06",
              "s0.traveler_names": "Anna Straße"}
    assert client.post(f"/review/{item_id}", data=fields,
                       follow_redirects=False).status_code == 303
    lines, problems = _export(client, keys, tmp_path)
    assert lines == [] and problems == []
    # pointing at the words that say it makes it a training example
    out = TEXT.index("2026-05-05")
    page = client.get(f"/review/{item_id}").text
    fields = {**_fields(page), "action": "save", "s0.check_out.ev": f"{out}-{out + 10}",
              "s0.traveler_names.ev": f"{TEXT.index('Anna')}-{len(TEXT)}"}
    assert client.post(f"/review/{item_id}", data=fields,
                       follow_redirects=False).status_code == 303
    lines, problems = _export(client, keys, tmp_path)
    assert len(lines) == 1 and not [p for p in problems if p.is_error]
    assert ("check_out", "2026-05-05") in {(s.label, s.text) for s in lines[0].spans}


def test_evidence_outside_the_text_is_refused_beside_its_field(client: TestClient,
                                                              keys: Keys) -> None:
    item_id, page = _open(client, keys)
    for bad in (f"0-{len(TEXT) + 1}", "7-3", "abc", f"{TEXT.index(chr(13))}-{TEXT.index(chr(10)) + 1}"):
        fields = {**_fields(page), "action": "confirm", "s0.destination.ev": bad}
        r = client.post(f"/review/{item_id}", data=fields, follow_redirects=False)
        assert r.status_code == 422, bad
        assert 'id="err-s0.destination"' in r.text
    status = client.get(f"/v1/emails/{item_id}", headers=keys.h("agent")).json()["status"]
    assert status == "needs_review"


def test_search_and_tidy_keep_offsets_of_the_text_as_written() -> None:
    text = "STRASSE Straße, münchen-Ost; near MESSE"
    # case-insensitive without shifting offsets (casefold would turn ß into ss)
    assert [(e.start, e.end) for e in locate("hotel_name", "straße", text)] == [(8, 14)]
    assert [(e.start, e.end) for e in locate("destination", "München", text)] == [(16, 23)]
    assert locate("near", "Mess", text) == []  # whole words only
    assert locate("check_in", "2026-05-03", "2026-05-03") == []  # dates are never searched
    assert locate("traveler_names", ["Anna", "Tom"], "Anna alone") == []  # every name or none
    assert tidy(text, 9, 13) == (8, 14) and tidy(text, 15, 16) is None


def test_an_unticked_implied_box_counts_only_where_the_script_said_so(client: TestClient,
                                                                     keys: Keys) -> None:
    item_id, page = _open(client, keys)
    fields = {**_fields(page), "action": "save", "s0.rooms": "1", "s0.rooms.implied": "1"}
    assert client.post(f"/review/{item_id}", data=fields,
                       follow_redirects=False).status_code == 303

    def implied() -> list[str]:
        answer = client.get(f"/v1/emails/{item_id}", headers=keys.h("agent")).json()["answer"]
        return list(answer["stays"][0]["implied"])

    assert "rooms" in implied()
    page = client.get(f"/review/{item_id}").text
    assert '<input type="checkbox" name="s0.rooms.implied" value="1" checked>' in page
    # a browser without the script posts no box and no marks: the kept mark stays
    fields = {k: v for k, v in _fields(page).items() if k != "s0.rooms.implied"}
    assert client.post(f"/review/{item_id}", data={**fields, "action": "save"},
                       follow_redirects=False).status_code == 303
    assert "rooms" in implied()
    # with the script (marks set), the reviewer's untick is what counts
    page = client.get(f"/review/{item_id}").text
    fields = {k: v for k, v in _fields(page).items() if k != "s0.rooms.implied"}
    assert client.post(f"/review/{item_id}", data={**fields, "s0.marks": "1", "action": "save"},
                       follow_redirects=False).status_code == 303
    assert "rooms" not in implied()
