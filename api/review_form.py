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

from api import form_dates
from api.i18n import N_, gettext
from api.reason_text import field_label, validation_message, word
from extractor.form import (
    FIELDS,
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
PARTS = {"amount": N_("amount"), "currency": N_("currency"), "per": N_("per")}  # of a budget
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
# per span field: the ranges selected in the email, the "implied" box (api/evidence_form.py)
EVIDENCE_INPUTS = tuple(f"{n}.{part}" for n in FIELDS for part in ("ev", "implied"))


class FormErrors(Exception):
    """The posted form is invalid. `fields` maps an input's name (`s0.check_in`, `intent`;
    `s0` for a stay as a whole) to what is wrong with it, so the page prints each message
    beside its input; `messages` are the same as sentences for the summary above the form."""

    def __init__(self, fields: dict[str, str]) -> None:
        self.fields = fields
        self.messages = [f"{label(name)}: {message}" for name, message in fields.items()]
        super().__init__("; ".join(self.messages))


def label(input_name: str) -> str:
    """A human name of a form input, in the page's language: `s0.max_price.amount` is
    "stay 1, maximum price amount"."""
    stay, _, rest = input_name.partition(".")
    if not (stay[:1] == "s" and stay[1:].isdigit()):
        return field_label(input_name)
    where = gettext("stay %(n)s") % {"n": int(stay[1:]) + 1}
    name, _, part = rest.partition(".")
    what = " ".join([field_label(name), *([gettext(PARTS[part])] if part in PARTS else [])])
    return f"{where}, {what}" if rest else where


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
        cells: Cells = {"origin": str(index), "derived": "", "marks": "",
                        **dict.fromkeys(EVIDENCE_INPUTS, "")}
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
        cells["derived"] = _derived_date(stay)
        for name in FIELDS:  # the implied boxes start ticked as the values were marked
            if name in stay.implied and name != cells["derived"]:
                cells[f"{name}.implied"] = "1"
        out.append(cells)
    return out


def _derived_date(stay: StayValues) -> str:
    # the one of the date triple that the email implies from the other two (nights, mostly)
    for name in ("nights", "check_out", "check_in"):
        others = [n for n in form_dates.TRIPLE if n != name]
        if name in stay.implied and all(getattr(stay, n) is not None for n in others):
            return name
    return ""


def cells_from_post(form: Mapping[str, str]) -> list[Cells]:
    """The stays' input strings of a posted review form (`s0.check_in` ...)."""
    try:
        count = min(max(int(form.get("stays", "0")), 0), MAX_STAYS)
    except ValueError:
        count = 0
    return [{name: str(form.get(f"s{i}.{name}", "")).strip()
             for name in ("origin", "derived", "marks", *INPUTS, *EVIDENCE_INPUTS)}
            for i in range(count)]


def empty_cells() -> Cells:
    """A new, empty stay (of no origin)."""
    return {"origin": "", "derived": "", "marks": "", **dict.fromkeys(EVIDENCE_INPUTS, ""),
            **{name: ("night" if name.endswith(".per") else "") for name in INPUTS}}


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


def typed_value(name: str, cells: Cells) -> object:
    """Field `name`'s value in these cells; None when empty or unreadable (parse says why)."""
    try:
        return _typed(name, _parse_field(name, cells))
    except ValueError:
        return None


def _typed(name: str, value: object) -> object:
    # a parsed price is a dict until StayValues validates it; compare it as the model does
    return Price.model_validate(value) if KINDS[name] == "price" and value else value


def parse(intent: str, stays: list[Cells], basis: FormValues | None = None) -> FormValues:
    """FormValues from the posted intent and cells; raises FormErrors naming every input
    that is wrong.

    The empty third of check-in / check-out / nights is filled from the other two, in the
    cells too (so a re-rendered form shows it) and marked `derived` there; like the implied
    values of `basis` that the reviewer left as they were (see `kept_implied`), it is saved
    as implied: no words of the email state it."""
    errors: dict[str, str] = {}
    if intent not in INTENTS:
        errors["intent"] = gettext("choose one of %(options)s") % {
            "options": ", ".join(word(i) for i in INTENTS)}
    parsed: list[StayValues] = []
    for index, cells in enumerate(stays):
        own: dict[str, str] = {}
        derived = _derive_dates(cells)
        implied = set(kept_implied(cells, basis)) | set(derived)
        data: dict[str, object] = {"implied": [n for n in STAY_FIELDS if n in implied]}
        for name in STAY_FIELDS:
            try:
                data[name] = _parse_field(name, cells)
            except ValueError as e:
                own[_input(index, name)] = str(e)
        wrong = form_dates.disagreement(cells)
        if wrong:
            own.setdefault(f"s{index}.{wrong[0]}", wrong[1])
        if not own:
            try:
                parsed.append(StayValues.model_validate(data))
            except ValidationError as e:
                for err in e.errors():
                    where = _error_input(index, err["loc"])
                    own.setdefault(where, validation_message(err))
        errors.update(own)
    if errors:
        raise FormErrors(errors)
    return FormValues(intent=intent, stays=parsed)  # type: ignore[arg-type]


def _input(index: int, name: str) -> str:
    # the input a field's message stands beside (a budget's: its amount)
    return f"s{index}.{name}.amount" if KINDS[name] == "price" else f"s{index}.{name}"


def _error_input(index: int, loc: tuple[int | str, ...]) -> str:
    # the input a validation error's location points at: a field, a budget's part, the stay
    name = f"s{index}." + ".".join(str(part) for part in loc[:2])
    if name.removeprefix(f"s{index}.") in INPUTS:
        return name
    return _input(index, str(loc[0])) if loc and loc[0] in KINDS else f"s{index}"


def _derive_dates(cells: Cells) -> list[str]:
    """Fill the stay's empty date input if the other two give it, and keep `derived` naming
    the input filled so; a value marked derived follows the other two when they change."""
    marked = [n for n in cells.get("derived", "").split(",") if n in form_dates.TRIPLE][:1]
    if marked and all(cells.get(n) for n in form_dates.TRIPLE if n != marked[0]):
        cells[marked[0]] = ""
    filled = form_dates.derive(cells)
    if filled:
        marked = [filled]
    complete = all(cells.get(n) for n in form_dates.TRIPLE)
    if not complete or form_dates.disagreement(cells):
        marked = []
    cells["derived"] = ",".join(marked)
    return marked


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
            raise ValueError(gettext("a whole number"))
        return int(raw)
    if kind == "date":
        try:
            return dt.date.fromisoformat(raw)
        except ValueError:
            raise ValueError(gettext("a date YYYY-MM-DD")) from None
    if kind == "breakfast":
        return {"yes": True, "no": False}.get(raw)
    if kind == "names":
        return [line.strip() for line in raw.splitlines() if line.strip()] or None
    return raw


def _positive(raw: str) -> float:
    try:
        value = float(raw.replace(",", "."))
    except ValueError:
        raise ValueError(gettext("an amount like 150 or 99.50")) from None
    if value <= 0:
        raise ValueError(gettext("an amount above zero"))
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
        return word("yes") if value else word("no")
    if isinstance(value, list):
        return ", ".join(shown(v) for v in value) or "—"
    if isinstance(value, Price):
        value = value.model_dump()
    if isinstance(value, dict) and "amount" in value:
        amount = value["amount"]
        number = _number(amount) if isinstance(amount, int | float) else str(amount)
        return " ".join(str(p) for p in (number, value.get("currency"),
                                         word(f"per_{value.get('per') or 'night'}")) if p)
    if isinstance(value, dt.date):
        return value.isoformat()
    return str(value)
