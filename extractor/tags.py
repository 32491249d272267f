"""The token classifier's label set, derived from the form's FIELDS.

Word tags are BIO over the twelve fields. The email's intent rides on the first token
([CLS]): its label is one of the `INTENT-*` tags, so one token-classification head (and one
saved Hugging Face model) predicts both spans and intent. Word positions never take intent tags
and [CLS] never takes a BIO tag: `tag_mask()` and `intent_mask()` enforce that at inference.
"""

from __future__ import annotations

from extractor.form import FIELDS, INTENTS

BIO_TAGS: tuple[str, ...] = ("O",) + tuple(f"{p}-{f}" for f in FIELDS for p in ("B", "I"))
INTENT_TAGS: tuple[str, ...] = tuple(f"INTENT-{i}" for i in INTENTS)
LABELS: tuple[str, ...] = BIO_TAGS + INTENT_TAGS

LABEL2ID: dict[str, int] = {label: i for i, label in enumerate(LABELS)}
ID2LABEL: dict[int, str] = dict(enumerate(LABELS))
N_BIO = len(BIO_TAGS)


def begin_id(field: str) -> int:
    return LABEL2ID[f"B-{field}"]


def inside_id(field: str) -> int:
    return LABEL2ID[f"I-{field}"]


def field_of(tag_id: int) -> str | None:
    """The field a BIO tag id belongs to, None for O and intent tags."""
    if 0 < tag_id < N_BIO:
        return LABELS[tag_id][2:]
    return None


def intent_id(intent: str) -> int:
    return LABEL2ID[f"INTENT-{intent}"]
