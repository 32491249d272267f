"""Merge steps 18 and 21: a German travel verb whose particle ends the clause names the date's
role ("ich reise am Freitag, 30.01., ab": the departure; "wir reisen erst am 3. an": the
arrival), whichever role the model gave it; a day read as a place is the date its cue names
(the policy is in `extractor.merge`)."""

from __future__ import annotations

import re
from dataclasses import replace

from extractor.lexicon import alternation
from extractor.merge.context import DATE_FIELDS, MergeContext
from extractor.merge.vocabulary import LEX
from extractor.spans import FoundSpan
from extractor.values.dates import names_a_day

# the verb before the date, in the same sentence: "ich reise schon am", "wir checken erst am"
_VERB_BEFORE = re.compile(r"(?<!\w)(?:reise|reisen|reist|reiste|reisten|fahre|fahren|fährt"
                          r"|checke|checken|checkt)(?!\w)[^\n.!?]{0,40}$", re.IGNORECASE)
# its particle right after the date (an adverb between), ending the clause: ", ab.", " wieder
# ab,", " an und ..."
_PARTICLE_AFTER = re.compile(r"[ \t,]*(?:(?:wieder|schon|bereits|erst|dann|früher|frueher"
                             r"|später|spaeter)[ \t]+)?(?P<p>ab|an|aus|ein)(?!\w)[ \t]*"
                             r"(?:[.!?;,)\n]|$|(?:und|oder|aber|sondern)(?!\w))", re.IGNORECASE)
_ROLE = {"ab": "check_out", "aus": "check_out", "an": "check_in", "ein": "check_in"}


def separable_verbs(spans: list[FoundSpan], ctx: MergeContext) -> list[FoundSpan]:
    """Step 18: a check-in or check-out between a travel verb and its particle takes the
    role the particle names (ab/aus: departure; an/ein: arrival)."""
    out = []
    for span in spans:
        if span.field in DATE_FIELDS:
            after = _PARTICLE_AFTER.match(ctx.text, span.end)
            if after and _VERB_BEFORE.search(ctx.text, max(0, span.start - 60), span.start):
                span = replace(span, field=_ROLE[after["p"].lower()])
        out.append(span)
    return out


# an arrival's or departure's cue word right before a span: "Anreise", "arrival on", "Abreise am"
_CUE_BEFORE = {field: re.compile(rf"(?<!\w)(?:{alternation(getattr(LEX.cues, field))})(?!\w)"
                                 rf"[ \t:,-]*(?:(?:{alternation(LEX.cues.before_date)})[ \t]+)?$",
                                 re.IGNORECASE) for field in DATE_FIELDS}


def days_as_dates(spans: list[FoundSpan], ctx: MergeContext) -> list[FoundSpan]:
    """Step 21: a place or hotel that only names a day ("Anreise [Gründonnerstag]", "arrival
    [Good Friday]") is the date an arrival or departure cue before it names; without a cue
    it stays, and the value step drops it as no place."""
    out = []
    for span in spans:
        if span.field in ("destination", "hotel_name", "near") and names_a_day(ctx.span_text(span)):
            before = ctx.text[max(0, span.start - 30) : span.start]
            role = next((f for f in DATE_FIELDS if _CUE_BEFORE[f].search(before)), None)
            if role is not None:
                span = replace(span, field=role)
        out.append(span)
    return out
