"""Merging the model's spans with the rules' spans.

The policy, in order (each point has a test in tests/extractor/test_merge.py):
0. Rules veto impossible roles. A model span lying inside a rule `date` span is dropped unless
   it is check_in/check_out, one inside a `money` span unless it is max_price: a date is never
   a destination, an amount never a place to be near. Nothing inside an `extension` ("extend
   by one night", "eine Nacht länger") is kept: it states a change, not the number of nights.
1. The model decides roles. Every other model span is kept with its label and confidence;
   model spans of one field that one compatible rule span covers together are one mention
   ("[2 adults], [3 kids]" inside the guests rule "2 adults, 3 kids" is one count of 5;
   "[nächsten] [dienstag]" inside the date "nächsten dienstag" is one date).
2. Rules fix boundaries. A model span overlapped by a rule span of a compatible kind (same
   field; a `date` for check_in/check_out; `money` for max_price; a `person` — a title and
   capitalised words, "Frau Dr. Nina Vogt" — for traveler_names) grows to cover the rule span,
   so "5" tagged check_out inside the rule date "5 May" becomes "5 May" and parses. It never
   grows into another model span. Given the text, a check-in or check-out that runs on past
   the sentence end its rule date ends with ("5 Nov - [9 Nov. 8] pax") ends with the date.
3. Rules fill gaps. A rule span whose pattern knows its role (label is a field: "3 nights",
   "2 EZ", "inkl. Frühstück", "max. 150 EUR") and that overlaps no model span is added with
   source "rules". Kind-only rule spans (`date`, `money`, `person`) are never added on their
   own: a date alone does not say whether it is the arrival, the departure or a flight, a
   titled name not whether it is the guest or the person addressed.
4. Nothing is added to an email the model reads as not a hotel request (the caller passes
   `allow_rule_only=False`).
5. Names run on. Given the text, a hotel or place span that stops before more capitalised words
   of the same name ("[Parque] das Nações", "[Schulungszentrum] Brackwede") grows over them:
   up to three more words on the same line, joined by spaces and name particles only, never
   into another span, never over a word that begins the next phrase ("Zimmer", "Please").
   Two pieces of one field that only a space or a name particle part are one name
   ("[Parque] das [Nações]"), and so are two towns that a town's particle or a state code
   join ("[Rothenburg] ob der [Tauber]", "[Washington], [DC]").
6. Lists of guests go on. Given the text, a titled name (`person`) alone on its line, right
   under a line that holds only a traveller, is a traveller too ("Gäste:\nFrau A. Kessler\n
   Herr J. Brandt\n..."): the model often tags the first of such a list only.
7. Pairs of guests are both guests. Given the text, a name joined by "and"/"und"/"&" to a
   traveller is a traveller too: after it ("[Lukas Brandt] und Mehmet Aksoy", "... and Dr.
   Nia Roberts": a title and one to three capitalised words) or, as a lone first name, before
   it ("Gerda und [Horst Wagner]").
8. A traveller is a name. A traveller span that is a month or weekday name ("im Jänner"), a
   pronoun ("für mich (carla mendes)", "Kyle Brandt and me"), a form's label ("Zeitraum:
   04.10."), a title alone, or lowercase words in a text that writes its names with capitals
   ("Namen folgen", "seine Frau mitreist"), is dropped. Two travellers parted by one space
   only are one name ("[Sophie] [Dubois]").
9. A replaced value is not the stay's. Given the text, a check-in, check-out, hotel or traveller
   right after "statt", "instead of", "bisher", "originally"... ("am Mittwoch statt [am
   Montag]", "(bisher [22.]–[24. April])", "for Ms. Olga Petrenko instead of Mr. [Ivan
   Kovalenko]") is dropped: it names the booking as it was. So is the first of two hotels or
   travellers in "from [the Scandic] to [the Hotel d'Angleterre]" / "von [Herrn Kern] auf [Frau
   Lang]", and a traveller who drops out ("[Herr Kern] kann leider nicht reisen"). Dates go by
   ranges: the other end of a replaced date's range goes with it ("instead of [June 3]-[5]"), a
   range moved to another is dropped ("from [3]-[5 May] to 10-12 May", "(14.-16.3.) bitte auf
   21.-23.3."), and a range's first date is the arrival, its last the departure ("10-12 May"
   tagged check-out twice).
10. A hotel named with its place is split (docs/ANNOTATION.md): "[Motel One am Hauptbahnhof]"
   tagged as one hotel is the hotel "Motel One" near "Hauptbahnhof", when its line names no
   other place to be near. "Hotel am Stadtpark" stays whole: "Hotel" alone names no hotel, so
   "[Hotel] am [Domplatz]" tagged as hotel and near is one hotel too.
11. A name ends on its line and with a name word. A hotel, place, city or traveller span that
   runs over a line break ends before it ("gern im [Hotel Hannong\n\nTeilnehmende]"), and one
   that ends with a preposition, article or "and" loses it ("[Motel One am] Hauptbahnhof").
12. The signer is no traveller (docs/ANNOTATION.md). A traveller on the email's last sign-off
   line, the name line under it ("Thanks,\n[Helen]") or the short lines of the signature block
   right under that ("Praxis für [Physiotherapie Brunsbek]") is dropped, unless a traveller of
   the body shares a word with it ("my name is Sarah Klein ... Best, [Sarah]").
13. A city beside its own dates is a destination. Given the text, a known city
   (data/cities.json) that no span covers and that stands right before or after a check-in or
   check-out ("Linz – Anreise 10.09.", "dann jena mi-fr") or heads a list line holding one
   ("- Straßburg: Anreise 26.11.") is added as a destination, unless a word like "from" or
   "ab" makes it the place left. So is the head of a list line shaped like a line that a
   destination heads before its dates ("Jaipur — 10 to 13 January" under "[Delhi] — 8 to 10
   January"): the model often tags the first stop of a list only.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import replace

from extractor.dates import INSTEAD_OF, is_calendar_word
from extractor.normalize import known_cities_in
from extractor.signature import sign_off_span
from extractor.spans import FoundSpan

_DATE_FIELDS = ("check_in", "check_out")
_COMPATIBLE_KINDS: dict[str, frozenset[str]] = {
    "check_in": frozenset({"date"}),
    "check_out": frozenset({"date"}),
    "max_price": frozenset({"money", "max_price"}),
    "traveler_names": frozenset({"person"}),
}


def _compatible(model_span: FoundSpan, rule_span: FoundSpan) -> bool:
    if rule_span.field == model_span.field:
        return True
    return rule_span.kind in _COMPATIBLE_KINDS.get(model_span.field, frozenset())


_KIND_FIELDS: dict[str, frozenset[str]] = {
    "date": frozenset({"check_in", "check_out"}),
    "money": frozenset({"max_price"}),
    # "extend by one night", "eine Nacht länger": the change, not the length of the stay
    "extension": frozenset(),
}


def _impossible(span: FoundSpan, rules: list[FoundSpan]) -> bool:
    return any(r.kind in _KIND_FIELDS and r.start <= span.start and span.end <= r.end
               and span.field not in _KIND_FIELDS[r.kind] for r in rules)


def _join_same_field(model: list[FoundSpan], rules: list[FoundSpan]) -> list[FoundSpan]:
    out = list(model)
    for rule in rules:
        inside = [m for m in out if m.overlaps(rule) and _compatible(m, rule)]
        fields = {m.field for m in inside}
        if len(inside) < 2 or len(fields) != 1:
            continue
        field = fields.pop()
        parts = sorted(inside, key=lambda m: m.start)
        lo, hi = parts[0].start, parts[-1].end
        if any(m.field != field and lo < m.end and m.start < hi for m in out):
            continue  # another field's mention lies between them: not one phrase
        joined = replace(parts[0], end=hi,
                         confidence=sum(m.confidence for m in parts) / len(parts))
        out = [m for m in out if m not in parts] + [joined]
    return out


_NAME_FIELDS = frozenset({"hotel_name", "near"})
_PARTICLE = r"(?:das|des|der|de|la|le|di|da|do|dos|del|of|van|von|y|e)"
_NEXT_NAME_WORD = re.compile(rf"[ \t]+(?:{_PARTICLE}[ \t]+)?([A-ZÄÖÜÉ][\w'’&-]*)")
_NOT_NAME = frozenset("""
    zimmer hotel hotels einzelzimmer doppelzimmer ez dz frühstück breakfast budget anreise abreise
    check vom ab bis max preis nacht nächte bitte please thanks thank danke i we wir ich sie
    the die der das ein eine a an and und or oder for für from to with mit ohne without
    room rooms single double twin suite night nights arrival departure""".split())
MAX_RUN_ON = 3


def _run_on(span: FoundSpan, text: str, others: list[FoundSpan]) -> FoundSpan:
    end = span.end
    for _ in range(MAX_RUN_ON):
        m = _NEXT_NAME_WORD.match(text, end)
        if not m or m.group(1).lower() in _NOT_NAME:
            break
        if any(o is not span and o.start < m.end() and m.start() < o.end for o in others):
            break
        end = m.end()
    return span if end == span.end else span.with_bounds(span.start, end)


_NAME_GAP = re.compile(rf"[ \t]+(?:{_PARTICLE}[ \t]+)?|[ \t]*-[ \t]*")
# one town's name in two pieces: "[Rothenburg] ob der [Tauber]", "[Washington], [DC]"
_TOWN_GAP = re.compile(r"[ \t]+(?:ob der|an der|am|im|upon|on|sur|en)[ \t]+|-(?:upon|on)-")
_STATE = re.compile(r"[A-Z]{2}")


def _one_name(first: FoundSpan, second: FoundSpan, text: str) -> bool:
    gap = text[first.end : second.start]
    if second.field in _NAME_FIELDS:
        return _NAME_GAP.fullmatch(gap) is not None
    if second.field == "traveler_names":
        return gap == " " and not _STARTS_TITLED.match(text, second.start)
    if second.field == "destination":
        return _TOWN_GAP.fullmatch(gap) is not None or (
            gap == ", " and _STATE.fullmatch(text, second.start, second.end) is not None)
    return False


def _join_name_parts(spans: list[FoundSpan], text: str) -> list[FoundSpan]:
    """Pieces of one name: two hotels or places parted by a space or a name particle only, two
    travellers by one space only ("[Sophie] [Dubois]", not "[Herr A] [Frau B]"), two towns by
    a town's particle or a state code ("[Rothenburg] ob der [Tauber]", "[Washington], [DC]")."""
    out: list[FoundSpan] = []
    for span in sorted(spans, key=lambda s: s.start):
        last = out[-1] if out else None
        if last is not None and last.field == span.field and _one_name(last, span, text):
            out[-1] = replace(last, end=span.end,
                              confidence=(last.confidence + span.confidence) / 2)
        else:
            out.append(span)
    return out


def merge_spans(model: list[FoundSpan], rules: list[FoundSpan], *,
                allow_rule_only: bool = True, text: str | None = None) -> list[FoundSpan]:
    """The merged spans of one text, sorted by position (see the module's policy)."""
    merged: list[FoundSpan] = []
    kept = _join_same_field([m for m in model if not _impossible(m, rules)], rules)
    model_sorted = sorted(kept, key=lambda s: s.start)
    for k, span in enumerate(model_sorted):
        lo = model_sorted[k - 1].end if k > 0 else 0
        hi = model_sorted[k + 1].start if k + 1 < len(model_sorted) else None
        start, end = span.start, span.end
        for rule in rules:
            if rule.overlaps(span) and _compatible(span, rule):
                new_start, new_end = min(start, rule.start), max(end, rule.end)
                if new_start >= lo and (hi is None or new_end <= hi):
                    start, end = new_start, new_end
        merged.append(span.with_bounds(start, end))
    if text is not None:
        merged = [_date_end(m, rules, text) for m in merged]
    if allow_rule_only:
        for rule in rules:
            if rule.field and not any(rule.overlaps(m) for m in merged) \
                    and not _impossible(rule, rules):
                merged.append(rule)
    if text is not None:
        merged = [t for m in merged if (t := _on_its_line(m, text)) is not None]
        merged = _join_name_parts(merged, text)
        merged = [_run_on(m, text, merged) if m.field in _NAME_FIELDS else m for m in merged]
        merged = [_name_end(m, text) for m in merged]
        if allow_rule_only:
            merged += _listed_travellers(merged, rules, text)
            merged += _paired_travellers(merged, text)
        merged = [m for m in merged if m.field != "traveler_names" or _a_name(m, text)]
        merged = _moved_dates(merged, text)
        merged = _drop_signers(merged, text)
        merged = _split_hotel_place(merged, text)
        if allow_rule_only:
            merged += _cities_by_dates(merged, text)
    merged.sort(key=lambda s: (s.start, s.end))
    return merged


def _line_of(text: str, span: FoundSpan) -> tuple[int, int]:
    """Where the line holding `span` starts and ends (its newline excluded)."""
    return _line_at(text, span.start, span.end)


def _line_at(text: str, start: int, end: int) -> tuple[int, int]:
    nl = text.find("\n", end)
    return text.rfind("\n", 0, start) + 1, len(text) if nl < 0 else nl


def _alone_on_line(text: str, span: FoundSpan) -> bool:
    lo, hi = _line_of(text, span)
    return not (text[lo : span.start].strip(" \t-•*·–") or text[span.end : hi].strip(" \t,;."))


def _listed_travellers(merged: list[FoundSpan], rules: list[FoundSpan], text: str
                       ) -> list[FoundSpan]:
    listed = [m for m in merged if m.field == "traveler_names" and _alone_on_line(text, m)]
    added: list[FoundSpan] = []
    for person in sorted((r for r in rules if r.kind == "person"), key=lambda r: r.start):
        if any(person.overlaps(m) for m in merged + added) or not _alone_on_line(text, person):
            continue
        lo, _ = _line_of(text, person)
        above = text.rfind("\n", 0, max(0, lo - 1)) + 1  # the start of the line above
        if any(above <= t.start and t.end < lo for t in listed):
            found = replace(person, field="traveler_names")
            added.append(found)
            listed.append(found)
    return added


_TITLE = r"(?:Herrn?|Frau|Mr|Mrs|Ms|Miss|Mx|Dr|Prof)\.?"
_STARTS_TITLED = re.compile(rf"{_TITLE}[ \t]")
_NAME_WORD = r"[A-ZÄÖÜÉ][\w'’-]+"
_JOIN = r"[ \t]+(?:and|und|&)[ \t]+"
_PAIR_AFTER = re.compile(rf"{_JOIN}((?:{_TITLE}[ \t]+)*{_NAME_WORD}(?:[ \t]+{_NAME_WORD}){{0,2}})")
_PAIR_BEFORE = re.compile(rf"(?<![\w.])({_NAME_WORD}){_JOIN}$")


def _name_words_ok(phrase: str) -> bool:
    words = [w for w in phrase.split() if not re.fullmatch(_TITLE, w)]
    return bool(words) and not any(w.lower() in _NOT_NAME or is_calendar_word(w) for w in words)


def _paired_travellers(merged: list[FoundSpan], text: str) -> list[FoundSpan]:
    added: list[FoundSpan] = []
    for t in [m for m in merged if m.field == "traveler_names"]:
        found = []
        after = _PAIR_AFTER.match(text, t.end)
        if after:
            found.append((after.start(1), after.end(1)))
        before = _PAIR_BEFORE.search(text, max(0, t.start - 40), t.start)
        if before and len(text[t.start : t.end].split()) >= 2:
            found.append((before.start(1), before.end(1)))
        for start, end in found:
            if not _name_words_ok(text[start:end]):
                continue
            if any(o.start < end and start < o.end for o in merged + added):
                continue
            added.append(t.with_bounds(start, end))
    return added


def _cased(text: str) -> bool:
    """Whether the text writes with capitals (not an all-lowercase chat)."""
    words = re.findall(r"[^\W\d_]+", text)
    return sum(w[0].isupper() for w in words) >= max(2, 0.05 * len(words))


_PRONOUN = frozenset("i me myself we us ourselves ich mich mir wir uns".split())


_LABEL_AFTER = re.compile(r"[ \t]*:")


def _a_name(span: FoundSpan, text: str) -> bool:
    words = [w for w in text[span.start : span.end].split() if not re.fullmatch(_TITLE, w)]
    if not words:
        return False
    if len(words) == 1 and (is_calendar_word(words[0]) or words[0].lower() in _PRONOUN
                            or _LABEL_AFTER.match(text, span.end)):
        return False  # "im Jänner", "für mich", a form's label ("Zeitraum: 04.10.")
    return not (all(w.islower() for w in words) and _cased(text))  # "seine Frau mitreist"


_WAS = rf"\b(?:{INSTEAD_OF}|bisher|urspr(?:ü|ue)nglich|previously|originally|formerly|vorher)"
_REPLACED_CUE = re.compile(
    rf"{_WAS}\b[ \t:]*(?:(?:am|the|on|dem|den|vom|from)[ \t]+)?[\d. \t–-]*$", re.IGNORECASE)


_TITLE_OR_ARTICLE = r"(?:(?:the|das|dem|der|den|des|Mr|Mrs|Ms|Dr|Herrn?|Frau)\.?[ \t]+)*"
_REPLACED_NAME_CUE = re.compile(rf"{_WAS}[ \t:(]*{_TITLE_OR_ARTICLE}$", re.IGNORECASE)
_SWITCH_FROM = re.compile(rf"\b(?:from|von|vom)[ \t]+{_TITLE_OR_ARTICLE}$", re.IGNORECASE)
_SWITCH_TO = re.compile(rf"[ \t]+(?:to|into|zu|zum|zur|auf|ins|in)[ \t]+{_TITLE_OR_ARTICLE}",
                        re.IGNORECASE)
_DROPS_OUT = re.compile(
    r"[ \t]+(?:kann|can|cannot|can't|muss|must|will|won't|is|ist|has|hat)\b[^.\n]{0,25}?"
    r"\b(?:nicht (?:mit|reisen|kommen|teilnehmen|dabei)|not (?:travel|come|make it|join|attend)"
    r"|no longer|verhindert|absagen|ausfallen|fällt aus|dropped out)", re.IGNORECASE)


def _replaced(span: FoundSpan, text: str, spans: list[FoundSpan]) -> bool:
    """Whether the span names the booking as it was, not as it is to be (policy point 9)."""
    before = max(0, span.start - 40)
    if span.field in _DATE_FIELDS:
        return bool(_REPLACED_CUE.search(text, before, span.start))
    if span.field not in ("hotel_name", "traveler_names"):
        return False
    if _REPLACED_NAME_CUE.search(text, before, span.start):
        return True
    if span.field == "traveler_names" and _DROPS_OUT.match(text, span.end):
        return True
    to = _SWITCH_TO.match(text, span.end)
    return bool(to and _SWITCH_FROM.search(text, before, span.start) and any(
        o.field == span.field and o.start == to.end() for o in spans))


_RANGE_JOIN = re.compile(r"[ \t]*(?:-|–|—|bis(?:[ \t]+zum)?|to|until|till|through)[ \t]*"
                         r"(?:(?:the|den|dem)[ \t]+)?", re.IGNORECASE)
# what parts an old range from the new one it moves to: "from [3-5 May] to 10-12 May",
# "(14.-16.3.) bitte auf 21.-23.3."
_MOVE_TO = re.compile(r"[^\n.!?\d]{0,20}(?<![\w])(?:to|auf|into|onto|→|->)[ \t]+"
                      r"(?:(?:the|den|dem)[ \t]+)?", re.IGNORECASE)


def _moved_dates(spans: list[FoundSpan], text: str) -> list[FoundSpan]:
    """Dates as the stay is to be (policy point 9): replaced dates dropped with their range's
    partner, a range moved "from [3–5 May] to 10–12 May" dropped, and a range's first date the
    arrival, its last the departure ("10-12 May" tagged check-out twice)."""
    dates = sorted((s for s in spans if s.field in _DATE_FIELDS), key=lambda s: s.start)
    ranges: list[list[FoundSpan]] = []
    for d in dates:
        last = ranges[-1] if ranges else None
        if last and len(last) == 1 and _RANGE_JOIN.fullmatch(text, last[0].end, d.start):
            last.append(d)
        else:
            ranges.append([d])
    drop: set[FoundSpan] = set()
    for k, r in enumerate(ranges):
        nxt = ranges[k + 1] if k + 1 < len(ranges) else None
        if any(_replaced(d, text, spans) for d in r) or (
                len(r) == 2 and nxt is not None and len(nxt) == 2
                and _MOVE_TO.fullmatch(text, r[-1].end, nxt[0].start)):
            drop.update(r)
    roles = {id(d): field for r in ranges if len(r) == 2 and r[0] not in drop
             for d, field in zip(r, _DATE_FIELDS, strict=True)}
    return [replace(s, field=roles.get(id(s), s.field)) for s in spans
            if s not in drop and not (s.field not in _DATE_FIELDS and _replaced(s, text, spans))]


def _drop_signers(spans: list[FoundSpan], text: str) -> list[FoundSpan]:
    """Travellers named only where the email signs off are its sender (policy point 12)."""
    zone = sign_off_span(text, with_block=True)
    if zone is None:
        return spans
    lo, hi = zone
    inside = [s for s in spans if s.field == "traveler_names" and lo <= s.start < hi]
    if not inside:
        return spans
    body = {w.casefold() for s in spans if s.field == "traveler_names" and not lo <= s.start < hi
            for w in text[s.start : s.end].split()}
    return [s for s in spans if s not in inside
            or any(w.casefold() in body for w in text[s.start : s.end].split())]


_HOTEL_AT = re.compile(r"[ \t]+(?:am|an der|beim|nahe|near|at the|next to the)[ \t]+"
                       r"(?:(?:the|dem|der)[ \t]+)?(?=[A-ZÄÖÜ])")
_GENERIC_HOTEL = frozenset({"hotel", "das", "the", "die", "der", "im", "ins"})


def _generic(phrase: str) -> bool:
    return all(w.lower() in _GENERIC_HOTEL for w in phrase.split())


def _split_hotel_place(spans: list[FoundSpan], text: str) -> list[FoundSpan]:
    out: list[FoundSpan] = []
    for s in sorted(spans, key=lambda s: s.start):
        last = out[-1] if out else None
        if (s.field == "near" and last is not None and last.field == "hotel_name"
                and _generic(text[last.start : last.end])
                and (gap := _HOTEL_AT.match(text, last.end)) and gap.end() == s.start):
            out[-1] = last.with_bounds(last.start, s.end)  # "[Hotel] am [Domplatz]"
            continue
        m = _HOTEL_AT.search(text, s.start, s.end) if s.field == "hotel_name" else None
        lo, hi = _line_of(text, s)
        if (m is None or m.end() >= s.end or _generic(text[s.start : m.start()])
                or any(o.field == "near" and lo <= o.start < hi for o in spans)):
            out.append(s)
            continue
        out += [s.with_bounds(s.start, m.start()), replace(s, field="near", start=m.end())]
    return out


_LINE_FIELDS = frozenset({"hotel_name", "near", "destination", "traveler_names"})
_TRAILING_WORD = re.compile(
    r"[ \t]+(?:am|an|im|in|at|near|bei|beim|nahe|the|der|die|das|dem|den|of|and|und|zum|zur"
    r"|vom|von|for|für|to|&)[ \t]*$", re.IGNORECASE)


def _date_end(span: FoundSpan, rules: list[FoundSpan], text: str) -> FoundSpan:
    if span.field not in _DATE_FIELDS:
        return span
    for r in rules:
        if (r.kind == "date" and r.start <= span.start < r.end < span.end
                and text[r.end - 1] in ".!?" and text[r.end].isspace()):
            return span.with_bounds(span.start, r.end)
    return span


def _on_its_line(span: FoundSpan, text: str) -> FoundSpan | None:
    if span.field not in _LINE_FIELDS:
        return span
    lines = text[span.start : span.end].split("\n")
    first = next((k for k, line in enumerate(lines) if line.strip()), None)
    if first is None:
        return None
    start = span.start + sum(len(line) + 1 for line in lines[:first])
    end = start + len(lines[first])
    return span if (start, end) == (span.start, span.end) else span.with_bounds(start, end)


def _name_end(span: FoundSpan, text: str) -> FoundSpan:
    end = span.end
    while span.field in _LINE_FIELDS and (m := _TRAILING_WORD.search(text, span.start, end)) \
            and m.start() > span.start:
        end = m.start()
    return span if end == span.end else span.with_bounds(span.start, end)


# a list line's head: bullets or numbering, then the city, then a separator or the dates
_LIST_HEAD = re.compile(r"[ \t]*(?:[-•*·–]|\d{1,2}[.)])?[ \t]*")
_HEAD_SEPARATOR = re.compile(r"[ \t]*([:–—-]|,)[ \t]*")
_BEFORE_DATES = re.compile(
    r"[ \t]*[:–—-]?[ \t]*(?:(?:anreise|arrival|check-in|from|vom|von|ab|am|on)\b[ \t:]*)?$",
    re.IGNORECASE)
_AFTER_DATES = re.compile(r"^[ \t,:–—-]*$")
_LEFT_FROM = re.compile(r"\b(?:from|ab|von|aus|via|über|leaving|departing)[ \t]+$",
                        re.IGNORECASE)
_HEAD_WORDS = re.compile(r"[A-ZÄÖÜÉ][\w'’.-]*(?:[ \t]+[A-ZÄÖÜÉ][\w'’.-]*){0,2}")
_CITY_CONFIDENCE = 0.85


def _cities_by_dates(merged: list[FoundSpan], text: str) -> list[FoundSpan]:
    """Destinations the model missed beside dates of their own (policy point 13)."""
    dates = sorted((m for m in merged if m.field in _DATE_FIELDS), key=lambda m: m.start)
    if not dates:
        return []
    found: list[tuple[int, int]] = []

    def free(start: int, end: int) -> bool:
        return not any(m.start < end and start < m.end for m in merged) and not any(
            s < end and start < e for s, e in found)

    for _, start, end in known_cities_in(text, any_case=not _cased(text)):
        if not free(start, end) or _LEFT_FROM.search(text, max(0, start - 12), start):
            continue
        lo, hi = _line_at(text, start, end)
        after = next((d for d in dates if d.start >= end), None)
        before = next((d for d in reversed(dates) if d.end <= start), None)
        heads_line = _LIST_HEAD.fullmatch(text, lo, start) is not None
        if ((after is not None and (_BEFORE_DATES.match(text[end : after.start])
                                    or (heads_line and after.start < hi)))
                or (before is not None and _AFTER_DATES.match(text[before.end : start]))):
            found.append((start, end))
    found += _parallel_heads(merged, dates, text, free)
    return [FoundSpan("destination", s, e, _CITY_CONFIDENCE, "rules", kind="city")
            for s, e in found]


def _parallel_heads(merged: list[FoundSpan], dates: list[FoundSpan], text: str,
                    free: Callable[[int, int], bool]) -> list[tuple[int, int]]:
    """Heads of list lines shaped like a line headed by a destination, with dates of their own."""
    shapes: set[str] = set()
    for d in (m for m in merged if m.field == "destination"):
        lo, hi = _line_of(text, d)
        sep = _HEAD_SEPARATOR.match(text, d.end)
        if (_LIST_HEAD.fullmatch(text, lo, d.start) and sep
                and any(d.end <= x.start < hi for x in dates)):
            shapes.add(sep.group(1))
    out: list[tuple[int, int]] = []
    if not shapes:
        return out
    pos = 0
    for line in text.split("\n"):
        lo, hi = pos, pos + len(line)
        pos = hi + 1
        lead = _LIST_HEAD.match(text, lo, hi)
        head = _HEAD_WORDS.match(text, lead.end() if lead else lo, hi)
        if head is None:
            continue
        sep = _HEAD_SEPARATOR.match(text, head.end(), hi)
        if (sep and sep.group(1) in shapes and free(head.start(), head.end())
                and any(head.end() <= d.start < hi for d in dates)):
            out.append((head.start(), head.end()))
    return out
