"""`stayform train`: fine-tune the token classifier, keep the best checkpoint by dev F1,
calibrate it on dev, and write a self-describing model folder.

Output folder: `model.safetensors`, `config.json` (with id2label/label2id), the tokenizer,
`train_config.json` (the resolved TrainConfig), `calibration.json`, `metrics.json`,
`README.md` (model card) and TensorBoard logs under `runs/`. Runs on the CPU, one GPU, or
several through `accelerate launch` (evaluation and saving happen on the main process).
"""

from __future__ import annotations

import json
import logging
import os
import random
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

import torch
from accelerate import Accelerator
from accelerate.utils import set_seed
from torch.utils.data import DataLoader
from transformers import (
    AutoModelForTokenClassification,
    AutoTokenizer,
    PreTrainedTokenizerBase,
    get_linear_schedule_with_warmup,
)
from transformers import logging as hf_logging

from annotations.schema import AnnotatedEmail
from extractor.form import FIELDS
from extractor.model import TokenTagger
from extractor.spans import decode_model_spans
from extractor.tags import ID2LABEL, INTENT_TAGS, LABEL2ID, LABELS
from training.config import TrainConfig
from training.data import (
    LengthGroupedSampler,
    PadCollator,
    build_dataset,
    load_emails,
)
from training.evaluate import Counts
from training.loop import Step, train_steps

log = logging.getLogger("stayform.train")


@dataclass
class TrainResult:
    output_dir: Path
    best_dev_f1: float
    steps: int
    seconds: float
    examples_per_second: float
    epoch_seconds: float
    metrics: dict


def mixed_precision(setting: str) -> str:
    """"auto" means bf16 on GPUs that have it, full precision elsewhere."""
    if setting != "auto":
        return setting
    if torch.cuda.is_available() and torch.cuda.is_bf16_supported():
        return "bf16"
    return "no"


def new_model(cfg: TrainConfig) -> tuple[torch.nn.Module, PreTrainedTokenizerBase]:
    """The base model with a fresh token-classification head for stayform's labels."""
    base = cfg.resolved_base_model()
    local = Path(base).is_dir()
    tokenizer = AutoTokenizer.from_pretrained(base, local_files_only=local)
    # the base has no token-classification head yet: its "missing weights" report is expected
    verbosity = hf_logging.get_verbosity()
    hf_logging.set_verbosity_error()
    try:
        model = AutoModelForTokenClassification.from_pretrained(
            base, num_labels=len(LABELS), id2label=ID2LABEL, label2id=LABEL2ID,
            hidden_dropout_prob=cfg.dropout, local_files_only=local, use_safetensors=True,
            trust_remote_code=False)
    finally:
        hf_logging.set_verbosity(verbosity)
    if cfg.freeze_embeddings:
        for p in model.base_model.embeddings.word_embeddings.parameters():
            p.requires_grad = False
    if cfg.freeze_layers:
        layers = getattr(getattr(model.base_model, "encoder", None), "layer", None)
        if layers is None or cfg.freeze_layers >= len(layers):
            raise ValueError(f"freeze_layers = {cfg.freeze_layers}: the base model has "
                             f"{len(layers) if layers is not None else 'no BERT-style'} layers")
        for module in (model.base_model.embeddings, *layers[: cfg.freeze_layers]):
            for p in module.parameters():
                p.requires_grad = False
    return model, tokenizer


def span_f1(tagger: TokenTagger, emails: Sequence[AnnotatedEmail]) -> dict[str, float]:
    """Per-field exact-match span F1 and intent accuracy of the model alone on `emails`."""
    counts = {f: Counts() for f in FIELDS}
    right = 0
    for email, scores in zip(emails, tagger.score([e.text for e in emails]), strict=True):
        pred = {(s.start, s.end, s.field) for s in decode_model_spans(scores)}
        gold = {(s.start, s.end, s.label) for s in email.spans}
        for f in FIELDS:
            p = {x for x in pred if x[2] == f}
            g = {x for x in gold if x[2] == f}
            counts[f].tp += len(p & g)
            counts[f].fp += len(p - g)
            counts[f].fn += len(g - p)
        right += int(INTENT_TAGS[int(scores.intent_probs.argmax())] == f"INTENT-{email.form.intent}")
    micro = Counts(sum(c.tp for c in counts.values()), sum(c.fp for c in counts.values()),
                   sum(c.fn for c in counts.values()))
    out = {f"span_f1/{f}": c.f1 for f, c in counts.items()}
    out["span_f1/micro"] = micro.f1
    out["intent_accuracy"] = right / len(emails) if emails else 0.0
    return out


def class_weights(cfg: TrainConfig) -> torch.Tensor:
    w = torch.ones(len(LABELS))
    w[LABEL2ID["O"]] = cfg.o_weight
    for tag in INTENT_TAGS:
        w[LABEL2ID[tag]] = cfg.intent_weight
    return w


def train(cfg: TrainConfig, *, on_step: Callable[[Step, dict[str, float] | None], None] | None = None,
          calibrate: bool = True) -> TrainResult:
    """Fine-tune per `cfg`; returns where the model went and what it scored."""
    started = time.perf_counter()
    cfg = cfg.with_resolved_base_model()  # the folder's train_config.json names what was loaded
    set_seed(cfg.seed)
    random.seed(cfg.seed)
    if cfg.num_threads:
        torch.set_num_threads(cfg.num_threads)
    accelerator = Accelerator(mixed_precision=mixed_precision(cfg.mixed_precision),
                              gradient_accumulation_steps=cfg.grad_accum)
    out = Path(cfg.output_dir)
    model, tokenizer = new_model(cfg)

    train_emails = load_emails(cfg.train_files)
    if cfg.max_train_examples and len(train_emails) > cfg.max_train_examples:
        # a seeded sample that keeps every hand-written email (they are few and precious)
        hand = [e for e in train_emails if e.origin != "generated"]
        rest = [e for e in train_emails if e.origin == "generated"]
        random.Random(cfg.seed).shuffle(rest)
        train_emails = hand + rest[: max(0, cfg.max_train_examples - len(hand))]
    train_emails += [e for e in train_emails if e.origin != "generated"] * (cfg.handwritten_repeat - 1)
    dev_emails = load_emails(cfg.dev_files)
    dataset = build_dataset(train_emails, tokenizer, max_length=cfg.max_length, stride=cfg.stride)
    features = dataset.remove_columns("email_index")
    sampler = LengthGroupedSampler([len(ids) for ids in features["input_ids"]],
                                   batch_size=cfg.batch_size, seed=cfg.seed)
    loader = DataLoader(features, batch_size=cfg.batch_size, sampler=sampler,
                        collate_fn=PadCollator(tokenizer.pad_token_id or 0))
    params = [p for p in model.parameters() if p.requires_grad]
    optimizer = torch.optim.AdamW(params, lr=cfg.learning_rate, weight_decay=cfg.weight_decay)
    total_steps = max(1, int(len(loader) * cfg.epochs / cfg.grad_accum))
    scheduler = get_linear_schedule_with_warmup(
        optimizer, int(total_steps * cfg.warmup_ratio), total_steps)
    model, optimizer, loader, scheduler = accelerator.prepare(model, optimizer, loader, scheduler)

    writer = _tensorboard(cfg, accelerator)
    eval_every = cfg.eval_every_steps or max(1, len(loader) // cfg.grad_accum)
    best_f1, bad_evals, last = -1.0, 0, None
    train_started = time.perf_counter()
    for step in train_steps(model=model, loader=loader, optimizer=optimizer, scheduler=scheduler,
                            accelerator=accelerator, class_weights=class_weights(cfg),
                            epochs=cfg.epochs):
        last = step
        if writer:
            writer.add_scalar("train/loss", step.loss, step.step)
            writer.add_scalar("train/learning_rate", step.learning_rate, step.step)
        scores = None
        if step.step % eval_every == 0 or step.step == total_steps:
            scores = _evaluate_dev(model, tokenizer, dev_emails, cfg, accelerator)
            if scores is not None:
                if writer:
                    for k, v in scores.items():
                        writer.add_scalar(f"dev/{k}", v, step.step)
                f1 = scores["span_f1/micro"] + scores["intent_accuracy"]
                if f1 > best_f1:
                    best_f1, bad_evals = f1, 0
                    _save(accelerator, model, tokenizer, out, cfg)
                else:
                    bad_evals += 1
            model.train()
        if on_step:
            on_step(step, scores)
        if bad_evals >= cfg.early_stopping_patience:
            log.info("early stop at step %d: dev F1 did not improve %d times", step.step, bad_evals)
            break
    train_seconds = time.perf_counter() - train_started
    if best_f1 < 0:  # no evaluation happened (e.g. empty dev): keep the last weights
        _save(accelerator, model, tokenizer, out, cfg)
    if writer:
        writer.close()
    accelerator.wait_for_everyone()
    metrics: dict = {}
    if accelerator.is_main_process:
        from training.finish import finish_model_folder

        metrics = finish_model_folder(out, cfg, dev_emails, calibrate=calibrate)
        metrics["training"] = {
            "steps": last.step if last else 0, "windows_seen": last.examples if last else 0,
            "train_seconds": round(train_seconds, 1),
            "examples_per_second": round((last.examples if last else 0) / max(train_seconds, 1e-9), 2),
            "epochs": last.epoch if last else 0.0, "train_emails": len(train_emails),
            "train_windows": len(dataset), "device": str(accelerator.device),
            "mixed_precision": accelerator.mixed_precision,
        }
        (out / "metrics.json").write_text(json.dumps(metrics, indent=2), encoding="utf-8")
        from training.card import write_model_card

        write_model_card(out, cfg, metrics)
    epochs_done = last.epoch if last and last.epoch else 1.0
    return TrainResult(
        output_dir=out, best_dev_f1=best_f1, steps=last.step if last else 0,
        seconds=time.perf_counter() - started,
        examples_per_second=(last.examples if last else 0) / max(train_seconds, 1e-9),
        epoch_seconds=train_seconds / epochs_done, metrics=metrics)


def _evaluate_dev(model, tokenizer, dev: list[AnnotatedEmail], cfg: TrainConfig,
                  accelerator: Accelerator) -> dict[str, float] | None:
    if not dev or not accelerator.is_main_process:
        return None
    unwrapped = accelerator.unwrap_model(model)
    unwrapped.eval()
    tagger = TokenTagger(unwrapped, tokenizer, max_length=cfg.max_length, stride=cfg.stride)
    with accelerator.autocast():
        return span_f1(tagger, dev)


def _save(accelerator: Accelerator, model, tokenizer, out: Path, cfg: TrainConfig) -> None:
    if not accelerator.is_main_process:
        return
    out.mkdir(parents=True, exist_ok=True)
    unwrapped = accelerator.unwrap_model(model)
    unwrapped.save_pretrained(out, safe_serialization=True)
    tokenizer.save_pretrained(out)
    (out / "train_config.json").write_text(cfg.model_dump_json(indent=2), encoding="utf-8")
    for stale in ("calibration.json", "metrics.json"):
        (out / stale).unlink(missing_ok=True)


def _tensorboard(cfg: TrainConfig, accelerator: Accelerator):
    if not accelerator.is_main_process:
        return None
    try:
        from torch.utils.tensorboard import SummaryWriter
    except ImportError:  # tensorboard is a dependency; a broken install should not stop training
        log.warning("tensorboard is not importable: no TensorBoard logs")
        return None
    logdir = cfg.logging_dir or os.path.join(cfg.output_dir, "runs")
    return SummaryWriter(log_dir=logdir)
