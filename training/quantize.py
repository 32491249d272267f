"""`stayform quantize`: the model folder's token classifier as int8 ONNX, and what that costs.

Three steps, each with the library made for it:
1. export the PyTorch model to ONNX with `torch.onnx.export`: the TorchScript exporter, with
   the model's eager attention (batch and length stay dynamic, and the example batch is padded
   so the attention mask is traced as data, not as a constant). Its graph is the plain
   MatMul/Softmax pattern that ONNX Runtime fuses and quantizes whole: on the 2-core CPU its
   int8 model read 177-196 dev emails/s where the dynamo exporter's read 123-135 (PyTorch:
   86-91), with sdpa or eager attention alike (BENCHMARKS.md, tenth session);
2. quantize its weights to int8 with ONNX Runtime's `quantize_dynamic` (activations are
   scaled per batch at run time: no calibration set needed);
3. measure both on dev through the whole extractor (the same `evaluate_results` that
   `stayform evaluate` prints) and record the micro F1 lost in `model.int8.json`.

The runtime (extractor/onnx_runtime.py) reads that record and refuses the int8 model when it
loses more than 0.5 points or was made from other weights. The test split is not read here:
`stayform evaluate` scores it (with STAYFORM_RUNTIME=onnx-int8 for the int8 model).
"""

from __future__ import annotations

import datetime as dt
import json
import logging
import os
import tempfile
import warnings
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from annotations.schema import AnnotatedEmail, read_jsonl
from extractor import onnx_runtime
from extractor.fast_tokenizer import FastTokenizer
from extractor.model import TokenTagger, check_model_dir
from extractor.onnx_runtime import INT8_FILE, MAX_LOSS_POINTS, REPORT_FILE
from extractor.pipeline import Extractor
from training.evaluate import evaluate_results
from training.finish import prepared

log = logging.getLogger("stayform.quantize")

DEFAULT_DEV = Path("data/corpus/dev.jsonl")
OPSET = 18


@dataclass(frozen=True)
class QuantizeResult:
    """Where the int8 model went and what it measured (`report` is model.int8.json)."""

    path: Path
    report: dict[str, Any]

    @property
    def usable(self) -> bool:
        return bool(self.report.get("usable"))


def export_onnx(model_dir: Path, out: Path) -> None:
    """Export the PyTorch token classifier of `model_dir` to an fp32 ONNX file `out`
    taking (input_ids, attention_mask) of any batch size and length and giving logits."""
    import torch
    from transformers import AutoModelForTokenClassification

    model = AutoModelForTokenClassification.from_pretrained(
        model_dir, local_files_only=True, use_safetensors=True, trust_remote_code=False,
        attn_implementation="eager")
    model.eval()

    class Logits(torch.nn.Module):
        """The model with the two inputs the runtime feeds and the one output it reads."""

        def __init__(self, inner: torch.nn.Module) -> None:
            super().__init__()
            self.inner = inner

        def forward(self, input_ids: torch.Tensor, attention_mask: torch.Tensor
                    ) -> torch.Tensor:
            return self.inner(input_ids=input_ids, attention_mask=attention_mask).logits

    # two rows, the second padded: a mask of ones could be traced away as "no mask"
    ids = torch.full((2, 12), model.config.pad_token_id or 0, dtype=torch.long)
    mask = torch.zeros_like(ids)
    ids[0, :] = 1000
    ids[1, :7] = 1000
    mask[0, :] = 1
    mask[1, :7] = 1
    axes = {name: {0: "batch", 1: "tokens"} for name in (*onnx_runtime.INPUT_NAMES, "logits")}
    with torch.inference_mode(), warnings.catch_warnings():
        # the TorchScript exporter is deprecated in favour of dynamo, whose graph quantizes worse
        warnings.simplefilter("ignore", DeprecationWarning)
        warnings.simplefilter("ignore", torch.jit.TracerWarning)
        # the masking code's index is never negative; the dev loss measured below would show it
        warnings.filterwarnings("ignore", message="Exporting aten::index operator")
        torch.onnx.export(Logits(model).eval(), (ids, mask), str(out), dynamo=False,
                          input_names=list(onnx_runtime.INPUT_NAMES), output_names=["logits"],
                          dynamic_axes=axes, opset_version=OPSET, verbose=False)


def quantize_int8(fp32: Path, out: Path) -> None:
    """Dynamic int8 quantization of `fp32`'s weights (per output channel: one scale per row
    keeps the small classifier head close to its float values)."""
    from onnxruntime.quantization import QuantType, quantize_dynamic

    quantize_dynamic(str(fp32), str(out), weight_type=QuantType.QInt8, per_channel=True)


def dev_f1(extractor: Extractor, tagger: TokenTagger, dev: Sequence[AnnotatedEmail]
           ) -> dict[str, float]:
    """Micro F1 of the whole extractor on `dev` with `tagger` as its model, per origin and
    over all (`all`)."""
    extractor.tagger = tagger
    reports = evaluate_results(extractor.extract_prepared(prepared(dev)), dev)
    return {origin: round(report.micro().f1, 5) for origin, report in reports.items()}


def measure_loss(model_dir: Path, int8: Path, dev: Sequence[AnnotatedEmail]) -> dict[str, Any]:
    """Dev micro F1 of the PyTorch model and of the int8 file `int8`, and the points lost."""
    extractor = Extractor.load(model_dir)
    temperature = extractor.tagger.temperature
    torch_tagger = TokenTagger.load(model_dir, temperature=temperature, runtime="torch")
    int8_tagger = TokenTagger(
        onnx_runtime.OnnxTokenClassifier(int8, id2label=onnx_runtime.id2label(model_dir)),
        FastTokenizer.load(model_dir), temperature=temperature)
    f1_torch = dev_f1(extractor, torch_tagger, dev)
    f1_int8 = dev_f1(extractor, int8_tagger, dev)
    loss = round(100 * (f1_torch["all"] - f1_int8["all"]), 3)
    return {"dev_emails": len(dev), "dev_micro_f1": {"torch": f1_torch, "onnx-int8": f1_int8},
            "loss_points": loss}


def quantize_model(model_dir: str | Path, *, dev_files: Sequence[str | Path] = (DEFAULT_DEV,)
                   ) -> QuantizeResult:
    """Write `model.int8.onnx` and `model.int8.json` into `model_dir` (raises ModelLoadError
    for a folder that is not a model, OSError for files that cannot be read or written)."""
    import onnxruntime

    model_dir = Path(model_dir)
    check_model_dir(model_dir)
    dev = [e for f in dev_files if Path(f).is_file() for e in read_jsonl(f)]
    report_path = model_dir / REPORT_FILE
    report_path.unlink(missing_ok=True)  # no report may vouch for a file it did not measure
    with tempfile.TemporaryDirectory(prefix=".onnx-", dir=model_dir) as tmp:
        fp32 = Path(tmp) / "model.fp32.onnx"
        int8 = Path(tmp) / INT8_FILE
        log.info("exporting %s to ONNX", model_dir)
        export_onnx(model_dir, fp32)
        log.info("quantizing to int8")
        quantize_int8(fp32, int8)
        report: dict[str, Any] = {
            "file": INT8_FILE, "created": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
            "onnxruntime": onnxruntime.__version__, "opset": OPSET,
            "weights": onnx_runtime.weights_fingerprint(model_dir),
            "max_loss_points": MAX_LOSS_POINTS, "dev_files": [str(f) for f in dev_files],
        }
        if dev:
            log.info("measuring on %d dev emails", len(dev))
            report.update(measure_loss(model_dir, int8, dev))
        else:
            report.update({"dev_emails": 0, "dev_micro_f1": None, "loss_points": None})
        loss = report["loss_points"]
        report["usable"] = loss is not None and loss <= MAX_LOSS_POINTS
        os.replace(int8, model_dir / INT8_FILE)
    report_path.write_text(json.dumps(report, indent=2) + "\n", encoding="utf-8")
    return QuantizeResult(model_dir / INT8_FILE, report)


def describe(result: QuantizeResult) -> list[str]:
    """What `stayform quantize` (and `train` with export_int8) prints about `result`."""
    report = result.report
    lines = [f"wrote {result.path} ({result.path.stat().st_size / 1e6:.1f} MB)"]
    if report["loss_points"] is None:
        return [*lines, "no dev set: the loss was not measured, so the int8 model is not "
                        "used; give one with --data"]
    f1 = report["dev_micro_f1"]
    lines.append(f"dev micro F1 ({report['dev_emails']} emails): torch "
                 f"{f1['torch']['all']:.4f}, onnx-int8 {f1['onnx-int8']['all']:.4f}, loss "
                 f"{report['loss_points']:.2f} points (limit {MAX_LOSS_POINTS})")
    if result.usable:
        return [*lines, "use it with STAYFORM_RUNTIME=onnx-int8"]
    return [*lines, "over the limit: STAYFORM_RUNTIME=onnx-int8 will keep running PyTorch"]


def run_quantize(args: Any) -> int:
    """`stayform quantize [--model DIR] [--data FILE]`: write the int8 model and say what it
    costs; exit 1 when it cannot be used (the file is kept, and refused at load)."""
    from extractor.model import ModelLoadError
    from stayform.cli import UserError
    from stayform.paths import resolve_model_dir

    logging.basicConfig(level=logging.WARNING, format="%(message)s")
    logging.getLogger("stayform").setLevel(logging.INFO)
    model_dir = resolve_model_dir(args.model)
    data = Path(args.data) if args.data else DEFAULT_DEV
    if args.data and not data.is_file():
        raise UserError(f"{data}: no such annotation file")
    try:
        result = quantize_model(model_dir, dev_files=[data])
    except ModelLoadError as e:
        raise UserError(str(e)) from e
    print("\n".join(describe(result)))
    return 0 if result.usable else 1
