"""A stay around an event the text dates: "I'd like to arrive the evening before the summit
starts and leave on the last day", "Ich möchte am Vorabend der Tagung anreisen". The dates
read from the text are then the event's, and the arrival is the day before its first."""

from __future__ import annotations

import datetime as dt
import re

from extractor.form import FormField, Stay
from extractor.layout import Layout

# an arrival the evening before, in one sentence: "arrive the evening before the summit",
# "am Vorabend der Tagung anreisen", "Anreise am Vorabend"
_BEFORE = (r"(?:the\s+(?:evening|night|day)\s+before|the\s+previous\s+(?:evening|day)"
           r"|am\s+vorabend|am\s+vortag)")
_ARRIVE = r"(?:arriv\w*|fly in|flying in|check in|check-in|anreis\w*|ankommen|ankunft|reisen? \w+ an)"
_EVENING_BEFORE = re.compile(
    rf"(?<!\w){_ARRIVE}(?!\w)[^.!?]{{0,40}}?(?<!\w){_BEFORE}(?!\w)"
    rf"|(?<!\w){_BEFORE}(?!\w)[^.!?]{{0,40}}?(?<!\w){_ARRIVE}(?!\w)", re.IGNORECASE)
_BEFORE_WORDS = re.compile(rf"(?<!\w){_BEFORE}(?!\w)", re.IGNORECASE)
# the day the evening before is of, named right after it: "am Vorabend von [Fronleichnam]"
_OF_DAY = 30
_OF = re.compile(r"\s*(?:of|von|vom|des|der|dem|zu|zum)?\s*(?:the\s+)?", re.IGNORECASE)


def evening_before(stay: Stay, layout: Layout) -> Stay:
    """The one stay of a text whose writer arrives the evening before the event the text
    dates ("vom 22. bis 24. April bin ich auf der Frühjahrstagung ... Ich möchte am Vorabend
    der Tagung anreisen"): its arrival one day before the first day read, when that day was
    read outside the sentence that says so (a day in it is the arrival itself: "arrive the
    evening before, on 17 May") or right after the words ("Anreise ist am Vorabend von
    [Fronleichnam]"). Nights follow; derived."""
    ci, co = stay.check_in, stay.check_out
    request = layout.request
    cue = _EVENING_BEFORE.search(request)
    if cue is None or ci.value is None or not ci.evidence:
        return stay
    words = _BEFORE_WORDS.search(request, cue.start(), cue.end())
    said = words.end() if words else cue.end()
    of_day = any(said <= e.start <= said + _OF_DAY and _OF.fullmatch(request, said, e.start)
                 for e in ci.evidence)
    lo = max(request.rfind(".", 0, cue.start()), request.rfind("\n\n", 0, cue.start()))
    hi = min([i for i in (request.find(".", cue.end()), request.find("\n\n", cue.end()))
              if i >= 0] or [len(request)])
    if not of_day and any(lo < e.start < hi for e in ci.evidence):
        return stay
    arrival = ci.value - dt.timedelta(days=1)
    update: dict[str, FormField] = {"check_in": ci.model_copy(update={
        "value": arrival, "source": "derived"})}
    if co.value is not None and co.value > arrival:
        update["nights"] = stay.nights.model_copy(update={
            "value": (co.value - arrival).days, "source": "derived",
            "confidence": min(ci.confidence, co.confidence)})
    return stay.model_copy(update=update)
