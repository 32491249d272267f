"""The drafted follow-up on the review page (issue 18 item 4): an item with missing fields
shows the reply `GET /v1/emails/{id}/followup` drafts, with a button that copies it; an item
with nothing missing shows none."""

from __future__ import annotations

import html as htmllib
import re
from pathlib import Path
from typing import TYPE_CHECKING

import httpx
from fastapi.testclient import TestClient

from tests.api.conftest import REQUEST, SURE, Keys
from tests.api.live import launch_chromium, log_in_to_review, new_key, serve_in_thread, sqlite_app
from tests.api.test_browser import _chromium
from tests.api.test_page import _login

if TYPE_CHECKING:
    from extractor.pipeline import Extractor


def test_the_page_shows_the_drafted_reply_for_missing_fields(client: TestClient, keys: Keys
                                                             ) -> None:
    asking = client.post("/v1/emails", json={"text": REQUEST}, headers=keys.h("agent")).json()
    complete = client.post("/v1/emails", json={"text": SURE}, headers=keys.h("agent")).json()
    assert complete["status"] == "auto_accepted"
    drafted = client.get(f"/v1/emails/{asking['id']}/followup", headers=keys.h("agent")).json()
    _login(client, keys.reviewer)
    page = client.get(f"/review/{asking['id']}").text
    body = re.search(r'<textarea id="followup-body"[^>]*>(.*?)</textarea>', page, re.S)
    assert body is not None and htmllib.unescape(body.group(1)) == drafted["body"]
    assert "the number of rooms" in drafted["body"]
    assert f'value="{htmllib.escape(drafted["subject"])}"' in page
    assert '<button type="button" id="copy-followup"' in page
    assert 'id="followup"' not in client.get(f"/review/{complete['id']}").text


def test_the_copy_button_puts_the_reply_on_the_clipboard(tmp_path: Path, extractor: Extractor
                                                         ) -> None:
    from playwright.sync_api import expect, sync_playwright

    app = sqlite_app(tmp_path / "review.db", extractor)
    with serve_in_thread(app) as base:
        agent, reviewer = new_key(app, "agent"), new_key(app, "reviewer")
        item = httpx.post(f"{base}/v1/emails", json={"text": REQUEST},
                          headers={"X-API-Key": agent}).json()
        problems: list[str] = []
        with sync_playwright() as p:
            browser = launch_chromium(p, _chromium())
            context = browser.new_context(viewport={"width": 1280, "height": 720})
            context.grant_permissions(["clipboard-read", "clipboard-write"], origin=base)
            page = context.new_page()
            log_in_to_review(page, base, reviewer, problems)
            page.goto(f"{base}/review/{item['id']}")
            page.click("#followup summary")
            page.click("#copy-followup")
            expect(page.locator("#copy-status")).to_have_text("Copied.")
            copied = page.evaluate("navigator.clipboard.readText()")
            assert copied == page.locator("#followup-body").input_value()
            assert copied.startswith("Hello,") and "the number of rooms" in copied
            browser.close()
        assert not problems, problems
