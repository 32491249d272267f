"""Small counts in digits or words ("3", "three", "drei"), and amounts as people write them."""

from __future__ import annotations

from annotations.generator.context import Ctx

WORDS = {
    "en": ["zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten",
           "eleven", "twelve"],
    "de": ["null", "eins", "zwei", "drei", "vier", "fünf", "sechs", "sieben", "acht", "neun",
           "zehn", "elf", "zwölf"],
}


def count_phrase(ctx: Ctx, lang: str, n: int, *, words: float = 0.35) -> str:
    """`n` as digits, or (for 2..12, with probability `words`) as a word."""
    if 2 <= n <= 12 and ctx.chance(words if n <= 6 else words / 3):
        return WORDS[lang][n]
    return str(n)


def amount_text(ctx: Ctx, lang: str, amount: float) -> str:
    """An amount as written in `lang`: "150", "1,200", "1.200", "149.50", "149,50", "150,-"."""
    whole = int(amount)
    cents = round((amount - whole) * 100)
    thousands_sep = "," if lang == "en" else "."
    decimal_sep = "." if lang == "en" else ","
    text = f"{whole:,}".replace(",", thousands_sep) if whole >= 1000 and ctx.chance(0.6) \
        else str(whole)
    if cents:
        return f"{text}{decimal_sep}{cents:02d}"
    if lang == "de" and ctx.chance(0.1):
        return f"{text},-"
    if ctx.chance(0.08):
        return f"{text}{decimal_sep}00"
    return text
