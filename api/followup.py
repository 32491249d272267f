"""A drafted reply that asks the customer for exactly what the booking still lacks
(`GET /v1/emails/{id}/followup`).

What is missing comes from the result's `missing:<field>` review reasons (extractor/route.py
decides what a clerk needs); a field a reviewer has since filled in for every stay is no
longer asked for. The reply is in the email's language (German for `de`, English otherwise,
`mixed` included, since English is the agency's fallback). The wording is data below: one
phrase per field and language, joined into a single question, so a translator edits words,
not code.
"""

from __future__ import annotations

import re

from pydantic import BaseModel

from api.store import StoredItem
from extractor.form import FormValues

# the order the questions are asked in: where, when, how many, who
ASKABLE: tuple[str, ...] = ("stay", "destination", "check_in", "check_out", "rooms", "guests",
                            "traveler_names")

PHRASES: dict[str, dict[str, str]] = {
    "en": {
        "stay": "where and when you would like to stay",
        "destination": "the city or area you would like to stay in",
        "check_in": "the check-in date",
        "check_out": "the check-out date",
        "rooms": "the number of rooms",
        "guests": "the number of guests",
        "traveler_names": "the guests' full names",
        "traveler_names/1": "the guest's full name",
    },
    "de": {
        "stay": "Reiseziel und Reisedaten",
        "destination": "den gewünschten Ort",
        "check_in": "das Anreisedatum",
        "check_out": "das Abreisedatum",
        "rooms": "die Anzahl der Zimmer",
        "guests": "die Anzahl der Gäste",
        "traveler_names": "die vollständigen Namen der Gäste",
        "traveler_names/1": "den vollständigen Namen des Gastes",
    },
}

TEMPLATES: dict[str, dict[str, str]] = {
    "en": {
        "and": "and",
        "reply": "Re: ",
        "no_subject": "Your hotel request",
        "body": "Hello,\n\nThank you for your hotel request. To book it, could you tell us "
                "{asks}?\n\nKind regards",
    },
    "de": {
        "and": "und",
        "reply": "AW: ",
        "no_subject": "Ihre Hotelanfrage",
        "body": "Guten Tag,\n\nvielen Dank für Ihre Hotelanfrage. Könnten Sie uns für die "
                "Buchung noch {asks} nennen?\n\nMit freundlichen Grüßen",
    },
}

# a subject that is already a reply keeps its prefix rather than growing "Re: AW: Re: ..."
_REPLY_PREFIX = re.compile(r"^\s*(re|aw|antw|sv|wg)\s*:", re.IGNORECASE)


class FollowUp(BaseModel):
    """The drafted reply: its language ("en" or "de"), subject and body."""

    language: str
    subject: str
    body: str
    missing: list[str]


def missing_fields(stored: StoredItem) -> list[str]:
    """The fields to ask for, in `ASKABLE` order: the result's `missing:` reasons, less those
    the reviewer's answer gives for every stay."""
    named = {r.removeprefix("missing:") for r in stored.result.review_reasons
             if r.startswith("missing:")}
    if stored.answer is not None:
        named = {f for f in named if not _answered(stored.answer, f)}
    return [f for f in ASKABLE if f in named]


def _answered(answer: FormValues, field: str) -> bool:
    if field == "stay":
        return bool(answer.stays) or answer.intent != "new_booking"
    if field == "check_out":  # a number of nights gives the departure too
        return bool(answer.stays) and all(
            s.check_out is not None or s.nights is not None for s in answer.stays)
    return bool(answer.stays) and all(getattr(s, field) is not None for s in answer.stays)


def _one_guest(stored: StoredItem) -> bool:
    form = stored.answer
    guests = [s.guests for s in form.stays] if form is not None else \
        [s.guests.value for s in stored.result.stays]
    return bool(guests) and all(g == 1 for g in guests)


def _joined(parts: list[str], word: str) -> str:
    return parts[0] if len(parts) == 1 else f"{', '.join(parts[:-1])} {word} {parts[-1]}"


def draft(stored: StoredItem) -> FollowUp | None:
    """The reply asking for the missing fields; None when nothing is missing."""
    missing = missing_fields(stored)
    if not missing:
        return None
    language = "de" if stored.result.language == "de" else "en"
    words, template = PHRASES[language], TEMPLATES[language]
    asks = [words["traveler_names/1"] if f == "traveler_names" and _one_guest(stored)
            else words[f] for f in missing]
    subject = (stored.result.subject or "").strip()
    if not subject:
        subject = template["reply"] + template["no_subject"]
    elif not _REPLY_PREFIX.match(subject):
        subject = template["reply"] + subject
    body = template["body"].format(asks=_joined(asks, template["and"]))
    return FollowUp(language=language, subject=subject, body=body, missing=missing)
