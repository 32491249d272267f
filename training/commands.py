"""Command-line handlers of `stayform train`, `calibrate`, `evaluate`, `tune` and
`annotations suspicious`."""

from __future__ import annotations

import argparse
import json
import logging
import sys
from pathlib import Path

from pydantic import ValidationError

from stayform.cli import UserError
from stayform.settings import get_settings

DEFAULT_TEST = Path("data/corpus/test.jsonl")


def _config(args: argparse.Namespace):  # noqa: ANN202
    from training.config import load_config

    try:
        return load_config(args.config, preset=args.preset, output_dir=args.output)
    except (OSError, ValueError, ValidationError) as e:
        raise UserError(f"bad training config: {e}".splitlines()[0]) from e


def _check_files(files: list[str]) -> None:
    for f in files:
        if not Path(f).is_file():
            raise UserError(f"{f}: no such annotation file (run `stayform annotations build`)")


def _check_reviewed(files: list[str]) -> None:
    # an export that does not validate (edited by hand, an older export) would train on
    # values without spans: refuse it with the first problem, as `annotations validate` says
    if not files:
        return
    from annotations.validate import validate_files

    errors = [p for p in validate_files(files)[1] if p.is_error]
    if errors:
        raise UserError(f"reviewed file has {len(errors)} annotation error(s), first: "
                        f"{errors[0].format()}")


def run_train(args: argparse.Namespace) -> int:
    """Fine-tune per the config/preset; prints progress and where the model went."""
    from tqdm import tqdm

    from training.train import train

    cfg = _config(args)
    if getattr(args, "include_reviewed", None):
        cfg = cfg.model_copy(update={"reviewed_files": [*cfg.reviewed_files,
                                                        *args.include_reviewed]})
    _check_files(cfg.train_files + cfg.dev_files + cfg.reviewed_files)
    _check_reviewed(cfg.reviewed_files)
    logging.basicConfig(level=logging.INFO, format="%(message)s")
    bar = tqdm(unit="step", desc="train", file=sys.stderr, dynamic_ncols=True)

    def on_step(step, scores) -> None:  # noqa: ANN001
        bar.update(1)
        bar.set_postfix(loss=f"{step.loss:.3f}", epoch=f"{step.epoch:.2f}")
        if scores:
            bar.write(f"step {step.step}: dev span F1 {scores['span_f1/micro']:.3f}, "
                      f"intent accuracy {scores['intent_accuracy']:.3f}")

    try:
        result = train(cfg, on_step=on_step)
    finally:
        bar.close()
    t = result.metrics.get("training", {})
    print(f"model saved to {result.output_dir} ({result.steps} steps, {result.seconds:.0f} s, "
          f"{t.get('examples_per_second', 0)} windows/s)")
    # dev only: the test split is for `stayform evaluate`
    for origin, rep in result.metrics.get("dev", {}).items():
        print(f"dev/{origin}: value micro F1 {rep['micro']['f1']:.3f}, "
              f"intent accuracy {rep['intent_accuracy']:.3f}, ECE {rep['ece']:.3f}")
    if cfg.export_int8:
        from training.quantize import describe, quantize_model

        print("\n".join(describe(quantize_model(result.output_dir, dev_files=cfg.dev_files))))
    from stayform.paths import remember_model_dir

    # so that `stayform extract` run from any directory finds this model (stayform/paths.py)
    print(f"remembered in {remember_model_dir(result.output_dir)}")
    return 0


def run_calibrate(args: argparse.Namespace) -> int:
    """Refit a trained model folder's calibration (and its intent stacker) on its dev files and
    the hand-written form sets, without training; records the sets in its train_config.json."""
    from training.config import TrainConfig
    from training.data import load_emails
    from training.finish import finish_model_folder
    from training.forms import EXPECTED

    model_dir = Path(args.model) if args.model else get_settings().model_dir
    config_file = model_dir / "train_config.json"
    if not config_file.is_file():
        raise UserError(f"{model_dir}: no train_config.json (not a model folder `stayform "
                        f"train` wrote)")
    try:
        cfg = TrainConfig.model_validate_json(config_file.read_text(encoding="utf-8"))
    except (OSError, ValidationError) as e:
        raise UserError(f"{config_file}: {str(e).splitlines()[0]}") from e
    if args.forms is not None:
        cfg = cfg.model_copy(update={"calibration_forms": list(args.forms)})
    _check_files(cfg.train_files + cfg.dev_files)
    for f in cfg.calibration_forms:
        where = Path(f) if Path(f).is_dir() else Path(f).parent
        if not (where / EXPECTED).is_file():
            raise UserError(f"{f}: no form set (no {EXPECTED} in {where})")
    logging.basicConfig(level=logging.INFO, format="%(message)s")
    metrics = finish_model_folder(model_dir, cfg, load_emails(cfg.dev_files))
    config_file.write_text(cfg.model_dump_json(indent=2), encoding="utf-8")
    metrics_file = model_dir / "metrics.json"
    old = json.loads(metrics_file.read_text(encoding="utf-8")) if metrics_file.is_file() else {}
    metrics_file.write_text(json.dumps({**old, **metrics}, indent=2), encoding="utf-8")
    print(json.dumps(metrics.get("calibration", {}), indent=2))
    return 0


def run_evaluate(args: argparse.Namespace) -> int:
    """Per-field P/R/F1 on values, per origin; JSON with --json."""
    from annotations.schema import read_jsonl
    from extractor.commands import load_extractor
    from training.evaluate import evaluate_results, format_table
    from training.finish import prepared

    data = Path(args.data) if args.data else DEFAULT_TEST
    _check_files([str(data)])
    try:
        emails = list(read_jsonl(data))
    except (ValueError, ValidationError) as e:
        raise UserError(f"{data}: not an annotation file: {str(e).splitlines()[0]}") from e
    model_dir = Path(args.model) if args.model else get_settings().model_dir
    extractor = load_extractor(model_dir)
    results = extractor.extract_prepared(prepared(emails))
    reports = evaluate_results(results, emails)
    order = [k for k in ("handwritten", "generated", "review", "all") if k in reports]
    if args.json:
        print(json.dumps({k: reports[k].as_dict() for k in order}, indent=2))
    else:
        print("\n\n".join(format_table(k, reports[k]) for k in order))
    return 0


def run_tune(args: argparse.Namespace) -> int:
    """Optuna search (Hyperband pruning) over learning rate, epochs, batch, warm-up, dropout."""
    from training.tune import tune

    cfg = _config(argparse.Namespace(config=args.config, preset=args.preset, output=None))
    _check_files(cfg.train_files + cfg.dev_files)
    best = tune(cfg, trials=args.trials, output=Path(args.output))
    print(json.dumps(best, indent=2))
    return 0


def run_suspicious(args: argparse.Namespace) -> int:
    """Rank the annotated emails of FILE by how likely their labels are wrong."""
    from annotations.schema import read_jsonl
    from training.suspicious import rank_suspicious

    path = Path(args.file)
    _check_files([str(path)])
    emails = list(read_jsonl(path))
    if args.folds:
        import tempfile

        from training.suspicious import cross_fold_suspects

        cfg = _config(argparse.Namespace(config=args.config, preset=None if args.config
                                         else "quick", output=None))
        with tempfile.TemporaryDirectory(prefix="stayform-folds-") as work:
            try:
                rows = cross_fold_suspects(emails, cfg, folds=args.folds, workdir=Path(work))
            except ValueError as e:
                raise UserError(str(e)) from e
    else:
        from extractor.commands import load_extractor

        model_dir = Path(args.model) if args.model else get_settings().model_dir
        rows = rank_suspicious(load_extractor(model_dir), emails)
    for row in rows[: args.top]:
        print(f"{row.score:8.3f}  {row.id}  {row.reason}")
    return 0
