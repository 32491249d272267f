"""axe-core finds no accessibility violations on the review page's login, queue, list and item
pages (issue 18), in headless Chromium at 1280×720 and at a narrow width.

axe-core is the npm package, installed by `make axe` into build/axe (no network at test
time); the test injects it with Playwright's `add_script_tag` and runs every rule axe enables
by default.
"""

from __future__ import annotations

import email.message
from pathlib import Path
from typing import TYPE_CHECKING, Any

import httpx
import pytest

from tests.api.conftest import REQUEST
from tests.api.live import launch_chromium, log_in_to_review, new_key, serve_in_thread, sqlite_app
from tests.api.test_browser import _chromium
from tests.api.thread import thread_result

if TYPE_CHECKING:
    from playwright.sync_api import Page

    from extractor.pipeline import Extractor

AXE = Path(__file__).resolve().parents[2] / "build" / "axe" / "node_modules" / "axe-core" / \
    "axe.min.js"


def _axe() -> Path:
    if not AXE.exists():
        pytest.fail("axe-core is not installed: run `make axe` (npm install into build/axe)")
    return AXE


def _violations(page: Page) -> list[dict[str, Any]]:
    page.add_script_tag(path=str(_axe()))
    result = page.evaluate("axe.run(document)")
    return [{"id": v["id"], "impact": v["impact"],
             "nodes": [n["target"] for n in v["nodes"]][:5]} for v in result["violations"]]


def _eml() -> bytes:
    msg = email.message.EmailMessage()
    msg["From"], msg["To"] = "Anna Schmidt <anna@example.org>", "desk@agency.example"
    msg["Subject"], msg["Date"] = "Munich in May", "Mon, 20 Apr 2026 09:12:00 +0200"
    msg["Message-ID"] = "<axe@example.org>"
    msg.set_content(REQUEST)
    return msg.as_bytes()


@pytest.mark.parametrize("width", [1280, 600])
def test_axe_finds_no_violations_on_any_review_page(tmp_path: Path, extractor: Extractor,
                                                    width: int) -> None:
    from playwright.sync_api import sync_playwright

    _axe()
    app = sqlite_app(tmp_path / "review.db", extractor)
    with serve_in_thread(app) as base:
        agent, reviewer = new_key(app, "agent"), new_key(app, "reviewer", "Rita Reviewer")
        admin = new_key(app, "admin", "Ada Admin")
        item = httpx.post(f"{base}/v1/emails", files={"email": ("m.eml", _eml(), "message/rfc822")},
                          headers={"X-API-Key": agent}).json()
        from api import store

        with app.state.sessions() as session:
            owner = store.key_for_token(session, token=agent)
            assert owner is not None
            reply = store.enqueue_result(session, result=thread_result(), raw=None,
                                         owner_key_id=owner.id)[0].id
        problems: list[str] = []
        found: dict[str, list[dict[str, Any]]] = {}
        with sync_playwright() as p:
            browser = launch_chromium(p, _chromium())
            # axe is injected as an inline script, which the page's CSP rightly refuses
            context = browser.new_context(viewport={"width": width, "height": 720},
                                          bypass_csp=True)
            page = context.new_page()
            page.goto(f"{base}/review")
            found["login"] = _violations(page)
            # axe does look: an input without a label on the same page is a violation
            page.evaluate("document.querySelector('main').append(document.createElement('input'))")
            assert "label" in {v["id"] for v in _violations(page)}
            page.goto(f"{base}/review")
            log_in_to_review(page, base, reviewer, problems)
            page.wait_for_url(f"{base}/review")
            found["queue"] = _violations(page)
            page.goto(f"{base}/review/items")
            found["list"] = _violations(page)
            for name, item_id in (("item", item["id"]), ("thread", reply)):
                page.goto(f"{base}/review/{item_id}")
                if page.locator("#followup").count():
                    page.click("#followup summary")  # the drafted reply, unfolded
                found[name] = _violations(page)
            # evidence is told apart by more than colour: an underline style of its own and
            # the field's name on hover; focusing a field lights its evidence up
            styles = page.evaluate("""[...document.querySelectorAll('mark[data-field]')].map(
                m => [m.dataset.field, getComputedStyle(m).textDecorationLine,
                      getComputedStyle(m).textDecorationStyle, m.title])""")
            assert styles and all(line == "underline" and field.replace("_", " ") in title
                                  for field, line, _, title in styles)
            assert len({style for _, _, style, _ in styles}) > 1
            page.focus('input[name="s0.check_out"]')
            assert "lit" in (page.get_attribute("mark.f-check_out", "class") or "")
            # a refused form: messages beside the fields
            page.fill('input[name="s0.rooms"]', "0")
            page.click("#confirm")
            page.wait_for_selector("#form-errors")
            found["refused"] = _violations(page)
            # the admin's keys page, in German (the browser's language), before and after a
            # key is created (its secret shown once)
            keys_page = browser.new_context(viewport={"width": width, "height": 720},
                                            bypass_csp=True, locale="de-DE").new_page()
            log_in_to_review(keys_page, base, admin, problems)
            keys_page.wait_for_url(f"{base}/review")
            keys_page.goto(f"{base}/review/keys")
            assert keys_page.get_attribute("html", "lang") == "de"
            found["keys"] = _violations(keys_page)
            keys_page.fill("#k-name", "Nina Agent")
            keys_page.click("#create-key")
            keys_page.wait_for_selector("#new-secret")
            found["key created"] = _violations(keys_page)
            browser.close()
        assert {page: v for page, v in found.items() if v} == {}
        assert not [m for m in problems if "status of 422" not in m], problems
