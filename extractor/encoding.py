"""Texts to model inputs: sub-word tokens with character offsets, words, and windows.

Shared by inference (extractor/model.py) and training (training/data.py) so that both cut long
emails into the same overlapping windows and label the same sub-word of each word.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from typing import TYPE_CHECKING

from extractor.spelling import PAD, umlauts_read

if TYPE_CHECKING:  # transformers is not imported at run time: the ONNX runtime does without it
    from transformers import PreTrainedTokenizerBase

    from extractor.fast_tokenizer import FastTokenizer


@dataclass(frozen=True, slots=True)
class Encoded:
    """One text as sub-word ids (without special tokens) and its words.

    `word_of[i]` is the word index of sub-word `i`; `first_token[w]` is the first sub-word of
    word `w` (the one that carries the word's tag); `word_start[w]`/`word_end[w]` are its
    character offsets in the text.
    """

    input_ids: list[int]
    word_of: list[int]
    first_token: list[int]
    word_start: list[int]
    word_end: list[int]


@lru_cache(maxsize=8)
def _drops_pad(tokenizer: PreTrainedTokenizerBase | FastTokenizer) -> bool:
    """Whether `tokenizer` reads "fü<PAD>r" as it reads "für": true of BERT's normalizer,
    which drops control characters; a tokenizer that keeps them reads the text as written."""
    def ids(text: str) -> list[int]:
        return list(tokenizer(text, add_special_tokens=False)["input_ids"])

    return ids(f"f{PAD}ür Gr{PAD}üße") == ids("für Grüße")


def encode(tokenizer: PreTrainedTokenizerBase | FastTokenizer, text: str) -> Encoded:
    """Tokenize `text` without special tokens or truncation, keeping character offsets; the
    model reads umlauts written out as umlauts where its tokenizer allows
    (`spelling.umlauts_read`)."""
    read = umlauts_read(text) if _drops_pad(tokenizer) else text
    enc = tokenizer(read, add_special_tokens=False, return_offsets_mapping=True,
                    truncation=False, verbose=False)
    ids: list[int] = enc["input_ids"]
    offsets: list[tuple[int, int]] = enc["offset_mapping"]
    words = enc.word_ids()
    word_of: list[int] = []
    first_token: list[int] = []
    word_start: list[int] = []
    word_end: list[int] = []
    previous: int | None = None
    for i, w in enumerate(words):
        if w is None:  # cannot happen without special tokens; keep ids aligned anyway
            w = previous if previous is not None else 0
        if w != previous:
            first_token.append(i)
            word_start.append(offsets[i][0])
            word_end.append(offsets[i][1])
            previous = w
        else:
            word_end[-1] = offsets[i][1]
        word_of.append(len(first_token) - 1)
    return Encoded(ids, word_of, first_token, word_start, word_end)


def windows(n_tokens: int, *, max_length: int, stride: int) -> list[tuple[int, int]]:
    """Overlapping `[start, end)` token windows covering `n_tokens` sub-words.

    Each window leaves room for [CLS] and [SEP]; consecutive windows overlap by `stride`
    tokens so that every token is seen with context on both sides in some window.
    """
    size = max_length - 2
    if size <= 0:
        raise ValueError("max_length must be at least 3")
    if n_tokens <= size:
        return [(0, n_tokens)]
    step = max(1, size - stride)
    out: list[tuple[int, int]] = []
    start = 0
    while True:
        end = min(start + size, n_tokens)
        out.append((start, end))
        if end == n_tokens:
            return out
        start += step
