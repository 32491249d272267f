"""Benchmark: time per email against the length of its text (issue 14: cost linear, bounded).

Two figures per length, medians of --repeats runs, measured in one run with one model:
- `after the model, uncut`: the steps after the model (rules, merge, normalize, stays,
  routing) on the whole text, the read limit lifted. The model's scores come from one ~4k
  chunk of dev emails scored once and tiled, so 1M characters cost no hour of forward passes;
  the spans are the model's real ones, repeated. Linear cost shows as a flat ms per 1k chars.
- `end to end`: `extract_prepared` as the product runs it, the read limit
  (`extractor.pipeline.MAX_READ_CHARS`) in force: past it the time stops growing.
Not a test: it prints a table for BENCHMARKS.md.

    python bench/cost_by_length.py [--model models/default] [--repeats 3]
"""

from __future__ import annotations

import argparse
import dataclasses
import json
import platform
import statistics
import sys
import time
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from extractor import pipeline  # noqa: E402
from extractor.model import TextScores  # noqa: E402
from extractor.pipeline import Extractor, Prepared  # noqa: E402

CHUNKS = (1, 4, 16, 64, 256)  # ~4k characters each: 4k ... 1M


def dev_chunk(size: int = 4000) -> str:
    """Dev emails (hotel requests, not-hotel mail, German and English) joined to ~`size` chars."""
    texts: list[str] = []
    with (ROOT / "data" / "corpus" / "dev.jsonl").open(encoding="utf-8") as f:
        for line in f:
            texts.append(json.loads(line)["text"])
            if sum(len(t) + 2 for t in texts) >= size:
                break
    return "\n\n".join(texts) + "\n\n"


def tiled(scores: TextScores, width: int, times: int) -> TextScores:
    """The scores of a text that is `times` copies of a text `width` characters long."""
    shift = np.repeat(np.arange(times) * width, len(scores.word_start))
    return dataclasses.replace(
        scores, word_start=np.tile(scores.word_start, times) + shift,
        word_end=np.tile(scores.word_end, times) + shift,
        word_probs=np.tile(scores.word_probs, (times, 1)))


def median_time(run, repeats: int) -> float:  # noqa: ANN001 - any callable
    times = []
    for _ in range(repeats):
        start = time.perf_counter()
        run()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--model", default=str(ROOT / "models" / "default"))
    parser.add_argument("--repeats", type=int, default=3)
    args = parser.parse_args()
    ex = Extractor.load(args.model)
    chunk = dev_chunk()
    [chunk_scores] = ex.score([Prepared("chunk", chunk)])
    # force the booking path (rules, merge, stays) whatever the chunk's own intent
    chunk_scores = dataclasses.replace(chunk_scores, intent_probs=np.eye(4)[0])
    ex.extract_prepared([Prepared("warm", chunk)])  # imports, caches, the rules' vocabulary
    print(f"# {time.strftime('%Y-%m-%d')}, {platform.node()} ({platform.processor() or 'cpu'}),"
          f" {args.repeats} repeats, read limit {pipeline.MAX_READ_CHARS:,} characters")
    print("| characters | after the model, uncut (ms) | per 1k chars (ms) | end to end (ms) |")
    print("| ---: | ---: | ---: | ---: |")
    limit = pipeline.MAX_READ_CHARS
    for times in CHUNKS:
        text = chunk * times
        item = Prepared("x", text)
        scores = tiled(chunk_scores, len(chunk), times)
        pipeline.MAX_READ_CHARS = 10**9  # the whole text, however long
        ex.rules.nlp.max_length = max(ex.rules.nlp.max_length, len(text) + 1)  # (spaCy's cap)
        after = median_time(lambda: ex.finish([item], [scores]), args.repeats)  # noqa: B023
        pipeline.MAX_READ_CHARS = limit
        whole = median_time(lambda: ex.extract_prepared([item]), args.repeats)  # noqa: B023
        print(f"| {len(text):,} | {after * 1000:,.0f} | {after * 1e6 / len(text):.2f} "
              f"| {whole * 1000:,.0f} |", flush=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
