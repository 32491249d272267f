"""The thread step (extractor/thread.py): a reply combined with the booking quoted under it."""

import datetime as dt

from extractor.form import Evidence, Stay
from extractor.reply_dates import moved_by
from extractor.thread import answer_intent, combine, shift


def stay(source="model", **values):
    return Stay.model_validate({k: {"value": v, "confidence": 0.9, "source": source,
                                    "evidence": [{"start": 0, "end": 1}]}
                                for k, v in values.items()})


CONFIRMED = stay(destination="Lisbon", check_in=dt.date(2026, 3, 9),
                 check_out=dt.date(2026, 3, 12), nights=3, rooms=1, guests=1,
                 room_type="single", hotel_name="Hotel Avenida Palace",
                 traveler_names=["Inês Carvalho"])


def test_a_later_check_out_keeps_the_rest_of_the_quoted_booking():
    reply = stay(check_out=dt.date(2026, 3, 13))
    [out], changes = combine("modification", [reply], [CONFIRMED])
    assert out.check_out.value == dt.date(2026, 3, 13)
    assert out.check_in.value == dt.date(2026, 3, 9)
    assert out.check_in.source == "history" and out.hotel_name.source == "history"
    assert out.nights.value == 4 and out.nights.source == "derived"
    assert out.traveler_names.value == ["Inês Carvalho"]
    assert [(c.field, c.old, c.new) for c in changes] == [
        ("check_out", "2026-03-12", "2026-03-13")]


def test_an_extra_night_moves_the_check_out():
    reply = stay(nights=4)
    [out], changes = combine("modification", [reply], [CONFIRMED])
    assert out.check_out.value == dt.date(2026, 3, 13)
    assert [(c.field, c.old, c.new) for c in changes] == [("nights", 3, 4)]


def test_an_answer_to_a_question_completes_the_quoted_request():
    quoted_request = stay(destination="Lisbon", near="Parque das Nações", breakfast=True)
    answer = stay(check_in=dt.date(2026, 4, 14), check_out=dt.date(2026, 4, 16),
                  room_type="double")
    [out], changes = combine("new_booking", [answer], [quoted_request])
    assert out.destination.value == "Lisbon" and out.destination.source == "history"
    assert out.near.value == "Parque das Nações" and out.breakfast.value is True
    assert out.room_type.value == "double" and changes == []


def test_a_new_request_above_an_old_booking_keeps_nothing_of_it():
    new = stay(destination="Porto", check_in=dt.date(2026, 5, 2), nights=1)
    [out], _ = combine("new_booking", [new], [CONFIRMED])
    assert out.hotel_name.value is None and out.traveler_names.value is None


def test_a_cancellation_by_reply_names_the_quoted_booking():
    [out], changes = combine("cancellation", [], [CONFIRMED])
    assert (out.destination.value, out.check_in.value, out.hotel_name.value) == (
        "Lisbon", dt.date(2026, 3, 9), "Hotel Avenida Palace")
    assert out.traveler_names.value == ["Inês Carvalho"] and out.rooms.value == 1
    assert out.room_type.value is None  # no wishes
    assert (out.guests.value, out.guests.source) == (1, "history")  # whom it was booked for
    assert changes == []


def test_quoted_evidence_is_moved_into_the_thread():
    [moved] = shift([CONFIRMED], 500)
    assert moved.destination.evidence == [Evidence(start=500, end=501)]
    assert CONFIRMED.destination.evidence == [Evidence(start=0, end=1)]


def test_a_confirmations_rate_is_no_budget_of_the_changed_booking():
    rated = CONFIRMED.model_copy(deep=True)
    rated.max_price = stay(max_price={"amount": 229, "currency": "EUR"}).max_price
    [out], _ = combine("modification", [stay(check_out=dt.date(2026, 3, 13))], [rated])
    assert out.max_price.value is None
    assert out.hotel_name.value == "Hotel Avenida Palace"


def test_a_reply_naming_some_quoted_guests_by_first_name_means_the_whole_booking():
    booked = stay(destination="Oslo", check_in=dt.date(2026, 6, 1), rooms=2,
                  traveler_names=["Ingrid Dahl", "Per Dahl"])
    # "Per can't travel, please cancel": the booking cancelled is the quoted one, both guests
    [out], _ = combine("cancellation", [stay(traveler_names=["Per"])], [booked])
    assert out.traveler_names.value == ["Ingrid Dahl", "Per Dahl"]
    assert out.traveler_names.source == "history"
    # "Per and I will share one room": still the booking's two guests, as the quote writes them
    [out], _ = combine("modification", [stay(rooms=1, traveler_names=["Per", "Ingrid Dahl"])],
                       [booked])
    assert out.traveler_names.value == ["Ingrid Dahl", "Per Dahl"] and out.rooms.value == 1


def test_a_reply_adding_a_guest_keeps_its_names_completed_from_the_quote():
    booked = stay(destination="Oslo", traveler_names=["Ingrid Dahl"])
    reply = stay(traveler_names=["Ingrid", "Jonas Berg"])
    [out], _ = combine("modification", [reply], [booked])
    assert out.traveler_names.value == ["Ingrid Dahl", "Jonas Berg"]
    assert out.traveler_names.source == "model"


def test_an_answer_giving_the_arrival_gets_the_departure_from_the_quoted_nights():
    asked = stay(destination="Hamburg", nights=3)
    answer = stay(check_in=dt.date(2026, 9, 7))
    [out], _ = combine("new_booking", [answer], [asked])
    assert out.check_out.value == dt.date(2026, 9, 10) and out.check_out.source == "derived"
    [out], _ = combine("new_booking", [stay(check_out=dt.date(2026, 9, 10))], [asked])
    assert out.check_in.value == dt.date(2026, 9, 7)


def test_an_answer_to_the_agencys_question_is_a_new_booking_whatever_it_reads_as():
    question = "Hallo Herr Kern,\nan welchen Tagen brauchen Sie das Zimmer?\nGruß, Ihr Reisebüro\n\n"
    quote = question + "Hi, bitte ein EZ in Jena, 2 Nächte.\nKern"
    assert answer_intent("modification", quote, len(question)) == "new_booking"
    assert answer_intent("not_hotel", quote, len(question)) == "new_booking"
    assert answer_intent("cancellation", quote, len(question)) == "cancellation"
    # a question under a confirmation is about a booking: a change stays a change
    booked = "Ihr Zimmer ist gebucht. Brauchen Sie noch etwas?\n\n" + quote
    assert answer_intent("modification", booked, 30) == "modification"
    # a quote that asks nothing is no question answered
    assert answer_intent("modification", "Hi, bitte ein EZ in Jena.\nKern", 10) == "modification"


def test_moving_the_whole_booking_moves_both_quoted_dates():
    text = "Könnten Sie die Buchung bitte um eine Woche nach hinten verschieben?"
    [out], changes = combine("modification", [], [CONFIRMED], text=text,
                             reference=dt.date(2026, 2, 20))
    assert (out.check_in.value, out.check_out.value) == (dt.date(2026, 3, 16),
                                                         dt.date(2026, 3, 19))
    assert out.nights.value == 3 and out.hotel_name.value == "Hotel Avenida Palace"
    assert [(c.field, c.new) for c in changes] == [("check_in", "2026-03-16"),
                                                   ("check_out", "2026-03-19")]
    assert moved_by("could you bring it forward by two days?")[0] == dt.timedelta(days=-2)
    assert moved_by("ich bleibe eine Nacht länger") is None
    # what moves may take a few words
    assert moved_by("Can we push our whole booking back by a week?")[0] == dt.timedelta(7)
    assert moved_by("we pushed back our plans") is None  # by nothing: no move


def test_a_departure_named_by_its_weekday_follows_the_booked_arrival():
    # the reply, written weeks before the stay, asks to stay "until Friday": the Friday of
    # the booked stay (13 March), not the one after the reply
    text = "Please extend my stay until Friday."
    start = text.index("Friday")
    reply = Stay.model_validate({"check_out": {
        "value": dt.date(2026, 2, 27), "confidence": 0.9, "source": "model",
        "evidence": [{"start": start, "end": start + len("Friday")}]}})
    [out], changes = combine("modification", [reply], [CONFIRMED], text=text,
                             reference=dt.date(2026, 2, 24))
    assert out.check_out.value == dt.date(2026, 3, 13) and out.nights.value == 4
    assert [(c.field, c.old, c.new) for c in changes] == [
        ("check_out", "2026-03-12", "2026-03-13")]


def test_a_guest_who_comes_along_joins_the_quoted_guests():
    text = "Statt des Einzelzimmers bitte ein Doppelzimmer, da mich meine Frau, Monika Vogt, begleitet."
    [out], _ = combine("modification", [stay(room_type="double", traveler_names=["Monika Vogt"])],
                       [CONFIRMED], text=text)
    assert out.traveler_names.value == ["Inês Carvalho", "Monika Vogt"]
    assert (out.guests.value, out.guests.source) == (2, "derived")
    # without a word that she comes along, the reply's guest replaces the quoted one
    [out], _ = combine("modification", [stay(traveler_names=["Monika Vogt"])], [CONFIRMED],
                       text="Bitte auf Frau Monika Vogt umbuchen.")
    assert out.traveler_names.value == ["Monika Vogt"]


def test_a_room_added_to_the_quoted_booking_counts_with_it():
    text = "Ana is joining me after all: could you add a second single room for her?"
    [out], changes = combine("modification", [stay(traveler_names=["Ana Lima"])], [CONFIRMED],
                             text=text)
    assert (out.rooms.value, out.rooms.source) == (2, "derived")
    assert ("rooms", 1, 2) in [(c.field, c.old, c.new) for c in changes]
    [out], _ = combine("modification", [], [CONFIRMED], text="Bitte noch ein Zimmer dazu.")
    assert out.rooms.value == 2
    [out], _ = combine("modification", [stay(nights=4)], [CONFIRMED],
                       text="One more night please, same room.")
    assert out.rooms.value == 1  # a night more, no room more


def test_a_new_room_kind_instead_of_the_booked_one_keeps_its_own_count():
    twins = CONFIRMED.model_copy(update={"rooms": stay(rooms=2).rooms})
    reply = Stay.model_validate({
        "room_type": {"value": "twin", "confidence": 0.9, "source": "model"},
        "rooms": {"value": 1, "confidence": 0.9, "source": "derived"}})
    text = "nur ein Twin room statt zwei Singles, wir teilen uns das Zimmer"
    [out], _ = combine("modification", [reply], [twins], text=text)
    assert (out.room_type.value, out.rooms.value) == ("twin", 1)
    # a room of another kind added to the booking: the booked ones count with it
    text = "bitte noch ein Twin-Zimmer dazubuchen"
    [out], _ = combine("modification", [reply], [twins], text=text)
    assert out.rooms.value == 3


def test_a_spouse_the_reply_names_with_the_writer_stays_beside_the_quoted_guest():
    text = "Good news: my wife Anne is coming along after all. A double for the two of us?"
    reply = stay(source="derived", traveler_names=["Anne Carvalho", "Inês Carvalho"])
    [out], _ = combine("modification", [reply], [CONFIRMED], text=text)
    assert sorted(out.traveler_names.value) == ["Anne Carvalho", "Inês Carvalho"]
    # without anyone coming along, the writer only implied gives way to the quoted guest
    reply = stay(source="derived", traveler_names=["Claire Dunphy"])
    [out], _ = combine("modification", [reply], [CONFIRMED], text="Could you amend it?")
    assert out.traveler_names.value == ["Inês Carvalho"]


def test_cutting_the_last_or_first_night_moves_that_end_of_the_quoted_booking():
    text = "leider müssen wir früher zurück - bitte die letzte Nacht\nstornieren."
    [out], changes = combine("modification", [], [CONFIRMED], text=text)
    assert (out.check_in.value, out.check_out.value) == (dt.date(2026, 3, 9), dt.date(2026, 3, 11))
    assert out.nights.value == 2
    assert [(c.field, c.new) for c in changes] == [("check_out", "2026-03-11")]
    [out], _ = combine("modification", [], [CONFIRMED], text="Please cancel the first night.")
    assert (out.check_in.value, out.check_out.value) == (dt.date(2026, 3, 10), dt.date(2026, 3, 12))


def test_an_arrival_said_by_its_weekday_is_the_one_nearest_the_booked_arrival():
    text = "Frau Carvalho reist einen Tag früher an, also schon am Sonntag."
    at = text.index("Sonntag")
    reply = Stay.model_validate({"check_in": {"value": dt.date(2026, 3, 1), "confidence": 0.9,
                                              "evidence": [{"start": at, "end": at + 7}]}})
    [out], _ = combine("modification", [reply], [CONFIRMED], text=text)
    assert (out.check_in.value, out.check_out.value) == (dt.date(2026, 3, 8), dt.date(2026, 3, 12))
    # the weekday of the new departure is no arrival: the booked one stands
    text = "my meetings end on Wednesday, so could you change check-out to Wednesday 11 March?"
    at = text.index("Wednesday")
    reply = Stay.model_validate({
        "check_in": {"value": dt.date(2026, 2, 25), "confidence": 0.8,
                     "evidence": [{"start": at, "end": at + 9}]},
        "check_out": {"value": dt.date(2026, 3, 11), "confidence": 0.9,
                      "evidence": [{"start": text.index("Wednesday 11"), "end": len(text) - 1}]}})
    [out], _ = combine("modification", [reply], [CONFIRMED], text=text)
    assert (out.check_in.value, out.check_out.value) == (dt.date(2026, 3, 9), dt.date(2026, 3, 11))


def test_a_move_said_of_one_end_moves_that_date_only():
    delta, _, ends = moved_by("Mr Al-Sayed now needs to arrive one day earlier, on the 2nd, "
                              "as his meeting was moved forward. Departure stays the same.")
    assert (delta, ends) == (dt.timedelta(days=-1), ("check_in",))
    assert moved_by("Can we check out one day later?")[2] == ("check_out",)
    text = "Mr Okafor needs to arrive one day earlier. Departure stays the same."
    [out], _ = combine("modification", [], [CONFIRMED], text=text,
                       reference=dt.date(2026, 2, 20))
    assert (out.check_in.value, out.check_out.value) == (
        CONFIRMED.check_in.value - dt.timedelta(days=1), CONFIRMED.check_out.value)
    # an adverb may stand before the amount of a move of the whole booking
    delta, _, ends = moved_by("der Termin verschiebt sich um genau eine Woche nach hinten")
    assert (delta, ends) == (dt.timedelta(days=7), ("check_in", "check_out"))
