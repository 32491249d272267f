"""One city's several stays: a draft cut where its dates run one after another."""

from __future__ import annotations

import datetime as dt

from extractor.form import Stay
from extractor.stays.assembly import assemble
from extractor.stays.draft import DATED, SHARED_FIELDS, AssembledStay, StayDraft, share
from extractor.values.valued import Valued


def assemble_all(draft: StayDraft, text: str, *, reference: dt.date, lang: str | None
                 ) -> list[AssembledStay]:
    """The stays of one destination's draft: one per run of dates when it holds several stays
    one after the other ("vom 11. bis 13. November im Hyatt, vom 13. bis 15. November im 25hours"),
    else the one stay `assemble` makes of it."""
    parts = _date_runs(draft, text)
    if len(parts) > 1:
        stays = [assemble(part, text, reference=reference, lang=lang) for part in parts]
        if _one_after_another([a.stay for a in stays]):
            return stays
        stays = _each_after_the_one_before(stays[0], parts[1:], text, reference=reference,
                                           lang=lang)
        if _one_after_another([a.stay for a in stays], gap=RE_READ_GAP):
            return stays
    return [assemble(draft, text, reference=reference, lang=lang)]


# runs re-read after the run before them must follow it closely: a day pushed into the next
# month by the re-reading ("3." of a numbered list) is no stay of the trip
RE_READ_GAP = dt.timedelta(days=1)


def _each_after_the_one_before(first: AssembledStay, rest: list[StayDraft], text: str, *,
                               reference: dt.date, lang: str | None) -> list[AssembledStay]:
    """The first run's stay (`first`, as read) and the later runs' (`rest`), each with its
    dates read after the arrival of the run before it: a day written alone belongs to the
    trip's month ("from 20 January, and then from the 23rd"), not to the month the email was
    sent in."""
    stays = [first]
    for part in rest:
        before = stays[-1].stay.check_in.value or reference
        stays.append(assemble(part, text, reference=max(before, reference), lang=lang))
    return stays


def _date_runs(draft: StayDraft, text: str) -> list[StayDraft]:
    """The draft cut where a new arrival follows a complete stay (an arrival with a departure
    or nights): each other span joins the run it lies in (those before the first, the first:
    "three nights at the Breidenbacher Hof from 20 January"). A field stated in one run only
    (the city, rooms, budget, travellers...) holds for all of them."""
    items = sorted((i for items in draft.spans.values() for i in items),
                   key=lambda i: i.span.start)
    runs: list[list[Valued]] = [[]]
    for item in (i for i in items if i.span.field in DATED):
        run = runs[-1]
        arrived = [i for i in run if i.span.field == "check_in"]
        if (item.span.field == "check_in" and arrived and len(run) > len(arrived)
                and all(text[i.span.start : i.span.end] != text[item.span.start : item.span.end]
                        for i in arrived)):
            runs.append([])
        runs[-1].append(item)
    if len(runs) == 1:
        return [draft]
    starts = [run[0].span.start for run in runs]
    parts = [StayDraft() for _ in runs]
    for k, run in enumerate(runs):
        for item in run:
            parts[k].add(item)
    for item in (i for i in items if i.span.field not in DATED):
        k = max([k for k, start in enumerate(starts) if start <= item.span.start], default=0)
        parts[k].add(item)
    share(parts, (*SHARED_FIELDS, "destination"), always=("destination",))
    return parts


def _one_after_another(stays: list[Stay], gap: dt.timedelta | None = None) -> bool:
    """Whether each stay has an arrival, and each arrives after the one before it arrived and
    no earlier than it leaves (a second arrival inside a stay restates or changes it), and,
    with a `gap`, no later than that after it leaves."""
    arrivals: list[dt.date] = [s.check_in.value for s in stays if s.check_in.value]
    if len(arrivals) < len(stays):
        return False
    leaves = [s.check_out.value or a for s, a in zip(stays, arrivals, strict=True)]
    return all(arrivals[k] > arrivals[k - 1] and arrivals[k] >= leaves[k - 1]
               and (gap is None or arrivals[k] <= leaves[k - 1] + gap)
               for k in range(1, len(stays)))
