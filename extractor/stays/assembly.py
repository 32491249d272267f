"""One stay from its draft: values chosen, dates resolved, nights and check-out consistent."""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

from pydantic import ValidationError

from extractor.form import FIELDS, Evidence, FormField, Stay
from extractor.layout import Layout
from extractor.lexicon import alternation, lexicon
from extractor.signature import legal_footer_line
from extractor.stays.draft import AssembledStay, StayDraft
from extractor.stays.kinds import all_kinds, mixed, per_room
from extractor.stays.reference import dated_instead, month_said_before, with_week
from extractor.values.counts import normalize_children
from extractor.values.dates import (
    DateParse,
    last_night_listed,
    parse_date,
    parse_date_pair,
    parse_range,
)
from extractor.values.journey import passed_through, stranded_in
from extractor.values.money import currency_of
from extractor.values.people import distinct_people
from extractor.values.places import (
    airport_in,
    is_known_city,
    known_cities_in,
    normalize_destination,
)
from extractor.values.valued import Valued, source_of
from extractor.values.venues import names_no_place

_JOINED = re.compile(rf"\s+(?:{alternation(lexicon().names.joiners)})\s+", re.IGNORECASE)
_NIGHT_OF = re.compile(r"\b(?:night|nacht)\s+(?:of|vom|von|zum|auf)\s+(?:the\s+|den\s+)?$",
                       re.IGNORECASE)
_FOR_BEFORE = re.compile(r"\b(?:for|für)\s+(?:the\s+)?$", re.IGNORECASE)
_NIGHT_AFTER = re.compile(r"\s*(?:night|nacht)\b(?!s)", re.IGNORECASE)  # "[tomorrow] night"
_TITLED = re.compile(rf"(?<!\w)(?:{alternation(lexicon().people.titles)})\.?\s+$", re.IGNORECASE)
# a departure's or arrival's cue word right before a date ("Abreise am", "check-out:")
_CUES = {field: re.compile(rf"(?<!\w){alternation(getattr(lexicon().cues, field))}"
                           rf"(?!\w)[\s:,-]*(?:{alternation(lexicon().cues.before_date)}\s+)?$", re.IGNORECASE)
         for field in ("check_in", "check_out")}
# a day said roughly: "around new year's eve", "über Silvester", "so um den 10."
_ROUGHLY = re.compile(r"(?<!\w)(?:around|about|roughly|circa|ca\.|über|ueber|um|gegen|rund um)"
                      r"(?:\s+(?:the|den|dem))?\s+$", re.IGNORECASE)


def assemble(draft: StayDraft, text: str, *, reference: dt.date, lang: str | None
             ) -> AssembledStay:
    """One stay from its draft: values chosen, dates resolved, nights/check-out derived."""
    fields: dict[str, FormField[Any]] = {}
    for name in FIELDS:
        items = draft.spans.get(name, [])
        if name == "traveler_names":
            fields[name] = _travellers(items, text)
        elif name == "max_price":
            # an amount with its currency over a bare number ("stand 212 ... max 130 EUR")
            priced = [i for i in items if i.value is not None
                      and currency_of(text[i.span.start : i.span.end])]
            fields[name] = _field(items, priced[0].value if priced else None)
        elif name == "room_type" and mixed(items, draft.spans.get("rooms", []), text):
            # CONVENTIONS: a booking that mixes room kinds ("2 twins + 1 single") has none,
            # and its rooms are all of them
            fields[name] = FormField(value=None)
            fields["rooms"] = all_kinds(draft.spans.get("rooms", []), items, fields["rooms"], text)
        elif name == "near":
            # a place by its name over one by whose it is ("client's office ... Victoria Island")
            named = [i for i in items if i.value is not None and not names_no_place(i.value)]
            fields[name] = _field(items, named[0].value if named else None)
        elif name == "destination":
            # a known city over another name read as the destination ("Iceland", "Reykjavik")
            known = [i for i in items if i.value is not None and is_known_city(i.value)]
            fields[name] = _field(items, known[0].value if known else None)
        elif name not in ("check_in", "check_out"):
            fields[name] = _field(items)
    fields["children"] = _children(draft.spans.get("guests", []), text)
    fields["guests"] = per_room(fields["guests"], draft.spans.get("guests", []), fields["rooms"],
                                text)
    check_in, check_out, issues = _dates(draft, text, reference, lang)
    nights = fields["nights"]
    if check_in.value and check_out.value:
        if check_out.value <= check_in.value:
            issues.append("inconsistent:check_out")
        else:
            derived = (check_out.value - check_in.value).days
            if nights.value is not None and nights.value != derived:
                issues.append("inconsistent:nights")
            elif nights.value is None:
                nights = FormField(value=derived, evidence=[], source="derived",
                                   confidence=min(check_in.confidence, check_out.confidence))
    elif check_in.value and nights.value:
        check_out = FormField(value=check_in.value + dt.timedelta(days=nights.value),
                              evidence=[], source="derived",
                              confidence=min(check_in.confidence, nights.confidence))
    elif check_out.value and nights.value:
        check_in = FormField(value=check_out.value - dt.timedelta(days=nights.value),
                             evidence=[], source="derived",
                             confidence=min(check_out.confidence, nights.confidence))
    fields.update(check_in=check_in, check_out=check_out, nights=nights)
    if fields["destination"].value is None or not is_known_city(fields["destination"].value):
        # none read, or a district or country: the known city of its hotel or place to be near
        inside = _destination_inside(fields, draft, text)
        fields["destination"] = inside if inside.value is not None else fields["destination"]
    hotel = fields["hotel_name"].value
    if hotel and normalize_destination(hotel) == fields["destination"].value:
        fields["hotel_name"] = FormField(value=None)  # the city again ("CDMX"): no hotel
    if check_out.value and check_in.value and check_out.value < check_in.value:
        fields["check_out"] = FormField(value=None)  # never emit an impossible form
    stay = Stay.model_validate({k: f.model_dump() for k, f in fields.items()})
    issues += _drop_implausible(stay)
    return AssembledStay(stay=stay, issues=issues)


def _field(items: list[Valued], value: Any = None) -> FormField[Any]:
    """A form field from the spans that state `value` (default: the first one that normalized)."""
    good = [i for i in items if i.value is not None]
    if not good:
        return FormField(value=None, confidence=0.0, evidence=[], source="model")
    if value is None:
        value = good[0].value
    support = [i for i in good if i.value == value] or good[:1]
    return FormField(value=value, confidence=max(i.span.confidence for i in support),
                     evidence=[Evidence(start=i.span.start, end=i.span.end) for i in support],
                     source=source_of(support))


def _children(items: list[Valued], text: str) -> FormField[Any]:
    """The children the guests' words count ("2 Erwachsene + 1 Kind": 1), read from the same
    spans as guests (a span that counts only children has no guests value, and still counts
    here)."""
    for item in items:
        n = normalize_children(text[item.span.start : item.span.end])
        if n is not None:
            return FormField(value=n, confidence=item.span.confidence,
                             evidence=[Evidence(start=item.span.start, end=item.span.end)],
                             source=source_of([item]))
    return FormField(value=None)


def _travellers(items: list[Valued], text: str) -> FormField[Any]:
    good = [i for i in items if i.value]
    values = [_sharing_surname(i, good[k + 1], text) if k + 1 < len(good) else i.value
              for k, i in enumerate(good)]
    return FormField(value=distinct_people(values) or None,
                     confidence=min((i.span.confidence for i in good), default=0.0),
                     evidence=[Evidence(start=i.span.start, end=i.span.end) for i in good],
                     source=source_of(good))


def _sharing_surname(first: Valued, second: Valued, text: str) -> str:
    """A lone first name joined by "und"/"and"/"&" to a full name shares its surname: "Anna
    und [Peter Huber]" are Anna Huber and Peter Huber. A titled name alone ("Herr Richter und
    Matthias Stein") is a surname already and kept."""
    own, other = first.value.split(), second.value.split()
    written = text[first.span.start : first.span.end]
    if len(own) != 1 or len(other) < 2 or written.split()[-1:] != own:  # "[Ehepaar] Uwe"
        return first.value
    if not _JOINED.fullmatch(text, first.span.end, second.span.start) or _TITLED.search(
            text, max(0, first.span.start - 12), first.span.end - len(own[0])):
        return first.value
    return f"{own[0]} {other[-1]}"


def _dates(draft: StayDraft, text: str, reference: dt.date, lang: str | None
           ) -> tuple[FormField[Any], FormField[Any], list[str]]:
    issues: list[str] = []
    # of several mentions, the first that names a day ("nächste Woche" does not; "Montag,
    # 6. Oktober" after it does), one its cue names the arrival or departure before others
    # ("Mittwoch und Donnerstag, also Abreise am Freitag")
    ci_items, ci_parse = _concrete_first(_cued_first(draft.spans.get("check_in", []), text,
                                                     "check_in"), reference, lang)
    co_items, _ = _concrete_first(_cued_first(draft.spans.get("check_out", []), text,
                                              "check_out"), reference, lang)
    ci_text = with_week(ci_items, co_items, text) if ci_items else None
    co_text = with_week(co_items, ci_items, text) if co_items else None
    if month := month_said_before(ci_items + co_items, text):  # "in March, from [16] to [20]"
        ci_text, co_text = (t and f"{t} {month}" for t in (ci_text, co_text))
    if ci_text is not None and ci_text != ci_items[0].value:
        ci_parse = None  # read again with the week another mention names
    first = ci_items[0].span if ci_items else None
    if ci_text and not co_text and first and not draft.spans.get("nights") and (
            _NIGHT_OF.search(text, max(0, first.start - 20), first.start)
            or (_FOR_BEFORE.search(text, max(0, first.start - 12), first.start)
                and _NIGHT_AFTER.match(text, first.end))):
        # "the night of [Friday 11 December]", "for [tomorrow] night": that one night
        ci_text, ci_parse = f"night {ci_text}", None
    ci_value = co_value = None
    if co_text and not ci_text and (both := parse_range(co_text, reference=reference,
                                                        lang=lang)) is not None:
        # a range read as the departure only ("Check-in / Check-out: [2027-03-10 / 2027-03-12]")
        return _date_field(co_items, both[0].value), _date_field(co_items, both[1].value), issues
    if ci_text and not co_text:
        # one expression holding both ends: "3-5 May", "KW 23"
        both = parse_range(ci_text, reference=reference, lang=lang)
        if both is not None:
            ci_value, co_value = both[0].value, both[1].value
        else:
            single = ci_parse or parse_date(ci_text, reference=reference, lang=lang)
            ci_value, co_value = single.value, single.end
            if single.vague:
                issues.append("vague:check_in")
    else:
        ci, co = parse_date_pair(ci_text, co_text, reference=reference, lang=lang)
        if ci is not None:
            ci_value = ci.value
            if ci.vague:
                issues.append("vague:check_in")
        if co is not None:
            co_value = co.value
            if co.vague:
                issues.append("vague:check_out")
            elif co_value is not None and any(_nights_listed(i, co_items[0], text) for i in ci_items):
                co_value += dt.timedelta(days=1)
    if ci_text and ci_value is None and "vague:check_in" not in issues:
        issues.append("unparsed:check_in")
    if co_text and co_value is None and "vague:check_out" not in issues:
        issues.append("unparsed:check_out")
    check_in = _date_field(ci_items, ci_value)
    if co_items:
        check_out = _date_field(co_items, co_value)
    elif co_value is not None:  # the end of a one-expression range: same evidence
        check_out = _date_field(ci_items, co_value)
    else:
        check_out = FormField(value=None)
    return check_in, check_out, issues


# a numbered list item's number: "2. " of "2. KW 22, Dienstag bis Donnerstag"
def _nights_listed(check_in: Valued, check_out: Valued, text: str) -> bool:
    """ "fri and sat night", "tonight + tomorrow": the check-out span names the last night."""
    a, b = check_in.span, check_out.span
    return a.end <= b.start and last_night_listed(text[max(0, a.start - 20) : a.start],
                                                  text[a.end : b.start], text[b.end : b.end + 12],
                                                  text[b.start : b.end], text[a.start : a.end])


def _cued_first(items: list[Valued], text: str, field: str) -> list[Valued]:
    """`items` with the mentions a word naming `field` stands right before first ("Abreise
    am [Freitag]", "check-out: [12 May]"; not "bis", which also ends a deadline: "bis heute
    Abend bestätigen"), each group in its order; a day said roughly comes last ("around [new
    year's eve]? 3 nights [30 dec] - 2 jan")."""
    if len(items) < 2:
        return items
    cue = _CUES[field]
    return sorted(items, key=lambda i: (
        bool(_ROUGHLY.search(text, max(0, i.span.start - 14), i.span.start)),
        not cue.search(text, max(0, i.span.start - 30), i.span.start)))


def _concrete_first(items: list[Valued], reference: dt.date, lang: str | None
                    ) -> tuple[list[Valued], DateParse | None]:
    """The mentions with the first that names a day first, and the parse of the mention now
    first (None without mentions): each mention is parsed once."""
    first: DateParse | None = None
    for k, item in enumerate(items):
        parsed = parse_date(item.value, reference=reference, lang=lang)
        if parsed.value is not None or parsed.needs_context:
            k, parsed = dated_instead(items, k, parsed, reference, lang)
            return [items[k]] + items[:k] + items[k + 1 :], parsed
        first = first or parsed
    return items, first


def _date_field(items: list[Valued], value: dt.date | None) -> FormField[Any]:
    if value is None or not items:
        return FormField(value=None)
    return FormField(value=value, confidence=items[0].span.confidence,
                     evidence=[Evidence(start=items[0].span.start, end=items[0].span.end)],
                     source="model" if items[0].span.source == "model" else "rules")


def _destination_inside(fields: dict[str, FormField[Any]], draft: StayDraft, text: str
                        ) -> FormField[Any]:
    """A stay without a destination takes a known city named inside its hotel or the place it
    should be near ("The Ritz London", "near Munich Airport"), the value first, then its other
    mentions ("the Okura" asked for, "the Hotel Okura Amsterdam" in the forwarded tip):
    derived, its evidence the city's words. Only cities of data/cities.json, so that "Park
    Hyatt" names no town; written lowercase only in a text written all in lowercase ("place:
    faro")."""
    any_case = not Layout(text).cased
    for name in ("hotel_name", "near"):
        f = fields[name]
        mentions = [(e.start, e.end) for e in f.evidence] + [
            (i.span.start, i.span.end) for i in draft.spans.get(name, [])]
        for lo, hi in mentions:
            found = next(known_cities_in(text[lo:hi], any_case=any_case), None)
            if found:
                city, start, end = found
                return FormField(value=city, confidence=f.confidence, source="derived",
                                 evidence=[Evidence(start=lo + start, end=lo + end)])
    return FormField(value=None)


# how sure a destination is that the request names as its only known city, nothing else said
NAMED_ONCE_CONFIDENCE = 0.6
# a postcode before a city: an address ("4050-324 Porto", "D-80331 München", "CH-8001 Zürich")
_POSTCODE_BEFORE = re.compile(r"(?<![\w-])(?:[A-Z]{1,2}-)?\d{4,5}(?:-\d{3})?[ \t]+$")


def destination_named_once(stay: Stay, layout: Layout) -> Stay:
    """The one stay of a text, without a destination, with the only known city its request
    names (before the sign-off, not in an earlier one's block or a legal footer, not where
    someone comes from or goes back to, not after a postcode), else the city of the airport it
    names, or where its writer is stranded: "a guest lecture at the University of Edinburgh" is
    a stay in Edinburgh, "the Premier Inn at Heathrow Terminal 5" one in London, "flight to
    Toronto cancelled, stuck at FRA" one in Frankfurt. Derived, less sure than a city the model
    or the rules read as the destination; unchanged when the request names none or several."""
    if stay.destination.value is not None:
        return stay
    request = layout.text[: layout.sign_off[0]] if layout.sign_off else layout.text
    # a chat begun in lowercase writes its city so too, whatever names it capitalises
    lowercase = not layout.cased or request.lstrip()[:1].islower()
    found = [(city, start, end) for city, start, end
             in known_cities_in(request, any_case=lowercase)
             if not passed_through(request, start)
             and not _POSTCODE_BEFORE.search(request, max(0, start - 12), start)
             and not any(lo <= start < hi for lo, hi in layout.sign_offs)
             and not legal_footer_line(layout.line_text(start, end))]
    if not found and (place := airport_in(request) or stranded_in(request)):
        found = [place]  # "the Premier Inn at Heathrow Terminal 5": London; "stuck at FRA"
    if len({city for city, _, _ in found}) != 1:
        return stay
    city, start, end = found[0]
    field = FormField(value=city, confidence=NAMED_ONCE_CONFIDENCE, source="derived",
                      evidence=[Evidence(start=start, end=end)])
    return stay.model_copy(update={"destination": field})


def _drop_implausible(stay: Stay) -> list[str]:
    """Null the values a form cannot hold (4254315 guests: a phone number read as a count),
    naming each in the review reasons; the stay then always converts to `StayValues`."""
    try:
        stay.values()
        return []
    except ValidationError as e:
        bad = {str(err["loc"][0]) for err in e.errors() if err["loc"]}
    if not bad:  # a cross-field problem (dates out of order): drop the check-out
        bad = {"check_out"}
    for name in bad:
        setattr(stay, name, FormField(value=None))
    stay.values()  # now valid
    return [f"implausible:{name}" for name in sorted(bad)]
