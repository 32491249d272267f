"""The split: deterministic by content, near-duplicates together, leaks reported."""

from __future__ import annotations

import itertools
import random

from annotations.schema import AnnotatedEmail
from annotations.split import (
    content_hash,
    find_cross_split_duplicates,
    find_template_leaks,
    hash_split,
    jaccard,
    near_duplicate_groups,
    normalize,
    shingles,
    split_corpus,
)

# Letters only: digits are masked by normalization, so "word1" and "word2" would be one word.
_WORDS = ["".join(w) for w in itertools.product("bcdfgklmn", "aeiou", "prst", "aeiou")][:500]


def _email(ident: str, text: str, origin: str = "generated") -> AnnotatedEmail:
    return AnnotatedEmail.model_validate(
        {"id": ident, "text": text, "origin": origin, "form": {"intent": "not_hotel"}})


def _corpus(seed: int = 3, n: int = 300) -> list[AnnotatedEmail]:
    rng = random.Random(seed)
    out = []
    for i in range(n):
        text = " ".join(rng.choices(_WORDS, k=rng.randint(8, 60)))
        out.append(_email(f"e{i:04d}", text, "generated" if i % 3 else "handwritten"))
    return out


def _assignment(parts: dict[str, list[AnnotatedEmail]]) -> dict[str, str]:
    return {e.id: name for name, part in parts.items() for e in part}


def test_normalize_masks_digits_case_and_whitespace() -> None:
    assert normalize("  Arriving 3 May,\n\n2 NIGHTS\t") == "arriving 0 may, 0 nights"
    assert content_hash("Room for 2 on 3.5.") == content_hash("room  for 7 on 1.9.")
    assert hash_split("Room for 2 on 3.5.", "generated") == hash_split("room for 7 on 1.9.",
                                                                        "generated")


def test_split_is_deterministic_and_independent_of_input_order() -> None:
    emails = _corpus()
    first = _assignment(split_corpus(emails))
    again = _assignment(split_corpus(_corpus()))
    shuffled = emails[:]
    random.Random(9).shuffle(shuffled)
    assert first == again == _assignment(split_corpus(shuffled))
    assert set(first.values()) == {"train", "dev", "test"}
    parts = split_corpus(shuffled)
    assert all([e.id for e in part] == sorted(e.id for e in part) for part in parts.values())


def test_shares_follow_the_origin() -> None:
    rng = random.Random(1)
    texts = [" ".join(rng.choices(_WORDS, k=20)) for _ in range(3000)]
    generated = [hash_split(t, "generated") for t in texts]
    handwritten = [hash_split(t, "handwritten") for t in texts]
    assert 0.77 < generated.count("train") / 3000 < 0.83
    assert 0.07 < generated.count("test") / 3000 < 0.13
    assert 0.47 < handwritten.count("test") / 3000 < 0.53
    assert 0.12 < handwritten.count("dev") / 3000 < 0.18
    pool = [hash_split(t, "training") for t in texts]
    assert "test" not in pool and 0.82 < pool.count("train") / 3000 < 0.88


def test_a_training_pool_email_never_takes_a_near_duplicate_out_of_test() -> None:
    base = random.Random(4).choices(_WORDS, k=60)
    tests = []
    for g in range(40):  # a hand-written email in test, and a training-pool near-duplicate of it
        words = base[:]
        words[g % 50] = "group" + "x" * (g + 1)
        text = " ".join(words)
        if hash_split(text, "handwritten") != "test":
            continue
        twin = _email(f"p{g:02d}", text + " extra", "handwritten")
        twin.meta["pool"] = "training"
        tests.append((_email(f"h{g:02d}", text, "handwritten"), twin))
    assert len(tests) > 5
    for original, twin in tests:
        assignment = _assignment(split_corpus([original, twin]))
        assert assignment == {original.id: "test", twin.id: "test"}


def test_near_duplicates_land_in_one_split() -> None:
    rng = random.Random(5)
    emails = []
    separated_alone = 0
    for g in range(60):
        base = rng.choices(_WORDS, k=60)
        variants = []
        for v in range(3):
            words = base[:]
            words[-1 - v] = "changed" + "xyz"[v] * (g + 1)  # one word changed near the end: Jaccard > 0.8
            variants.append(" ".join(words))
        assert jaccard(shingles(variants[0]), shingles(variants[1])) >= 0.8
        origin = "handwritten" if g % 2 else "generated"
        emails += [_email(f"g{g:02d}v{v}", t, origin) for v, t in enumerate(variants)]
        separated_alone += len({hash_split(t, origin) for t in variants}) > 1
    emails += _corpus(seed=8, n=100)
    assert separated_alone > 10  # by hash alone many groups would be torn apart
    assignment = _assignment(split_corpus(emails))
    for g in range(60):
        assert len({assignment[f"g{g:02d}v{v}"] for v in range(3)}) == 1
    assert find_cross_split_duplicates(split_corpus(emails)) == []


def test_near_duplicate_groups_are_transitive_and_exact_duplicates_join() -> None:
    base = " ".join(_WORDS[:50])
    a = base + " tailone"
    b = base + " tailtwo"
    unrelated = " ".join(_WORDS[100:160])
    groups = near_duplicate_groups([unrelated, a, b, a.upper(), "short text"])
    assert groups == [0, 1, 1, 1, 4]


def test_cross_split_duplicates_are_reported() -> None:
    base = " ".join(_WORDS[:40])
    parts = {
        "train": [_email("t1", base + " one"), _email("t2", " ".join(_WORDS[200:240]))],
        "dev": [],
        "test": [_email("x1", base + " two"), _email("x2", base + " one")],
    }
    found = find_cross_split_duplicates(parts)
    assert [(p.id_a, p.split_a, p.id_b, p.split_b) for p in found] == [
        ("t1", "train", "x1", "test"), ("t1", "train", "x2", "test")]
    assert found[1].jaccard == 1.0 and 0.8 <= found[0].jaccard < 1.0


def test_template_leaks_between_generated_training_and_handwritten_test() -> None:
    template = _WORDS[:60]
    written = template[:]
    for i in (3, 30, 56):
        written[i] = "handwritten"  # Jaccard under 0.8 but above 0.5
    score = jaccard(shingles(" ".join(template)), shingles(" ".join(written)))
    assert 0.5 <= score < 0.8
    parts = {
        "train": [_email("gen-1", " ".join(template))],
        "dev": [_email("gen-2", " ".join(_WORDS[300:360]))],
        "test": [_email("hw-1", " ".join(written), "handwritten"),
                 _email("gen-3", " ".join(template), "generated")],  # generated test: no leak
    }
    leaks = find_template_leaks(parts)
    assert [(p.id_a, p.id_b, p.split_b) for p in leaks] == [("hw-1", "gen-1", "train")]
    assert find_cross_split_duplicates(parts)[0].id_a == "gen-1"


def test_lsh_groups_equal_the_exact_all_pairs_groups() -> None:
    rng = random.Random(11)
    templates = [rng.choices(_WORDS, k=rng.randint(15, 50)) for _ in range(8)]
    texts = []
    for _ in range(160):
        words = rng.choice(templates)[:]
        for _ in range(rng.randint(0, 4)):  # from identical to well below 0.8
            words[rng.randrange(len(words))] = rng.choice(_WORDS)
        texts.append(" ".join(words))
    sets = [shingles(t) for t in texts]
    parent = list(range(len(texts)))

    def root(i: int) -> int:
        return i if parent[i] == i else root(parent[i])

    exact_pairs = 0
    for i in range(len(texts)):
        for j in range(i + 1, len(texts)):
            if jaccard(sets[i], sets[j]) >= 0.8:
                exact_pairs += 1
                ri, rj = root(i), root(j)
                parent[max(ri, rj)] = min(ri, rj)
    assert exact_pairs > 100  # the case is not trivial
    expected: dict[int, int] = {}
    assert near_duplicate_groups(texts) == [expected.setdefault(root(i), i)
                                            for i in range(len(texts))]
