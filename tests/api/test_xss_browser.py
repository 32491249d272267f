"""XSS payloads in the email text, the subject and an HTML body, opened in headless Chromium.

Every payload would set `window.__xss` and call `alert` if it ran. Each item's review page is
loaded in a real browser: no dialog may open, `window.__xss` must stay undefined, no element
of the payload may exist in the DOM (it is shown as text), the browser reports no error (a
CSP violation is one) and the Content-Security-Policy header is on the page.
"""

from __future__ import annotations

import email.message
import html
from typing import TYPE_CHECKING

import httpx
from playwright.sync_api import Dialog, sync_playwright

from api.security import CSP
from tests.api.live import (
    launch_chromium,
    log_in_to_review,
    new_key,
    serve_in_thread,
    sqlite_app,
)
from tests.api.test_browser import _chromium

if TYPE_CHECKING:
    from extractor.pipeline import Extractor

RUN = "window.__xss=1;alert(1)"
PAYLOADS = [
    f'<svg onload="{RUN}">',
    f'<svg/onload={RUN}>',
    f'<img src=x onerror="{RUN}">',
    f'<a href="javascript:{RUN}">open</a>',
    f'<noscript><p title="</noscript><img src=x onerror={RUN}>">',
    f'<math><mtext><table><mglyph><style><img src=x onerror={RUN}>',
    '<style>body{background:url(javascript:window.__xss=1)}</style>',
    f'"><script>{RUN}</script>',
    "'><iframe srcdoc=\"<script>parent.__xss=1;alert(1)</script>\"></iframe>",
    f'<details open ontoggle="{RUN}">',
]
INJECTED = "script, svg, img, iframe, style, noscript, math, details, a[href^='javascript']"


def _eml(n: int, payload: str) -> bytes:
    msg = email.message.EmailMessage()
    msg["From"], msg["To"] = "anna@example.org", "desk@example.org"
    msg["Subject"], msg["Message-ID"] = payload, f"<xss-{n}@example.org>"
    # the payload escaped (it becomes text to show), then raw (the reader drops the markup;
    # an unclosed <style> or <noscript> swallows what follows it, so it comes last)
    msg.set_content(f"<html><body><p>Munich 2026-05-03 to 2026-05-05 for 2 guests</p>"
                    f"<p>{html.escape(payload)}</p>{payload}</body></html>", subtype="html")
    return msg.as_bytes()


def test_no_payload_runs_on_the_review_page(tmp_path, extractor: Extractor) -> None:  # type: ignore[no-untyped-def]
    executable = _chromium()
    app = sqlite_app(tmp_path / "xss.db", extractor)  # the real reader, HTML parts included
    with serve_in_thread(app) as base:
        agent = new_key(app, "agent")
        reviewer = new_key(app, "reviewer", "Rita")
        headers = {"X-API-Key": agent}
        items: list[tuple[str, str, str | None]] = []  # (id, payload, subject)
        for n, payload in enumerate(PAYLOADS):
            r = httpx.post(f"{base}/v1/emails", headers=headers, json={
                "id": f"text-{n}", "text": f"Hotel in Munich 2026-05-03 {payload} 2 guests"})
            assert r.status_code == 201, r.text
            items.append((r.json()["id"], payload, None))
            r = httpx.post(f"{base}/v1/emails", headers=headers,
                           files={"email": ("m.eml", _eml(n, payload), "message/rfc822")})
            assert r.status_code == 201, r.text
            assert r.json()["result"]["subject"] == payload
            assert payload in r.json()["result"]["text"]
            items.append((r.json()["id"], payload, payload))

        dialogs: list[str] = []
        problems: list[str] = []
        with sync_playwright() as p:
            browser = launch_chromium(p, executable)
            page = browser.new_page()

            def on_dialog(dialog: Dialog) -> None:
                dialogs.append(dialog.message)
                dialog.dismiss()

            page.on("dialog", on_dialog)
            log_in_to_review(page, base, reviewer, problems)
            page.wait_for_selector("#count-needs_review")

            for item_id, payload, subject in items:
                response = page.goto(f"{base}/review/{item_id}", wait_until="load")
                assert response is not None and response.status == 200
                assert response.headers["content-security-policy"] == CSP
                page.wait_for_timeout(50)  # let any onload/onerror handler fire
                assert page.evaluate("typeof window.__xss") == "undefined", payload
                assert payload in page.locator("#email-text").inner_text(), payload
                assert page.locator(f"#email-text :is({INJECTED})").count() == 0, payload
                if subject is not None:
                    heading = page.locator("h1").first
                    assert heading.inner_text() == subject
                    assert heading.locator(f":is({INJECTED})").count() == 0, payload
            assert page.locator("body").evaluate("b => getComputedStyle(b).backgroundImage"
                                                 ) == "none"
            browser.close()
        assert dialogs == [], dialogs
        assert problems == [], problems  # no script error, no CSP violation reported
