"""People: a traveler_names span -> the traveller's name as written, without titles,
credentials or roles. The titles, roles and joiners are the lexicon's (`people.titles`,
`people.roles`, `names.joiners`)."""

from __future__ import annotations

import re
from collections.abc import Iterable

from extractor.lexicon import lexicon, stop_words
from extractor.values.trim import EDGE, trim


def title_regex(title: str) -> str:
    """A regex for one title of the lexicon: its dots, hyphens and spaces optional
    ("dipl.-ing" also matches "Dipl. Ing" and "Dipl-Ing"); a title written with a final dot
    ("eng.") only before a dot."""
    if title.endswith("."):
        return re.escape(title[:-1]) + r"(?=\.)"
    return r"\.?-?\s?".join(re.escape(p) for p in re.split(r"[.\- ]+", title))




def _titles(titles: tuple[str, ...]) -> str:
    return "|".join(title_regex(t) for t in sorted(titles, key=len, reverse=True))


_PEOPLE = lexicon().people
_TITLE = re.compile(rf"^(?:{_titles(_PEOPLE.title_words)}"
                    rf"|{_titles(_PEOPLE.degree_suffixes)})\b\.?\s*", re.IGNORECASE)
# one word before a title is a role or a job, not a name ("Bürgermeisterin Dr. Elke Steinbrecher")
_ROLE_BEFORE_TITLE = re.compile(
    rf"^([^\W\d_][\w-]*)\s+(?=(?:{_titles(_PEOPLE.titles)})\b\.?\s+[^\W\d_])", re.IGNORECASE)
_JOINERS = frozenset(lexicon().names.joiners)
_SHORT_FORMS = lexicon().names.short_forms
# words for what a traveller is, not who: "unsere 2 [Azubis Lukas Brandt]", "[Studentinnen]"
_ROLES = frozenset(_PEOPLE.roles)
# a nickname between a given name and a surname: 'Jonas "JJ" Jürgensen', "Oluwaseun (Seun)
# Balogun", 'Josef „Sepp“ Gruber' (the form writes the name without it)
NICKNAME = re.compile(r"[ \t]+[(\"„“‚‘'][^\W\d_]{1,12}[)\"“”‘’'][ \t]+")
# a relation before a name says who the person is to the writer: "Mann Jan Becker" (from
# "meinen Mann Jan Becker"), "Sohn Lukas Bauer"; alone it may be a surname ("Mann")
_RELATIONS = frozenset(_PEOPLE.relations)
# ... after a possessive: "unser Logistiker Samir Nasser", "my driver Rafiqul Hasan"
_POSSESSIVES = frozenset(_PEOPLE.possessives)
# ... and a list's label before its first name: "Names Oluwaseun"
_LABELS = frozenset(_PEOPLE.list_labels)
# a credential in capitals before a full name: "DI Stefan Wöginger", "DGKP Verena Moser"
_CREDENTIAL = re.compile(r"^[A-Z]{2,5}\.?\s+(?=[A-ZÄÖÜ][\w'’-]+\s+[A-ZÄÖÜ])")


_TITLES_ONLY = _titles(_PEOPLE.title_words)
_TITLED_PERSON = re.compile(
    rf"(?:(?i:{_TITLES_ONLY})\.?\s+)+[A-ZÄÖÜ][\w'’-]*(?:\s+[A-ZÄÖÜ][\w'’-]*){{0,3}}")


# a person's full name after a title, anywhere in a text: "Assistentin von Dr. Hendrik
# Albers", "Sekretariat Prof. Dr.-Ing. Ulrich Haas" (first name and surname, capitalised)
_TITLED_FULL_NAME = re.compile(
    rf"(?<![\w.])(?:(?i:{_TITLES_ONLY})\.?[ \t]+)+"
    r"(?P<name>[A-ZÄÖÜ][^\W\d_]+(?:-[A-ZÄÖÜ][^\W\d_]+)?[ \t]+[A-ZÄÖÜ][^\W\d_]+"
    r"(?:-[A-ZÄÖÜ][^\W\d_]+)?)(?![\w'’-])")


def titled_full_names(text: str) -> list[str]:
    """The full names `text` writes after a title, once each ("Dr. Hendrik Albers" in a
    signature's "Assistentin von Dr. Hendrik Albers"): whom a "Herrn Dr. Albers" of the request
    is."""
    return list(dict.fromkeys(m["name"] for m in _TITLED_FULL_NAME.finditer(text)))


def titled_person(text: str) -> bool:
    """Whether `text` is a person by title and name ("Dr. Ulrike Sand", "Herrn Kranz"): no
    place, however a model read it."""
    return _TITLED_PERSON.fullmatch(text.strip()) is not None


# a name written in its own script too, after its Latin letters: "Chen Xiaoli 陈晓丽",
# "Kenji Sato (佐藤健二)": the form holds the name a hotel can read
_IN_LATIN = re.compile(r"(?<=[A-Za-zÀ-ɏ])[ \t]*\(?[\u0400-\u04ff\u0590-\u06ff\u0e00-\u0e7f"
                       r"\u3040-\u30ff\u3400-\u9fff\uac00-\ud7af][^()\n]*\)?[ \t]*$")


# a list item's number or bullet before a name: "1. Kim Min-jun", "• Lee Seo-yeon"
_LIST_MARK = re.compile(r"^[ \t]*(?:\d{1,2}[.)]|[•·*])[ \t]+")


def normalize_traveler(text: str) -> str | None:
    """A traveler's name as written, titles, credentials and roles dropped (`"Herr Müller"` ->
    `"Müller"`, `"Prof. Dr. Anna Weber"` -> `"Anna Weber"`, `"DI Stefan Wöginger"` -> `"Stefan
    Wöginger"`, `"Azubis Lukas Brandt"` -> `"Lukas Brandt"`, `"Sohn Lukas Bauer"` -> `"Lukas
    Bauer"`, `"unser Logistiker Samir Nasser"` -> `"Samir Nasser"`), a writing of it in another
    script after it dropped (`"Chen Xiaoli 陈晓丽"` -> `"Chen Xiaoli"`), whitespace collapsed;
    None when only a title or a role ("Studentinnen") or no letter is left."""
    t = _LIST_MARK.sub("", NICKNAME.sub(" ", trim(text)))
    while True:
        before = t
        role = _ROLE_BEFORE_TITLE.match(t)
        if role and role[1].lower() not in _JOINERS:
            t = t[role.end(1):]  # "(Herr) Bürgermeisterin Dr. Elke Steinbrecher": the role goes
        t = _CREDENTIAL.sub("", _TITLE.sub("", t.lstrip(" -"), count=1), count=1)
        words = t.split(" ")
        if len(words) > 2 and words[0].lower() in _POSSESSIVES and (
                words[1].lower() in _ROLES or words[1].lower() in _RELATIONS):
            words = words[1:]
        if len(words) > 1 and (words[0].lower().rstrip(":") in _LABELS  # "Names Oluwaseun"
                               or words[0].lower() in _ROLES or words[0].lower() in _RELATIONS):
            t = " ".join(words[1:])
        elif words and words[0].lower() in _ROLES:
            t = ""  # "Studentinnen": a role alone
        if t == before:
            break
    t = _given_name_first(_IN_LATIN.sub("", t).strip(EDGE))
    if " " not in t and len(t) <= 3 and t.casefold() in stop_words():
        return None  # "He", "Sie", "wir": a pronoun; longer stop words can be names ("Will")
    return t if any(c.isalpha() for c in t) else None  # "+" between two names is none


# a family name in capitals before the given name, as East Asian names are often written in
# international mail: "TAKAHASHI Kenji", "PARK Ji-hoon", "AL-RASHID Mohammed" (three letters
# or more, or hyphenated parts: "AJ Smith" writes initials)
_FAMILY_FIRST = re.compile(r"(?P<family>[A-ZÄÖÜ]{2,}(?:-[A-ZÄÖÜ]{2,})+|[A-ZÄÖÜ]{3,})[ \t]+"
                           r"(?P<given>[A-ZÄÖÜ][a-zäöüß]+(?:-[A-Za-zäöüß][a-zäöüß]+)?)")


def _given_name_first(name: str) -> str:
    """A name written family name first in capitals, given name first as the form writes
    names ("TAKAHASHI Kenji" -> "Kenji Takahashi"); any other name unchanged."""
    m = _FAMILY_FIRST.fullmatch(name)
    if m is None:
        return name
    return f"{m['given']} {'-'.join(p.capitalize() for p in m['family'].split('-'))}"


def completed_name(name: str, full_names: Iterable[str]) -> str:
    """`name` as the one name of `full_names` it is part of ("Weber" -> "Thomas Weber",
    "Tom" -> "Tom Hartmann"): a name written once in full and later by one of its words is
    the same person, and so is one written by its initial ("R. Menon" -> "Ravi Shankar Menon",
    `abbreviates`). `name` itself when no full name, or more than one, holds all its words."""
    words = name.casefold().split()
    match = {f for f in full_names if len(f.split()) > len(words)
             and set(words) <= set(f.casefold().split()) or abbreviates(name, f)}
    return match.pop() if len(match) == 1 else name


def distinct_people(names: Iterable[str]) -> list[str]:
    """The travellers once each, in order: a repeat, or a lone first name or surname of a full
    name also given ("Professor Haruki Tanaka ... Tanaka", "Herrn Kranz" in a forward from
    Oliver Kranz), is the same person."""
    out = list(dict.fromkeys(names))
    full = [n.casefold().split() for n in out if len(n.split()) > 1]
    return [n for n in out if len(n.split()) > 1
            or not any(n.casefold() in (f[0], f[-1]) for f in full)]


def goes_by(short: str, first: str) -> bool:
    """Whether a person called `first` signs as `short`: the same first name, a short form
    that begins it ("Rob" for Robert, "Matt" for Matthew, "Dan" for Daniel; three letters at
    least), or one made by an -i, -y or -ie on such a beginning ("Michi" for Michael, "Kathy"
    for Katherine), one that ends it (four letters at least: "Seun" for Oluwaseun, "Emeka"
    for Chukwuemeka), or one of the lexicon's that do not begin it ("Tom" for Thomas)."""
    a, b = short.casefold().rstrip("."), first.casefold()
    stem = re.sub(r"(?:ie|i|y)$", "", a) if len(a) >= 4 else ""
    return a == b or (len(a) >= 3 and len(b) > len(a) and b.startswith(a)) \
        or (len(a) >= 4 and len(b) >= len(a) + 2 and b.endswith(a)) \
        or b in _SHORT_FORMS.get(a, ()) or (
        len(stem) >= 3 and stem != a and len(b) > len(stem) + 1 and b.startswith(stem))


def initials_of(short: str, name: str) -> bool:
    """Whether `short` signs `name` by its initials ("G.B." for Georg Brandstätter)."""
    letters = re.sub(r"\W", "", short)
    return 2 <= len(letters) <= 4 and letters.isupper() and letters == "".join(
        w[0] for w in name.split()).upper()


def abbreviates(short: str, name: str) -> bool:
    """Whether `short` writes `name` with a word cut to its initial ("Alejandro Gutiérrez R."
    for Alejandro Gutiérrez Ramírez, "Anna S." for Anna Schmidt): the same words otherwise; or
    by its first initial and surname alone ("R. Menon" for Ravi Shankar Menon)."""
    a, b = short.split(), name.split()
    if len(a) == 2 and len(b) > 2 and len(a[0].rstrip(".")) == 1 and a[0][:1].isupper():
        return a[0][0].casefold() == b[0][0].casefold() and a[1].casefold() == b[-1].casefold()
    initial = [len(w.rstrip(".")) == 1 and w[:1].isupper() for w in a]
    return len(a) == len(b) >= 2 and any(initial) and all(
        (w[0].casefold() == v[0].casefold()) if cut else w.casefold() == v.casefold()
        for w, v, cut in zip(a, b, initial, strict=True))


def same_people(names: Iterable[str], others: Iterable[str]) -> bool:
    """Whether every name of `names` is one of `others` or a part of exactly one of them."""
    pool = list(others)
    return all(n in pool or completed_name(n, pool) != n for n in names)


def same_author(author: str | None, name: str | None) -> bool:
    """Whether a message's `author` (a segment's) is the person `name`d (a sender's)."""
    a, b = normalize_traveler(author or ""), normalize_traveler(name or "")
    return bool(a and b and a.casefold() == b.casefold())
