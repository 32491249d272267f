"""Screenshots of the review page for the README: the list of all items, an item in German and
a thread, in headless Chromium at 1280×720, saved as PNG to docs/screenshots/.

    .venv/bin/python bench/screenshots.py [--out docs/screenshots]

The service starts as the browser tests start it (tests/api/live.py): a throw-away SQLite
file, the hand-built keyword model of tests/api/keyword_model.py (no training, no download)
and a uvicorn server on a free loopback port; a few emails from different senders fill the
queue, and the thread is the tests' reply to a quoted booking. Nothing outside loopback is
reached, so the pictures are the same on every machine but for the dates of "received".
"""

from __future__ import annotations

import argparse
import email.message
import sys
import tempfile
from pathlib import Path

import httpx

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))  # the tests' helpers start the service

from api import store  # noqa: E402
from extractor.pipeline import Extractor  # noqa: E402
from tests.api.keyword_model import build_keyword_model  # noqa: E402
from tests.api.live import (  # noqa: E402
    launch_chromium,
    log_in_to_review,
    new_key,
    serve_in_thread,
    sqlite_app,
)
from tests.api.test_browser import _chromium  # noqa: E402
from tests.api.thread import thread_result  # noqa: E402

# (sender, subject, body): one item to review, others the model is sure of
EMAILS = [
    ("Anna Schmidt <anna@example.org>", "Munich in May",
     "Hello, please book a hotel in Munich from 2026-05-03 to 2026-05-05 for 2 guests."
     "\nBest, Anna"),
    ("Peter Brown <peter.brown@example.com>", "Single room Munich",
     "Please book me a single room in Munich 2026-05-03 to 2026-05-04.\nThanks, Peter Brown"),
    ("Jana Novak <jana@example.net>", "Berlin trade fair",
     "Please book me a single room in Berlin 2026-06-10 to 2026-06-12.\nThanks, Jana Novak"),
    ("Lukas Meier <l.meier@example.de>", "Hamburg",
     "Bitte ein Einzelzimmer in Hamburg 2026-07-01 bis 2026-07-03.\nDanke, Lukas Meier"),
]


def _eml(sender: str, subject: str, body: str, n: int) -> bytes:
    msg = email.message.EmailMessage()
    msg["From"], msg["To"], msg["Subject"] = sender, "desk@agency.example", subject
    msg["Date"], msg["Message-ID"] = f"Mon, 20 Apr 2026 09:{10 + n}:00 +0200", f"<shot{n}@x>"
    msg.set_content(body)
    return msg.as_bytes()


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--out", type=Path, default=ROOT / "docs" / "screenshots")
    args = p.parse_args(argv)
    args.out.mkdir(parents=True, exist_ok=True)
    from playwright.sync_api import sync_playwright

    with tempfile.TemporaryDirectory() as tmp:
        extractor = Extractor.load(build_keyword_model(Path(tmp) / "model"))
        app = sqlite_app(Path(tmp) / "review.db", extractor)
        with serve_in_thread(app) as base:
            agent, reviewer = new_key(app, "agent"), new_key(app, "reviewer", "Rita Reviewer")
            ids = [httpx.post(f"{base}/v1/emails", headers={"X-API-Key": agent},
                              files={"email": ("m.eml", _eml(*mail, n), "message/rfc822")}
                              ).json()["id"] for n, mail in enumerate(EMAILS)]
            with app.state.sessions() as session:
                owner = store.key_for_token(session, token=agent)
                assert owner is not None
                reply = store.enqueue_result(session, result=thread_result(), raw=None,
                                             owner_key_id=owner.id)[0].id
            with sync_playwright() as pw:
                browser = launch_chromium(pw, _chromium())
                problems: list[str] = []
                for name, path, locale in (("list", "/review/items", "en-US"),
                                           ("item-de", f"/review/{ids[0]}", "de-DE"),
                                           ("thread", f"/review/{reply}", "en-US")):
                    page = browser.new_context(viewport={"width": 1280, "height": 720}, locale=locale,
                                               timezone_id="Europe/Berlin").new_page()
                    log_in_to_review(page, base, reviewer, problems)
                    page.wait_for_url(f"{base}/review")
                    page.goto(f"{base}{path}")
                    page.wait_for_load_state("networkidle")
                    page.screenshot(path=str(args.out / f"{name}.png"))
                    print(args.out / f"{name}.png")
                browser.close()
    if problems:
        print("\n".join(problems), file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
