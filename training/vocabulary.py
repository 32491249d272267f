"""The words of the training mail, for the spelling step (extractor/spelling.py).

A typo or an umlaut written out ("Buhcung", "Gruesse") turns a word the model has read a
thousand times into sub-words it has rarely seen. The spelling step mends such words back, but
only to words it knows: this module collects them from the training split (never dev or test)
into `extractor/data/words.json`, which ships with the package.

A word is kept when it is seen in hand-written training mail, or `GENERATED_MIN_COUNT` times in
generated mail (the generator writes rare names and places once). `words` holds those of
`MIN_LETTERS` letters or more, less any seen less often than a word one swap of two
neighbouring letters away `TYPO_RATIO` times as often: that word's misspelling (the corpus
holds typos on purpose; "center" and "centre" are both kept). `names` holds the words of the
travellers' names and of the signers': a word is never mended into a name ("Kristen" is not "Kirsten"'s slip).
`umlauts` holds those written with ä, ö, ü or ß, of any length ("für", "Köln").

    python -m training.vocabulary data/corpus/train.jsonl
"""

from __future__ import annotations

import argparse
import json
import re
from collections import Counter
from collections.abc import Iterable
from pathlib import Path

from annotations.schema import AnnotatedEmail, read_jsonl
from extractor.lexicon import SPELLED_OUT
from extractor.signature import signer_span
from extractor.spelling import swaps

MIN_LETTERS = 6  # the spelling step mends words this long; shorter ones have look-alikes
GENERATED_MIN_COUNT = 3
TYPO_RATIO = 10
WORDS_PATH = Path(__file__).resolve().parent.parent / "extractor" / "data" / "words.json"
_WORD = re.compile(r"[^\W\d_]{3,}")


def known_words(emails: Iterable[AnnotatedEmail]) -> dict[str, list[str]]:
    """The lowercased words of `emails` the spelling step may mend to, sorted: `words` (long
    ones, for swapped letters) and `umlauts` (for umlauts written out)."""
    counts: Counter[str] = Counter()
    handwritten: set[str] = set()
    names: set[str] = set()
    for email in emails:
        words = [w.lower() for w in _WORD.findall(email.text)]
        signer = signer_span(email.text)
        named = [email.text[s.start : s.end] for s in email.spans
                 if s.label == "traveler_names"]
        named += [email.text[signer[0]:signer[1]]] if signer else []
        names.update(w.lower() for n in named for w in _WORD.findall(n))
        counts.update(words)
        if email.origin == "handwritten":
            handwritten.update(words)
    kept = {w for w, n in counts.items() if w in handwritten or n >= GENERATED_MIN_COUNT}
    long = (w for w in kept if len(w) >= MIN_LETTERS)
    return {"words": sorted(w for w in long if not any(
                counts[s] >= TYPO_RATIO * counts[w] for s in swaps(w) if s in kept)),
            "names": sorted(names & kept),
            "umlauts": sorted(w for w in kept if any(u in w for u in SPELLED_OUT))}


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("train", type=Path, help="the training split (JSONL)")
    parser.add_argument("--out", type=Path, default=WORDS_PATH)
    args = parser.parse_args(argv)
    words = known_words(read_jsonl(args.train))
    args.out.write_text(json.dumps(words, ensure_ascii=False, indent=0) + "\n", encoding="utf-8")
    print(f"{len(words['words'])} words, {len(words['names'])} in names, "
          f"{len(words['umlauts'])} with umlauts -> {args.out}")


if __name__ == "__main__":
    main()
