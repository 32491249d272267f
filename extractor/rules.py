"""spaCy rules for what rules do best: amounts, counts with their nouns, room codes, breakfast
phrases and date expressions.

The patterns are data (`extractor/patterns/rules.jsonl`, spaCy SpanRuler format), one per
line; `tests/extractor/test_rules.py` names the phrase each is for. A pattern's label is either
a form field (the rule also knows the role: "3 nights" is nights) or a kind (`date`, `money`)
whose role only the model can tell: the merge step uses kinds to fix span boundaries, never to
add a field on their own. A pattern with `"mark": "first_token"` marks only its first token
("[2] DZ": the count is rooms, the code is room_type), `"last_token"` only its last ("ab
[morgen]"), and `"after_cue"` only the date or amount after its cue ("Anreise: [20.11.]",
"max. [150 EUR]"), `"name_at_end"` the capitalised name its pattern ends with ("auf den
Namen [Haider]"), `"after_colon"` what follows its colon ("Gast: [Herr Jonas Weber]"),
`"after_label"` the same for a label that begins its line, as confirmations and forms write
them ("Hotel: [Hotel Estherea], ...", "Nights: [3]"), and `"after_last_comma"` the last comma
part of a line, a postcode or district number left out ("Nimb Hotel, Bernstorffsgade 5,
[Copenhagen]"; kept only for a known city). A list of names after a label is one span per name
("Guests: [Mr A. Iyer], [Mr D. Costa]"). A `rate` ("Rate: EUR 229.00 per night") is a
confirmation's price, not the requester's cap (CONVENTIONS): no rule `max_price` inside it
stands; nor a rule check-in or check-out inside a `deadline` ("free cancellation until 14
March"). A pattern may carry a `"name"` for people; it changes nothing.

Word lists are the lexicon's (`extractor.lexicon`), named, not copied: a token attribute
`{"IN": {"lexicon": "money.currency_tokens"}}` (or a list of such names) becomes that list,
and `<lexicon:calendar.weekday_tokens>` inside a REGEX an alternation of its words. Each line
is validated when it is loaded: an unknown key, mark, label or list fails there, naming the
line (error codes E101-E103).
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable
from pathlib import Path
from typing import Any, Literal

import spacy
from pydantic import BaseModel, ConfigDict, ValidationError, field_validator
from spacy.language import Language
from spacy.tokens import Doc, Span
from spacy.util import compile_infix_regex, filter_spans

from extractor.form import FIELDS
from extractor.lexicon import LexiconError, spellings, word_list
from extractor.spans import FoundSpan
from extractor.values.dates import FEASTS
from extractor.values.places import is_known_city, normalize_destination

# a date with its year written whole, then the full stop that ends the sentence (an ordinal's
# dot, "am 3. Mai", belongs to the date; the tokenizer keeps both on the last token)
_SENTENCE_DOT = re.compile(r"(?:\d{4}-\d\d-\d\d|\d{1,2}[./]\d{1,2}[./](?:20)?\d\d)\.$")
# a date written with slashes is one token, as one with dots is ("Arrival: 12/05/2025"); the
# tokenizer would split it at each slash
_SLASH_DATE = re.compile(r"\d{1,2}/\d{1,2}/(?:20)?\d\d\.?$")
PATTERNS = Path(__file__).with_name("patterns") / "rules.jsonl"
SPANS_KEY = "rules"
# rule findings that overlap no model span get this confidence until calibration replaces it
DEFAULT_RULE_CONFIDENCE = 0.85
# labels that are no field: what a span is, its role left to the model
# (`rate`: a price quoted to the guest, which no rule reads as a cap;
# `deadline`: a date to cancel or pay by, which no rule reads as the stay's;
# `rating`: a hotel's stars, "a 4-star", "4-Sterne-Hotel", whose number counts no one;
# `weeks`: a length in weeks, "6 Wochen", to which a model's bare count of nights grows)
KINDS = ("date", "money", "person", "extension", "rate", "deadline", "rating", "weeks")
# the rule fields a kind's span holds none of: what no rule reads into it
_SHIELDED = {"rate": frozenset({"max_price"}), "deadline": frozenset({"check_in", "check_out"})}
Mark = Literal["after_cue", "first_token", "last_token", "after_colon", "after_label",
               "after_last_comma", "name_at_end"]
# what parts the names of a list after a label ("Guests: A, B / C und D")
_NAME_SEPARATOR = re.compile(r"\s*(?:,|/|;|&|\band\b|\bund\b)\s*")
# words no name is made of (titles are: "Frau Nina Scholz")
_NOT_NAME = frozenset(word_list("names.not_name_words")) - frozenset(
    word_list("people.title_tokens"))
# what may stand before a label on its line: a quote mark, a bullet, indentation
_LINE_LEAD = re.compile(r"[\s>*•·-]*")


class RulePatternError(ValueError):
    """A line of a patterns file that is no valid pattern."""


class RulePattern(BaseModel):
    """One line of `rules.jsonl`: a spaCy SpanRuler token pattern, its label, and how much of
    the match becomes the span (`mark`; the whole match without one)."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    label: str
    pattern: list[dict[str, Any]]
    mark: Mark | None = None
    name: str | None = None

    @field_validator("label")
    @classmethod
    def _known_label(cls, label: str) -> str:
        if label not in FIELDS and label not in KINDS:
            raise ValueError(f"label {label!r} is neither a field nor one of {KINDS}")
        return label


_LEXICON_IN_REGEX = re.compile(r"<lexicon:([\w.]+)>")


def _expand(value: Any) -> Any:
    """`value` with every lexicon reference replaced by the list it names, and every word of
    a list also with its umlauts spelled out or dropped ("nächte", "naechte", "nachte")."""
    if isinstance(value, dict):
        if set(value) == {"lexicon"}:
            names = value["lexicon"] if isinstance(value["lexicon"], list) else [value["lexicon"]]
            return _spelled(w for name in names for w in word_list(name))
        return {key: _spelled(v) if key in ("IN", "NOT_IN") and isinstance(v, list)
                else _expand(v) for key, v in value.items()}
    if isinstance(value, list):
        return [_expand(v) for v in value]
    if isinstance(value, str):
        return _LEXICON_IN_REGEX.sub(lambda m: "|".join(
            re.escape(w) for w in _spelled(w.rstrip(".") for w in word_list(m[1]))), value)
    return value


def _spelled(words: Iterable[Any]) -> list[Any]:
    return list(dict.fromkeys(s for w in words
                              for s in (spellings(w) if isinstance(w, str) else (w,))))


def load_patterns(path: Path = PATTERNS) -> list[dict[str, Any]]:
    """The patterns of a JSONL file as SpanRuler patterns, lexicon references expanded and
    the mark as the pattern's `id` (so each span knows it). RulePatternError naming the file
    and line: E101 not JSON, E102 not a pattern (an unknown key or mark, a wrong label), E103
    a lexicon list that does not exist."""
    out = []
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        if not line.strip():
            continue
        where = f"{path.name} line {number}"
        try:
            rule = RulePattern.model_validate(json.loads(line))
        except json.JSONDecodeError as err:
            raise RulePatternError(f"E101 {where} is not JSON: {err}") from err
        except ValidationError as err:
            raise RulePatternError(f"E102 {where} is no rule pattern: {err}") from err
        try:
            pattern = _expand(rule.pattern)
        except LexiconError as err:
            raise RulePatternError(f"E103 {where}: {err}") from err
        out.append({"label": rule.label, "pattern": pattern,
                    **({"id": rule.mark} if rule.mark else {})})
    return out


def build_nlp(patterns: Path = PATTERNS) -> Language:
    """A blank German pipeline (its tokenizer keeps "3." and "inkl." whole) with digit ranges
    split ("3.-5." -> "3." "-" "5."), slashed dates kept whole ("12/05/2025") and the
    SpanRuler loaded from `patterns`."""
    nlp = spacy.blank("de")
    infixes = [*(nlp.Defaults.infixes or []), r"(?<=[0-9.])[-–](?=[0-9])", r"(?<=[0-9])[€$£](?=[0-9])"]
    nlp.tokenizer.infix_finditer = compile_infix_regex(infixes).finditer  # type: ignore[union-attr]
    nlp.tokenizer.token_match = _SLASH_DATE.match  # type: ignore[union-attr]
    ruler = nlp.add_pipe("span_ruler", config={
        "spans_key": SPANS_KEY, "phrase_matcher_attr": "LOWER", "validate": True,
        "overwrite": True})
    ruler.add_patterns(load_patterns(patterns))  # type: ignore[attr-defined]
    return nlp


class RuleFinder:
    """Finds rule spans in texts; build once, call many times."""

    def __init__(self, patterns: Path = PATTERNS) -> None:
        self.nlp = build_nlp(patterns)

    def find(self, texts: Iterable[str]) -> list[list[FoundSpan]]:
        """For each text, its rule spans (longest match per label, no overlaps within a label)."""
        return [self._spans(doc) for doc in self.nlp.pipe(texts, batch_size=64)]

    @staticmethod
    def _spans(doc: Doc) -> list[FoundSpan]:
        text = doc.text  # spaCy joins the tokens anew on each `doc.text`: read it once
        by_label: dict[str, list[Span]] = {}
        for found in doc.spans[SPANS_KEY]:
            start, end = found.start, found.end
            if found.id_ == "first_token":
                end = start + 1
            elif found.id_ == "last_token":
                start = end - 1
            elif found.id_ == "after_label" and not _begins_line(text, found.start_char):
                continue
            while end - start > 1 and (doc[end - 1].is_punct or doc[end - 1].is_space):
                end -= 1  # "5 May," -> "5 May"; "Amsterdam\n" -> "Amsterdam"
            by_label.setdefault(found.label_, []).append(
                Span(doc, start, end, label=found.label_, span_id=found.id_))
        kinds = filter_spans(by_label.get("money", []) + by_label.get("date", []))
        shields = [(span, _SHIELDED[kind]) for kind in _SHIELDED
                   for span in by_label.get(kind, [])]
        out: list[FoundSpan] = []
        for label, spans in by_label.items():
            field = label if label in FIELDS else ""
            for span in filter_spans(spans):
                if any(field in fields and s.start <= span.start and span.end <= s.end
                       for s, fields in shields):
                    continue  # "Rate: [EUR 229.00 per night]": the price booked, no cap
                bounds = _bounds(span, kinds)
                if bounds is None:
                    continue
                start, end = bounds
                if _SENTENCE_DOT.search(text, start, end):
                    end -= 1  # "bis 2026-06-12." : the sentence's full stop, not the date's
                pieces = (_names(text, start, end) if field == "traveler_names"
                          else [(start, end)])
                out.extend(FoundSpan(field=field, start=a, end=b,
                                     confidence=DEFAULT_RULE_CONFIDENCE, source="rules",
                                     kind=label) for a, b in pieces)
        out.extend(_feasts(text))
        out.sort(key=lambda s: (s.start, s.end))
        return out


def _feasts(text: str) -> list[FoundSpan]:
    """A `date` span for each day named by its feast ("new years eve", "Fronleichnam"), so
    that a model date cut inside one grows to the whole name ("[new years] eve")."""
    return [FoundSpan(field="", start=m.start(), end=m.end(), confidence=DEFAULT_RULE_CONFIDENCE,
                      source="rules", kind="date")
            for pattern in FEASTS for m in pattern.finditer(text)]


def _begins_line(text: str, start: int) -> bool:
    """Whether the label at `start` of `text` begins its line (after quote marks, bullets)."""
    line_start = text.rfind("\n", 0, start) + 1
    return _LINE_LEAD.fullmatch(text, line_start, start) is not None


def _bounds(span: Span, kinds: list[Span]) -> tuple[int, int] | None:
    """The characters of `span` that hold the value its mark points at; None for none."""
    doc, start, end = span.doc, span.start, span.end
    if span.id_ in ("after_colon", "after_label"):  # "Gast: [Herr Jonas Weber]"
        start = next(t.i for t in span if t.text == ":") + 1
        while start < end and doc[start].is_space:
            start += 1
        if span.label_ == "room_type":  # "Room: 1 x [Deluxe Double]": the count is rooms
            while start < end - 1 and (doc[start].like_num or doc[start].lower_ in ("x", "×")):
                start += 1
    elif span.id_ == "after_last_comma":  # "Nimb Hotel, Bernstorffsgade 5, [Copenhagen]"
        start = max(t.i for t in span if t.text == ",") + 1
        while start < end and (doc[start].is_space or doc[start].like_num):
            start += 1
        while end > start and (doc[end - 1].like_num or doc[end - 1].is_punct):
            end -= 1  # "Dublin 2", "Edinburgh:"
        city = normalize_destination(doc[start:end].text) if end > start else None
        if city is None or not is_known_city(city):
            return None
    elif span.id_ == "name_at_end":  # "gebucht auf den Namen [Schäfer-Okoye]"
        start = max(t.i for t in span if t.lower_ in ("name", "namen", "of")) + 1
    elif span.id_ == "after_cue":
        # the cue ("max.", "Anreise:") tells the role; the span is the amount or date that
        # begins in the match, with what it goes on with ("Check-in: [Monday 17 March 2025]")
        kind = "money" if span.label_ == "max_price" else "date"
        inner = [m for m in kinds if m.label_ == kind and span.start <= m.start < span.end]
        if not inner:
            return None
        return inner[-1].start_char, inner[-1].end_char
    if start >= end:
        return None
    return doc[start].idx, doc[end - 1].idx + len(doc[end - 1].text)


def _names(text: str, start: int, end: int) -> list[tuple[int, int]]:
    """The names of a list after a label, each its own span ("Guests: [A], [B] und [C]");
    a part with a word no name has ("Anreise") is left out, and so is the last of several
    when its line goes on ("Reisender: [Prof. Anna Roth], Institut für ...": no name)."""
    out: list[tuple[int, int]] = []
    at = start
    for sep in [*_NAME_SEPARATOR.finditer(text, start, end), None]:
        stop = sep.start() if sep else end
        words = text[at:stop].lower().replace(".", " ").split()
        if words and not any(w in _NOT_NAME for w in words):
            out.append((at, stop))
        if sep:
            at = sep.end()
    line_end = text.find("\n", end)
    rest = text[end : line_end if line_end >= 0 else len(text)]
    if len(out) > 1 and out[-1][1] == end and rest.strip(" \t.,;:!?"):
        out.pop()
    return out
