"""The day a stay's weekdays are read against when the request names them around an event:
"Die Trauung ist am Samstag, 12. September ... drei Zimmer von Freitag bis Sonntag" is the
weekend of the wedding, not the next Friday after the email."""

from __future__ import annotations

import datetime as dt

from extractor.spans import FoundSpan
from extractor.values.dates import names_a_weekday, parse_date

# an event this many days or more after the email is what bare weekdays are read around
EVENT_LEAD_DAYS = 7
# the weekdays read after this day fall within three days of the event, either side
_BEFORE_EVENT = dt.timedelta(days=4)


def event_reference(spans: list[FoundSpan], rules: list[FoundSpan], text: str,
                    received: dt.date) -> dt.date | None:
    """The day to read the stay's arrival and departure against, when every one of them is
    a bare weekday ("Anreise Freitag", "von Freitag bis Sonntag") and the text dates exactly
    one day with its weekday ("am Samstag, 21. November") at least `EVENT_LEAD_DAYS` after
    `received`: four days before that day, so the weekdays fall around it. None otherwise."""
    stay_days = [s for s in spans if s.field in ("check_in", "check_out")]
    if not stay_days or not all(names_a_weekday(text[s.start : s.end]) for s in stay_days):
        return None
    events = {parse_date(text[r.start : r.end], reference=received).value for r in rules
              if r.kind == "date" and any(c.isdigit() for c in text[r.start : r.end])
              and _with_weekday(text[r.start : r.end])
              and not any(s.start < r.end and r.start < s.end for s in stay_days)}
    events.discard(None)
    if len(events) != 1:
        return None
    event = events.pop()
    if event is None or (event - received).days < EVENT_LEAD_DAYS:
        return None
    return event - _BEFORE_EVENT


def _with_weekday(text: str) -> bool:
    """Whether a dated expression also names its weekday ("Samstag, 12. September")."""
    return any(names_a_weekday(word) for word in text.replace(",", " ").split())
