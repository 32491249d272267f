"""The other fields in words: destination, hotel, nearby place, budget, breakfast, travellers.

Each function returns markup and, where the form value is "as written" (hotel, near, names),
that value: the span text without a leading article or title (ANNOTATION.md).
"""

from __future__ import annotations

import re

from annotations.generator.context import Ctx
from annotations.generator.numbers import amount_text
from annotations.generator.plan import Landmark, Person, PricePlan, StayPlan
from annotations.generator.vocab import mark
from extractor.values.venues import place_of_workplace

_DE_ART = {  # preposition + article before a German place, by gender
    "m": {"vom": "vom", "zum": "zum", "am": "am", "dem": "dem", "beim": "beim"},
    "n": {"vom": "vom", "zum": "zum", "am": "am", "dem": "dem", "beim": "beim"},
    "f": {"vom": "von der", "zum": "zur", "am": "an der", "dem": "der", "beim": "bei der"},
}


def destination(ctx: Ctx, lang: str, stay: StayPlan, kind: str) -> str:
    """The city as an inline phrase ("in [[Munich|destination]]"), a sentence, or bare."""
    assert stay.city is not None
    core = mark(stay.city_form, "destination")
    if kind == "bare":
        return core
    book = ctx.book(lang)
    if kind == "pp":
        template = ctx.pick(book["dest_pp"])
        if lang == "en" and ctx.chance(0.08) and stay.city.cc in book["dest_country"]:
            return f"in {core}, {book['dest_country'][stay.city.cc]}"
        return template.format(x=core)
    return ctx.pick(book["dest_sent"]).format(x=core)


def hotel(ctx: Ctx, lang: str, name: str, kind: str) -> tuple[str, str]:
    """The hotel asked for ("at the [[Marriott Frankfurt|hotel_name]]") and its value."""
    book = ctx.book(lang)
    lead = ""
    if name.startswith("The "):
        lead, name = ("the " if lang == "en" else "The "), name[4:]
    core = mark(name, "hotel_name")
    if kind == "bare":
        return (lead + core if lead else core), name
    if kind == "pp":
        if lang == "de":
            template = ctx.pick(book["hotel_pp"] + book["hotel_pp_bare"])
            return template.format(x=(lead + core) if lead else core), name
        art = lead or ("the " if ctx.chance(0.6) else "")
        return ctx.pick(book["hotel_pp"]).format(art=art, x=core), name
    template = ctx.pick(book["hotel_sent"])
    if lang == "de" and lead:
        template = "Hotel: {x}"
    return template.format(x=core), name


_DE_LEADING_ARTICLE = re.compile(r"(?:der|die|das|dem|den) ", re.IGNORECASE)


def near(ctx: Ctx, lang: str, place: Landmark, kind: str) -> tuple[str, str]:
    """A place to be close to ("near the [[Messe|near]]") and its value: the place a workplace
    is at ("our office at [Mill Lane 85]") as the extractor normalizes it."""
    book = ctx.book(lang)
    text = place.text
    art_kind = place.kind == "art"
    if text.startswith("the "):
        text, art_kind = text[4:], True
    # a German article written with the place stays outside the span and the value
    # (docs/ANNOTATION.md: names without a leading article)
    article = _DE_LEADING_ARTICLE.match(text) if lang == "de" else None
    lead = article.group(0) if article else ""
    text = text[len(lead):]
    core, value = lead + mark(text, "near"), place_of_workplace(text)
    if kind == "bare":
        # a German office is named in the dative ("unserem Büro ..."): it needs its preposition
        return (f"nahe {core}" if lang == "de" and text[:1].islower() else core), value
    suffix = "pp" if kind == "pp" else "sent"
    if lang == "en":
        template = ctx.pick(book[f"near_art_{suffix}"] if suffix == "pp" else book["near_sent"])
        art = "the " if art_kind and not (ctx.casual and ctx.chance(0.15)) else ""
        return template.format(art=art, x=core), value
    if art_kind and ctx.chance(0.7):
        template = ctx.pick(book[f"near_art_{suffix}"])
        return template.format(x=core, **_DE_ART[place.gender]), value
    return ctx.pick(book[f"near_bare_{suffix}"]).format(x=core), value


def _currency_text(ctx: Ctx, lang: str, amount: str, currency: str | None) -> str:
    if currency is None:
        return amount
    form = ctx.pick(ctx.book(lang)["cur"][currency])
    if form in ("$", "£", "US$") or (form == "€" and lang == "en" and ctx.chance(0.6)):
        return f"{form}{amount}"
    if form in ("€",):
        return f"{amount}{'' if ctx.chance(0.4) else ' '}{form}"
    if form in ("EUR", "USD", "GBP", "CHF", "Fr.", "SFr.") and ctx.chance(0.35):
        return f"{form} {amount}"
    return f"{amount} {form}"


def price(ctx: Ctx, lang: str, plan: PricePlan, kind: str) -> str:
    """The budget as an inline phrase, a sentence or bare; the unit sits inside the span when it
    is adjacent ("[[€120 per night|max_price]]")."""
    book = ctx.book(lang)
    text = _currency_text(ctx, lang, amount_text(ctx, lang, plan.amount), plan.currency)
    stay_sentence = plan.per == "stay" and kind == "sent" and ctx.chance(0.35)
    if plan.per == "stay" and not stay_sentence:
        text += ctx.pick(book["price_units_stay"])
    elif plan.per == "night" and ctx.chance(0.5):
        unit = ctx.pick(book["price_units_night"])
        if unit in (" pn", "/nt", " p.N.") and not ctx.casual:
            unit = book["price_units_night"][0]
        text += unit
    core = mark(text, "max_price")
    if kind == "bare":
        return f"{ctx.pick(('max ', 'max. ', 'bis ' if lang == 'de' else 'up to ', ''))}{core}"
    if kind == "pp":
        return ctx.pick(book["price_pp"]).format(x=core)
    if stay_sentence:
        return ctx.pick(book["price_stay_sent"]).format(x=core)
    return ctx.pick(book["price_sent"]).format(x=core)


def breakfast(ctx: Ctx, lang: str, value: bool, kind: str) -> str:
    """A breakfast wish or refusal: inline ("[[with breakfast|breakfast]]") or a sentence."""
    key = "breakfast_pp" if kind in ("pp", "bare") else "breakfast_sent"
    options = [m for m, v in ctx.book(lang)[key] if v is value]
    return ctx.pick(options)


def person(ctx: Ctx, lang: str, p: Person) -> tuple[str, str]:
    """One traveller as written (titles sometimes) and the value (title dropped)."""
    titles = ctx.vocab.people["titles"][lang][p.gender]
    roll = ctx.rng.random()
    if roll < (0.4 if ctx.style == "formal" else 0.12):
        title = ctx.pick(titles)
        value = f"{p.first} {p.last}" if ctx.chance(0.4) else p.last
        return f"{title} {value}", value
    if roll < 0.5 and ctx.chance(0.1):
        value = f"{p.first[0]}. {p.last}"
        return value, value
    value = f"{p.first} {p.last}"
    return value, value


def travellers(ctx: Ctx, lang: str, people: list[Person], kind: str, *, with_me: bool = False
               ) -> tuple[str, list[str]]:
    """The travellers, one span each, joined as a list; and their values in order. `with_me`
    adds the writer ("for [[Anna Schmidt]] and me"), who is no span: the writer's name comes
    from the sign-off."""
    book = ctx.book(lang)
    if with_me:
        written = [person(ctx, lang, p) for p in people]
        marks = [mark(text, "traveler_names") for text, _ in written]
        joined = marks[0] if len(marks) == 1 else ", ".join(marks)
        key = "names_self_pp" if kind in ("pp", "bare") else "names_self_sent"
        return ctx.pick(book[key]).format(x=joined), [v for _, v in written]
    written = [person(ctx, lang, p) for p in people]
    marks = [mark(text, "traveler_names") for text, _ in written]
    joiner = ctx.pick(book["and"])
    if len(marks) == 1:
        joined = marks[0]
    elif ctx.chance(0.2) and kind != "pp":
        joined = ", ".join(marks)
    else:
        joined = f"{', '.join(marks[:-1])} {joiner} {marks[-1]}"
    values = [v for _, v in written]
    if kind == "bare":
        return joined, values
    if kind == "pp":
        return ctx.pick(book["names_pp"]).format(x=joined), values
    key = "names_sent" if len(marks) == 1 else "names_plural_sent"
    # no capitalising here: a name's value is its text as written ("von Bülow")
    return ctx.pick(book[key]).format(x=joined), values
