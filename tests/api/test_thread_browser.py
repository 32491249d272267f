"""A reply to a booking in a real browser (headless Chromium through Playwright): the reviewer
sees the quoted confirmation under its header with its evidence marked, the change the reply
asks for, and which values are implied; adds a child and confirms with Ctrl+Enter."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

import httpx

from api import store
from tests.api.live import (
    launch_chromium,
    log_in_to_review,
    new_key,
    serve_in_thread,
    sqlite_app,
)
from tests.api.test_browser import _chromium
from tests.api.thread import thread_result

if TYPE_CHECKING:
    from extractor.pipeline import Extractor


def test_a_reviewer_reads_a_reply_and_adds_a_child(tmp_path: Path, extractor: Extractor
                                                    ) -> None:
    from playwright.sync_api import expect, sync_playwright

    executable = _chromium()
    app = sqlite_app(tmp_path / "review.db", extractor)
    with serve_in_thread(app) as base:
        agent = new_key(app, "agent")
        reviewer = new_key(app, "reviewer", "Rita Reviewer")
        with app.state.sessions() as session:
            owner = store.key_for_token(session, token=agent)
            assert owner is not None
            item_id = store.enqueue_result(session, result=thread_result(), raw=None,
                                           owner_key_id=owner.id)[0].id
        problems: list[str] = []
        with sync_playwright() as p:
            browser = launch_chromium(p, executable)
            page = browser.new_page(viewport={"width": 1400, "height": 900})
            log_in_to_review(page, base, reviewer, problems)
            page.click("#next")
            page.wait_for_url(f"{base}/review/{item_id}")

            expect(page.locator("#subject")).to_have_text("Re: Your booking in Munich")
            expect(page.locator("#sender")).to_contain_text("anna@example.org")
            quoted = page.locator('.part[data-kind="quoted"]')
            expect(quoted.locator(".part-head")).to_have_text(
                "Quoted — Stay Agency, 2026-04-20 09:12")
            expect(quoted.locator(".part-head")).to_be_visible()
            expect(quoted.locator("mark.f-hotel_name")).to_have_text("Hotel Adler")
            expect(page.locator('.part[data-kind="new"] mark.f-check_out')).to_have_text(
                "2026-05-06")
            expect(page.locator("#changes li").first).to_contain_text(
                "check out: 2026-05-05 → 2026-05-06")
            hotel = page.locator('tr[data-row="hotel_name"] .implied')
            expect(hotel).to_have_text("from the quoted mail")
            expect(hotel).to_be_visible()
            expect(page.locator('tr[data-row="nights"] .implied')).to_have_text("implied")
            expect(page.locator('tr[data-row="check_out"] .implied')).to_have_count(0)

            children = page.locator('input[name="s0.children"]')
            expect(children).to_have_value("1")
            children.fill("2")
            children.press("Control+Enter")
            page.wait_for_url(f"{base}/review?empty=true")
            browser.close()
        assert not problems, problems  # no script errors, no CSP violations

        got = httpx.get(f"{base}/v1/emails/{item_id}", headers={"X-API-Key": agent}).json()
        stay = got["answer"]["stays"][0]
        assert got["status"] == "reviewed" and stay["children"] == 2
        assert stay["traveler_names"] == ["Anna Schmidt"] and "traveler_names" in stay["implied"]
        assert "children" not in stay["implied"]
