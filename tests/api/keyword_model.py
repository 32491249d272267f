"""A tiny token classifier that knows a few words, for running the real pipeline in API tests.

The API tests run `extractor.pipeline.Extractor` itself (its reading of emails, rules, merge,
dates, routing and error codes), so that they see what the service really stores and serves.
A random tiny model predicts nothing; this one is built by hand instead (no training, no
download, the same weights on every machine): every transformer layer adds nothing to its
input, so the last hidden state of a sub-word is its own embedding, and each embedding is a
pattern the classifier head maps to one tag. It reads:

- the cities in `CITIES` as `destination` (confidence 1.0);
- the first piece of a year 2026 or 2027 ("202") as `check_in`, so that an ISO date is a date
  to the model and the pipeline's rules give its exact extent; two dates in a range are the
  arrival and the departure (the pipeline's range rule);
- "Anna" as `traveler_names` with confidence `UNSURE` (0.6), under the review threshold: a
  text signed by Anna is routed to review as `low_confidence:traveler_names`;
- every text as a new booking (the [CLS] tag).

Everything else (guests, rooms, nights ...) comes from the pipeline's own rules.
"""

from __future__ import annotations

import json
import math
from pathlib import Path

CITIES = ("Munich", "Berlin", "Hamburg", "Vienna", "Cologne")
UNSURE = 0.6
THRESHOLD = 0.8
# word -> (tag, probability of that tag)
WORDS: dict[str, tuple[str, float]] = {
    **{city.lower(): ("B-destination", 1.0) for city in CITIES},
    "2026": ("B-check_in", 1.0),
    "anna": ("B-traveler_names", UNSURE),
}
_LOGIT = 20.0  # the logit of a sure tag; the others' are 0 (23 of them add ~1e-8)


def build_keyword_model(path: Path) -> Path:
    """Save the model folder described above (config, safetensors, tokenizer, calibration)."""
    import torch
    from scipy.linalg import hadamard
    from transformers import AutoTokenizer, BertForTokenClassification

    from extractor.tags import LABEL2ID
    from tests.conftest import build_tiny_model

    build_tiny_model(path)
    tokenizer = AutoTokenizer.from_pretrained(path, local_files_only=True)
    model = BertForTokenClassification.from_pretrained(path, local_files_only=True)
    hidden = model.config.hidden_size
    # rows of a Hadamard matrix but the first: orthogonal, zero-mean, variance 1, so that
    # LayerNorm leaves them as they are and a row's dot product picks out its own pattern
    rows = torch.tensor(hadamard(hidden)[1:], dtype=torch.float32)
    kinds = ["O", "INTENT-new_booking", *dict.fromkeys(WORDS.values())]
    pattern = {kind: rows[i] for i, kind in enumerate(kinds)}
    with torch.no_grad():
        for layer in model.bert.encoder.layer:  # each layer: LayerNorm(x + 0) = x
            for dense in (layer.attention.output.dense, layer.output.dense):
                dense.weight.zero_()
                dense.bias.zero_()
        embeddings = model.bert.embeddings
        embeddings.position_embeddings.weight.zero_()
        embeddings.token_type_embeddings.weight.zero_()
        embeddings.word_embeddings.weight[:] = pattern["O"]
        embeddings.word_embeddings.weight[tokenizer.cls_token_id] = pattern["INTENT-new_booking"]
        for word, kind in WORDS.items():
            first_piece = tokenizer(word, add_special_tokens=False)["input_ids"][0]
            embeddings.word_embeddings.weight[first_piece] = pattern[kind]
        head = model.classifier
        head.weight.zero_()
        head.bias.zero_()
        scale = _LOGIT / hidden  # a pattern's dot product with itself is `hidden`
        head.weight[LABEL2ID["O"]] += scale * pattern["O"]
        head.weight[LABEL2ID["INTENT-new_booking"]] += scale * pattern["INTENT-new_booking"]
        for kind in dict.fromkeys(WORDS.values()):
            tag, p = kind
            head.weight[LABEL2ID[tag]] += scale * pattern[kind]
            if p < 1.0:  # O takes the rest: p = e^L / (e^L + e^(L - logit(p)))
                odds = math.log(p / (1 - p))
                head.weight[LABEL2ID["O"]] += (_LOGIT - odds) / hidden * pattern[kind]
    model.save_pretrained(path)
    (path / "calibration.json").write_text(json.dumps(
        {"temperature": 1.0, "threshold": THRESHOLD, "maps": {}}), encoding="utf-8")
    return path
