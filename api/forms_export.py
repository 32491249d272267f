"""Booking forms as a spreadsheet: one row per stay of every auto-accepted and reviewed item
(`stayform export`, `GET /v1/export/forms`).

A row holds what a clerk types into a booking tool: the values to act on (the reviewer's
answer when reviewed, else the model's suggestion, as `ItemPublic.form`), plus the item's
identity (id, the agent's own id, sender, subject) so a row can be traced back.

- CSV is written as UTF-8 with a byte-order mark: Excel opens a BOM-less CSV in the machine's
  ANSI code page and turns "München" into "MÃ¼nchen"; with the BOM it reads UTF-8, and
  Python's csv module (encoding "utf-8-sig"), LibreOffice and pandas read it unchanged.
- Sender and subject come from the outside world: a cell starting with `=`, `+`, `-`, `@`
  would be a formula to a spreadsheet (CSV injection), so in CSV such text gets a leading `'`
  (OWASP's advice). In XLSX every text cell is typed as a string instead, which keeps the
  value exact (openpyxl would otherwise store "=..." as a formula).
- XLSX keeps dates as dates, counts as numbers and breakfast as a boolean, so the sheet sorts
  and filters; `received_at` is in UTC (Excel has no time zones).
- `since` filters on when an item became final: its review for reviewed items, its arrival
  in the service for auto-accepted ones, so an export "since the last export" misses nothing
  a reviewer confirmed late. An item without stays (a reviewed not_hotel) gives no row.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
from collections.abc import Iterable, Iterator
from typing import IO, Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from api.models import Answer, Item, Suggestion
from api.store import StoredItem, suggested_form
from extractor.form import ExtractionResult, FormValues, StayValues

EXPORT_STATUSES: tuple[str, ...] = ("auto_accepted", "reviewed")
COLUMNS: tuple[str, ...] = (
    "item_id", "external_id", "status", "received_at", "sender", "subject", "intent", "stay",
    "destination", "check_in", "check_out", "nights", "rooms", "guests", "children",
    "room_type", "hotel_name", "near", "max_price_amount", "max_price_currency",
    "max_price_per", "breakfast", "traveler_names",
)
# columns whose text comes from the email itself (or a reviewer's typing)
_TEXT_COLUMNS = frozenset({"external_id", "sender", "subject", "destination", "hotel_name",
                           "near", "traveler_names"})
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
MEDIA_TYPES = {"csv": "text/csv; charset=utf-8",
               "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"}


def parse_statuses(value: str | None) -> tuple[str, ...]:
    """The statuses of a comma list (`reviewed,auto_accepted`); all exportable ones for None.
    Raises ValueError naming what is wrong."""
    if value is None or not value.strip():
        return EXPORT_STATUSES
    wanted = tuple(dict.fromkeys(s.strip() for s in value.split(",") if s.strip()))
    wrong = [s for s in wanted if s not in EXPORT_STATUSES]
    if wrong:
        raise ValueError(f"status {', '.join(map(repr, wrong))} cannot be exported; choose "
                         f"from {', '.join(EXPORT_STATUSES)}")
    return wanted


def parse_since(value: str | None) -> dt.datetime | None:
    """An ISO date or date-time (read as UTC without an offset); raises ValueError."""
    if value is None or not value.strip():
        return None
    try:
        parsed = dt.datetime.fromisoformat(value.strip().replace("Z", "+00:00"))
        parsed = parsed if parsed.tzinfo else parsed.replace(tzinfo=dt.UTC)
        return parsed.astimezone(dt.UTC)
    except (ValueError, OverflowError) as e:
        raise ValueError(f"since {value!r} is not an ISO date or date-time "
                         "(e.g. 2026-05-01 or 2026-05-01T08:00:00Z)") from e


def iter_exported(session: Session, *, statuses: Iterable[str] = EXPORT_STATUSES,
                  since: dt.datetime | None = None, batch_size: int = 200
                  ) -> Iterator[StoredItem]:
    """Items of `statuses` that became final at or after `since`, with their suggestion and
    newest answer (if any), in the order they became final."""
    final_at = func.coalesce(Item.reviewed_at, Item.created_at)
    newest = (select(Answer.item_id, func.max(Answer.id).label("answer_id"))
              .group_by(Answer.item_id).subquery())
    query = (select(Item, Suggestion.result, Answer.values)
             .join(Suggestion, Suggestion.item_id == Item.id)
             .outerjoin(newest, newest.c.item_id == Item.id)
             .outerjoin(Answer, Answer.id == newest.c.answer_id)
             .where(Item.status.in_(list(statuses))))
    if since is not None:
        # coalesce takes its arguments' type (UTCDateTime): `since` binds as the columns store
        # time (naive UTC text on SQLite), so the comparison is right on both backends
        query = query.where(final_at >= since)
    rows = session.execute(query.order_by(final_at, Item.id).execution_options(
        yield_per=batch_size))
    for item, result, values in rows:
        yield StoredItem(item=item, result=ExtractionResult.model_validate(result),
                         answer=FormValues.model_validate(values) if values else None)


def _sender(result: ExtractionResult) -> str | None:
    s = result.sender
    if s is None or not (s.name or s.address):
        return None
    if s.name and s.address:
        return f"{s.name} <{s.address}>"
    return s.name or s.address


def rows_of(stored: StoredItem) -> Iterator[dict[str, Any]]:
    """One dict per stay (keys: COLUMNS) with typed values: dates, ints, bools, None."""
    item, result = stored.item, stored.result
    form = stored.answer or suggested_form(result)
    if form is None:
        return
    received = item.received_at.astimezone(dt.UTC).replace(tzinfo=None) \
        if item.received_at else None
    head = {"item_id": item.id, "external_id": item.external_id, "status": item.status,
            "received_at": received, "sender": _sender(result), "subject": result.subject,
            "intent": form.intent}
    for index, stay in enumerate(form.stays):
        yield {**head, "stay": index + 1, **_stay_cells(stay)}


def _stay_cells(stay: StayValues) -> dict[str, Any]:
    price = stay.max_price
    return {
        "destination": stay.destination, "check_in": stay.check_in,
        "check_out": stay.check_out, "nights": stay.nights, "rooms": stay.rooms,
        "guests": stay.guests, "children": stay.children, "room_type": stay.room_type,
        "hotel_name": stay.hotel_name, "near": stay.near,
        "max_price_amount": price.amount if price else None,
        "max_price_currency": price.currency if price else None,
        "max_price_per": price.per if price else None, "breakfast": stay.breakfast,
        "traveler_names": "; ".join(stay.traveler_names) if stay.traveler_names else None,
    }


def _csv_cell(column: str, value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, dt.datetime):
        return value.isoformat(timespec="seconds") + "Z"
    if isinstance(value, dt.date):
        return value.isoformat()
    text = str(value)
    if column in _TEXT_COLUMNS and text.startswith(_FORMULA_START):
        return "'" + text
    return text


def iter_csv(items: Iterable[StoredItem]) -> Iterator[str]:
    """The CSV file in pieces (a BOM, the header, then one line per stay), for streaming."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(COLUMNS)
    yield "\ufeff" + buffer.getvalue()
    for stored in items:
        for row in rows_of(stored):
            buffer.seek(0)
            buffer.truncate()
            writer.writerow([_csv_cell(c, row[c]) for c in COLUMNS])
            yield buffer.getvalue()


def write_xlsx(items: Iterable[StoredItem], out: IO[bytes]) -> None:
    """The XLSX workbook (one sheet "forms", a frozen header row) written to `out`."""
    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell

    book = Workbook(write_only=True)
    sheet = book.create_sheet("forms")
    sheet.freeze_panes = "A2"
    sheet.append(list(COLUMNS))
    for stored in items:
        for row in rows_of(stored):
            cells = []
            for column in COLUMNS:
                cell = WriteOnlyCell(sheet, value=row[column])
                if isinstance(row[column], str):
                    cell.data_type = "s"  # never a formula, whatever the text starts with
                elif isinstance(row[column], dt.date):
                    cell.number_format = "yyyy-mm-dd hh:mm:ss" \
                        if isinstance(row[column], dt.datetime) else "yyyy-mm-dd"
                cells.append(cell)
            sheet.append(cells)
    book.save(out)


def export_bytes(fmt: str, items: Iterable[StoredItem]) -> bytes:
    """The whole file in `fmt` ("csv" or "xlsx") as bytes."""
    if fmt == "csv":
        return "".join(iter_csv(items)).encode("utf-8")
    if fmt == "xlsx":
        out = io.BytesIO()
        write_xlsx(items, out)
        return out.getvalue()
    raise ValueError(f"format {fmt!r} is not csv or xlsx")
