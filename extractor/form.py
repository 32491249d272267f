"""The hotel request form: the one contract between extractor, API, annotations and training.

`FIELDS` is the single list of the fields written in the text. The same names are the span
labels of the annotations and, as BIO tags, the labels of the token classifier;
`tests/extractor/test_form.py` fails if anything drifts from it. `STAY_FIELDS` is every field
of a stay: `FIELDS` and `children`, a count read from the guests' words ("2 Erwachsene und ein
Kind": guests 2, children 1), never a span label of its own.
"""

from __future__ import annotations

import datetime as dt
from typing import Any, Generic, Literal, TypeVar

from pydantic import BaseModel, ConfigDict, Field, field_serializer, model_validator

# Order matters only for display: the review page and the tables list fields in this order.
FIELDS: tuple[str, ...] = (
    "destination",
    "check_in",
    "check_out",
    "nights",
    "rooms",
    "guests",
    "room_type",
    "hotel_name",
    "near",
    "max_price",
    "breakfast",
    "traveler_names",
)
STAY_FIELDS: tuple[str, ...] = (*FIELDS, "children")
REQUIRED_FIELDS: tuple[str, ...] = ("destination", "check_in")
# check_out or nights is required too: either one fixes the length of the stay.

# What a cancellation's stay holds (CONVENTIONS.md): what identifies the booking (the place,
# the dates, the hotel, who stays and how many rooms), nothing else: no wishes, no guests.
CANCELLATION_FIELDS: frozenset[str] = frozenset(
    {"destination", "check_in", "check_out", "nights", "hotel_name", "traveler_names", "rooms"})

INTENTS: tuple[str, ...] = ("new_booking", "modification", "cancellation", "not_hotel")
Intent = Literal["new_booking", "modification", "cancellation", "not_hotel"]
Status = Literal["auto_accepted", "needs_review", "reviewed", "error"]
# derived: implied by the email (the sender as the guest, one room for one person) or computed
# from other values (nights from the dates); history: carried over from a quoted or forwarded
# message
Source = Literal["model", "rules", "derived", "history", "human"]
SegmentKind = Literal["new", "quoted", "forwarded"]
RoomType = Literal["single", "double", "twin", "suite"]
ROOM_TYPES: tuple[str, ...] = ("single", "double", "twin", "suite")

T = TypeVar("T")


class Evidence(BaseModel):
    """A half-open character range `[start, end)` of the result's `text`."""

    model_config = ConfigDict(extra="forbid", frozen=True)
    start: int = Field(ge=0)
    end: int = Field(ge=0)

    @model_validator(mode="after")
    def _ordered(self) -> Evidence:
        if self.end < self.start:
            raise ValueError("evidence end before start")
        return self


class Price(BaseModel):
    """A budget: `amount` in `currency` (ISO 4217, or null when the email names none) per night or stay."""

    model_config = ConfigDict(extra="forbid", frozen=True)
    amount: float = Field(gt=0)
    currency: str | None = Field(default=None, pattern=r"^[A-Z]{3}$")
    per: Literal["night", "stay"] = "night"

    @field_serializer("amount")
    def _whole_amounts_as_int(self, amount: float) -> float | int:
        return int(amount) if float(amount).is_integer() else amount


class FormField(BaseModel, Generic[T]):
    """One filled form field: its value (null when the email does not state it), a calibrated
    confidence that the value is right, the text it came from, and who produced it."""

    model_config = ConfigDict(extra="forbid")
    value: T | None = None
    confidence: float = Field(default=0.0, ge=0.0, le=1.0)
    evidence: list[Evidence] = Field(default_factory=list)
    source: Source = "model"


class StayValues(BaseModel):
    """The plain values of one stay: what a reviewer sends and what an annotation expects."""

    model_config = ConfigDict(extra="forbid")
    destination: str | None = None
    check_in: dt.date | None = None
    check_out: dt.date | None = None
    nights: int | None = Field(default=None, ge=0, le=365)
    rooms: int | None = Field(default=None, ge=1, le=500)
    guests: int | None = Field(default=None, ge=1, le=1000)
    room_type: RoomType | None = None
    hotel_name: str | None = None
    near: str | None = None
    max_price: Price | None = None
    breakfast: bool | None = None
    traveler_names: list[str] | None = None
    children: int | None = Field(default=None, ge=0, le=100)
    # the fields whose value the email implies rather than writes (the sender as the guest, one
    # room for one person, a value carried over from the quoted booking): no span states them
    implied: list[str] = Field(default_factory=list)

    @model_validator(mode="after")
    def _dates_ordered(self) -> StayValues:
        if self.check_in and self.check_out and self.check_out < self.check_in:
            raise ValueError("check_out before check_in")
        unknown = sorted(set(self.implied) - set(STAY_FIELDS))
        if unknown:
            raise ValueError(f"implied names unknown fields: {', '.join(unknown)}")
        return self


class Stay(BaseModel):
    """One stay of the form; every field key is always present (the form is a checklist)."""

    model_config = ConfigDict(extra="forbid")
    destination: FormField[str] = Field(default_factory=FormField[str])
    check_in: FormField[dt.date] = Field(default_factory=FormField[dt.date])
    check_out: FormField[dt.date] = Field(default_factory=FormField[dt.date])
    nights: FormField[int] = Field(default_factory=FormField[int])
    rooms: FormField[int] = Field(default_factory=FormField[int])
    guests: FormField[int] = Field(default_factory=FormField[int])
    room_type: FormField[RoomType] = Field(default_factory=FormField[RoomType])
    hotel_name: FormField[str] = Field(default_factory=FormField[str])
    near: FormField[str] = Field(default_factory=FormField[str])
    max_price: FormField[Price] = Field(default_factory=FormField[Price])
    breakfast: FormField[bool] = Field(default_factory=FormField[bool])
    traveler_names: FormField[list[str]] = Field(default_factory=FormField[list[str]])
    children: FormField[int] = Field(default_factory=FormField[int])

    def field(self, name: str) -> FormField[Any]:
        """The form field called `name` (one of `STAY_FIELDS`)."""
        return getattr(self, name)

    def values(self) -> StayValues:
        """The plain values of this stay, without confidence and evidence."""
        implied = [name for name in STAY_FIELDS if self.field(name).value is not None
                   and self.field(name).source in ("derived", "history")]
        return StayValues.model_validate(
            {**{name: self.field(name).value for name in STAY_FIELDS}, "implied": implied},
            from_attributes=False)

    @classmethod
    def from_values(cls, values: StayValues, *, source: Source = "human") -> Stay:
        """A stay whose every field holds `values`, fully confident, from `source`."""
        data = {
            name: {"value": getattr(values, name), "confidence": 1.0,
                   "source": "derived" if name in values.implied and source != "human" else source}
            for name in STAY_FIELDS
        }
        return cls.model_validate(data)


class ErrorInfo(BaseModel):
    model_config = ConfigDict(extra="forbid")
    code: str
    message: str


class Sender(BaseModel):
    """Who sent an email, from its From header: the display name and the address (either may
    be missing)."""

    model_config = ConfigDict(extra="forbid")
    name: str | None = Field(default=None, max_length=200)
    address: str | None = Field(default=None, max_length=320)


class Segment(BaseModel):
    """One part of a thread's `text`, `[start, end)`: the sender's own words (`new`), a quoted
    earlier message (`quoted`) or a forwarded original (`forwarded`), with its date and author
    where the thread gives them."""

    model_config = ConfigDict(extra="forbid", frozen=True)
    start: int = Field(ge=0)
    end: int = Field(ge=0)
    kind: SegmentKind
    sent_at: dt.datetime | None = None
    author: str | None = Field(default=None, max_length=400)


class Change(BaseModel):
    """What a modification changes in the booking it replies to: `stay` (an index into
    `stays`), the field, its value in the quoted booking and its value after the change."""

    model_config = ConfigDict(extra="forbid")
    stay: int = Field(ge=0)
    field: str
    old: Any = None
    new: Any = None


class ExtractionResult(BaseModel):
    """The result JSON of CONTRACT.md, one per message."""

    model_config = ConfigDict(extra="forbid")
    id: str
    received_at: dt.datetime | None = None
    language: str | None = None
    intent: Intent | None = None
    intent_confidence: float = Field(default=0.0, ge=0.0, le=1.0)
    status: Status
    review_reasons: list[str] = Field(default_factory=list)
    subject: str | None = None
    sender: Sender | None = None  # None for text input
    text: str = ""
    segments: list[Segment] = Field(default_factory=list)
    stays: list[Stay] = Field(default_factory=list)
    changes: list[Change] = Field(default_factory=list)
    warnings: list[str] = Field(default_factory=list)
    error: ErrorInfo | None = None

    @model_validator(mode="after")
    def _evidence_inside_text(self) -> ExtractionResult:
        n = len(self.text)
        for stay in self.stays:
            for name in STAY_FIELDS:
                for ev in stay.field(name).evidence:
                    if ev.end > n:
                        raise ValueError(f"evidence of {name} ends at {ev.end}, text has {n}")
        return self

    @classmethod
    def failed(cls, *, id: str, code: str, message: str, received_at: dt.datetime | None = None
               ) -> ExtractionResult:
        """The `error` record for a message that could not be processed."""
        return cls(id=id, status="error", received_at=received_at,
                   error=ErrorInfo(code=code, message=message))


class FormValues(BaseModel):
    """Intent plus plain stay values: a reviewer's answer, or an annotation's expected form."""

    model_config = ConfigDict(extra="forbid")
    intent: Intent
    stays: list[StayValues] = Field(default_factory=list, max_length=20)
