"""The week or day a stay's bare weekdays are read in: a week another mention names, or its
line, or the text once before it, or right after the range ("Wednesday and Thursday night
next week"; `with_week`); the month bare days are read in ("in March, from 16 to 20";
`month_said_before`); and the event the request dates around them: "Die Trauung ist am
Samstag, 12. September ... drei Zimmer von Freitag bis Sonntag" is the weekend of the
wedding, not the next Friday after the email (`event_reference`)."""

from __future__ import annotations

import datetime as dt
import re

from extractor.lexicon import alternation, lexicon
from extractor.spans import FoundSpan
from extractor.stays.draft import StayDraft
from extractor.values.dates import (
    DateParse,
    calendar_weeks,
    date_kind,
    names_a_weekday,
    parse_date,
    week_named,
    week_opening,
    weekday_named,
)
from extractor.values.valued import Valued

# an event this many days or more after the email is what bare weekdays are read around
EVENT_LEAD_DAYS = 7
# the writer is at the hotel now: "I'm at the H10 ..., booked mon-thu", "Bin seit Sonntag im Hyatt"
_STAYING_NOW = re.compile(rf"(?<![\w'’])(?:{alternation(lexicon().cues.staying_now)})(?!\w)",
                          re.IGNORECASE)
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
    dated = [text[r.start : r.end] for r in rules if r.kind == "date"
             and not any(s.start < r.end and r.start < s.end for s in stay_days)]
    events = {day for said in dated if any(c.isdigit() for c in said) and _with_weekday(said)
              and (day := parse_date(said, reference=received).value) is not None}
    if len(events) != 1 or ((event := events.pop()) - received).days < EVENT_LEAD_DAYS:
        return None
    return event - _BEFORE_EVENT


def staying_now_reference(spans: list[FoundSpan], text: str, received: dt.date
                          ) -> dt.date | None:
    """The day to read the stay's bare weekdays against when the writer is at the hotel now
    ("im at the H10 Casa Mimosa, booked mon-thu. can u add one more night so i check out fri",
    "Bin seit Sonntag im Hyatt, eigentlich bis Samstag"): six days before `received`, so the
    arrival is the last such day up to today and the departure follows it. None when the text
    says no such thing or a stay day is written otherwise than as a weekday."""
    stay_days = [s for s in spans if s.field in ("check_in", "check_out")]
    if not stay_days or not _STAYING_NOW.search(text) or not all(
            names_a_weekday(said) and not any(c.isdigit() for c in said)
            for said in (text[s.start : s.end] for s in stay_days)):
        return None
    return received - dt.timedelta(days=6)


def _with_weekday(text: str) -> bool:
    """Whether a dated expression also names its weekday ("Samstag, 12. September")."""
    return any(names_a_weekday(word) for word in text.replace(",", " ").split())


_LIST_ITEM = re.compile(r"^[ \t]*\d{1,2}[.)][ \t]+")
# what may stand between a range's last day and the week it names: "Thursday [night] next week"
_BEFORE_WEEK_AFTER = re.compile(r"[ \t]*(?:(?:nights?|nacht|abend)[ \t]+)?(?:in[ \t]+(?:der[ \t]+)?)?",
                                re.IGNORECASE)


def with_week(items: list[Valued], others: list[Valued], text: str) -> str:
    """The first mention's text, with the week another mention (of `items` or the other end's
    `others`) names, alone or beside its day, put before a bare weekday: "[the week after
    next], [Monday]" is the Monday of the week after next; "[Montag] bis [Donnerstag] in [KW
    14]" lie in week 14; "[Mittwoch] und [Donnerstag nächste Woche], also Abreise am [Freitag]"
    are the days of next week. Else a week its line names just before it, read or not
    ("Dates: the week after next, [Monday] to [Friday]"), one named right after the range's
    last day ("[Wednesday] and [Thursday] night next week"), or the one week the text names
    before it ("für KW 12 in Wien ... Anreise [Montag], Abreise [Freitag]"; "Graham is heading
    up to Asia the week after next ... Singapore – [Monday] to [Wednesday]")."""
    first = items[0].value
    if not names_a_weekday(first) or week_named(first):
        return first
    week = next((w for i in [*items[1:], *others] if (w := week_named(i.value))), None)
    if week is None:
        at = items[0].span.start
        line = text[max(text.rfind("\n", 0, at) + 1, at - 60) : at]
        week = week_named(_LIST_ITEM.sub("", line, count=1))  # "2. KW 22, [Dienstag]": week 22
    if week is None:
        end = max(i.span.end for i in [items[0], *others[:1]])  # the range's two days
        gap = _BEFORE_WEEK_AFTER.match(text, end)
        week = week_opening(text[gap.end() if gap else end :][:30])
    if week is None:
        weeks = calendar_weeks(text[: items[0].span.start], later=True)
        week = weeks.pop() if len(weeks) == 1 else None
    return f"{week}, {first}" if week else first  # a comma: "kw 14 am" is no time


def dated_instead(items: list[Valued], k: int, parsed: DateParse, reference: dt.date,
                  lang: str | None) -> tuple[int, DateParse]:
    """Of a stay's mentions of one date, the one that dates the bare weekday `items[k]` names
    instead of it ("arriving [Friday] morning [6 March]"; "from [9] till [12 February 2027]
    (arrival on [Tuesday], departure on [Friday])"): a weekday said beside its date restates
    it, and read alone it would be the next such day after the email. `items[k]` and
    `parsed` themselves when no other mention falls on its weekday."""
    if len(items) < 2 or (weekday := weekday_named(items[k].value)) is None:
        return k, parsed
    for j, item in enumerate(items):
        if j != k and (other := parse_date(item.value, reference=reference, lang=lang)).value \
                and other.value.weekday() == weekday:
            return j, other
    return k, parsed


def weekdays_only(draft: StayDraft) -> bool:
    """Whether every arrival and departure `draft` names is a bare weekday ("Zürich: Donnerstag
    auf Freitag" after "Wien: Montag, 7.9. bis Mittwoch, 9.9."): a stop of a trip read on from
    the stop before it, not from the email's date."""
    days = [v for field in ("check_in", "check_out") for v in draft.spans.get(field, [])]
    return bool(days) and all(names_a_weekday(v.value) for v in days)


_MONTH_NAMES = alternation([n for m in lexicon().calendar.months for n in m.names])
# a month the writer names before days that lack one: "to Miami in March, from [16] to [20]"
_IN_MONTH = re.compile(rf"(?<!\w)(?:in|im|for|für|during|this|next|nächsten|kommenden)[ \t]+"
                       rf"(?P<month>{_MONTH_NAMES})(?!\w)(?!\.?[ \t]*\d)", re.IGNORECASE)
_MONTH_REACH = 80  # characters before the first day, in its sentence


def month_said_before(items: list[Valued], text: str) -> str | None:
    """The month named just before a stay's days when none of them names one ("Me and my 2
    sisters travel to Miami in March, from [16] to [20]"): the days are of that month, not of
    the month the email was sent in. None when a day names its month, or none is named."""
    kinds = [(i, date_kind(i.value)) for i in items]
    if any(kind not in ("day", "vague", None) for _, kind in kinds):
        return None
    days = [i.span.start for i, kind in kinds if kind == "day"]
    if not days:
        return None
    at = min(days)
    before = text[max(0, at - _MONTH_REACH) : at]
    before = before[max(before.rfind(". "), before.rfind("\n")) + 1 :]
    months = list(_IN_MONTH.finditer(before))
    return months[-1]["month"] if months else None
