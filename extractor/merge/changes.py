"""Merge step 13: what a change replaces is not the stay's. Replaced dates, hotels, room
kinds and travellers are dropped, and dates go by ranges (the policy is in `extractor.merge`)."""

from __future__ import annotations

import re
from dataclasses import replace

from extractor.lexicon import alternation
from extractor.merge.context import DATE_FIELDS, MergeContext
from extractor.merge.vocabulary import LEX
from extractor.spans import FoundSpan, SpanIndex

_INSTEAD_OF = alternation(LEX.cues.instead_of)
_WAS = rf"\b(?:{_INSTEAD_OF}|bisher|urspr(?:ü|ue)nglich|previously|originally|formerly|vorher)"
_REPLACED_CUE = re.compile(
    rf"{_WAS}\b[ \t:]*(?:(?:am|the|on|dem|den|vom|from)[ \t]+)?[\d. \t–-]*$", re.IGNORECASE)
# "statt Herrn", "instead of the", "from a [single] to a double"
_TITLE_OR_ARTICLE = (rf"(?:{alternation(LEX.names.articles + LEX.people.titles)}\.?[ \t]+"
                     r"|(?:a|an|ein|eine|einem|einen|einer)[ \t]+)*")
_REPLACED_NAME_CUE = re.compile(rf"{_WAS}[ \t:(]*{_TITLE_OR_ARTICLE}$", re.IGNORECASE)
_SWITCH_FROM = re.compile(rf"\b(?:from|von|vom)[ \t]+{_TITLE_OR_ARTICLE}$", re.IGNORECASE)
_SWITCH_TO = re.compile(rf"[ \t]+(?:to|into|zu|zum|zur|auf|ins|in)[ \t]+{_TITLE_OR_ARTICLE}",
                        re.IGNORECASE)
_KIND_INTO = re.compile(rf"[ \t]+(?:(?:bitte|please|doch|jetzt|now)[ \t]+)?(?:to|into|zu|zum|in)"
                        rf"[ \t]+{_TITLE_OR_ARTICLE}", re.IGNORECASE)
_KIND_CHANGED = re.compile(r"(?<!\w)(?:umbuchen|umwandeln|ändern|tauschen|wechseln|switch|change"
                           r"|upgrade|convert|swap|make)", re.IGNORECASE)
_KIND_FROM = re.compile(r"(?<!\w)aus[ \t]+(?:dem|der|meinem|meiner|unserem|unserer)[ \t]+$",
                        re.IGNORECASE)
_KIND_MADE = re.compile(r"[ \t]+(?:(?:bitte|doch|jetzt)[ \t]+)?(?:ein|eine|einen)[ \t]+",
                        re.IGNORECASE)
_MADE = re.compile(r"[ \t]+(?:\w+[ \t]+)?machen(?!\w)", re.IGNORECASE)
_DROPS_OUT = re.compile(
    r"[ \t]+(?:(?:kann|can|cannot|can't|muss|must|will|won't|is|ist|has|hat)\b[^.\n]{0,25}?"
    r"\b(?:nicht (?:mit|reisen|kommen|teilnehmen|dabei)|not (?:travel|come|make it|join|attend)"
    r"|no longer|verhindert|absagen|ausfallen|fällt aus|dropped out)"
    # a German subordinate clause puts the verb last: "da Herr Obuya leider nicht mitreisen kann"
    r"|(?:[^\W\d_]+[ \t]+){0,2}nicht (?:mitreisen|mitkommen|teilnehmen|reisen|kommen|dabei sein)"
    r"[ \t]+(?:kann|wird|darf|muss))", re.IGNORECASE)
RANGE_JOIN = re.compile(r"[ \t]*(?:-|–|—|bis(?:[ \t]+zum)?|to|until|till|through)[ \t]*"
                         r"(?:(?:the|den|dem)[ \t]+)?", re.IGNORECASE)
# a stay's two dates joined by the departure's cue: "Thursday night, leaving Saturday morning",
# "Montag, Abreise Mittwoch" (the first is the arrival whatever the model read)
_THEN_LEAVING = re.compile(
    r"(?:[ \t]+(?:night|evening|afternoon|morning|abend|nachmittag|nacht))?[ \t]*,[ \t]*"
    rf"{alternation(LEX.cues.check_out)}[ \t]*(?:(?:on|am|the|den)[ \t]+)?", re.IGNORECASE)
# what parts an old range from the new one it moves to: "from [3-5 May] to 10-12 May",
# "(14.-16.3.) bitte auf 21.-23.3."
_MOVE_TO = re.compile(r"[^\n.!?\d]{0,20}(?<![\w])(?:to|auf|into|onto|→|->)[ \t]+"
                      r"(?:(?:the|den|dem)[ \t]+)?", re.IGNORECASE)


_KEEPS_ITS_BOOKING = frozenset({"traveler_names", "destination", "hotel_name"})
# a booking moved to one day, said right before it: "move my booking at the Hilton to",
# "verschieben Sie sie bitte auf den" (not the departure's: "move my check-out to")
_MOVED_TO = re.compile(
    r"(?<!\w)(?:move|moving|shift|verschieben|verlegen)(?![\w-])(?:[ \t]+(?!(?:check-?out|"
    r"departure|abreise)\b)[^\W\d_]+){0,6}?[ \t]+(?:to|auf|on)[ \t]+(?:(?:the|den)[ \t]+)?$",
    re.IGNORECASE)
# a booking that stays in a cancellation of part of it: "Giulia Ferri's room stays as it is",
# "das Zimmer von Herrn Egger bleibt natürlich bestehen"
_STILL_BOOKED = re.compile(
    r"(?:['’]s)?[ \t]+(?:(?:room|rooms|booking|reservation|zimmer|buchung|reservierung)[ \t]+)?"
    r"(?:[^\W\d_]+[ \t]+)?(?:stays|remains|bleibt|bleiben|is not affected|is unaffected)(?!\w)",
    re.IGNORECASE)


# a sentence saying its booking stays as it is: "Please keep the Johannesburg hotel as it is",
# "Die Übernachtung in Basel vom 8. auf den 9. September bleibt unverändert bestehen"
_KEPT = re.compile(
    rf"(?<!\w)(?:(?:stays|remains|bleibt|bleiben)(?!\w)[^.!?\n]{{0,30}}?"
    rf"|(?:keep|leave)[ \t]+the(?!\w)[^.!?\n]{{0,40}}?)(?<!\w)"
    rf"(?:{alternation(LEX.cues.kept_as_is)})(?!\w)", re.IGNORECASE)
# where such a clause starts: a sentence's end ("9. September" goes on), ";", "but"
_SENTENCE_START = re.compile(r"(?:(?<!\d)[.!?;]|\n|(?<!\w)(?:but|aber|while|während)(?!\w))"
                             r"[ \t]*", re.IGNORECASE)
_KEPT_FIELDS = frozenset({"destination", "hotel_name", "check_in", "check_out", "nights"})


def still_booked(span: FoundSpan, text: str) -> bool:
    """Whether the traveller, city or hotel `span` is one whose booking a cancellation of part
    of the trip keeps ("[Giulia Ferri]'s room stays as it is", "[Seoul] bleibt so wie
    gebucht", "[Geneva] stays as booked"), or the city, hotel or a date of a sentence that
    says its booking stays ("Please keep the [Johannesburg] hotel as it is", "Die
    Übernachtung in [Basel] vom [8.] auf den [9. September] bleibt unverändert bestehen")."""
    if span.field in _KEEPS_ITS_BOOKING and _STILL_BOOKED.match(text, span.end):
        return True
    if span.field not in _KEPT_FIELDS:
        return False
    begin = max((m.end() for m in _SENTENCE_START.finditer(text, 0, span.start)), default=0)
    end = next((m.start() for m in _SENTENCE_START.finditer(text, span.end)), len(text))
    kept = _KEPT.search(text, begin, end)
    return kept is not None and kept.end() >= span.end


def _replaced(span: FoundSpan, text: str, spans: list[FoundSpan], *, cancelled: bool = False
              ) -> bool:
    """Whether the span names the booking as it was, not as it is to be. In a cancellation
    (`cancelled`) a traveller who drops out is the one whose room goes, and stays."""
    before = max(0, span.start - 40)
    if span.field in DATE_FIELDS:
        return bool(_REPLACED_CUE.search(text, before, span.start))
    if span.field not in ("hotel_name", "traveler_names", "room_type"):
        return False
    if _REPLACED_NAME_CUE.search(text, before, span.start):
        return True
    if span.field == "traveler_names" and not cancelled and _DROPS_OUT.match(text, span.end):
        return True
    to = _SWITCH_TO.match(text, span.end)
    if to and _SWITCH_FROM.search(text, before, span.start) and any(
            o.field == span.field and o.start == to.end() for o in spans):
        return True
    # a room kind changed into another: "das [Einzelzimmer] bitte in ein Doppelzimmer umbuchen",
    # "switch my [single] to a double"
    into = _KIND_INTO.match(text, span.end) if span.field == "room_type" else None
    if into and any(o.field == "room_type" and o.start == into.end() for o in spans) \
            and _KIND_CHANGED.search(text, before, into.end() + 40):
        return True
    # ... or made another: "bitte aus dem [EZ] ein Zweibettzimmer machen"
    made = _KIND_MADE.match(text, span.end) if span.field == "room_type" else None
    return bool(made and _KIND_FROM.search(text, before, span.start) and any(
        o.field == "room_type" and o.start == made.end() and _MADE.match(text, o.end)
        for o in spans))


def _date_ranges(spans: list[FoundSpan], text: str) -> list[list[FoundSpan]]:
    """The date spans in order, two joined by a range word ("3-5", "bis", "to") or by the
    departure's cue ("Thursday night, leaving Saturday") as one range."""
    dates = sorted((s for s in spans if s.field in DATE_FIELDS), key=lambda s: s.start)
    ranges: list[list[FoundSpan]] = []
    for d in dates:
        last = ranges[-1] if ranges else None
        if last and len(last) == 1 and (RANGE_JOIN.fullmatch(text, last[0].end, d.start)
                                         or _THEN_LEAVING.fullmatch(text, last[0].end, d.start)):
            last.append(d)
        else:
            ranges.append([d])
    return ranges


def drop_replaced(spans: list[FoundSpan], ctx: MergeContext) -> list[FoundSpan]:
    """Step 13: a date, hotel or traveller after "statt", "instead of", "bisher",
    "originally"... is dropped with its range's partner; so are the first of "from [the
    Scandic] to [the Hotel d'Angleterre]", a traveller who drops out ("[Herr Kern] kann
    leider nicht reisen") and a range moved to another ("from [3]-[5 May] to 10-12 May").
    A range's first date is the arrival, its last the departure."""
    text = ctx.text
    ranges = _date_ranges(spans, text)
    drop: set[FoundSpan] = set()
    for k, r in enumerate(ranges):
        nxt = ranges[k + 1] if k + 1 < len(ranges) else None
        if any(_replaced(d, text, spans) for d in r) or (
                len(r) == 2 and nxt is not None and len(nxt) == 2
                and _MOVE_TO.fullmatch(text, r[-1].end, nxt[0].start)):
            drop.update(r)
    roles = {id(d): field for r in ranges if len(r) == 2 and r[0] not in drop
             for d, field in zip(r, DATE_FIELDS, strict=True)}
    kept = [replace(s, field=roles.get(id(s), s.field)) for s in spans
            if s not in drop and not (s.field not in DATE_FIELDS and _replaced(
                s, text, spans, cancelled=ctx.intent == "cancellation"))]
    index = SpanIndex(kept)
    return kept + [p for r in ranges if len(r) == 1 and r[0] not in drop
                   for p in [_partner(r[0], ctx, index)] if p is not None]


def _partner(date: FoundSpan, ctx: MergeContext, spans: SpanIndex) -> FoundSpan | None:
    """The other end of a range the model read one end of: the rule date no span covers right
    before a departure ("Abuja - [Wednesday] to Thursday") is its arrival, the one right after
    an arrival ("[Montag] bis Mittwoch") its departure."""
    text = ctx.text
    for rule in ctx.rules:
        if rule.kind != "date" or spans.any_overlap(rule.start, rule.end):
            continue
        if date.field == "check_out" and rule.end <= date.start \
                and RANGE_JOIN.fullmatch(text, rule.end, date.start):
            return replace(rule, field="check_in", confidence=date.confidence)
        if date.field == "check_in" and date.end <= rule.start \
                and RANGE_JOIN.fullmatch(text, date.end, rule.start):
            return replace(rule, field="check_out", confidence=date.confidence)
    return None


def latest_dates(spans: list[FoundSpan], ctx: MergeContext) -> list[FoundSpan]:
    """Step 20: in a change of one booking, an arrival or departure named twice is named first
    as booked and then as it is to be ("currently [9]-[11 June] ... checks out on [Friday 12
    June] instead"): the last mention stands. A change of several cities' stays keeps all. A
    booking moved to one day read as the departure begins that day ("move my booking at the
    Hilton to [the 14th]")."""
    if ctx.intent != "modification":
        return spans
    cities = {ctx.text[s.start : s.end].casefold() for s in spans if s.field == "destination"}
    if len(cities) > 1:
        return spans
    last = {s.field: s for s in sorted(spans, key=lambda s: s.start) if s.field in DATE_FIELDS}
    spans = [s for s in spans if s.field not in DATE_FIELDS or last[s.field] is s]
    dates = [s for s in spans if s.field in DATE_FIELDS]
    if len(dates) == 1 and dates[0].field == "check_out" and _MOVED_TO.search(
            ctx.text, max(0, dates[0].start - 60), dates[0].start):
        # "Can I move my booking at the Hilton to [the 14th]": the day it now begins
        return [replace(s, field="check_in") if s is dates[0] else s for s in spans]
    return spans
