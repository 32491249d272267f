"""A model folder's tokenizer read with the `tokenizers` library alone.

`transformers.AutoTokenizer` imports torch (about 3 s on a 2-core CPU) even when only the Rust
tokenizer inside it is used. The ONNX runtime (extractor/onnx_runtime.py) needs no torch, so it
reads `tokenizer.json` directly; this class answers the one call `extractor.encoding.encode`
makes, with the same ids, offsets and word ids (tests/extractor/test_onnx_runtime.py compares
the two on the corpus' texts).
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from tokenizers import Encoding, Tokenizer


class FastEncoding(dict[str, Any]):
    """What `tokenizer(text, return_offsets_mapping=True)` returns: ids, offsets, word ids."""

    def __init__(self, encoding: Encoding) -> None:
        super().__init__(input_ids=encoding.ids, offset_mapping=encoding.offsets)
        self._word_ids = encoding.word_ids

    def word_ids(self) -> list[int | None]:
        return list(self._word_ids)


class FastTokenizer:
    """The tokenizer of a model folder, from `tokenizer.json` and `tokenizer_config.json`."""

    def __init__(self, tokenizer: Tokenizer, special: dict[str, str]) -> None:
        self._tokenizer = tokenizer
        self._tokenizer.no_truncation()
        self._tokenizer.no_padding()
        self.cls_token_id = self._id(special.get("cls_token", "[CLS]"))
        self.sep_token_id = self._id(special.get("sep_token", "[SEP]"))
        self.pad_token_id = self._id(special.get("pad_token", "[PAD]"))

    @classmethod
    def load(cls, model_dir: Path) -> FastTokenizer:
        """Read `model_dir/tokenizer.json` (raises OSError or ValueError when it cannot)."""
        tokenizer = Tokenizer.from_file(str(model_dir / "tokenizer.json"))
        config_path = model_dir / "tokenizer_config.json"
        config = (json.loads(config_path.read_text(encoding="utf-8"))
                  if config_path.is_file() else {})
        special = {k: v for k, v in config.items()
                   if k in ("cls_token", "sep_token", "pad_token") and isinstance(v, str)}
        return cls(tokenizer, special)

    def _id(self, token: str) -> int:
        found = self._tokenizer.token_to_id(token)
        if found is None:
            raise ValueError(f"the tokenizer has no {token} token")
        return found

    def __call__(self, text: str, *, add_special_tokens: bool = False,
                 return_offsets_mapping: bool = True, truncation: bool = False,
                 verbose: bool = False) -> FastEncoding:
        """Tokenize one text as `encode()` asks: no special tokens, no truncation."""
        if truncation:
            raise ValueError("FastTokenizer never truncates: windows cut long texts")
        return FastEncoding(self._tokenizer.encode(text, add_special_tokens=add_special_tokens))
