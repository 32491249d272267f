"""The int8 ONNX Runtime path: the token classifier as `model.int8.onnx`, run without torch.

`stayform quantize` (training/quantize.py) exports the fine-tuned model of a folder to ONNX,
quantizes its weights to int8 (dynamic quantization: activations stay float, scaled per
batch) and measures what that costs on dev; `model.int8.json` beside it records the
measurement and the weights it was made from. With `STAYFORM_RUNTIME=onnx-int8`,
`TokenTagger.load` runs this file instead of the PyTorch model, unless `unusable_reason` says
why not (no file, never measured, more than `MAX_LOSS_POINTS` of dev micro F1 lost, or made
from other weights): then it logs that reason and keeps PyTorch.

The session gives the same thing the PyTorch model does, logits per token, so everything after
the model is unchanged.
"""

from __future__ import annotations

import hashlib
import json
import os
import sys
from functools import lru_cache
from pathlib import Path
from typing import Any

import numpy as np

INT8_FILE = "model.int8.onnx"
REPORT_FILE = "model.int8.json"
WEIGHTS_FILE = "model.safetensors"
# the most dev micro F1 (in points: 0.5 = 0.005) int8 may lose and still be used (issue 19)
MAX_LOSS_POINTS = 0.5
INPUT_NAMES = ("input_ids", "attention_mask")


def weights_fingerprint(model_dir: Path) -> dict[str, Any]:
    """Size, modification time and SHA-256 of the folder's safetensors weights."""
    path = model_dir / WEIGHTS_FILE
    stat = path.stat()
    return {"size": stat.st_size, "mtime_ns": stat.st_mtime_ns,
            "sha256": _sha256(str(path.resolve()), stat.st_size, stat.st_mtime_ns)}


@lru_cache(maxsize=8)
def _sha256(path: str, size: int, mtime_ns: int) -> str:
    """The file's SHA-256, read once per size and modification time: `extract` checks the
    int8 model before deciding on torch and again when loading it."""
    with open(path, "rb") as f:
        return hashlib.file_digest(f, "sha256").hexdigest()


def _same_weights(model_dir: Path, recorded: dict[str, Any]) -> bool:
    """Whether `model.safetensors` is still the file the export read. Size and time decide
    when they match (no 90 MB read at start-up); a copied folder's new times fall back to the
    hash."""
    path = model_dir / WEIGHTS_FILE
    if not path.is_file():
        return False
    stat = path.stat()
    if stat.st_size != recorded.get("size"):
        return False
    if stat.st_mtime_ns == recorded.get("mtime_ns"):
        return True
    return bool(weights_fingerprint(model_dir)["sha256"] == recorded.get("sha256"))


def read_report(model_dir: Path) -> dict[str, Any] | None:
    """`model.int8.json` of `model_dir`, or None when there is none (or it is not JSON)."""
    try:
        report = json.loads((model_dir / REPORT_FILE).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    return report if isinstance(report, dict) else None


def unusable_reason(model_dir: Path) -> str | None:
    """Why the int8 model of `model_dir` must not be used; None when it may."""
    if not (model_dir / INT8_FILE).is_file():
        return f"{model_dir} has no {INT8_FILE} (make it with `stayform quantize`)"
    report = read_report(model_dir)
    if report is None:
        return f"{model_dir} has no readable {REPORT_FILE}: what int8 costs was never measured"
    loss = report.get("loss_points")
    if not isinstance(loss, int | float):
        return f"{REPORT_FILE} records no dev F1 loss (no dev set at export)"
    if loss > MAX_LOSS_POINTS:
        return (f"int8 loses {loss:.2f} points of dev micro F1, over the "
                f"{MAX_LOSS_POINTS} limit")
    if not _same_weights(model_dir, report.get("weights") or {}):
        return f"{INT8_FILE} was made from other weights than {WEIGHTS_FILE} (re-run quantize)"
    return None


def keep_torch_out(model_dir: Path) -> bool:
    """Keep PyTorch out of a process that will read with the int8 model of `model_dir`, so that
    `stayform extract`'s first result does not wait for it: spaCy's thinc imports torch
    whenever it is installed, only to offer it as a backend (about 2 s on a quiet 2-core CPU),
    and nothing on the int8 path uses it. A None entry in `sys.modules` is Python's documented
    way to make `import torch` fail, and thinc takes the ImportError for "not installed".
    Does nothing, and returns False, when torch is loaded already or the int8 model would be
    refused (PyTorch then reads instead)."""
    if "torch" in sys.modules or unusable_reason(model_dir) is not None:
        return False
    sys.modules["torch"] = None  # type: ignore[assignment]
    return True


def _threads() -> int:
    """Threads per forward pass: the count a batch worker gave torch when torch is loaded
    (one per worker process), else OMP_NUM_THREADS, else 0 (ONNX Runtime's own choice)."""
    torch = sys.modules.get("torch")
    if torch is not None:
        return int(torch.get_num_threads())
    try:
        return max(0, int(os.environ.get("OMP_NUM_THREADS", "0")))
    except ValueError:
        return 0


class OnnxTokenClassifier:
    """An ONNX token classifier: (input_ids, attention_mask) int64 arrays in, logits out."""

    device_type = "cpu"

    def __init__(self, path: Path, *, id2label: dict[int, str],
                 threads: int | None = None) -> None:
        import onnxruntime as ort

        options = ort.SessionOptions()
        options.intra_op_num_threads = _threads() if threads is None else threads
        options.inter_op_num_threads = 1
        options.graph_optimization_level = ort.GraphOptimizationLevel.ORT_ENABLE_ALL
        self.session = ort.InferenceSession(str(path), options,
                                            providers=["CPUExecutionProvider"])
        names = tuple(i.name for i in self.session.get_inputs())
        if names != INPUT_NAMES:
            raise ValueError(f"{path.name} takes {names}, not {INPUT_NAMES}")
        self.path = path
        self.id2label = id2label

    def __call__(self, input_ids: np.ndarray, attention_mask: np.ndarray) -> np.ndarray:
        """Logits (batch, tokens, labels), float32."""
        out = self.session.run(None, {"input_ids": input_ids.astype(np.int64, copy=False),
                                      "attention_mask": attention_mask.astype(np.int64,
                                                                              copy=False)})
        return np.asarray(out[0], dtype=np.float32)


def id2label(model_dir: Path) -> dict[int, str]:
    """The label map saved in `model_dir/config.json` (read without transformers)."""
    config = json.loads((model_dir / "config.json").read_text(encoding="utf-8"))
    return {int(k): str(v) for k, v in (config.get("id2label") or {}).items()}
