"""Validation of annotated emails: the coded checks of docs/ANNOTATION.md.

Reading and checking are separate steps. `parse_line` turns one JSONL line (an annotation, or a
hand-written *source* line with inline `markup`) into a `Located` email or an E100 problem;
`check_email` runs the per-email checks (E101-E107, E109, E110); `validate` adds the corpus
checks (E108 duplicate ids, W201 from `annotations.consistency`) over everything validated
together.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from pydantic import ValidationError
from pydantic_core import to_jsonable_python

from annotations.consistency import find_inconsistencies
from annotations.markup import parse_markup
from annotations.schema import AnnotatedEmail, Span
from extractor.form import FIELDS, STAY_FIELDS


@dataclass(frozen=True)
class Problem:
    """One finding: `code` (E1xx error, W2xx warning), the email `id` and its 1-based `line`
    (None where unknown), a readable `message`, and the `file` it came from (None in memory)."""

    code: str
    id: str | None
    line: int | None
    message: str
    file: str | None = None

    @property
    def is_error(self) -> bool:
        return self.code.startswith("E")

    def format(self) -> str:
        """`FILE:LINE id CODE message`, the CLI's line for this problem."""
        where = f"{self.file or '-'}:{self.line if self.line is not None else '-'}"
        return f"{where} {self.id or '-'} {self.code} {self.message}"


@dataclass(frozen=True)
class Located:
    """An annotated email with where it was read from (file and 1-based line, None in memory)."""

    email: AnnotatedEmail
    file: str | None = None
    line: int | None = None

    def problem(self, code: str, message: str) -> Problem:
        return Problem(code, self.email.id, self.line, message, self.file)


def annotation_from_dict(data: dict[str, Any]) -> AnnotatedEmail:
    """An `AnnotatedEmail` from a parsed JSON object: an annotation line, or a hand-written
    source line whose `markup` replaces `text` and `spans` (origin defaults to handwritten).
    Raises pydantic's ValidationError, `MarkupError` or ValueError."""
    if "markup" in data:
        if "text" in data or "spans" in data:
            raise ValueError("a source line has either markup or text and spans, not both")
        data = dict(data)
        markup = data.pop("markup")
        if not isinstance(markup, str):
            raise ValueError("markup must be a string")
        text, spans = parse_markup(markup)
        data["text"] = text
        data["spans"] = [s.model_dump() for s in spans]
        data.setdefault("origin", "handwritten")
    return AnnotatedEmail.model_validate(data)


def parse_line(line: str, *, lineno: int | None = None, file: str | None = None
               ) -> Located | Problem:
    """One JSONL line as a `Located` email, or an E100 `Problem` saying why it is unreadable."""
    data: Any = None
    try:
        data = json.loads(line)
        if not isinstance(data, dict):
            raise ValueError("a line must hold a JSON object")
        email = annotation_from_dict(data)
    except ValidationError as e:
        first = e.errors()[0]
        where = ".".join(str(p) for p in first["loc"]) or "line"
        more = f" (+{e.error_count() - 1} more)" if e.error_count() > 1 else ""
        message = f"schema error at {where}: {first['msg']}{more}"
    except ValueError as e:  # also json.JSONDecodeError and MarkupError
        message = f"unreadable line: {e}"
    else:
        return Located(email, file, lineno)
    ident = data.get("id") if isinstance(data, dict) else None
    return Problem("E100", ident if isinstance(ident, str) else None, lineno, message, file)


def read_file(path: str | Path, *, name: str | None = None
              ) -> tuple[list[Located], list[Problem]]:
    """The readable emails of a JSONL file and an E100 problem per unreadable line, located in
    `name` (default: the path as given). Raises OSError / UnicodeDecodeError when the file
    itself cannot be read."""
    located: list[Located] = []
    problems: list[Problem] = []
    with open(path, encoding="utf-8") as f:
        for lineno, line in enumerate(f, start=1):
            if not line.strip():
                continue
            item = parse_line(line, lineno=lineno, file=name or str(path))
            if isinstance(item, Located):
                located.append(item)
            else:
                problems.append(item)
    return located, problems


def _span_problems(loc: Located) -> list[Problem]:
    text = loc.email.text
    n = len(text)
    out: list[Problem] = []
    valid: list[Span] = []
    for s in loc.email.spans:
        tag = f"span [{s.start},{s.end}) {s.label}"
        if s.label not in FIELDS:
            out.append(loc.problem("E103", f"{tag}: unknown label {s.label!r}"))
        if s.start < 0 or s.end > n or s.start >= s.end:
            out.append(loc.problem("E102", f"{tag}: outside the text (length {n}) or empty"))
            continue
        valid.append(s)
        covered = text[s.start : s.end]
        if s.start > 0 and text[s.start - 1].isalnum() and text[s.start].isalnum():
            out.append(loc.problem("E101", f"{tag}: starts inside the word "
                                           f"{_word_at(text, s.start)!r}"))
        if s.end < n and text[s.end - 1].isalnum() and text[s.end].isalnum():
            out.append(loc.problem("E101", f"{tag}: ends inside the word "
                                           f"{_word_at(text, s.end - 1)!r}"))
        if covered != covered.strip():
            # Whitespace at an edge puts the boundary between tokens, not on one.
            out.append(loc.problem("E101", f"{tag}: starts or ends with whitespace"))
        if s.text is not None and s.text != covered:
            out.append(loc.problem("E104", f"{tag}: text {s.text!r} but the text there "
                                           f"is {covered!r}"))
    # Each span against the one reaching furthest before it: that also catches a span nested
    # behind a long one, not only neighbours.
    widest: Span | None = None
    for s in sorted(valid, key=lambda s: (s.start, -s.end)):
        if widest is not None and s.start < widest.end:
            out.append(loc.problem("E105", f"span [{widest.start},{widest.end}) {widest.label} "
                                           f"overlaps [{s.start},{s.end}) {s.label}"))
        if widest is None or s.end > widest.end:
            widest = s
    return out


def _word_at(text: str, i: int) -> str:
    start, end = i, i + 1
    while start > 0 and text[start - 1].isalnum():
        start -= 1
    while end < len(text) and text[end].isalnum():
        end += 1
    return text[start:end]


def _form_problems(loc: Located) -> list[Problem]:
    form = loc.email.form
    out: list[Problem] = []
    if form.intent == "not_hotel" and form.stays:
        out.append(loc.problem("E109", f"intent not_hotel with {len(form.stays)} stay(s)"))
    if form.intent in ("new_booking", "modification") and not form.stays:
        out.append(loc.problem("E109", f"intent {form.intent} with no stays"))
    labels = {s.label for s in loc.email.spans}
    for i, stay in enumerate(form.stays):
        # An implied value is a value too: naming a field whose value is null says the email
        # implies something the form does not hold, one of the two is wrong.
        for name in STAY_FIELDS:
            if name in stay.implied and getattr(stay, name) in (None, []):
                out.append(loc.problem("E110", f"stays[{i}].{name} is listed in implied but "
                                               "its value is null"))
        # Span labels only: `children` has none, it is read from the guests' words.
        for name in FIELDS:
            value = getattr(stay, name)
            if value is None or value == [] or name in labels or name in stay.implied:
                continue
            # Derived values need no span of their own (ANNOTATION.md, "nights").
            if name == "nights" and stay.check_in and stay.check_out:
                continue
            if name == "check_out" and stay.check_in and stay.nights is not None:
                continue
            out.append(loc.problem("E106", f"stays[{i}].{name} = {_show(value)} but no "
                                           f"{name} span in the email"))
        if stay.check_in and stay.check_out and stay.nights is not None:
            days = (stay.check_out - stay.check_in).days
            if days != stay.nights:
                out.append(loc.problem("E107", f"stays[{i}].nights = {stay.nights} but "
                                               f"{stay.check_in} to {stay.check_out} is {days}"))
    return out


def _show(value: object) -> str:
    return json.dumps(to_jsonable_python(value), ensure_ascii=False)


def check_email(loc: Located | AnnotatedEmail) -> list[Problem]:
    """The per-email problems of one email: E101-E107, E109 and E110."""
    if isinstance(loc, AnnotatedEmail):
        loc = Located(loc)
    return _span_problems(loc) + _form_problems(loc)


def duplicate_ids(located: Sequence[Located]) -> list[Problem]:
    """E108 for every email whose id was already seen earlier among `located`."""
    first: dict[str, Located] = {}
    out: list[Problem] = []
    for loc in located:
        seen = first.setdefault(loc.email.id, loc)
        if seen is not loc:
            out.append(loc.problem("E108", f"duplicate id, first at {seen.file or '-'}:"
                                           f"{seen.line if seen.line is not None else '-'}"))
    return out


def validate(items: Iterable[Located | AnnotatedEmail | str], *, file: str | None = None,
             consistency: bool = True) -> list[Problem]:
    """All problems of `items` validated together: JSONL lines (numbered from 1 in the order
    given; blank ones skipped), `AnnotatedEmail`s or `Located` emails. E100 for unreadable
    lines, per-email checks, E108 duplicate ids, and W201 consistency warnings unless
    `consistency` is False. Problems come in input order, corpus warnings last."""
    located: list[Located] = []
    problems: list[Problem] = []
    for i, item in enumerate(items, start=1):
        if isinstance(item, str):
            if not item.strip():
                continue
            parsed = parse_line(item, lineno=i, file=file)
            if isinstance(parsed, Problem):
                problems.append(parsed)
                continue
            item = parsed
        elif isinstance(item, AnnotatedEmail):
            item = Located(item, file, i)
        located.append(item)
        problems.extend(check_email(item))
    problems.extend(duplicate_ids(located))
    if consistency:
        for found in find_inconsistencies([loc.email for loc in located]):
            problems.append(located[found.index].problem("W201", found.message))
    return problems


def validate_files(paths: Sequence[str | Path]) -> tuple[list[Located], list[Problem]]:
    """Read and validate `paths` together (ids and consistency across all of them); returns the
    readable emails and the problems, sorted by file and line. Raises OSError or
    UnicodeDecodeError for a file that cannot be read at all."""
    located: list[Located] = []
    problems: list[Problem] = []
    for path in paths:
        got, bad = read_file(path)
        located.extend(got)
        problems.extend(bad)
    problems.extend(validate(located))
    order = {str(p): i for i, p in enumerate(paths)}
    problems.sort(key=lambda p: (order.get(p.file or "", len(order)), p.line or 0, p.code))
    return located, problems
