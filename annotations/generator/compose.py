"""Request bodies for one stay in four shapes, and the letter around a body.

- `prose`: a request sentence ("Could you book {room} {phrases}?") with the other fields as
  sentences of their own, shuffled, some before it;
- `chat`: one short line ("need a hotel in sydney, checking in next friday for 3 nights");
- `terse`: comma-separated fragments ("Berlin, 12.-14.3., 2 DZ, mit Frühstück");
- `form`: "Label: value" lines, as travel bookers paste from a form.
"""

from __future__ import annotations

from annotations.generator.context import Ctx
from annotations.generator.letters import closing_block, greeting
from annotations.generator.plan import Person, draw_person
from annotations.generator.vocab import cap, mark, plain
from annotations.generator.writer import StayWriter

_INLINE_P = {"dest": 0.85, "dates": 0.72, "hotel": 0.55, "near": 0.45, "guests": 0.45,
             "breakfast": 0.45, "price": 0.3, "travelers": 0.35}
_MAX_INLINE = 4


def _join_pps(ctx: Ctx, pps: list[str]) -> str:
    if not pps:
        return ""
    comma = ctx.chance(0.2)
    out = " " + pps[0]
    for prev, pp in zip(pps, pps[1:], strict=False):
        # "Str. 104 06.01." reads as one number: a comma between figures
        figures = plain(prev)[-1:].isdigit() and plain(pp)[:1].isdigit()
        out += (", " if comma or figures else " ") + pp
    return out


def _extras(ctx: Ctx, lang: str) -> list[str]:
    if not ctx.chance(0.4):
        return []
    return ctx.sample(ctx.book(lang)["extra"], k=ctx.pick((1, 1, 2)))


def prose(ctx: Ctx, w: StayWriter) -> str:
    """A request in sentences; the fields spread over the request sentence and others."""
    parts = w.present()
    rooms_in_obj = "rooms" in parts and ctx.chance(0.8)
    inline = [p for p in parts if p in _INLINE_P and ctx.chance(_INLINE_P[p])]
    inline.sort(key=w.order_key)
    overflow = inline[_MAX_INLINE:]
    inline = inline[:_MAX_INLINE]
    sentences = [p for p in parts if p not in inline and (p != "rooms" or not rooms_in_obj)]
    sentences += [p for p in overflow if p not in sentences]
    asks = ctx.book()["ask"]
    head = ctx.pick_voiced(asks, "i") if w.stay.party == "self" else ctx.pick(asks)
    if "{obj_dat}" in head:
        obj = ctx.pick(ctx.book()["obj_none_dat"])
        if rooms_in_obj:
            sentences.append("rooms")
        head = head.replace("{obj_dat}", "{obj}")
    else:
        obj = w.obj(with_rooms=rooms_in_obj)
    before: list[str] = []
    if "dest" in parts and ctx.chance(0.12):
        # the city told in an introduction; often said again in the request (both marked)
        intro = ctx.pick(ctx.book()["intro_city"]).format(city=mark(w.stay.city_form,
                                                                   "destination"))
        w.values["destination"] = w.stay.city.name if w.stay.city else None
        before.append(intro)
        if ctx.chance(0.5):
            inline = [p for p in inline if p != "dest"]
            sentences = [p for p in sentences if p != "dest"]
    elif ctx.chance(0.2):
        before.append(ctx.pick(ctx.book()["intro_plain"]))
    pps = [w.write(p, "pp") for p in inline]
    main = head.replace("{obj}", obj).replace("{pps}", _join_pps(ctx, pps))
    main = cap(main) if not ctx.casual or ctx.chance(0.5) else main
    sentences.sort(key=lambda p: w.order_key(p) * 0.5 + ctx.rng.random() * 4)
    after: list[str] = []
    for part in sentences:
        text = cap(w.write(part, "sent", ctx.clause_lang())) if part != "travelers" else \
            w.write(part, "sent", ctx.clause_lang())
        # who, where and when may come first ("For Anna Schmidt: ..."), the rest follows
        early = part in ("travelers", "dest", "dates", "near") and ctx.chance(0.2)
        (before if early else after).append(text)
    after += _extras(ctx, ctx.clause_lang())
    return _layout(ctx, before, main, after)


def _sentence(text: str) -> str:
    """`text` ending like a sentence (phrasings made for lines may lack the full stop)."""
    return text if text[-1:] in ".!?:" else text + "."


def _layout(ctx: Ctx, before: list[str], main: str, after: list[str]) -> str:
    before = [_sentence(t) for t in before]
    roll = ctx.rng.random()
    if roll < 0.55 or not after:
        return " ".join([*before, main, *(_sentence(t) for t in after)])
    if roll < 0.85:
        return "\n".join([" ".join([*before, main]), *after])
    bullet = ctx.pick(("- ", "* ", "• "))
    return " ".join([*before, main]) + "\n" + "\n".join(bullet + a.rstrip(".") for a in after)


def chat(ctx: Ctx, w: StayWriter) -> str:
    """A one-line request as typed on a phone: city, dates and one or two more things."""
    must = w.essential()
    parts = [p for p in w.present() if p not in ("rooms", "dest", "dates", *must)]
    ctx.rng.shuffle(parts)
    parts = [p for p in w.present() if p in ("dest", "dates", *must)] + \
        parts[: ctx.pick((0, 1, 1, 2))]
    parts.sort(key=w.order_key)
    book = ctx.book()
    pps = [w.write(p, "bare" if p in ("dest", "price") and ctx.chance(0.3) else "pp")
           for p in parts]
    if "dest" in parts and ctx.chance(0.6):
        i = parts.index("dest")
        pps[i] = w.write("dest", "pp")
    sep = ctx.pick((" ", ", ", ", "))
    asks = book["ask_chat"]
    ask = ctx.pick_voiced(asks, "i") if w.stay.party == "self" else ctx.pick(asks)
    line = ask.replace("{obj}", w.obj(chat=True)).replace(
        "{pps}", (" " if sep == " " else " ") + sep.join(pps) if pps else "")
    close = ctx.pick(book["chat_close"])
    return f"{line} {close}".strip() if close else line


def terse(ctx: Ctx, w: StayWriter) -> str:
    """Comma-separated fragments, as in a quick note to a travel agent."""
    parts = w.present()
    order = sorted(parts, key=lambda p: {"dest": 0, "dates": 1, "rooms": 2}.get(p, 3) +
                   ctx.rng.random() * 1.5)
    frags: list[str] = []
    for part in order:
        if part == "rooms":
            frags.append(w.obj(chat=True))
        elif part in ("dest", "dates", "price", "guests"):
            frags.append(w.write(part, "bare"))
        else:
            frags.append(w.write(part, "pp"))
    sep = ctx.pick((", ", ", ", " / ", "\n", "; "))
    lead = ctx.pick(("Hotel: ", "Hotel request: ", "Hotel pls: ", "", "")) if ctx.lang == "en" \
        else ctx.pick(("Hotel: ", "Hotelanfrage: ", "Hotel bitte: ", "", ""))
    return lead + sep.join(frags)


def form(ctx: Ctx, w: StayWriter) -> str:
    """"Label: value" lines under a short introduction."""
    book = ctx.book()
    labels = book["labels"]
    lines: list[str] = []
    for part in sorted(w.present(), key=lambda p: w.order_key(p, noise=0.6)):
        if part == "dates":
            lines.append(w.write("dates", "struct"))
        elif part == "rooms":
            s = w.stay
            w.record_rooms()
            if s.rooms is not None and s.room_type is not None and ctx.chance(0.5):
                lines.append(f"{ctx.pick(labels['rooms'])}: {mark(str(s.rooms), 'rooms')}")
                word = ctx.pick(book["types"][s.room_type]["sg"])
                lines.append(f"{ctx.pick(labels['room_type'])}: {mark(word, 'room_type')}")
            elif s.room_type is None:
                lines.append(f"{ctx.pick(labels['rooms'])}: {mark(str(s.rooms), 'rooms')}")
            elif s.rooms is None:
                word = mark(ctx.pick(book["types"][s.room_type]["sg"]), "room_type")
                lines.append(f"{ctx.pick(labels['room_type'])}: {word}")
            else:
                lines.append(f"{ctx.pick(labels['room_type'])}: {w.obj(chat=True)}")
        elif part == "breakfast":
            lines.append(_form_breakfast(ctx, w))
        elif part == "guests" and ctx.chance(0.5):
            w.values["guests"] = w.stay.guests
            lines.append(f"{ctx.pick(labels['guests'])}: {mark(str(w.stay.guests), 'guests')}")
        else:
            field = {"dest": "destination", "hotel": "hotel_name", "travelers": "traveler_names",
                     "price": "max_price"}.get(part, part)
            lines.append(f"{ctx.pick(labels[field])}: {w.write(part, 'struct')}")
    intro = ctx.pick(book["structured_intro"])
    bullet = ctx.pick(("", "", "- ", "* "))
    return intro + "\n" + "\n".join(bullet + line.replace("\n", "\n" + bullet) for line in lines)


def _form_breakfast(ctx: Ctx, w: StayWriter) -> str:
    value = w.stay.breakfast
    assert value is not None
    w.values["breakfast"] = value
    if ctx.chance(0.5):
        label = ctx.pick(ctx.book()["labels"]["breakfast"])
        return f"{label}: {w.write('breakfast', 'pp')}"
    return ctx.pick([m for m, v in ctx.book()["breakfast_line"] if v is value])


_LOWER_AFTER_GREETING = frozenset(
    "could can please would we i'd i'm need kindly may do our my the here quick thanks "
    "bitte könnten können könnt kannst könntest wir hiermit ich anbei kurze zur benötigt "
    "wäre "
    "haben würden hier es das die der unser mein meine leider danke".split())


def letter(ctx: Ctx, body: str, *, sender: Person | None = None, lang: str | None = None,
           closings: str | None = "closing") -> str:
    """`body` inside greeting, closing and sign-off, as often as the style has them;
    `closings` names the phrasebook list the closing line comes from (None: no closing line)."""
    return signed_letter(ctx, body, sender=sender, lang=lang, closings=closings)[0]


def signed_letter(ctx: Ctx, body: str, *, sender: Person | None = None, lang: str | None = None,
                  closings: str | None = "closing", p_sign: float | None = None
                  ) -> tuple[str, str | None]:
    """`letter`, and the name it is signed with as a form takes it (None when unsigned or
    signed with initials); `p_sign` overrides the style's chance of a sign-off."""
    lang = lang or ctx.lang
    sender = sender or draw_person(ctx)
    p_greet = {"formal": 0.97, "neutral": 0.8, "chatty": 0.55, "mobile": 0.2}[ctx.style]
    if p_sign is None:
        p_sign = {"formal": 0.97, "neutral": 0.85, "chatty": 0.6, "mobile": 0.25}[ctx.style]
    signer: str | None = None
    blocks: list[str] = []
    if ctx.chance(p_greet) and not body[:6].lower().startswith(("hi", "hallo", "hey")):
        greet = greeting(ctx, ctx.clause_lang(), formal=ctx.style == "formal")
        first = body.split(" ", 1)[0].lower()
        if ctx.chance(0.25) and ctx.style != "formal" and first in _LOWER_AFTER_GREETING:
            if greet.endswith(",") and first not in ("i", "i'd", "i'm"):
                body = body[0].lower() + body[1:]
            body = greet + " " + body  # "Hi Anna, could you ..." on one line
        else:
            blocks.append(greet)
            if closings == "closing" and ctx.chance(0.15):  # "hope you're well", requests only
                blocks.append(ctx.pick(ctx.book(lang)["opener"]))
    blocks.append(body)
    if closings and ctx.chance(p_sign * 0.7):
        closing = ctx.pick(ctx.book(ctx.clause_lang())[closings])
        if closing:
            blocks.append(closing)
    if ctx.chance(p_sign):
        signature = ctx.style in ("formal", "neutral") and ctx.chance(0.3)
        block, signer = closing_block(ctx, ctx.clause_lang(), sender, signature=signature,
                                      formal=ctx.style == "formal")
        blocks.append(block)
    return "\n\n".join(blocks), signer
