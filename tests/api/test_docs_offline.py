"""`/docs` and `/redoc` work offline (issue 18): every script, style and icon they reference is
served by the service itself, and Swagger UI renders the operations in a browser that may
reach nothing but loopback."""

from __future__ import annotations

import re
from pathlib import Path
from typing import TYPE_CHECKING
from urllib.parse import urlsplit

import pytest
from fastapi.testclient import TestClient

from tests.api.live import launch_chromium, serve_in_thread, sqlite_app
from tests.api.test_browser import _chromium

if TYPE_CHECKING:
    from playwright.sync_api import Route

    from extractor.pipeline import Extractor


@pytest.fixture
def database_url(tmp_path: Path) -> str:
    return f"sqlite:///{tmp_path / 'docs.db'}"


def _references(html: str) -> list[str]:
    return re.findall(r'(?:src|href)="([^"]+)"', html) + re.findall(r"url: '([^']+)'", html)


@pytest.mark.parametrize("page", ["/docs", "/redoc"])
def test_the_docs_pages_use_no_other_host(client: TestClient, page: str) -> None:
    r = client.get(page)
    assert r.status_code == 200
    refs = _references(r.text)
    assert any(ref.endswith(".js") for ref in refs), "the page loads its script"
    assert "http://" not in r.text and "https://" not in r.text and "//cdn" not in r.text
    for ref in refs:
        parts = urlsplit(ref)
        assert not parts.scheme and not parts.netloc, f"{ref} comes from another host"
        asset = client.get(ref)
        assert asset.status_code == 200 and asset.content, ref
    assert '"validatorUrl": null' in r.text or page == "/redoc", "no validator badge either"


@pytest.mark.parametrize("page", ["/docs", "/redoc"])
def test_the_docs_policy_lets_the_browser_reach_no_other_host(client: TestClient,
                                                              page: str) -> None:
    policy = client.get(page).headers["content-security-policy"]
    assert "http" not in policy and "*" not in policy and "default-src 'self'" in policy


def test_swagger_ui_lists_the_operations_with_no_network(tmp_path: Path,
                                                         extractor: Extractor) -> None:
    from playwright.sync_api import expect, sync_playwright

    app = sqlite_app(tmp_path / "docs.db", extractor)
    outside: list[str] = []

    def only_loopback(route: Route) -> None:
        host = urlsplit(route.request.url).hostname or ""
        if route.request.url.startswith(("data:", "blob:")) or host in ("127.0.0.1", "localhost"):
            route.continue_()
        else:
            outside.append(route.request.url)
            route.abort()

    with serve_in_thread(app) as base, sync_playwright() as p:
        browser = launch_chromium(p, _chromium())
        page = browser.new_page(viewport={"width": 1280, "height": 720})
        page.route("**/*", only_loopback)
        problems: list[str] = []
        page.on("pageerror", lambda e: problems.append(str(e)))
        page.goto(f"{base}/docs")
        expect(page.locator(".opblock-summary-path", has_text="/v1/extract")).to_be_visible(
            timeout=15000)
        assert page.locator(".opblock").count() >= 10, "every operation is listed"
        expect(page.locator(".info .title")).to_contain_text("stayform")
        browser.close()
    assert outside == [] and problems == []
