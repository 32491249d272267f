"""Words for the review page: the form's field names, and the review reasons as sentences.

Results carry review reasons as codes (`missing:traveler_names`, `low_confidence:near`,
`vague:check_in`, `defect:truncated`; see extractor/route.py) for scripts and logs; a clerk
reads a sentence in the page's language, and the page keeps the code in a `title` and a data
attribute so that support can still quote it. The strings are marked with `N_` and
translated where they are shown, in the request's language (api/i18n.py).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from api.i18n import N_, gettext

# in English as the page has always written them (the field's name, spaced)
FIELD_LABELS: dict[str, str] = {
    "destination": N_("destination"), "check_in": N_("check in"), "check_out": N_("check out"),
    "nights": N_("nights"), "rooms": N_("rooms"), "guests": N_("guests"),
    "room_type": N_("room type"), "hotel_name": N_("hotel name"), "near": N_("near"),
    "max_price": N_("max price"), "breakfast": N_("breakfast"),
    "traveler_names": N_("traveler names"), "children": N_("children"),
    "intent": N_("intent"), "stay": N_("stay"),
}
# what a reason's kind says about its field (`%(field)s`), one sentence each
SENTENCES: dict[str, str] = {
    "missing": N_("The email does not give the %(field)s."),
    "low_confidence": N_("The model is unsure about the %(field)s."),
    "vague": N_("The email gives the %(field)s only vaguely."),
    "inconsistent": N_("The %(field)s does not agree with the other dates."),
    "unparsed": N_("The %(field)s could not be read as a date."),
    "implausible": N_("The %(field)s found was implausible and was left out."),
}
# an email unlike the mail the model learnt from (extractor/route.py `unusual`), by what
UNUSUAL: dict[str, str] = {
    "nights": N_("The stay is over three weeks long: check the dates."),
    "check_in": N_("The arrival is before the email was sent or over a year ahead: check the "
                   "year."),
    "thread": N_("The thread holds many messages: check which one asks for what."),
}
DEFECTS: dict[str, str] = {
    "truncated": N_("The message was cut off before it reached us."),
    "text_cut": N_("The message is too long: only its beginning was read."),
}
WORDS: dict[str, str] = {  # the values of some inputs and the checklist's flags
    "new_booking": N_("new booking"), "modification": N_("modification"),
    "cancellation": N_("cancellation"), "not_hotel": N_("not a hotel request"),
    "single": N_("single"), "double": N_("double"), "twin": N_("twin"), "suite": N_("suite"),
    "per_night": N_("per night"), "per_stay": N_("per stay"), "yes": N_("yes"), "no": N_("no"),
    "missing": N_("missing"), "low confidence": N_("low confidence"), "vague": N_("vague"),
    "inconsistent": N_("inconsistent"), "unparsed": N_("unparsed"),
    "implausible": N_("implausible"),
    "needs_review": N_("needs review"), "auto_accepted": N_("auto accepted"),
    "reviewed": N_("reviewed"), "error": N_("error"),
}


def field_label(name: str) -> str:
    """A form field's name in the page's language (`check_in`: "check-in", "Anreise")."""
    return gettext(FIELD_LABELS[name]) if name in FIELD_LABELS else name.replace("_", " ")


def word(value: str) -> str:
    """An intent, room type, status or flag in the page's language; unknown ones as written."""
    return gettext(WORDS[value]) if value in WORDS else value.replace("_", " ")


@dataclass(frozen=True)
class Reason:
    """A review reason: its `code` as the result has it, and the `sentence` a clerk reads."""

    code: str
    sentence: str


def reason(code: str) -> Reason:
    """The sentence of one review reason code; a code of an unknown kind is shown as itself.

    A field's code may carry a stay or a position after `@` or `[` (route only ever names
    the field); the sentence is about the field."""
    kind, _, rest = code.partition(":")
    name = rest.split("@")[0].split("[")[0]
    if kind == "defect" and name in DEFECTS:
        return Reason(code, gettext(DEFECTS[name]))
    if kind == "unusual" and name in UNUSUAL:
        return Reason(code, gettext(UNUSUAL[name]))
    if kind in SENTENCES and name:
        return Reason(code, gettext(SENTENCES[kind]) % {"field": field_label(name)})
    return Reason(code, code)


# pydantic's checks of a stay (extractor/form.py) in the clerk's words, by the error's type
LIMITS: dict[str, tuple[str, str]] = {
    "greater_than_equal": (N_("at least %(limit)s"), "ge"),
    "greater_than": (N_("more than %(limit)s"), "gt"),
    "less_than_equal": (N_("at most %(limit)s"), "le"),
    "string_too_long": (N_("at most %(limit)s characters"), "max_length"),
}


def validation_message(error: Mapping[str, Any]) -> str:
    """A pydantic validation error of a form value as the page says it beside the input
    (`less_than_equal` on nights: "at most 365"); others in pydantic's words."""
    kind, context = str(error.get("type", "")), error.get("ctx") or {}
    if kind in LIMITS and LIMITS[kind][1] in context:
        text, key = LIMITS[kind]
        return gettext(text) % {"limit": context[key]}
    if kind == "string_pattern_mismatch":
        return gettext("three capital letters, like EUR")
    return str(error.get("msg", "")).removeprefix("Value error, ")
