"""The review page's evidence: where in the email each of the reviewer's values stands.

Every value of the form needs words of the email that state it, or a mark that the email
implies it (the sender as the guest, one room for "a single room"), for the reviewed item to
become a training example (`api.export`, E106). Per field and stay, the page posts
`sN.FIELD.ev` (ranges the reviewer selected in the email, `start-end,...` in code points of
the result's `text`) and `sN.FIELD.implied` (the "implied" box); `sN.marks`, set by the page's script, says
an unticked box means "not implied" (a form posted without it, by a browser without the
script, keeps the implied values of `review_form.kept_implied`).

Finding the evidence, in order (`resolve`): a ticked box (or a computed date) is implied; a
selection is the reviewer's; a value kept from the form the page was built from keeps that
form's evidence; anything else is searched in the text (`human_evidence.locate`: names and
places as written, never dates or numbers). The page shows what was found before anything is
saved, and a value with no evidence is flagged, so nothing is located behind the reviewer's
back.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from api import review_form
from api.human_evidence import StayEvidence, locate, tidy
from api.views import reviewed_result
from extractor.form import FIELDS, STAY_FIELDS, Evidence, FormValues

if TYPE_CHECKING:
    from api.store import StoredItem

Cells = review_form.Cells


@dataclass(frozen=True)
class Found:
    """A field's evidence as the page shows and saves it: the ranges, how they were found
    (`selected`, `kept`, `found`, `implied`, `missing`, or "" for an empty field), and the
    words they cover."""

    ranges: tuple[Evidence, ...] = ()
    how: str = ""
    quote: str = ""

    @property
    def ev(self) -> str:
        """The ranges as the page's hidden input holds them: `start-end,...`."""
        return ",".join(f"{r.start}-{r.end}" for r in self.ranges)


def basis_evidence(stored: StoredItem) -> list[StayEvidence]:
    """Per stay of the form the page is built from (the saved answer of a reviewed item,
    else the suggestion), the evidence of each field."""
    result = stored.result
    if stored.answer is not None and stored.item.status == "reviewed":
        result = reviewed_result(result, stored.answer, stored.evidence)
    return [{name: list(stay.field(name).evidence) for name in FIELDS
             if stay.field(name).evidence} for stay in result.stays]


def parse_ranges(raw: str, text: str) -> list[Evidence]:
    """The ranges of a posted `start-end,...`, tidied to whole words of `text`; raises
    ValueError when one is malformed or outside the text."""
    out: list[Evidence] = []
    for part in (p.strip() for p in raw.split(",")):
        if not part:
            continue
        start_s, sep, end_s = part.partition("-")
        if not (sep and start_s.isdigit() and end_s.isdigit()):
            raise ValueError("evidence must be ranges like 12-18")
        start, end = int(start_s), int(end_s)
        if not 0 <= start < end <= len(text):
            raise ValueError(f"evidence {start}-{end} is outside the email text")
        edges = tidy(text, start, end)
        if edges is None:
            raise ValueError("the selected evidence holds no words")
        if Evidence(start=edges[0], end=edges[1]) not in out:
            out.append(Evidence(start=edges[0], end=edges[1]))
    return out


def resolve(stored: StoredItem, stays: list[Cells], basis: FormValues | None,
            errors: dict[str, str] | None = None) -> list[dict[str, Found]]:
    """Per stay, the evidence of each span field (`FIELDS`; children has no span) that holds
    a value. A malformed selection is an error in `errors` (keyed by the field's input), or
    ignored when `errors` is None (rendering a form that is shown back)."""
    text = stored.result.text
    kept = basis_evidence(stored)
    out: list[dict[str, Found]] = []
    for index, cells in enumerate(stays):
        origin = review_form.origin(cells, basis)
        implied = _implied(cells, basis)
        own: dict[str, Found] = {}
        for name in FIELDS:
            value = review_form.typed_value(name, cells)
            if value is None:
                continue
            if name in implied:
                own[name] = Found(how="implied")
                continue
            ranges: list[Evidence] = []
            how = "missing"
            try:
                ranges = parse_ranges(cells.get(f"{name}.ev", ""), text)
            except ValueError as e:
                if errors is not None:
                    errors.setdefault(f"s{index}.{name}", str(e))
            if ranges:
                how = "selected"
            elif (origin is not None and basis is not None
                  and value == getattr(basis.stays[origin], name)
                  and origin < len(kept) and kept[origin].get(name)):
                ranges, how = list(kept[origin][name]), "kept"
            else:
                ranges = locate(name, value, text)
                how = "found" if ranges else "missing"
            own[name] = Found(tuple(ranges), how, " … ".join(text[r.start:r.end] for r in ranges))
        out.append(own)
    return out


def _implied(cells: Cells, basis: FormValues | None) -> set[str]:
    # a computed date, a ticked box; and without the page's script (which sets `marks`), an
    # unticked box cannot be told from a form that had none: then kept implied values stay so
    marked = {n for n in cells.get("derived", "").split(",") if n}
    marked |= {n for n in FIELDS if cells.get(f"{n}.implied") == "1"}
    if cells.get("marks") == "1":
        return marked
    return marked | set(review_form.kept_implied(cells, basis))


def apply(stored: StoredItem, stays: list[Cells], values: FormValues, basis: FormValues | None
          ) -> tuple[FormValues, list[StayEvidence]]:
    """`values` (parsed from `stays`) with each stay's `implied` as the reviewer marked it,
    and the evidence to save with them; raises `review_form.FormErrors` for a selection
    outside the text."""
    errors: dict[str, str] = {}
    found = resolve(stored, stays, basis, errors)
    if errors:
        raise review_form.FormErrors(errors)
    new_stays = []
    evidence: list[StayEvidence] = []
    for stay, own in zip(values.stays, found, strict=True):
        implied = [n for n in STAY_FIELDS if getattr(stay, n) not in (None, [])
                   and (own.get(n, Found()).how == "implied"
                        or (n not in FIELDS and n in stay.implied))]
        new_stays.append(stay.model_copy(update={"implied": implied}))
        evidence.append({n: list(f.ranges) for n, f in own.items() if f.ranges})
    return values.model_copy(update={"stays": new_stays}), evidence

