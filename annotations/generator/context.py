"""The state one email is written with: its random stream, language, received date and style."""

from __future__ import annotations

import datetime as dt
import random
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, TypeVar

from annotations.generator.vocab import Vocab, vocab

T = TypeVar("T")

STYLES: tuple[str, ...] = ("formal", "neutral", "chatty", "mobile")


@dataclass
class Ctx:
    """Everything a renderer needs. `lang` is the base language ("en"/"de"); `mixed` emails
    switch some clauses to the other one."""

    rng: random.Random
    lang: str
    received_at: dt.datetime
    style: str
    mixed: bool = False

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
        return seq[self.rng.randrange(len(seq))]

    def chance(self, p: float) -> bool:
        return self.rng.random() < p

    def weighted(self, options: Sequence[T], weights: Sequence[float]) -> T:
        return self.rng.choices(options, weights=weights, k=1)[0]
