"""A real uvicorn server for an app, in a thread, on a free loopback port; the app on a throw-away
SQLite file, its keys, and the headless Chromium that browser tests drive."""

from __future__ import annotations

import socket
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Any

import uvicorn
from fastapi import FastAPI

from api import store
from api.app import create_app
from stayform.settings import Settings

if TYPE_CHECKING:
    from playwright.sync_api import Browser, Page, Playwright

# Debian's Chromium, headless, as the browser tests run it (never a downloaded browser)
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking"]


def sqlite_app(db: Path, extractor: Any, **settings: Any) -> FastAPI:
    """The service on the SQLite file `db` with `extractor`: no model folder, no bootstrap key,
    and any other `settings` given."""
    return create_app(Settings(database_url=f"sqlite:///{db}", admin_key=None,
                               model_dir=db.parent / "none", **settings), extractor=extractor)


def new_key(app: FastAPI, role: str, name: str | None = None) -> str:
    """A new API key of `role` in the started `app`'s database; returns its token."""
    with app.state.sessions() as session:
        return store.create_key(session, name=name or role, role=role)[1]


def launch_chromium(p: Playwright, executable: str) -> Browser:
    return p.chromium.launch(executable_path=executable, args=CHROMIUM_ARGS)


def log_in_to_review(page: Page, base: str, key: str, problems: list[str]) -> None:
    """Collect `page`'s console errors and uncaught exceptions into `problems`, open the review
    page at `base` and log in with `key`."""
    page.on("console", lambda m: problems.append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda e: problems.append(str(e)))
    page.goto(f"{base}/review")
    page.fill("#key", key)
    page.click("#login-form button[type=submit]")


@contextmanager
def serve_in_thread(app: FastAPI) -> Iterator[str]:
    """Run `app` until the block ends; yields its base URL (http://127.0.0.1:PORT)."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning",
                                           access_log=False))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 30
    while not server.started:
        if not thread.is_alive() or time.monotonic() > deadline:
            raise RuntimeError("the test server did not start")
        time.sleep(0.02)
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        server.should_exit = True
        thread.join(timeout=10)
