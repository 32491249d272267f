"""Evidence editing in a real browser (headless Chromium, 1280×720; issue 18): a clerk selects
words in an email with umlauts, an emoji and CR LF line ends, sets fields' values and evidence
from the selection (by mouse and by keyboard), ticks a value as implied and confirms; the
admin export of the item validates with zero errors and a tiny model trains with it."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

import httpx

from annotations.schema import AnnotatedEmail, write_jsonl
from stayform.cli import main
from tests.api.live import launch_chromium, log_in_to_review, new_key, serve_in_thread, sqlite_app
from tests.api.test_browser import _chromium
from tests.training.test_train import handful
from training.config import load_config
from training.train import train

if TYPE_CHECKING:
    from playwright.sync_api import Page

    from extractor.pipeline import Extractor

# the emoji is one code point but two UTF-16 units, CR LF two code points but one in the DOM:
# in the piece after "Munich", counting the DOM's UTF-16 units puts "Gärtnerplatz" 2 early
# (widened to whole words: "nahe Gärtnerplatz"), dropping the CRs 3 early, counting code
# points but keeping CRs 1 late ("Gärtnerplatz,"); only the server's own count is right
TEXT = ("Grüße aus dem Büro 🙂\r\n\r\nBitte ein Hotel in Munich 🙂\r\n\r\n\r\nnahe "
        "Gärtnerplatz, vom 2026-05-03 bis 2026-05-05.\r\nDanke! Anna Straße")

# select the `length` characters from `start` of `needle`'s first occurrence in the email panel,
# as a drag of the mouse would (a Range over the DOM text, across marks if need be)
_SELECT = """([needle, start, length]) => {
  const panel = document.getElementById("email-text");
  const walker = document.createTreeWalker(panel.querySelector("pre"), NodeFilter.SHOW_TEXT);
  const nodes = []; let all = "";
  while (walker.nextNode()) { nodes.push([walker.currentNode, all.length]); all += walker.currentNode.data; }
  const from = all.indexOf(needle) + start, to = from + length;
  const at = (i) => { for (const [n, s] of nodes) { if (i <= s + n.data.length) return [n, i - s]; } };
  const range = document.createRange();
  range.setStart(...at(from)); range.setEnd(...at(to));
  const sel = window.getSelection(); sel.removeAllRanges(); sel.addRange(range);
}"""


def _select(page: Page, needle: str, start: int = 0, length: int | None = None) -> None:
    page.evaluate(_SELECT, [needle, start, len(needle) if length is None else length])
    page.wait_for_timeout(50)  # selectionchange is dispatched asynchronously


def test_a_clerk_sets_evidence_by_selecting_and_the_item_exports_and_trains(
        tmp_path: Path, extractor: Extractor, tiny_model_dir: Path) -> None:
    from playwright.sync_api import expect, sync_playwright

    executable = _chromium()
    app = sqlite_app(tmp_path / "review.db", extractor)
    with serve_in_thread(app) as base:
        agent, admin = new_key(app, "agent"), new_key(app, "admin")
        reviewer = new_key(app, "reviewer", "Rita Reviewer")
        item_id = httpx.post(f"{base}/v1/emails", json={"text": TEXT, "id": "m1"},
                             headers={"X-API-Key": agent}).json()["id"]
        problems: list[str] = []
        with sync_playwright() as p:
            browser = launch_chromium(p, executable)
            page = browser.new_page(viewport={"width": 1280, "height": 720})
            log_in_to_review(page, base, reviewer, problems)
            page.goto(f"{base}/review/{item_id}")

            # a sloppy drag over the name ("nna Stra"): the whole words become the evidence
            _select(page, "Anna Straße", 1, 7)
            page.click('button.set-evidence[data-for="s0.traveler_names"]')
            expect(page.locator('textarea[name="s0.traveler_names"]')).to_have_value("Anna Straße")
            expect(page.locator("#ev-s0\\.traveler_names")).to_contain_text("“Anna Straße”")
            # typed, not selected: the page searches the text as the clerk types
            near = page.locator('input[name="s0.near"]')
            near.fill("gärtnerplatz")
            expect(page.locator("#ev-s0\\.near")).to_have_text("“Gärtnerplatz” found in the text")
            check_out = page.locator('input[name="s0.check_out"]')
            check_out.fill("2026-05-06")  # a date is never searched: no words say it
            expect(page.locator("#ev-s0\\.check_out")).to_contain_text("Not in the text")
            check_out.fill("2026-05-05")  # as the model read it: its evidence again
            expect(page.locator("#ev-s0\\.check_out")).to_have_text("“2026-05-05”")
            near.fill("")
            # by keyboard: select the square, Tab to the near field's button, Enter
            _select(page, "Gärtnerplatz")
            page.focus('input[name="s0.near"]')
            page.keyboard.press("Tab")
            expect(page.locator('button.set-evidence[data-for="s0.near"]')).to_be_focused()
            page.keyboard.press("Enter")
            expect(page.locator('input[name="s0.near"]')).to_have_value("Gärtnerplatz")
            # the city the model found, pointed at again
            _select(page, "Munich")
            page.click('button.set-evidence[data-for="s0.destination"]')
            # one room, which no words state: typed and ticked implied, with the keyboard
            page.fill('input[name="s0.rooms"]', "1")
            page.focus('input[name="s0.rooms.implied"]')
            page.keyboard.press("Space")
            expect(page.locator('input[name="s0.rooms.implied"]')).to_be_checked()
            page.click("#confirm")
            page.wait_for_url(lambda url: f"/review/{item_id}" not in url)
            browser.close()
        assert problems == []

        r = httpx.get(f"{base}/v1/emails/{item_id}", headers={"X-API-Key": agent}).json()
        assert r["status"] == "reviewed"
        stay = r["result"]["stays"][0]
        name, city, near = TEXT.index("Anna"), TEXT.index("Munich"), TEXT.index("Gärtnerplatz")
        assert stay["traveler_names"]["evidence"] == [{"start": name, "end": name + 11}]
        assert stay["destination"]["evidence"] == [{"start": city, "end": city + 6}]
        assert stay["near"]["evidence"] == [{"start": near, "end": near + 12}]
        assert "rooms" in r["answer"]["stays"][0]["implied"]

        export = httpx.get(f"{base}/v1/export/annotations", headers={"X-API-Key": admin})
        assert export.status_code == 200
    path = tmp_path / "reviewed.jsonl"
    path.write_text(export.text, encoding="utf-8")
    assert main(["annotations", "validate", str(path)]) == 0
    (ann,) = [AnnotatedEmail.model_validate_json(line) for line in export.text.splitlines()]
    assert {("traveler_names", "Anna Straße"), ("near", "Gärtnerplatz"), ("destination", "Munich")} \
        <= {(s.label, s.text) for s in ann.spans}

    # the correction trains: a tiny model with the export among its training emails
    emails = handful(6)
    write_jsonl(tmp_path / "train.jsonl", emails[:4])
    write_jsonl(tmp_path / "dev.jsonl", emails[4:])
    cfg = load_config(base_model=str(tiny_model_dir), train_files=[str(tmp_path / "train.jsonl")],
                      dev_files=[str(tmp_path / "dev.jsonl")], reviewed_files=[str(path)],
                      output_dir=str(tmp_path / "model"), max_length=64, stride=16, epochs=1,
                      batch_size=8, seed=3)
    result = train(cfg, calibrate=False)
    assert result.metrics["training"]["reviewed_emails"] == 1
    assert result.steps > 0
