"""Number words and counts of English and German booking emails.

The value step looks every word up in the same *folded* spelling (`fold`): lowercase,
German umlauts spelled out (`ä` -> `ae`, `ß` -> `ss`), other accents dropped, dashes and
quotes unified. `zwölf`, `Zwoelf` and `ZWÖLF` thus meet in one table entry.

`parse_count` turns a rooms or guests span into an integer, summing its parts
(`2 Erwachsene + 1 Kind` -> 3, `two colleagues and me` -> 3) and refusing vague or ranged
amounts (`a couple of`, `2-3`) rather than guessing.
"""

from __future__ import annotations

import re
import unicodedata

from extractor.lexicon import alternation, lexicon

# umlauts spelled out; letters that NFKD does not split into a base and an accent ("zł",
# "Łódź", "Tromsø") written as their base letter
_UMLAUTS = str.maketrans({"ä": "ae", "ö": "oe", "ü": "ue", "ß": "ss", "ẞ": "ss", "ł": "l",
                          "ø": "o", "đ": "d", "ı": "i", "æ": "ae", "œ": "oe"})
_PUNCT = str.maketrans({
    "\u2010": "-", "\u2011": "-", "\u2012": "-", "\u2013": "-", "\u2014": "-", "\u2015": "-",
    "\u2212": "-", "\u2019": "'", "\u2018": "'", "\u00b4": "'", "`": "'", "\u201e": '"',
    "\u201c": '"', "\u201d": '"', "\u00a0": " ", "\u202f": " ", "\u2009": " ",
})
_SPACES = re.compile(r"\s+")


def fold(text: str) -> str:
    """`text` lowercased, umlauts spelled out, other accents and odd dashes/spaces unified,
    whitespace collapsed: the spelling every lookup table of the value step uses."""
    t = text.lower().translate(_UMLAUTS).translate(_PUNCT)
    if not t.isascii():
        # NFKD splits "é" into "e" + a combining accent, which the filter then drops.
        t = "".join(c for c in unicodedata.normalize("NFKD", t) if not unicodedata.combining(c))
    return _SPACES.sub(" ", t).strip()


_UNITS_EN = ("zero one two three four five six seven eight nine ten eleven twelve thirteen "
             "fourteen fifteen sixteen seventeen eighteen nineteen twenty").split()
_UNITS_DE = ("null eins zwei drei vier fuenf sechs sieben acht neun zehn elf zwoelf dreizehn "
             "vierzehn fuenfzehn sechzehn siebzehn achtzehn neunzehn zwanzig").split()
_TENS_EN = {"twenty": 20, "thirty": 30, "forty": 40, "fifty": 50, "sixty": 60, "seventy": 70,
            "eighty": 80, "ninety": 90}
_TENS_DE = {"zwanzig": 20, "dreissig": 30, "vierzig": 40, "fuenfzig": 50, "sechzig": 60,
            "siebzig": 70, "achtzig": 80, "neunzig": 90}
_DE_UNIT_STEMS = {"ein": 1, "zwei": 2, "drei": 3, "vier": 4, "fuenf": 5, "sechs": 6,
                  "sieben": 7, "acht": 8, "neun": 9}


def _cardinals() -> dict[str, int]:
    words: dict[str, int] = {}
    for i, w in enumerate(_UNITS_EN):
        words[w] = i
    for i, w in enumerate(_UNITS_DE):
        words[w] = i
    words.update(_TENS_EN)
    words.update(_TENS_DE)
    # Inflected German "one" ("einem Kollegen", "eine Nacht") and colloquial "zwo".
    for w in ("ein", "eine", "einen", "einem", "einer", "eines"):
        words[w] = 1
    words.update({"zwo": 2, "beide": 2, "both": 2, "dozen": 12, "dutzend": 12, "hundred": 100,
                  "hundert": 100, "einhundert": 100})
    for tens_word, tens in _TENS_EN.items():
        for unit in range(1, 10):
            words[f"{tens_word}-{_UNITS_EN[unit]}"] = tens + unit
    for tens_word, tens in _TENS_DE.items():
        for stem, unit in _DE_UNIT_STEMS.items():
            words[f"{stem}und{tens_word}"] = tens + unit
    return words


def _ordinals() -> dict[str, int]:
    en = {1: "first", 2: "second", 3: "third", 4: "fourth", 5: "fifth", 6: "sixth",
          7: "seventh", 8: "eighth", 9: "ninth", 10: "tenth", 11: "eleventh", 12: "twelfth",
          13: "thirteenth", 14: "fourteenth", 15: "fifteenth", 16: "sixteenth",
          17: "seventeenth", 18: "eighteenth", 19: "nineteenth", 20: "twentieth",
          30: "thirtieth"}
    words = {w: n for n, w in en.items()}
    for unit in range(1, 10):
        words[f"twenty-{en[unit]}"] = 20 + unit
    words["thirty-first"] = 31
    # German ordinals: stem + "te" up to 19, + "ste" from 20, each with its case endings.
    de_stems = {1: "ers", 3: "drit", 7: "sieb", 8: "ach"}
    for n in range(1, 32):
        if n < 20:
            stem = de_stems.get(n, _UNITS_DE[n]) + "te"
        elif n in (20, 30):
            stem = ("zwanzig" if n == 20 else "dreissig") + "ste"
        else:
            unit = n % 10
            unit_stem = next(s for s, v in _DE_UNIT_STEMS.items() if v == unit)
            stem = f"{unit_stem}und{'zwanzig' if n < 30 else 'dreissig'}ste"
        for ending in ("", "n", "r", "s", "m"):
            words[stem + ending] = n
    words["siebente"] = words["siebenten"] = 7
    return words


CARDINALS: dict[str, int] = _cardinals()
ORDINALS: dict[str, int] = _ordinals()


def word_to_int(word: str) -> int | None:
    """The integer a folded word or digit string stands for (`"12"`, `"zwoelf"`,
    `"twenty-one"`, `"einundzwanzig"`), or None."""
    if word.isdigit():
        return int(word)
    return CARDINALS.get(word)


# ----------------------------------------------------------------------------- counts

_TOKEN = re.compile(r"\d+|[a-z]+(?:-[a-z]+)?")
_VAGUE = re.compile(
    r"\b(?:couple of|ein paar|a few|several|some|mehrere|einige|many|viele|a group|eine gruppe"
    r"|a number of|eine reihe)\b"
)
_RANGE = re.compile(r"\d+\s*(?:-|/|bis|to|or|oder)\s*\d+|\b[a-z]+\s+(?:or|oder)\s+[a-z]+\b")
_PARENS = re.compile(r"\([^)]*\)")
# "2 adults 2 kids": a count of people right after a people noun starts a new summand
_PEOPLE = (r"(?:adults?|kids?|child|children|erwachsene|erwachsenen|kinder|kindern|kind"
           r"|persons?|people|personen|babys?|babies|infants?|teens?|teenagers?|jugendliche)")
_PEOPLE_THEN_COUNT = re.compile(
    rf"\b({_PEOPLE})\s+(?=(?:\d+|one|two|three|four|five|six|ein|eine|einem|zwei|drei|vier"
    rf"|fuenf|sechs)\s+{_PEOPLE}\b)")
# Whatever follows "incl. me" is already in the count; whatever follows an age is not people.
_CUT = re.compile(
    r"\b(?:incl|inkl|including|inklusive|inclusive|einschliesslich|einschl|aged|age|alter"
    r"|years|jahre|jahren|yo)\b.*"
)
_PARTS = re.compile(r"\+|&|,|;|\b(?:and|und|plus|with|mit|sowie|as well as|nebst|zzgl)\b")
_SELF = frozenset(lexicon().people.me)
_ALONE = re.compile(r"\b(?:just me|only me|me alone|nur ich|nur mich|mich allein|ich allein"
                    r"|allein|alleine|alone|by myself|myself only|solo)\b")
_SINGULAR_DET = frozenset({
    "a", "an", "my", "our", "his", "her", "one", "mein", "meine", "meinem", "meinen", "meiner",
    "unser", "unsere", "unserem", "unseren", "unserer", "ein", "eine", "einem", "einen", "einer",
})
_ACCUSATIVE_DET = frozenset({"meinen", "unseren", "einen"})
_PLURAL_DE = frozenset({
    "kollegen", "kolleginnen", "kinder", "kindern", "freunde", "freunden", "freundinnen", "leute",
    "personen", "gaeste", "gaesten", "erwachsene", "erwachsenen", "mitarbeitende", "eltern",
    "familie", "family", "team",
})
_BOTH = frozenset({"beide", "beiden", "both"})
# one person named by relation alone beside the writer: "me + wife", "mich und Kollegin",
# "me & the wife" (not "colleagues", "Kinder": some number)
_ONE_RELATION = frozenset(
    fold(w) for w in lexicon().people.relations
    if not w.endswith("s") and fold(w) not in _PLURAL_DE and w not in ("kinder", "children"))
_ZU = {"zweit": 2, "dritt": 3, "viert": 4, "fuenft": 5, "sechst": 6, "siebt": 7, "acht": 8}


def _part_value(part: str) -> int | None | bool:
    """The count of one summand: an int, False when it names no one, None when unknowable."""
    tokens = _TOKEN.findall(part)
    for i, tok in enumerate(tokens):
        if tok == "zu" and i + 1 < len(tokens) and tokens[i + 1] in _ZU:
            return _ZU[tokens[i + 1]]
        n = word_to_int(tok)
        if n is not None:
            nxt = tokens[i + 1] if i + 1 < len(tokens) else ""
            if tok in _TENS_EN and nxt in _UNITS_EN[1:10]:  # "twenty one"
                n += _UNITS_EN.index(nxt)
            return n
    if any(tok in _SELF for tok in tokens):
        return 1
    if any(tok in _BOTH for tok in tokens):
        return 2  # "die beiden", "uns beide", "both of us"
    if tokens and tokens[0] in _SINGULAR_DET:
        noun = tokens[1] if len(tokens) > 1 else ""
        # "meinen Kollegen" is one colleague (accusative), "meine Kollegen" several
        accusative = tokens[0] in _ACCUSATIVE_DET and noun.endswith("en")
        if not noun or (noun in _PLURAL_DE and not accusative) or (
                noun.endswith("s") and not noun.endswith("ss")):
            return None  # "my colleagues": some number of people, not one
        return 1
    return False


def _one_relation(part: str) -> bool:
    """A summand that names one person by relation alone: "wife", "the wife", "Kollegin"."""
    tokens = _TOKEN.findall(part)
    words = tokens[1:] if tokens[:1] in (["the"], ["die"], ["der"]) else tokens
    return len(words) == 1 and words[0] in _ONE_RELATION


_CHILD = re.compile(rf"\b{alternation(fold(w) for w in lexicon().people.child_words)}\b")


def _summands(text: str) -> list[tuple[int, bool]] | None:
    """The counted parts of a people or rooms phrase as (count, is it children), or None when
    the phrase states no count or a vague one (see `parse_count`)."""
    t = fold(text)
    if not t or _VAGUE.search(t) or _RANGE.search(t):
        return None
    if _ALONE.search(t):
        return [(1, False)]
    t = _PEOPLE_THEN_COUNT.sub(r"\1, ", _CUT.sub("", _PARENS.sub(" ", t)))
    counted: list[tuple[int, bool]] = []
    parts = [p.strip() for p in _PARTS.split(t)]
    relations = 0  # people named by relation alone, who count beside counted ones: "me + wife"
    for part in parts:
        value = _part_value(part)
        if value is None:
            return None
        if value is False:
            relations += _one_relation(part)
            continue
        counted.append((int(value), bool(_CHILD.search(part))))
    if counted and relations:
        counted.append((relations, False))
    if not counted or sum(n for n, _ in counted) <= 0:
        return None
    if len(counted) == 1 and len(parts) == 1:
        tokens = _TOKEN.findall(t)
        # A lone "a"/"my"/"me" states no count; only "one"/"ein..." does.
        if tokens and tokens[0] in {"a", "an", "my", "our", "mein", "meine", "unser"}:
            return None
        if all(tok in _SELF for tok in tokens):
            return None
    return counted


def parse_count(text: str) -> int | None:
    """The number a rooms or guests span states, or None when it states none or a vague one.

    Digits and number words up to the hundreds, English and German (`"2"`, `"zwölf"`,
    `"2x"`, `"one"`, `"einem"`); sums of people (`"2 adults and 2 children"` -> 4,
    `"two colleagues and me"` -> 3, `"me and my colleague"` -> 2); `"incl. me"` adds nothing.
    Vague amounts (`"a couple of"`, `"several"`) and ranges (`"2-3"`) give None, and so does
    a bare `"a"` (`"a room"` states no count). Zero gives None.
    """
    counted = _summands(text)
    return None if counted is None else sum(n for n, _ in counted)


def parse_party(text: str) -> tuple[int | None, int | None]:
    """(adults, children) of a guests phrase: hotels price children apart, and the form's
    `guests` counts adults (`"2 Erwachsene und 1 Kind"` -> (2, 1), `"3 people"` -> (3, None),
    `"2 kids"` -> (None, 2)); (None, None) when it states no count."""
    counted = _summands(text)
    if counted is None:
        return None, None
    adults = sum(n for n, child in counted if not child)
    children = sum(n for n, child in counted if child)
    return adults or None, children or None
