"""Perturbations of bench/robustness.py whose effect on the form is known: a city, a name or
the dates swapped for others, and two sentences reordered.

Each takes an email's text, a seed and the form read from the text as it is, and returns the
perturbed text with the expected form as a function on its values (`Expect`), or None when the
email has nothing to swap. A city swapped for another one must move the destination with it
("München" -> "Lyon": destination Munich -> Lyon) and leave every other value as it was (the
other city pays in the same currency, so that a budget written without one keeps its
currency: "max 130" in Munich and in Lyon is EUR, in Osaka it would be JPY); a
traveller's name swapped must change only that name; numeric dates moved a week on must move
check-in and check-out a week on; two sentences without numbers put the other way round must
change nothing.
"""

from __future__ import annotations

import calendar
import datetime as dt
import random
import re
from collections.abc import Callable
from dataclasses import dataclass
from functools import cache
from typing import Any

from extractor.lexicon import cities, lexicon, local_currencies
from extractor.values.places import is_known_city, only_common_words

# swap targets: cities of every continent, written as the city table writes them
# (one at least for each currency the corpus's cities mostly pay in: see `city_swapped`)
TARGET_CITIES = ("Lyon", "Porto", "Krakow", "Gothenburg", "Bologna", "Ghent", "Leipzig",
                 "Seville", "Edinburgh", "Montreal", "Osaka", "Melbourne", "Nairobi", "Lima",
                 "Hanoi", "Auckland", "Tallinn", "Bilbao", "Graz", "Aarhus", "Denver", "Basel",
                 "Brno", "Pune", "Durban", "Debrecen", "Bergen", "Busan", "Monterrey", "Izmir",
                 "Abuja", "Hangzhou", "Jeddah")
FIRST_NAMES = ("Ingrid", "Tomasz", "Amara", "Kenji", "Lucía", "Oluwaseun", "Priya", "Mateo",
               "Signe", "Farid", "Yuki", "Bartosz", "Chiara", "Emeka", "Noor", "Henrik")
SURNAMES = ("Lindqvist", "Kowalczyk", "Okonkwo", "Tanaka", "Ferreira", "Haddad", "Novák",
            "Castillo", "Achterberg", "Mensah", "Rossetti", "Dubois", "Iversen", "Sato")
WEEK = dt.timedelta(days=7)
# a word of two letters or more, not part of a hyphenated name
_WORD = re.compile(r"(?<![\w-])[^\W\d_]{2,}(?![\w-])")
_FULL_DATE = re.compile(r"\b(?:(\d{1,2})\.(\d{1,2})\.(20\d\d)|(20\d\d)-(\d\d)-(\d\d))\b")


@dataclass(frozen=True)
class Expect:
    """A perturbed text and what its form's string values must become (`respell`)."""

    text: str
    respell: Callable[[str], str]


def _respeller(values: dict[str, str], words: dict[str, str]) -> Callable[[str], str]:
    """A value mapped whole (`values`), else word by word (`words`), all casefolded."""
    def respell(v: str) -> str:
        if v in values:
            return values[v]
        return _WORD.sub(lambda m: words.get(m.group(), m.group()), v)

    return respell


@cache
def _single_word_cities() -> dict[str, str]:
    """Each one-word spelling of the city table that is no common word, casefolded -> the
    city's value."""
    out = {}
    for name, aliases in cities().items():
        for spelling in (name, *aliases):
            if re.fullmatch(r"[^\W\d_]{4,}", spelling) and not only_common_words(spelling):
                out[spelling.casefold()] = name
    return out


def _currency(city: str) -> str | None:
    return local_currencies().get(city)


@cache
def _swap_targets() -> tuple[tuple[str, ...], tuple[str, ...]]:
    """`TARGET_CITIES`, and every other one-word city of the currency table (for a currency
    none of `TARGET_CITIES` pays in: "Zurich" -> "Geneva"; "Singapore" -> none)."""
    rest = tuple(sorted(c for c in local_currencies()
                        if c not in TARGET_CITIES and c.casefold() in _single_word_cities()))
    return TARGET_CITIES, rest


def _swapped_words(text: str, swap: dict[str, str]) -> str:
    """`text` with each word whose casefold `swap` maps replaced, in the word's case."""
    def one(m: re.Match[str]) -> str:
        new = swap.get(m.group().casefold())
        if new is None:
            return m.group()
        if m.group().isupper() and len(m.group()) > 1:
            return new.upper()
        return new.lower() if m.group().islower() else new

    return _WORD.sub(one, text)


def city_swapped(text: str, seed: int, form: Any) -> Expect | None:
    """Every one-word spelling of a destination the form holds swapped for another city
    wherever the text writes it, the same one each time (not inside a hyphenated name:
    "Garmisch-Partenkirchen")."""
    known = _single_word_cities()
    destinations = {(s.get("destination") or "").casefold() for s in form[1]}
    folded = text.casefold()
    # a word of a longer city's name written here stays ("York" of "New York City")
    longer = {w for name, aliases in cities().items() for spelling in (name, *aliases)
              if " " in spelling and spelling.casefold() in folded
              for w in spelling.casefold().split()}
    found = list(dict.fromkeys(
        w for w in _WORD.findall(folded)
        if w in known and known[w].casefold() in destinations and w not in longer))
    if not found:
        return None
    rng = random.Random(seed)
    # `TARGET_CITIES` first, each group in a random order
    free = [c for group in _swap_targets() for c in rng.sample(group, len(group))
            if c.casefold() not in folded]
    # every spelling of one city ("Milan", "Milano") becomes the same other city, one that
    # pays in its currency (a city with no other of its currency stays as it is)
    target: dict[str, str] = {}
    for city in dict.fromkeys(known[w] for w in found):
        same = [c for c in free if _currency(city) in (None, _currency(c))
                and c not in target.values()]  # a city of no known currency: any other
        if same:
            target[city] = same[0]
    if not target:
        return None
    swap = {w: target[known[w]] for w in found if known[w] in target}
    values = {known[old].casefold(): new.casefold() for old, new in swap.items()}
    words = {old: new.casefold() for old, new in swap.items()}
    return Expect(_swapped_words(text, swap), _respeller(values, words))


def name_swapped(text: str, seed: int, form: Any) -> Expect | None:
    """The words of the travellers' names the form holds swapped for other names wherever the
    text writes them (a first name for a first name, a surname for a surname)."""
    names = {n for stay in form[1] for n in (stay.get("traveler_names") or [])
             if not is_known_city(n)}  # a city read as a name stays a city
    day_words = {w.casefold() for group in (*lexicon().calendar.months,
                                            *lexicon().calendar.weekdays) for w in group.names}
    rng = random.Random(seed)
    firsts, lasts = list(FIRST_NAMES), list(SURNAMES)
    rng.shuffle(firsts)
    rng.shuffle(lasts)
    words: dict[str, str] = {}
    for name in sorted(names):
        parts = [w for w in name.split() if re.fullmatch(r"[^\W\d_]{2,}", w)]
        for k, word in enumerate(parts):
            if word in words or word in day_words or only_common_words(word):
                continue
            pool = firsts if k == 0 and len(parts) > 1 else lasts
            if pool:
                words[word] = pool.pop()
    if not words:
        return None
    return Expect(_swapped_words(text, words),
                  _respeller({}, {k: v.casefold() for k, v in words.items()}))


@cache
def _month_words() -> dict[str, int]:
    months = lexicon().calendar.months
    return {w: k for k, group in enumerate(months, 1) for w in (*group.names,
                                                                *group.abbreviations)}


_DAY = r"(\d{1,2})(?:\.|st|nd|rd|th)?"
_MONTH = rf"(?i:{'|'.join(sorted(_month_words(), key=len, reverse=True))})\b\.?"
# a day or a range of days before a month's name ("3 May", "3.–5. Mai", "3-5 May") or after it
# ("May 3rd", "May 3-5"), a numeric day and month without a year ("3.5.", "03.05.")
_NAMED = re.compile(rf"\b{_DAY}(?:\s*(?:[-–]|bis|to|until)\s*{_DAY})?\s+(?:of\s+)?({_MONTH})"
                    rf"|({_MONTH})\s+{_DAY}(?:\s*(?:[-–]|to|until)\s*{_DAY})?\b")
_NUMERIC_DAY = re.compile(r"\b(\d{1,2})\.(\d{1,2})\.(?!\d)")
_LONE_DAY = re.compile(r"\b\d{1,2}(?:st|nd|rd|th)\b|\b\d{1,2}\.(?=\s*(?:[-–]|bis\b))")
_DAY_NUMBER = re.compile(r"(\d{1,2})(st|nd|rd|th)?")


def _full_date(m: re.Match[str]) -> dt.date | None:
    try:
        if m[1]:
            return dt.date(int(m[3]), int(m[2]), int(m[1]))
        return dt.date(int(m[4]), int(m[5]), int(m[6]))
    except ValueError:
        return None


def _full_written_as(m: re.Match[str], day: dt.date) -> str:
    if m[1]:
        return f"{day.day:0{len(m[1])}d}.{day.month:0{len(m[2])}d}.{day.year}"
    return day.isoformat()


def _days_later(mention: str, month: int, year: int, seen: set[dt.date]) -> str | None:
    """`mention` with each day number a week later; None when one would leave the month."""
    days = [int(d) for d, _ in _DAY_NUMBER.findall(mention)]
    if not days or not all(1 <= d and d + 7 <= calendar.monthrange(year, month)[1]
                           for d in days):
        return None
    seen.update(dt.date(year, month, d) for d in days)
    return _DAY_NUMBER.sub(lambda m: _ordinal(int(m[1]) + 7, len(m[1]), bool(m[2])), mention)


def _ordinal(day: int, width: int, suffixed: bool) -> str:
    """`day` zero-padded to `width`, with its English ordinal suffix when `suffixed`."""
    if not suffixed:
        return f"{day:0{width}d}"
    return f"{day}{'th' if 10 <= day % 100 <= 20 else {1: 'st', 2: 'nd', 3: 'rd'}.get(day % 10, 'th')}"


def dates_moved(text: str, seed: int, form: Any) -> Expect | None:
    """Every date of the text a week later, written the same way: full numeric dates
    (31.12.2027, 2027-12-31) across months, a day before or after a month's name ("3.–5. Mai",
    "May 3rd") or a numeric day and month ("3.5.") within their month. Only where no weekday is
    named (it would no longer fit) and the form's check-in and check-out are among the dates."""
    booked = [stay.get(k) for stay in form[1] for k in ("check_in", "check_out")]
    if not booked or not all(booked):
        return None
    weekdays = {w for g in lexicon().calendar.weekdays for w in (*g.names, *g.abbreviations)}
    if any(w.casefold() in weekdays for w in re.findall(r"[^\W\d_]+", text)):
        return None
    year = dt.date.fromisoformat(booked[0]).year
    seen: set[dt.date] = set()
    months = _month_words()
    failed = False

    def full(m: re.Match[str]) -> str:
        if (d := _full_date(m)) is None:
            return m.group()
        seen.add(d)
        return _full_written_as(m, d + WEEK)

    def named(m: re.Match[str]) -> str:
        nonlocal failed
        word = (m[3] or m[4]).rstrip(".").casefold()
        days = m.group()[: m.start(3) - m.start()] if m[3] else m.group()[m.end(4) - m.start():]
        out = _days_later(days, months[word], year, seen)
        if out is None:
            failed = True
            return m.group()
        return m.group().replace(days, out, 1) if m[3] else m.group()[: m.end(4) - m.start()] + out

    def numeric(m: re.Match[str]) -> str:
        nonlocal failed
        out = _days_later(m[1], int(m[2]), year, seen) if 1 <= int(m[2]) <= 12 else None
        if out is None:
            failed = True
            return m.group()
        return f"{out}.{m[2]}."

    out = _FULL_DATE.sub(full, text)
    out = _NAMED.sub(named, out)
    out = _NUMERIC_DAY.sub(numeric, out)
    left = _LONE_DAY.findall(_NUMERIC_DAY.sub("", _NAMED.sub("", _FULL_DATE.sub("", text))))
    if failed or left or not all(dt.date.fromisoformat(b) in seen for b in booked):
        return None  # a day written alone ("until the 17th") would not move
    values = {b: (dt.date.fromisoformat(b) + WEEK).isoformat() for b in booked}
    return Expect(out, _respeller(values, {}))


# words that tie a sentence to the one before or after it (order, pronouns): reordering
# would change what it says
ORDER_WORDS = frozenset({"first", "then", "afterwards", "after", "before", "next", "finally",
                         "zuerst", "erst", "dann", "danach", "anschluss", "anschließend",
                         "vorher", "zuletzt", "schließlich", "also", "auch", "same", "gleiche",
                         "there", "dort", "that", "this", "it", "das", "dies", "es", "she", "he",
                         "they", "him", "her", "them", "his", "their", "er", "sie", "ihm",
                         "ihn", "ihr", "ihre", "sein", "seine"})
# a sentence ends after a word of four letters or more (not "Dr.", "10.", "Nr."), and not
# after an abbreviation
ABBREVIATIONS = frozenset({"inkl", "incl", "zzgl", "bzgl", "bzw", "evtl", "ggfs", "usw", "etc",
                           "approx", "prof", "str", "abt"})
_BOUNDARY = re.compile(r"(?<=[^\W\d_]{4}[.!?])[ \t]+(?=[A-ZÄÖÜ])")


@cache
def _no_sentence_ends() -> frozenset[str]:
    """The abbreviations and titles a sentence does not end after ("inkl.", "Dr.")."""
    return ABBREVIATIONS | {t.casefold() for t in (*lexicon().people.titles,
                                                   *lexicon().people.name_start_titles)}


def _sentences(line: str) -> list[tuple[int, int]]:
    """(start, end) of the sentences of `line`, cut only at a clear sentence end."""
    titles = _no_sentence_ends()
    cuts = [m for m in _BOUNDARY.finditer(line)
            if line[: m.start()].split()[-1].rstrip(".!?").casefold() not in titles]
    starts = [0, *(m.end() for m in cuts)]
    ends = [*(m.start() for m in cuts), len(line)]
    return list(zip(starts, ends, strict=True))


def _plain_sentence(sentence: str) -> bool:
    """A whole sentence of three words or more, without digits or words that tie it to its
    neighbours."""
    words = re.findall(r"[^\W\d_]+", sentence.casefold())
    return (len(words) >= 3 and sentence[:1].isupper() and sentence[-1:] in ".!?"
            and not any(c.isdigit() for c in sentence) and not ORDER_WORDS.intersection(words))


def sentences_reordered(text: str, seed: int, form: Any) -> Expect | None:
    """The first two neighbouring plain sentences of a line, the other way round."""
    for line in re.finditer(r"[^\n]+", text):
        spans = _sentences(line.group())
        for (a0, a1), (b0, b1) in zip(spans, spans[1:], strict=False):
            first, second = line.group()[a0:a1], line.group()[b0:b1]
            if _plain_sentence(first) and _plain_sentence(second):
                lo, hi = line.start() + a0, line.start() + b1
                return Expect(f"{text[:lo]}{second} {first}{text[hi:]}", lambda v: v)
    return None


DIRECTED: dict[str, Callable[[str, int, Any], Expect | None]] = {
    "city swapped (destination follows)": city_swapped,
    "traveller's name swapped": name_swapped,
    "numeric dates a week later (dates follow)": dates_moved,
    "two sentences reordered": sentences_reordered,
}
