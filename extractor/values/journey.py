"""Where someone comes from, goes through or goes back to, or is stranded: places a request
names that are no destination ("our team from Munich", "via Frankfurt", "the evening flight
back to Doha", the Toronto of "flight to Toronto cancelled, stuck at FRA"), and the one that is
(Frankfurt there)."""

from __future__ import annotations

import re

from extractor.values.places import is_known_city, normalize_destination

# the word before a city someone comes or leaves from: "our team from Munich", "via Frankfurt",
# "can't get out of Lagos before the 13th"
_LEFT_FROM = re.compile(r"\b(?:from|ab|von|aus|via|über|leaving|departing|out of)[ \t]+$",
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


# a flight or a connection to a city, then what stopped it, in one sentence, from a traveller
# stranded on the way: "flight to toronto cancelled, stuck at FRA", "Emirates cancelled our
# connection to Manchester, stuck at DXB", "in istanbul gestrandet, anschlussflug nach teheran
# erst übermorgen" (not "cancel tonight's hotel, my flight to Boston got cancelled")
_FLIGHT_TO = re.compile(r"(?<!\w)(?:flights?|connection|connecting flight|\w*flug|\w*flüge"
                        r"|\w*verbindung)[ \t]+(?:to|nach)[ \t]+$", re.IGNORECASE)
_STRANDED_WORDS = r"stuck|stranded|grounded|gestrandet|fest"
_STOPPED = re.compile(r"(?<!\w)(?:cancell?ed|missed|diverted|overbooked|gestrichen|annulliert"
                      rf"|ausgefallen|verpasst|{_STRANDED_WORDS})(?!\w)", re.IGNORECASE)
_STRANDED_WORD = re.compile(rf"(?<!\w)(?:{_STRANDED_WORDS})(?!\w)", re.IGNORECASE)
_SENTENCE_STOPS = ".!?\n"


def flight_missed(text: str, start: int) -> bool:
    """Whether the place at `start` of `text` is where a cancelled or missed flight was to go,
    and the traveller is stranded elsewhere (where they stay)."""
    if not _FLIGHT_TO.search(text, max(0, start - 30), start) or not _STRANDED_WORD.search(text):
        return False
    begin = max(text.rfind(c, 0, start) for c in _SENTENCE_STOPS) + 1
    end = min((i for c in _SENTENCE_STOPS if (i := text.find(c, start)) >= 0), default=len(text))
    return bool(_STOPPED.search(text, begin, end))


# where a traveller is stranded: "stuck at FRA", "stranded in Doha", "bin grad in istanbul
# gestrandet", "sitz am Flughafen MUC fest"
_AT = r"(?:at|in|am|im)[ \t]+(?:(?:the|dem)[ \t]+)?(?:(?:airport|flughafen)[ \t]+)?"
_STRANDED = re.compile(
    rf"(?<!\w)(?:stuck|stranded|grounded|gestrandet)[ \t]+{_AT}(?P<after>[^\W\d_][\w-]*)"
    rf"|(?<!\w){_AT}(?P<before>[^\W\d_][\w-]*)[ \t]+(?:gestrandet|fest|stuck|stranded)(?!\w)",
    re.IGNORECASE)


def stranded_in(text: str) -> tuple[str, int, int] | None:
    """The city where `text` says its writer is stranded, by its name or the short form of it
    or its airport ("stuck at FRA": Frankfurt), and where; None when it says none."""
    for m in _STRANDED.finditer(text):
        group = "after" if m["after"] is not None else "before"
        if (city := normalize_destination(m[group])) and is_known_city(city):
            return city, m.start(group), m.end(group)
    return None


def passed_through(text: str, start: int) -> bool:
    """Whether the place at `start` of `text` is one someone leaves from, goes through, goes
    back to or was to fly to when the flight was cancelled (`left_from`, `gone_back_to`,
    `flight_missed`): a place named so is none to stay in."""
    return left_from(text, start) or gone_back_to(text, start) or flight_missed(text, start)
