"""The model card written beside every trained model."""

from __future__ import annotations

from pathlib import Path

from training.config import TrainConfig


def _row(name: str, report: dict) -> str:
    m = report["micro"]
    return (f"| {name} | {report['emails']} | {m['precision']:.3f} | {m['recall']:.3f} | "
            f"{m['f1']:.3f} | {report['intent_accuracy']:.3f} | {report['ece']:.3f} | "
            f"{report['auto_accepted_share']:.1%} |")


def write_model_card(out: Path, cfg: TrainConfig, metrics: dict) -> None:
    """Write `out/README.md`: what the model is, how it was trained, what it scored."""
    lines = [
        "# stayform token classifier",
        "",
        "Fills hotel request forms from booking emails (English and German): a token classifier",
        "over the twelve form fields (BIO tags) whose [CLS] token also predicts the intent;",
        "the intent is stacked with a lexical model (`intent.safetensors`, hashed n-grams,",
        "fitted on the training split; the stacker on dev) when the folder holds one.",
        "",
        f"- base model: `{cfg.resolved_base_model()}`",
        f"- preset: `{cfg.preset}`; max length {cfg.max_length}, stride {cfg.stride}, "
        f"epochs {cfg.epochs}, batch {cfg.batch_size}, learning rate {cfg.learning_rate}, "
        f"seed {cfg.seed}",
        f"- training data: {', '.join(cfg.train_files)}; dev: {', '.join(cfg.dev_files)}",
        f"- calibration: {metrics.get('calibration', 'none')}",
        "",
        "| split | emails | value P | value R | value F1 | intent acc | ECE | auto-accepted |",
        "| --- | --- | --- | --- | --- | --- | --- | --- |",
    ]
    # dev only: the test split is scored by `stayform evaluate`, never while training
    for origin, report in metrics.get("dev", {}).items():
        lines.append(_row(f"dev / {origin}", report))
    lines += [
        "",
        "Intended use: pre-filling booking forms for people to check (see the review service).",
        "Limits: English and German only; trained mostly on generated emails (docs/DATA_CARD.md);",
        "values under the review threshold must be checked by a person.",
        "",
    ]
    (out / "README.md").write_text("\n".join(lines), encoding="utf-8")
