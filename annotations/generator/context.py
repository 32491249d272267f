"""The state one email is written with: its random stream, language, received date and style."""

from __future__ import annotations

import datetime as dt
import random
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, TypeVar

from annotations.generator.vocab import Vocab, vocab
from annotations.generator.voice import ALL, voice_of

T = TypeVar("T")

STYLES: tuple[str, ...] = ("formal", "neutral", "chatty", "mobile")


@dataclass
class Ctx:
    """Everything a renderer needs. `lang` is the base language ("en"/"de"); `mixed` emails
    switch some clauses to the other one. `voices` are the persons phrases may speak for
    (`annotations.generator.voice`): a request for others allows none, one for the writer
    alone "i"; phrases picked from a phrasebook keep to them."""

    rng: random.Random
    lang: str
    received_at: dt.datetime
    style: str
    mixed: bool = False
    voices: frozenset[str] = ALL

    @property
    def today(self) -> dt.date:
        """The local date the email was received on: relative dates count from it."""
        return self.received_at.date()

    @property
    def vocab(self) -> Vocab:
        return vocab()

    @property
    def casual(self) -> bool:
        return self.style in ("chatty", "mobile")

    def other_lang(self) -> str:
        return "de" if self.lang == "en" else "en"

    def clause_lang(self) -> str:
        """The language of the next clause: the base one, or in mixed emails at times the other."""
        return self.other_lang() if self.mixed and self.rng.random() < 0.4 else self.lang

    def book(self, lang: str | None = None) -> dict[str, Any]:
        return self.vocab.book(lang or self.lang)

    def pick(self, seq: Sequence[T]) -> T:
        """One of `seq`; among phrases (strings, or lists whose first item is one), only those
        whose voice this email allows, unless none is."""
        if self.voices != ALL and seq:
            fitting = [x for x in seq if _voice(x) <= self.voices]
            if fitting and len(fitting) < len(seq):
                seq = fitting
        return seq[self.rng.randrange(len(seq))]

    def pick_voiced(self, seq: Sequence[str], voice: str) -> str:
        """One of the phrases of `seq` that speak for `voice` and otherwise keep to `voices`
        (a request for the writer must say so: "I need", not "Please book")."""
        fitting = [x for x in seq if voice in voice_of(x) and voice_of(x) <= self.voices]
        return self.pick(fitting or seq)

    def sample(self, seq: Sequence[T], k: int) -> list[T]:
        """`k` different items of `seq`, kept to this email's voices like `pick`."""
        fitting = [x for x in seq if _voice(x) <= self.voices] if self.voices != ALL else seq
        return self.rng.sample(list(fitting or seq), k=min(k, len(fitting or seq)))

    def chance(self, p: float) -> bool:
        return self.rng.random() < p

    def weighted(self, options: Sequence[T], weights: Sequence[float]) -> T:
        return self.rng.choices(options, weights=weights, k=1)[0]


def _voice(item: object) -> frozenset[str]:
    if isinstance(item, list | tuple) and item:
        item = item[0]
    return voice_of(item) if isinstance(item, str) else frozenset()
