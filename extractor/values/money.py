"""Money: a max_price span -> its `Price` (amount, ISO currency, per night or per stay).

The currencies and how texts write them are the lexicon's (`money.currencies`, in the order
in which they are tried, `money.iso_codes`); amounts accept German and English separators.
"""

from __future__ import annotations

import re
from typing import Literal

from extractor.form import Price
from extractor.lexicon import alternation, eur_per_unit, lexicon, local_currencies
from extractor.lexicon.schema import Currency
from extractor.values.numbers import fold

_AMOUNT = re.compile(
    r"(?<!\d)(?<!\d[.,])(?P<num>\d{1,3}(?:[.,' ]\d{3})+(?:[.,]\d{1,2})?|\d+(?:[.,]\d{1,2})?)"
    r"(?:\s*(?:,|\.)-+)?(?P<k>\s*k\b)?(?!\s*(?:nights?|naechte|nacht|n\b|personen|persons"
    r"|people|pax|rooms?|zimmer|gaeste|guests|x\b|%|sterne|stars?))"
)


def _currency_pattern(currency: Currency) -> re.Pattern[str]:
    """How folded text writes `currency`: a word not inside a longer word, where a digit
    counts as a border ("EUR150", "150CHF"); a symbol that starts with a letter not after a
    letter ("C$"); an abbreviation only right before or after an amount ("Fr. 120")."""
    parts = [("(?<![a-z])" if s[0].isalpha() else "") + re.escape(s) for s in currency.symbols]
    if currency.words:
        parts.append(rf"(?<![a-z]){alternation(currency.words)}(?![a-z])")
    if currency.before_amount:
        parts.append(rf"(?<![a-z]){alternation(currency.before_amount)}\.?\s*(?=\d)")
    if currency.after_amount:
        parts.append(rf"[\d-]\s*{alternation(currency.after_amount)}(?![a-z])")
    return re.compile("|".join(parts))


_MONEY = lexicon().money
_CURRENCIES = tuple((c.code, _currency_pattern(c)) for c in _MONEY.currencies)
_ISO_CODES = frozenset(_MONEY.iso_codes)
_ISO_CODE = re.compile(r"(?<![A-Za-z])([A-Z]{3})(?![A-Za-z])")
# a code typed in lowercase counts only right beside its amount ("2000 sek", "dkk 1500"), and
# never one that is also a word ("try", "pen", "mad")
_LOWER_CODE = re.compile(r"\d\s?([a-z]{3})(?![a-z])|(?<![a-z])([a-z]{3})\s?(?=\d)")
_LOWER_CODES = _ISO_CODES - frozenset(_MONEY.codes_that_are_words)
_PER_STAY = re.compile(
    r"\b(?:total|in total|totals?|insgesamt|gesamt\w*|overall|altogether|all in|in summe"
    r"|pauschal|whole stay|entire stay|the stay|den aufenthalt|ganzen aufenthalt"
    r"|gesamten aufenthalt|all nights|alle naechte|for \d+ nights|fuer \d+ naechte"
    r"|for the [a-z\d]+ nights|both nights|beide naechte|fuer die [a-z\d]+ naechte"
    r"|fuer die (?:ganze )?woche"
    r"|(?:whole|entire) (?:week|stay|trip)|for the week|ganzen? (?:woche|zeit|reise)"
    r"|fuer (?:die|alle) (?:uebernachtungen|naechte)|fuer alles|for everything)\b"
)
_PER_NIGHT = re.compile(
    r"(?:\bper\b|\bpro\b|\bje\b|\ba\b|/|\beach\b|\bdie\b)\s*(?:night|nacht|n\b|nt\b|day|tag)"
    r"|\bnightly\b|\bp\.?\s?n\b\.?|\bper room\b|\bpro zimmer\b"
)
_THOUSANDS = re.compile(r"\d{1,3}(?:[.,]\d{3})+")
_WITH_CENTS = re.compile(r"(\d{1,3}(?:[.,]\d{3})*)[.,](\d{1,2})")
_SEPARATOR = re.compile(r"[.,]")
_FRANCS_OR_FRIDAY = re.compile(r"\b[Ss]?[Ff]r\.?")


def _amount(num: str) -> float:
    """German or English separators: "1.200" and "1,200" are 1200, "149,50" is 149.5; a
    space or an apostrophe groups thousands too ("2 400", "1'200")."""
    num = num.replace("'", "").replace(" ", "")
    if _THOUSANDS.fullmatch(num):
        return float(_SEPARATOR.sub("", num))
    m = _WITH_CENTS.fullmatch(num)
    if m:
        return float(_SEPARATOR.sub("", m[1]) + "." + m[2])
    return float(num.replace(",", "."))


def currency_of(text: str) -> str | None:
    """The ISO code of the currency the text itself writes ("USD 90", "120 €", "2000 sek"),
    else None."""
    for code in _ISO_CODE.findall(text):
        if code in _ISO_CODES:
            return code
    t = fold(text)
    for code, pattern in _CURRENCIES:
        if pattern.search(t):
            return code
    for m in _LOWER_CODE.finditer(t):
        if (code := (m[1] or m[2]).upper()) in _LOWER_CODES:
            return code
    return None


def normalize_price(text: str, *, context: str = "") -> Price | None:
    """The budget of a max_price span (`"max. 150 EUR"`, `"€120 per night"`, `"1.200,- €
    insgesamt"`): the largest amount in it, its ISO currency (from `text`, else from the
    surrounding `context`; None when neither writes one) and `per` "stay" for a total
    (`total`, `insgesamt`, `for the whole stay`), else "night". None without an amount."""
    t = fold(text)
    amounts = [_amount(m["num"]) * (1000 if m["k"] else 1) for m in _AMOUNT.finditer(t)]
    amounts = [a for a in amounts if a > 0]
    if not amounts:
        return None
    currency = currency_of(text) or (_currency_in_context(context) if context else None)
    per: Literal["night", "stay"]
    if _PER_NIGHT.search(t):
        per = "night"
    elif _PER_STAY.search(t):
        per = "stay"
    else:
        c = fold(context)
        per = "stay" if _PER_STAY.search(c) and not _PER_NIGHT.search(c) else "night"
    return Price(amount=max(amounts), currency=currency, per=per)


def _currency_in_context(context: str) -> str | None:
    # "Fr." in the surrounding text is as likely Friday or Frau as Swiss francs.
    return currency_of(_FRANCS_OR_FRIDAY.sub(" ", context))


# currencies whose own country writes them with a dollar sign alone: "$250" in Melbourne
_DOLLAR_LANDS = frozenset({"AUD", "CAD", "NZD", "SGD", "HKD", "TWD", "MXN"})
_BARE_DOLLAR = re.compile(r"(?<![A-Za-z])\$|\b(?:dollars?|bucks)\b", re.IGNORECASE)
_US_DOLLAR = re.compile(r"\bUS\s?\$|\bUSD\b|\bU\.?S\.? dollars?\b|\bUS-Dollar", re.IGNORECASE)
# a plausible budget in euros: for one night, for a whole stay
_PLAUSIBLE = {"night": (25.0, 2500.0), "stay": (50.0, 25000.0)}


def local_price(price: Price, written: str, city: str | None) -> Price:
    """`price` in the currency `city` pays in (`data/currencies.json`) when it was `written`
    without one ("max 130" for Berlin, "3500 Kronen" for Prague: "Kronen" names no one
    currency) or with a dollar sign alone where dollars of that country are meant ("$250 a
    night" for Melbourne) and the amount is a plausible price there; else `price` itself."""
    local = local_currencies().get(city or "")
    if local is None or price.currency == local or local not in eur_per_unit():
        return price
    dollars = price.currency == "USD" and local in _DOLLAR_LANDS and bool(
        _BARE_DOLLAR.search(written)) and not _US_DOLLAR.search(written)
    low, high = _PLAUSIBLE[price.per]
    if (price.currency is None or dollars) and low <= price.amount * eur_per_unit()[local] <= high:
        return price.model_copy(update={"currency": local})
    return price
