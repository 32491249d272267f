"""The words and word shapes merge steps share, built once (word lists from the lexicon)."""

from __future__ import annotations

import re

TITLE = r"(?:Herrn?|Frau|Mr|Mrs|Ms|Miss|Mx|Dr|Prof)\.?"
STARTS_TITLED = re.compile(rf"{TITLE}[ \t]")
NAME_WORD = r"[A-ZÄÖÜÉ][\w'’-]+"
PARTICLE = r"(?:das|des|der|de|la|le|di|da|do|dos|del|of|van|von|y|e)"
# words that begin the next phrase, never a name's next word ("Zimmer", "Please")
NOT_NAME = frozenset("""
    zimmer hotel hotels einzelzimmer doppelzimmer ez dz frühstück breakfast budget anreise abreise
    check vom ab bis max preis nacht nächte bitte please thanks thank danke i we wir ich sie
    the die der das ein eine a an and und or oder for für from to with mit ohne without
    room rooms single double twin suite night nights arrival departure""".split())
# fields whose span is a name written on one line: it ends there and with a name word
LINE_FIELDS = frozenset({"hotel_name", "near", "destination", "traveler_names"})
NAME_FIELDS = frozenset({"hotel_name", "near"})
