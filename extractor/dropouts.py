"""Drop-outs: a traveller the email names and then says no longer comes ("Frau Meier kann
leider doch nicht", "Priyanka Nair is no longer able to travel") is no guest, in a new
booking or in the booking a reply changes; nor is someone it names who does not stay ("Michael
Shaw has approved the budget", "Tochter Julia Hartmann wohnt bei Freunden", "approved by: Dr.
Hannah Berg"; lexicon `cues.not_staying_after` and `not_staying_before`); the adults and
single rooms counted with them (or rooms counted by name: "jeweils DZ") follow. A writer who
asks a room for herself and mentions someone by title and surname in passing ("Meine Kollegin
Frau Schüller war im Frühjahr dort") does not book for them (`without_passers_by`, before the
writer is implied). Runs after the quoted booking is combined (`extractor.thread.combine`),
so a guest carried over from the quote drops out too; and a changed booking's names are
checked against its adults only here, once the quote's guests stand beside the ones the reply
adds, as is a double for two whose room and adults come from different messages.
"""

from __future__ import annotations

import re

from extractor.counts import derived, every_adult_named, one_double_for_two
from extractor.form import Intent, Stay
from extractor.lexicon import alternation, lexicon
from extractor.merge.vocabulary import NOT_NAME, STARTS_TITLED, TITLE, TITLE_WORD
from extractor.requester import NAME, OUR_ROLE
from extractor.values.dates import names_a_day
from extractor.values.people import goes_by, normalize_traveler

__all__ = ["dropped_names", "without_dropouts", "without_non_stayers", "without_passers_by"]

# the lexicon's drop-out cues, an adverb allowed before their "nicht"/"not": "fährt
# [diesmal] nicht mit"
_DROP_OUT_CUE = re.sub(r"(?=(?:nicht|not)\b)", lambda _: r"(?:[^\W\d_]+[ \t]+)?",
                       alternation(lexicon().cues.drops_out))
# the name right before the cue, a word like "leider" or "unfortunately" allowed between
_DROPS_OUT = re.compile(
    rf"(?P<name>(?:{TITLE}\s+)*{NAME}(?:[ \t]+{NAME})?)(?:[ \t]+|(?=[’']s\b))(?:ist[ \t]+)?(?:(?:"
    rf"leider|unfortunately|now|jetzt|sadly|seit gestern|seit heute|since yesterday)[ \t]+)?"
    rf"(?i:{_DROP_OUT_CUE})(?![\w])")


# a person named who does not stay, the cue later in the same sentence ("Our CEO, Mr. Alan
# Pryce, will attend the lecture as well, but he is staying with family"; "Frau Dr. Wolff (in
# CC) hat die Reise freigegeben") or right before the name ("approved by", "our host,")
# titles before a name, those that only begin one too: "Herrn Ing. Stefan Hochreiter"
_PERSON = re.compile(rf"(?:(?:{TITLE}|(?i:{alternation(lexicon().people.title_words)})\.?)\s+)*"
                     rf"{NAME}(?:[ \t]+{NAME}){{0,2}}")
_NOT_STAYING_AFTER = re.compile(rf"(?i:{alternation(lexicon().cues.not_staying_after)})")
# and the form labels of approvers that read as a phrase before a name: "approved by"
_BY = [w for w in lexicon().people.not_staying_labels if w.split()[-1] in ("by", "von", "durch")]
_NOT_STAYING_BEFORE = re.compile(
    rf"(?<!\w)(?i:{alternation([*lexicon().cues.not_staying_before, *_BY])})[ \t:]*"
    rf"(?:{OUR_ROLE},[ \t]+)?(?P<name>{_PERSON.pattern})")  # "approved by our COO, Ms. ..."
# the passive's agent: "Die Dienstreise wurde von Herrn Prof. Wendt (Dekanat) bereits genehmigt",
# "ist von Herrn Dr. Brenner freigegeben"; not whose trip it is ("Die Reise von Herrn Kühn ist
# genehmigt": no auxiliary before "von")
_APPROVED_BY = re.compile(
    rf"(?<!\w)(?i:wurde|wurden|ist|sind|war|waren)\s+(?:(?i:bereits|schon)\s+)?"
    rf"(?i:von|durch)\s+(?P<name>{_PERSON.pattern})\s+(?:\([^()\n]*\)\s+)?"
    rf"(?:(?i:bereits|schon)\s+)?(?i:genehmigt|freigegeben|abgesegnet)(?!\w)")
# a sentence's end (a hard-wrapped line goes on): "!", "?", a full stop but a title's, a blank line
_SENTENCE_END = re.compile(r"[.!?](?=\s)|\n[ \t]*\n")
_BRACKETED = re.compile(r"\([^()]*\)")
_REACH = 80  # characters from the person to the cue
# before a name in its sentence: whom the booking is for ("für Frau Kranz"), a label ("Gast:")
_FOR_OR_LABEL = re.compile(r"(?<!\w)(?:for|für|fuer)(?!\w)|:", re.I)
# right before a name: who they are to the writer ("meine Kollegin Frau", "My colleague")
_RELATED = re.compile(rf"(?<!\w)(?i:{alternation(lexicon().people.possessives)})[ \t]+"
                      rf"(?i:{alternation(lexicon().people.relations)})(?:[ \t]+{TITLE})*[ \t]*$")
_JOINS = re.compile(rf"(?<!\w)(?i:{alternation(lexicon().cues.joins)})(?!\w)")


def _not_staying(text: str) -> list[str]:
    """The people `text` names who do not stay: the last name before a cue in its sentence,
    and the name right after a cue that comes first."""
    names = [m["name"] for pattern in (_NOT_STAYING_BEFORE, _APPROVED_BY)
             for m in pattern.finditer(text)]
    for cue in _NOT_STAYING_AFTER.finditer(text):
        lead = text[max(0, cue.start() - _REACH) : cue.start()]
        lead = _BRACKETED.sub(" ", _sentence_tail(lead))  # "Frau Jessen (CC) gibt ..."
        found = [(m.group(), n) for m in _PERSON.finditer(lead) if (n := normalize_traveler(
            m.group())) and not names_a_day(n) and not any(w.casefold() in NOT_NAME
                                                          for w in n.split())]
        # the last one, or the last titled one when only single capitalised words follow it
        # (German nouns: "Frau Wolff (cc) kümmert sich um die Messetickets und bleibt hier")
        titled = [i for i, (raw, n) in enumerate(found) if STARTS_TITLED.match(raw)]
        last = titled[-1] if titled and all(
            len(n.split()) == 1 for _, n in found[titled[-1] + 1 :]) else len(found) - 1
        names += [" ".join(found[last][1].split()[-2:])] if found else []  # not "Tochter Julia"
    return names


def _sentence_tail(text: str) -> str:
    """The last sentence of `text`, so far as it goes ("Mr." and a wrapped line end none)."""
    cut = 0
    for m in _SENTENCE_END.finditer(text):
        word = text[: m.start()].split()[-1:]
        if not (m.group() == "." and word and TITLE_WORD.fullmatch(word[0] + ".")):
            cut = m.end()
    return text[cut:]


def without_passers_by(stay: Stay, text: str, *, related_only: bool = False) -> Stay:
    """`stay` without the travellers written by one word (a surname after a title, a first
    name) whom no "for"/"für" or label stands before in their sentence, nor a cue that they
    come along after: someone mentioned in passing ("Frau Lindqvist hat schon angekündigt,
    ..."), in a writer's request for one room for herself; or, `related_only`, in any booking,
    when the writer says who they are to them ("meine Kollegin Frau Haas hat mir Ihr
    Reisebüro empfohlen", "My colleague Giulia recommended your agency")."""
    names, field = stay.traveler_names.value, stay.traveler_names
    if not names:
        return stay

    def in_passing(start: int, end: int) -> bool:
        lead = _sentence_tail(text[max(0, start - 200) : start])
        rest = text[end : end + 200]
        rest = rest[: m.start()] if (m := _SENTENCE_END.search(rest)) else rest
        return not _FOR_OR_LABEL.search(lead) and not _JOINS.search(rest) and (
            not related_only or bool(_RELATED.search(lead)))

    passing = {n for n in names if len(n.split()) == 1 and (mentions := [
        e for e in field.evidence if n in text[e.start : e.end]]) and all(
        in_passing(e.start, e.end) for e in mentions)}
    if not passing:
        return stay
    keep = [n for n in names if n not in passing]
    evidence = [e for e in field.evidence if not any(n in text[e.start : e.end] for n in passing)]
    return stay.model_copy(update={"traveler_names": field.model_copy(
        update={"value": keep or None, "evidence": evidence})})


def dropped_names(text: str) -> list[str]:
    """The names `text` says no longer come, titles dropped, as written."""
    return _names([m["name"] for m in _DROPS_OUT.finditer(text)])


def _names(found: list[str]) -> list[str]:
    return [n for name in found if (n := normalize_traveler(name))
            and not any(w.casefold() in NOT_NAME for w in n.split())]  # "Ich kann leider nicht"


def _gone(name: str, dropped: set[str], elsewhere: list[tuple[set[str], str]]) -> bool:
    """Whether the traveller `name` drops out (any word of theirs is a dropped name's: "Frau
    Meier" is Sandra Meier; or the short form of their first name: "Kev") or is someone who
    does not stay (`elsewhere`: the words of each such person's name and its last word):
    every word of that person's name is theirs (the
    daughter Julia Hartmann who stays with friends is not Klaus Hartmann), or they are a part
    of that name without its surname ("Al" of "Mr Al Mansoori's office", when Khalid Al
    Mansoori is whom the trip visits)."""
    words = {w.casefold() for w in name.split()}
    first = name.split()[0] if len(name.split()) > 1 else ""  # "Kev" drops Kevin Hughes out
    return bool(words & dropped) or any(goes_by(d, first) for d in dropped if first) or any(
        other <= words or (words < other and last not in words) for other, last in elsewhere)


def _elsewhere(text: str) -> list[tuple[set[str], str]]:
    """The words of each person's name `text` says does not stay, and its last word."""
    return [({w.casefold() for w in n.split()}, n.split()[-1].casefold())
            for n in _names(_not_staying(text))]


def without_non_stayers(stay: Stay, text: str) -> Stay:
    """`stay` without the travellers `text` says do not stay ("My supervisor, Prof. Dr.
    Marieke Jansen, has approved a total of EUR 540"), even when no one is left: run before
    the writer is implied, so that the writer who asks for themselves stays instead."""
    names = stay.traveler_names.value or []
    elsewhere = _elsewhere(text) if names else []
    keep = [n for n in names if not _gone(n, set(), elsewhere)]
    if len(keep) == len(names):
        return stay
    field = stay.traveler_names
    evidence = [e for e in field.evidence if any(w in text[e.start : e.end]
                                                 for n in keep for w in n.split())]
    return stay.model_copy(update={"traveler_names": field.model_copy(
        update={"value": keep or None, "evidence": evidence})})


def without_dropouts(stays: list[Stay], text: str, intent: Intent) -> list[Stay]:
    """Copies of `stays` without the travellers `text` says drop out (a name matches by any
    word: "Frau Meier" is Sandra Meier), with adults and single rooms that counted them one
    fewer each, and with the counts that need the whole thread; `stays` themselves when the
    email cancels or asks for no hotel."""
    if intent not in ("new_booking", "modification"):
        return stays
    gone = {w.casefold() for n in dropped_names(text) for w in n.split()}
    elsewhere = _elsewhere(text)
    # counts that need the whole thread: a double for two, a change's names against its adults
    stays = [one_double_for_two(every_adult_named(s.model_copy()) if intent == "modification"
                                else s.model_copy()) for s in stays]
    if not gone and not elsewhere:
        return stays
    out = []
    for stay in stays:
        names = stay.traveler_names.value or []
        keep = [n for n in names if not _gone(n, gone, elsewhere)]
        if len(keep) == len(names) or not keep:
            out.append(stay)
            continue
        copy = stay.model_copy(update={"traveler_names": stay.traveler_names.model_copy(
            update={"value": keep})})
        if stay.guests.value == len(names):
            copy.guests = derived(len(keep), "count_names")
            if len(keep) == 1 and stay.rooms.value is None:
                copy.rooms = derived(1, "count_alone")  # the one adult left needs one room
        if stay.rooms.value == len(names) and (stay.room_type.value == "single"
                                               or stay.rooms.source == "derived"):
            copy.rooms = derived(len(keep), "count_room_kind")  # a room each, counted by name
        elif stay.room_type.value == "single" and stay.rooms.value == len(keep) \
                and stay.guests.value != len(keep):  # "four people but Hannah can no longer
            copy.guests = derived(len(keep), "count_room_kind")  # travel ... 3 single rooms"
        out.append(copy)
    return out
