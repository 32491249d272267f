"""Stays: valued spans -> the stays of the form.

Grouping (`grouping`): with one destination (however often it is named) there is one stay.
Beside a known city, an unknown name the model is not sure of is no destination at all (a
verb, a name, a word of the next line read as a place). With several distinct destinations,
each span joins the stay of the destination mentioned nearest to it in the same clause, else
the nearest one before it, else the first stay. A stay has dates: a city that gets no dates or
nights beside one that does is only mentioned ("beim Kunden in Fürth"), and the spans it drew
join the dated stays. A field stated once for the whole trip (rooms, guests, room type, budget,
breakfast, travellers) is copied into the stays that lack it, as docs/ANNOTATION.md asks of
annotators.

Runs (`runs`): one city's spans hold several stays when its dates run one after another ("vom
11. bis 13. November im Hyatt, vom 13. bis 15. November im 25hours").

Assembly (`assembly`): each stay's values chosen, its dates resolved against the received
date, nights and check-out kept consistent, impossible values dropped with a review reason. A
text's one stay that has no destination takes the only known city its request names ("a lecture
at the University of Edinburgh"), and one without a place to be near the place it names before
asking for a hotel close by ("bei einem Kunden in Nürnberg-Langwasser, also gern dort in der
Nähe"), or by a label ("Venue: SQUARE - Brussels Meeting Centre") where it says only "near
the venue" (`nearby`). A trip's stays are listed by their arrival when each has one, as a clerk
books them, whatever order the email names them in. A budget written without its currency, or
with a dollar sign alone, is in the currency of the stay's city when the amount is a plausible
price there ("max 130" in Berlin; "$250 a night" in Melbourne).
"""

from __future__ import annotations

import datetime as dt

from extractor.form import FormField, Stay
from extractor.layout import Layout
from extractor.stays.assembly import assemble, destination_named_once
from extractor.stays.draft import AssembledStay, StayDraft
from extractor.stays.events import evening_before
from extractor.stays.grouping import group_stays
from extractor.stays.nearby import district_preferred, near_said_before, venue_named
from extractor.stays.reference import weekdays_only
from extractor.stays.runs import assemble_all
from extractor.values.dates import slash_reading
from extractor.values.money import local_price
from extractor.values.valued import Valued

__all__ = ["AssembledStay", "StayDraft", "assemble", "assemble_all", "build_stays",
           "group_stays"]


def on_from(stay: Stay, before: Stay) -> Stay:
    """`stay` as the next stop of a trip: a stop given by its nights alone begins the day the
    stop before it ends ("munich 2 nights from 9 sept then zurich 3 nights")."""
    leaves, nights = before.check_out, stay.nights
    if stay.check_in.value or stay.check_out.value or not nights.value or not leaves.value:
        return stay
    confidence = min(leaves.confidence, nights.confidence)
    return stay.model_copy(update={
        "check_in": FormField(value=leaves.value, confidence=confidence,
                              evidence=leaves.evidence, source="derived"),
        "check_out": FormField(value=leaves.value + dt.timedelta(days=nights.value),
                               confidence=confidence, evidence=leaves.evidence + nights.evidence,
                               source="derived")})


# the longest a trip's stop given by its arrival alone lasts until the next stop's arrival
_STOP_NIGHTS = 14


def until_next(stay: Stay, after: Stay) -> Stay:
    """`stay` as a stop of a trip given by its arrival alone: it ends when the next stop
    begins ("Di 3.11. Dresden / Mi 4.11. Prag": Dresden 3-4 November), within two weeks."""
    arrives, leaves = stay.check_in, after.check_in
    if stay.check_out.value or stay.nights.value or not arrives.value or not leaves.value \
            or not 0 < (leaves.value - arrives.value).days <= _STOP_NIGHTS:
        return stay
    confidence = min(arrives.confidence, leaves.confidence)
    return stay.model_copy(update={
        "check_out": FormField(value=leaves.value, confidence=confidence,
                               evidence=leaves.evidence, source="derived"),
        "nights": FormField(value=(leaves.value - arrives.value).days, confidence=confidence,
                            evidence=arrives.evidence + leaves.evidence, source="derived")})


def build_stays(valued: list[Valued], layout: Layout, *, reference: dt.date, lang: str | None
                ) -> tuple[list[Stay], list[str]]:
    """The stays of one text's valued spans and the review reasons found on the way
    ("vague:check_in", "inconsistent:nights" ...). Slashed dates are read in the order the
    text's unambiguous ones show (`slash_reading`), else month-first in English."""
    stays: list[Stay] = []
    issues: list[str] = []
    if not valued:
        return stays, issues
    lang = slash_reading(layout.text, lang)
    arrived: dt.date | None = None  # the last arrival of the stops before, in the text's order
    for draft in group_stays(valued, layout):
        assembled_stays = assemble_all(draft, layout.text, reference=reference, lang=lang)
        first = assembled_stays[0].stay.check_in.value
        if arrived and first and first < arrived and weekdays_only(draft):
            # a stop dated by weekdays alone, read before the stop before it: read on from it
            assembled_stays = assemble_all(draft, layout.text, reference=max(reference, arrived),
                                           lang=lang)
        for assembled in assembled_stays:
            stays.append(on_from(assembled.stay, stays[-1]) if stays else assembled.stay)
            issues.extend(assembled.issues)
            arrived = stays[-1].check_in.value or arrived
    if len(stays) == 1:
        stay = near_said_before(destination_named_once(evening_before(stays[0], layout), layout),
                                layout)
        stays = [district_preferred(venue_named(stay, layout), layout)]
    elif all(s.check_in.value for s in stays):  # a trip's stops in the order they come
        stays.sort(key=lambda s: s.check_in.value or dt.date.min)
        stays = [until_next(s, after) for s, after in zip(stays, stays[1:], strict=False)] \
            + stays[-1:]
    return [_in_local_currency(s, layout.text) for s in stays], issues


def _in_local_currency(stay: Stay, text: str) -> Stay:
    """`stay` with its budget in its city's currency where the text wrote none, or a dollar
    sign alone (`extractor.values.money.local_price`)."""
    price = stay.max_price.value
    if price is None:
        return stay
    written = " ".join(text[e.start : e.end] for e in stay.max_price.evidence)
    local = local_price(price, written, stay.destination.value)
    if local is price:
        return stay
    return stay.model_copy(update={"max_price": stay.max_price.model_copy(update={"value": local})})
