"""Merge step 10, its companions: someone the writer names after a relation, in a sentence
saying they come along or among whom the request is for, is a traveller where no traveller
covers them ("Meine Frau (Claudia Greiner) begleitet mich", "wird von seiner Frau, Ngozi
Okonkwo, begleitet", "meine Kollegin Małgorzata Zielińska kommt doch mit", "für mich und
meinen Kollegen Yaw Boateng"): the model reads the words around a name of any culture better
than the name. Also the two helpers the traveller steps share: whether a phrase's words may
make a name, and a rule traveller put in place of the spans it covers."""

from __future__ import annotations

import re

from extractor.lexicon import alternation
from extractor.merge.context import MergeContext
from extractor.merge.vocabulary import COMES_ALONG, LEX, NAME_WORD, NOT_NAME, TITLE
from extractor.rules import DEFAULT_RULE_CONFIDENCE
from extractor.spans import FoundSpan
from extractor.values.dates import is_calendar_word
from extractor.values.places import known_city_in

__all__ = ["companions", "name_words_ok", "with_traveller"]

_RELATION = (rf"(?<!\w)(?i:{alternation(LEX.people.possessives)})[ \t]+"
             rf"(?i:{alternation(LEX.people.relations)})")
_FULL_NAME = rf"{NAME_WORD}(?:[ \t]+{NAME_WORD}){{1,2}}"
# a companion named after a relation in brackets or between commas: "meine Frau (Claudia Greiner)"
_IN_BRACKETS = re.compile(
    rf"{_RELATION}[ \t]*[,(][ \t]*(?P<name>(?:{TITLE}[ \t]+)*{_FULL_NAME})[ \t]*[,)]")
# ... or right after it, a full name: "my colleague Eilidh MacDonald is coming too"
_RIGHT_AFTER = re.compile(rf"{_RELATION}[ \t]+(?:{TITLE}[ \t]+)*(?P<name>{_FULL_NAME})(?![\w'’-])")
# whom the request is for, in the words before the relation: "für mich und meinen Kollegen"
_FOR_BEFORE = re.compile(r"(?<!\w)(?i:for|für|fuer)(?!\w)[^.!?;:\n]{0,30}$")
_REACH = 80  # characters of the clause either side of the name that may say they come along


def companions(spans: list[FoundSpan], ctx: MergeContext) -> list[FoundSpan]:
    """`spans` with the companions a relation names as travellers, in a sentence that says they
    come along, or (a full name right after the relation) after whom the request is "for"."""
    out = list(spans)
    for pattern in (_IN_BRACKETS, _RIGHT_AFTER):
        for m in pattern.finditer(ctx.text):
            start, end = m.span("name")
            around = ctx.layout.clause_around(start, end, before=_REACH, after=_REACH)
            booked_for = pattern is _RIGHT_AFTER and _FOR_BEFORE.search(
                ctx.text, max(0, m.start() - 40), m.start())
            if (COMES_ALONG.search(around) or booked_for) and name_words_ok(m["name"]) \
                    and not known_city_in(m["name"]):
                out = with_traveller(out, start, end)
    return out


def name_words_ok(phrase: str) -> bool:
    """Whether the words of `phrase` (titles aside) may make a name: none begins the next
    phrase ("Zimmer", "Please") or names a month or a weekday."""
    words = [w for w in phrase.split() if not re.fullmatch(TITLE, w)]
    return bool(words) and not any(w.lower() in NOT_NAME or is_calendar_word(w) for w in words)


def with_traveller(spans: list[FoundSpan], start: int, end: int) -> list[FoundSpan]:
    """`spans` with a rule traveller at [start, end) in place of the spans it overlaps,
    unless a traveller covers some of it already."""
    found = FoundSpan("traveler_names", start, end, DEFAULT_RULE_CONFIDENCE, "rules", "person")
    over = [s for s in spans if s.overlaps(found)]
    if any(s.field == "traveler_names" for s in over):
        return spans
    return [s for s in spans if s not in over] + [found]
