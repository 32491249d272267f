"""The fine-tuned token classifier: loading it safely and scoring texts in batches.

A model folder is what `stayform train` writes: Hugging Face config + safetensors weights +
tokenizer, and `calibration.json`. Pickled weights are refused, never loaded; remote code is
never run; nothing is downloaded.

Two runtimes read a folder (`STAYFORM_RUNTIME`): `torch`, the PyTorch model, and `onnx-int8`,
its int8 ONNX export (extractor/onnx_runtime.py), which is used only where its measured loss
allows and otherwise falls back to torch with a log line. Both give logits per token; every
step after `logits` is the same. torch and transformers are imported only by the torch
runtime: they are most of a cold start.
"""

from __future__ import annotations

import json
import logging
import math
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np

from extractor import onnx_runtime
from extractor.encoding import Encoded, encode, windows
from extractor.onnx_runtime import OnnxTokenClassifier
from extractor.tags import INTENT_TAGS, LABELS, N_BIO

if TYPE_CHECKING:
    from transformers import PreTrainedModel, PreTrainedTokenizerBase

    from extractor.fast_tokenizer import FastTokenizer

log = logging.getLogger("stayform.model")

CPU_BATCH_TOKENS = 1024
GPU_BATCH_TOKENS = 32768
PICKLE_SUFFIXES = (".bin", ".pt", ".pth", ".pkl", ".ckpt")
RUNTIMES = ("torch", "onnx-int8")


class ModelLoadError(RuntimeError):
    """The model folder is missing, incomplete, corrupt, or holds only pickle weights."""


@dataclass(frozen=True, slots=True)
class TextScores:
    """The model's view of one text: per-word BIO probabilities and intent probabilities."""

    word_start: np.ndarray  # (n_words,) character offsets
    word_end: np.ndarray
    word_probs: np.ndarray  # (n_words, N_BIO), rows sum to 1
    intent_probs: np.ndarray  # (len(INTENTS),)


def check_model_dir(model_dir: Path) -> None:
    """Raise ModelLoadError unless `model_dir` holds a loadable safetensors model."""
    if not model_dir.is_dir():
        raise ModelLoadError(
            f"model folder {model_dir} not found: train one with `stayform train` "
            "or set STAYFORM_MODEL_DIR")
    if not (model_dir / "config.json").is_file():
        raise ModelLoadError(f"model folder {model_dir} has no config.json")
    if not list(model_dir.glob("*.safetensors")):
        pickles = [p.name for p in model_dir.iterdir() if p.suffix in PICKLE_SUFFIXES]
        if pickles:
            raise ModelLoadError(
                f"model folder {model_dir} holds only pickle weights ({', '.join(pickles)}); "
                "stayform never loads pickles: save the model as safetensors")
        raise ModelLoadError(f"model folder {model_dir} has no safetensors weights")


def check_weights(model_dir: Path) -> None:
    """Raise ModelLoadError unless `model_dir`'s config names this stayform's labels and its
    safetensors files open: what loading the network would refuse, found from the files'
    headers in milliseconds (the batch command checks so before its workers load it)."""
    from safetensors import SafetensorError, safe_open

    check_model_dir(model_dir)
    try:
        config = json.loads((model_dir / "config.json").read_text(encoding="utf-8"))
        id2label = {int(k): v for k, v in dict(config.get("id2label") or {}).items()}
        for path in sorted(model_dir.glob("*.safetensors")):
            with safe_open(str(path), framework="numpy") as weights:
                weights.keys()
    except (OSError, ValueError, TypeError, AttributeError, SafetensorError) as e:
        raise ModelLoadError(f"model folder {model_dir} cannot be loaded: {e}") from e
    if tuple(id2label.get(i) for i in range(len(id2label))) != LABELS:
        raise ModelLoadError("the model was trained for other labels than this stayform")


def load_modules(model_dir: Path, runtime: str) -> list[str]:
    """The modules that loading `model_dir` under `runtime` imports, beyond the extractor's
    own: under torch, transformers' auto classes and the folder's architecture (most of a
    worker's start: about 2 s of a 2.5 s load on a 2-core CPU); under int8, ONNX Runtime and
    the tokenizer. What a server that forks the batch workers imports once for all of them
    (`extractor.workers.worker_context`); a module that cannot be imported is skipped there."""
    if runtime == "onnx-int8" and onnx_runtime.unusable_reason(model_dir) is None:
        return ["onnxruntime", "extractor.fast_tokenizer"]
    modules = ["transformers.modeling_utils", "transformers.models.auto.modeling_auto",
               "transformers.models.auto.tokenization_auto"]
    try:
        model_type = json.loads((model_dir / "config.json").read_text(encoding="utf-8")
                                ).get("model_type")
    except (OSError, ValueError, AttributeError):
        model_type = None
    if isinstance(model_type, str) and model_type.isidentifier():
        modules.append(f"transformers.models.{model_type}.modeling_{model_type}")
    return modules


class TokenTagger:
    """Scores texts with the token classifier; thread-compatible, not thread-safe."""

    def __init__(self, model: PreTrainedModel | OnnxTokenClassifier,
                 tokenizer: PreTrainedTokenizerBase | FastTokenizer, *,
                 temperature: float = 1.0, max_length: int = 256, stride: int = 64) -> None:
        id2label: dict = (model.id2label if isinstance(model, OnnxTokenClassifier)
                          else dict(model.config.id2label or {}))
        labels = [id2label.get(i) for i in range(len(id2label))]
        if tuple(labels) != LABELS:
            raise ModelLoadError("the model was trained for other labels than this stayform")
        if not math.isfinite(temperature) or temperature <= 0:
            raise ModelLoadError("calibration temperature must be a positive number")
        self.model = model
        self.tokenizer = tokenizer
        self.device: Any = "cpu"  # a torch.device under torch
        self.runtime = "onnx-int8"
        if not isinstance(model, OnnxTokenClassifier):
            self.runtime = "torch"
            self.device = next(model.parameters()).device
        device_type = self.device if isinstance(self.device, str) else self.device.type
        self.temperature = temperature
        self.max_length = max_length
        self.stride = stride
        # padded tokens per forward pass: what a CPU's caches like, far more on a GPU
        self.max_tokens = CPU_BATCH_TOKENS if device_type == "cpu" else GPU_BATCH_TOKENS
        self.cls_id = tokenizer.cls_token_id
        self.sep_id = tokenizer.sep_token_id
        self.pad_id = tokenizer.pad_token_id or 0

    @classmethod
    def load(cls, model_dir: str | Path, *, temperature: float = 1.0, max_length: int = 256,
             stride: int = 64, device: str | None = None, runtime: str | None = None
             ) -> TokenTagger:
        """Load a model folder written by `stayform train` (raises ModelLoadError).

        `runtime` is `torch` or `onnx-int8` (default: the STAYFORM_RUNTIME setting); an
        int8 model that is missing, stale or loses too much falls back to torch, logged."""
        model_dir = Path(model_dir)
        check_model_dir(model_dir)
        if runtime is None:
            from stayform.settings import get_settings

            runtime = get_settings().runtime
        if runtime not in RUNTIMES:
            raise ModelLoadError(f"unknown runtime {runtime!r}: one of {', '.join(RUNTIMES)}")
        if runtime == "onnx-int8":
            reason = onnx_runtime.unusable_reason(model_dir)
            if reason is None:
                return cls._load_onnx(model_dir, temperature=temperature,
                                      max_length=max_length, stride=stride)
            log.warning("runtime onnx-int8 not used, running the PyTorch model: %s", reason)
        return cls._load_torch(model_dir, temperature=temperature, max_length=max_length,
                               stride=stride, device=device)

    @classmethod
    def _load_onnx(cls, model_dir: Path, *, temperature: float, max_length: int,
                   stride: int) -> TokenTagger:
        from extractor.fast_tokenizer import FastTokenizer

        try:
            tokenizer = FastTokenizer.load(model_dir)
            model = OnnxTokenClassifier(model_dir / onnx_runtime.INT8_FILE,
                                        id2label=onnx_runtime.id2label(model_dir))
        except Exception as e:  # noqa: BLE001 - onnxruntime raises its own error types
            raise ModelLoadError(f"{model_dir}/{onnx_runtime.INT8_FILE} cannot be loaded: "
                                 f"{e}") from e
        return cls(model, tokenizer, temperature=temperature, max_length=max_length,
                   stride=stride)

    @classmethod
    def _load_torch(cls, model_dir: Path, *, temperature: float, max_length: int,
                    stride: int, device: str | None) -> TokenTagger:
        import torch
        from safetensors import SafetensorError
        from transformers import AutoModelForTokenClassification, AutoTokenizer
        from transformers import logging as hf_logging

        hf_logging.disable_progress_bar()  # no 'Loading weights' bars in batch output
        try:
            tokenizer = AutoTokenizer.from_pretrained(model_dir, local_files_only=True)
            model = AutoModelForTokenClassification.from_pretrained(
                model_dir, local_files_only=True, use_safetensors=True, trust_remote_code=False)
        except (OSError, ValueError, RuntimeError, KeyError, SafetensorError) as e:
            raise ModelLoadError(f"model folder {model_dir} cannot be loaded: {e}") from e
        dev = torch.device(device or ("cuda" if torch.cuda.is_available() else "cpu"))
        model.to(dev).eval()
        return cls(model, tokenizer, temperature=temperature, max_length=max_length,
                   stride=stride)

    def raw_logits(self, texts: list[str], *, batch_size: int = 32
                   ) -> tuple[list[np.ndarray], list[np.ndarray]]:
        """Untempered per-word BIO logits and [CLS] intent logits, for fitting a temperature."""
        t, self.temperature = self.temperature, 1.0
        try:
            return self.logits(texts, batch_size=batch_size)
        finally:
            self.temperature = t

    def score(self, texts: list[str], *, batch_size: int = 32) -> list[TextScores]:
        """Score `texts`; long texts are cut into overlapping windows and stitched back."""
        encoded = [encode(self.tokenizer, t) for t in texts]
        word_logits, intent_logits = self.logits(texts, batch_size=batch_size, encoded=encoded)
        return [
            TextScores(word_start=np.asarray(enc.word_start, dtype=np.int64),
                       word_end=np.asarray(enc.word_end, dtype=np.int64),
                       word_probs=softmax(w).astype(np.float32),
                       intent_probs=softmax(c[None, :])[0].astype(np.float32))
            for enc, w, c in zip(encoded, word_logits, intent_logits, strict=True)
        ]

    def logits(self, texts: list[str], *, batch_size: int, encoded: list[Encoded] | None = None
                ) -> tuple[list[np.ndarray], list[np.ndarray]]:
        """Per text: tempered word logits (n_words, N_BIO) and intent logits."""
        if encoded is None:
            encoded = [encode(self.tokenizer, t) for t in texts]
        # every window of every text, tagged with (text index, token offset)
        jobs: list[tuple[int, int, list[int]]] = []
        for i, enc in enumerate(encoded):
            for start, end in windows(len(enc.input_ids), max_length=self.max_length,
                                      stride=self.stride):
                jobs.append((i, start, enc.input_ids[start:end]))
        # longest first so batches pad little
        order = sorted(range(len(jobs)), key=lambda j: -len(jobs[j][2]))
        token_logits: list[np.ndarray | None] = [None] * len(jobs)
        cls_logits: list[np.ndarray | None] = [None] * len(jobs)
        for rows in self._batches([len(jobs[j][2]) + 2 for j in order], batch_size):
            batch = [jobs[order[k]] for k in rows]
            width = max(len(ids) for _, _, ids in batch) + 2
            input_ids = np.full((len(batch), width), self.pad_id, dtype=np.int64)
            mask = np.zeros((len(batch), width), dtype=np.int64)
            for r, (_, _, ids) in enumerate(batch):
                row = [self.cls_id, *ids, self.sep_id]
                input_ids[r, : len(row)] = row
                mask[r, : len(row)] = 1
            logits = self._forward(input_ids, mask) / np.float32(self.temperature)
            for r, k in enumerate(rows):
                j = order[k]
                ids = jobs[j][2]
                token_logits[j] = logits[r, 1 : 1 + len(ids), :N_BIO]
                cls_logits[j] = logits[r, 0, N_BIO:]
        return self._stitch(encoded, jobs, token_logits, cls_logits)

    def _forward(self, input_ids: np.ndarray, mask: np.ndarray) -> np.ndarray:
        """One padded batch through the model: float32 logits (rows, width, labels)."""
        if isinstance(self.model, OnnxTokenClassifier):
            return self.model(input_ids, mask)
        import torch

        with torch.inference_mode():
            logits = self.model(input_ids=torch.from_numpy(input_ids).to(self.device),
                                attention_mask=torch.from_numpy(mask).to(self.device)).logits
            return logits.float().cpu().numpy()

    def _batches(self, widths: list[int], max_rows: int) -> list[range]:
        """Consecutive rows of `widths` (sorted longest first) cut into batches of at most
        `max_rows` rows and `max_tokens` padded tokens: long windows go a few at a time,
        short ones many (on a CPU a batch of 16 long windows beats 32; chat-length ones
        want more)."""
        out: list[range] = []
        start = 0
        while start < len(widths):
            rows = max(1, min(max_rows, self.max_tokens // max(1, widths[start])))
            out.append(range(start, min(len(widths), start + rows)))
            start += rows
        return out

    def _stitch(self, encoded: list[Encoded], jobs: list[tuple[int, int, list[int]]],
                token_logits: list[np.ndarray | None], cls_logits: list[np.ndarray | None]
                ) -> tuple[list[np.ndarray], list[np.ndarray]]:
        words_out: list[np.ndarray] = []
        intents_out: list[np.ndarray] = []
        by_text: dict[int, list[int]] = {}
        for j, (i, _, _) in enumerate(jobs):
            by_text.setdefault(i, []).append(j)
        for i, enc in enumerate(encoded):
            n = len(enc.input_ids)
            best = np.full(n, -1.0)
            tok = np.zeros((n, N_BIO), dtype=np.float32)
            intents: list[np.ndarray] = []
            for j in by_text.get(i, []):
                _, start, ids = jobs[j]
                logits = token_logits[j]
                assert logits is not None
                # a token's best window is the one where it sits farthest from an edge
                pos = np.arange(len(ids))
                centrality = np.minimum(pos, len(ids) - 1 - pos).astype(float)
                sl = slice(start, start + len(ids))
                take = centrality > best[sl]
                tok[sl][take] = logits[take]
                best[sl] = np.maximum(best[sl], centrality)
                cls = cls_logits[j]
                assert cls is not None
                intents.append(cls)
            word_logits = tok[enc.first_token] if n else np.zeros((0, N_BIO), dtype=np.float32)
            intent_logits = (np.mean(intents, axis=0) if intents
                             else np.zeros(len(INTENT_TAGS), dtype=np.float32))
            words_out.append(word_logits)
            intents_out.append(intent_logits)
        return words_out, intents_out


def softmax(x: np.ndarray) -> np.ndarray:
    """Softmax over the last axis, in the input's precision (empty in, empty out)."""
    if x.size == 0:
        return x
    z = x - x.max(axis=-1, keepdims=True)
    e = np.exp(z)
    return e / e.sum(axis=-1, keepdims=True)
