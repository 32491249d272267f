"""Generated training emails with exact spans and the expected form.

    from annotations.generator import generate
    for email in generate(1000, seed=0): ...

Every email is drawn from its own random stream (`seed`, index), so `generate(n, seed=s)` is the
same on every run and machine, and its first k emails are `generate(k, seed=s)`. Values are drawn
first and then written in words, so the form is known, not guessed; spans come from `[[text|label]]`
markup, so offsets are exact.
"""

from __future__ import annotations

from collections.abc import Iterator

from annotations.generator.emails import make_email
from annotations.schema import AnnotatedEmail

__all__ = ["generate"]


def generate(n: int, *, seed: int = 0) -> Iterator[AnnotatedEmail]:
    """`n` annotated emails (origin "generated", ids `gen-<seed>-<index>`); meta holds the
    composing `template` and the writing `style`."""
    if n < 0:
        raise ValueError("n must not be negative")
    for index in range(n):
        yield make_email(seed, index)
