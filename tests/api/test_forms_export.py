"""The booking-form spreadsheets (`GET /v1/export/forms`, `stayform export`): one row per stay
of auto-accepted and reviewed items, the reviewer's values where reviewed, files that the csv
module and openpyxl open; bad filters are refused."""

from __future__ import annotations

import csv
import datetime as dt
import io
from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from openpyxl import load_workbook

from api.forms_export import COLUMNS
from stayform import cli
from stayform.settings import get_settings
from tests.api.conftest import REQUEST, SURE, Keys

ANSWER = {"intent": "new_booking", "stays": [{
    "destination": "München", "check_in": "2026-05-03", "check_out": "2026-05-06",
    "guests": 2, "rooms": 1, "breakfast": True, "hotel_name": "=HYPERLINK(\"x\")",
    "max_price": {"amount": 120, "currency": "EUR", "per": "night"},
    "traveler_names": ["Anna Schmidt", "Jörg Müller"]}]}


def _reviewed(client: TestClient, keys: Keys) -> str:
    item = client.post("/v1/emails", json={"text": REQUEST, "id": "crm-4711",
                                                  "received_at": "2026-04-20T09:30:00+02:00"},
                       headers=keys.h("agent")).json()
    v = client.post("/v1/review/claim", headers=keys.h("reviewer")).json()["version"]
    r = client.put(f"/v1/review/{item['id']}", json=ANSWER,
                   headers={**keys.h("reviewer"), "If-Match": str(v)})
    assert r.status_code == 200, r.text
    return str(item["id"])


@pytest.fixture
def items(client: TestClient, keys: Keys) -> dict[str, str]:
    """A reviewed item, an auto-accepted one, and one still waiting for review (not exported)."""
    reviewed = _reviewed(client, keys)
    sure = client.post("/v1/emails", json={"text": SURE}, headers=keys.h("agent")).json()
    assert sure["status"] == "auto_accepted"
    waiting = client.post("/v1/emails", json={"text": REQUEST.replace("Munich", "Berlin")},
                          headers=keys.h("agent2")).json()
    assert waiting["status"] == "needs_review"
    return {"reviewed": reviewed, "sure": sure["id"], "waiting": waiting["id"]}


def _csv_rows(data: bytes) -> list[dict[str, str]]:
    assert data.startswith(b"\xef\xbb\xbf")  # the BOM Excel needs to read UTF-8
    reader = csv.DictReader(io.StringIO(data.decode("utf-8-sig"), newline=""))
    assert tuple(reader.fieldnames or ()) == COLUMNS
    return list(reader)


def test_csv_holds_the_reviewers_values_and_the_auto_accepted_suggestion(
        client: TestClient, keys: Keys, items: dict[str, str]) -> None:
    r = client.get("/v1/export/forms?format=csv", headers=keys.h("admin"))
    assert r.status_code == 200 and r.headers["content-type"].startswith("text/csv")
    assert "stayform-forms.csv" in r.headers["content-disposition"]
    rows = {row["item_id"]: row for row in _csv_rows(r.content)}
    assert set(rows) == {items["reviewed"], items["sure"]}
    mine = rows[items["reviewed"]]
    assert mine["status"] == "reviewed" and mine["external_id"] == "crm-4711"
    assert mine["received_at"] == "2026-04-20T07:30:00Z"
    assert (mine["destination"], mine["check_in"], mine["check_out"]) == \
        ("München", "2026-05-03", "2026-05-06")  # the model said Munich, to 2026-05-05
    assert mine["traveler_names"] == "Anna Schmidt; Jörg Müller"
    assert (mine["guests"], mine["rooms"], mine["breakfast"], mine["stay"]) == \
        ("2", "1", "true", "1")
    assert (mine["max_price_amount"], mine["max_price_currency"], mine["max_price_per"]) == \
        ("120.0", "EUR", "night")
    assert mine["hotel_name"] == "'=HYPERLINK(\"x\")"  # no formula for a spreadsheet to run
    sure = rows[items["sure"]]
    assert sure["status"] == "auto_accepted" and sure["destination"] == "Munich"
    assert sure["traveler_names"] == "Peter Brown" and sure["check_out"] == "2026-05-04"


def test_xlsx_opens_with_openpyxl_and_keeps_types(client: TestClient, keys: Keys,
                                                  items: dict[str, str]) -> None:
    r = client.get("/v1/export/forms", params={"format": "xlsx", "status": "reviewed"},
                   headers=keys.h("admin"))
    assert r.status_code == 200, r.text
    sheet = load_workbook(io.BytesIO(r.content), read_only=True)["forms"]
    header, *rows = [list(row) for row in sheet.iter_rows(values_only=True)]
    assert tuple(header) == COLUMNS
    assert len(rows) == 1
    row = dict(zip(COLUMNS, rows[0], strict=True))
    assert row["item_id"] == items["reviewed"] and row["destination"] == "München"
    assert row["check_out"] == dt.datetime(2026, 5, 6)  # a date cell, not text
    assert row["guests"] == 2 and row["breakfast"] is True
    assert row["traveler_names"] == "Anna Schmidt; Jörg Müller"
    assert row["hotel_name"] == "=HYPERLINK(\"x\")"  # kept exactly, stored as text
    assert row["received_at"] == dt.datetime(2026, 4, 20, 7, 30)  # in UTC


def test_status_and_since_filter_the_rows(client: TestClient, keys: Keys,
                                          items: dict[str, str]) -> None:
    def ids(**params: str) -> set[str]:
        r = client.get("/v1/export/forms", params={"format": "csv", **params},
                       headers=keys.h("admin"))
        assert r.status_code == 200, r.text
        return {row["item_id"] for row in _csv_rows(r.content)}

    assert ids(status="auto_accepted") == {items["sure"]}
    assert ids(status="reviewed,auto_accepted") == {items["reviewed"], items["sure"]}
    assert ids(since="2000-01-01") == {items["reviewed"], items["sure"]}
    tomorrow = (dt.datetime.now(dt.UTC) + dt.timedelta(days=1)).isoformat()
    assert ids(since=tomorrow) == set()


@pytest.mark.parametrize("params", [
    {"format": "pdf"}, {"status": "needs_review"}, {"status": "reviewd"}, {"status": "\x00"},
    {"since": "last week"}, {"since": "9999-12-31T23:59:59-05:00"},  # past year 9999 in UTC
    {"since": "0001-01-01T00:00:00+05:00"}])
def test_bad_filters_are_a_422(client: TestClient, keys: Keys, params: dict[str, str]) -> None:
    r = client.get("/v1/export/forms", params=params, headers=keys.h("admin"))
    assert r.status_code == 422, r.text


def test_only_admins_export_forms(client: TestClient, keys: Keys) -> None:
    for who in ("agent", "reviewer"):
        assert client.get("/v1/export/forms", headers=keys.h(who)).status_code == 403
    assert client.get("/v1/export/forms").status_code == 401


@pytest.fixture
def cli_database(database_url: str, monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    monkeypatch.setenv("STAYFORM_DATABASE_URL", database_url)
    get_settings.cache_clear()
    yield
    get_settings.cache_clear()


def test_the_export_command_writes_csv_and_xlsx(items: dict[str, str], cli_database: None,
                                                tmp_path: Path) -> None:
    out = tmp_path / "forms.csv"
    assert cli.main(["export", "--format", "csv", "--status", "reviewed", "--out", str(out)]) == 0
    (row,) = _csv_rows(out.read_bytes())
    assert row["item_id"] == items["reviewed"] and row["check_out"] == "2026-05-06"
    book = tmp_path / "forms.xlsx"
    assert cli.main(["export", "--format", "xlsx", "--out", str(book)]) == 0
    sheet = load_workbook(book, read_only=True)["forms"]
    assert {r[0] for r in sheet.iter_rows(min_row=2, values_only=True)} == \
        {items["reviewed"], items["sure"]}
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".")] == []


@pytest.mark.parametrize(("args", "starts"), [
    (["--status", "error"], "stayform: error: --status"),
    (["--since", "yesterday"], "stayform: error: --since"),
    (["--out", "/no/such/folder/forms.csv"], "stayform: error: --out")])
def test_the_export_command_refuses_bad_input_in_one_line(
        cli_database: None, client: TestClient, tmp_path: Path,
        capsys: pytest.CaptureFixture[str], args: list[str], starts: str) -> None:
    argv = ["export", "--format", "csv", "--out", str(tmp_path / "f.csv"), *args]
    assert cli.main(argv) == 1
    err = capsys.readouterr().err
    assert err.startswith(starts) and len(err.strip().splitlines()) == 1
    assert not (tmp_path / "f.csv").exists()
