"""Deterministic train/dev/test split by content hash, near-duplicates kept together.

An email's split follows from the sha256 of its *normalized* text (lowercase, digits masked,
whitespace collapsed), so it never depends on file order or on what else is in the corpus, and
an email keeps its split when others are added. Generated emails go 80/10/10; hand-written (and
reviewed real) emails, the scarce realistic ones, put half into test: 35/15/50. Hand-written
emails of the training pool (`meta.pool == "training"`: written after the test split was fixed,
to train on) go 85/15 into train and dev, never into test, so adding them leaves the test split
as it was.

Near-duplicates (word 5-gram shingles with Jaccard >= 0.8, found with MinHash + LSH) form
groups, and a whole group goes to the split of its member with the smallest hash, so no
near-duplicate pair crosses train and test. `find_cross_split_duplicates` checks that on any
split, and `find_template_leaks` looks for hand-written test emails that resemble generated
training emails more loosely.
"""

from __future__ import annotations

import hashlib
import re
from collections import defaultdict
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from functools import lru_cache
from typing import Literal

import numpy as np

from annotations.schema import AnnotatedEmail

Split = Literal["train", "dev", "test"]
SPLITS: tuple[Split, ...] = ("train", "dev", "test")
# Cumulative shares, walked in order: the hash fraction falls into one of them.
_RATIOS: dict[str, tuple[tuple[Split, float], ...]] = {
    "generated": (("train", 0.80), ("dev", 0.90), ("test", 1.0)),
    "handwritten": (("test", 0.50), ("dev", 0.65), ("train", 1.0)),
    "review": (("test", 0.50), ("dev", 0.65), ("train", 1.0)),
    "training": (("train", 0.85), ("dev", 1.0)),
}
TRAINING_POOL = "training"
THRESHOLD = 0.8
SHINGLE = 5
_PERMUTATIONS = 128
_BANDS = 32  # 32 bands of 4 rows: a pair at Jaccard 0.8 is a candidate with p > 1 - 1e-7
_ROWS = _PERMUTATIONS // _BANDS
# A MinHash estimate from 128 permutations has a standard error of at most 0.045: a pair is
# checked exactly when its estimate is at most this far below the threshold (>= 4.5 errors).
_MARGIN = 0.2
_SPACES = re.compile(r"\s+")
_DIGIT = re.compile(r"\d")
_WORD = re.compile(r"\w+")


def _constants(tag: str) -> np.ndarray:
    return np.array([int.from_bytes(hashlib.blake2b(f"{tag}{i}".encode(), digest_size=8).digest())
                     for i in range(_PERMUTATIONS)], dtype=np.uint64)


# The multiply-shift hash family ((a·x + b) mod 2^64) >> 32 with odd a, its constants derived
# from blake2b rather than a random generator: the same signatures on every run and machine.
_A = _constants("a") | np.uint64(1)
_B = _constants("b")


@lru_cache(maxsize=16384)  # split, shingles and hash all start from it
def normalize(text: str) -> str:
    """Lowercase, every digit as `0`, runs of whitespace as one space, trimmed."""
    return _SPACES.sub(" ", _DIGIT.sub("0", text.lower())).strip()


def content_hash(text: str) -> str:
    """The hex sha256 of the normalized text."""
    return hashlib.sha256(normalize(text).encode("utf-8")).hexdigest()


def hash_split(text: str, origin: str) -> Split:
    """The split `text` falls into by its content hash and the shares of its `origin` (or
    pool: `training`)."""
    fraction = int(content_hash(text)[:16], 16) / 2**64
    return next(split for split, upto in _RATIOS[origin] if fraction < upto)


def in_training_pool(email: AnnotatedEmail) -> bool:
    return email.origin != "generated" and email.meta.get("pool") == TRAINING_POOL


def _shares(email: AnnotatedEmail) -> str:
    return TRAINING_POOL if in_training_pool(email) else email.origin


def shingles(text: str, k: int = SHINGLE) -> frozenset[str]:
    """The word k-grams of the normalized text (the whole text when it has fewer words)."""
    words = _WORD.findall(normalize(text))
    if len(words) <= k:
        return frozenset([" ".join(words)])
    return frozenset(" ".join(words[i : i + k]) for i in range(len(words) - k + 1))


def jaccard(a: frozenset[str], b: frozenset[str]) -> float:
    return len(a & b) / len(a | b) if a or b else 1.0


def _signatures(sets: Sequence[frozenset[str]]) -> np.ndarray:
    """MinHash signatures: one row of `_PERMUTATIONS` 32-bit minima per set."""
    out = np.empty((len(sets), _PERMUTATIONS), dtype=np.uint32)
    for i, s in enumerate(sets):
        x = np.fromiter((int.from_bytes(hashlib.blake2b(g.encode(), digest_size=4).digest())
                         for g in s), dtype=np.uint64, count=len(s))
        out[i] = ((np.outer(_A, x) + _B[:, None]) >> np.uint64(32)).min(axis=1)
    return out


def _candidates(sigs: np.ndarray, threshold: float) -> np.ndarray:
    """Row pairs (i < j, shape (k, 2)) that share an LSH band and whose MinHash estimate is
    at least `threshold - _MARGIN`."""
    n = len(sigs)
    keys = [np.empty(0, dtype=np.int64)]
    for band in range(_BANDS):
        _, bucket = np.unique(sigs[:, band * _ROWS : (band + 1) * _ROWS], axis=0,
                              return_inverse=True)
        order = np.argsort(bucket.ravel(), kind="stable")
        ranked = bucket.ravel()[order]
        # Pairs d apart in bucket order lie in one bucket; stop at the longest bucket.
        for d in range(1, n):
            same = ranked[d:] == ranked[:-d]
            if not same.any():
                break
            a, b = order[:-d][same], order[d:][same]
            keys.append(np.minimum(a, b).astype(np.int64) * n + np.maximum(a, b))
    pairs = np.sort(np.concatenate(keys))  # sorting then dropping repeats beats np.unique here
    pairs = pairs[np.concatenate(([True], pairs[1:] != pairs[:-1]))] if len(pairs) else pairs
    pairs = np.stack([pairs // n, pairs % n], axis=1)
    keep = np.zeros(len(pairs), dtype=bool)
    for at in range(0, len(pairs), 65536):
        chunk = pairs[at : at + 65536]
        keep[at : at + 65536] = (sigs[chunk[:, 0]] == sigs[chunk[:, 1]]).mean(axis=1) >= (
            threshold - _MARGIN)
    return pairs[keep]


def _unique(sets: Sequence[frozenset[str]]) -> tuple[list[frozenset[str]], list[int]]:
    """The distinct sets (in first-seen order) and, for each input, its distinct set's index:
    identical texts are grouped directly, which keeps LSH buckets small."""
    index: dict[frozenset[str], int] = {}
    of = [index.setdefault(s, len(index)) for s in sets]
    return list(index), of


def _similar(unique: Sequence[frozenset[str]], threshold: float
             ) -> list[tuple[int, int, float]]:
    """Index pairs (a < b) of distinct sets with Jaccard >= threshold (checked exactly among
    the LSH candidates), with it."""
    if len(unique) < 2:
        return []
    pairs = _candidates(_signatures(unique), threshold)
    out = []
    for a, b in pairs.tolist():
        score = jaccard(unique[a], unique[b])
        if score >= threshold:
            out.append((a, b, score))
    return out


def near_duplicate_groups(texts: Sequence[str], threshold: float = THRESHOLD) -> list[int]:
    """For each text, the index of its group's representative (connected components of the
    pairs at Jaccard >= `threshold`; the smallest index represents)."""
    unique, of = _unique([shingles(t) for t in texts])
    parent = list(range(len(unique)))

    def root(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    for a, b, _ in _similar(unique, threshold):
        ra, rb = root(a), root(b)
        if ra != rb:
            parent[max(ra, rb)] = min(ra, rb)
    first: dict[int, int] = {}
    return [first.setdefault(root(u), i) for i, u in enumerate(of)]


def assign_splits(emails: Sequence[AnnotatedEmail], threshold: float = THRESHOLD
                  ) -> list[Split]:
    """The split of each email: that of the smallest-hash member of its near-duplicate group
    (by that member's origin), a training-pool member leading only a group of its own pool, so
    that a training-pool email never moves another out of test. Independent of the order of
    `emails`."""
    groups = near_duplicate_groups([e.text for e in emails], threshold)
    keys = [(in_training_pool(e), content_hash(e.text), e.id) for e in emails]
    leader: dict[int, int] = {}
    for i, g in enumerate(groups):
        best = leader.setdefault(g, i)
        if keys[i] < keys[best]:
            leader[g] = i
    return [hash_split(emails[leader[g]].text, _shares(emails[leader[g]])) for g in groups]


def split_corpus(emails: Sequence[AnnotatedEmail], threshold: float = THRESHOLD
                 ) -> dict[str, list[AnnotatedEmail]]:
    """The emails of each split (keys `SPLITS`, in that order), sorted by id."""
    out: dict[str, list[AnnotatedEmail]] = {s: [] for s in SPLITS}
    for email, split in zip(emails, assign_splits(emails, threshold), strict=True):
        out[split].append(email)
    for part in out.values():
        part.sort(key=lambda e: e.id)
    return out


@dataclass(frozen=True)
class CrossSplitPair:
    """Two similar emails in different splits (`jaccard` of their shingles)."""

    id_a: str
    split_a: str
    id_b: str
    split_b: str
    jaccard: float


def _flatten(splits: Mapping[str, Sequence[AnnotatedEmail]]) -> list[tuple[str, AnnotatedEmail]]:
    return [(name, e) for name, part in splits.items() for e in part]


def find_cross_split_duplicates(splits: Mapping[str, Sequence[AnnotatedEmail]],
                                threshold: float = THRESHOLD) -> list[CrossSplitPair]:
    """Every near-duplicate pair (Jaccard >= `threshold`) whose emails lie in different
    splits, sorted by ids; empty for a split made by `split_corpus` with the same threshold."""
    flat = _flatten(splits)
    unique, of = _unique([shingles(e.text) for _, e in flat])
    members: dict[int, list[int]] = defaultdict(list)
    for i, u in enumerate(of):
        members[u].append(i)
    out = []
    for a, b, score in [(u, u, 1.0) for u in members] + _similar(unique, threshold):
        for i in members[a]:
            for j in members[b]:
                if (a != b or i < j) and flat[i][0] != flat[j][0]:
                    (sa, ea), (sb, eb) = sorted([flat[i], flat[j]], key=lambda x: x[1].id)
                    out.append(CrossSplitPair(ea.id, sa, eb.id, sb, score))
    return sorted(out, key=lambda p: (p.id_a, p.id_b))


def find_template_leaks(splits: Mapping[str, Sequence[AnnotatedEmail]], threshold: float = 0.5
                        ) -> list[CrossSplitPair]:
    """Hand-written or reviewed test emails at Jaccard >= `threshold` to a generated email
    outside test: a test email that may share a generator template with the training data.
    Signatures are compared all against all (cheap), candidates checked exactly."""
    real = [e for e in splits.get("test", []) if e.origin != "generated"]
    generated = [(name, e) for name, e in _flatten(splits)
                 if name != "test" and e.origin == "generated"]
    if not real or not generated:
        return []
    sets_real = [shingles(e.text) for e in real]
    sets_gen = [shingles(e.text) for _, e in generated]
    sig_real, sig_gen = _signatures(sets_real), _signatures(sets_gen)
    out = []
    for start in range(0, len(real), 32):  # in chunks: the comparison cube grows fast
        estimate = (sig_real[start : start + 32, None, :] == sig_gen[None, :, :]).mean(axis=2)
        for i, j in zip(*np.nonzero(estimate >= threshold - _MARGIN), strict=True):
            score = jaccard(sets_real[start + i], sets_gen[j])
            if score >= threshold:
                out.append(CrossSplitPair(real[start + i].id, "test", generated[j][1].id,
                                          generated[j][0], score))
    return sorted(out, key=lambda p: (p.id_a, p.id_b))
