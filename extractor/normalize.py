"""Normalize: the text of a span -> the value of its form field (docs/ANNOTATION.md, "Values").

One function per field kind; each takes the span's text and returns the value or None when
the text states none. Dates live in `extractor.dates`, counts in `extractor.numbers`. All
accept lowercase, extra spaces and umlauts written as ae/oe/ue; none does I/O after the city
table has been loaded once.
"""

from __future__ import annotations

import difflib
import json
import re
import unicodedata
from collections.abc import Iterator
from functools import cache, lru_cache
from importlib import resources
from typing import Literal

from extractor.form import Price, RoomType
from extractor.numbers import fold, parse_count, word_to_int

# ----------------------------------------------------------------------------- destination

_KEY_JUNK = re.compile(r"[^a-z0-9']+")
_LEADING = re.compile(
    r"^(?:the city of|city of|die stadt|stadt|in|nach|to|the|die|der|downtown|innenstadt"
    r"|our|my|unser|unsere|unserem|unseren)(?:\s+|$)"
)
_TRAILING = re.compile(
    r"\s+(?:city|city cent(?:er|re)|cent(?:er|re)|downtown|stadt|innenstadt|zentrum|mitte"
    r"|area|region|umgebung|und umgebung|and surroundings|or nearby|oder umgebung|airport"
    r"|flughafen)$"
)
_LEADING_RAW = re.compile(
    r"^(?:the city of|city of|in|nach|to|the|die|der|our|my|unser|unsere|unserem|unseren)"
    r"(?:\s+|$)", re.IGNORECASE)
_PARENS = re.compile(r"\s*\([^)]*\)")
# Kept lowercase inside a title-cased name: "Frankfurt an der Oder", "Stratford-upon-Avon".
_PARTICLES = frozenset(
    "am an der die das den dem des im in ob bei auf vor von zu zum zur upon on de du la le"
    " les del della di da do dos y sur en et".split()
)


def _ascii_fold(text: str) -> str:
    """`text` lowercased with every accent and umlaut dropped ("Zürich" -> "zurich")."""
    t = unicodedata.normalize("NFKD", text.lower().replace("ß", "ss"))
    return "".join(c for c in t if not unicodedata.combining(c))


def _squash(folded: str) -> str:
    """A folded text as a lookup key: punctuation gone, words single-spaced."""
    return " ".join(_KEY_JUNK.sub(" ", folded).split())


def _key(text: str) -> str:
    """The lookup key of a text as written ("Frankfurt a.M." -> "frankfurt a m")."""
    return _squash(fold(text))


def _city_keys(name: str) -> set[str]:
    """The lookup keys of one spelling: umlauts spelled out and dropped, punctuation gone."""
    return {_squash(v) for v in (fold(name), _ascii_fold(name))}


@cache
def _cities() -> dict[str, str]:
    """Lookup key -> the city's value, from `data/cities.json` (read once)."""
    raw = resources.files("extractor").joinpath("data/cities.json").read_text(encoding="utf-8")
    table: dict[str, str] = {}
    for name, aliases in json.loads(raw)["cities"].items():
        for spelling in (name, *aliases):
            for key in _city_keys(spelling):
                table.setdefault(key, name)
    return table


@lru_cache(maxsize=1024)
def _fuzzy_city(key: str) -> str | None:
    # Only longer names: a short unknown town ("Hamm", "Celle") is too close to others.
    if len(key) < 6:
        return None
    hits = difflib.get_close_matches(key, _long_city_keys(), n=1, cutoff=0.88)
    return _cities()[hits[0]] if hits and hits[0][0] == key[0] else None


@cache
def _long_city_keys() -> tuple[str, ...]:
    return tuple(k for k in _cities() if len(k) >= 5)


def _title(text: str) -> str:
    """Title case for a name written all lowercase or all uppercase ("bad homburg")."""
    if not (text.islower() or text.isupper()):
        return text  # written with care ("McAllen", "St. Ingbert"): keep as written
    words = text.lower().split(" ")
    out = []
    for i, word in enumerate(words):
        if i > 0 and word in _PARTICLES:
            out.append(word)
        else:
            out.append("-".join(p[:1].upper() + p[1:] for p in word.split("-")))
    return " ".join(out)


def normalize_destination(text: str) -> str | None:
    """The destination value of a city span (data/cities.json): the common English spelling
    where English has one (`"München"` -> `"Munich"`, `"frankfurt a.M."` -> `"Frankfurt"`), a
    known city without one as properly written (`"luebeck"` -> `"Lübeck"`), an unknown one as
    written, stripped of filler words and punctuation and capitalised (`"bad homburg"` ->
    `"Bad Homburg"`). None when no name is left."""
    cities = _cities()
    candidates = []
    key = _key(text)
    candidates.append(key)
    candidates.append(_TRAILING.sub("", _LEADING.sub("", key)))
    first_part = text.split(",")[0]  # "Munich, Germany", "Springfield, IL"
    for variant in (first_part, _PARENS.sub("", first_part)):
        k = _key(variant)
        candidates.append(_TRAILING.sub("", _LEADING.sub("", k)))
    for cand in candidates:
        if cand in cities:
            return cities[cand]
    for cand in candidates:
        if cand and (hit := _fuzzy_city(cand)):
            return hit
    # Unknown: the first comma part as written, without leading filler words or punctuation.
    plain = " ".join(_PARENS.sub("", first_part).split()).strip(" .,;:!?\"'()[]")
    plain = _LEADING_RAW.sub("", plain)
    return _title(plain) if plain else None


@cache
def _city_values() -> frozenset[str]:
    return frozenset(_cities().values())


def is_known_city(value: str) -> bool:
    """Whether a destination value is a city of data/cities.json."""
    return value in _city_values()


_CAPITALISED_WORD = re.compile(r"[A-ZÄÖÜÉ][\w'’.-]*")


@cache
def _city_first_words() -> frozenset[str]:
    """The first word of every city's lookup key: no city starts at any other word."""
    return frozenset(key.split()[0] for key in _cities() if key)


def known_city_in(text: str) -> tuple[str, int, int] | None:
    """The first known city (data/cities.json, exact keys only) named inside `text` with a
    capital letter, as (value, start, end): "Hilton Madrid Airport" -> ("Madrid", 7, 13).
    The longest name wins at each position ("Frankfurt am Main" over "Frankfurt")."""
    return next(known_cities_in(text), None)


def known_cities_in(text: str, *, any_case: bool = False) -> Iterator[tuple[str, int, int]]:
    """Every known city named in `text`, left to right, as `known_city_in` finds the first;
    with `any_case`, written lowercase too (a chat: "dann jena mi-fr")."""
    cities, firsts = _cities(), _city_first_words()
    words = list(re.finditer(r"[^\s/-]+", text))  # "Hamburg-Alster": two words
    i = 0
    while i < len(words):
        if ((any_case or _CAPITALISED_WORD.match(words[i].group()))
                and _key(words[i].group()) in firsts):
            for n in (4, 3, 2, 1):
                if i + n > len(words):
                    continue
                start, end = words[i].start(), words[i + n - 1].end()
                while end > start and not text[end - 1].isalnum():
                    end -= 1
                key = _key(text[start:end])
                if len(key) >= 4 and key in cities:
                    yield cities[key], start, end
                    i += n - 1
                    break
        i += 1


# ----------------------------------------------------------------------------- room type

_ROOM_RULES: tuple[tuple[RoomType, re.Pattern[str]], ...] = (
    ("suite", re.compile(r"suite|\bsuit\b")),
    ("twin", re.compile(
        r"twin|zweibett|\b(?:two|2|zwei)\s+(?:separate\s+|single\s+|getrennte\s+|einzel)?"
        r"(?:beds|betten)|separate beds|getrennte(?:n)? betten|einzelbetten|single beds"
        r"|\b(?:two|2|zwei)\s+(?:queen|king|double|full)(?:[\s-]+size)?\s+beds"
        r"|\b(?:queen|king|double)\s+beds\b")),
    ("double", re.compile(
        r"\bdz\b|doppel|double|dbl|\bking|\bqueen|franzoesisch|french bed|grand lit"
        r"|single use|einzelnutzung|einzelbelegung|als ez")),
    ("single", re.compile(r"\bez\b|einzel|single|\bsgl\b|einbett|\bsingel|\bsinlge")),
)
_LONG_WORD = re.compile(r"[a-z]{5,}")
_ROOM_WORDS: dict[str, RoomType] = {
    "single": "single", "double": "double", "twin": "twin", "suite": "suite",
    "einzelzimmer": "single", "doppelzimmer": "double", "zweibettzimmer": "twin",
}


def normalize_room_type(text: str) -> RoomType | None:
    """`single` (EZ, Einzelzimmer), `double` (DZ, Doppelzimmer, king, queen, a double for
    single use), `twin` (Zweibettzimmer, two beds) or `suite` (Junior Suite); else None."""
    t = fold(text)
    for room_type, pattern in _ROOM_RULES:
        if pattern.search(t):
            return room_type
    for word in _LONG_WORD.findall(t):  # typos: "doubel", "einzelzimer"
        hits = difflib.get_close_matches(word, _ROOM_WORDS, n=1, cutoff=0.75)
        if hits:
            return _ROOM_WORDS[hits[0]]
    return None


# ----------------------------------------------------------------------------- price

_AMOUNT = re.compile(
    r"(?<!\d)(?<!\d[.,])(?P<num>\d{1,3}(?:[.,']\d{3})+(?:[.,]\d{1,2})?|\d+(?:[.,]\d{1,2})?)"
    r"(?:\s*(?:,|\.)-+)?(?P<k>\s*k\b)?(?!\s*(?:nights?|naechte|nacht|n\b|personen|persons"
    r"|people|pax|rooms?|zimmer|gaeste|guests|x\b|%|sterne|stars?))"
)


def _word(alternatives: str) -> str:
    """`alternatives` as whole words, where a digit counts as a border ("EUR150", "150CHF")."""
    return rf"(?<![a-z])(?:{alternatives})(?![a-z])"


_CURRENCIES: tuple[tuple[str, re.Pattern[str]], ...] = (
    ("USD", re.compile(r"us\$|" + _word(r"usd|us[- ]?dollars?"))),
    ("NZD", re.compile(r"nz\$|" + _word(r"nzd|new zealand dollars?"))),
    ("CAD", re.compile(r"(?<![a-z])ca?\$|" + _word(r"cad|canadian dollars?"))),
    ("AUD", re.compile(r"(?<![a-z])au?\$|" + _word(r"aud|australian dollars?"))),
    ("HKD", re.compile(r"hk\$|" + _word("hkd"))),
    ("SGD", re.compile(r"(?<![a-z])s\$|" + _word("sgd"))),
    ("EUR", re.compile(r"€|" + _word(r"eur|euros?|euronen"))),
    ("GBP", re.compile(r"£|" + _word(r"gbp|pounds?|pfund|quid"))),
    # "Fr." only right beside an amount: elsewhere it is Friday or Frau.
    ("CHF", re.compile(_word(r"chf|franken|(?:swiss )?francs?") + r"|(?<![a-z])s?fr\.?\s*(?=\d)"
                       r"|[\d-]\s*s?fr(?![a-z])")),
    ("BRL", re.compile(r"r\$|" + _word(r"brl|reais"))),
    ("USD", re.compile(r"\$|" + _word(r"dollars?|bucks"))),
    ("JPY", re.compile(r"¥|" + _word(r"jpy|yen"))),
    ("INR", re.compile(r"₹|(?<![a-z])rs\.?\s*(?=\d)|" + _word(r"inr|rupees?"))),
    ("ZAR", re.compile(r"(?<![a-z])r\s?(?=\d)|" + _word(r"zar|rand"))),  # "R1 800 pppn"
    ("KRW", re.compile(r"₩")),
    ("PLN", re.compile(_word(r"pln|zl|zloty"))),
    ("CZK", re.compile(_word(r"czk|kc"))),
    ("TRY", re.compile(r"₺")),  # "try" and "rub" are English words: ISO codes only in capitals
    ("RUB", re.compile(r"₽")),
)
_ISO_CODES = frozenset(
    "EUR USD GBP CHF JPY CNY HKD SGD AUD CAD NZD SEK NOK DKK PLN CZK HUF RON BGN TRY RUB INR"
    " AED SAR QAR ZAR BRL MXN KRW THB ILS ISK KES NGN EGP MAD IDR MYR PHP VND TWD CLP COP"
    " ARS PEN UAH".split()
)
_ISO_CODE = re.compile(r"(?<![A-Za-z])([A-Z]{3})(?![A-Za-z])")
_PER_STAY = re.compile(
    r"\b(?:total|in total|totals?|insgesamt|gesamt\w*|overall|altogether|all in|in summe"
    r"|pauschal|whole stay|entire stay|the stay|den aufenthalt|ganzen aufenthalt"
    r"|gesamten aufenthalt|all nights|alle naechte|for \d+ nights|fuer \d+ naechte"
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
    """German or English separators: "1.200" and "1,200" are 1200, "149,50" is 149.5."""
    num = num.replace("'", "")
    if _THOUSANDS.fullmatch(num):
        return float(_SEPARATOR.sub("", num))
    m = _WITH_CENTS.fullmatch(num)
    if m:
        return float(_SEPARATOR.sub("", m[1]) + "." + m[2])
    return float(num.replace(",", "."))


def currency_of(text: str) -> str | None:
    """The ISO code of the currency the text itself writes ("USD 90", "120 €"), else None."""
    for code in _ISO_CODE.findall(text):
        if code in _ISO_CODES:
            return code
    t = fold(text)
    for code, pattern in _CURRENCIES:
        if pattern.search(t):
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


# ----------------------------------------------------------------------------- breakfast

_BREAKFAST = re.compile(
    r"breakfast|brekfast|breakfest|\bbfast|brekkie|fruehstueck|fruhstuck|fruestueck|\bfruehst\b"
    r"|\bzmorge\b"
    r"|b ?& ?b|bed and breakfast"
    r"|halbpension|vollpension|half board|full board|all inclusive|\bhp\b|\bvp\b|continental"
    r"|buffet|buffett|verpflegung"
)
_NO_BREAKFAST = re.compile(
    r"\b(?:without|w/o|ohne|no|not|nope|none|nein|kein\w*|nicht|dont|don't|do not|exclud\w*|excl"
    r"|exkl\w*"
    r"|room only|nur (?:uebernachtung|zimmer|das zimmer)|uebernachtung ohne)\b"
)
_ROOM_ONLY = re.compile(r"\b(?:room only|nur (?:uebernachtung|zimmer|das zimmer)|logis)\b")


_INDIFFERENT = re.compile(
    r"\b(?:egal|either way|not fussed|up to you|(?:doesn'?t|does not|don'?t) mind|optional"
    r"|(?:doesn'?t|does not) matter|no preference|mit oder ohne|with or without)\b")


def normalize_breakfast(text: str, *, context: str = "") -> bool | None:
    """True for a breakfast asked for (`with breakfast`, `inkl. Frühstück`, `breakfast
    please`), False for one refused (`ohne Frühstück`, `no breakfast`, `breakfast not needed`,
    `room only`), None when the text is about no breakfast at all or `context` (the span's
    sentence around it) says it does not matter (`Frühstück ist mir egal`, `breakfast
    optional`, `ob mit oder ohne Frühstück`)."""
    t = fold(text)
    if _INDIFFERENT.search(fold(context) if context else t):
        return None
    if _ROOM_ONLY.search(t):
        return False
    if not _BREAKFAST.search(t):
        return None
    return not _NO_BREAKFAST.search(t)


# ----------------------------------------------------------------------------- names

_ARTICLE = re.compile(r"^(?:the|der|die|das|dem|den|des)(?:\s+|$)", re.IGNORECASE)
_EDGE = " \t\n.,;:!?\"'“”„‚‘’«»-–—*"
_OPEN, _CLOSE = "([{", ")]}"
# A trailing dot that belongs to an abbreviation stays: "Kölner Str.", "Main St."
_ABBREV_END = re.compile(r"\b(?:str|st|ave|rd|blvd|pl|nr|co|inc|ltd|jr|sr|bhf|hbf)\.$",
                         re.IGNORECASE)
_TITLE = re.compile(
    r"^(?:mr|mrs|ms|miss|mx|mister|sir|madam|mme|mlle|herr|herrn|hr|hrn|frau|fr|dr|prof"
    r"|professor|dipl\.?-?\s?ing|ing|eng(?=\.)|engr|mag|alhaji)\b\.?\s*",
    re.IGNORECASE,
)


def _clean(text: str) -> str:
    """Whitespace collapsed; punctuation, quotes and unbalanced brackets stripped from the
    ends ("Marriott (Messe)" keeps its brackets, "Adlon)" loses its one)."""
    t = " ".join(text.split())
    keep_dot = bool(_ABBREV_END.search(t))
    while True:
        before = t
        t = t.strip(_EDGE)
        if t and t[0] in _OPEN and t.count(t[0]) > t.count(_CLOSE[_OPEN.index(t[0])]):
            t = t[1:]
        if t and t[-1] in _CLOSE and t.count(t[-1]) > t.count(_OPEN[_CLOSE.index(t[-1])]):
            t = t[:-1]
        if t == before:
            break
    return t + "." if keep_dot and not t.endswith(".") else t


def normalize_name(text: str) -> str | None:
    """A hotel_name or near value: the text as written, trimmed, without a leading article
    (`"the Messe"` -> `"Messe"`) or trailing punctuation. None when nothing remains."""
    t = _clean(text)
    while (stripped := _ARTICLE.sub("", t, count=1)) != t:
        t = stripped
    return t or None


# words that name a kind of lodging, not a hotel: "Hotel Berlin 12.-14.6." read "Hotel" as a name
_GENERIC_HOTEL = frozenset({
    "hotel", "hotels", "a hotel", "any hotel", "ein hotel", "das hotel", "unterkunft",
    "accommodation", "room", "zimmer", "motel", "hostel", "pension", "apartment", "b&b", "inn",
})


def normalize_hotel(text: str) -> str | None:
    """A hotel_name value (see `normalize_name`); None when it names only a kind of lodging
    ("Hotel", "the hotel", "Unterkunft")."""
    name = normalize_name(text)
    if name is None or fold(name) in _GENERIC_HOTEL:
        return None
    return name


# one word before a title is a role or a job, not a name ("Bürgermeisterin Dr. Elke Steinbrecher")
_ROLE_BEFORE_TITLE = re.compile(
    r"^([^\W\d_][\w-]*)\s+(?=(?:mr|mrs|ms|herrn?|frau|dr|prof)\b\.?\s+[^\W\d_])", re.IGNORECASE)
_JOINERS = frozenset({"and", "und", "&"})


# words for what a traveller is, not who: "unsere 2 [Azubis Lukas Brandt]", "[Studentinnen]"
_ROLES = frozenset("""
    azubi azubis auszubildende auszubildender praktikant praktikantin praktikanten trainee
    trainees student studentin studenten studentinnen students kollege kollegin kollegen
    kolleginnen colleague colleagues mitarbeiter mitarbeiterin mitarbeiterinnen employee
    chef chefin boss ceo cfo cto coo geschäftsführer geschäftsführerin bürgermeister
    bürgermeisterin referent referentin trainer trainerin trainerinnen dozent dozentin
    speaker speakers sprecher vorstand director manager managerin assistent assistentin
    assistant consultant consultants berater beraterin engineer engineers ingenieur
    ingenieurin techniker technikerin monteur monteure""".split())
# a credential in capitals before a full name: "DI Stefan Wöginger", "DGKP Verena Moser"
_CREDENTIAL = re.compile(r"^[A-Z]{2,5}\.?\s+(?=[A-ZÄÖÜ][\w'’-]+\s+[A-ZÄÖÜ])")


def normalize_traveler(text: str) -> str | None:
    """A traveler's name as written, titles, credentials and roles dropped (`"Herr Müller"` ->
    `"Müller"`, `"Prof. Dr. Anna Weber"` -> `"Anna Weber"`, `"DI Stefan Wöginger"` -> `"Stefan
    Wöginger"`, `"Azubis Lukas Brandt"` -> `"Lukas Brandt"`), whitespace collapsed; None when
    only a title or a role ("Studentinnen") or no letter is left."""
    t = _clean(text)
    role = _ROLE_BEFORE_TITLE.match(t)
    if role and role[1].lower() not in _JOINERS:
        t = t[role.end(1):]  # "Bürgermeisterin Dr. Elke Steinbrecher": the role goes
    while True:
        before = t
        t = _CREDENTIAL.sub("", _TITLE.sub("", t.lstrip(), count=1), count=1)
        words = t.split(" ")
        if words and words[0].lower() in _ROLES:
            t = " ".join(words[1:])
        if t == before:
            break
    t = t.strip(_EDGE)
    return t if any(c.isalpha() for c in t) else None  # "+" between two names is none


# ----------------------------------------------------------------------------- nights, counts

_NIGHTS = re.compile(
    r"(?P<n>\d+|[a-z]+(?:-[a-z]+)?)\s*(?P<u>nights?|nites?|naechte|naechten|nacht"
    r"|uebernachtung(?:en)?|overnight\s+stays?|overnights|n\b|nts?\b|weeks?|wochen?|fortnight)"
)
_NIGHTS_RANGE = re.compile(r"\d+\s*(?:-|bis|to|or|oder)\s*\d+")
_FORTNIGHT = re.compile(r"\bfortnight\b")
_SINGLE_NIGHT = re.compile(r"\b(?:a|one|eine) (?:single|einzigen?) (?:night|nacht|uebernachtung)\b")
_OVERNIGHT = re.compile(r"\b(?:overnight|ueber nacht)\b")
_BARE_NUMBER = re.compile(r"(?:for\s+|fuer\s+)?\d{1,3}")


def normalize_nights(text: str) -> int | None:
    """The number of nights (`"3 nights"`, `"drei Nächte"`, `"one night"`, `"2
    Übernachtungen"`, `"a single night"`); a week is 7 (`"for a week"`, `"eine Woche"`, `"2
    weeks"` -> 14); a bare number is taken as is. Days (`"3 Tage"`) and ranges (`"3-4 nights"`) give None."""
    t = fold(text)
    if _NIGHTS_RANGE.search(t):
        return None
    if _FORTNIGHT.search(t):
        return 14
    if _SINGLE_NIGHT.search(t):
        return 1
    for m in _NIGHTS.finditer(t):
        n = word_to_int(m["n"])
        if n is None and m["n"] in ("a", "an", "over"):
            n = 1
        if n is None:
            continue
        return n * 7 if m["u"].startswith(("week", "woche")) else n
    if _OVERNIGHT.search(t):
        return 1
    if _BARE_NUMBER.fullmatch(t):
        return int(t.split()[-1])
    return None


def normalize_count(text: str) -> int | None:
    """The number of rooms or guests a span states (`"two rooms"`, `"2 Erwachsene + 1 Kind"`
    -> 3); None for none, vague ones or zero. See `extractor.numbers.parse_count`."""
    return parse_count(text)


def normalize_field(field: str, text: str, *, context: str = "") -> object:
    """The value of a span of `field` (one of FIELDS) with text `text`, or None.

    Dates are not resolved here (they need the received date and their partner span: see
    extractor/dates.py); for check_in/check_out the text itself is returned.
    `context` is the text around the span (a currency written outside a price span)."""
    if field == "destination":
        return normalize_destination(text)
    if field in ("rooms", "guests"):
        return normalize_count(text)
    if field == "nights":
        return normalize_nights(text)
    if field == "room_type":
        return normalize_room_type(text)
    if field == "hotel_name":
        return normalize_hotel(text)
    if field == "near":
        return normalize_name(text)
    if field == "max_price":
        return normalize_price(text, context=context)
    if field == "breakfast":
        return normalize_breakfast(text, context=context)
    if field == "traveler_names":
        return normalize_traveler(text)
    return text
