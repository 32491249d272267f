"""The words and word shapes merge steps share, built once from the lexicon's word lists."""

from __future__ import annotations

import re

from extractor.lexicon import alternation, lexicon

LEX = lexicon()
TITLE = "(?:" + "|".join(re.escape(t.capitalize()) for t in LEX.people.titles) + r")\.?"
STARTS_TITLED = re.compile(rf"{TITLE}[ \t]")
TITLE_WORD = re.compile(TITLE)  # a title as a whole word: "Dr.", "Frau"
NAME_WORD = r"[A-ZÄÖÜÉ][\w'’-]+"
PARTICLE = alternation(LEX.places.name_particles)
# words that begin the next phrase, never a name's next word ("Zimmer", "Please")
NOT_NAME = frozenset(LEX.names.not_name_words)
# fields whose span is a name written on one line: it ends there and with a name word
LINE_FIELDS = frozenset({"hotel_name", "near", "destination", "traveler_names"})
NAME_FIELDS = frozenset({"hotel_name", "near"})
# someone comes along: "kommt mit", "begleitet mich", "is joining" (the lexicon's cues.joins)
COMES_ALONG = re.compile(rf"(?<!\w){alternation(LEX.cues.joins)}(?!\w)", re.IGNORECASE)


def _legal_forms() -> list[str]:
    """The lexicon's company suffixes as companies write them: "Co.", "GmbH", "LTD", "S.A.",
    "SpA"; two letters only in capitals ("SA", "AG"; "Co" the one exception), so that a
    weekday's "Sa" is none."""
    forms = {"Co"}
    for w in LEX.names.company_suffixes:
        forms |= {w.upper(), ".".join(w.upper())}
        if len(w) > 2:
            forms |= {w.capitalize(), w[0].upper() + w[1:-1] + w[-1].upper()}  # "GmbH", "SpA"
    return sorted(forms, key=len, reverse=True)


# a company's legal form right after a name: "Najd Mining [Co.]", "South Africa [(Pty) Ltd]"
COMPANY_AFTER = re.compile(
    rf"[ \t]+\(?(?:{'|'.join(map(re.escape, _legal_forms()))})\.?\)?(?![\w.])")
