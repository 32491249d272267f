"""`stayform train`: fine-tune the token classifier, keep the best checkpoint by dev span F1
plus dev intent accuracy, calibrate it on dev, and write a self-describing model folder.

Output folder: `model.safetensors`, `config.json` (with id2label/label2id), the tokenizer,
`train_config.json` (the resolved TrainConfig), `calibration.json`, `metrics.json`,
`README.md` (model card) and TensorBoard logs under `runs/`. Runs on the CPU, one GPU, or
several through `accelerate launch`: then every process scores its share of dev, the shares
are gathered, and every process takes the same early-stopping decision (the main one's); saving
and finishing happen on the main process.
"""

from __future__ import annotations

import json
import logging
import os
import random
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import torch
from accelerate import Accelerator
from accelerate.utils import broadcast, set_seed
from torch.utils.data import DataLoader, TensorDataset
from transformers import (
    AutoModelForTokenClassification,
    AutoTokenizer,
    PreTrainedTokenizerBase,
    get_linear_schedule_with_warmup,
)
from transformers import logging as hf_logging

from annotations.schema import AnnotatedEmail
from extractor.model import TokenTagger
from extractor.tags import ID2LABEL, INTENT_TAGS, LABEL2ID, LABELS
from training.augment import bystander_copies, perturbed_copies, renamed_copies
from training.card import write_model_card
from training.config import TrainConfig
from training.data import LengthGroupedSampler, PadCollator, build_dataset, load_emails
from training.devscore import (
    EARLY_STOPPING_METRIC,
    email_counts,
    f1_plus_intent_acc,
    scores_from_counts,
)
from training.finish import finish_model_folder
from training.loop import Step, train_steps

log = logging.getLogger("stayform.train")


@dataclass
class TrainResult:
    output_dir: Path
    best_dev_f1_plus_intent_acc: float  # the early-stopping metric at the kept checkpoint
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


def class_weights(cfg: TrainConfig) -> torch.Tensor:
    w = torch.ones(len(LABELS))
    w[LABEL2ID["O"]] = cfg.o_weight
    for tag in INTENT_TAGS:
        w[LABEL2ID[tag]] = cfg.intent_weight
    return w


def train(cfg: TrainConfig, *, on_step: Callable[[Step, dict[str, float] | None], None] | None = None,
          calibrate: bool = True) -> TrainResult:
    """Fine-tune per `cfg`; returns where the model went and what it scored.

    `on_step(step, scores)` is called after every optimizer step, with the dev scores when the
    step evaluated (None otherwise); `calibrate=False` skips calibration (tuning, folds).
    """
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
    copies = perturbed_copies(train_emails, cfg.augmented_examples, seed=cfg.seed)
    copies += bystander_copies(train_emails, cfg.bystander_examples, seed=cfg.seed)
    copies += renamed_copies(train_emails, cfg.renamed_examples, seed=cfg.seed)
    if cfg.max_train_examples and len(train_emails) + len(copies) > cfg.max_train_examples:
        # a seeded sample that keeps every hand-written email (they are few and precious)
        hand = [e for e in train_emails if e.origin != "generated"]
        rest = [e for e in train_emails if e.origin == "generated"]
        random.Random(cfg.seed).shuffle(rest)
        train_emails = hand + rest[: max(0, cfg.max_train_examples - len(hand) - len(copies))]
    train_emails += copies
    train_emails += [e for e in train_emails if e.origin != "generated"] * (cfg.handwritten_repeat - 1)
    dev_emails = load_emails(cfg.dev_files)
    reviewed = reviewed_emails(cfg, dev_emails)
    train_emails += reviewed * cfg.reviewed_repeat
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
    dev_loader = _dev_loader(len(dev_emails), accelerator)

    writer = _tensorboard(cfg, accelerator)
    eval_every = cfg.eval_every_steps or max(1, len(loader) // cfg.grad_accum)
    best, bad_evals, last = -1.0, 0, None
    train_started = time.perf_counter()
    for step in train_steps(model=model, loader=loader, optimizer=optimizer, scheduler=scheduler,
                            accelerator=accelerator, class_weights=class_weights(cfg),
                            epochs=cfg.epochs):
        last = step
        if writer:
            writer.add_scalar("train/loss", step.loss, step.step)
            writer.add_scalar("train/learning_rate", step.learning_rate, step.step)
        scores = None
        evaluated = step.step % eval_every == 0 or step.step == total_steps
        if evaluated:
            scores = _evaluate_dev(model, tokenizer, dev_emails, dev_loader, cfg, accelerator)
            if scores is not None:
                if writer:
                    for k, v in scores.items():
                        writer.add_scalar(f"dev/{k}", v, step.step)
                metric = f1_plus_intent_acc(scores)
                if metric > best:
                    best, bad_evals = metric, 0
                    _save(accelerator, model, tokenizer, out, cfg)
                else:
                    bad_evals += 1
            model.train()
        if on_step:
            on_step(step, scores)
        # only an evaluation can change bad_evals (the patience is at least 1)
        if evaluated and _main_decides(accelerator, bad_evals >= cfg.early_stopping_patience):
            log.info("early stop at step %d: %s did not improve %d times", step.step,
                     EARLY_STOPPING_METRIC, bad_evals)
            break
    train_seconds = time.perf_counter() - train_started
    if best < 0:  # no evaluation happened (e.g. empty dev): keep the last weights
        _save(accelerator, model, tokenizer, out, cfg)
    if writer:
        writer.close()
    accelerator.wait_for_everyone()
    metrics: dict = {}
    if accelerator.is_main_process:
        metrics = finish_model_folder(out, cfg, dev_emails, calibrate=calibrate)
        metrics["training"] = {
            "steps": last.step if last else 0, "windows_seen": last.examples if last else 0,
            "train_seconds": round(train_seconds, 1),
            "examples_per_second": round((last.examples if last else 0) / max(train_seconds, 1e-9), 2),
            "epochs": last.epoch if last else 0.0, "train_emails": len(train_emails),
            "reviewed_emails": len(reviewed), "reviewed_repeat": cfg.reviewed_repeat,
            "train_windows": len(dataset), "device": str(accelerator.device),
            "mixed_precision": accelerator.mixed_precision,
            f"best_{EARLY_STOPPING_METRIC}": round(best, 4) if best >= 0 else None,
        }
        (out / "metrics.json").write_text(json.dumps(metrics, indent=2), encoding="utf-8")
        write_model_card(out, cfg, metrics)
    epochs_done = last.epoch if last and last.epoch else 1.0
    return TrainResult(
        output_dir=out, best_dev_f1_plus_intent_acc=best, steps=last.step if last else 0,
        seconds=time.perf_counter() - started,
        examples_per_second=(last.examples if last else 0) / max(train_seconds, 1e-9),
        epoch_seconds=train_seconds / epochs_done, metrics=metrics)


def reviewed_emails(cfg: TrainConfig, dev: list[AnnotatedEmail]) -> list[AnnotatedEmail]:
    """The emails of `cfg.reviewed_files`, once each (by id), without any whose text is also
    a dev email: a reviewed copy of a dev email would score the model on what it learnt."""
    dev_texts = {e.text for e in dev}
    read = load_emails(cfg.reviewed_files)
    seen: set[str] = set()
    out: list[AnnotatedEmail] = []
    for email in read:
        if email.id not in seen and email.text not in dev_texts:
            out.append(email)
        seen.add(email.id)
    if read:
        log.info("reviewed emails: %d for training (x%d), %d left out as repeats or dev emails",
                 len(out), cfg.reviewed_repeat, len(read) - len(out))
    return out


def _dev_loader(n_dev: int, accelerator: Accelerator) -> DataLoader | None:
    """Dev email indices, sharded: one batch per process (a single process gets all of dev in
    one batch, so it scores dev in one call as it always did). None when dev is empty."""
    if not n_dev:
        return None
    per_process = -(-n_dev // accelerator.num_processes)
    # its own generator: iterating a loader draws a seed, and the global generator drives
    # dropout, which an evaluation must not change
    indices = DataLoader(TensorDataset(torch.arange(n_dev)), batch_size=per_process,
                         shuffle=False, generator=torch.Generator())
    return accelerator.prepare_data_loader(indices)


def _evaluate_dev(model, tokenizer, dev: list[AnnotatedEmail], dev_loader: DataLoader | None,
                  cfg: TrainConfig, accelerator: Accelerator) -> dict[str, float] | None:
    """Dev scores (see training/devscore.py), the same on every process; None without dev.

    Every process counts its shard of `dev`; `gather_for_metrics` joins the counts and drops
    the emails repeated to give every process an equal shard."""
    if dev_loader is None:
        return None
    unwrapped = accelerator.unwrap_model(model)
    unwrapped.eval()
    tagger = TokenTagger(unwrapped, tokenizer, max_length=cfg.max_length, stride=cfg.stride)
    gathered = []
    for (indices,) in dev_loader:
        with accelerator.autocast():
            rows = email_counts(tagger, [dev[i] for i in indices.tolist()])
        gathered.append(accelerator.gather_for_metrics(rows.to(accelerator.device)).cpu())
    return scores_from_counts(torch.cat(gathered))


def _main_decides(accelerator: Accelerator, decision: bool) -> bool:
    """The main process's `decision`, on every process: when one process stops training and
    the others go on, they wait forever for it in the next gradient synchronisation."""
    flag = torch.tensor([int(decision)], device=accelerator.device)
    return bool(broadcast(flag, from_process=0).item())


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
