"""Annotated emails to training features: windows of sub-word ids with aligned labels.

Labels follow the reference recipe (transformers' run_ner_no_trainer): the first sub-word of
each word carries the word's BIO tag, the other sub-words and [SEP] carry -100 (ignored by the
loss), and [CLS] carries the email's intent tag. Long emails become overlapping windows
(extractor/encoding.py), each labelled the same way.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from pathlib import Path

import numpy as np
import torch
from datasets import Dataset
from torch.utils.data import Sampler
from transformers import PreTrainedTokenizerBase

from annotations.schema import AnnotatedEmail, read_jsonl
from extractor.encoding import encode, windows
from extractor.fast_tokenizer import FastTokenizer
from extractor.tags import LABEL2ID, intent_id

IGNORE = -100


def word_tags(email: AnnotatedEmail, word_start: Sequence[int], word_end: Sequence[int]
              ) -> list[int]:
    """The BIO tag id of each word: B on the first word a span overlaps, I on the rest."""
    tags = [LABEL2ID["O"]] * len(word_start)
    for span in sorted(email.spans, key=lambda s: s.start):
        first = True
        for w, (ws, we) in enumerate(zip(word_start, word_end, strict=True)):
            if ws < span.end and span.start < we:
                tags[w] = LABEL2ID[f"{'B' if first else 'I'}-{span.label}"]
                first = False
    return tags


def gold_word_tags(tokenizer: PreTrainedTokenizerBase | FastTokenizer,
                   emails: Sequence[AnnotatedEmail]) -> list[np.ndarray]:
    """The gold BIO tag id of each word (as the tagger splits words) of each email."""
    out = []
    for e in emails:
        enc = encode(tokenizer, e.text)
        out.append(np.asarray(word_tags(e, enc.word_start, enc.word_end), dtype=np.int64))
    return out


def email_features(email: AnnotatedEmail, tokenizer: PreTrainedTokenizerBase, *,
                   max_length: int, stride: int) -> list[dict[str, list[int]]]:
    """One feature dict (`input_ids`, `labels`) per window of `email`."""
    enc = encode(tokenizer, email.text)
    tags = word_tags(email, enc.word_start, enc.word_end)
    token_labels = [IGNORE] * len(enc.input_ids)
    for w, t in enumerate(enc.first_token):
        token_labels[t] = tags[w]
    cls_label = intent_id(email.form.intent)
    out = []
    for start, end in windows(len(enc.input_ids), max_length=max_length, stride=stride):
        out.append({
            "input_ids": [tokenizer.cls_token_id, *enc.input_ids[start:end],
                          tokenizer.sep_token_id],
            "labels": [cls_label, *token_labels[start:end], IGNORE],
        })
    return out


def load_emails(files: Iterable[str | Path]) -> list[AnnotatedEmail]:
    """All annotated emails of `files`, in order."""
    return [e for f in files for e in read_jsonl(f)]


def build_dataset(emails: Sequence[AnnotatedEmail], tokenizer: PreTrainedTokenizerBase, *,
                  max_length: int, stride: int) -> Dataset:
    """A `datasets.Dataset` of windows, each remembering the index of its email."""
    rows = []
    for i, email in enumerate(emails):
        for feat in email_features(email, tokenizer, max_length=max_length, stride=stride):
            rows.append({**feat, "email_index": i})
    return Dataset.from_list(rows)


class LengthGroupedSampler(Sampler[int]):
    """Shuffled batches of windows of similar length: little padding, still random order.

    Each epoch shuffles all windows, cuts them into mega-batches of `group` batches, sorts
    every mega-batch by length and shuffles the resulting batches (the recipe of
    transformers' `group_by_length`). Seeded, so runs are reproducible.
    """

    def __init__(self, lengths: Sequence[int], *, batch_size: int, seed: int, group: int = 50
                 ) -> None:
        self.lengths = list(lengths)
        self.batch_size = batch_size
        self.group = group
        self.generator = torch.Generator().manual_seed(seed)

    def __len__(self) -> int:
        return len(self.lengths)

    def __iter__(self) -> Iterator[int]:
        order = torch.randperm(len(self.lengths), generator=self.generator).tolist()
        size = self.batch_size * self.group
        batches: list[list[int]] = []
        for start in range(0, len(order), size):
            mega = sorted(order[start : start + size], key=lambda i: -self.lengths[i])
            batches += [mega[k : k + self.batch_size] for k in range(0, len(mega), self.batch_size)]
        for b in torch.randperm(len(batches), generator=self.generator).tolist():
            yield from batches[b]


class PadCollator:
    """Pads a list of feature rows to the longest in the batch."""

    def __init__(self, pad_id: int) -> None:
        self.pad_id = pad_id

    def __call__(self, rows: list[dict]) -> dict[str, torch.Tensor]:
        width = max(len(r["input_ids"]) for r in rows)
        ids = torch.full((len(rows), width), self.pad_id, dtype=torch.long)
        labels = torch.full((len(rows), width), IGNORE, dtype=torch.long)
        mask = torch.zeros((len(rows), width), dtype=torch.long)
        for i, r in enumerate(rows):
            n = len(r["input_ids"])
            ids[i, :n] = torch.tensor(r["input_ids"])
            labels[i, :n] = torch.tensor(r["labels"])
            mask[i, :n] = 1
        return {"input_ids": ids, "attention_mask": mask, "labels": labels}
