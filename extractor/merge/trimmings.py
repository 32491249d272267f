"""Merge steps for what trims a request: the footers past the signature (step 25), a
writer's correction of what they wrote a moment before (step 26), and a trip's legs that
need no hotel (step 27)."""

from __future__ import annotations

import re
from dataclasses import replace

from extractor.lexicon import alternation
from extractor.merge.changes import RANGE_JOIN
from extractor.merge.context import DATE_FIELDS, MergeContext
from extractor.merge.vocabulary import LEX
from extractor.spans import FoundSpan
from extractor.values.dates import date_kind, weekday_named


def drop_footers(spans: list[FoundSpan], ctx: MergeContext) -> list[FoundSpan]:
    """Step 25: nothing past the signature is asked for. A span past the signature block
    (`Layout.footer`: an event banner, "Save the date: Investor Day, Chicago, October 22") is
    dropped, unless it lies in a postscript ("P.S. ..."); travellers are left to step 14."""
    footer = ctx.layout.footer
    if footer is None:
        return spans
    kept = ctx.layout.postscripts
    return [s for s in spans
            if s.field == "traveler_names" or s.start < footer[0]
            or any(a <= s.start and s.end <= b for a, b in kept)]


# a writer correcting what they just wrote, then at most three words before the new value:
# "on wednesday, [no wait], make it [thursday]", "4 nights... [actually] [3 nights]", "ne
# [warte], bis zum [9.]"
_CORRECTS = re.compile(rf"(?<!\w){alternation(LEX.cues.corrects)}(?!\w)[^\w\n.!?]*"
                       r"(?:[^\W\d]+[^\w\n.!?]+){0,3}$", re.I)
_CORRECTED_REACH = 150  # characters before the cue where the value corrected stands
_CUE_REACH = 40  # characters before the new value where the cue stands
_CORRECTED = ("check_in", "check_out", "nights", "rooms", "guests", "max_price", "destination")
_DETAIL = {"date": 2, "fixed": 2, "day": 1, "weekday": 1}


def apply_corrections(spans: list[FoundSpan], ctx: MergeContext) -> list[FoundSpan]:
    """Step 26: a correction replaces what it corrects. A value right after a correction cue
    (`cues.corrects`: "no wait", "actually", "ich meinte") drops the value of the same field
    written shortly before it in the same paragraph, and a weekday corrects the weekday before
    it whatever role the model gave either ("on [wednesday] for 2 nights, no wait, make it
    [thursday]" arrives on Thursday); an arrival that opens a new range corrects the old
    range's departure too ("12th-15th march... wait no, 13th to 16th"). A date naming less than
    the one before it ("bis 8. Oktober ... ne warte, bis zum 9.") corrects nothing: it would
    lose the month."""
    out = list(spans)
    for span in spans:
        if span.field not in _CORRECTED or span not in out:
            continue
        cue = _CORRECTS.search(ctx.text, max(0, span.start - _CUE_REACH), span.start)
        if cue is None:
            continue
        old = _corrected(out, span, cue.start(), ctx)
        if old is None:
            continue
        out.remove(old)
        if old.field != span.field:
            out[out.index(span)] = replace(span, field=old.field)
        elif span.field == "check_in":
            out = _with_departure_corrected(out, span, old, cue.start(), ctx)
    return out


def _with_departure_corrected(spans: list[FoundSpan], new: FoundSpan, old: FoundSpan, cue: int,
                              ctx: MergeContext) -> list[FoundSpan]:
    """`spans` without the departure of the range a corrected arrival opened, when the new
    arrival opens a range of its own: "[12th]-[15th march]... wait no, [13th] to [16th]"."""
    if not any(s.field == "check_out" and s.start >= new.end
               and RANGE_JOIN.fullmatch(ctx.text, new.end, s.start) for s in spans):
        return spans
    return [s for s in spans if not (s.field == "check_out" and old.end <= s.start
                                     and s.end <= cue)]


def _corrected(spans: list[FoundSpan], new: FoundSpan, cue: int, ctx: MergeContext
               ) -> FoundSpan | None:
    """The value `new` corrects: the nearest before the `cue` in its paragraph."""
    paragraph = ctx.text.rfind("\n\n", 0, cue)
    lo = max(paragraph, cue - _CORRECTED_REACH)
    said = ctx.span_text(new)
    weekday = new.field in DATE_FIELDS and weekday_named(said) is not None
    for old in sorted(spans, key=lambda s: -s.start):
        if not lo <= old.start < old.end <= cue:
            continue
        if weekday and old.field in DATE_FIELDS and weekday_named(ctx.span_text(old)) is not None:
            return old
        if old.field == new.field and not weekday:
            if new.field in DATE_FIELDS and (_DETAIL.get(date_kind(said) or "", 0)
                                             < _DETAIL.get(date_kind(ctx.span_text(old)) or "", 0)):
                return None
            return old
    return None


_NO_LODGING = re.compile(rf"(?<!\w){alternation(LEX.cues.no_lodging)}(?!\w)", re.I)
# a clause that asks for a hotel itself: the leg before it is another
_ASKS = re.compile(rf"(?<!\w)(?:{alternation([*LEX.rooms.room_nouns, 'hotel', 'book', 'buchen'])})"
                   r"(?!\w)", re.I)
_LEG_FIELDS = ("destination", "check_in", "check_out", "nights", "hotel_name", "near")
_SENTENCE = re.compile(r"[.!?\n]")
_CLAUSE = re.compile(r"[,;–—]|(?<!\w)(?:but|aber|and then|und dann)(?!\w)", re.I)


def drop_unlodged_legs(spans: list[FoundSpan], ctx: MergeContext) -> list[FoundSpan]:
    """Step 27: a leg without a hotel is no stay. The city and dates of a sentence that says
    the writer needs no hotel there ("Wed 29 Apr to Fri 1 May I'm with my parents in
    Leipzig, so no hotel needed", "Donnerstag bin ich bei meinen Eltern in Bamberg, da brauche
    ich nichts") are dropped: those in the clauses before the cue, back to one that asks for a
    hotel itself, and those in the cue's own clause."""
    gone: set[int] = set()
    for cue in _NO_LODGING.finditer(ctx.text):
        lo = max([0] + [m.end() for m in _SENTENCE.finditer(ctx.text, max(0, cue.start() - 300),
                                                             cue.start())])
        stops = [m.end() for m in _CLAUSE.finditer(ctx.text, lo, cue.start())]
        for a, b in zip([lo, *stops], [*stops, cue.start()], strict=True):
            if _ASKS.search(ctx.text, a, b):
                lo = b  # "Hotel in Berlin please, no hotel needed in Potsdam"
        end = next((m.start() for m in _CLAUSE.finditer(ctx.text, cue.end())), len(ctx.text))
        end = min(end, next((m.start() for m in _SENTENCE.finditer(ctx.text, cue.end())),
                            len(ctx.text)))
        gone |= {id(s) for s in spans if s.field in _LEG_FIELDS and lo <= s.start and s.end <= end}
    return [s for s in spans if id(s) not in gone]
