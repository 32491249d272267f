"""Merge steps 18, 21 and 28: a German travel verb whose particle ends the clause names the
date's role ("ich reise am Freitag, 30.01., ab": the departure; "wir reisen erst am 3. an": the
arrival), whichever role the model gave it; a day read as a place is the date its cue names;
two arrivals listed as nights are the stay's first and last night (the policy is in
`extractor.merge`)."""

from __future__ import annotations

import re
from dataclasses import replace

from extractor.lexicon import alternation
from extractor.merge.context import DATE_FIELDS, MergeContext
from extractor.merge.vocabulary import LEX
from extractor.rules import DEFAULT_RULE_CONFIDENCE
from extractor.spans import FoundSpan, SpanIndex
from extractor.values.dates import is_calendar_word, last_night_listed, names_a_day

# the verb before the date, in the same sentence: "ich reise schon am", "wir checken erst am"
_VERB_BEFORE = re.compile(r"(?<!\w)(?:reise|reisen|reist|reiste|reisten|fahre|fahren|fährt"
                          r"|checke|checken|checkt|komme|kommen|kommt|fliege|fliegen|fliegt)"
                          r"(?!\w)[^\n.!?]{0,40}$", re.IGNORECASE)
# its particle right after the date (an adverb between), ending the clause: ", ab.", " wieder
# ab,", " an und ..."
_PARTICLE_AFTER = re.compile(r"[ \t,]*(?:(?:wieder|schon|bereits|erst|dann|früher|frueher"
                             r"|später|spaeter|früh|frueh|morgens|vormittags|mittags"
                             r"|nachmittags|abends)[ \t]+)?(?P<p>ab|an|aus|ein|zurück|zurueck)"
                             r"(?!\w)[ \t]*"
                             r"(?:[.!?;,)\n]|$|(?:und|oder|aber|sondern)(?!\w))", re.IGNORECASE)
_ROLE = {"ab": "check_out", "aus": "check_out", "an": "check_in", "ein": "check_in",
         "zurück": "check_out", "zurueck": "check_out"}


# an arrival's or departure's cue word: "Anreise", "arriving", "fly back"
_CUE = {field: rf"(?<!\w)(?:{alternation(getattr(LEX.cues, field))})(?!\w)"
        for field in DATE_FIELDS}
# a cue, at most four words, then "on"/"am" right before a date: "fly back to Lagos on"; or
# the cue right before it: "flying home Saturday 18th July"
_CUED_FEW_WORDS_BEFORE = {
    field: re.compile(rf"{cue}(?:(?:[ \t]+[^\W\d_]+){{0,4}}[ \t]+(?:on|am)[ \t]+|[ \t]*[:,-]?[ \t]*)"
                      r"(?:the[ \t]+)?$", re.IGNORECASE) for field, cue in _CUE.items()}


def separable_verbs(spans: list[FoundSpan], ctx: MergeContext) -> list[FoundSpan]:
    """Step 18: a check-in or check-out between a travel verb and its particle takes the
    role the particle names (ab/aus/zurück: departure; an/ein: arrival). A date no span
    covers, after an arrival's or departure's cue a few words before it in its clause, is
    that date ("fly back to Lagos on [Thursday 16 April]", "arriving late on [Tuesday]",
    "flying home [Saturday 18th July]"); so is one after "from" that the stay's nights
    follow ("from [the 29th] for [three nights]": the arrival)."""
    out = []
    for span in spans:
        if span.field in DATE_FIELDS:
            after = _PARTICLE_AFTER.match(ctx.text, span.end)
            if after and _VERB_BEFORE.search(ctx.text, max(0, span.start - 60), span.start):
                span = replace(span, field=_ROLE[after["p"].lower()])
        out.append(span)
    taken = SpanIndex(out)
    nights = [s for s in out if s.field == "nights"]
    for date in ctx.rules:
        if date.kind != "date" or taken.any_overlap(date.start, date.end):
            continue
        before = ctx.text[max(0, date.start - 50) : date.start]
        role = next((f for f in DATE_FIELDS if _CUED_FEW_WORDS_BEFORE[f].search(before)), None)
        if role is None and _FROM_BEFORE.search(before) and any(
                _FOR_NIGHTS.fullmatch(ctx.text, date.end, n.start) for n in nights):
            role = "check_in"  # "from [the 29th] for three nights": the arrival
        if role is not None:
            out.append(replace(date, field=role, source="rules",
                               confidence=DEFAULT_RULE_CONFIDENCE))
    return out


# a date that starts a stay its nights follow: "from [the 29th] for [three nights]", "ab dem
# [29.] für [drei Nächte]"
_FROM_BEFORE = re.compile(r"(?<!\w)(?:from|starting|ab|vom|ab dem)[ \t]+$", re.IGNORECASE)
_FOR_NIGHTS = re.compile(r"[ \t,]+(?:for|für|fuer)[ \t]+", re.IGNORECASE)


# an arrival's or departure's cue word right before a span: "Anreise", "arrival on", "Abreise am";
# a hard-wrapped line may part them ("Anreise\nKarfreitag")
_CUE_BEFORE = {field: re.compile(rf"{cue}[ \t:,-]*\n?[ \t]*"
                                 rf"(?:(?:{alternation(LEX.cues.before_date)})[ \t]+)?$",
                                 re.IGNORECASE) for field, cue in _CUE.items()}


_WORD_AFTER_CUE = re.compile(
    rf"(?<!\w)(?:(?P<check_in>{alternation(LEX.cues.check_in)})|(?P<check_out>"
    rf"{alternation(LEX.cues.check_out)}))(?!\w)[ \t:,-]*\n?[ \t]*(?:(?:{alternation(LEX.cues.before_date)})"
    rf"[ \t]+)?(?P<day>[^\W\d_]+(?:[ \t]+[^\W\d_]+)?)", re.IGNORECASE)


_RANGE_TO = re.compile(r"[ \t]*(?:-|–|bis|to|until|till)[ \t]*", re.IGNORECASE)


def days_as_dates(spans: list[FoundSpan], ctx: MergeContext) -> list[FoundSpan]:
    """Step 21: a place or hotel that only names a day ("Anreise [Gründonnerstag]", "arrival
    [Good Friday]") is the date an arrival or departure cue before it names, or the arrival
    of a range whose departure follows ("[Gründonnerstag] bis [Ostermontag]"); else it stays,
    and the value step drops it as no place. A feast right after such a cue that no
    span covers ("Abreise Pfingstmontag") is that date too."""
    out = []
    departures = [s.start for s in spans if s.field == "check_out"]
    for span in spans:
        if span.field in ("destination", "hotel_name", "near") and names_a_day(ctx.span_text(span)):
            role = _cued_role(ctx.text, span.start)
            if role is None and any(_RANGE_TO.fullmatch(ctx.text, span.end, d) for d in departures):
                role = "check_in"  # "[Gründonnerstag] bis [Ostermontag]": a range's first day
            if role is not None:
                span = replace(span, field=role)
        out.append(span)
    index = SpanIndex(out)
    for m in _WORD_AFTER_CUE.finditer(ctx.text):
        start, words = m.start("day"), m["day"].split()
        day = next((" ".join(words[:n]) for n in (2, 1) if len(words) >= n
                    and names_a_day(" ".join(words[:n]))), None)
        if day is None or is_calendar_word(day):
            continue  # no feast ("Anreise Montag" is the model's to read)
        end = ctx.text.index(day.split()[-1], start) + len(day.split()[-1])
        if not index.any_overlap(start, end):
            role = next(f for f in DATE_FIELDS if m[f])
            out.append(FoundSpan(role, start, end, DEFAULT_RULE_CONFIDENCE, "rules"))
    return out


def _cued_role(text: str, start: int) -> str | None:
    before = text[max(0, start - 30) : start]
    return next((f for f in DATE_FIELDS if _CUE_BEFORE[f].search(before)), None)


def nights_listed(spans: list[FoundSpan], ctx: MergeContext) -> list[FoundSpan]:
    """Step 28: two arrivals listed as nights ("cancel my room [tonight] & [tmrw]", "[fri]
    and [sat] night"), where no departure is read, are the first and the last night: the
    second is read as the departure, which the stay step takes for the last night listed."""
    if any(s.field == "check_out" for s in spans):
        return spans
    text = ctx.text
    arrivals = sorted((s for s in spans if s.field == "check_in"), key=lambda s: s.start)
    for a, b in zip(arrivals, arrivals[1:], strict=False):
        if a.end <= b.start and last_night_listed(
                text[max(0, a.start - 20) : a.start], text[a.end : b.start],
                text[b.end : b.end + 12], text[b.start : b.end], text[a.start : a.end]):
            return [replace(s, field="check_out") if s is b else s for s in spans]
    return spans
