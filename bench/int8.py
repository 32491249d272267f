"""Benchmark: the token classifier under PyTorch against its int8 ONNX export (issue 19).

In one run, on the same dev emails, the same batch size and the same thread count: the
model-only rate (`TokenTagger.logits`, emails/s, median of --repeats interleaved runs) of each
runtime, and the micro F1 of the whole extractor with each, per origin (hand-written,
generated) and over all. Goals: int8 >= 1.8x the PyTorch rate, <= 0.5 points F1 lost. Not a
test: it prints figures for BENCHMARKS.md.

    stayform quantize --model DIR           # writes DIR/model.int8.onnx first
    python bench/int8.py --model DIR [--threads 2] [--repeats 3] [--test data/corpus/test.jsonl]

`--test` also scores a second annotated file (the loss on test is reported, never used to
choose anything).
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--model", default=str(ROOT / "models" / "default"))
    ap.add_argument("--data", default=str(ROOT / "data" / "corpus" / "dev.jsonl"))
    ap.add_argument("--test", help="also score this annotated file (reported only)")
    ap.add_argument("--repeats", type=int, default=3)
    ap.add_argument("--batch-size", type=int, default=32)
    ap.add_argument("--threads", type=int, default=2)
    ap.add_argument("--json", help="also write the figures to this file")
    args = ap.parse_args()

    os.environ["OMP_NUM_THREADS"] = str(args.threads)
    import torch

    torch.set_num_threads(args.threads)  # the ONNX session takes torch's count too

    from annotations.schema import read_jsonl
    from extractor import onnx_runtime
    from extractor.fast_tokenizer import FastTokenizer
    from extractor.model import TokenTagger
    from extractor.pipeline import Extractor
    from training.quantize import dev_f1

    model_dir = Path(args.model)
    extractor = Extractor.load(model_dir)
    temperature = extractor.tagger.temperature
    taggers = {
        "torch": TokenTagger.load(model_dir, temperature=temperature, runtime="torch"),
        # built directly, not through the gate: the bench measures a refused file too
        "onnx-int8": TokenTagger(
            onnx_runtime.OnnxTokenClassifier(model_dir / onnx_runtime.INT8_FILE,
                                             id2label=onnx_runtime.id2label(model_dir),
                                             threads=args.threads),
            FastTokenizer.load(model_dir), temperature=temperature),
    }
    dev = list(read_jsonl(args.data))
    texts = [e.text for e in dev]
    rates: dict[str, list[float]] = {name: [] for name in taggers}
    for tagger in taggers.values():
        tagger.logits(texts[:16], batch_size=args.batch_size)  # warm-up
    for _ in range(args.repeats):  # interleaved, so that drift hits both alike
        for name, tagger in taggers.items():
            t = time.perf_counter()
            tagger.logits(texts, batch_size=args.batch_size)
            rates[name].append(len(texts) / (time.perf_counter() - t))
    rate = {name: round(statistics.median(r), 1) for name, r in rates.items()}
    f1 = {name: dev_f1(extractor, tagger, dev) for name, tagger in taggers.items()}
    figures: dict = {
        "date": time.strftime("%Y-%m-%d"),
        "machine": f"{platform.machine()} {os.cpu_count()} cores, {args.threads} threads",
        "emails": len(texts), "runs": args.repeats, "batch_size": args.batch_size,
        "model_only_emails_per_s": rate,
        "speed-up": round(rate["onnx-int8"] / rate["torch"], 2),
        "micro_f1": f1,
        "loss_points": {k: round(100 * (f1["torch"][k] - f1["onnx-int8"][k]), 2)
                        for k in f1["torch"]},
        "gate": onnx_runtime.unusable_reason(model_dir) or "usable",
    }
    if args.test:
        test = list(read_jsonl(args.test))
        tf1 = {name: dev_f1(extractor, tagger, test) for name, tagger in taggers.items()}
        figures["test"] = {"emails": len(test), "micro_f1": tf1,
                           "loss_points": {k: round(100 * (tf1["torch"][k]
                                                           - tf1["onnx-int8"][k]), 2)
                                           for k in tf1["torch"]}}
    print(json.dumps(figures, indent=2))
    if args.json:
        Path(args.json).write_text(json.dumps(figures, indent=2), encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
