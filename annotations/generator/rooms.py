"""Rooms, room types and guests in words: "[[2|rooms]] [[EZ|room_type]]", "for [[3 people|guests]]".

ANNOTATION.md: a count before a room kind is `rooms` alone, the kind is `room_type`; a bare
"a room" / "ein Zimmer" is not marked; guests are the whole expression, summed.
"""

from __future__ import annotations

from annotations.generator.context import Ctx
from annotations.generator.numbers import count_phrase
from annotations.generator.vocab import cap, mark, plain


def room_object(ctx: Ctx, lang: str, rooms: int | None, room_type: str | None, *,
                chat: bool = False, single_use: bool = False) -> str:
    """The noun phrase naming the rooms asked for ("a [[single room|room_type]]", "a hotel");
    `single_use` names a double for one guest ("DZ zur Einzelnutzung")."""
    book = ctx.book(lang)
    if single_use and room_type == "double" and rooms in (None, 1):
        word = ctx.pick(book["types"]["double"]["single_use"])
        if rooms == 1:
            return f"{mark(ctx.pick(('1', 'one') if lang == 'en' else ('1',)), 'rooms')} " \
                   f"{mark(word, 'room_type')}"
        return f"{_article(lang, word, 'n')} {mark(word, 'room_type')}"
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


def room_sentence(ctx: Ctx, lang: str, rooms: int | None, room_type: str | None, *,
                  single_use: bool = False) -> str:
    """A sentence of its own about the rooms ("[[Single room|room_type]] please.")."""
    obj = room_object(ctx, lang, rooms, room_type, single_use=single_use)
    template = ctx.pick(ctx.book(lang)["room_sent"])
    return template.replace("{Obj}", cap(obj)).replace("{obj}", obj)


def guests_core(ctx: Ctx, lang: str, n: int, *, party: str | None = None,
                children: int = 0) -> str:
    """The marked guest count: `n` adults and `children` children ("2 adults and 1 child", one
    span; the form holds guests 2, children 1). `party` "obj"/"subj"/"adv" asks for "my
    colleague and me"-like forms (only some counts have them; a plain count is returned
    otherwise)."""
    book = ctx.book(lang)
    if party and not children:
        forms = book.get(f"party_{party}", {}).get(str(n))
        if forms:
            return mark(ctx.pick(forms), "guests")
    if children:
        kids = ctx.pick(book["kids"]["sg" if children == 1 else "pl"])
        text = ctx.pick(book["guests_family"]).format(
            a=count_phrase(ctx, lang, n) if n > 1 else "1", c=children, kids=kids)
        if n == 1:  # "1 adults" would read wrong
            text = text.replace("1 adults", "1 adult").replace("1 Erwachsene ",
                                                               "1 Erwachsener ")
        return mark(text, "guests")
    if n == 1:
        return mark(ctx.pick(book["guests_one"]), "guests")
    template = ctx.pick(book["guests_core"])
    return mark(template.format(n=count_phrase(ctx, lang, n)), "guests")


def guests_phrase(ctx: Ctx, lang: str, n: int, kind: str, *, children: int = 0,
                  with_me: bool = False) -> str:
    """Guests as an inline phrase (`kind` "pp") or a sentence ("sent"); `with_me` words them
    as the writer and others ("my colleague and me", "Wir zu dritt"), which only a request
    the writer travels on may say."""
    book = ctx.book(lang)
    if children:
        core = guests_core(ctx, lang, n, children=children)
        if kind == "pp":
            return ctx.pick(book["guests_pp"]).format(x=core)
        return ctx.pick(book["guests_sent"]).replace("{X}", cap(core)).replace("{x}", core)
    roll = 0.0 if with_me else 1.0  # the party forms all say "me" or "we"
    if kind == "pp":
        party = "obj" if with_me else None
        return ctx.pick(book["guests_pp"]).format(x=guests_core(ctx, lang, n, party=party))
    if with_me and lang == "de" and ctx.chance(0.3) and str(n) in book["party_adv"]:
        roll = 0.2
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
