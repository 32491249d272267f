"""Merge steps 10-12 and 14: who travels. Lists and pairs of guests go on from the one the
model tagged, a traveller is a name, and the signer is no traveller (the policy is in
`extractor.merge`)."""

from __future__ import annotations

import re
from dataclasses import replace

from extractor.lexicon import alternation
from extractor.merge.companions import companions, name_words_ok, with_traveller
from extractor.merge.context import MergeContext
from extractor.merge.names import capitalised_end
from extractor.merge.vocabulary import LEX, NAME_WORD, NOT_NAME, TITLE
from extractor.requester import not_a_name
from extractor.rules import DEFAULT_RULE_CONFIDENCE
from extractor.signature import legal_footer_line
from extractor.spans import FoundSpan, SpanIndex
from extractor.values.dates import is_calendar_word
from extractor.values.places import (
    is_known_city,
    is_street,
    known_city_in,
    normalize_destination,
)

_JOIN = rf"[ \t]+{alternation(LEX.names.joiners)}[ \t]+"
_PAIR_AFTER = re.compile(rf"{_JOIN}((?:{TITLE}[ \t]+)*{NAME_WORD}(?:[ \t]+{NAME_WORD}){{0,2}})")
_PAIR_BEFORE = re.compile(rf"(?<![\w.])({NAME_WORD}){_JOIN}$")
_PRONOUN = frozenset(LEX.people.pronouns)
_LABEL_AFTER = re.compile(r"[ \t]*:")
# what stands before a titled name that the request books for: "für [Herrn Baumann]", "for our
# CEO [Mr. Rahul Mehta]", "für unseren Geschäftsführer [Dr. Jan Roth]"
_BOOKED_FOR = re.compile(
    rf"(?<!\w)(?i:for|für|fuer)[ \t]+(?:(?i:{alternation(LEX.people.possessives)})[ \t]+)?"
    rf"(?:(?i:{alternation(LEX.people.roles + LEX.people.relations)})[ \t]+){{0,2}}$")


def _travellers(spans: list[FoundSpan]) -> list[FoundSpan]:
    return [m for m in spans if m.field == "traveler_names"]


def listed_travellers(spans: list[FoundSpan], ctx: MergeContext) -> list[FoundSpan]:
    """Step 10: a titled name (`person`) alone on its line, right under a line that holds only
    a traveller, is a traveller too ("Gäste:\\nFrau A. Kessler\\nHerr J. Brandt"), and so is
    one the request books for ("für Herrn Baumann bitte", "for our CEO Mr. Rahul Mehta"), a
    name in the cell under or over a traveller's in a table written with bars ("Name | Arrival
    ..." rows): whatever else the model read it as ("Pieter van [Dijk]" as a city), and each
    full name of a list under a label of the people who stay ("Team:\\nLena Meier\\nArash
    Karimi", "für unsere Trainerinnen und Trainer:\\nMag. Elisabeth Prenner"), and a companion
    the writer names after a relation (`extractor.merge.companions`: "Meine Frau (Claudia
    Greiner) begleitet mich", "meine Kollegin Małgorzata Zielińska kommt doch mit")."""
    spans = _booked_for(_listed(_table_column(spans, ctx), ctx), ctx)
    return companions(_labelled_list(spans, ctx), ctx)


_LIST_LABEL = re.compile(
    rf"(?<!\w)(?i:{alternation(LEX.people.list_labels + LEX.people.party_words + LEX.people.roles)})"
    r"(?!\w)[^\n:]{0,30}:[ \t]*$")
_NOT_STAYING = re.compile(rf"(?<!\w)(?i:{alternation(LEX.people.not_staying_labels)})(?!\w)")
# one person a line: a bullet or number, titles, a full name, a role in brackets
_LISTED_NAME = re.compile(
    rf"[ \t]*(?:[-–•*·]|\d{{1,2}}[.)])?[ \t]*(?:{TITLE}[ \t]+)*"
    rf"(?P<name>{NAME_WORD}(?:[ \t]+{NAME_WORD}){{1,3}})[ \t]*(?:\([^)\n]*\))?[ \t]*")


def _labelled_list(spans: list[FoundSpan], ctx: MergeContext) -> list[FoundSpan]:
    """The names listed under a label of the people who stay, as travellers: a name read as
    another field ("Noor [Iversen]" as breakfast) is the traveller's."""
    out = list(spans)
    lines = ctx.layout.lines()
    for k, (lo, hi) in enumerate(lines):
        label = ctx.text[lo:hi]
        if not _LIST_LABEL.search(label) or _NOT_STAYING.search(label):
            continue
        for start, end in lines[k + 1 :]:
            m = _LISTED_NAME.fullmatch(ctx.text, start, end)
            if m is None or not name_words_ok(m["name"]) or known_city_in(m["name"]):
                break
            out = with_traveller(out, m.start("name"), m.end("name"))
    return out


_CELL_NAME = re.compile(rf"{NAME_WORD}(?:[ \t]+(?:{alternation(LEX.places.name_particles)}|"
                        rf"{NAME_WORD})){{1,3}}")


def _cells(line: str) -> list[tuple[int, int]]:
    """The cells of a table row written with bars, as (start, end) in `line`, spaces trimmed."""
    out, at = [], 0
    for cell in line.split("|"):
        lead = len(cell) - len(cell.lstrip())
        out.append((at + lead, at + len(cell.rstrip())))
        at += len(cell) + 1
    return out


def _table_column(spans: list[FoundSpan], ctx: MergeContext) -> list[FoundSpan]:
    rows = [(lo, hi, n) for lo, hi in ctx.layout.lines() if (n := ctx.text.count("|", lo, hi))]
    if len(rows) < 2:
        return spans
    bars = {lo: n for lo, _, n in rows}
    names: list[tuple[int, int]] = []
    for t in _travellers(spans):
        lo, hi = ctx.layout.line_at(t.start, t.end)
        if lo not in bars:
            continue
        column = ctx.text.count("|", lo, t.start)
        for rlo, rhi, n in rows:
            if n != bars[lo] or rlo == lo:
                continue
            start, end = _cells(ctx.text[rlo:rhi])[column]
            cell = ctx.text[rlo + start : rlo + end]
            if _CELL_NAME.fullmatch(cell) and name_words_ok(cell):
                names.append((rlo + start, rlo + end))
    if not names:
        return spans
    kept = [s for s in spans if s.field == "traveler_names"
            or not any(s.start < e and b < s.end for b, e in names)]  # "Pieter van [Dijk]"
    taken = SpanIndex(_travellers(spans))
    return kept + [FoundSpan("traveler_names", b, e, DEFAULT_RULE_CONFIDENCE, "rules")
                   for b, e in dict.fromkeys(names) if not taken.any_overlap(b, e)]


def _booked_for(spans: list[FoundSpan], ctx: MergeContext) -> list[FoundSpan]:
    taken = SpanIndex(spans)
    added = [replace(person, field="traveler_names") for person in ctx.rules
             if person.kind == "person" and not taken.any_overlap(person.start, person.end)
             and _BOOKED_FOR.search(ctx.text, max(0, person.start - 60), person.start)]
    return spans + added


def _listed(spans: list[FoundSpan], ctx: MergeContext) -> list[FoundSpan]:
    layout = ctx.layout
    listed = [m for m in _travellers(spans) if layout.alone_on_line(m.start, m.end)]
    added: list[FoundSpan] = []
    taken = SpanIndex(spans)
    for person in sorted((r for r in ctx.rules if r.kind == "person"), key=lambda r: r.start):
        if taken.any_overlap(person.start, person.end) \
                or not layout.alone_on_line(person.start, person.end):
            continue
        lo, _ = layout.line_at(person.start, person.end)
        above, _ = layout.line_at(max(0, lo - 1), max(0, lo - 1))  # the line above starts
        if any(above <= t.start and t.end < lo for t in listed):
            found = replace(person, field="traveler_names")
            added.append(found)
            listed.append(found)
            taken.add(found)
    return spans + added


def paired_travellers(spans: list[FoundSpan], ctx: MergeContext) -> list[FoundSpan]:
    """Step 11: a name joined by "and"/"und"/"&" to a traveller is a traveller too: after it
    ("[Lukas Brandt] und Mehmet Aksoy") or, as a lone first name, before it ("Gerda und [Horst
    Wagner]")."""
    text = ctx.text
    added: list[FoundSpan] = []
    taken = SpanIndex(spans)
    for t in _travellers(spans):
        found = []
        after = _PAIR_AFTER.match(text, t.end)
        if after:
            found.append((after.start(1), after.end(1)))
        before = _PAIR_BEFORE.search(text, max(0, t.start - 40), t.start)
        if before and len(text[t.start : t.end].split()) >= 2:
            found.append((before.start(1), before.end(1)))
        for start, end in found:
            if not name_words_ok(text[start:end]):
                continue
            if taken.any_overlap(start, end):
                continue
            added.append(t.with_bounds(start, end))
            taken.add(added[-1])
    return spans + added


_FAMILY = frozenset(LEX.people.family_words)
# a greeting alone before the name on its line, and what ends the greeting after it
_GREETING_BEFORE = re.compile(rf"[ \t]*{alternation(LEX.people.greetings)}[ \t]+", re.IGNORECASE)
_GREETING_END = re.compile(r"[ \t]*(?:[,!:]|\n|$)")
# "Megan, I'm ...", "Tom, kannst du ...": a name called before the writer's own first words
_VOCATIVE_AFTER = re.compile(
    rf",[ \t]+{alternation(LEX.people.me + LEX.people.mine + LEX.people.we)}(?![\w'’])"
    rf"|,[ \t]+(?:can|could|please|bitte|kannst|könntest|koenntest|können|könnten)\b",
    re.IGNORECASE)


# a form line of someone who does not stay, up to the name: "Approver: ", "Genehmigt von:
# ", "Status ...... Approved ("
_NOT_STAYING = re.compile(
    rf"[ \t>*•-]*(?:{alternation(LEX.people.not_staying_labels)})(?!\w)[^\n:]{{0,20}}?"
    r"(?::|\.{3,}|\()[ \t]*(?:[^\W\d_]+[ \t]*\(?[ \t]*)?", re.IGNORECASE)


def names_only(spans: list[FoundSpan], ctx: MergeContext) -> list[FoundSpan]:
    """Step 12: a traveller that is a month or weekday ("im Jänner"), a pronoun ("für mich"),
    a word that is never part of a name ("Preis"), a form's label ("Zeitraum: 04.10."), a
    title alone, a street, or lowercase words in a text that writes names with capitals
    ("seine Frau mitreist") is dropped; in such a text a capitalised name ends with its last
    capitalised word ("[Katrin Weiß leider] kann nicht"). So is one untitled word that names
    the city a destination span names ("in Prag ([Praha])"). Names parted by a slash are one
    traveller each ("Stefan Maurer / Burak Aydın"). A surname read alone takes the first name
    right before it ("mein Kollege Emre [Kaya]")."""
    out = []
    cities = {normalize_destination(ctx.span_text(m)) for m in spans if m.field == "destination"}
    for span in spans:
        for m in _slash_parts(span, ctx) if span.field == "traveler_names" else [span]:
            if m.field == "traveler_names":
                m = _with_first_name(capitalised_end(m, ctx), ctx)
                if not _a_name(m, ctx) or _NOT_STAYING.fullmatch(
                        ctx.text, ctx.layout.line_at(m.start, m.end)[0], m.start):
                    continue
                word = ctx.span_text(m)
                if " " not in word.strip() and (city := normalize_destination(word)) and \
                        is_known_city(city) and city in cities:
                    continue
            out.append(m)
    return out


# two people in one traveller span, parted by a slash: "[Stefan Maurer / Burak Aydın]"
_SLASH = re.compile(r"[ \t]*/[ \t]*")


def _slash_parts(span: FoundSpan, ctx: MergeContext) -> list[FoundSpan]:
    """A traveller span of names parted by slashes as one span per name, where every part is
    two words or more (a first name and a surname each; "Anna/Anne Weber" is one person)."""
    text = ctx.span_text(span)
    cuts = list(_SLASH.finditer(text))
    bounds = [0, *(x for c in cuts for x in (c.start(), c.end())), len(text)]
    parts = list(zip(bounds[::2], bounds[1::2], strict=True))
    if not cuts or any(len(text[a:b].split()) < 2 for a, b in parts):
        return [span]
    return [replace(span, start=span.start + a, end=span.start + b) for a, b in parts]


# the word right before a one-word traveller: its first name, when it is shaped like one and
# is no title, relation, role, word that is never part of a name ("Kollege", "Frau", "Zimmer")
# or noun after an article ("auf den Namen Haider")
_WORD_BEFORE = re.compile(r"(?:(?<![\w.'’-])(?P<prev>[\w'’]+)[ \t]+)?(?<![\w.'’-])"
                          r"(?P<first>[A-ZÄÖÜ][a-zäöüßéèáíóúñçşğıł]+(?:-[A-ZÄÖÜ][a-zäöüß]+)?)[ \t]+$")
_ARTICLES = frozenset({"den", "dem", "der", "die", "das", "des", "the", "a", "an", "ein", "eine",
                       "einen", "einem", "einer"})
_NO_FIRST_NAME = frozenset(w.lower() for w in (*LEX.people.relations, *LEX.people.roles,
                                               *LEX.people.titles, *LEX.people.pronouns))


def _with_first_name(span: FoundSpan, ctx: MergeContext) -> FoundSpan:
    word = ctx.span_text(span).strip()
    if " " in word or not word[:1].isupper() or not ctx.layout.cased:
        return span
    m = _WORD_BEFORE.search(ctx.text, max(0, span.start - 40), span.start)
    if m is None or (m["prev"] or "").lower() in _ARTICLES:
        return span
    first = m["first"]
    if first.lower() in _NO_FIRST_NAME or first.lower() in NOT_NAME \
            or re.fullmatch(TITLE, first) or not_a_name(first):
        return span
    return span.with_bounds(m.start("first"), span.end)


def _a_name(span: FoundSpan, ctx: MergeContext) -> bool:
    words = [w for w in ctx.span_text(span).split() if not re.fullmatch(TITLE, w)]
    if not words:
        return False
    if len(words) == 1 and (is_calendar_word(words[0]) or words[0].lower() in _PRONOUN
                            or words[0].lower() in NOT_NAME
                            or _LABEL_AFTER.match(ctx.text, span.end)):
        return False  # "im Jänner", "für mich", "Preis bis ...", a label ("Zeitraum: 04.10.")
    if is_street(" ".join(words)):
        return False  # an address line's street ("Theodor-Heuss-Allee 2", "ul. Szczepańska")
    joined = " ".join(words)
    city = known_city_in(joined) if len(words) > 1 else None
    if words[0].lower().rstrip(".") in _FAMILY or (city and city[1:] == (0, len(joined))):
        return False  # "Familie Nowak" names no guest; "Frankfurt am Main" is a town
    return not (all(w.islower() for w in words) and ctx.layout.cased)  # "seine Frau mitreist"


def drop_addressees(spans: list[FoundSpan], ctx: MergeContext) -> list[FoundSpan]:
    """Step 19: a traveller greeted at the start of a line ("Liebe [Frau Arnold],", "Hi
    [Megan]!") or called by a lone first name opening a paragraph before the writer's own
    words ("[Megan], I'm in Brussels next week") is the one the letter is written to, and
    dropped; another mention of them keeps them a traveller."""
    return [s for s in spans if s.field != "traveler_names" or not _greeted(s, ctx.text)]


def _greeted(span: FoundSpan, text: str) -> bool:
    line_start = text.rfind("\n", 0, span.start) + 1
    before, after = text[line_start : span.start], text[span.end : span.end + 40]
    inside = _GREETING_BEFORE.match(text, span.start, span.end)  # the model's "[Hi Priya],"
    if _GREETING_BEFORE.fullmatch(before) or (inside and not before.strip()):
        return bool(_GREETING_END.match(after))
    opens_paragraph = not before.strip() and (line_start == 0 or text[:line_start].endswith(
        "\n\n") or not text[:line_start].strip())
    return (opens_paragraph and " " not in text[span.start : span.end]
            and bool(_VOCATIVE_AFTER.match(after)))


def drop_signers(spans: list[FoundSpan], ctx: MergeContext) -> list[FoundSpan]:
    """Step 14: a traveller on a sign-off line, the name line under it or (the last sign-off)
    the signature block right under that is a writer and dropped, and so is one a legal
    footer's line names ("Geschäftsführung: Dr. Hauke Sönnichsen" above a forward), unless a
    traveller of the body shares a word with it ("my name is Sarah Klein ... Best, [Sarah]");
    a name greeted ("Hallo [Frau Kaya]") is no traveller of the body."""
    zones = ctx.layout.sign_offs
    signed = [s for s in _travellers(spans) if any(lo <= s.start < hi for lo, hi in zones)
              or legal_footer_line(ctx.layout.line_text(s.start, s.end))]
    if not signed:
        return spans
    body = {w.casefold() for s in _travellers(spans) if s not in signed
            and not _greeted(s, ctx.text) for w in ctx.span_text(s).split()}
    return [s for s in spans if s not in signed
            or any(w.casefold() in body for w in ctx.span_text(s).split())]
