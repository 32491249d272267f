"""spaCy rules for what rules do best: amounts, counts with their nouns, room codes, breakfast
phrases and date expressions.

The patterns are data (`extractor/patterns/rules.jsonl`, spaCy SpanRuler format), one per
line; `tests/extractor/test_rules.py` names the phrase each is for. A pattern's label is either
a form field (the rule also knows the role: "3 nights" is nights) or a kind (`date`, `money`)
whose role only the model can tell: the merge step uses kinds to fix span boundaries, never to
add a field on their own. A pattern with `"mark": "first_token"` marks only its first token
("[2] DZ": the count is rooms, the code is room_type), `"last_token"` only its last ("ab
[morgen]"), and `"after_cue"` only the date or amount after its cue ("Anreise: [20.11.]",
"max. [150 EUR]"), `"after_colon"` what follows its colon ("Gast: [Herr Jonas Weber]").
A pattern may carry a `"name"` for people; it changes nothing.

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
from spacy.tokens import Span
from spacy.util import compile_infix_regex, filter_spans

from extractor.form import FIELDS
from extractor.lexicon import LexiconError, word_list
from extractor.spans import FoundSpan

# a date with its year written whole, then the full stop that ends the sentence (an ordinal's
# dot, "am 3. Mai", belongs to the date; the tokenizer keeps both on the last token)
_SENTENCE_DOT = re.compile(r"(?:\d{4}-\d\d-\d\d|\d{1,2}[./]\d{1,2}[./](?:20)?\d\d)\.$")
PATTERNS = Path(__file__).with_name("patterns") / "rules.jsonl"
SPANS_KEY = "rules"
# rule findings that overlap no model span get this confidence until calibration replaces it
DEFAULT_RULE_CONFIDENCE = 0.85
# labels that are no field: what a span is, its role left to the model
KINDS = ("date", "money", "person", "extension")
Mark = Literal["after_cue", "first_token", "last_token", "after_colon"]


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
    """`value` with every lexicon reference replaced by the list it names."""
    if isinstance(value, dict):
        if set(value) == {"lexicon"}:
            names = value["lexicon"] if isinstance(value["lexicon"], list) else [value["lexicon"]]
            return list(dict.fromkeys(w for name in names for w in word_list(name)))
        return {key: _expand(v) for key, v in value.items()}
    if isinstance(value, list):
        return [_expand(v) for v in value]
    if isinstance(value, str):
        return _LEXICON_IN_REGEX.sub(lambda m: "|".join(
            re.escape(w) for w in dict.fromkeys(w.rstrip(".") for w in word_list(m[1]))), value)
    return value


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
    split ("3.-5." -> "3." "-" "5.") and the SpanRuler loaded from `patterns`."""
    nlp = spacy.blank("de")
    infixes = [*(nlp.Defaults.infixes or []), r"(?<=[0-9.])[-–](?=[0-9])", r"(?<=[0-9])[€$£](?=[0-9])"]
    nlp.tokenizer.infix_finditer = compile_infix_regex(infixes).finditer  # type: ignore[union-attr]
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
    def _spans(doc: spacy.tokens.Doc) -> list[FoundSpan]:
        by_label: dict[str, list[Span]] = {}
        for found in doc.spans[SPANS_KEY]:
            start, end = found.start, found.end
            if found.id_ == "first_token":
                end = start + 1
            elif found.id_ == "last_token":
                start = end - 1
            while end - start > 1 and doc[end - 1].is_punct:  # "5 May," -> "5 May"
                end -= 1
            by_label.setdefault(found.label_, []).append(
                Span(doc, start, end, label=found.label_, span_id=found.id_))
        kinds = filter_spans(by_label.get("money", []) + by_label.get("date", []))
        out: list[FoundSpan] = []
        for label, spans in by_label.items():
            field = label if label in FIELDS else ""
            for span in filter_spans(spans):
                start, end = span.start_char, span.end_char
                if span.id_ == "after_colon":  # "Gast: [Herr Jonas Weber]"
                    colon = next(t.i for t in span if t.text == ":")
                    start = span.doc[colon + 1].idx
                elif span.id_ == "after_cue":
                    # the cue ("max.", "Anreise:") tells the role; the span is the amount or date
                    inner = [m for m in kinds if span.start <= m.start and m.end <= span.end]
                    if not inner:
                        continue
                    start, end = inner[-1].start_char, inner[-1].end_char
                if _SENTENCE_DOT.search(span.doc.text, start, end):
                    end -= 1  # "bis 2026-06-12." : the sentence's full stop, not the date's
                out.append(FoundSpan(
                    field=field, start=start, end=end,
                    confidence=DEFAULT_RULE_CONFIDENCE, source="rules", kind=label))
        out.sort(key=lambda s: (s.start, s.end))
        return out
