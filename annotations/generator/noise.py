"""The slips of real writers: typos, lower case, missing punctuation, umlauts typed as ae/oe/ue.

Typos and punctuation changes touch only unmarked text, so a span's meaning never changes.
Changes that do reach spans (lower case, umlauts spelt out) are applied to the whole text and
returned as a function, so the "as written" values (hotel, near, names) follow them exactly.
"""

from __future__ import annotations

import re
from collections.abc import Callable

from annotations.generator.context import Ctx

_SPAN = re.compile(r"(\[\[[^\[\]|]+\|[a-z_]+\]\])")
_WORD = re.compile(r"[A-Za-zÄÖÜäöüß]{4,}")
_NEIGHBOURS = {
    "a": "sq", "s": "adw", "d": "sfe", "e": "wrd", "r": "etf", "t": "rzg", "i": "uok",
    "o": "ipl", "n": "bm", "m": "n", "l": "ko", "h": "gj", "u": "zi", "c": "xv", "g": "fh",
}
_TYPO_RATE = {"formal": 0.0, "neutral": 0.004, "chatty": 0.015, "mobile": 0.03}
_TRANSLIT = str.maketrans({"ä": "ae", "ö": "oe", "ü": "ue", "Ä": "Ae", "Ö": "Oe", "Ü": "Ue",
                           "ß": "ss"})


def _typo(ctx: Ctx, word: str) -> str:
    i = ctx.rng.randrange(1, len(word) - 1)
    op = ctx.rng.random()
    if op < 0.35:  # swap two letters
        return word[: i - 1] + word[i] + word[i - 1] + word[i + 1 :]
    if op < 0.6:  # drop one
        return word[:i] + word[i + 1 :]
    if op < 0.8:  # double one
        return word[:i] + word[i] + word[i:]
    near = _NEIGHBOURS.get(word[i].lower())
    return word[:i] + ctx.pick(near) + word[i + 1 :] if near else word


def _outside_spans(markup: str, change: Callable[[str], str]) -> str:
    pieces = _SPAN.split(markup)
    return "".join(p if i % 2 else change(p) for i, p in enumerate(pieces))


def add_noise(ctx: Ctx, markup: str) -> tuple[str, Callable[[str], str]]:
    """`markup` as this email's writer would have typed it, and the change that also applies to
    as-written values."""
    rate = _TYPO_RATE[ctx.style]
    if rate:
        markup = _outside_spans(markup, lambda seg: _WORD.sub(
            lambda m: _typo(ctx, m.group()) if ctx.rng.random() < rate else m.group(), seg))
    if ctx.style == "mobile" and ctx.chance(0.6):
        markup = _outside_spans(markup, lambda seg: re.sub(r"(?<![0-9])[.,](?=\s|$)", "", seg))
    if ctx.style in ("chatty", "mobile") and ctx.chance(0.3):
        markup = _outside_spans(markup, lambda seg: re.sub(r"  +", " ", seg.replace(", ", ",")))
    steps: list[Callable[[str], str]] = []
    if ctx.style == "mobile" and ctx.chance(0.55) or ctx.style == "chatty" and ctx.chance(0.1):
        steps.append(str.lower)
    if ctx.lang == "de" and ctx.casual and ctx.chance(0.12):
        steps.append(lambda s: s.translate(_TRANSLIT))

    def transform(text: str) -> str:
        for step in steps:
            text = step(text)
        return text

    return transform(markup), transform
