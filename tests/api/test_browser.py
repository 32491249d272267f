"""The review page in a real browser (headless Chromium through Playwright).

A reviewer logs in, opens the next item, sees the evidence highlighted, corrects a date,
confirms with Ctrl+Enter, and the correction is saved; since no words of the email state the
typed date, the page says so and the export leaves the item out of the training annotations
(tests/api/test_evidence_browser.py selects the words instead, and the item exports). The test keeps a screenshot
of the page at docs/review-page.png. Without Chromium it fails, saying how to install it.
"""

from __future__ import annotations

import shutil
from pathlib import Path
from typing import TYPE_CHECKING

import httpx
import pytest

from tests.api.live import (
    launch_chromium,
    log_in_to_review,
    new_key,
    serve_in_thread,
    sqlite_app,
)

if TYPE_CHECKING:
    from extractor.pipeline import Extractor

CHROMIUM = "/usr/bin/chromium"
SCREENSHOT = Path(__file__).resolve().parents[2] / "docs" / "review-page.png"
# both signed by Anna, whom the test model is unsure of: low_confidence:traveler_names
EMAILS = [
    "Hello,\n\nplease book a single room in Munich from 2026-05-03 to 2026-05-05 for "
    "2 guests, close to the Messe. <b>not bold</b>\n\nBest regards,\nAnna Schmidt",
    "Hi, we need a hotel in Berlin from 2026-06-10 to 2026-06-12, please.\nAnna",
]


def _chromium() -> str:
    path = CHROMIUM if Path(CHROMIUM).exists() else shutil.which("chromium")
    if not path:
        pytest.fail("Chromium is not installed: run `apt-get install chromium` (as root) "
                    "for the browser test; `make test` does it when run as root.")
    return path


def test_a_reviewer_corrects_a_date_in_the_browser(tmp_path: Path, extractor: Extractor
                                                    ) -> None:
    from playwright.sync_api import expect, sync_playwright

    executable = _chromium()
    app = sqlite_app(tmp_path / "review.db", extractor)
    with serve_in_thread(app) as base:
        agent = new_key(app, "agent")
        reviewer = new_key(app, "reviewer", "Rita Reviewer")
        admin = new_key(app, "admin")
        ids = [httpx.post(f"{base}/v1/emails", json={"text": text, "id": f"mail-{n}"},
                          headers={"X-API-Key": agent}).json()["id"]
               for n, text in enumerate(EMAILS)]
        problems: list[str] = []
        with sync_playwright() as p:
            browser = launch_chromium(p, executable)
            page = browser.new_page(viewport={"width": 1400, "height": 900})
            log_in_to_review(page, base, reviewer, problems)
            expect(page.locator("#count-needs_review")).to_have_text("2")
            page.click("#next")
            page.wait_for_url(f"{base}/review/{ids[0]}")

            destination = page.locator("mark.f-destination")
            expect(destination).to_have_text("Munich")
            expect(page.locator("mark.f-check_out")).to_have_text("2026-05-05")
            assert "<b>not bold</b>" in page.locator("#email-text").inner_text()
            check_out = page.locator('input[name="s0.check_out"]')
            expect(check_out).to_have_value("2026-05-05")
            check_out.fill("2026-05-06")
            with page.expect_navigation():  # the form's Check (what Enter does without script)
                page.evaluate("document.getElementById('review-form').requestSubmit("
                              "document.querySelector('button[value=check]'))")
            expect(page.locator("#ev-s0\\.check_out")).to_contain_text("Not in the text")
            check_out = page.locator('input[name="s0.check_out"]')
            expect(check_out).to_have_value("2026-05-06")
            page.screenshot(path=str(SCREENSHOT), full_page=True)

            page.locator('input[name="s0.destination"]').press("Control+Enter")
            page.wait_for_url(f"{base}/review/{ids[1]}")
            expect(page.locator("mark.f-destination")).to_have_text("Berlin")
            browser.close()
        assert not problems, problems  # no script errors, no CSP violations

        saved = httpx.get(f"{base}/v1/emails/{ids[0]}", headers={"X-API-Key": agent}).json()
        stay = saved["answer"]["stays"][0]
        assert stay["check_out"] == "2026-05-06"
        assert stay["room_type"] == "single"  # kept as suggested
        assert stay["near"] is None  # not found, not filled in
        assert {name for name, f in saved["result"]["stays"][0].items() if f["evidence"]} >= {
            "destination", "check_in", "room_type"}
        assert saved["result"]["stays"][0]["check_out"]["evidence"] == []
        export = httpx.get(f"{base}/v1/export/annotations", headers={"X-API-Key": admin})
        assert export.status_code == 200 and export.text == ""
    assert SCREENSHOT.stat().st_size > 10_000
