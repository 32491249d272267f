"""Rooms, room types and guests in words: "[[2|rooms]] [[EZ|room_type]]", "for [[3 people|guests]]".

ANNOTATION.md: a count before a room kind is `rooms` alone, the kind is `room_type`; a bare
"a room" / "ein Zimmer" is not marked; guests are the whole expression, summed.
"""

from __future__ import annotations

from annotations.generator.context import Ctx
from annotations.generator.numbers import count_phrase
from annotations.generator.vocab import cap, mark, plain


def room_object(ctx: Ctx, lang: str, rooms: int | None, room_type: str | None, *,
                chat: bool = False) -> str:
    """The noun phrase naming the rooms asked for ("a [[single room|room_type]]", "a hotel")."""
    book = ctx.book(lang)
    if rooms is None and room_type is None:
        return ctx.pick(book["obj_none_chat"] if chat else book["obj_none"])
    if room_type is None:
        assert rooms is not None
        if rooms == 1:
            return mark(ctx.pick(book["rooms_one"]), "rooms")
        return mark(ctx.pick(book["rooms_only"]).format(n=count_phrase(ctx, lang, rooms)), "rooms")
    kinds = book["types"][room_type]
    if rooms is None:
        word = ctx.pick(kinds["sg"])
        if chat and ctx.chance(0.5):
            return mark(word, "room_type")
        return f"{_article(lang, word, kinds.get('g', 'n'))} {mark(word, 'room_type')}"
    word = ctx.pick(kinds["sg"] if rooms == 1 else kinds["pl"])
    count = count_phrase(ctx, lang, rooms, words=0.3)
    if rooms == 1 and lang == "en" and count == "1" and ctx.chance(0.5):
        count = "one"
    shape = ctx.pick(book["rooms_with_type"])
    if "{r}x" in shape and not count.isdigit():
        shape = "{r} {t}"
    if "{r}x" in shape:
        return shape.replace("{r}x", mark(f"{count}x", "rooms")).replace(
            "{t}", mark(word, "room_type"))
    return shape.format(r=mark(count, "rooms"), t=mark(word, "room_type"))


def _article(lang: str, word: str, gender: str) -> str:
    if lang == "de":
        return "eine" if gender == "f" else "ein"
    return "an" if word[0].lower() in "aeiou" or word.startswith("EZ") else "a"


def room_sentence(ctx: Ctx, lang: str, rooms: int | None, room_type: str | None) -> str:
    """A sentence of its own about the rooms ("[[Single room|room_type]] please.")."""
    obj = room_object(ctx, lang, rooms, room_type)
    template = ctx.pick(ctx.book(lang)["room_sent"])
    return template.replace("{Obj}", cap(obj)).replace("{obj}", obj)


def guests_core(ctx: Ctx, lang: str, n: int, *, party: str | None = None) -> str:
    """The marked guest count. `party` "obj"/"subj"/"adv" asks for "my colleague and me"-like forms
    (only some counts have them; a plain count is returned otherwise)."""
    book = ctx.book(lang)
    if party:
        forms = book.get(f"party_{party}", {}).get(str(n))
        if forms:
            return mark(ctx.pick(forms), "guests")
    if n == 1:
        return mark(ctx.pick(book["guests_one"]), "guests")
    if n >= 3 and ctx.chance(0.2):
        children = ctx.rng.randint(1, min(3, n - 1))
        adults = n - children
        if adults >= 1:
            kids = ctx.pick(book["kids"]["sg" if children == 1 else "pl"])
            text = ctx.pick(book["guests_family"]).format(
                a=count_phrase(ctx, lang, adults) if adults > 1 else "1", c=children, kids=kids)
            if adults == 1:  # "1 adults" would read wrong
                text = text.replace("1 adults", "1 adult").replace("1 Erwachsene ",
                                                                   "1 Erwachsener ")
            return mark(text, "guests")
    template = ctx.pick(book["guests_core"])
    return mark(template.format(n=count_phrase(ctx, lang, n)), "guests")


def guests_phrase(ctx: Ctx, lang: str, n: int, kind: str) -> str:
    """Guests as an inline phrase (`kind` "pp") or a sentence ("sent")."""
    book = ctx.book(lang)
    roll = ctx.rng.random()
    if kind == "pp":
        party = "obj" if roll < 0.2 else None
        return ctx.pick(book["guests_pp"]).format(x=guests_core(ctx, lang, n, party=party))
    if roll < 0.15 and str(n) in book["party_subj"]:
        core = guests_core(ctx, lang, n, party="subj")
        return ctx.pick(book["party_sent"]).replace("{X}", core)
    if lang == "de" and roll < 0.25 and str(n) in book["party_adv"]:
        core = guests_core(ctx, lang, n, party="adv")
        return ctx.pick(book["party_adv_sent"]).format(x=core)
    core = guests_core(ctx, lang, n)
    said = plain(core).lower()
    # not "Guests: 2 guests"
    templates = [t for t in book["guests_sent"] if t.split()[0].rstrip(":").lower()[:4] not in said]
    template = ctx.pick(templates or book["guests_sent"])
    return template.replace("{X}", cap(core)).replace("{x}", core)
