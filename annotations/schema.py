"""The annotation format: one annotated email per JSONL line.

An annotated email holds the text exactly as the extractor sees it, labelled character spans
(labels are the form's `FIELDS`), and the expected form (intent plus plain stay values) that a
careful person fills in from it. `docs/ANNOTATION.md` is the guideline.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

from extractor.form import FormValues

Origin = Literal["generated", "handwritten", "review"]


class Span(BaseModel):
    """A labelled half-open character range `[start, end)` of the email text."""

    model_config = ConfigDict(extra="forbid")
    start: int
    end: int
    label: str  # checked against FIELDS by validation (E103), not here, so errors carry codes
    text: str | None = None  # the covered text, for people reading the file; checked (E104)


class AnnotatedEmail(BaseModel):
    model_config = ConfigDict(extra="forbid")
    id: str = Field(min_length=1)
    text: str
    received_at: dt.datetime | None = None
    language: Literal["en", "de", "mixed"] | None = None
    origin: Origin
    spans: list[Span] = Field(default_factory=list)
    form: FormValues
    # free-form provenance: generator template, annotator, review item id ...
    meta: dict[str, str | int | float | bool | None] = Field(default_factory=dict)


def read_jsonl(path: str | Path) -> Iterator[AnnotatedEmail]:
    """Annotated emails of a JSONL file, in file order (raises pydantic's ValidationError)."""
    with open(path, encoding="utf-8") as f:
        for line in f:
            if line.strip():
                yield AnnotatedEmail.model_validate_json(line)


def write_jsonl(path: str | Path, emails: Iterable[AnnotatedEmail]) -> int:
    """Write `emails` to `path`, one per line; returns how many."""
    n = 0
    with open(path, "w", encoding="utf-8") as f:
        for email in emails:
            f.write(email.model_dump_json(exclude_none=False) + "\n")
            n += 1
    return n


def json_schema() -> str:
    """The JSON Schema of one annotation line."""
    return json.dumps(AnnotatedEmail.model_json_schema(), indent=2, sort_keys=True)
