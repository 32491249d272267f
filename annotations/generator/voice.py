"""Who a phrase speaks for: the writer ("i": "I need", "book me", "brauche") or a group the
writer belongs to ("we": "we need", "uns beide"), or nobody in particular.

A generated email's labels come from its plan (`annotations.generator.party`), never from its
words; the voice only keeps the phrasebook from contradicting the plan. A request the writer
makes for others must not say "I'll arrive late", and one made for the writer alone must not
say "we need". The voice of a template is read from its words once, here, and cached.
"""

from __future__ import annotations

import re
from functools import lru_cache

# first person singular, with the bare verbs of phone German and English ("brauche ein
# Zimmer", "need a hotel in Rome") whose subject is the writer
_I = re.compile(
    r"(?i)\b(i|i'd|i'm|i'll|i've|me|my|myself|mine|need|needed|looking|ich|mir|mich|mein|"
    r"meine|meinen|meinem|meiner|meines|brauche|bräuchte|suche)\b")
# first person plural; case matters for "us" so that "US$" is no pronoun
_WE = re.compile(r"\b([Ww]e|[Ww]e're|[Ww]e'd|[Ww]e'll|us|[Ww]ir|[Uu]ns)\b")

ALL: frozenset[str] = frozenset({"i", "we"})


@lru_cache(maxsize=8192)
def voice_of(text: str) -> frozenset[str]:
    """The persons `text` speaks for: a subset of {"i", "we"} (empty: neither)."""
    found = set()
    if _I.search(text):
        found.add("i")
    if _WE.search(text):
        found.add("we")
    return frozenset(found)
