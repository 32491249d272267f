"""Consistency of labelling across a corpus (W201 of docs/ANNOTATION.md).

Two ways one annotator (or two) can disagree with themselves:
- the same span text carries different labels in different places (`Messe` as `near` here,
  `destination` there);
- a sentence that occurs in several emails is labelled in one and left bare in another.

Both are warnings, not errors: context can make either right, a person has to look.
"""

from __future__ import annotations

import re
from collections import Counter, defaultdict
from collections.abc import Sequence
from dataclasses import dataclass

from annotations.schema import AnnotatedEmail
from extractor.form import FIELDS

# Arrival and departure are one kind of thing whose role comes from context ("ab Freitag" /
# "bis Freitag"), so a date phrase labelled check_in here and check_out there is no conflict.
_FAMILY = {"check_in": "date", "check_out": "date"}
_SPACES = re.compile(r"\s+")
_LETTER = re.compile(r"[^\W\d_]")
# A sentence ends at . ! ? after a letter, before whitespace and a capital. Requiring a letter
# before the mark keeps German ordinal dates ("3. Mai") in one piece. Lines always end one.
_SENTENCE_END = re.compile(r"(?<=[^\W\d_][.!?])\s+(?=[A-ZÄÖÜ])|\n")


@dataclass(frozen=True)
class Inconsistency:
    """One W201 finding: the email (`index` into the emails checked) and what is wrong there."""

    index: int
    message: str


def _key(text: str) -> str:
    return _SPACES.sub(" ", text).strip().casefold()


def label_conflicts(emails: Sequence[AnnotatedEmail]) -> list[Inconsistency]:
    """Spans whose text (case and spacing ignored) is labelled with another label family
    elsewhere more often. Texts without a letter (`3`, `150`) are skipped: a bare number is
    rooms, guests or a date only by its context."""
    seen: dict[str, list[tuple[int, str, str]]] = defaultdict(list)
    for i, email in enumerate(emails):
        for span in email.spans:
            covered = email.text[span.start : span.end]
            if span.label in FIELDS and _LETTER.search(covered):
                seen[_key(covered)].append((i, span.label, covered))
    out: list[Inconsistency] = []
    for occurrences in seen.values():
        families = Counter(_FAMILY.get(label, label) for _, label, _ in occurrences)
        if len(families) < 2:
            continue
        # The majority is taken as right; a tie goes to the family of the earliest field.
        order = {_FAMILY.get(f, f): n for n, f in reversed(list(enumerate(FIELDS)))}
        major = max(families, key=lambda f: (families[f], -order[f]))
        example = next(i for i, label, _ in occurrences if _FAMILY.get(label, label) == major)
        for i, label, covered in occurrences:
            if _FAMILY.get(label, label) != major:
                out.append(Inconsistency(i, (
                    f"{covered!r} labelled {label} here but {major} in {families[major]} other "
                    f"span(s), e.g. id {emails[example].id}")))
    return sorted(out, key=lambda x: x.index)


def _sentences(text: str) -> list[tuple[int, int]]:
    """Half-open ranges of the sentences of `text`, outer whitespace trimmed, empty ones out."""
    out = []
    start = 0
    for m in [*_SENTENCE_END.finditer(text), None]:
        end = m.start() if m else len(text)
        piece = text[start:end]
        lead = len(piece) - len(piece.lstrip())
        trail = len(piece.rstrip())
        if trail > lead:
            out.append((start + lead, start + trail))
        if m:
            start = m.end()
    return out


def unlabelled_repeats(emails: Sequence[AnnotatedEmail]) -> list[Inconsistency]:
    """Sentences that occur (character for character) in several emails, where a span labelled
    in one occurrence has no span at all over the same characters in another."""
    by_sentence: dict[str, list[tuple[int, set[tuple[int, int, str]]]]] = defaultdict(list)
    for i, email in enumerate(emails):
        for start, end in _sentences(email.text):
            inside = {(s.start - start, s.end - start, s.label) for s in email.spans
                      if start <= s.start and s.end <= end and s.label in FIELDS}
            by_sentence[email.text[start:end]].append((i, inside))
    out: list[Inconsistency] = []
    for sentence, occurrences in by_sentence.items():
        if len(occurrences) < 2:
            continue
        # Every labelled range of any occurrence: its labels, each with the first email as
        # the example.
        labelled: dict[tuple[int, int], dict[str, int]] = defaultdict(dict)
        for j, spans in occurrences:
            for rs, re_, label in sorted(spans):
                labelled[(rs, re_)].setdefault(label, j)
        for i, spans in occurrences:
            for (rs, re_), labels in sorted(labelled.items()):
                if any(a < re_ and rs < b for a, b, _ in spans):
                    continue  # labelled here too (differently: that is label_conflicts')
                where = ", ".join(f"{label} in id {emails[j].id}" for label, j in labels.items())
                out.append(Inconsistency(i, (
                    f"{sentence[rs:re_]!r} unlabelled here but labelled in the same sentence "
                    f"as {where}")))
    return sorted(out, key=lambda x: x.index)


def find_inconsistencies(emails: Sequence[AnnotatedEmail]) -> list[Inconsistency]:
    """All W201 findings over `emails`, ordered by email index."""
    found = label_conflicts(emails) + unlabelled_repeats(emails)
    return sorted(found, key=lambda x: x.index)
