"""CLI handlers of `stayform annotations validate | agreement | build` (stayform/cli.py)."""

from __future__ import annotations

import argparse
import json
from collections.abc import Sequence
from pathlib import Path

from annotations.agreement import compare, format_report
from annotations.build import BuildError, build_corpus, find_root
from annotations.validate import Located, Problem, read_file, validate_files
from stayform.cli import UserError


def _readable(path: str | Path) -> None:
    p = Path(path)
    if not p.is_file():
        raise UserError(f"{path}: no such file")


def run_validate(args: argparse.Namespace) -> int:
    """Print one `FILE:LINE id CODE message` line per problem of `args.files` and a summary;
    1 if any error (E...), 0 when clean or only warnings."""
    for path in args.files:
        _readable(path)
    try:
        located, problems = validate_files(args.files)
    except (OSError, UnicodeDecodeError) as e:
        raise UserError(f"cannot read annotations: {e}") from e
    for problem in problems:
        print(problem.format())
    errors = sum(p.is_error for p in problems)
    warnings = len(problems) - errors
    print(f"{len(args.files)} file(s), {len(located)} email(s) read: "
          f"{errors} error(s), {warnings} warning(s)")
    return 1 if errors else 0


def load_for_comparison(path: str | Path) -> list[Located]:
    """The emails of one annotator's file; a UserError naming the first unreadable line."""
    _readable(path)
    try:
        located, problems = read_file(path)
    except (OSError, UnicodeDecodeError) as e:
        raise UserError(f"{path}: cannot read: {e}") from e
    if problems:
        raise UserError(_first(problems, len(problems)))
    return located


def _first(problems: Sequence[Problem], total: int) -> str:
    more = f" (and {total - 1} more problem(s))" if total > 1 else ""
    return problems[0].format() + more


def run_agreement(args: argparse.Namespace) -> int:
    """Per-label agreement of two annotators' files (`args.file_a`, `args.file_b`), as tables
    or, with `args.json`, as one JSON object on stdout."""
    report = compare([loc.email for loc in load_for_comparison(args.file_a)],
                     [loc.email for loc in load_for_comparison(args.file_b)])
    if args.json:
        print(json.dumps(report.to_dict(), indent=2, ensure_ascii=False))
    else:
        print(format_report(report, name_a=args.file_a, name_b=args.file_b))
    return 0


def run_build(args: argparse.Namespace) -> int:
    """Rebuild data/corpus/*.jsonl, docs/annotation.schema.json and docs/DATA_CARD.md from the
    hand-written sources and the generator; 1 (with the problems listed) if validation fails."""
    root = find_root()
    if root is None:
        raise UserError("no data/handwritten/source folder here: run from the repository root")
    try:
        # The parser has no --generated/--seed yet; honour them once it has.
        result = build_corpus(root=root, n_generated=getattr(args, "generated", None),
                              seed=getattr(args, "seed", None), log=print)
    except BuildError as e:
        for problem in e.problems:
            print(problem.format())
        raise UserError(str(e)) from e
    for line in result.summary():
        print(line)
    return 0
