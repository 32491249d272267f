"""Merge steps 1-5: which model spans stand, where they start and end, and which rule spans
fill the gaps between them (the policy is in `extractor.merge`)."""

from __future__ import annotations

import re
from dataclasses import replace

from extractor.lexicon import alternation
from extractor.merge.context import DATE_FIELDS, MergeContext
from extractor.merge.vocabulary import LEX
from extractor.spans import FoundSpan, SpanIndex
from extractor.values.dates import short_weekday_in_prose
from extractor.values.journey import passed_through
from extractor.values.places import is_street

_BARE_NUMBER = re.compile(r"\d{1,4}[a-z]?")
# a rule date that names one day in digits, never a range: "2027-03-20", "20.03.2027"
_ONE_DAY = re.compile(r"20\d\d-\d\d?-\d\d?|\d\d?[./]\d\d?[./](?:20)?\d\d\.?")
# the street's name, then maybe the first number of a range: "Promenadeplatz 2-", "Main St "
_STREET_BEFORE = re.compile(r"(?P<street>[^\W\d_][\w.'’-]*)[ \t]+(?:\d{1,4}[a-z]?[ \t]*[-–/][ \t]*)?$")
# a part of a place that a number names: "Heathrow Terminal [5]", "Halle [3]", "Gate [12]"
_PLACE_PART_BEFORE = re.compile(
    r"(?<![^\W\d_])(?:terminal|gate|hall|halle|tor|bau|building|gebäude|pier|platform|gleis"
    r"|stand|level|ebene|floor|etage)[ \t]*(?:no\.?|nr\.?)?[ \t]*$", re.IGNORECASE)

# children and the open bracket of their ages, up to an age: "kids (6 and ", "Kindern (4, "
_AGES_BEFORE = re.compile(rf"(?<!\w){alternation(LEX.people.child_words)}[ \t]*\([\d ,.&]*"
                          r"(?:(?:and|und)[ \t]+)?$", re.IGNORECASE)
_CAP_BEFORE = re.compile(r"(?<!\w)(?:max\.?|maximum|maximal|höchst|hoechst)[ \t]*(?:rate|rates|price"
                         r"|preis|zimmerpreis|tarif)[ \t]*(?:(?:per|pro)[ \t]*(?:night|nacht))?"
                         r"[ \t]*:[ \t]*$", re.IGNORECASE)
# a price an offer starts at, no cap of the requester: "partner hotels from EUR 145 per night",
# "Zimmer ab 89 €"
_OFFER_BEFORE = re.compile(r"(?<!\w)(?:from|ab|starting at|starting from)[ \t]+$", re.IGNORECASE)
# the rule kinds whose span may set a model span's boundaries, per model field
_COMPATIBLE_KINDS: dict[str, frozenset[str]] = {
    "check_in": frozenset({"date"}),
    "check_out": frozenset({"date"}),
    "max_price": frozenset({"money", "max_price"}),
    "nights": frozenset({"weeks"}),  # "Dauer: [6] Wochen" is six weeks
    "traveler_names": frozenset({"person"}),
}
# the only fields a span inside a rule span of this kind can have
_KIND_FIELDS: dict[str, frozenset[str]] = {
    "date": frozenset(DATE_FIELDS),
    "money": frozenset({"max_price"}),
    # "extend by one night", "eine Nacht länger": the change, not the length of the stay
    "extension": frozenset(),
    # "Rate: EUR 229 per night", "delegate rate of NOK 1,650": a price quoted, not a cap
    "rate": frozenset(),
    # "free cancellation until 14 March": a deadline, not a date of the stay
    "deadline": frozenset(),
    # "a [4]-star in Kyoto": the hotel's class, no count of guests, rooms or nights
    "rating": frozenset(),
}


# fields a house number may be read as: the dates and the counts
_NUMBER_FIELDS = frozenset({*DATE_FIELDS, "rooms", "guests", "nights"})
# a form's label naming the count on its line: "Nights: 3" is no count of rooms
_COUNT_LABELS = {
    "nights": [w for w in LEX.calendar.stay_words
               if any(n in w for n in ("night", "nacht", "nächt"))],
    "rooms": [*LEX.rooms.room_nouns, "rooms"],
    "guests": list(LEX.people.party_words),
}
_COUNT_LABEL = re.compile(
    "|".join(rf"(?P<{f}>{alternation(words)})" for f, words in _COUNT_LABELS.items()), re.I)
# a count of nights by its own unit, short forms too: "1N", "2 ÜN", "3 nts"
_NIGHTS_COUNT = re.compile(
    rf"\d{{1,2}}[ \t]*(?:{alternation([*_COUNT_LABELS['nights'], 'n', 'ün', 'nt', 'nts'])})\.?",
    re.I)
# a count of people right after a visit: whom the traveller sees, not who stays
_VISITED_BEFORE = re.compile(rf"(?<!\w){alternation(LEX.cues.visits)}[ \t]+$", re.I)
# ... or in the sentence of a meal or a meeting room: whom the table seats
_MEAL = re.compile(rf"(?<!\w){alternation(LEX.cues.meals)}(?!\w)", re.I)
_LABEL_ONLY = re.compile(
    r"(?:^|\n)[ \t>]*(?P<label>(?:[^\W\d_][\w.]*[ \t]+){0,3}[^\W\d_][\w.]*)[ \t]*:[ \t]*$")


def _compatible(model_span: FoundSpan, rule_span: FoundSpan) -> bool:
    if rule_span.field == model_span.field:
        return True
    return rule_span.kind in _COMPATIBLE_KINDS.get(model_span.field, frozenset())


def _impossible(span: FoundSpan, ctx: MergeContext) -> bool:
    if span.field in _NUMBER_FIELDS and _house_number(span, ctx.text):
        return True  # "Promenadeplatz [2]-[6]", "Salzgäßchen [6]": no date, no six rooms
    if span.field in DATE_FIELDS and (_age(span, ctx.text) or _number_chain(span, ctx.text)
                                      or _list_number(span, ctx) or _prose_weekday(span, ctx)):
        return True
    if span.field == "guests" and (
            _VISITED_BEFORE.search(ctx.text, max(0, span.start - 20), span.start)
            or _MEAL.search(ctx.layout.sentence_around(span.start, span.end))):
        return True  # "is visiting [two customers]", "a client dinner, about [6 people]"
    if span.field == "max_price" and _OFFER_BEFORE.search(ctx.text, max(0, span.start - 20),
                                                          span.start):
        return True
    if span.field == "destination" and passed_through(ctx.text, span.start):
        return True  # "the evening flight back to [Doha]", "mit dem Zug ab [Zürich]": no stay
    return any(r.kind in _KIND_FIELDS and r.start <= span.start and span.end <= r.end
               and span.field not in _KIND_FIELDS[r.kind] and not _capped_rate(r, ctx.text)
               for r in ctx.rule_index.overlapping(span.start, span.end))


def _prose_weekday(span: FoundSpan, ctx: MergeContext) -> bool:
    """Whether `span` is a German weekday's two letters that its sentence uses as a word
    ("Seoul bleibt [so] wie gebucht")."""
    return short_weekday_in_prose(ctx.span_text(span), ctx.text[max(0, span.start - 12)
                                                                : span.start],
                                  ctx.text[span.end : span.end + 12])


def _capped_rate(rule: FoundSpan, text: str) -> bool:
    """Whether a `rate` label is a cap's: "Max. rate: SEK 1,900 / night" is a budget."""
    return rule.kind == "rate" and bool(_CAP_BEFORE.search(text, max(0, rule.start - 40),
                                                          rule.start))


def _house_number(span: FoundSpan, text: str) -> bool:
    """Whether `span` is a bare number, or the end of a number range, right after a street's
    name: a house number ("Promenadeplatz [2]-[6]", "Hessenplatz 16-18"); or right after a
    part of a place that numbers name ("Heathrow Terminal [5]", "Halle [3]")."""
    if not _BARE_NUMBER.fullmatch(text[span.start : span.end]):
        return False
    if _PLACE_PART_BEFORE.search(text, max(0, span.start - 16), span.start):
        return True  # "Heathrow Terminal [5]", "Messe, Halle [3]"
    before = _STREET_BEFORE.search(text, max(0, span.start - 60), span.start)
    return before is not None and is_street(before["street"])


_CHAIN = re.compile(r"[\d-]+")


def _number_chain(span: FoundSpan, text: str) -> bool:
    """Whether `span` lies in three or more numbers joined by hyphens that write no date: a
    block address ("[8-13]-1 Ginza"), a phone number; "2027-03-10" and "10-03-27" are dates."""
    start = span.start
    while start > 0 and (text[start - 1].isdigit() or text[start - 1] == "-"):
        start -= 1
    chain = _CHAIN.match(text, start)
    groups = chain.group().strip("-").split("-") if chain else []
    if len(groups) < 3 or not all(g.isdigit() for g in groups):
        return False
    if len(groups) == 3 and (len(groups[0]) == 4 and 1 <= int(groups[1]) <= 12 or len(
            groups[2]) in (2, 4) and min(int(groups[0]), int(groups[1])) <= 12):
        return False
    return True


def _label_field(span: FoundSpan, text: str) -> str | None:
    """The count its line's form label names before `span`: "Nights: [3]", "No. of nights :
    [3]", "Anzahl Zimmer: [4]"; None without such a label."""
    label = _LABEL_ONLY.search(text, max(0, span.start - 40), span.start)
    named = _COUNT_LABEL.fullmatch(label["label"].split()[-1]) if label else None
    return named.lastgroup if named is not None else None


def _own_unit(span: FoundSpan, text: str) -> str | None:
    """"nights" for a count whose own unit says nights ("DZ Berlin morgen [1N]" read as rooms),
    else None."""
    return "nights" if _NIGHTS_COUNT.fullmatch(text, span.start, span.end) else None


def _age(span: FoundSpan, text: str) -> bool:
    """Whether `span` is a bare number in the brackets after children: their ages ("two kids
    (6 and 9)", "mit den Kindern (4, 8 und 11 Jahre)")."""
    return bool(_BARE_NUMBER.fullmatch(text[span.start : span.end])) and bool(
        _AGES_BEFORE.search(text, max(0, span.start - 40), span.start))


# a list item's number opening its line: "1. KW 19, Montag bis Mittwoch"
_LIST_NUMBER = re.compile(r"\d{1,2}[.)]")
_NEXT_WORD = re.compile(r"[ \t]+([^\W\d_][\w.]*)")
_RANGE_WORDS = frozenset({"bis", "to", "until", "till", "through", "und", "and"})


def _list_number(span: FoundSpan, ctx: MergeContext) -> bool:
    """Whether `span` is the number of a numbered list's item ("[1.] KW 19, ..."): alone at
    the start of its line, a word after it that is no range word, and no rule date running on
    from it ("3. 5. Juni", "3. bis 5. Mai", "3. Mai" are dates)."""
    text = ctx.text
    line_start = text.rfind("\n", 0, span.start) + 1
    after = _NEXT_WORD.match(text, span.end)
    return (bool(_LIST_NUMBER.fullmatch(text, span.start, span.end))
            and not text[line_start : span.start].strip() and after is not None
            and after[1].lower() not in _RANGE_WORDS
            and not any(r.kind == "date" and r.end > span.end
                        for r in ctx.rule_index.overlapping(span.start, span.end)))


def veto_impossible(spans: list[FoundSpan], ctx: MergeContext) -> list[FoundSpan]:
    """Step 1: a model span inside a rule `date` that is no date field, inside `money` that is
    no budget, or inside an `extension`, a quoted `rate`, a cancellation `deadline` or a
    star `rating`, is dropped; so is a date or a count that is a house number after its
    street ("Promenadeplatz 2-6", "Salzgäßchen 6"), a date that is a child's age ("kids (6 and 9)"), a list item's
    number ("[1.] KW 19, Montag bis Mittwoch") or a weekday's two letters used as a word
    ("Seoul bleibt [so] wie gebucht"), a count of the people a traveller visits
    ("visiting [two customers]"), a budget an offer starts at ("partner hotels from [EUR 145
    per night]") and a city someone goes back to ("flight back to [Doha]", "zurück nach
    [Linz]"). A count after a form label naming another count is that count ("Nights: [3]"
    read as rooms is the nights), and so is a count whose own unit names nights ("[1N]" read
    as rooms), unless that count is read there already."""
    possible = [m for m in spans if not _impossible(m, ctx)]
    labels = [(_label_field(m, ctx.text) or _own_unit(m, ctx.text)) if m.field in _COUNT_LABELS
              else None for m in possible]
    kept = [m for m, label in zip(possible, labels, strict=True) if label in (None, m.field)]
    # a count after a label naming another count is that count, unless one is read there
    # already: "No. of nights : [3]" read as rooms is the nights
    taken = {(m.field, m.start) for m in kept}
    return kept + [replace(m, field=label) for m, label in zip(possible, labels, strict=True)
                   if label not in (None, m.field) and (label, m.start) not in taken]


def join_one_mention(spans: list[FoundSpan], ctx: MergeContext) -> list[FoundSpan]:
    """Step 2: model spans of one field that one compatible rule span covers together are one
    mention ("[2 adults], [3 kids]" inside "2 adults, 3 kids")."""
    out = list(spans)
    index = SpanIndex(out)
    for rule in ctx.rules:
        if sum(_compatible(m, rule) for m in index.overlapping(rule.start, rule.end)) < 2:
            continue  # (the index finds the candidates; the rare joins look at all spans)
        parts = sorted((m for m in out if m.overlaps(rule) and _compatible(m, rule)),
                       key=lambda m: m.start)
        fields = {m.field for m in parts}
        if len(fields) > 1 and _one_day(rule, ctx.text):
            fields = {parts[0].field}  # "[2027-03-][20]" read as a range "03-20" is one date
        if len(parts) < 2 or len(fields) != 1:
            continue
        field = fields.pop()
        lo, hi = parts[0].start, parts[-1].end
        if any(m.field != field and lo < m.end and m.start < hi and m not in parts for m in out):
            continue  # another field's mention lies between them: not one phrase
        joined = replace(parts[0], field=field, end=hi,
                         confidence=sum(m.confidence for m in parts) / len(parts))
        out = [m for m in out if m not in parts] + [joined]
        index = SpanIndex(out)
    return out


def _one_day(rule: FoundSpan, text: str) -> bool:
    return rule.kind == "date" and bool(_ONE_DAY.fullmatch(text[rule.start : rule.end]))


def grow_to_rules(spans: list[FoundSpan], ctx: MergeContext) -> list[FoundSpan]:
    """Step 3: a model span overlapped by a compatible rule span grows to cover it, never into
    the next model span ("5" tagged check_out inside the rule date "5 May" becomes "5 May")."""
    ordered = sorted(spans, key=lambda s: s.start)
    grown: list[FoundSpan] = []
    for k, span in enumerate(ordered):
        lo = ordered[k - 1].end if k > 0 else 0
        hi = ordered[k + 1].start if k + 1 < len(ordered) else None
        start, end = span.start, span.end
        for rule in ctx.rule_index.overlapping(span.start, span.end):
            if _compatible(span, rule):
                new_start, new_end = min(start, rule.start), max(end, rule.end)
                if new_start >= lo and (hi is None or new_end <= hi):
                    start, end = new_start, new_end
        grown.append(span.with_bounds(start, end))
    return grown


def end_dates_with_sentence(spans: list[FoundSpan], ctx: MergeContext) -> list[FoundSpan]:
    """Step 4: a check-in or check-out that runs on past the sentence end its rule date ends
    with ends with the date ("5 Nov - [9 Nov. 8] pax")."""
    return [_date_end(m, ctx) for m in spans]


def _date_end(span: FoundSpan, ctx: MergeContext) -> FoundSpan:
    if span.field not in DATE_FIELDS:
        return span
    text = ctx.text
    for r in ctx.rule_index.overlapping(span.start, span.end):
        if (r.kind == "date" and r.start <= span.start < r.end < span.end
                and text[r.end - 1] in ".!?" and text[r.end].isspace()):
            return span.with_bounds(span.start, r.end)
    return span


def fill_gaps(spans: list[FoundSpan], ctx: MergeContext) -> list[FoundSpan]:
    """Step 5: a rule span whose pattern knows its role ("3 nights", "2 EZ", "max. 150 EUR")
    and that overlaps no span is added; kind-only rule spans (`date`, `money`, `person`) never
    are on their own."""
    merged = list(spans)
    index = SpanIndex(merged)
    for rule in ctx.rules:
        if rule.field and not index.any_overlap(rule.start, rule.end) \
                and not _impossible(rule, ctx):
            merged.append(rule)
            index.add(rule)
    return merged


# a count said to be the whole: "So 5 rooms altogether", "insgesamt 12 Zimmer", "14 in total"
_TOTAL = re.compile(r"(?<!\w)(?:altogether|in total|in all|all told|total|insgesamt|gesamt"
                    r"|zusammen|im ganzen)(?!\w)", re.IGNORECASE)
_TOTAL_REACH = 14  # characters either side of the count


def totals_over_parts(spans: list[FoundSpan], ctx: MergeContext) -> list[FoundSpan]:
    """Step 24: a count of rooms or guests said to be the whole ("So [5 rooms] altogether",
    "[insgesamt 12 Zimmer]") stands for the counts of the parts before it in its text ("[3
    rooms] of 4 for the boys and then [2] twins for us"): they are dropped."""
    out = list(spans)
    for field in ("rooms", "guests"):
        counts = [s for s in out if s.field == field]
        totals = [s for s in counts if _TOTAL.search(
            ctx.text, max(0, s.start - _TOTAL_REACH), min(len(ctx.text), s.end + _TOTAL_REACH))]
        if totals and len(counts) > len(totals):
            last = totals[-1]
            out = [s for s in out if s.field != field or s in totals or s.start > last.end]
    return out
