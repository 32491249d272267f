"""How a short message signs, where it has no sign-off line with a name under it (a chat, a
one-line note): after a sign-off ending its last sentence ("... 3-5 Feb? Thanks, Daniel"),
after a dash on its last line ("...\n- Jess Alvarez"), or by a full name alone ending it
("..., meeting's off. Bogdan Kowalczyk"). `extractor.signature.signer_span` asks here when it
finds no sign-off line."""

from __future__ import annotations

import re

from extractor.lexicon import lexicon
from extractor.values.places import known_city_in, only_common_words

# a sign-off at the end of the last sentence, in a one-line text ("... 3-5 Feb? Thanks, Daniel")
_INLINE_SIGN_OFF = re.compile(
    r"[.!?]\s+(?:thanks|thank you|thank u|many thanks|thanks a lot|thx|ty|ta|cheers|regards|best"
    r"|danke|danke dir|danke euch|danke schön|vielen dank|merci|grazie|gracias|lg|vg|mfg|gruß"
    r"|gruss|grüße|grüsse|ciao)\b[,!.]*\s*[-–]?\s+"
    r"(?P<name>[^\W\d_][\w.'-]*(?:\s+(?:[&+]\s+)?[^\W\d_][\w.'-]*){0,3})"  # "lena + mia"
    # a short name with the full one in brackets: "Gruß Flo (Florian Huber)"
    r"(?:\s*\((?P<full>[^\W\d_][\w.'-]*(?:\s+[^\W\d_][\w.'-]*){1,3})\))?[.!]?\s*$",
    re.I)


# a name alone after a dash on the last line, as short messages sign: "...\n- Jess Alvarez"
_LIST_ITEM = re.compile(r"[ \t]*[-–—~•*]")
_DASH_SIGNED = re.compile(r"\n[ \t]*[-–—~][ \t]*(?P<name>[^\W\d_][\w.'-]*"
                          r"(?:[ \t]+[^\W\d_][\w.'-]*){0,2})[ \t]*$")


# ... or a full name alone ending a short message, after its last sentence or on its own line:
# "pls cancel my hotel in frankfurt next week, meeting's off. Bogdan Kowalczyk", "... same.
# — Daniel Kim"
_BARE_SIGNED = re.compile(
    r"(?:[.!?]|\n)[ \t]*(?:[-–—~][ \t]*)?"
    r"(?P<name>[^\W\d_][\w'’-]+(?:[ \t]+(?:[&+][ \t]+)?[^\W\d_][\w'’-]+){1,3})[ \t]*$")
_SHORT_MESSAGE = 600  # characters: a chat or a note, not a letter with a signature block
_HOTEL_WORDS = frozenset(w for w in lexicon().places.hotel_words if " " not in w)


def _bare_signer(text: str) -> tuple[int, int] | None:
    """Where a full name alone ends a short `text` (`_BARE_SIGNED`): each word capitalised,
    none a hotel's word, a known city or a common word."""
    m = _BARE_SIGNED.search(text, max(0, len(text) - 60)) if len(text) <= _SHORT_MESSAGE else None
    if m is None:
        return None
    words = [w for w in m["name"].split() if w not in ("&", "+")]  # "Oksana & Petro Kovalenko"
    if not all(w[:1].isupper() and not w.isupper() for w in words) or any(
            w.casefold() in _HOTEL_WORDS or only_common_words(w) for w in words) \
            or known_city_in(m["name"]):
        return None
    return m.start("name"), m.end("name")


def short_message_signer(text: str) -> tuple[int, int] | None:
    """Where the name signing a short `text` (stripped at its end) stands, as character
    offsets, or None: a sign-off ending the last sentence, a dash on the last line (not a
    list's last item: "- 2 EZ\n- Breakfast included"), or a full name alone at the end."""
    inline = _INLINE_SIGN_OFF.search(text, max(0, len(text) - 200))
    if inline is not None:
        group = "full" if inline["full"] else "name"
        return inline.start(group), inline.end(group)
    dashed = _DASH_SIGNED.search(text, max(0, len(text) - 60))
    if dashed is None:
        return _bare_signer(text)
    if _LIST_ITEM.match(text[: dashed.start()].rsplit("\n", 1)[-1]):
        return None
    return dashed.start("name"), dashed.end("name")
