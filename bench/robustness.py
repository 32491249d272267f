"""Benchmark: CheckList-style invariance — does the form stay the same when the email is
written a little differently? (issue 16)

For each email of a split (dev by default) the form is extracted from the text as it is, then
from perturbed copies that must not change it: all lowercase, umlauts written ae/oe/ue/ss, 8%
of the longer words with two letters swapped, numeric dates written as ISO dates, a
confidentiality disclaimer appended, a signature block appended, and (.eml input only) HTML
instead of plain text. Each runs on text input (`extract_text`) and on .eml input (the text as
the body of a message with a Date header). It prints, per perturbation and input kind, the share
of forms unchanged: the intent and every stay's values, strings compared case-insensitively.
Then the perturbations whose effect is known (bench/swaps.py: a city swapped for another, a
traveller's name swapped, numeric dates a week later, two sentences reordered), on the emails
each applies to: the share of forms that changed exactly as expected (the destination moves
with the city, nothing else moves), and that share on the values alone, without whether each
was written or implied (what a clerk books from). Not a test: figures for BENCHMARKS.md.

    python bench/robustness.py [--model models/default] [--data data/corpus/dev.jsonl] [--limit N]
                               [--why] [--emails data/cold/emails]

`--why` also prints, per perturbation, what changed in the changed forms of text input (the
intent, the number of stays, or a field of a stay; values compared as written), the most
frequent first: where a fix would pay.
"""

from __future__ import annotations

import argparse
import datetime as dt
import html
import json
import random
import re
import sys
import time
from collections import Counter
from collections.abc import Callable
from email.message import EmailMessage
from email.utils import format_datetime
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from swaps import DIRECTED  # noqa: E402  (bench/swaps.py, beside this file)

from extractor.form import ExtractionResult  # noqa: E402
from extractor.pipeline import Extractor, Prepared  # noqa: E402
from training.augment import UMLAUTS, swapped_letters  # noqa: E402

DISCLAIMER = ("This e-mail and any attachments are confidential and intended solely for the "
              "addressee.\nIf you have received it in error, please notify the sender and "
              "delete it.")
SIGNATURE = "--\nJana Richter\nTravel Desk | Nordlicht Consulting GmbH\nTel. +49 40 555 0192"
_UMLAUTS = str.maketrans(UMLAUTS)
_NUMERIC_DATE = re.compile(r"\b(\d{1,2})\.(\d{1,2})\.(20\d\d)\b")


def _typos(text: str, seed: int) -> str:
    return "".join(swapped_letters(text, random.Random(seed), 0.08))


def _iso_dates(text: str) -> str:
    def iso(m: re.Match[str]) -> str:
        try:
            return dt.date(int(m[3]), int(m[2]), int(m[1])).isoformat()
        except ValueError:
            return m.group()

    return _NUMERIC_DATE.sub(iso, text)


PERTURBATIONS: dict[str, Callable[[str, int], str]] = {
    "lowercase": lambda t, _: t.lower(),
    "umlauts ae/oe/ue/ss": lambda t, _: t.translate(_UMLAUTS),
    "typos (8% of long words)": _typos,
    "numeric dates as ISO": lambda t, _: _iso_dates(t),
    "disclaimer appended": lambda t, _: f"{t}\n\n{DISCLAIMER}",
    "signature appended": lambda t, _: f"{t}\n\n{SIGNATURE}",
}


def _eml(text: str, received: dt.datetime, *, as_html: bool = False) -> bytes:
    msg = EmailMessage()
    msg["From"] = "Kim Berger <kim.berger@example.org>"
    msg["To"] = "hotels@agency.example"
    msg["Subject"] = "Hotel"
    msg["Date"] = format_datetime(received)
    if as_html:
        paras = "".join(f"<p>{html.escape(p).replace(chr(10), '<br>')}</p>"
                        for p in text.split("\n\n"))
        msg.set_content(f"<html><body>{paras}</body></html>", subtype="html")
    else:
        msg.set_content(text)
    return bytes(msg)


def _form(result: ExtractionResult) -> Any:
    def plain(v: Any) -> Any:
        if isinstance(v, str):
            return v.casefold()
        if isinstance(v, list):
            return [plain(x) for x in v]
        if isinstance(v, dict):
            return {k: plain(x) for k, x in v.items()}
        return v

    return (result.intent, [plain(s.values().model_dump(mode="json")) for s in result.stays])


def _respelled(original: str, perturbed: str) -> Callable[[str], str]:
    """How the perturbation respelled the words of `original` as a function on a value: a
    value copied from the text ("Hotel Adlon", "Muenchen") is expected to change with it."""
    a, b = re.findall(r"\w+", original.casefold()), re.findall(r"\w+", perturbed.casefold())
    if len(a) != len(b):  # a change of words, not of spelling: nothing is respelled
        return lambda v: v
    table = {x: y for x, y in zip(a, b, strict=True) if x != y}
    return lambda v: re.sub(r"\w+", lambda m: table.get(m.group(), m.group()), v)


def _same(before: Any, after: Any, respell: Callable[[str], str]) -> bool:
    """The form is unchanged: every value equal, or equal as the perturbation respelled it."""
    if isinstance(before, str) and isinstance(after, str):
        return before == after or respell(before) == after
    if isinstance(before, (list, tuple)) and isinstance(after, (list, tuple)):
        return len(before) == len(after) and all(
            _same(x, y, respell) for x, y in zip(before, after, strict=True))
    if isinstance(before, dict) and isinstance(after, dict):
        return before.keys() == after.keys() and all(
            _same(before[k], after[k], respell) for k in before)
    return bool(before == after)


def _respelled_values(value: Any, respell: Callable[[str], str]) -> Any:
    if isinstance(value, str):
        return respell(value)
    if isinstance(value, (list, tuple)):
        return [_respelled_values(v, respell) for v in value]
    if isinstance(value, dict):
        return {k: _respelled_values(v, respell) for k, v in value.items()}
    return value


def _as_expected(before: Any, after: Any, respell: Callable[[str], str]) -> bool:
    """The form changed as the perturbation says: every string value respelled (a value the
    perturbation does not touch respells to itself), everything else equal; the stays in any
    order (a clerk books them alike)."""
    if isinstance(before, tuple) and len(before) == 2:  # a form: (intent, stays)
        def key(stays: Any) -> list[str]:
            return sorted(json.dumps(s, sort_keys=True, default=str) for s in stays)
        return before[0] == after[0] and key(_respelled_values(before[1], respell)) == key(
            after[1])
    return bool(_respelled_values(before, respell) == after)


def _what_changed(before: Any, after: Any, respell: Callable[[str], str],
                  same: Callable[[Any, Any, Callable[[str], str]], bool] = _same) -> list[str]:
    """What differs between two forms (`_form`): "intent", "stays" (their number), or the
    fields that differ in stays at the same place (by `same`)."""
    if before[0] != after[0]:
        return ["intent"]
    if len(before[1]) != len(after[1]):
        return ["stays"]
    return sorted({k for a, b in zip(before[1], after[1], strict=True) for k in a
                   if not same(a[k], b[k], respell)})


def _values_alone(form: Any) -> Any:
    """A form (`_form`) without the provenance of its values (`implied`): what the clerk
    books from, whether a value was written or implied."""
    return form[0], [{k: v for k, v in s.items() if k != "implied"} for s in form[1]]


def _run(ex: Extractor, texts: list[tuple[str, dt.datetime]], kind: str,
         as_html: bool = False) -> list[Any]:
    items: list[Prepared] = []
    for k, (text, received) in enumerate(texts):
        if kind == "text":
            items.append(Prepared.of_text(f"t{k}", text, received))  # as extract_text reads
        else:
            p = ex.prepare_email(_eml(text, received, as_html=as_html), id=f"e{k}")
            items.append(p if isinstance(p, Prepared) else Prepared(f"e{k}", "", received))
    return [_form(r) for r in ex.extract_prepared(items)]


def _rows(path: Path) -> list[tuple[str, dt.datetime]]:
    rows = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]
    return [(r["text"], dt.datetime.fromisoformat(r["received_at"].replace("Z", "+00:00")))
            for r in rows]


def _emails(ex: Extractor, folder: Path) -> list[tuple[str, dt.datetime]]:
    """The text the reader gives of each .eml of `folder`, with its date."""
    out = []
    for path in sorted(folder.glob("*.eml")):
        item = ex.prepare_email(path.read_bytes(), id=path.name)
        if isinstance(item, Prepared) and item.text.strip():
            out.append((item.text, item.received_at or dt.datetime.now(dt.UTC)))
    return out


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--model", default=str(ROOT / "models" / "default"))
    parser.add_argument("--data", default=str(ROOT / "data" / "corpus" / "dev.jsonl"))
    parser.add_argument("--emails", help="a folder of .eml files instead of --data: their "
                        "texts as the reader gives them (the cold set: data/cold/emails)")
    parser.add_argument("--limit", type=int, default=0)
    parser.add_argument("--why", action="store_true", help="what changed, per perturbation")
    args = parser.parse_args()
    ex = Extractor.load(args.model)
    base = _emails(ex, Path(args.emails)) if args.emails else _rows(Path(args.data))
    base = base[: args.limit] if args.limit else base
    start = time.perf_counter()
    print(f"# {time.strftime('%Y-%m-%d')}, {Path(args.emails or args.data).name}, "
          f"{len(base)} emails")
    print("| perturbation | text input: forms unchanged | .eml input | text input, values "
          "compared as written | .eml input, as written |")
    print("| --- | ---: | ---: | ---: | ---: |")
    original = {kind: _run(ex, base, kind) for kind in ("text", "eml")}
    for name, perturb in PERTURBATIONS.items():
        changed = [(perturb(t, k), r) for k, (t, r) in enumerate(base)]
        respell = [_respelled(t, c) for (t, _), (c, _) in zip(base, changed, strict=True)]
        strict, written = [], []
        why: Counter[str] = Counter()
        for kind in ("text", "eml"):
            after = _run(ex, changed, kind)
            pairs = list(zip(original[kind], after, respell, strict=True))
            strict.append(sum(a == b for a, b, _ in pairs) / len(base))
            written.append(sum(_same(a, b, f) for a, b, f in pairs) / len(base))
            if kind == "text":
                why.update(w for a, b, f in pairs for w in _what_changed(a, b, f))
        print(f"| {name} | {strict[0]:.3f} | {strict[1]:.3f} | {written[0]:.3f} | "
              f"{written[1]:.3f} |", flush=True)
        if args.why:
            print(f"|   changed: {', '.join(f'{k} {n}' for k, n in why.most_common())} | | | | |",
                  flush=True)
    as_html = _run(ex, base, "eml", as_html=True)
    same = sum(a == b for a, b in zip(original["eml"], as_html, strict=True)) / len(base)
    print(f"| HTML instead of plain text | — | {same:.3f} |")
    print("\n| perturbation with a known effect | emails it applies to | text input: forms as "
          "expected | .eml input | text input, values alone |")
    print("| --- | ---: | ---: | ---: | ---: |")
    for name, directed in DIRECTED.items():
        cases = [(k, e) for k, (t, _) in enumerate(base)
                 if (e := directed(t, k, original["text"][k])) is not None]
        texts = [(e.text, base[k][1]) for k, e in cases]
        shares, why = [], Counter()
        for kind in ("text", "eml"):
            after = _run(ex, texts, kind)
            right = [_as_expected(original[kind][k], a, e.respell)
                     for (k, e), a in zip(cases, after, strict=True)]
            shares.append(sum(right) / max(1, len(cases)))
            if kind == "text":
                alone = sum(_as_expected(_values_alone(original[kind][k]), _values_alone(a),
                                         e.respell) for (k, e), a in zip(cases, after, strict=True))
                why.update(w for (k, e), a, ok in zip(cases, after, right, strict=True) if not ok
                           for w in _what_changed(original[kind][k], a, e.respell, _as_expected))
        print(f"| {name} | {len(cases)} | {shares[0]:.3f} | {shares[1]:.3f} | "
              f"{alone / max(1, len(cases)):.3f} |", flush=True)
        if args.why:
            print(f"|   changed: {', '.join(f'{k} {n}' for k, n in why.most_common())} | | | | |",
                  flush=True)
    print(f"\n({time.perf_counter() - start:.0f} s)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
