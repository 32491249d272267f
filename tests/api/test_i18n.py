"""The review page in German and English (issue 18): the language from Accept-Language or the
switch's cookie, review reasons as sentences, messages beside a field in the page's language,
and a German catalogue that keeps up with the strings of the code."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from babel.messages.extract import extract_from_dir
from babel.messages.frontend import parse_mapping_cfg
from babel.messages.mofile import read_mo
from babel.messages.pofile import read_po
from fastapi.testclient import TestClient

from api import i18n
from api.reason_text import reason, validation_message
from tests.api.conftest import REQUEST, Keys
from tests.api.test_page import _form_fields

ROOT = Path(__file__).resolve().parents[2]
LOCALE = ROOT / "api" / "locale"
GERMAN = {"Accept-Language": "de-DE,de;q=0.9,en;q=0.8"}


@pytest.fixture
def database_url(tmp_path: Path) -> str:
    # the language is the page's business, not the database's: SQLite only
    return f"sqlite:///{tmp_path / 'i18n.db'}"


def _item(client: TestClient, keys: Keys) -> str:
    item = client.post("/v1/emails", json={"text": REQUEST}, headers=keys.h("agent")).json()
    assert item["result"]["status"] == "needs_review"
    assert "missing:rooms" in item["result"]["review_reasons"]
    return str(item["id"])


def test_a_german_browser_gets_the_item_page_in_german(client: TestClient, keys: Keys) -> None:
    item = _item(client, keys)
    html = client.get(f"/review/{item}", headers={**keys.h("reviewer"), **GERMAN}).text
    assert '<html lang="de">' in html
    assert "Bestätigen und weiter" in html and "Keine Hotelanfrage" in html
    assert re.search(r"<th scope=\"row\">.*?</span>Anreise", html, re.S), "field labels"
    # the reason is a German sentence; its code stays in a title and a data attribute
    assert re.search(r'<li data-reason="missing:rooms" title="missing:rooms">'
                     r"In der E-Mail fehlt: Zimmer\.</li>", html)
    assert "Confirm and next" not in html and ">missing:rooms<" not in html


def test_english_is_the_default_and_for_languages_we_lack(client: TestClient,
                                                          keys: Keys) -> None:
    item = _item(client, keys)
    for header in ({}, {"Accept-Language": "fr-FR,fr;q=0.9"}, {"Accept-Language": "*"}):
        html = client.get(f"/review/{item}", headers={**keys.h("reviewer"), **header}).text
        assert '<html lang="en">' in html and "Confirm and next" in html
        assert re.search(r'data-reason="missing:rooms"[^>]*>The email does not give the '
                         r"rooms\.</li>", html)


def test_a_refused_field_is_explained_beside_it_in_german(client: TestClient,
                                                          keys: Keys) -> None:
    item = _item(client, keys)
    html = client.get(f"/review/{item}", headers={**keys.h("reviewer"), **GERMAN}).text
    fields = {**_form_fields(html), "s0.nights": "zwei", "s0.check_out": "", "action": "check"}
    r = client.post(f"/review/{item}", data=fields, headers={**keys.h("reviewer"), **GERMAN})
    assert r.status_code == 422
    assert re.search(r'name="s0\.nights"[^>]*aria-invalid="true" aria-describedby="err-s0\.nights"'
                     r'|aria-invalid="true" aria-describedby="err-s0\.nights"[^>]*name="s0\.nights"',
                     r.text)
    assert '<span class="field-error" id="err-s0.nights">eine ganze Zahl</span>' in r.text
    assert "Aufenthalt 1, Nächte: eine ganze Zahl" in r.text, "the summary names the field"


def test_the_switch_sets_a_cookie_that_wins_over_the_browser(client: TestClient,
                                                             keys: Keys) -> None:
    queue = client.get("/review", headers=keys.h("reviewer")).text
    assert 'href="/review/language/de?next=%2Freview"' in queue, "a switch on the page"
    r = client.get("/review/language/de", params={"next": "/review/items?status=reviewed"},
                   follow_redirects=False)
    assert r.status_code == 303 and r.headers["location"] == "/review/items?status=reviewed"
    assert "stayform_lang=de" in r.headers["set-cookie"]
    # it sticks: later pages are German though the browser asks for English
    page = client.get("/review", headers={**keys.h("reviewer"), "Accept-Language": "en"}).text
    assert '<html lang="de">' in page and "Nächsten Eintrag prüfen" in page
    assert 'id="lang-en"' in page and 'aria-current="true" lang="de">Deutsch' in page
    client.get("/review/language/en", follow_redirects=False)
    page = client.get("/review", headers={**keys.h("reviewer"), **GERMAN}).text
    assert '<html lang="en">' in page and "Review next item" in page


@pytest.mark.parametrize("back", ["https://evil.example/", "//evil.example/review",
                                  "/review/../../x\\@evil", "javascript:alert(1)"])
def test_the_switch_never_sends_the_clerk_to_another_site(client: TestClient, back: str) -> None:
    r = client.get("/review/language/de", params={"next": back}, follow_redirects=False)
    assert r.status_code == 303 and r.headers["location"] == "/review"


def test_an_unknown_language_sets_nothing(client: TestClient) -> None:
    r = client.get("/review/language/xx", follow_redirects=False)
    assert r.status_code == 303 and "set-cookie" not in r.headers


def test_accept_language_is_read_by_its_weights() -> None:
    assert i18n.preferences("en;q=0.3, de-AT , fr;q=0.8, es;q=0") == ["de-AT", "fr", "en"]
    assert i18n.negotiate(cookie=None, accept_language="fr;q=1, de-CH;q=0.5") == "de"
    assert i18n.negotiate(cookie=None, accept_language="q=;;,,") == "en"
    assert i18n.negotiate(cookie="de", accept_language="en") == "de"
    assert i18n.negotiate(cookie="xx", accept_language=None) == "en"


def test_reasons_read_as_sentences_in_both_languages() -> None:
    with i18n.use("de"):
        assert reason("vague:check_in").sentence == "Die E-Mail gibt nur ungefähr an: Anreise."
        assert reason("low_confidence:near").sentence == (
            "Das Modell ist unsicher bei: in der Nähe von.")
        assert reason("defect:truncated").sentence == "Die Nachricht kam abgeschnitten bei uns an."
        assert reason("unusual:nights").sentence == (
            "Der Aufenthalt dauert über drei Wochen: bitte die Daten prüfen.")
        assert validation_message({"type": "less_than_equal", "ctx": {"le": 365}}) == (
            "höchstens 365")
    assert reason("missing:traveler_names").sentence == (
        "The email does not give the traveler names.")
    assert reason("inconsistent:nights").sentence == (
        "The nights does not agree with the other dates.")
    assert reason("something_new:x").sentence == "something_new:x", "an unknown code as itself"


def _extracted() -> set[str]:
    """Every msgid the code marks today, extracted as `make locale` does."""
    with (LOCALE / "babel.cfg").open() as f:
        methods, options = parse_mapping_cfg(f)
    keywords = {"_": None, "gettext": None, "ngettext": (1, 2), "N_": None}
    found: set[str] = set()
    for _file, _line, message, _comments, _context in extract_from_dir(
            str(ROOT / "api"), methods, options, keywords=keywords):
        found.add(message if isinstance(message, str) else message[0])
    return found


def test_every_string_of_the_code_has_a_german_translation() -> None:
    with (LOCALE / "de" / "LC_MESSAGES" / "messages.po").open("rb") as f:
        catalog = read_po(f)
    german = {m.id: m.string for m in catalog if m.id and not m.fuzzy}
    marked = _extracted()
    assert len(marked) > 150, "the extraction found the page's strings"
    untranslated = sorted(m for m in marked if not german.get(m))
    assert not untranslated, f"run `make locale` and translate: {untranslated}"
    assert not [m.id for m in catalog if m.id and not m.string], "no empty msgstr"
    # a translation keeps its %(name)s placeholders (Babel's own checkers)
    assert not [(m.id, errors) for m, errors in catalog.check()]


def test_the_compiled_catalogue_is_the_po_file() -> None:
    folder = LOCALE / "de" / "LC_MESSAGES"
    with (folder / "messages.po").open("rb") as po, (folder / "messages.mo").open("rb") as mo:
        source, compiled = read_po(po), read_mo(mo)
    assert {m.id: m.string for m in source if m.id} == {m.id: m.string for m in compiled if m.id}, \
        "messages.mo is stale: run `make locale`"
