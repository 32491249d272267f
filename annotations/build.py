"""`stayform annotations build`: the corpus files under data/corpus from their sources.

Sources: the hand-written emails (data/handwritten/source/*.jsonl, inline markup; those of
data/handwritten/training/*.jsonl join the training pool, see `annotations.split`) and the
generated ones (`annotations.generator.generate(n, seed)`). Everything is validated together
(any error aborts), split by `annotations.split`, and written sorted by id, so the same inputs
give the same bytes. The build also exports the annotation JSON Schema and rewrites
docs/DATA_CARD.md with the counts of what it wrote; the card's prose lives in the templates
below, so a rebuild keeps it.
"""

from __future__ import annotations

import importlib
import re
from collections import Counter
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from annotations.schema import AnnotatedEmail, json_schema, write_jsonl
from annotations.split import (
    SPLITS,
    TRAINING_POOL,
    CrossSplitPair,
    find_cross_split_duplicates,
    find_template_leaks,
    in_training_pool,
    split_corpus,
)
from annotations.validate import Located, Problem, annotation_from_dict, read_file, validate
from extractor.form import FIELDS, INTENTS

DEFAULT_GENERATED = 3200
DEFAULT_SEED = 13
SOURCE_DIR = Path("data/handwritten/source")
TRAINING_DIR = Path("data/handwritten/training")
CORPUS_DIR = Path("data/corpus")
SCHEMA_PATH = Path("docs/annotation.schema.json")
CARD_PATH = Path("docs/DATA_CARD.md")
GENERATED_FILE = "<generator>"

Generate = Callable[..., Iterable[Any]]
_TOKEN = re.compile(r"\w+|[^\w\s]")

NOT_COVERED = """\
- **Real customer mail.** Every email is written by an annotator or a generator. Real requests
  are messier: long forwarded threads, several requests in one message, typos in city names,
  bookings split over several emails. Reviewed real emails (`origin: review`, exported by the
  review service) are meant to fill this gap and are not part of this build.
- **Languages other than English and German**, and mixed-language emails beyond a few lines.
- **Attachments and layout.** Only the cleaned body text is annotated: no PDFs, no tables
  rendered from HTML, no information that only an attachment or the subject line carries.
- **The cleaning step.** Texts are bodies as the extractor sees them after cleaning (no
  quoted reply history, no `-- ` signature block, no disclaimer), so the corpus does not test
  that cleaning; sign-offs and forwarded requests written into the body do appear.
- **Dates relative to an unusual `received_at`** (time zones around midnight, leap days, year
  ends) appear only as often as the writers happened to use them.
- **Group and event bookings** with room blocks, rate negotiations or contracts, and
  non-hotel lodging (apartments, hostels) are not represented.
- **Value normalization edge cases**: cities outside the normalization list, currencies
  other than EUR/USD/GBP/CHF, budgets given as ranges.
- The hand-written part is small: per-label scores on its test split carry wide confidence
  intervals, and the generated part, however varied, repeats its generator's phrasings.
"""


class BuildError(Exception):
    """The build stopped: `problems` holds the validation errors (and warnings) found."""

    def __init__(self, message: str, problems: Sequence[Problem] = ()) -> None:
        super().__init__(message)
        self.problems = list(problems)


@dataclass(frozen=True)
class BuildResult:
    """What a build wrote: emails per split, the files, and what it found on the way."""

    splits: dict[str, list[AnnotatedEmail]]
    written: list[Path]
    generator: str  # how the generated part was made, or why there is none
    warnings: list[Problem] = field(default_factory=list)
    leaks: list[CrossSplitPair] = field(default_factory=list)

    def summary(self) -> list[str]:
        """Lines for the console: counts per split and origin, warnings, files written."""
        lines = [self.generator]
        for name in SPLITS:
            part = self.splits[name]
            generated = sum(e.origin == "generated" for e in part)
            lines.append(f"{name}: {len(part)} email(s) ({generated} generated, "
                         f"{len(part) - generated} hand-written)")
        if self.warnings:
            lines.append(f"{len(self.warnings)} consistency warning(s) (W201); "
                         "see `stayform annotations validate`")
        if self.leaks:
            lines.append(f"{len(self.leaks)} hand-written test email(s) resemble generated "
                         "training emails (listed in the data card)")
        lines += [f"wrote {p}" for p in self.written]
        return lines


def find_root(start: Path | None = None) -> Path | None:
    """The repository root holding data/handwritten/source: `start` (default: the current
    folder) or the nearest parent that has it; None if none has."""
    here = (start or Path.cwd()).resolve()
    for folder in (here, *here.parents):
        if (folder / SOURCE_DIR).is_dir():
            return folder
    return None


def load_generator() -> Generate | None:
    """`annotations.generator.generate`, or None while that module does not exist yet."""
    try:
        module = importlib.import_module("annotations.generator")
    except ModuleNotFoundError as e:
        if e.name and e.name.startswith("annotations.generator"):
            return None
        raise
    return getattr(module, "generate", None)


def read_sources(root: Path) -> tuple[list[Located], list[Problem]]:
    """The hand-written emails of `root`/data/handwritten/source/*.jsonl and, marked
    `meta.pool = "training"`, of `root`/data/handwritten/training/*.jsonl (markup converted),
    located by their path relative to `root`, and the E100 problems of unreadable lines."""
    located: list[Located] = []
    problems: list[Problem] = []
    for folder in (SOURCE_DIR, TRAINING_DIR):
        for path in sorted((root / folder).glob("*.jsonl")):
            got, bad = read_file(path, name=str(path.relative_to(root)))
            if folder == TRAINING_DIR:
                got = [replace(loc, email=loc.email.model_copy(
                    update={"meta": {**loc.email.meta, "pool": TRAINING_POOL}})) for loc in got]
            located += got
            problems += bad
    return located, problems


def _generated(generate: Generate, n: int, seed: int) -> tuple[list[Located], list[Problem]]:
    """The generator's emails (AnnotatedEmail, or dicts in either line format), numbered from
    1, and an E100 problem for each item that is no valid annotation."""
    located: list[Located] = []
    problems: list[Problem] = []
    for i, item in enumerate(generate(n=n, seed=seed), start=1):
        if isinstance(item, AnnotatedEmail):
            located.append(Located(item, GENERATED_FILE, i))
            continue
        try:
            located.append(Located(annotation_from_dict(item), GENERATED_FILE, i))
        except (ValueError, TypeError) as e:  # pydantic's ValidationError is a ValueError
            problems.append(Problem("E100", None, i, f"generated item unreadable: {e}",
                                    GENERATED_FILE))
    return located, problems


def build_corpus(*, root: Path, n_generated: int | None = None, seed: int | None = None,
                 generate: Generate | None = None, out: Path | None = None,
                 log: Callable[[str], None] = lambda _: None) -> BuildResult:
    """Build the corpus from the sources under `root` into `out` (default: `root`), logging
    progress to `log`: data/corpus/{train,dev,test}.jsonl, docs/annotation.schema.json and
    docs/DATA_CARD.md.
    `generate(n=, seed=)` makes the generated part (default: `annotations.generator`, skipped
    while it does not exist); n and seed default to DEFAULT_GENERATED and DEFAULT_SEED.
    Raises BuildError, with the problems, on any validation error or a near-duplicate across
    splits."""
    out = out or root
    n_generated = DEFAULT_GENERATED if n_generated is None else n_generated
    seed = DEFAULT_SEED if seed is None else seed
    located, problems = read_sources(root)
    log(f"read {len(located)} hand-written email(s) from {SOURCE_DIR} and {TRAINING_DIR}")
    generate = generate or load_generator()
    if generate is None:
        note = ("annotations.generator is not available yet: built from the hand-written "
                "sources alone")
    elif n_generated > 0:
        log(f"generating {n_generated} email(s) (seed {seed}) ...")
        generated, unreadable = _generated(generate, n_generated, seed)
        located += generated
        problems += unreadable
        note = f"generated {len(generated)} email(s) with annotations.generator (seed {seed})"
    else:
        note = "no generated emails requested (n = 0)"
    problems += validate(located)
    errors = [p for p in problems if p.is_error]
    if errors:
        raise BuildError(f"validation found {len(errors)} error(s); nothing written", problems)
    splits = split_corpus([loc.email for loc in located])
    crossing = find_cross_split_duplicates(splits)
    if crossing:  # split_corpus keeps groups together: this is a bug, never a data problem
        raise BuildError(f"{len(crossing)} near-duplicate pair(s) cross splits, e.g. "
                         f"{crossing[0].id_a} ({crossing[0].split_a}) and {crossing[0].id_b} "
                         f"({crossing[0].split_b})")
    leaks = find_template_leaks(splits)
    written = []
    (out / CORPUS_DIR).mkdir(parents=True, exist_ok=True)
    for name in SPLITS:
        path = out / CORPUS_DIR / f"{name}.jsonl"
        write_jsonl(path, splits[name])
        written.append(path)
    for path, text in ((out / SCHEMA_PATH, json_schema() + "\n"),
                       (out / CARD_PATH, render_card(splits, generator=note,
                                                     n_generated=n_generated, seed=seed,
                                                     leaks=leaks))):
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
        written.append(path)
    warnings = [p for p in problems if not p.is_error]
    return BuildResult(splits, written, note, warnings, leaks)


def _md_table(headers: Sequence[str], rows: Iterable[Sequence[object]]) -> str:
    lines = ["| " + " | ".join(headers) + " |", "|" + " --- |" * len(headers)]
    lines += ["| " + " | ".join(str(c) for c in row) + " |" for row in rows]
    return "\n".join(lines)


def _pct(part: int, whole: int) -> str:
    return f"{100 * part / whole:.1f}%" if whole else "-"


def _label_shares(emails: Sequence[AnnotatedEmail]) -> tuple[Counter[str], Counter[str]]:
    """Tokens (`\\w+` or one punctuation mark) and characters per span label, `O` for the
    rest: the class balance a token classifier trained on these emails sees."""
    tokens: Counter[str] = Counter()
    chars: Counter[str] = Counter()
    for email in emails:
        spans = sorted(email.spans, key=lambda s: s.start)
        for m in _TOKEN.finditer(email.text):
            label = next((s.label for s in spans if s.start < m.end() and m.start() < s.end),
                         "O")
            tokens[label] += 1
        covered = 0
        for span in spans:
            chars[span.label] += span.end - span.start
            covered += span.end - span.start
        chars["O"] += len(email.text) - covered
    return tokens, chars


def _implied_count(emails: Sequence[AnnotatedEmail], name: str) -> int:
    return sum(name in stay.implied for e in emails for stay in e.form.stays)


def render_card(splits: dict[str, list[AnnotatedEmail]], *, generator: str, n_generated: int,
                seed: int, leaks: Sequence[CrossSplitPair]) -> str:
    """docs/DATA_CARD.md for the corpus split into `splits` (no dates or times in it: the
    same corpus gives the same card)."""
    every = [e for name in SPLITS for e in splits[name]]
    handwritten = [e for e in every if e.origin != "generated"]
    by_meta = Counter(f"{e.meta.get('annotator', '?')} / {e.meta.get('style', '?')}"
                      for e in handwritten)
    parts = [
        "# Data card: the stayform annotation corpus",
        "",
        "Written by `stayform annotations build` (annotations/build.py) together with "
        "`data/corpus/{train,dev,test}.jsonl`; edit the templates in build.py, not this file.",
        "",
        "## How it was made",
        f"- **Hand-written** ({len(handwritten)} emails, `{SOURCE_DIR}/*.jsonl` and, "
        f"{sum(in_training_pool(e) for e in handwritten)} of them written after the test split "
        f"was fixed, to train on, `{TRAINING_DIR}/*.jsonl`): written one by one by annotators "
        "following `docs/ANNOTATION.md`, spans marked inline as `[[text|label]]` (converted "
        "to offsets by `annotations/markup.py`), the expected form filled by hand. Per "
        "annotator and style:",
        "",
        _md_table(["annotator / style", "emails"], sorted(by_meta.items())),
        "",
        f"- **Generated** ({len(every) - len(handwritten)} emails): "
        + (f"`annotations.generator.generate(n={n_generated}, seed={seed})` fills phrasing "
           "templates with sampled values and derives the spans and the form from the same "
           "values, so its labels are right by construction; it repeats its templates' "
           "phrasings." if len(every) > len(handwritten) else f"none in this build: "
           f"{generator}."),
        "- **Checked**: every email passes `stayform annotations validate` (codes E100-E110 of "
        "docs/ANNOTATION.md); the build aborts on any error.",
        "- **Split**: by the sha256 of the normalized text (lowercase, digits masked, "
        "whitespace collapsed): generated 80/10/10, hand-written 35/15/50 (train/dev/test), "
        "the hand-written training pool 85/15/0, so that it leaves the test split as it was. "
        "Near-duplicates (word 5-gram Jaccard >= 0.8, MinHash LSH) go together into the split "
        "of the member with the smallest hash, so none crosses splits.",
        "",
        "## Emails per split, origin and language",
        "",
        _md_table(["split", "origin", "language", "emails"], sorted(
            (k[0], k[1], k[2], v) for k, v in Counter(
                (name, e.origin, e.language or "-") for name in SPLITS for e in splits[name]
            ).items())),
        "",
        _md_table(["split", "emails", "with more than one stay", "stays"],
                  [(name, len(splits[name]), sum(len(e.form.stays) > 1 for e in splits[name]),
                    sum(len(e.form.stays) for e in splits[name])) for name in SPLITS]
                  + [("all", len(every), sum(len(e.form.stays) > 1 for e in every),
                      sum(len(e.form.stays) for e in every))]),
        "",
        "## Intents",
        "",
        _md_table(["intent", *SPLITS, "all"], [
            (intent, *(sum(e.form.intent == intent for e in splits[n]) for n in SPLITS),
             sum(e.form.intent == intent for e in every)) for intent in INTENTS]),
        "",
        "## Values a stay implies",
        "",
        "Values the email implies rather than writes (the writer as the guest, one room for "
        "one person; listed in a stay's `implied`, no span), and children, per split:",
        "",
        _md_table(["field", *SPLITS], [
            (name, *(_implied_count(splits[n], name) for n in SPLITS))
            for name in ("traveler_names", "rooms", "guests")]
            + [("children (stays with a count)", *(sum(
                s.children is not None for e in splits[n] for s in e.form.stays)
                for n in SPLITS))]),
        "",
        "## Labels and class imbalance",
        "",
    ]
    tokens, chars = _label_shares(every)
    n_tokens, n_chars = sum(tokens.values()), sum(chars.values())
    spans = {n: Counter(s.label for e in splits[n] for s in e.spans) for n in SPLITS}
    parts += [
        f"Of {n_tokens} tokens, {_pct(n_tokens - tokens['O'], n_tokens)} lie in a span "
        f"(`O`: {_pct(tokens['O'], n_tokens)}); of {n_chars} characters, "
        f"{_pct(n_chars - chars['O'], n_chars)} are labelled. Per label (spans per split, "
        "share of all tokens and characters):",
        "",
        _md_table(["label", *SPLITS, "all spans", "tokens", "characters"], [
            (label, *(spans[n][label] for n in SPLITS), sum(spans[n][label] for n in SPLITS),
             _pct(tokens[label], n_tokens), _pct(chars[label], n_chars)) for label in FIELDS]),
        "",
        "## Hand-written test emails that resemble generated training emails",
        "",
    ]
    if leaks:
        parts += [f"{len(leaks)} pair(s) at word 5-gram Jaccard >= 0.5 (below the 0.8 of a "
                  "near-duplicate, so allowed, but worth a look):", "",
                  _md_table(["test email", "generated email", "its split", "Jaccard"],
                            [(p.id_a, p.id_b, p.split_b, f"{p.jaccard:.2f}") for p in leaks])]
    else:
        parts.append("None at word 5-gram Jaccard >= 0.5.")
    parts += ["", "## What it does not cover", "", NOT_COVERED]
    return "\n".join(parts)
