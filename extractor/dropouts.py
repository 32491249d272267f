"""Drop-outs: a traveller the email names and then says no longer comes ("Frau Meier kann
leider doch nicht", "Priyanka Nair is no longer able to travel") is no guest, in a new
booking or in the booking a reply changes; the adults and single rooms counted with them
follow. Runs after the quoted booking is combined (`extractor.thread.combine`), so a guest
carried over from the quote drops out too; and a changed booking's names are checked against
its adults only here, once the quote's guests stand beside the ones the reply adds, as is a
double for two whose room and adults come from different messages.
"""

from __future__ import annotations

import re

from extractor.counts import derived, every_adult_named, one_double_for_two
from extractor.form import Intent, Stay
from extractor.lexicon import alternation, lexicon
from extractor.merge.vocabulary import NOT_NAME, TITLE
from extractor.requester import NAME
from extractor.values.people import normalize_traveler

__all__ = ["dropped_names", "without_dropouts"]

# the name right before the cue, a word like "leider" or "unfortunately" allowed between
_DROPS_OUT = re.compile(
    rf"(?P<name>(?:{TITLE}\s+)*{NAME}(?:[ \t]+{NAME})?)[ \t]+(?:(?:leider|unfortunately|now|"
    rf"jetzt|sadly)[ \t]+)?{alternation(lexicon().cues.drops_out)}(?![\w])")


def dropped_names(text: str) -> list[str]:
    """The names `text` says no longer come, titles dropped, as written."""
    return [n for m in _DROPS_OUT.finditer(text) if (n := normalize_traveler(m["name"]))
            and not any(w.casefold() in NOT_NAME for w in n.split())]  # "Ich kann leider nicht"


def without_dropouts(stays: list[Stay], text: str, intent: Intent) -> list[Stay]:
    """Copies of `stays` without the travellers `text` says drop out (a name matches by any
    word: "Frau Meier" is Sandra Meier), with adults and single rooms that counted them one
    fewer each, and with the counts that need the whole thread; `stays` themselves when the
    email cancels or asks for no hotel."""
    gone = {w.casefold() for n in dropped_names(text) for w in n.split()}
    if intent not in ("new_booking", "modification"):
        return stays
    # counts that need the whole thread: a double for two, a change's names against its adults
    stays = [one_double_for_two(every_adult_named(s.model_copy()) if intent == "modification"
                                else s.model_copy()) for s in stays]
    if not gone:
        return stays
    out = []
    for stay in stays:
        names = stay.traveler_names.value or []
        keep = [n for n in names if not {w.casefold() for w in n.split()} & gone]
        if len(keep) == len(names) or not keep:
            out.append(stay)
            continue
        copy = stay.model_copy(update={"traveler_names": stay.traveler_names.model_copy(
            update={"value": keep})})
        if stay.guests.value == len(names):
            copy.guests = derived(len(keep), "count_names")
        if stay.room_type.value == "single" and stay.rooms.value == len(names):
            copy.rooms = derived(len(keep), "count_room_kind")
        out.append(copy)
    return out
