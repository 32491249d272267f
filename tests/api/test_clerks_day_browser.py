"""A German clerk's day on the review page, in headless Chromium at 1280×720 and at a narrow
600×900 (issue 18, "Done when"): find an auto-accepted item by its sender in the list and
spot-check it, reopen a rejected item and review it with the keyboard alone, set a field's
evidence by selecting words in the email, lose the item to a second clerk while the session
expires mid-edit, log in again and find the edits kept and the other clerk named.

One walk per width, on one throw-away SQLite service; each step depends on the one before,
so a broken step stops the walk there."""

from __future__ import annotations

import datetime as dt
import email.message
import re
import time
from pathlib import Path
from typing import TYPE_CHECKING
from zoneinfo import ZoneInfo

import httpx
import pytest
from sqlalchemy import update

from api import i18n, store
from api.models import Item, ReviewSession
from extractor.form import FormValues
from tests.api.conftest import REQUEST, SURE
from tests.api.live import (
    launch_chromium,
    log_in_to_review,
    new_key,
    serve_in_thread,
    sqlite_app,
)
from tests.api.test_browser import _chromium
from tests.api.test_evidence_browser import _select

if TYPE_CHECKING:
    from fastapi import FastAPI
    from playwright.sync_api import Page, ViewportSize

    from extractor.pipeline import Extractor

ZONE = "Europe/Berlin"
# the email whose evidence the clerk points at: a landmark the model does not fill in
NEAR = ("Hello, please book a hotel in Munich near Gärtnerplatz from 2026-05-03 to 2026-05-05 "
        "for 2 guests.\nBest, Anna")


def de(message: str, **values: object) -> str:
    """`message` as the German page writes it (the catalogue's own translation)."""
    with i18n.use("de"):
        text = i18n.gettext(message)
    return text % values if values else text


def _eml(sender: str, subject: str, text: str) -> bytes:
    msg = email.message.EmailMessage()
    msg["From"], msg["To"], msg["Subject"] = sender, "desk@hotel.example", subject
    # sent the week before the stays it asks for (an arrival before the email is unusual)
    msg["Date"], msg["Message-ID"] = "Mon, 27 Apr 2026 09:00:00 +0000", f"<{subject.encode().hex()}@mail.example>"
    msg.set_content(text)
    return msg.as_bytes()


def _ingest(base: str, agent: str, sender: str, subject: str, text: str) -> dict[str, str]:
    r = httpx.post(f"{base}/v1/emails", headers={"X-API-Key": agent},
                   files={"email": ("m.eml", _eml(sender, subject, text), "message/rfc822")})
    assert r.status_code == 201, r.text
    return dict(r.json())


def _in_viewport(page: Page, selector: str) -> None:
    """The element is wholly inside the window as it is, without scrolling."""
    box = page.locator(selector).bounding_box()
    size = page.viewport_size
    assert box is not None and size is not None
    assert box["x"] >= 0 and box["y"] >= 0, box
    assert box["x"] + box["width"] <= size["width"] and box["y"] + box["height"] <= size["height"], (
        f"{selector} at {box} is outside the {size} window")


def _tab_to(page: Page, test: str, *, back: bool = False, most: int = 80) -> None:
    """Press Tab (Shift+Tab with `back`) until the focused element passes the JS `test`."""
    for _ in range(most):
        if page.evaluate(f"(el => {test})(document.activeElement)"):
            return
        page.keyboard.press("Shift+Tab" if back else "Tab")
    raise AssertionError(f"no focusable element passes {test} within {most} Tabs")


def _local_hms(until: dt.datetime) -> set[str]:
    """How a lease ending at `until` (read just after the page showed it, and renewed every
    second since) may read in Berlin: HH:MM of the last few seconds' ends."""
    return {(until - dt.timedelta(seconds=s)).astimezone(ZoneInfo(ZONE)).strftime("%H:%M")
            for s in range(0, 16)}


def _expire_sessions(app: FastAPI, key_id: str) -> None:
    # the working day is over for this key's sessions: they expired a second ago
    with app.state.sessions() as session:
        session.execute(update(ReviewSession).where(ReviewSession.key_id == key_id)
                        .values(expires_at=dt.datetime.now(dt.UTC) - dt.timedelta(seconds=1)))
        session.commit()


def _lease(app: FastAPI, item_id: str) -> tuple[str | None, dt.datetime | None]:
    with app.state.sessions() as session:
        item = session.get(Item, item_id)
        assert item is not None
        return item.lease_owner, item.lease_expires_at


@pytest.mark.parametrize("viewport", [{"width": 1280, "height": 720},
                                      {"width": 600, "height": 900}], ids=["1280x720", "narrow"])
def test_a_german_clerks_day_on_the_review_page(tmp_path: Path, extractor: Extractor,
                                                viewport: ViewportSize) -> None:
    from playwright.sync_api import expect, sync_playwright

    executable = _chromium()
    # a short lease, so that a clerk whose session ended loses the item within seconds; no
    # audit sample, so "next" gives only what needs review
    app = sqlite_app(tmp_path / "day.db", extractor, review_lease_seconds=3, audit_share=0.0)
    with serve_in_thread(app) as base:
        agent = new_key(app, "agent")
        rita, bruno = new_key(app, "reviewer", "Rita Prüferin"), new_key(app, "reviewer",
                                                                         "Bruno Zweiter")
        with app.state.sessions() as session:
            rita_key, bruno_key = (store.key_for_token(session, token=t) for t in (rita, bruno))
            assert rita_key is not None and bruno_key is not None
            rita_id, bruno_id = rita_key.id, bruno_key.id
        # yesterday's mail: two auto-accepted bookings, one item rejected by mistake, and one
        # that needs review and names a landmark
        sure = _ingest(base, agent, "Peter Brown <peter.brown@example.com>", "Munich", SURE)
        other = _ingest(base, agent, "Maria Roth <maria@example.org>", "Berlin",
                        SURE.replace("Munich", "Berlin").replace("Peter Brown", "Maria Roth"))
        assert sure["status"] == other["status"] == "auto_accepted"
        wrong = _ingest(base, agent, "Anna Berg <anna@berg.example>", "Zimmer", REQUEST)
        with app.state.sessions() as session:
            store.save_answer(session, item_id=wrong["id"], reviewer_key_id=bruno_id,
                              version=int(wrong["version"]),
                              values=FormValues(intent="not_hotel", stays=[]))
        near = _ingest(base, agent, "Anna Kurz <anna@kurz.example>", "Gärtnerplatz", NEAR)
        assert near["status"] == "needs_review"

        problems: list[str] = []
        with sync_playwright() as p:
            browser = launch_chromium(p, executable)
            clerk = browser.new_context(viewport=viewport, locale="de-DE", timezone_id=ZONE)
            page = clerk.new_page()
            log_in_to_review(page, base, rita, problems)
            expect(page.locator("html")).to_have_attribute("lang", "de")
            expect(page.locator("h1")).to_have_text(de("Review queue"))

            # 1. find the auto-accepted booking by its sender, and spot-check it
            page.click("#all-items")
            page.select_option("#f-status", "auto_accepted")
            page.fill("#f-sender", "peter.brown@example.com")
            page.click("form.filters button[type=submit]")
            rows = page.locator("table.items tbody tr")
            expect(rows).to_have_count(1)
            expect(rows.first).to_contain_text("peter.brown@example.com")
            rows.first.locator("a").click()
            page.wait_for_url(f"{base}/review/{sure['id']}")
            expect(page.locator("#sender")).to_contain_text("peter.brown@example.com")
            expect(page.locator('input[name="s0.destination"]')).to_have_value("Munich")
            expect(page.locator('#email-text mark[data-field="destination"]').first).to_be_visible()
            expect(page.locator("#confirm")).to_contain_text(de("Confirm and next"))
            _in_viewport(page, "#confirm")
            # looked at, nothing to change: handed back
            page.click("#release")
            expect(page.locator("#released")).to_have_text(de("The item is back in the queue."))
            assert _lease(app, sure["id"])[0] is None

            # 2. the rejected request: found in the list, reopened
            page.goto(f"{base}/review/items?status=reviewed")
            row = page.locator("table.items tbody tr", has_text="anna@berg.example")
            expect(row.locator(".rejected")).to_have_text(de("rejected"))
            row.locator("a").click()
            page.wait_for_url(f"{base}/review/{wrong['id']}")
            page.click("#reopen")
            page.wait_for_url(f"{base}/review/{wrong['id']}")
            expect(page.locator("#item")).to_have_attribute("data-status", "needs_review")
            assert _lease(app, wrong["id"])[0] == rita_id, "an opened item is the clerk's"

            # 3. the reopened item, reviewed with the keyboard alone: focus starts on the first
            # flagged field, Enter there saves nothing, Tab and Shift+Tab move, Enter confirms
            focused = page.evaluate("document.activeElement.name")
            assert focused in ("s0.rooms", "s0.traveler_names"), focused
            _tab_to(page, "el.name === 's0.rooms'", back=focused != "s0.rooms")
            page.evaluate("window.notReloaded = true")  # a submitted form would lose it
            page.keyboard.type("1")
            page.keyboard.press("Enter")
            _tab_to(page, "el.name === 's0.destination'", back=True)  # a text field, above
            page.keyboard.press("Enter")
            page.wait_for_timeout(300)
            assert page.evaluate("window.notReloaded === true"), "Enter submitted the form"
            expect(page.locator('input[name="s0.rooms"]')).to_have_value("1")
            _tab_to(page, "el.name === 's0.traveler_names'")
            page.keyboard.type("Anna")
            page.keyboard.press("Shift+Tab")
            assert page.evaluate("document.activeElement.name") != "s0.traveler_names"
            _tab_to(page, "el.id === 'confirm'")
            _in_viewport(page, "#confirm")
            page.keyboard.press("Enter")
            # confirmed: the next item that needs review opens, and it is the clerk's
            page.wait_for_url(f"{base}/review/{near['id']}")
            saved = httpx.get(f"{base}/v1/emails/{wrong['id']}",
                              headers={"X-API-Key": agent}).json()
            assert saved["status"] == "reviewed" and saved["reviewed_by"] == rita_id
            stay = saved["answer"]["stays"][0]
            assert stay["rooms"] == 1 and stay["traveler_names"] == ["Anna"], stay

            # 4. evidence by selection: the landmark the model left out
            _select(page, "Gärtnerplatz")
            page.click('button.set-evidence[data-for="s0.near"]')
            expect(page.locator('input[name="s0.near"]')).to_have_value("Gärtnerplatz")
            expect(page.locator("#ev-s0\\.near")).to_contain_text("“Gärtnerplatz”")
            page.fill('input[name="s0.rooms"]', "2")

            # 5. a second clerk (English browser, German by the switch) sees who has the item
            colleague = browser.new_context(viewport=viewport, locale="en-US", timezone_id=ZONE)
            other_page = colleague.new_page()
            log_in_to_review(other_page, base, bruno, problems)
            other_page.click("#lang-de")
            expect(other_page.locator("html")).to_have_attribute("lang", "de")
            held = other_page.locator("#held-by-others li", has_text="Rita Prüferin")
            expect(held).to_have_count(1)
            shown = held.locator("time").inner_text()
            owner, until = _lease(app, near["id"])
            assert owner == rita_id and until is not None
            assert re.fullmatch(r"\d\d:\d\d", shown), f"a German local time, not {shown!r}"
            assert shown in _local_hms(until), (shown, until)

            # 6. Rita's session ends mid-edit; her lease runs out and Bruno opens the item
            _expire_sessions(app, rita_id)
            expect(page.locator("#live-notice")).to_contain_text(
                de("Your session has ended. Your edits are kept in this tab."), timeout=5000)
            deadline = time.monotonic() + 10
            while (_lease(app, near["id"])[1] or dt.datetime.min.replace(tzinfo=dt.UTC)) \
                    > dt.datetime.now(dt.UTC):
                assert time.monotonic() < deadline, "the lease was not left to run out"
                time.sleep(0.2)
            other_page.goto(f"{base}/review/items?q=G%C3%A4rtnerplatz")
            other_page.locator("table.items tbody tr a").first.click()
            other_page.wait_for_url(f"{base}/review/{near['id']}")
            owner, until = _lease(app, near["id"])
            assert owner == bruno_id and until is not None, "Bruno took the item by opening it"

            # 7. Rita confirms: the login form; logged in again she is back on the item with
            # her edits, told that Bruno holds it and until when; her save is refused by name
            page.keyboard.press("Control+Enter")
            expect(page.locator("#login-form")).to_be_visible()
            page.fill("#key", rita)
            page.click("#login-form button[type=submit]")
            page.wait_for_url(f"{base}/review/{near['id']}")
            expect(page.locator('input[name="s0.near"]')).to_have_value("Gärtnerplatz")
            expect(page.locator('input[name="s0.rooms"]')).to_have_value("2")
            holder = page.locator("#lease-holder")
            expect(holder).to_contain_text("Bruno Zweiter")
            expect(holder.locator("time")).to_have_text(re.compile(r"^\d\d:\d\d$"))
            shown = holder.locator("time").inner_text()
            owner, until = _lease(app, near["id"])
            assert owner == bruno_id and until is not None and shown in _local_hms(until)
            _in_viewport(page, "#confirm")
            page.click("#confirm")
            conflict = page.locator("#conflict")
            expect(conflict).to_contain_text("Bruno Zweiter")
            expect(conflict).to_contain_text(de("Not saved:"))
            expect(page.locator('input[name="s0.near"]')).to_have_value("Gärtnerplatz")
            expect(page.locator('input[name="s0.rooms"]')).to_have_value("2")
            browser.close()
        # the refused post (the session had expired: 403), the lost save (409) and the ended
        # session's renewals (401) are responses with an error status, which Chromium logs
        expected = ("status of 401", "status of 403", "status of 409")
        assert not [m for m in problems if not any(e in m for e in expected)], problems
        got = httpx.get(f"{base}/v1/emails/{near['id']}", headers={"X-API-Key": agent}).json()
        assert got["status"] == "needs_review", "nothing was saved over Bruno's lease"
