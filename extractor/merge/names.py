"""Merge steps 6-9, 15, 22 and 23: names end on their line and with a name word, run on over
their capitalised words, join their pieces, a hotel named with its place is split, a venue is no
hotel, and a company's name is no person's or city's (the policy is in `extractor.merge`)."""

from __future__ import annotations

import re
from dataclasses import replace

from spacy.matcher.levenshtein import levenshtein_compare

from extractor.lexicon import alternation
from extractor.merge.context import MergeContext
from extractor.merge.vocabulary import (
    COMPANY_AFTER,
    LEX,
    LINE_FIELDS,
    NAME_FIELDS,
    NOT_NAME,
    PARTICLE,
    STARTS_TITLED,
    TITLE_WORD,
)
from extractor.spans import FoundSpan
from extractor.values.dates import names_a_day
from extractor.values.people import NICKNAME
from extractor.values.places import is_street, known_city_in, only_common_words

MAX_RUN_ON = 3
_NEXT_NAME_WORD = re.compile(rf"[ \t]+(?:{PARTICLE}[ \t]+)?([A-ZÄÖÜÉ][\w'’&-]*)")
_NAME_GAP = re.compile(rf"[ \t]+(?:{PARTICLE}[ \t]+)?|[ \t]*-[ \t]*")
_NICKNAMED = re.compile(  # 'Jonas "JJ" Jürgensen', "Oluwaseun (Seun) Balogun"
    rf"(?<![\w-])[A-ZÄÖÜ][^\W\d_]+{NICKNAME.pattern}[A-ZÄÖÜ][^\W\d_]+(?:-[A-ZÄÖÜ][^\W\d_]+)?(?![\w-])")
# one town's name in two pieces: "[Rothenburg] ob der [Tauber]", "[Washington], [DC]"
_TOWN_GAP = re.compile(rf"[ \t]+{alternation(LEX.places.town_particles)}[ \t]+|-(?:upon|on)-")
_STATE = re.compile(r"[A-Z]{2}")
_IN_WORD, _WORD_REST = re.compile(r"[\w-]"), re.compile(r"[\w-]*\w")  # the rest of a word
_HONORIFIC = re.compile(r"-(?:san|sama|kun|chan|sensei|ji)", re.IGNORECASE)  # "Tanaka-san"
_SPAN_WORD = re.compile(r"\S+")
_TRAILING_WORD = re.compile(
    r"[ \t]+(?:am|an|im|in|at|near|bei|beim|nahe|the|der|die|das|dem|den|of|and|und|zum|zur"
    r"|vom|von|for|für|to|where|which|wo|&|or|oder|bzw\.?|beziehungsweise)[ \t]*$", re.IGNORECASE)
# a sentence ends inside a hotel or place span: a word of three letters or more, its full stop,
# and a capitalised word that opens a sentence ("[Kongresszentrums FIL. Generell] wäre")
_SENTENCE_END = re.compile(r"(?<=[^\W\d_]{3})\.[ \t]+(?P<next>[A-ZÄÖÜ][\w'’-]*)(?P<after>[ \t]+\S)?")
_HOTEL_AT = re.compile(r"[ \t]+(?:am|an der|beim|nahe|near|at the|next to the)[ \t]+"
                       r"(?:(?:the|dem|der)[ \t]+)?(?=[A-ZÄÖÜ])")
# the words of a hotel phrase that names no hotel ("das Hotel", "im Hotel")
_WORDS = re.compile(r"[\w&+.'’-]*\w")
_HOTEL_WORDS = tuple(LEX.places.hotel_words)
_VENUE_WORDS = frozenset(LEX.places.venue_words)
_GENERIC_HOTEL = (frozenset(w for w in LEX.places.generic_hotel_words if " " not in w)
                  | frozenset(LEX.names.articles) | {"im", "ins"})


def end_on_line(spans: list[FoundSpan], ctx: MergeContext) -> list[FoundSpan]:
    """Step 6: a hotel, place, city or traveller span that runs over a line break ends before
    it; one holding nothing but line breaks is dropped. A break that only wraps prose (a long
    line, `Layout.hard_break`) or that follows a title alone ("Frau\\nAyşe Yılmaz") goes on
    in the next line: "für Herrn Kai\\nNeumann" in a hard-wrapped paragraph is one name."""
    return [t for m in spans if (t := _on_its_line(m, ctx)) is not None]


def _on_its_line(span: FoundSpan, ctx: MergeContext) -> FoundSpan | None:
    if span.field not in LINE_FIELDS:
        return span
    text = ctx.text
    lines = text[span.start : span.end].split("\n")
    first = next((k for k, line in enumerate(lines) if line.strip()), None)
    if first is None:
        return None
    start = span.start + sum(len(line) + 1 for line in lines[:first])
    end = start + len(lines[first])
    for line in lines[first + 1 :]:
        if not line.strip() or not _goes_on(text[start:end], end, ctx):
            break
        end += 1 + len(line)
    end = start + len(text[start:end].rstrip())
    return span if (start, end) == (span.start, span.end) else span.with_bounds(start, end)


def _goes_on(kept: str, newline: int, ctx: MergeContext) -> bool:
    """Whether a name kept as `kept` so far goes on past the line break at `newline`."""
    titles_only = all(TITLE_WORD.fullmatch(w) for w in kept.split())
    return titles_only or not ctx.layout.hard_break(newline, newline + 1)


def join_name_parts(spans: list[FoundSpan], ctx: MergeContext) -> list[FoundSpan]:
    """Step 7: pieces of one name are one span: hotels or places parted by a space or a name
    particle only, travellers by one space ("[Sophie] [Dubois]", not "[Herr A] [Frau B]"), their
    name's hyphen ("[Kim Min-][jun]") or a nickname ('[Jonas "] [JJ] [Jürgensen]'), towns by a
    town's particle or a state code ("[Rothenburg] ob der [Tauber]", "[Washington], [DC]")."""
    out: list[FoundSpan] = []
    for span in sorted(_nicknamed(spans, ctx.text), key=lambda s: s.start):
        last = out[-1] if out else None
        if last is not None and last.field == span.field and _one_name(last, span, ctx.text):
            out[-1] = replace(last, end=span.end,
                              confidence=(last.confidence + span.confidence) / 2)
        else:
            out.append(span)
    return out


def _nicknamed(spans: list[FoundSpan], text: str) -> list[FoundSpan]:
    """`spans` with the traveller spans inside a name with a nickname made one span."""
    for m in _NICKNAMED.finditer(text):
        inside = [s for s in spans if s.field == "traveler_names"
                  and s.start < m.end() and m.start() < s.end]
        if inside:
            one = replace(inside[0], start=min(m.start(), *(s.start for s in inside)),
                          end=max(m.end(), *(s.end for s in inside)),
                          confidence=max(s.confidence for s in inside))
            spans = [s for s in spans if s not in inside] + [one]
    return spans


def _one_name(first: FoundSpan, second: FoundSpan, text: str) -> bool:
    gap = text[first.end : second.start]
    if second.field in NAME_FIELDS:
        return _NAME_GAP.fullmatch(gap) is not None
    if second.field == "traveler_names":  # or a name's hyphen between: "[Kim Min-][jun]"
        return gap + text[first.end - 1] == "-" or gap == " " and not STARTS_TITLED.match(text, second.start)
    if second.field == "destination":
        return _TOWN_GAP.fullmatch(gap) is not None or (
            gap == ", " and _STATE.fullmatch(text, second.start, second.end) is not None)
    return False


def run_on(spans: list[FoundSpan], ctx: MergeContext) -> list[FoundSpan]:
    """Step 8: a hotel or place span that stops before more capitalised words of its name
    ("[Parque] das Nações") grows over up to three of them on its line, never into another
    span, never over a word that begins the next phrase ("Zimmer", "Please"); a traveller read
    by a first name alone takes the surname right after it ("my colleague [Ines] Duarte is
    coming"), unless that word names a day or a known city; a destination that is the start of
    a known city's name written on ("[Cape] Town", "[Kuala] Lumpur") takes the rest of it."""
    return [_run_on(m, ctx.text, spans) if m.field in NAME_FIELDS
            else _surname_on(m, ctx.text, spans) if m.field == "traveler_names"
            else _city_on(m, ctx.text, spans) if m.field == "destination" else m
            for m in spans]


def _city_on(span: FoundSpan, text: str, others: list[FoundSpan]) -> FoundSpan:
    found = known_city_in(text[span.start : span.start + 40])
    if found is None or found[1] != 0 or span.start + found[2] <= span.end:
        return span
    grown = span.with_bounds(span.start, span.start + found[2])
    return span if any(o is not span and o.start < grown.end and span.end <= o.start
                       for o in others) else grown


def _surname_on(span: FoundSpan, text: str, others: list[FoundSpan]) -> FoundSpan:
    if " " in text[span.start : span.end].strip():
        return span
    m = _NEXT_NAME_WORD.match(text, span.end)
    if not m or m.group(1).lower() in NOT_NAME or names_a_day(m.group(1)) \
            or known_city_in(m.group(1)) or not m.group(1)[1:].islower():
        return span
    if _into_another(span, m, others):
        return span
    return span.with_bounds(span.start, m.end())


def _run_on(span: FoundSpan, text: str, others: list[FoundSpan]) -> FoundSpan:
    end = span.end
    for _ in range(MAX_RUN_ON):
        m = _NEXT_NAME_WORD.match(text, end)
        if not m or m.group(1).lower() in NOT_NAME:
            break
        if _into_another(span, m, others):
            break
        end = m.end()
    return span if end == span.end else span.with_bounds(span.start, end)


def _into_another(span: FoundSpan, word: re.Match[str], others: list[FoundSpan]) -> bool:
    """Whether growing `span` over the matched `word` would run into another span."""
    return any(o is not span and o.start < word.end() and word.start() < o.end for o in others)


def end_with_name_word(spans: list[FoundSpan], ctx: MergeContext) -> list[FoundSpan]:
    """Step 9: a name that ends with a preposition, article or "and" loses it ("[Motel One
    am] Hauptbahnhof"); one that stops inside the word of a street is none ("[Kennedy]-Ufer
    2a", "[Theodor-Heuss-]Ring"), while "[hamburg]-hotel" stays the city; a hotel, place or
    traveller that stops at a hyphen inside its word takes the word ("[Seo Min]-jun"). In a text
    that writes names with capitals, a destination ends with its last capitalised word
    ("[Mailand raussuchen]"). A hotel or place ends where its sentence ends ("[Kongresszentrums
    FIL. Generell] gilt")."""
    return [_cased_end(_name_end(m, ctx.text), ctx) for m in spans
            if not _inside_street(m, ctx.text)]


def _cased_end(span: FoundSpan, ctx: MergeContext) -> FoundSpan:
    """A destination of a cased text that begins with a capital ends with its last
    capitalised word: "[Mailand raussuchen]" is Mailand ("Frankfurt am Main" keeps its end)."""
    return capitalised_end(span, ctx) if span.field == "destination" else span


def capitalised_end(span: FoundSpan, ctx: MergeContext) -> FoundSpan:
    """`span` ending with its last capitalised word, when the text writes its names with
    capitals and the span begins with one ("[Katrin Weiß leider]", "[Mailand raussuchen]")."""
    words = list(_SPAN_WORD.finditer(ctx.span_text(span)))
    if not ctx.layout.cased or not words or not words[0].group()[0].isupper():
        return span
    keep = len(words)
    while keep > 1 and words[keep - 1].group()[0].islower():
        keep -= 1
    return span.with_bounds(span.start, span.start + words[keep - 1].end())


def _word_end(span: FoundSpan, text: str) -> int | None:
    """Where the word ends that `span` stops inside of; None when it ends with its word."""
    end = span.end
    if not 0 < end < len(text) or not _IN_WORD.match(text[end - 1]):
        return None
    rest = _WORD_REST.match(text, end)
    return rest.end() if rest else None


def _inside_street(span: FoundSpan, text: str) -> bool:
    if span.field not in LINE_FIELDS:
        return False
    word_end = _word_end(span, text)
    return word_end is not None and is_street(text[span.start : word_end])


def _name_end(span: FoundSpan, text: str) -> FoundSpan:
    end = span.end
    if span.field in (*NAME_FIELDS, "traveler_names") and end < len(text) and text[end] == "-" \
            and (word_end := _word_end(span, text)) and not _HONORIFIC.fullmatch(text, end, word_end):
        end = word_end  # stopping inside a hyphenated word: "[gent sint]-pieters", "[Seo Min]-jun"
    if span.field in NAME_FIELDS:
        end = _sentence_end(text, span.start, end)
    while span.field in LINE_FIELDS and (m := _TRAILING_WORD.search(text, span.start, end)) \
            and m.start() > span.start:
        end = m.start()
    return span if end == span.end else span.with_bounds(span.start, end)


def _sentence_end(text: str, start: int, end: int) -> int:
    """`end`, or the full stop before it that ends a sentence: the next word is a common word
    or a lowercase word follows it ("FIL. Generell wäre"; not "St. Pauli", "Prof. Sauer")."""
    for m in _SENTENCE_END.finditer(text, start, min(len(text), end + 40)):
        if m.start() >= end:
            break
        opens = only_common_words(m["next"]) or m["next"].lower() in NOT_NAME or (
            m["after"] is not None and m["after"][-1].islower())
        if opens and not TITLE_WORD.fullmatch(text[start : m.start() + 1].split()[-1]):
            return m.start()
    return end


def _generic(phrase: str) -> bool:
    return all(w.lower() in _GENERIC_HOTEL for w in phrase.split())


def split_hotel_place(spans: list[FoundSpan], ctx: MergeContext) -> list[FoundSpan]:
    """Step 15: "[Motel One am Hauptbahnhof]" tagged as one hotel is the hotel "Motel One"
    near "Hauptbahnhof" when its line names no other place to be near; "Hotel am Stadtpark"
    stays whole, and "[Hotel] am [Domplatz]" tagged as hotel and near is one hotel."""
    text = ctx.text
    out: list[FoundSpan] = []
    for s in sorted(spans, key=lambda s: s.start):
        last = out[-1] if out else None
        if (s.field == "near" and last is not None and last.field == "hotel_name"
                and _generic(text[last.start : last.end])
                and (gap := _HOTEL_AT.match(text, last.end)) and gap.end() == s.start):
            out[-1] = last.with_bounds(last.start, s.end)  # "[Hotel] am [Domplatz]"
            continue
        m = _HOTEL_AT.search(text, s.start, s.end) if s.field == "hotel_name" else None
        lo, hi = ctx.layout.line_at(s.start, s.end)
        if (m is None or m.end() >= s.end or _generic(text[s.start : m.start()])
                or any(o.field == "near" and lo <= o.start < hi for o in spans)):
            out.append(s)
            continue
        out += [s.with_bounds(s.start, m.start()), replace(s, field="near", start=m.end())]
    return out


def _misspelt_hotel(words: list[str]) -> bool:
    """Whether a long word is a hotel's word with a typo ("Noovtel", "Marriot"): one edit in
    five or six letters, two from seven."""
    return any(levenshtein_compare(w, h, 1 if len(w) < 7 else 2) for w in words if len(w) >= 5
               for h in _HOTEL_WORDS if " " not in h and abs(len(h) - len(w)) <= 1)


def venues_are_near(spans: list[FoundSpan], ctx: MergeContext) -> list[FoundSpan]:
    """Step 22: a hotel that no word of a hotel's names ("Inn", "Suites", a chain) but a venue's
    word does ("[Istanbul Congress Center]", "[Parkville campus]", "zum Bahnhof [Santa Maria
    Novella]") is the place to be near, unless the words before call it a hotel ("our
    preferred hotel is the [Arcotel Bolzano Messe]"). A hotel without a capital letter nor a
    hotel's word, in a text that writes with capitals ("to catch the [northern lights]"),
    names no hotel. A known city and the word hotel in lowercase ("cancel the [Lyon hotel
    only]") name the city's stay: a destination ("the [Quebec Hotel]" is a hotel). A hotel
    without a hotel's word before "area" or on a line a location label opens ("[Lujiazui]
    area", "Lage: Barangaroo / [Darling Harbour]") is a part of the city: near too."""
    out = []
    for s in spans:
        if s.field == "hotel_name" and (city := _city_hotel(ctx.span_text(s))):
            s = replace(s, field="destination", end=s.start + city)
        if s.field == "hotel_name":
            words = _WORDS.findall(ctx.span_text(s).casefold())
            before = _WORDS.findall(ctx.text[max(0, s.start - 25) : s.start].casefold())
            joined = f" {' '.join(words)} "
            hotel_word = any(f" {w} " in joined for w in _HOTEL_WORDS)
            if ctx.layout.cased and ctx.span_text(s).islower() and not hotel_word \
                    and not _misspelt_hotel(words):
                continue  # "to catch the [northern lights]"
            if (not hotel_word and "hotel" not in before
                    and (any(w in _VENUE_WORDS for w in words + before[-1:])
                         or _a_district(s, ctx))
                    and not _misspelt_hotel(words)):
                s = replace(s, field="near")
        out.append(s)
    return out


# a part of a city: "[Lujiazui] area", "Pudong side", or on a line a location label opens
_DISTRICT_AFTER = re.compile(r"[ \t]+(?i:area|district|side|neighbou?rhood|quarter|viertel)"
                             r"(?![^\W\d_])")
_LOCATION_LABEL = re.compile(r"[ \t>]*(?i:lage|location|area|gegend|stadtteil|viertel"
                             r"|neighbou?rhood|district)[ \t]*:")


def _a_district(span: FoundSpan, ctx: MergeContext) -> bool:
    """Whether a hotel span names a part of the city (`_DISTRICT_AFTER`, `_LOCATION_LABEL`)."""
    lo, _ = ctx.layout.line_at(span.start, span.end)
    return bool(_DISTRICT_AFTER.match(ctx.text, span.end)
                or _LOCATION_LABEL.match(ctx.text, lo, span.start))


# a city's name, then the word hotel in lowercase and nothing but lowercase words: "Lyon hotel
# only" ("Quebec Hotel" is a hotel's name)
_CITY_HOTEL = re.compile(r"(?P<city>.+?)[ \t-]+hotels?(?:[ \t]+[^\W\d_A-Z]+)*[ \t]*")


def _city_hotel(text: str) -> int | None:
    """The length of the known city that `text` is made of with the word hotel ("Lyon hotel
    only" -> 4), None when it names a hotel ("Hotel Lyon", "Quebec Hotel")."""
    m = _CITY_HOTEL.fullmatch(text)
    if m is None or not (found := known_city_in(m["city"])) or found[1:] != (0, len(m["city"])):
        return None
    return len(m["city"])


def companies_are_no_names(spans: list[FoundSpan], ctx: MergeContext) -> list[FoundSpan]:
    """Step 23: a traveller or destination right before a company's legal form is part of
    the company's name: "Mohammed Al-Rashid / [Najd Mining] Co.", "Solvatec [South Africa]
    (Pty) Ltd" (a company may be the place to be near, so a place stays)."""
    return [s for s in spans if s.field not in ("traveler_names", "destination")
            or not COMPANY_AFTER.match(ctx.text, s.end)]
