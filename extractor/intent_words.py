"""The intent as the thread and the words read it, after the models (`extractor.intent`).

The models read an email's intent from its words as a whole; some words settle it whatever the
models say: a reply cancelling the booking quoted under it is a cancellation (`cancel_intent`),
a cancellation of one night of a stay is a change of it (`cut_night`), a reply changing the
quoted booking is a modification (`change_intent`), an email asking for a room in so many words
(`asks_for_room`) or sending a stay's form from a travel or approval tool (`form_request`) asks
for one, and one about a stay that is over (`after_the_stay`), one that says there is nothing to
do (`no_action`), that changes a flight and keeps the hotel as it is (`hotel_kept`), that asks
for a table, a taxi or a car instead (`other_service`) or that asks nothing of a hotel
(`nothing_asked`) asks for none. `final_intent` runs them in their
order.
"""

from __future__ import annotations

import re

from extractor.form import Intent
from extractor.lexicon import alternation, lexicon
from extractor.reply_dates import CANCEL, CLAUSE, CUTS_A_NIGHT
from extractor.thread import BOOKED, answer_intent

_BOOKING = alternation(lexicon().cues.booking_words)
_ROOM_NOUNS = alternation(lexicon().rooms.room_nouns)
# a cancel verb and what it cancels in one clause, either order
CANCELS_BOOKING = re.compile(rf"(?<!\w)(?:{CANCEL})(?!\w)[^.!?\n]{{0,40}}?(?<!\w)(?:{_BOOKING})"
                              rf"(?!\w)|(?<!\w)(?:{_BOOKING})(?!\w)[^.!?]{{0,50}}?(?<!\w)"
                              rf"(?:{CANCEL})(?!\w)", re.IGNORECASE)
_OTHER_TRAVEL = re.compile(r"(?<!\w)(?:flight|\w*flug|\w*flüge|train|zug|bahn|car|mietwagen|rental"
                           r"|taxi|restaurant|table|tisch)", re.IGNORECASE)  # "Rückflug" too


# the writer asks for a room in one clause: "bräuchte ich ein Zimmer im Hilton", "book me a
# hotel near the venue", "we would like you to book the hotel for our squad", "buchen Sie für
# Frau Demir und mich je ein Einzelzimmer" (a room, never "the hotel invoice"); whom it is for
# may take a line ("buchen Sie für mich und meine
# Kollegin Lena Marquardt je ein Einzelzimmer")
_ASKS_FOR_ROOM = re.compile(
    rf"(?<!\w)(?:{alternation(lexicon().cues.asks)})(?!\w){CLAUSE}{{0,70}}?(?<!\w)"
    rf"(?:ein|eine|einen|a|an|the|one|two|zwei|\d)\s+(?:\w+\s+)?"
    rf"(?:{_BOOKING}|{_ROOM_NOUNS})(?!\w)"
    r"(?![ \t]+(?:invoice|bill|receipt|confirmation|voucher|rechnung|quittung|bestätigung))",
    re.IGNORECASE)


# ... in German, the verb last: "bitte für mich und meinen Kollegen je ein EZ im unten
# empfohlenen Hotel buchen", "könnten Sie uns zwei Zimmer reservieren?" (never "gebucht")
_ASKS_FOR_ROOM_LAST = re.compile(
    rf"(?<!\w)(?:ein|eine|einen|zwei|drei|vier|\d+)\s+(?:\w+\s+)?"
    rf"(?:{_BOOKING}|{_ROOM_NOUNS})(?!\w){CLAUSE}{{0,60}}?"
    r"(?<!\w)(?:zu[ \t]+)?(?:buchen|reservieren)(?!\w)", re.IGNORECASE)


# ... or asks whether one is free: "habt ihr über Silvester noch was in Berlin frei?", "any
# double rooms left in Porto?" (not "do you have the invoice available?")
_ASKS_IF_FREE = re.compile(
    r"(?<!\w)(?:habt ihr|haben sie|hast du|do you have|have you got|is there|are there|gibt es"
    rf"|any)(?!\w)[^.?!\n]{{0,50}}?(?<!\w)(?:(?:{_ROOM_NOUNS})s?|was|etwas"
    r"|anything|something)(?!\w)[^.?!\n]{0,40}?(?<!\w)(?:frei|free|available|left|verfügbar)(?!\w)",
    re.IGNORECASE)


def asks_for_room(intent: Intent, text: str) -> Intent:
    """A text the model read as no hotel request whose writer asks for a room in so many
    words ("für die Nacht von Sonntag auf Montag bräuchte ich ein Zimmer im Hilton Munich
    Airport. Mein Flug ...") or whether one is free ("habt ihr über Silvester noch was in
    Berlin frei?") is a new booking."""
    if intent == "not_hotel" and _asks_for_a_room(text):
        return "new_booking"
    return intent


def _asks_for_a_room(text: str) -> bool:
    return bool(_ASKS_FOR_ROOM.search(text) or _ASKS_FOR_ROOM_LAST.search(text)
                or _ASKS_IF_FREE.search(text))


_NO_ACTION = re.compile(rf"(?<!\w)(?:{alternation(lexicon().cues.no_action)})(?!\w)", re.IGNORECASE)


# what a hotel request names, one word at least: a booking, a room, a night, a cancellation
_ABOUT_A_STAY = re.compile(
    rf"(?<!\w)(?:{_BOOKING}|{_ROOM_NOUNS}|{CANCEL}"
    rf"|{alternation(lexicon().calendar.stay_words)})(?!\w)", re.IGNORECASE)


def nothing_asked(intent: Intent, found_stays: bool, text: str) -> Intent:
    """A text read as a hotel request in which no stay is found and no word names a booking,
    a room, a night or a cancellation ("thanks, that's all for now!", "how's your day
    going?") asks nothing of a hotel: `not_hotel`."""
    if intent != "not_hotel" and not found_stays and not _ABOUT_A_STAY.search(text):
        return "not_hotel"
    return intent


def no_action(intent: Intent, text: str) -> Intent:
    """A text whose writer says there is nothing to do ("Das Hotel ist bereits gebucht, es
    ist nichts weiter zu tun", "no action needed") and asks for no room books or changes
    nothing: `not_hotel`."""
    if intent != "not_hotel" and _NO_ACTION.search(text) and not _ASKS_FOR_ROOM.search(text):
        return "not_hotel"
    return intent


# what the writer asks for is no room, right after the asking: "could you reserve a table for
# 14", "can u book me a taxi from the airport", "bitte einen Mietwagen buchen" ...
_SERVICES = (r"(?:table|tisch|taxi|cab|transfer|shuttle|car|mietwagen|rental car|limousine"
             r"|dinner|restaurant|meeting room|tagungsraum|besprechungsraum|konferenzraum)")
_ASKS_OTHER = re.compile(
    r"(?<!\w)(?<!need to )(?<!n't )(?<!not )(?<!nicht )"  # "No need to arrange a transfer"
    rf"(?:{alternation([*lexicon().cues.asks, 'organise', 'organize', 'arrange'])})"
    r"[ \t]+(?:(?:me|us|uns|mir|für uns|for us)[ \t]+)?(?:a|an|ein|eine|einen)[ \t]+(?:\w+[ \t]+)?"
    rf"{_SERVICES}(?!\w)"
    rf"|(?<!\w)(?:ein|eine|einen)[ \t]+(?:\w+[ \t]+)?{_SERVICES}(?!\w){CLAUSE}{{0,40}}?"
    r"(?<!\w)(?:zu[ \t]+)?(?:buchen|reservieren|bestellen|organisieren)(?!\w)", re.IGNORECASE)
# ... or that no room is needed at all: "No guest rooms needed", "Übernachtungen brauchen wir
# keine" (not one night of a trip: "no hotel needed Thursday", `cues.no_lodging`)
_NO_ROOMS = re.compile(
    r"(?<!\w)(?:no (?:guest |hotel )?rooms (?:are )?(?:needed|required)|(?:übernachtungen|zimmer)"
    r" brauchen wir keine|(?:wir )?brauchen keine (?:zimmer|übernachtungen)|keine (?:zimmer|"
    r"übernachtungen) (?:nötig|notwendig|erforderlich))(?!\w)", re.IGNORECASE)


# ... while rooms are asked for in other words: "we'll need two hotels", "benötigen wir Zimmer",
# "bitte drei Einzelzimmer in Walldorf"
_ROOMS_WANTED = re.compile(
    rf"(?<!\w)(?:{alternation(lexicon().cues.asks)})(?!\w){CLAUSE}{{0,40}}?(?<!\w)"
    rf"(?:{_BOOKING}|{_ROOM_NOUNS})s?(?!\w)"
    r"|(?<!\w)(?:\d+|a|an|one|two|three|four|ein|eine|einen|zwei|drei|vier|fünf)[ \t]+"
    rf"(?:\w+[ \t]+)?(?:{_ROOM_NOUNS})s?(?!\w)", re.IGNORECASE)


def other_service(intent: Intent, text: str) -> Intent:
    """A text that asks for something other than a room (a restaurant table, a taxi, a car, a
    meeting room: "Could you book us a table for 4 tomorrow night?") or says no rooms are
    needed, and asks for no room, asks nothing of a hotel (CONVENTIONS: restaurant tables):
    `not_hotel`."""
    if intent != "not_hotel" and (_ASKS_OTHER.search(text) or _NO_ROOMS.search(text)) \
            and not _asks_for_a_room(text) and not _ROOMS_WANTED.search(text):
        return "not_hotel"
    return intent


# the hotel left as it is: "the hotel (Scandic, 18-20 May) is fine as it is", "Das Hotel
# (12.–15.5.) bleibt bitte genau so", "please leave the Frankfurt hotel alone", "Hotel bitte
# nicht verlängern"; a clause may hold dates' dots ("12.–15.5.")
_IN_CLAUSE = r"(?:[^.!?;\n]|\.(?!\s))"
_HOTEL_KEPT = re.compile(
    rf"(?<!\w)hotel\w*(?!\w){_IN_CLAUSE}{{0,50}}?(?<!\w)(?:stays|remains|is fine|can stay"
    rf"|should stay|bleibt|lassen sie|kann bleiben)(?!\w){_IN_CLAUSE}{{0,25}}?(?<!\w)"
    rf"(?:{alternation(lexicon().cues.kept_as_is)})(?!\w)"
    r"|(?<!\w)(?:leave|don't touch|do not touch|don't change|do not change)[ \t]+the[ \t]+"
    r"(?:\w+[ \t]+)?hotel(?!\w)"
    rf"|(?<!\w)hotel(?!\w){_IN_CLAUSE}{{0,60}}?(?<!\w)nicht[ \t]+(?:verlängern|ändern|anfassen"
    r"|umbuchen|stornieren)(?!\w)", re.IGNORECASE)


def hotel_kept(intent: Intent, text: str) -> Intent:
    """A text that changes a flight or a train and says the hotel stays as it is ("could you
    move my flight to the later connection? The hotel stays exactly as it is") and asks for
    no room asks nothing of a hotel: `not_hotel`."""
    if intent != "not_hotel" and _HOTEL_KEPT.search(text) and _OTHER_TRAVEL.search(text) \
            and not _asks_for_a_room(text):
        return "not_hotel"
    return intent


# the rest of a booking stays when part of it is cancelled: "the other 3 are still going",
# "wir sind dann nur zu zweit", "Rest bleibt wie gehabt"
_REST_STAYS = re.compile(
    r"(?<!\w)(?:the others?|the rest|everyone else|die anderen|der rest|rest bleibt"
    r"|alles andere bleibt|nur (?:noch )?zu (?:zweit|dritt|viert|fünft|fuenft)"
    r"|(?:are|is) still (?:going|coming|travel+ing))(?!\w)", re.IGNORECASE)


def cut_night(intent: Intent, text: str) -> Intent:
    """A cancellation that cancels a night of a stay ("bitte die letzte Nacht stornieren",
    "cancel the first night") changes the booking: a `modification` (CONVENTIONS); so does
    one that cancels a part while the rest stays ("drop his room, the other 3 are still
    going", "sein Zimmer stornieren, wir sind dann nur zu zweit")."""
    if intent == "cancellation" and (CUTS_A_NIGHT.search(text) or _REST_STAYS.search(text)):
        return "modification"
    return intent


def cancel_intent(intent: Intent, text: str, quote: str | None) -> Intent:
    """The intent of a reply whose own words cancel the booking quoted under it ("hiermit
    stornieren wir die unten aufgeführte Reservierung", "please cancel the booking below",
    or a night of it, which `cut_night` makes a change: "please take off the last night"):
    a `cancellation`, where the model read the short reply as no hotel request; not when the
    words are about a flight, a train, a car or a table (a night cut is a hotel's always)."""
    if intent == "not_hotel" and quote is not None and (CUTS_A_NIGHT.search(text) or (
            CANCELS_BOOKING.search(text) and not _OTHER_TRAVEL.search(text))):
        return "cancellation"
    return intent


# words that change a booking or add to it: "eine Woche später", "verschieben", "extend",
# "noch ein Zimmer dazubuchen", "in the same hotel"
_CHANGES = re.compile(rf"(?<!\w)(?:{alternation([*lexicon().cues.changes, *lexicon().cues.adds])})"
                      r"(?!\w)", re.IGNORECASE)


def change_intent(intent: Intent, text: str, quote: str | None) -> Intent:
    """The intent of a reply to a booking the agency confirmed (`quote`) whose own words
    change or add to it ("muss seinen Aufenthalt um eine Woche verschieben", "please add one
    more room for her in the same hotel"): a `modification`, where the model read a new
    booking or no hotel request."""
    if intent in ("new_booking", "not_hotel") and quote is not None and BOOKED.search(quote) \
            and _CHANGES.search(text):
        return "modification"
    return intent


# the writer's own booking, named: "my booking", "mein EZ im Hotel Paris", "booked till thu"
_OWN_BOOKING = re.compile(
    r"(?<!\w)(?:(?:my|our|mein|meine|meinem|meinen|meiner|unsere|unserer|unserem)[ \t]+"
    r"(?:[\w-]+[ \t]+){0,2}?(?:booking|reservation|room|stay|buchung|reservierung|zimmer"
    r"|aufenthalt|ez|dz)|(?:booked|gebucht|reserviert)[ \t]+(?:till|until|thru|bis|from|vom|ab))"
    r"(?!\w)", re.IGNORECASE)


def own_booking_changed(intent: Intent, text: str) -> Intent:
    """A text that names the writer's own booking and changes it ("Bin im Motel One, gebucht
    bis morgen ... Bitte 1 Nacht verlängern", "Können Sie mein EZ im Hotel Paris in ein DZ
    umwandeln?"), read as a new booking where no booking is quoted: a `modification`."""
    if intent == "new_booking" and _OWN_BOOKING.search(text) and _CHANGES.search(text):
        return "modification"
    return intent


# mail about a stay that is over: "my stay at the Garden City (24-28 May) ... a refund",
# "ich war vom 9. bis 12. Februar in Wien ... die Rechnung"
_AFTER_STAY = re.compile(rf"(?<!\w)(?:{alternation(lexicon().cues.after_stay)})(?!\w)"
                         r"|(?<!\w)(?:invoice|receipt|bill|rechnung|quittung)[ \t]+(?:for|from|of|für"
                         r"|vom|von|zum|zur)[ \t]+(?:(?:my|our|the|meinen|unseren|den|dem|die)[ \t]+)?"
                         r"(?:stay|aufenthalt|hotel|übernachtung)", re.IGNORECASE)  # the bill of a stay
_PAST_STAY = re.compile(rf"(?<!\w)(?:{alternation(lexicon().cues.past_stay)})(?!\w)"
                        r"|(?<!\w)(?:hotel|room|zimmer)(?!\w)[^.!?\n]{0,60}?(?<!\w)(?:was|were|war|waren)"
                        r"(?!\w)", re.IGNORECASE)  # "the hotel you booked for us in Rome was dirty"


def after_the_stay(intent: Intent, text: str) -> Intent:
    """A text about a stay that is over, asking for what follows one (a refund, the invoice,
    a complaint heard) and for no room, is no hotel request (CONVENTIONS: complaints, expense
    reports): `not_hotel`."""
    if intent in ("new_booking", "modification") and _AFTER_STAY.search(text) \
            and _PAST_STAY.search(text) and not _asks_for_a_room(text):
        return "not_hotel"
    return intent


# a form's line naming a part of a stay: "Anreise: 22.06.2026", "Check-in (neu): 05.10.2026"
_STAY_LINE = re.compile(
    r"^[ \t]*(?:[\w/.-]+[ \t]+){0,2}?(?P<label>anreise|abreise|check-?in|check-?out|arrival"
    r"|departure|ankunft|abfahrt|hotel\w*|zimmer\w*|rooms?|nächte|nights|reisende\w*|travell?ers?"
    r"|guests?|gäste|gast|reiseziel|destination|verpflegung)(?:/\w+)?\b[^:\n]{0,20}:[ \t]*\S",
    re.IGNORECASE | re.MULTILINE)
_ARRIVAL_LABEL = re.compile(r"anreise|check-?in|arrival|ankunft", re.IGNORECASE)
# ... and what says the form asks for a change: "Änderungsanfrage", "Check-in (bisher)"
_FORM_CHANGE = re.compile(r"änderung|change request|amendment|\((?:neu|new|bisher|previous|old)\)",
                          re.IGNORECASE)
# the agency's own confirmation of a booking, no request (CONVENTIONS): "is confirmed", "we are
# happy to confirm"
_CONFIRMS = re.compile(
    r"(?<!\w)(?:(?:is|are|has been|have been|was|were)[ \t]+(?:\w+[ \t]+)?(?:confirmed|booked)"
    r"|(?:we|to|hereby|can)[ \t]+confirm|(?:ist|sind|wurde|wurden|haben wir)[ \t]+"
    r"(?:\w+[ \t]+){0,2}(?:bestätigt|gebucht|reserviert)|bestätigen (?:wir|ihnen)|zu bestätigen)"
    r"(?!\w)",
    re.IGNORECASE)


def form_request(intent: Intent, text: str) -> Intent:
    """A text the model read as no hotel request that is a form of a stay, as travel and
    approval tools send them (three lines or more "Anreise: 22.06.2026", "Hotel: ...",
    "Reisende/r: ...", one of them the arrival), asks for it: a `modification` when the form
    asks for a change ("Änderungsanfrage", "Check-in (neu)"), else a `new_booking`; not the
    agency's confirmation ("is confirmed") or what follows a stay (an invoice, a complaint)."""
    if intent != "not_hotel" or _CONFIRMS.search(text) or _AFTER_STAY.search(text):
        return intent
    labels = [m["label"] for m in _STAY_LINE.finditer(text)]
    if len(labels) < 3 or not any(_ARRIVAL_LABEL.fullmatch(label) for label in labels):
        return intent
    return "modification" if _FORM_CHANGE.search(text) else "new_booking"


def final_intent(model: Intent, text: str, quote: str | None, answered_end: int) -> Intent:
    """The model's intent as the thread and the words read it: an answer to the agency's open
    question is a new booking (`extractor.thread`), a reply changing the quoted booking a
    modification (`change_intent`), a reply cancelling it a cancellation (`cancel_intent`),
    cancelling one night a change (`cut_night`), and a text about a stay that is over no
    request (`after_the_stay`). `quote` is the quoted history of `text`,
    whose answered message ends at `answered_end`."""
    intent = change_intent(answer_intent(model, quote, answered_end), text, quote)
    if quote is None:  # a reply's words may ask about the quoted booking, not for a new one
        intent = own_booking_changed(after_the_stay(
            asks_for_room(form_request(intent, text), text), text), text)
    return other_service(hotel_kept(no_action(cut_night(cancel_intent(intent, text, quote), text),
                                              text), text), text)
