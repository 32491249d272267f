"""Perturbed copies of hand-written training emails: the spellings real mail has and the
corpus rarely shows (umlauts written ae/oe/ue/ss, two letters swapped, all lowercase), and
people named who do not stay.

Independent writers type "Muenchen", "fuer" and "Fruehstueck" on keyboards without umlauts,
swap letters and skip capitals; a model that has only seen clean text reads "fuer" as a place
(issue 16's robustness figures). Rules cannot list every misspelling, so the model sees some:
each copy is one hand-written training email, perturbed one way, its spans moved with the
characters they cover. Only the token labels and the intent are trained on, so the form is
kept as it is. Seeded: the same config draws the same copies.

Mail names more people than the ones who stay: who approved the trip, who is in cc, the host
on site, who takes the invoice. The corpus names almost only travellers, so the model learned
that a full name in a booking is a guest (a cold probe of who stays: 21 of 49 right, most
wrong ones a named approver or host). `bystander_copies` inserts one such sentence
(`bystanders` of the generator's phrasings, a person drawn from its names) as a paragraph of
its own into copies of hand-written emails; the name is no span, so it is trained as no field.

The travellers of the hand-written mail are a few hundred names, most of them German or
English; independent mail names anyone, and a name the model has not seen moved its reading of
the words around it (issue 16: a traveller's name swapped left 0.93 of the dev forms as they
were). `renamed_copies` gives copies of hand-written emails other travellers: every word of a
traveller's name, wherever the email writes it (the sign-off too), becomes a first name or a
surname of the generator's names from everywhere, its case kept.
"""

from __future__ import annotations

import random
import re
from collections.abc import Callable, Sequence

from annotations.generator.vocab import vocab
from annotations.schema import AnnotatedEmail, Span
from extractor.lexicon import lexicon

# how a keyboard without umlauts writes them (bench/robustness.py perturbs the same way)
UMLAUTS = {"ä": "ae", "ö": "oe", "ü": "ue", "Ä": "Ae", "Ö": "Oe", "Ü": "Ue", "ß": "ss"}
_HAS_UMLAUT = re.compile("[äöüÄÖÜß]")
_LONG_WORD = re.compile(r"[^\W\d_]{6,}")


def _rewrite(email: AnnotatedEmail, pieces: Sequence[str], kind: str) -> AnnotatedEmail:
    """`email` with character i replaced by `pieces[i]` (one or more characters), its spans
    moved to cover the same characters."""
    starts = [0]
    for p in pieces:
        starts.append(starts[-1] + len(p))
    text = "".join(pieces)
    spans = [Span(start=starts[s.start], end=starts[s.end], label=s.label,
                  text=text[starts[s.start]:starts[s.end]]) for s in email.spans]
    return email.model_copy(update={"id": f"{email.id}~{kind}", "text": text, "spans": spans,
                                    "meta": {**email.meta, "augmented": kind}})


def fold_umlauts(email: AnnotatedEmail, rng: random.Random) -> AnnotatedEmail:
    """Every ä/ö/ü/ß written ae/oe/ue/ss."""
    return _rewrite(email, [UMLAUTS.get(c, c) for c in email.text], "umlauts")


def swapped_letters(text: str, rng: random.Random, share: float) -> list[str]:
    """The characters of `text` with two neighbouring letters swapped in `share` of the words
    of six letters or more (never the first letter): the commonest typing slip."""
    pieces = list(text)
    for m in _LONG_WORD.finditer(text):
        if rng.random() < share:
            k = m.start() + rng.randrange(1, len(m.group()) - 2)
            pieces[k], pieces[k + 1] = pieces[k + 1], pieces[k]
    return pieces


def swap_letters(email: AnnotatedEmail, rng: random.Random, share: float = 0.1
                 ) -> AnnotatedEmail:
    """`email` with letters swapped as `swapped_letters` does."""
    return _rewrite(email, swapped_letters(email.text, rng, share), "typos")


def lowercase(email: AnnotatedEmail, rng: random.Random) -> AnnotatedEmail:
    """All lowercase (a character whose lowercase is longer, like İ, stays as it is)."""
    return _rewrite(email, [c.lower() if len(c.lower()) == 1 else c for c in email.text],
                    "lowercase")


def perturbed_copies(emails: Sequence[AnnotatedEmail], count: int, *, seed: int
                     ) -> list[AnnotatedEmail]:
    """`count` perturbed copies of hand-written emails of `emails`, drawn without repeats
    while there are enough: emails with umlauts mostly lose them, the others get typos or
    lose their capitals."""
    pool = [e for e in emails if e.origin != "generated" and e.text]
    if not pool or count <= 0:
        return []
    rng = random.Random(seed)
    out = []
    for i in range(count):
        if i % len(pool) == 0:
            rng.shuffle(pool)
        email = pool[i % len(pool)]
        perturb: Callable[[AnnotatedEmail, random.Random], AnnotatedEmail]
        if _HAS_UMLAUT.search(email.text) and rng.random() < 0.6:
            perturb = fold_umlauts
        else:
            perturb = swap_letters if rng.random() < 0.7 else lowercase
        out.append(perturb(email, rng))
    return out


_NAME_WORD = re.compile(r"[^\W\d_][^\W\d_'’-]+")


def _titles() -> tuple[set[str], set[str], set[str]]:
    """The lexicon's titles without their dots, and a woman's and a man's among them."""
    people = lexicon().people
    return ({t.rstrip(".") for t in (*people.titles, *people.name_start_titles)},
            set(people.female_titles), set(people.male_titles))


def renamed(email: AnnotatedEmail, rng: random.Random) -> AnnotatedEmail | None:
    """`email` with its travellers renamed: each word of a `traveler_names` span (not a
    title, not a particle like "von" in a capitalised name) replaced wherever the text writes
    it as that word (so "Rose" but not "rose"; in capitals too), a first name by a first name
    (of the gender a title says) and a surname by a surname of the generator's names; None
    when no span names a traveller."""
    people, (titles, female, male) = vocab().people, _titles()
    words: dict[str, str] = {}
    for span in email.spans:
        if span.label != "traveler_names":
            continue
        written = email.text[span.start : span.end]
        parts = [w for w in _NAME_WORD.findall(written) if w.casefold() not in titles
                 and not (w.islower() and not written.islower())]  # "von", "de"
        said = {w.casefold() for w in _NAME_WORD.findall(written)}
        gender = "f" if said & female else "m" if said & male else rng.choice(("f", "m"))
        for k, word in enumerate(parts):
            if word in words:
                continue
            origin = rng.choice(("de", "en", "intl"))
            first = k == 0 and len(parts) > 1
            pool = people["first"][origin][gender] if first else people["last"][origin]
            words[word] = rng.choice(pool)
    if not words:
        return None
    pieces = list(email.text)
    for m in _NAME_WORD.finditer(email.text):
        word = m.group()
        new = words.get(word) or words.get(word.title()) if word.isupper() else words.get(word)
        if new is None:
            continue
        new = new.lower() if word.islower() else new.upper() if word.isupper() else new
        pieces[m.start()] = new
        for k in range(m.start() + 1, m.end()):
            pieces[k] = ""
    return _rewrite(email, pieces, "renamed")


def renamed_copies(emails: Sequence[AnnotatedEmail], count: int, *, seed: int
                   ) -> list[AnnotatedEmail]:
    """`count` copies of hand-written emails of `emails` with other travellers (`renamed`),
    drawn without repeats while there are enough."""
    pool = [e for e in emails if e.origin != "generated"
            and any(s.label == "traveler_names" for s in e.spans)]
    if not pool or count <= 0:
        return []
    rng = random.Random(seed + 2)
    out: list[AnnotatedEmail] = []
    for i in range(count):
        if i % len(pool) == 0:
            rng.shuffle(pool)
        copy = renamed(pool[i % len(pool)], rng)
        if copy is not None:
            out.append(copy)
    return out


def _bystander(lang: str, rng: random.Random, taken: set[str]) -> str:
    """A sentence of `lang` naming someone who does not stay, none of `taken` (the email's
    travellers, casefolded): "Our CEO, Mr Daniel Brandt, has approved the trip."."""
    people = vocab().people
    while True:
        origin = rng.choice(("de", "en", "intl"))
        gender = rng.choice(("f", "m"))
        first = rng.choice(people["first"][origin][gender])
        last = rng.choice(people["last"][origin])
        if first.casefold() not in taken and last.casefold() not in taken:
            break
    title = rng.choice(people["titles"][lang][gender])
    roll = rng.random()
    person = (f"{title} {first} {last}" if roll < 0.4 else f"{first} {last}" if roll < 0.75
              else f"{title} {last}")
    return rng.choice(vocab().book(lang)["bystanders"]).format(person=person)


def with_bystander(email: AnnotatedEmail, rng: random.Random) -> AnnotatedEmail | None:
    """`email` with a paragraph naming someone who does not stay, at a paragraph break that
    no span crosses and that is not the last (the sign-off is often below it); None when the
    email has no such break."""
    breaks = [m.start() for m in re.finditer(r"\n\n", email.text)]
    breaks = [b for b in breaks[:-1] or breaks
              if not any(s.start < b < s.end for s in email.spans)]
    if not breaks:
        return None
    at = rng.choice(breaks)
    lang = "de" if email.language == "de" else "en"
    taken = {w.casefold() for stay in email.form.stays for n in stay.traveler_names or []
             for w in n.split()}
    pieces = list(email.text)
    pieces[at] = f"\n\n{_bystander(lang, rng, taken)}\n"
    return _rewrite(email, pieces, "bystander")


def bystander_copies(emails: Sequence[AnnotatedEmail], count: int, *, seed: int
                     ) -> list[AnnotatedEmail]:
    """`count` copies of hand-written emails of `emails` with a person named who does not
    stay (`with_bystander`), drawn without repeats while there are enough."""
    pool = [e for e in emails if e.origin != "generated" and "\n\n" in e.text]
    if not pool or count <= 0:
        return []
    rng = random.Random(seed + 1)
    out: list[AnnotatedEmail] = []
    for i in range(count * 2):  # an email without a free break gives no copy
        if i % len(pool) == 0:
            rng.shuffle(pool)
        copy = with_bystander(pool[i % len(pool)], rng)
        if copy is not None:
            out.append(copy)
        if len(out) == count:
            break
    return out
