"""Stay dates: draw the true dates of a stay, then write them in one of many phrasings.

The true dates are drawn first (`draw_dates`); `render_dates` picks a phrasing from
`data/dates.json` whose every slot can express them (a yearless "3 May" only where reading it
against the received date, preferring the future, gives back the same day; "next Tuesday" only
where no reader could take it for another Tuesday) and returns the markup with the form values
it states, derived ones (check_out from nights, the Friday of a calendar week) included.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

from annotations.generator.context import Ctx
from annotations.generator.datewords import (
    ANY_CODES,
    MONTHS,
    WEEKDAYS,
    YEARLESS,
    format_date,
    iso_week_monday,
    resolve_yearless,
    weekday_name,
)
from annotations.generator.numbers import count_phrase
from annotations.generator.vocab import cap, mark

MODES = ("range", "in_nights", "range_nights", "in_only", "kw", "vague", "vague_nights")
_MODE_WEIGHTS = (46, 27, 8, 2, 4, 2, 1.2)
_SLOT = re.compile(r"\{(ci|co|n|N|vague)(?::([A-Z]+))?\}")
_NIGHTS = (1, 2, 3, 4, 5, 6, 7, 10, 14)
_NIGHT_WEIGHTS = (22, 28, 18, 10, 7, 4, 5, 2, 1)


@dataclass(frozen=True)
class DatePlan:
    """The true dates of one stay and how they are stated (`mode`, one of MODES)."""

    mode: str
    check_in: dt.date | None
    check_out: dt.date | None
    nights: int | None


@dataclass(frozen=True)
class DateValues:
    """What the written dates state, as form values (derived ones included)."""

    check_in: dt.date | None = None
    check_out: dt.date | None = None
    nights: int | None = None


def draw_dates(ctx: Ctx, *, start: dt.date | None = None, mode: str | None = None) -> DatePlan:
    """Draw a stay's dates: from `start` when given (the next leg of a trip), else ahead of the
    received date, mostly within the next two months as booking requests are."""
    mode = mode or ctx.weighted(MODES, _MODE_WEIGHTS)
    nights = ctx.weighted(_NIGHTS, _NIGHT_WEIGHTS)
    if start is None:
        band = ctx.weighted(((0, 13), (14, 60), (61, 180), (181, 320)), (30, 42, 21, 7))
        days = ctx.rng.randint(*band)
        if band[0] == 0:  # short notice is mostly tomorrow or this week
            days = min(int(ctx.rng.expovariate(1 / 4)), 13)
        start = ctx.today + dt.timedelta(days=days)
    if mode == "kw":
        monday = start - dt.timedelta(days=start.weekday())
        if monday <= ctx.today:
            monday += dt.timedelta(days=7)
        return DatePlan("kw", monday, monday + dt.timedelta(days=4), 4)
    if mode.startswith("vague"):
        return DatePlan(mode, None, None, nights if mode == "vague_nights" else None)
    return DatePlan(mode, start, start + dt.timedelta(days=nights), nights)


def render_dates(ctx: Ctx, plan: DatePlan, kind: str, lang: str | None = None
                 ) -> tuple[str, DateValues]:
    """Markup stating `plan` as a `kind` phrase ("pp" inline, "sent" sentence, "bare" terse,
    "struct" form lines) and the values it states."""
    lang = lang or ctx.lang
    templates = list(ctx.vocab.dates[lang][plan.mode][kind])
    # relative phrasings are few among many; prefer them where the dates allow one
    soon = plan.check_in is not None and (plan.check_in - ctx.today).days <= 2
    weights = [(10.0 if soon else 4.0) if ("REL" in t or "WDN" in t) else 1.0 for t in templates]
    while templates:
        i = ctx.rng.choices(range(len(templates)), weights=weights, k=1)[0]
        filled = fill(ctx, lang, plan, templates[i])
        if filled is not None:
            return filled
        del templates[i], weights[i]
    raise ValueError(f"no {kind} phrasing of {plan} in {lang}")


def fill(ctx: Ctx, lang: str, plan: DatePlan, template: str) -> tuple[str, DateValues] | None:
    """`template` (a dates.json phrasing) filled with `plan`'s dates, or None where one of its
    slots cannot express them."""
    used: set[str] = set()
    chosen: dict[str, str] = {}  # the ANY format of the first date, kept for the second
    parts: list[str] = []
    pos = 0
    for m in _SLOT.finditer(template):
        slot, code = m.group(1), m.group(2)
        text = _slot_text(ctx, lang, plan, slot, code, chosen)
        if text is None:
            return None
        used.add(slot.lower())
        parts.append(template[pos : m.start()])
        parts.append(text)
        pos = m.end()
    parts.append(template[pos:])
    return "".join(parts), _values(plan, used)


def _values(plan: DatePlan, used: set[str]) -> DateValues:
    check_in = plan.check_in if "ci" in used else None
    check_out = plan.check_out if ("co" in used or plan.mode == "kw") else None
    nights = plan.nights if "n" in used else None
    if check_in and check_out:
        nights = (check_out - check_in).days
    elif check_in and nights:
        check_out = check_in + dt.timedelta(days=nights)
    return DateValues(check_in, check_out, nights)


def _slot_text(ctx: Ctx, lang: str, plan: DatePlan, slot: str, code: str | None,
               chosen: dict[str, str]) -> str | None:
    if slot in ("n", "N"):
        assert plan.nights is not None
        if code == "N":
            return mark(str(plan.nights), "nights")
        phrase = nights_phrase(ctx, lang, plan.nights)
        return cap(phrase) if slot == "N" else phrase
    if slot == "vague":
        return _vague(ctx, lang)
    d = plan.check_in if slot == "ci" else plan.check_out
    assert d is not None and code is not None
    label = "check_in" if slot == "ci" else "check_out"
    text = _date_text(ctx, lang, plan, code, d, chosen)
    return None if text is None else mark(text, label)


def _date_text(ctx: Ctx, lang: str, plan: DatePlan, code: str, d: dt.date,
               chosen: dict[str, str]) -> str | None:
    ci, co, today = plan.check_in, plan.check_out, ctx.today
    assert ci is not None
    ordinals = chosen.setdefault("ordinals", "yes" if ctx.chance(0.3) else "") == "yes"
    if code in ("D", "TH"):
        if co is None or (ci.year, ci.month) != (co.year, co.month) or not _yearless_ok(today, d):
            return None
        return format_date(ctx, lang, code, d, ordinals=ordinals)
    if code == "ANY":
        codes = [(c, w) for c, w in ANY_CODES[lang] if c not in YEARLESS or _yearless_ok(today, d)]
        usable = {c for c, _ in codes}
        # one writer keeps one format within a range, mostly
        if chosen.get("ANY") in usable and ctx.chance(0.85):
            return format_date(ctx, lang, chosen["ANY"], d, ordinals=ordinals)
        chosen["ANY"] = ctx.weighted(*zip(*codes, strict=True))
        return format_date(ctx, lang, chosen["ANY"], d, ordinals=ordinals)
    if code in YEARLESS:
        return format_date(ctx, lang, code, d, ordinals=ordinals) if _yearless_ok(today, d) \
            else None
    if code in ("DMY", "NUMY", "ISO"):
        return format_date(ctx, lang, code, d, ordinals=ordinals)
    if code == "REL":
        forms = relative_forms(ctx, lang, today, d)
        return ctx.pick(forms) if forms else None
    if code == "WD":
        return weekday_name(ctx, lang, d) if co and 1 <= (co - ci).days <= 6 else None
    if code in ("WDN", "WDNEXT"):
        if co is None or _monday(ci) != _monday(today) + dt.timedelta(days=7) or \
                _monday(co) != _monday(ci):
            return None
        name = WEEKDAYS[lang][d.weekday()]
        if code == "WDN":
            return name
        return ctx.pick([f"{name} next week"] if lang == "en"
                        else [f"{name} nächster Woche", f"{name} kommender Woche"])
    if code == "KW":
        week = ci.isocalendar().week
        if plan.mode != "kw" or iso_week_monday(today, week) != ci:
            return None
        return ctx.pick(
            [f"week {week}", f"calendar week {week}", f"CW {week}", f"CW{week}", f"KW {week}"]
            if lang == "en" else
            [f"KW {week}", f"KW{week}", f"Kalenderwoche {week}", f"{week}. KW",
             f"{week}. Kalenderwoche", f"KW {week}"])
    raise ValueError(f"unknown date code {code}")


def _monday(d: dt.date) -> dt.date:
    return d - dt.timedelta(days=d.weekday())


def _yearless_ok(today: dt.date, d: dt.date) -> bool:
    # strictly after today, so "3 May" written on 3 May is never needed; and the reading of a
    # yearless day-month must give back this very date
    return d > today and resolve_yearless(today, d.month, d.day) == d


def relative_forms(ctx: Ctx, lang: str, today: dt.date, d: dt.date) -> list[str]:
    """The relative expressions that mean `d` on `today` without doubt ("tomorrow", "next Tuesday"
    only when the coming Tuesday already lies in next week)."""
    delta = (d - today).days
    if delta < 0:
        return []
    wd = weekday_name(ctx, lang, d)
    en = lang == "en"
    forms: list[str] = []
    if delta <= 2:  # people say "tomorrow" far more than "Thursday" for tomorrow
        forms += 3 * ([["today", "tonight"], ["tomorrow"], ["the day after tomorrow"]][delta] if en
                      else [["heute"], ["morgen"], ["übermorgen"]][delta])
    same_week = _monday(d) == _monday(today)
    next_week = _monday(d) == _monday(today) + dt.timedelta(days=7)
    if 1 <= delta <= 6:
        forms += [wd, f"this coming {wd}"] if en else [wd, f"kommenden {wd}"]
        if same_week:
            forms.append(f"this {wd}" if en else f"diesen {wd}")
    if next_week:
        forms += [f"{wd} next week"] if en else [f"nächste Woche {wd}", f"{wd} nächste Woche"]
        if delta <= 7 and today.weekday() < 5:  # on a weekend "next Tuesday" is read both ways
            forms.append(f"next {wd}" if en else f"nächsten {wd}")
    return forms


def nights_phrase(ctx: Ctx, lang: str, nights: int) -> str:
    """A marked nights phrase: "[[3 nights|nights]]", "[[zwei Nächte|nights]]"."""
    book = ctx.book(lang)
    if nights == 1:
        return mark(ctx.pick(book["nights_one"]), "nights")
    template = ctx.pick(book["nights_core"])
    if "nts" in template:  # the abbreviation goes with digits, and only in casual notes
        return mark(template.format(n=nights) if ctx.casual else
                    book["nights_core"][0].format(n=nights), "nights")
    return mark(template.format(n=count_phrase(ctx, lang, nights)), "nights")


def _vague(ctx: Ctx, lang: str) -> str:
    month = (ctx.today.month + ctx.rng.randint(1, 4) - 1) % 12 + 1
    form = ctx.pick(ctx.vocab.dates[lang]["vague_forms"])
    return form.replace("{Month}", MONTHS[lang][month - 1])


def render_single(ctx: Ctx, lang: str, d: dt.date, label: str, *, relative: bool = True) -> str:
    """One date on its own, marked as `label`: relative where that is safe, else absolute."""
    forms = relative_forms(ctx, lang, ctx.today, d) if relative else []
    if forms and ctx.chance(0.4):
        return mark(ctx.pick(forms), label)
    codes = [(c, w) for c, w in ANY_CODES[lang] if c not in YEARLESS or _yearless_ok(ctx.today, d)]
    return mark(format_date(ctx, lang, ctx.weighted(*zip(*codes, strict=True)), d), label)
