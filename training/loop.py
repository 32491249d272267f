"""The training loop: one function, read top to bottom, that yields progress after each step.

Logging, evaluation, checkpoints and early stopping live with the caller (training/train.py):
the caller stops iterating to stop training.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

import torch
from accelerate import Accelerator
from torch.utils.data import DataLoader

from training.data import IGNORE


@dataclass(frozen=True)
class Step:
    step: int  # optimizer steps so far
    epoch: float
    loss: float
    learning_rate: float
    examples: int  # windows seen so far


def weighted_loss(logits: torch.Tensor, labels: torch.Tensor, weights: torch.Tensor
                  ) -> torch.Tensor:
    """Token cross-entropy with per-class weights (O down-weighted: most words are O)."""
    return torch.nn.functional.cross_entropy(
        logits.float().reshape(-1, logits.shape[-1]), labels.reshape(-1),
        weight=weights, ignore_index=IGNORE)


def train_steps(*, model: torch.nn.Module, loader: DataLoader, optimizer: torch.optim.Optimizer,
                scheduler: torch.optim.lr_scheduler.LRScheduler, accelerator: Accelerator,
                class_weights: torch.Tensor, epochs: float, max_grad_norm: float = 1.0
                ) -> Iterator[Step]:
    """Train for `epochs` passes over `loader` (a fraction allowed), yielding after each step."""
    total_batches = int(len(loader) * epochs)
    batches = 0
    steps = 0
    examples = 0
    weights = class_weights.to(accelerator.device)
    model.train()
    while batches < total_batches:
        for batch in loader:
            with accelerator.accumulate(model):
                logits = model(input_ids=batch["input_ids"],
                               attention_mask=batch["attention_mask"]).logits
                loss = weighted_loss(logits, batch["labels"], weights)
                accelerator.backward(loss)
                if accelerator.sync_gradients:
                    accelerator.clip_grad_norm_(model.parameters(), max_grad_norm)
                optimizer.step()
                scheduler.step()
                optimizer.zero_grad()
            batches += 1
            examples += batch["input_ids"].shape[0] * accelerator.num_processes
            if accelerator.sync_gradients:
                steps += 1
                yield Step(step=steps, epoch=batches / len(loader), loss=float(loss.detach()),
                           learning_rate=float(scheduler.get_last_lr()[0]), examples=examples)
            if batches >= total_batches:
                return
