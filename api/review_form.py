"""The review page's form: values to input strings and back, and the checklist's order.

A form round-trips through "cells", one dict of input strings per stay, keyed by the input's
name (`check_in`, `max_price.amount` ...). The page renders cells; a POST is read back into
cells (so a refused form shows exactly what was typed) and parsed into `FormValues`, whose
pydantic validation is the same as the API's.

A value the email implies rather than writes (source `derived` or `history`: no span states
it) is tagged on the page, and stays `implied` in the saved answer while the reviewer leaves
it as it was; a value the reviewer changes is theirs. Each stay's cells carry `origin`, the
index of the stay of the form the page was built from (the suggestion, or the saved answer),
so that adding or removing stays does not mix up whose values were implied.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass, field

from pydantic import ValidationError

from extractor.form import (
    INTENTS,
    STAY_FIELDS,
    ExtractionResult,
    FormValues,
    Price,
    StayValues,
)
from extractor.route import BOOKING_NEEDS

Cells = dict[str, str]
MAX_STAYS = 20
KINDS: dict[str, str] = {
    "destination": "text", "check_in": "date", "check_out": "date", "nights": "number",
    "rooms": "number", "guests": "number", "room_type": "room_type", "hotel_name": "text",
    "near": "text", "max_price": "price", "breakfast": "breakfast", "traveler_names": "names",
    "children": "number",
}
INPUTS: tuple[str, ...] = tuple(
    n for name in STAY_FIELDS for n in (
        (f"{name}.amount", f"{name}.currency", f"{name}.per") if KINDS[name] == "price"
        else (name,)))


class FormErrors(Exception):
    """The posted form is invalid; `messages` say where, for the reviewer."""

    def __init__(self, messages: list[str]) -> None:
        super().__init__("; ".join(messages))
        self.messages = messages


@dataclass
class Row:
    """One line of the checklist: a field across all stays, with why it is flagged."""

    name: str
    kind: str
    flags: list[str] = field(default_factory=list)
    confidences: list[float | None] = field(default_factory=list)
    # per stay: None, or why no span states the value ("derived": the email implies it,
    # "history": carried over from the quoted or forwarded message)
    implied: list[str | None] = field(default_factory=list)


def cells_from_values(values: FormValues | None) -> list[Cells]:
    """Input strings for each stay of `values` (no stays for None)."""
    out: list[Cells] = []
    for index, stay in enumerate(values.stays if values else []):
        cells: Cells = {"origin": str(index)}
        for name in STAY_FIELDS:
            value = getattr(stay, name)
            if KINDS[name] == "price":
                cells[f"{name}.amount"] = _number(value.amount) if value else ""
                cells[f"{name}.currency"] = (value.currency or "") if value else ""
                cells[f"{name}.per"] = value.per if value else "night"
            elif KINDS[name] == "breakfast":
                cells[name] = "" if value is None else ("yes" if value else "no")
            elif KINDS[name] == "names":
                cells[name] = "\n".join(value or [])
            elif isinstance(value, dt.date):
                cells[name] = value.isoformat()
            else:
                cells[name] = "" if value is None else str(value)
        out.append(cells)
    return out


def cells_from_post(form: Mapping[str, str]) -> list[Cells]:
    """The stays' input strings of a posted review form (`s0.check_in` ...)."""
    try:
        count = min(max(int(form.get("stays", "0")), 0), MAX_STAYS)
    except ValueError:
        count = 0
    return [{name: str(form.get(f"s{i}.{name}", "")).strip() for name in ("origin", *INPUTS)}
            for i in range(count)]


def empty_cells() -> Cells:
    """A new, empty stay (of no origin)."""
    return {"origin": "", **{name: ("night" if name.endswith(".per") else "") for name in INPUTS}}


def origin(cells: Cells, basis: FormValues | None) -> int | None:
    """The index of the stay of `basis` these cells were built from; None for a new stay."""
    raw = cells.get("origin", "")
    if not raw.isdigit() or basis is None or int(raw) >= len(basis.stays):
        return None
    return int(raw)


def kept_implied(cells: Cells, basis: FormValues | None) -> list[str]:
    """The fields of these cells that hold, unchanged, a value their origin stay marked as
    implied: the values that stay implied when the form is saved."""
    index = origin(cells, basis)
    if index is None or basis is None:
        return []
    before = basis.stays[index]
    kept: list[str] = []
    for name in before.implied:
        try:
            value = _typed(name, _parse_field(name, cells))
        except ValueError:
            continue
        if value is not None and value == getattr(before, name, None):
            kept.append(name)
    return kept


def _typed(name: str, value: object) -> object:
    # a parsed price is a dict until StayValues validates it; compare it as the model does
    return Price.model_validate(value) if KINDS[name] == "price" and value else value


def parse(intent: str, stays: list[Cells], basis: FormValues | None = None) -> FormValues:
    """FormValues from the posted intent and cells; raises FormErrors listing every problem.

    `basis` is the form the page was built from: its implied values that the reviewer left
    as they were stay implied (see `kept_implied`)."""
    errors: list[str] = []
    if intent not in INTENTS:
        errors.append(f"intent: choose one of {', '.join(INTENTS)}")
    parsed: list[StayValues] = []
    for number, cells in enumerate(stays, start=1):
        data: dict[str, object] = {"implied": kept_implied(cells, basis)}
        for name in STAY_FIELDS:
            try:
                data[name] = _parse_field(name, cells)
            except ValueError as e:
                errors.append(f"stay {number}, {name.replace('_', ' ')}: {e}")
        try:
            parsed.append(StayValues.model_validate(data))
        except ValidationError as e:
            errors += [f"stay {number}: {err['msg']}" for err in e.errors()]
    if errors:
        raise FormErrors(errors)
    return FormValues(intent=intent, stays=parsed)  # type: ignore[arg-type]


def _parse_field(name: str, cells: Cells) -> object:
    kind = KINDS[name]
    if kind == "price":
        amount = cells.get(f"{name}.amount", "")
        if not amount:
            return None
        currency = cells.get(f"{name}.currency", "").upper() or None
        return {"amount": _positive(amount), "currency": currency,
                "per": cells.get(f"{name}.per") or "night"}
    raw = cells.get(name, "")
    if not raw:
        return None
    if kind == "number":
        if not raw.isdigit():
            raise ValueError("a whole number")
        return int(raw)
    if kind == "date":
        try:
            return dt.date.fromisoformat(raw)
        except ValueError:
            raise ValueError("a date YYYY-MM-DD") from None
    if kind == "breakfast":
        return {"yes": True, "no": False}.get(raw)
    if kind == "names":
        return [line.strip() for line in raw.splitlines() if line.strip()] or None
    return raw


def _positive(raw: str) -> float:
    try:
        value = float(raw.replace(",", "."))
    except ValueError:
        raise ValueError("an amount like 150 or 99.50") from None
    if value <= 0:
        raise ValueError("an amount above zero")
    return value


def _number(value: float) -> str:
    return str(int(value)) if float(value).is_integer() else str(value)


def checklist(result: ExtractionResult, stays: list[Cells], basis: FormValues | None = None,
              *, intent: str | None = None) -> list[Row]:
    """The form's rows, flagged ones first: required fields left empty in some stay
    (destination, check_in, check_out-or-nights; for a new booking, as `intent` or else the
    result says, also what a clerk books with: rooms, guests, traveller names, as routing
    asks) and fields the extractor doubted. Each row says, per stay, whether its value is
    implied (see `kept_implied`) and why."""
    booking = (intent or result.intent) == "new_booking"
    doubted = {reason.split(":", 1)[1].split("@")[0].split("[")[0]: reason.split(":", 1)[0]
               for reason in result.review_reasons if ":" in reason}
    implied = [kept_implied(cells, basis) for cells in stays]
    rows: list[Row] = []
    for name in STAY_FIELDS:
        row = Row(name=name, kind=KINDS[name])
        for index, cells in enumerate(stays):
            suggested = result.stays[index] if index < len(result.stays) else None
            row.confidences.append(suggested.field(name).confidence if suggested else None)
            row.implied.append(_why_implied(result, origin(cells, basis), name)
                               if name in implied[index] else None)
            if _missing(name, cells, booking=booking) and "missing" not in row.flags:
                row.flags.append("missing")
        if name in doubted and doubted[name] != "missing":
            row.flags.append(doubted[name].replace("_", " "))
        rows.append(row)
    return sorted(rows, key=lambda r: not r.flags)  # stable: form order within each group


def _why_implied(result: ExtractionResult, index: int | None, name: str) -> str:
    source = (result.stays[index].field(name).source
              if index is not None and index < len(result.stays) else None)
    return "history" if source == "history" else "derived"


def _missing(name: str, cells: Cells, *, booking: bool) -> bool:
    if name in ("destination", "check_in"):
        return not cells.get(name)
    if name in ("check_out", "nights"):
        return not cells.get("check_out") and not cells.get("nights")
    if name in BOOKING_NEEDS:
        return booking and not cells.get(name)
    return False


def shown(value: object) -> str:
    """A form value as the page prints it outside an input (a change's old and new value):
    null as a dash, yes/no, names joined, a budget as "150 EUR per night"."""
    if value is None:
        return "—"
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, list):
        return ", ".join(shown(v) for v in value) or "—"
    if isinstance(value, Price):
        value = value.model_dump()
    if isinstance(value, dict) and "amount" in value:
        amount = value["amount"]
        number = _number(amount) if isinstance(amount, int | float) else str(amount)
        return " ".join(str(p) for p in (number, value.get("currency"),
                                         f"per {value.get('per') or 'night'}") if p)
    if isinstance(value, dt.date):
        return value.isoformat()
    return str(value)
