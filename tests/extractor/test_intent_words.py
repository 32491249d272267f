"""The intent as the thread and the words read it (extractor/intent_words.py)."""


def test_cancelling_one_night_changes_the_booking():
    from extractor.intent_words import cut_night
    assert cut_night("cancellation", "bitte die letzte Nacht stornieren, ich reise früher ab") \
        == "modification"
    assert cut_night("cancellation", "Please cancel the first night, I arrive a day later.") \
        == "modification"
    assert cut_night("cancellation", "leider müssen wir schon am Mittwoch zurück - bitte die "
                     "letzte Nacht\nstornieren. Der Rest bleibt.") == "modification"  # wrapped
    # the whole booking cancelled, or a night named in another sentence, stays a cancellation
    assert cut_night("cancellation", "Please cancel my booking for one night in Ulm.") \
        == "cancellation"
    assert cut_night("cancellation", "Bitte stornieren. Die letzte Nacht war laut.") \
        == "cancellation"
    assert cut_night("new_booking", "cancel the last night") == "new_booking"
    # a reply the model read as no request, taking a night off the booking quoted under it
    from extractor.intent_words import cancel_intent
    reply = ("Please take off the last night, I'll fly back on Wednesday evening. Could you "
             "recommend a restaurant near the hotel?")
    assert cut_night(cancel_intent("not_hotel", reply, "Check-in: Monday 18 May"), reply) \
        == "modification"
    assert cancel_intent("not_hotel", "Please cancel the restaurant table.", "Booked: ...") \
        == "not_hotel"


def test_cancelling_part_of_a_booking_while_the_rest_stays_changes_it():
    from extractor.intent_words import cut_night
    assert cut_night("cancellation", "Kev's off sick so can you drop his room, the other 3 "
                     "are still going") == "modification"
    assert cut_night("cancellation", "Bitte sein Zimmer stornieren, wir sind dann nur zu "
                     "zweit (Herr Leitner und ich). Rest bleibt wie gehabt.") == "modification"
    assert cut_night("cancellation", "Bitte stornieren Sie die Buchung vom 11. bis 13. "
                     "Dezember.") == "cancellation"


def test_a_reply_cancelling_the_quoted_booking_is_a_cancellation():
    from extractor.intent_words import cancel_intent
    quote = "Sehr geehrte Frau Schäfer,\nwir bestätigen: Factory Hotel Münster, 7.-9. Juli."
    text = "hiermit stornieren wir die unten aufgeführte Reservierung Nr. 2025-1188 vollständig."
    assert cancel_intent("not_hotel", text, quote) == "cancellation"
    assert cancel_intent("not_hotel", "Please cancel the booking below, thanks.", quote) \
        == "cancellation"
    # no quoted booking, or no word of cancelling, leaves the model's reading
    assert cancel_intent("not_hotel", text, None) == "not_hotel"
    assert cancel_intent("not_hotel", "Danke für die Bestätigung der Reservierung!", quote) \
        == "not_hotel"
    assert cancel_intent("not_hotel", "Please cancel the flight booking below.", quote) \
        == "not_hotel"


def test_a_writer_asking_for_a_room_in_so_many_words_books_one_whatever_else_the_mail_says():
    from extractor.intent_words import asks_for_room
    text = ("für die Nacht von Sonntag auf Montag bräuchte ich ein Zimmer im Hilton Munich\n"
            "Airport. Mein Flug nach Toronto geht am Montag um 7:10 ab Terminal 2.")
    assert asks_for_room("not_hotel", text) == "new_booking"
    assert asks_for_room("not_hotel", "Could you book me a hotel near the venue?") \
        == "new_booking"
    # above a forwarded invitation, a room code and whom it is for between
    assert asks_for_room("not_hotel", "anbei die Einladung. Bitte buchen Sie für Frau Elif "
                         "Demir und mich je ein Einzelzimmer in der Nähe des Werks.") \
        == "new_booking"
    # whom it is for may take most of a line
    assert asks_for_room("not_hotel", "anbei die Einladung zum Workshop in Gent. Bitte buchen "
                         "Sie für mich und meine Kollegin Ines Marquardt je ein Einzelzimmer.") \
        == "new_booking"
    # the hotel asked for by its article, over an organiser's mail attached
    assert asks_for_room("not_hotel", "We would like you to book the hotel for our squad.") \
        == "new_booking"
    # a hotel invoice, a flight or a table asked for is no room
    assert asks_for_room("not_hotel", "I need a copy of the hotel invoice for May.") \
        == "not_hotel"
    assert asks_for_room("not_hotel", "I need the hotel invoice for May.") == "not_hotel"
    assert asks_for_room("not_hotel", "Bitte buchen Sie einen Tisch für vier Personen.") \
        == "not_hotel"
    # German puts the verb last: "bitte ... je ein EZ im Hotel unten buchen"
    assert asks_for_room("not_hotel", "Könnten Sie für Frau Okafor und mich bitte zwei Zimmer "
                         "im unten genannten Hotel reservieren?") == "new_booking"
    assert asks_for_room("not_hotel", "Wir haben ein Zimmer im Hilton gebucht.") == "not_hotel"
    assert asks_for_room("not_hotel", "Sie müssen kein Zimmer buchen.") == "not_hotel"


def test_a_writer_saying_there_is_nothing_to_do_books_nothing():
    from extractor.intent_words import no_action
    text = ("zur Ablage unten das Einladungsschreiben. Das Hotel ist bereits über Sie gebucht, "
            "es ist nichts weiter zu\ntun.")
    assert no_action("new_booking", text) == "not_hotel"
    assert no_action("modification", "Das Hotel hat sie selbst verlängert, da ist nichts zu "
                                      "tun. Bitte nur den Flug umbuchen.") == "not_hotel"
    # asking for a room outweighs it
    assert no_action("new_booking", "Nothing else to do for Berlin, but I need a room in Ulm "
                                    "on 3 May.") == "new_booking"


def test_a_text_naming_no_stay_and_no_booking_asks_nothing_of_a_hotel():
    from extractor.intent_words import nothing_asked
    assert nothing_asked("modification", False, "thanks, that's all for now!") == "not_hotel"
    assert nothing_asked("new_booking", False, "haha no worries. how's your day going?") \
        == "not_hotel"
    # a stay found, or a word naming a booking, a room or a cancellation keeps the intent
    assert nothing_asked("modification", True, "can we make it friday instead?") == \
        "modification"
    assert nothing_asked("cancellation", False, "please cancel it, thanks") == "cancellation"
    assert nothing_asked("modification", False, "Bitte um Rückruf wegen der Buchung") == \
        "modification"


def test_a_reply_changing_the_confirmed_booking_is_a_modification():
    from extractor.intent_words import change_intent
    quote = "Liebe Frau Fenske,\ndie Reservierung ist bestätigt: Hotel Limmatblick, 9.-11.2."
    text = "Herr Prof. Haas muss seinen Aufenthalt um eine Woche verschieben."
    assert change_intent("new_booking", text, quote) == "modification"
    assert change_intent("not_hotel", "Please add one more room for her in the same hotel.",
                         "Your booking is confirmed: Trident, 3-6 Nov") == "modification"
    # no confirmed booking quoted, or no word of a change, leaves the model's reading
    assert change_intent("new_booking", text, "Welche Daten brauchen Sie?") == "new_booking"
    assert change_intent("new_booking", text, None) == "new_booking"
    assert change_intent("new_booking", "Vielen Dank, passt so!", quote) == "new_booking"


def test_a_text_saying_not_to_book_yet_or_that_the_hotel_needs_nothing_asks_for_nothing():
    from extractor.intent_words import no_action
    assert no_action("modification", "Bitte meinen Rückflug umbuchen. Das Hotel bleibt "
                     "unverändert, da muss nichts gemacht werden.") == "not_hotel"
    assert no_action("new_booking", "Please don't book anything yet, we'll confirm the "
                     "dates next week.") == "not_hotel"


def test_asking_whether_a_room_is_free_asks_for_one():
    from extractor.intent_words import asks_for_room
    for text in ("habt ihr über silvester noch was in berlin frei? 31.12.–2.1., juniorsuite",
                 "any double rooms left in sevilla this weekend? fri + sat night",
                 "Is there anything available near the Messe on 3 May?"):
        assert asks_for_room("not_hotel", text) == "new_booking", text
    for text in ("Do you have the invoice available?", "u guys open on sundays?"):
        assert asks_for_room("not_hotel", text) == "not_hotel", text


def test_mail_about_a_stay_that_is_over_asks_for_no_room():
    from extractor.intent_words import after_the_stay
    complaint = ("I'm writing about my stay at the Garden City Hotel (24-28 May). The air con was "
                 "broken. Could you ask the hotel for a refund?")
    invoice = ("ich war vom 9. bis 12. Februar in Wien, im Hotel Motto. Für meine "
               "Spesenabrechnung brauche ich die Rechnung.")
    bill = "Ich brauche die Rechnung für unseren Aufenthalt im Hotel Atlantic letzte Woche."
    issued = ("Die Rechnung vom Hotel Seeblick (2.–4.3.) wurde auf meinen Namen ausgestellt, "
              "bitte auf die Firma ändern.")
    for text in (complaint, invoice, bill, issued):
        assert after_the_stay("new_booking", text) == "not_hotel", text
    # a booking that mentions the invoice, or a past stay and a new room, still asks
    assert after_the_stay("new_booking", "Bitte 1 EZ in Graz, 3.-5. Mai. Rechnung an die "
                                         "Firma.") == "new_booking"
    assert after_the_stay("new_booking", "Bitte ein Zimmer in Graz 3.-5. Mai, das Hotel war "
                                         "letztes Mal super. Rechnung an die Firma.") == "new_booking"
    assert after_the_stay("new_booking", "My stay in May was great, no complaint at all: "
                                         "could you book me a room there again, 3-5 July?") \
        == "new_booking"


def test_a_stays_form_from_a_travel_or_approval_tool_asks_for_it():
    from extractor.intent_words import form_request

    form = ("Reiseanfrage genehmigt – Buchungsauftrag\n\nReisende/r: Mag. Petra Holzer\n"
            "Reiseziel: Kraków (PL)\nAnreise: 22.06.2026\nAbreise: 25.06.2026\n"
            "Zimmerkategorie: Einzelzimmer\nHotelwunsch: Hotel Stary")
    assert form_request("not_hotel", form) == "new_booking"
    change = ("TripPilot – Änderungsanfrage\nReisende/r: Lukas Brenner\nHotel: Hotel Amigo\n"
              "Check-in (bisher): 06.10.2026\nCheck-in (neu): 05.10.2026\nCheck-out: 08.10.2026")
    assert form_request("not_hotel", change) == "modification"
    # the agency confirming a booking, an invoice for one, or a form without an arrival: no
    confirmed = "Your booking is confirmed.\nGuest: Anna Berg\nCheck-in: 3 May\nCheck-out: 5 May"
    assert form_request("not_hotel", confirmed) == "not_hotel"
    happy = confirmed.replace("Your booking is confirmed.", "we are happy to confirm the booking:")
    assert form_request("not_hotel", happy) == "not_hotel"
    invoice = "Ihre Rechnung für den Aufenthalt\nGast: Anna Berg\nAnreise: 3.5.\nAbreise: 5.5."
    assert form_request("not_hotel", invoice) == "not_hotel"
    assert form_request("not_hotel", "Hotel: Ibis\nZimmer: EZ\nGast: Anna Berg") == "not_hotel"
    # what the model read as a request stays one
    assert form_request("cancellation", form) == "cancellation"


def test_a_text_changing_the_writers_own_booking_is_a_modification():
    from extractor.intent_words import change_intent, own_booking_changed
    assert own_booking_changed("new_booking", "Können Sie mein EZ im Hotel Paris Prag (28.–31.1.) "
                               "in ein DZ umwandeln?") == "modification"
    assert own_booking_changed("new_booking", "Bin im Motel One, gebucht bis morgen. Bitte 1 "
                               "Nacht verlängern.") == "modification"
    # a booking asked for that names no booking of the writer's, or changes nothing
    assert own_booking_changed("new_booking", "Bitte ein EZ in Prag, 28.–31.1., verlängern "
                               "kann ich später.") == "new_booking"
    assert own_booking_changed("new_booking", "For my trip I need a room in Rome, 3-5 May.") \
        == "new_booking"
    # a reply pushing the quoted booking back a week changes it
    assert change_intent("new_booking", "wir müssen unsere Reise um eine Woche nach hinten "
                         "schieben", "Ihre Buchung ist bestätigt: The Balmoral") == "modification"


def test_a_flight_changed_while_the_hotel_stays_as_it_is_asks_nothing_of_a_hotel():
    from extractor.intent_words import final_intent, hotel_kept
    for text in ("Can you put me on the later train to Leeds on the 4th? The hotel (Malmaison, "
                 "4-6 June) stays exactly as it is.",
                 "Bitte den Hinflug nach Porto am 9.6. auf abends umbuchen. Das Hotel (9.–12.6.) "
                 "lassen Sie bitte, wie es ist.",
                 "Please move Dara's flight to Monday, and leave the Bristol hotel alone.",
                 "Rückflug bitte auf Samstag. Hotel bitte nicht verlängern, ich schlafe bei "
                 "meiner Schwester."):
        assert hotel_kept("modification", text) == "not_hotel", text
    # the pipeline's order reaches it: a reply's own words, no quote
    assert final_intent("modification", "Could you move my flight to the 8pm one? The hotel is "
                        "fine as it is.", None, 0) == "not_hotel"
    # the hotel kept as a budget, another hotel cancelled, or a room asked for: a request
    for intent, text in (
            ("new_booking", "Flights are on us; please keep the hotel cheap, 3-5 May in Graz."),
            ("cancellation", "Please cancel the Limerick night, we drive back instead. The Ennis "
                             "hotel stays as booked."),
            ("new_booking", "My flight to Oslo moves to the 3rd; the Bergen hotel stays as it is, "
                            "but please book me a room in Oslo for the 3rd.")):
        assert hotel_kept(intent, text) == intent, text


def test_a_companion_joining_ones_own_booking_after_all_changes_it():
    from extractor.intent_words import own_booking_changed
    assert own_booking_changed("new_booking", "zu meiner Buchung in Ulm (4.-6.3.): mein Kollege "
                               "Arne Falk kommt doch mit, bitte aus dem EZ ein DZ machen.") \
        == "modification"
    assert own_booking_changed("new_booking", "Re my booking in Cork: Dara is joining after all."
                               ) == "modification"
    # a companion in a new request is no change
    assert own_booking_changed("new_booking", "Please book my room in Cork, 3-5 May; my wife "
                               "is coming too.") == "new_booking"



def test_a_table_a_car_or_a_meeting_room_asked_for_instead_of_a_room_is_no_hotel_request():
    from extractor.intent_words import other_service
    for text in ("We're at the Hotel Bristol in Oslo till Friday. Could you book us a table for 6 "
                 "tomorrow at 8?",
                 "Bitte für Dienstag einen Tagungsraum im Hotel Ibis Linz reservieren, 12 "
                 "Personen. Übernachtungen brauchen wir keine.",
                 "Team offsite at the Marriott, 9 to 5. No guest rooms needed."):
        assert other_service("new_booking", text) == "not_hotel", text
    # ... asked beside a room, the room stays asked for
    assert other_service("new_booking", "Please book me a room at the Bristol in Oslo, 3-5 May, "
                         "and a table for two on the 4th.") == "new_booking"
    assert other_service("new_booking", "Bitte zwei Einzelzimmer in Kassel, 3.-5. Mai. Und "
                         "könnten Sie einen Tisch für 6 reservieren?") == "new_booking"
    assert other_service("new_booking", "Hotel Lindner in Kiel, 3-5 May for both of us. No need "
                         "to arrange a transfer.") == "new_booking"
