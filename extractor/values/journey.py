"""Where someone comes from, goes through or goes back to: places a request names that are no
destination ("our team from Munich", "via Frankfurt", "the evening flight back to Doha")."""

from __future__ import annotations

import re

# the word before a city someone comes or leaves from: "our team from Munich", "via Frankfurt"
_LEFT_FROM = re.compile(r"\b(?:from|ab|von|aus|via|über|leaving|departing)[ \t]+$",
                        re.IGNORECASE)


def left_from(text: str, start: int) -> bool:
    """Whether the place at `start` of `text` is where someone comes or leaves from, or goes
    through: no destination."""
    return bool(_LEFT_FROM.search(text, max(0, start - 12), start))


# before a city someone goes home to: "flight back to Doha" (not "wieder in": "again in")
_BACK_TO = re.compile(r"(?<!\w)(?:back to|home to|return to|returning to|zurück nach|zurueck nach"
                      r"|heim nach)[ \t]+$", re.IGNORECASE)


def gone_back_to(text: str, start: int) -> bool:
    """Whether the place at `start` of `text` is where someone goes back to: no destination."""
    return bool(_BACK_TO.search(text, max(0, start - 16), start))


def passed_through(text: str, start: int) -> bool:
    """Whether the place at `start` of `text` is one someone leaves from, goes through or
    goes back to (`left_from`, `gone_back_to`): a place named so is none to stay in."""
    return left_from(text, start) or gone_back_to(text, start)
