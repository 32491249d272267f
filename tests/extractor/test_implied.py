"""Implied values (extractor/implied.py): who stays, how many rooms and adults, children."""

import datetime as dt

from extractor.form import Evidence, FormField, Sender, Stay
from extractor.implied import imply
from extractor.layout import Layout
from extractor.values.counts import normalize_children, normalize_guests


def stay(**values):
    return Stay.model_validate({k: {"value": v, "confidence": 0.95, "source": "model"}
                                for k, v in values.items()})


def implied(text, sender=None, intent="new_booking", known=(), **values):
    base = stay(destination="Graz", check_in=dt.date(2027, 5, 3), nights=2, **values)
    [out] = imply([base], intent=intent, layout=Layout(text), sender=sender, known=known)
    return out


def test_a_signer_asking_for_a_single_for_herself_is_the_one_guest():
    out = implied("Könnten Sie mir bitte ein EZ in Graz buchen, 3.-5. Mai?\n\n"
                  "Viele Grüße\nMag. Verena Holzer", room_type="single")
    assert out.traveler_names.value == ["Verena Holzer"]
    assert out.traveler_names.source == "derived"
    assert (out.rooms.value, out.guests.value) == (1, 1)
    text = "Könnten Sie mir bitte ein EZ in Graz buchen, 3.-5. Mai?\n\nViele Grüße\nMag. Verena Holzer"
    [ev] = out.traveler_names.evidence
    assert text[ev.start : ev.end] == "Mag. Verena Holzer"


def test_a_first_name_sign_off_takes_the_surname_from_the_from_header():
    out = implied("need a room in Graz 3-5 May for me, thanks!\n\nCheers,\nOwen",
                  sender=Sender(name="Owen Castellano", address="owen@castellano.ie"))
    assert out.traveler_names.value == ["Owen Castellano"]
    assert (out.rooms.value, out.guests.value) == (1, 1)


def test_initials_signing_off_name_the_sender_whose_initials_they_are():
    out = implied("Bitte ein EZ in Graz, 3.-5. Mai, mit Frühstück.\n\nDanke, G.B.",
                  sender=Sender(name="Dr. Georg Brandstätter", address="gb@example.at"))
    assert out.traveler_names.value == ["Georg Brandstätter"]


def test_a_sign_off_with_a_surname_cut_to_its_initial_is_the_from_headers_name():
    out = implied("Could you book me a hotel in Bogotá, 17 to 19 September?\n\nSaludos,\n"
                  "Alejandro Gutiérrez R.",
                  sender=Sender(name="Alejandro Gutiérrez Ramírez", address="ag@tolteca.mx"))
    assert out.traveler_names.value == ["Alejandro Gutiérrez Ramírez"]
    # another person's initial keeps the signed name
    out = implied("Could you book me a hotel in Bogotá, 17 to 19 September?\n\nSaludos,\n"
                  "Alejandro Gutiérrez M.",
                  sender=Sender(name="Alejandro Gutiérrez Ramírez", address="ag@tolteca.mx"))
    assert out.traveler_names.value == ["Alejandro Gutiérrez M."]


def test_the_from_header_names_the_guest_when_nobody_signs():
    out = implied("Please book me a hotel in Graz from 3 to 5 May.",
                  sender=Sender(name="Okonkwo, Adaeze", address="a.okonkwo@firm.ng"))
    assert out.traveler_names.value == ["Adaeze Okonkwo"]


def test_a_writer_who_introduces_herself_and_signs_nothing_is_the_guest():
    text = "Hallo, Tamsin hier!\n\nCould you book me a room in Graz, 3-5 May? Just me. Danke!"
    out = implied(text, room_type="single")
    assert out.traveler_names.value == ["Tamsin"]
    [ev] = out.traveler_names.evidence
    assert text[ev.start : ev.end] == "Tamsin"
    # a city greeting is no introduction, and the From header still names the writer
    out = implied("Graz here we come! Please book me a single room, 3-5 May.",
                  sender=Sender(name="Ilse Brunner", address="ib@example.at"), room_type="single")
    assert out.traveler_names.value == ["Ilse Brunner"]
    # in a text written all in lowercase the introduction is lowercase too
    text = "hallo, tamsin hier!\n\ncould you book me a room in graz, 3-5 may? just me. danke!"
    assert implied(text, room_type="single").traveler_names.value == ["tamsin"]


def test_whose_trip_it_is_names_the_traveller_and_not_the_writer():
    text = "Hi Pia,\n\nquick change to Tomasz's Lyon trip: arrive 3 May, leave 5 May.\n\nThanks, Ines"
    out = implied(text, room_type="single")
    assert out.traveler_names.value == ["Tomasz"]
    [ev] = out.traveler_names.evidence
    assert text[ev.start : ev.end] == "Tomasz"
    # "Here's" is no one's, and a written traveller is never replaced
    assert implied("Here's the booking: Graz, 3-5 May, single. Thanks").traveler_names.value \
        is None
    assert implied(text, traveler_names=["Ines Moreau"]).traveler_names.value == ["Ines Moreau"]
    roadshow = "I'm putting together Dr Helen Marsh's Nordic roadshow.\n\nMany thanks,\nPriya Raman"
    assert implied(roadshow, room_type="single").traveler_names.value == ["Helen Marsh"]


def test_an_assistant_booking_for_her_director_does_not_travel():
    out = implied("Please book a room in Graz, 3-5 May, for our director Mr Lars Ivarsson.\n\n"
                  "Best regards,\nPetra Nyholm", traveler_names=["Lars Ivarsson"])
    assert out.traveler_names.value == ["Lars Ivarsson"]
    assert (out.rooms.value, out.guests.value) == (1, 1)  # one person: one room


def test_a_booker_for_unnamed_guests_leaves_names_empty():
    out = implied("We need three single rooms in Graz for our guests, 3-5 May.\n\n"
                  "Kind regards,\nIngrid Sæther", rooms=3, room_type="single")
    assert out.traveler_names.value is None
    assert out.guests.value == 3


def test_a_twin_for_a_colleague_and_me_is_one_room_for_two_named():
    out = implied("Could you book a twin in Graz for Tomás Ruiz and me, 3-5 May?\n\n"
                  "Thanks,\nHeidi Moser", room_type="twin", traveler_names=["Tomás Ruiz"])
    assert out.traveler_names.value == ["Tomás Ruiz", "Heidi Moser"]
    assert (out.rooms.value, out.guests.value) == (1, 2)


def with_room_kind(text, phrase, kind="single", **values):
    """`imply` on a stay whose room kind `kind` the words `phrase` of `text` state."""
    base = stay(destination="Graz", check_in=dt.date(2027, 5, 3), nights=2, **values)
    start = text.index(phrase)
    base.room_type = FormField(value=kind, confidence=0.9,
                               evidence=[Evidence(start=start, end=start + len(phrase))])
    [out] = imply([base], intent="new_booking", layout=Layout(text), sender=None)
    return out


def test_single_rooms_in_the_plural_hold_as_many_as_are_named():
    out = with_room_kind("Please book Graz, 3-5 May, for Ms. Ana Ruiz and Mr. Ole Berg. "
                       "Two non-smoking single rooms.\n\nRegards,\nKaori", "single rooms",
                       traveler_names=["Ana Ruiz", "Ole Berg"])
    assert (out.rooms.value, out.guests.value) == (2, 2)


def test_single_rooms_in_the_plural_for_unnamed_people_leave_the_counts_open():
    out = with_room_kind("Graz, 3-5 May: single rooms for our trainees, please.", "single rooms")
    assert (out.rooms.value, out.guests.value) == (None, None)


def test_a_single_room_for_one_named_guest_is_one_room_for_one():
    out = with_room_kind("Graz, 3-5 May: a single room for Mr. Ole Berg, please.", "single room",
                       traveler_names=["Ole Berg"])
    assert (out.rooms.value, out.guests.value) == (1, 1)


def test_an_unnamed_husband_leaves_the_names_incomplete():
    out = implied("Bitte ein Doppelzimmer für meinen Mann und mich in Graz.\n\nLG\nSanja Kovač",
                  room_type="double", guests=2)
    assert out.traveler_names.value is None
    assert (out.rooms.value, out.guests.value) == (1, 2)


def test_a_double_for_single_use_holds_one_adult():
    out = with_room_kind("Ein DZ zur Alleinbenutzung in Graz, 3.-5. Mai, bitte.", "DZ", "double")
    assert (out.rooms.value, out.guests.value) == (1, 1)


def test_a_room_for_each_of_the_named_is_as_many_rooms_and_adults_as_names():
    names = ["Anna Berg", "Jonas Weber", "Lea Roth"]
    out = implied("Bitte für Anna Berg, Jonas Weber und Lea Roth je ein Einzelzimmer in Graz.",
                  room_type="single", rooms=1, traveler_names=names)
    assert (out.rooms.value, out.guests.value) == (3, 3)
    assert out.traveler_names.value == names
    out = implied("Please book a twin room for Anna Berg, Jonas Weber and Lea Roth.",
                  room_type="twin", traveler_names=names)
    assert out.rooms.value == 1  # one room asked for, not one each


def test_separate_rooms_are_as_many_as_the_adults():
    out = implied("three of us, separate rooms, Graz 3-5 May", guests=3)
    assert out.rooms.value == 3
    out = implied("Zimmer in Graz für uns drei, 3.-5. Mai", guests=3)
    assert out.rooms.value is None  # they may share or not: left to a person


def test_an_impersonal_text_without_a_sender_does_not_say_who_stays():
    out = implied("Hotel Graz 3.-5. Mai, irgendwas Zentrales.\nDanke, Rupert Eder")
    assert out.traveler_names.value is None
    assert out.rooms.value is None


KURT = Sender(name="Kurt Pichler", address="k.pichler@holzbau.example")


def test_an_impersonal_request_for_one_from_a_named_sender_is_theirs_less_surely():
    out = implied("Ein Einzelzimmer in Graz vom 3. bis 5. Mai, nahe Hauptbahnhof. Danke",
                  sender=KURT, room_type="single")
    assert out.traveler_names.value == ["Kurt Pichler"]
    assert (out.rooms.value, out.guests.value) == (1, 1)
    mine = implied("Ich brauche ein Einzelzimmer in Graz vom 3. bis 5. Mai.", sender=KURT)
    assert out.traveler_names.confidence < mine.traveler_names.confidence


def test_an_impersonal_request_for_more_than_one_says_nothing_of_the_sender():
    for values in ({"rooms": 2}, {"guests": 2}, {"room_type": "twin"}):
        out = implied("Hotel in Graz vom 3. bis 5. Mai, bitte. Danke", sender=KURT, **values)
        assert out.traveler_names.value is None, values


def test_a_booking_for_a_titled_guest_is_for_someone_else():
    out = implied("Bitte buchen Sie für Herrn Dr. Alois Brunner ein EZ in Graz, 3.-5. Mai.",
                  sender=KURT, room_type="single")
    assert out.traveler_names.value is None  # the model names Alois Brunner, never the sender


def test_an_answer_to_a_quoted_question_leaves_who_stays_to_the_quoted_request():
    base = stay(destination="Graz", check_in=dt.date(2027, 5, 3), nights=2)
    [out] = imply([base], intent="new_booking", sender=KURT, answers=True,
                  layout=Layout("Anreise am 3.5., Abreise am 5.5., ein Zimmer reicht."))
    assert out.traveler_names.value is None


def test_a_couple_signing_together_are_both_guests():
    out = implied("We would like a double room in Graz, 3-5 May.\n\nKind regards,\n"
                  "Marit and Jonas Lindqvist", room_type="double")
    assert out.traveler_names.value == ["Marit Lindqvist", "Jonas Lindqvist"]
    assert (out.rooms.value, out.guests.value) == (1, 2)


def test_a_surname_alone_is_completed_from_the_forwarded_author():
    out = implied("anbei die Anfrage von Frau Dr. Wagner, bitte buchen.",
                  traveler_names=["Wagner"], known=("Dr. Brigitte Wagner",))
    assert out.traveler_names.value == ["Brigitte Wagner"]


def test_a_surname_is_not_completed_into_another_guest_of_the_same_name():
    out = implied("Herr Prof. Reuter wird von seiner Frau, Dr. Eva Reuter, begleitet.",
                  traveler_names=["Reuter", "Eva Reuter"], known=("Eva Reuter",))
    assert out.traveler_names.value == ["Reuter", "Eva Reuter"]
    out = implied("Herr Prof. Reuter wird von seiner Frau, Dr. Eva Reuter, begleitet.",
                  traveler_names=["Reuter", "Eva Reuter"], known=("Sebastian Reuter",))
    assert out.traveler_names.value == ["Sebastian Reuter", "Eva Reuter"]


def test_a_cancellation_names_its_guest_in_full_but_implies_nothing():
    out = implied("Bitte stornieren, Herr Ziegler kann nicht.\n\nGruß\nA. Roth",
                  intent="cancellation", traveler_names=["Ziegler"], known=("Ralf Ziegler",))
    assert out.traveler_names.value == ["Ralf Ziegler"] and out.rooms.value is None


def test_a_cancellation_implies_no_counts_but_its_writers_own_booking():
    out = implied("Bitte storniere mein Zimmer in Graz.\n\nGruß\nEmil Brandl",
                  intent="cancellation")
    assert out.traveler_names.value == ["Emil Brandl"] and out.rooms.value is None
    assert out.guests.value is None


def test_guests_count_adults_and_children_apart():
    # the writer and whom a span cut after "and" stops before: "[me and] the missus"
    assert (normalize_guests("me and"), normalize_guests("ich und"), normalize_guests("me")) == (
        2, 2, None)
    assert (normalize_guests("2 Erwachsene und ein Kind"), normalize_children(
        "2 Erwachsene und ein Kind")) == (2, 1)
    assert (normalize_guests("two adults, three kids"),
            normalize_children("two adults, three kids")) == (2, 3)
    assert (normalize_guests("4 people"), normalize_children("4 people")) == (4, None)
    assert normalize_guests("2 kids") is None and normalize_children("2 kids") == 2


def test_my_own_change_is_mine_and_initials_name_no_one():
    out = implied("My plans changed: can the reservation start on the 16th instead?\n\n"
                  "All the best,\nCharlotte Harris", intent="modification")
    assert out.traveler_names.value == ["Charlotte Harris"]
    out = implied("i'd like to book a single in graz, no breakfast\n\nbest\nmb")
    assert out.traveler_names.value is None  # "mb" signs, it names no one
    assert (out.rooms.value, out.guests.value) == (1, 1)
    out = implied("suche ein zimmer in graz\n\nliebe gruesse\nvictoria m.")
    assert out.traveler_names.value == ["victoria m."]  # the initial keeps its dot


def test_we_without_names_is_no_one_alone():
    out = implied("We need two rooms in Graz from 3 to 5 May.\n\nBest,\nKarin Olsen")
    assert out.traveler_names.value is None


def test_a_first_name_signed_beside_the_same_persons_full_name_is_one_guest():
    out = implied("Julia and I need a twin.\n\nThanks,\nGreg",
                  traveler_names=["Julia Stone", "Greg", "Greg Holt"])
    assert out.traveler_names.value == ["Julia Stone", "Greg Holt"]


def test_mail_sent_to_the_writer_does_not_make_them_a_guest():
    from extractor.implied import asks_for_self
    assert not asks_for_self("Please book a room for our CFO, Mr. Daniel Koh. "
                             "Kindly send the confirmation to me and copy him.")
    assert asks_for_self("Please book a double for my wife and me.")


def test_a_room_for_two_is_one_room():
    assert implied("Zimmer für zwei in Kopenhagen, Fr-So", guests=2).rooms.value == 1
    assert implied("the Amsterdam room should be 8 to 11 October", guests=2).rooms.value == 1
    # rooms for two each are no one room
    assert implied("zwei Zimmer für je zwei Personen in Kopenhagen", guests=4).rooms.value is None


def test_an_unsigned_writer_staying_with_one_named_guest_leaves_the_names_open():
    out = implied("can u find a hotel in São Paulo 5–9 Sept? 2 rooms, one for me and one for "
                  "my colleague Ana Lima", rooms=2, traveler_names=["Ana Lima"])
    assert out.guests.value == 2 and out.traveler_names.value is None


def test_a_writer_cancelling_their_own_booking_is_its_guest():
    out = implied("Please cancel my reservation in Nice arriving 5 Sept.\n\nThank you,\nEmily",
                  intent="cancellation")
    assert out.traveler_names.value == ["Emily"] and out.traveler_names.source == "derived"
    # "my" with words between before the booking: still the writer's own
    out = implied("need to cancel my Auckland hotel next week (Sofitel, Tue to Thu). Client's "
                  "postponed. Cheers, Liam O'Connor", intent="cancellation")
    assert out.traveler_names.value == ["Liam O'Connor"]
    # a booker cancelling without a word of their own booking names no one
    out = implied("Could you cancel the booking (no. 24234193)? Let me know.\n\nThanks,\nRachel",
                  intent="cancellation")
    assert out.traveler_names.value is None


def test_a_first_name_read_as_a_traveller_is_the_writer_who_signs_it_in_full():
    out = implied("need 2 rooms in graz 3-5 may for me and jake kowalski\n- tom reyes",
                  rooms=2, traveler_names=["jake kowalski", "tom"])
    assert out.traveler_names.value == ["jake kowalski", "tom reyes"]


def test_a_second_room_asked_for_makes_two_rooms_in_all():
    out = implied("re my booking at the Novotel 14-16 Oct - Julien Moreau is joining me, can you "
                  "add a second single room for him? Thanks, Claire Dubois",
                  intent="modification", room_type="single", traveler_names=["Julien Moreau"])
    assert out.rooms.value == 2


def test_a_sign_off_ending_a_chat_message_names_the_writer():
    out = implied("kannst du mir für übermorgen 2N in graz buchen? EZ, ÜF. danke dir!! Sandra")
    assert out.traveler_names.value == ["Sandra"]
    # a short name with the full one in brackets is the full one
    out = implied("brauch Mo bis Mi was in Graz, EZ. Max 140€/N. Gruß Flo (Florian Huber)")
    assert out.traveler_names.value == ["Florian Huber"]


def test_a_short_first_name_sign_off_is_completed_from_the_from_header():
    out = implied("Could you find me a room in Graz, 3-5 May? A single is fine.\n\nCheers,\nMatt",
                  sender=Sender(name="Matthew Okonkwo", address="m.okonkwo@example.com"),
                  room_type="single")
    assert out.traveler_names.value == ["Matthew Okonkwo"]


def test_a_travel_purpose_for_a_client_does_not_make_the_writer_a_booker_for_others():
    out = implied("I'm heading to Graz for a client workshop and need a single room, 3-5 May."
                  "\n\nMany thanks,\nOliver Brennan", room_type="single")
    assert out.traveler_names.value == ["Oliver Brennan"]
    out = implied("Please book a single room in Graz for our client, Mr Ito, 3-5 May.\n\n"
                  "Best,\nOliver Brennan", room_type="single", traveler_names=["Ito"])
    assert out.traveler_names.value == ["Ito"]


def test_a_named_colleague_coming_along_adds_the_writer_as_a_guest():
    out = implied("ich bin vom 3. bis 5.5. auf der Messe in Graz, mein Kollege Herr Dr. Markus "
                  "Brandt kommt mit. Bitte zwei Zimmer.\n\nDanke und Gruß\nJörg Lindner",
                  traveler_names=["Markus Brandt"], rooms=2)
    assert sorted(out.traveler_names.value) == ["Jörg Lindner", "Markus Brandt"]
    assert out.guests.value == 2
    out = implied("Sarah Kim and Ben Hollis need two singles in Graz, 3-5 May. I'm not joining "
                  "this time.\n\nCheers,\nPieter de Vries",
                  traveler_names=["Sarah Kim", "Ben Hollis"], rooms=2, room_type="single")
    assert out.traveler_names.value == ["Sarah Kim", "Ben Hollis"]


def test_a_writer_on_the_road_with_a_named_colleague_stays_too():
    out = implied("ich bin nächste Woche mit meinem Kollegen Herrn Ruben Fischer unterwegs und "
                  "wir bräuchten jeweils ein EZ in Ulm.\n\nDanke dir!\nAndreas",
                  traveler_names=["Ruben Fischer"], rooms=2, room_type="single")
    assert sorted(out.traveler_names.value) == ["Andreas", "Ruben Fischer"]
    out = implied("I'm in Graz 3-5 May with my colleague Tom Berg; two singles please.\n\n"
                  "Best,\nLea Vogt", traveler_names=["Tom Berg"], rooms=2, room_type="single")
    assert sorted(out.traveler_names.value) == ["Lea Vogt", "Tom Berg"]
    # booked for someone else by a writer who only works with a colleague: not their stay
    out = implied("Please book a single in Graz for Tom Berg, 3-5 May; I'm coordinating this "
                  "with my assistant Nina.\n\nBest,\nLea Vogt", traveler_names=["Tom Berg"],
                  room_type="single")
    assert out.traveler_names.value == ["Tom Berg"]


def test_single_rooms_and_adults_that_disagree_follow_the_named_travellers():
    out = implied("Sarah Kim and Ben Hollis, one single room each please, 3-5 May in Graz.",
                  traveler_names=["Sarah Kim", "Ben Hollis"], rooms=1, guests=2,
                  room_type="single")
    assert (out.rooms.value, out.guests.value) == (2, 2)
    out = implied("We were four, but Priyanka cannot travel, so it is now three of us:\n"
                  "Daniel Osei, Fatima Yusuf, Conor Walsh. Three single rooms, 3-5 May.",
                  traveler_names=["Daniel Osei", "Fatima Yusuf", "Conor Walsh"], rooms=3,
                  guests=4, room_type="single")
    assert (out.rooms.value, out.guests.value) == (3, 3)
    assert out.traveler_names.value == ["Daniel Osei", "Fatima Yusuf", "Conor Walsh"]


def test_a_change_adding_a_single_room_leaves_its_counts_to_the_quoted_booking():
    base = stay(destination="Graz", traveler_names=["Priya Nair"], rooms=1, guests=3,
                room_type="single")
    [out] = imply([base], intent="modification", sender=None,
                  layout=Layout("Please add a third single room for Ms. Priya Nair."))
    assert (out.rooms.value, out.guests.value) == (1, 3)


def test_children_said_apart_from_the_guests_are_counted_and_leave_the_adults():
    text = ("Barcelona for the four of us - me, my partner Chris Taylor and our two girls "
            "(5 and 8). A double and a twin.\n\nJess x")
    base = stay(destination="Barcelona", traveler_names=["Chris Taylor"], rooms=2)
    at = text.index("four of us")
    base.guests = FormField(value=4, confidence=0.95, evidence=[Evidence(start=at, end=at + 10)])
    [out] = imply([base], intent="new_booking", layout=Layout(text),
                  sender=Sender(name="Jessica Moore", address="jess@example.com"))
    assert (out.guests.value, out.children.value) == (2, 2)


def test_children_are_counted_by_their_ages_or_one_by_one():
    from extractor.counts import children_said
    assert children_said("meine Frau und ich und die Kinder (12 und 15)") == 2
    assert children_said("mein Mann und ich, unsere Tochter, 4 Jahre, und unser Sohn (9)") == 2
    assert children_said("two kids (8 and 11)") == 2
    assert children_said("for two colleagues, the kids stay home with the nanny") is None


def test_a_postscript_under_the_signature_is_the_writers_own_word():
    text = ("Liebe Kolleginnen,\n\nfür die Tagung brauche ich ein Einzelzimmer in Salzburg vom "
            "8. bis 10. Juli.\n\nLg\nVerena Stadler\n\nNachtrag: Herr Dr. Philipp Auer kommt "
            "auch, bitte ein zweites EZ für ihn, gleiche Daten.\n--\nDr. Verena Stadler\nWien")
    assert Layout(text).request.endswith("gleiche Daten.")
    out = implied(text, traveler_names=["Philipp Auer"], room_type="single")
    assert sorted(out.traveler_names.value) == ["Philipp Auer", "Verena Stadler"]
    assert (out.rooms.value, out.guests.value) == (2, 2)


def test_a_spouse_named_by_first_name_takes_the_writers_surname():
    out = implied("Mein Mann Stefan kommt doch mit nach Graz, bitte ein Doppelzimmer für uns "
                  "beide.\n\nHerzliche Grüße\nJulia Lehmann", room_type="double")
    assert sorted(out.traveler_names.value) == ["Julia Lehmann", "Stefan Lehmann"]
    out = implied("my wife Dr. Anne Hale joins me in Graz\n\nMartin Hale",
                  traveler_names=["Anne Hale"])
    assert "Dr Hale" not in (out.traveler_names.value or [])


def test_a_writer_listed_first_among_the_named_travels_with_them():
    out = implied("Three single rooms in Graz, 3-5 May? It's for myself, Rosa Ibáñez and Peter "
                  "Novak.\n\nBest regards,\nAidan Kerr",
                  traveler_names=["Rosa Ibáñez", "Peter Novak"], rooms=3, room_type="single")
    assert sorted(out.traveler_names.value) == ["Aidan Kerr", "Peter Novak", "Rosa Ibáñez"]
    out = implied("wir sind zu dritt (ich, Lena Fischer und Tim Wolf), Graz 3.-5.5.\n\n"
                  "Danke!\nMoritz", sender=Sender(name="Moritz Engel", address="m@e.de"),
                  traveler_names=["Lena Fischer", "Tim Wolf"], guests=3)
    assert sorted(out.traveler_names.value) == ["Lena Fischer", "Moritz Engel", "Tim Wolf"]


def test_a_change_bringing_a_child_along_counts_the_child():
    base = stay(destination="Dresden", room_type="double")
    [out] = imply([base], intent="modification", sender=None, layout=Layout(
        "Mein Mann Stefan und unsere Tochter (5) kommen doch mit nach Dresden."))
    assert out.children.value == 1


def test_one_room_of_a_named_kind_written_as_one_german_word():
    out = implied("Bitte eine Juniorsuite für Bernd Hain und mich, 3.-5. Mai.\n\nDr. Ulrike Hain",
                  traveler_names=["Bernd Hain"], room_type="suite")
    assert out.rooms.value == 1
    out = implied("Ein Dreibettzimmer reicht völlig, wir sind zu dritt.", guests=3)
    assert out.rooms.value == 1


def test_an_assistant_who_accompanies_her_boss_is_a_guest_too():
    out = implied("Herr Dr. Reinhard Falk fliegt am 3. Mai nach Graz. Ich begleite ihn diesmal. "
                  "Für Herrn Dr. Falk bitte eine Suite, für mich ein Einzelzimmer.\n\n"
                  "Vielen Dank\nMelanie Ott", traveler_names=["Reinhard Falk"])
    assert sorted(out.traveler_names.value) == ["Melanie Ott", "Reinhard Falk"]


def test_we_two_rooms_is_a_count_of_rooms_not_the_writer_travelling_along():
    out = implied("für unseren Messeauftritt brauchen wir zwei Einzelzimmer in Graz.\n"
                  "Reisende: Herr Markus Feld und Frau Jana Roth\n\nViele Grüße\nBirgit Sommerfeld",
                  traveler_names=["Markus Feld", "Jana Roth"], room_type="single")
    assert out.traveler_names.value == ["Markus Feld", "Jana Roth"]


def test_a_clause_the_writer_adds_after_a_comma_brings_nobody_along():
    tail = "\n\nKind regards,\nDaniel Okafor"
    alone = implied("I need a hotel in Graz. Max. EUR 160 per night, and I would like "
                    "breakfast included." + tail, room_type="single")
    assert alone.traveler_names.value == ["Daniel Okafor"]
    assert (alone.rooms.value, alone.guests.value) == (1, 1)
    german = implied("Ich brauche ein Hotel in Graz, und ich hätte gern Frühstück.\n\n"
                     "Grüße\nDaniel Okafor", room_type="single")
    assert german.traveler_names.value == ["Daniel Okafor"]
    # a name between commas is whom the writer joins: two adults, one of them unsigned
    couple = implied("My wife, Julia Moretti, and I would like a double in Graz." + tail,
                     room_type="double", traveler_names=["Julia Moretti"])
    assert couple.traveler_names.value == ["Julia Moretti", "Daniel Okafor"]
    # so is one named with a role between commas, whom the model may not have read at all
    cfo = implied("Robert Kline, our CFO, and I will be travelling together, two king rooms "
                  "please." + tail, room_type="double")
    assert cfo.traveler_names.value == ["Robert Kline", "Daniel Okafor"]
    assert cfo.guests.value == 2


def test_the_writer_who_lists_herself_last_stays_too():
    out = implied("Es reisen folgende Kolleginnen:\n- Anja Sommerfeld\n- Leonie Strauß\n"
                  "sowie ich selbst.\n\nBeste Grüße\nTobias Reinhardt", room_type="single",
                  traveler_names=["Anja Sommerfeld", "Leonie Strauß"])
    assert out.traveler_names.value == ["Anja Sommerfeld", "Leonie Strauß", "Tobias Reinhardt"]
    assert (out.rooms.value, out.guests.value) == (3, 3)


def test_a_companion_named_in_full_before_and_i_stays_with_the_writer():
    # in my own words: the model read no traveller, the writer says who comes with them
    text = ("Liebe Frau Brandl,\n\nmein Kollege Jonas Albrecht und ich kommen zur Messe nach "
            "Graz. Bitte ein Zweibettzimmer.\n\nViele Grüße\nTheresa Pichler")
    out = implied(text, room_type="twin")
    assert sorted(out.traveler_names.value) == ["Jonas Albrecht", "Theresa Pichler"]
    assert (out.rooms.value, out.guests.value) == (1, 2)
    ev = [text[e.start : e.end] for e in out.traveler_names.evidence]
    assert "Jonas Albrecht" in ev
    out = implied("Dear team,\n\nMy sister, Clara Voss, and I would like a twin room in Graz."
                  "\n\nBest,\nIda Voss", room_type="twin")
    assert sorted(out.traveler_names.value) == ["Clara Voss", "Ida Voss"]
    # a relation alone is no name: the companion stays unnamed, but is counted
    out = implied("Hallo!\n\nMeine Freundin und ich möchten nach Graz, ein Zweibettzimmer "
                  "bitte.\n\nLG Marlene Auer", room_type="twin")
    assert out.traveler_names.value is None
    assert out.guests.value == 2


def test_everyone_counted_in_german_loses_the_children_said_apart():
    text = ("Wir möchten mit den Kindern (4 und 7) nach Graz, ein Familienzimmer für uns vier."
            "\n\nLiebe Grüße\nSophie und Lukas Berger")
    base = stay(destination="Graz", check_in=dt.date(2027, 5, 3), nights=2)
    at = text.index("uns vier")
    base.guests = FormField(value=4, confidence=0.9, source="model",
                            evidence=[Evidence(start=at, end=at + len("uns vier"))])
    [out] = imply([base], intent="new_booking", layout=Layout(text), sender=None)
    assert (out.guests.value, out.children.value) == (2, 2)


def test_someone_mentioned_in_passing_is_no_guest_of_a_writer_booking_for_herself():
    # in my own words: the writer asks for her own room and mentions a colleague by surname
    text = ("Hallo Frau Roth,\n\nbitte buchen Sie mir ein Einzelzimmer in Graz, 3.-5. Mai. "
            "Herr Kellner war letztes Jahr im Hotel Daniel und fand es gut.\n\n"
            "Viele Grüße\nAnja Brenner")
    at = text.index("Kellner")
    base = stay(destination="Graz", check_in=dt.date(2027, 5, 3), nights=2, room_type="single")
    base.traveler_names = FormField(value=["Kellner"], confidence=0.9, source="model",
                                    evidence=[Evidence(start=at, end=at + len("Kellner"))])
    [out] = imply([base], intent="new_booking", layout=Layout(text), sender=None)
    assert out.traveler_names.value == ["Anja Brenner"]
    # whom the room is for stays, after "für" or a label
    for lead in ("bitte buchen Sie mir ein Einzelzimmer in Graz, 3.-5. Mai, für Herrn ",
                 "bitte buchen Sie mir ein Einzelzimmer in Graz, 3.-5. Mai.\nGast: Herr "):
        text = f"Hallo,\n\n{lead}Kellner.\n\nViele Grüße\nAnja Brenner"
        at = text.index("Kellner")
        base.traveler_names = FormField(value=["Kellner"], confidence=0.9, source="model",
                                        evidence=[Evidence(start=at, end=at + 7)])
        [out] = imply([base], intent="new_booking", layout=Layout(text), sender=None)
        assert out.traveler_names.value == ["Kellner"]


def _named(text: str, *names: str) -> Stay:
    base = stay(destination="Graz", check_in=dt.date(2027, 5, 3), nights=2)
    base.traveler_names = FormField(
        value=list(names), confidence=0.9, source="model",
        evidence=[Evidence(start=text.index(n), end=text.index(n) + len(n)) for n in names])
    return base


def test_a_colleague_the_writer_mentions_by_relation_is_no_guest_unless_coming_along():
    text = ("Hello,\n\nMy colleague Giulia recommended your agency. My partner Sofia Lindqvist "
            "and I would like a double room in Graz, 3-5 May.\n\nBest,\nMarco Bellini")
    [out] = imply([_named(text, "Giulia", "Sofia Lindqvist")], intent="new_booking",
                  layout=Layout(text), sender=None)
    assert sorted(out.traveler_names.value) == ["Marco Bellini", "Sofia Lindqvist"]
    text = ("Hallo,\n\nich brauche ein Doppelzimmer in Graz, 3.-5. Mai. Mein Kollege Herr "
            "Brandt kommt mit.\n\nGrüße\nPia Moser")
    [out] = imply([_named(text, "Brandt")], intent="new_booking", layout=Layout(text),
                  sender=None)
    assert "Brandt" in out.traveler_names.value


def test_a_double_for_single_use_each_gives_every_named_traveller_a_room():
    names = ["Jan Kaiser", "Merve Aydın", "Sophie Lindner"]
    text = ("Zimmer für drei Kollegen: Jan Kaiser, Merve Aydın, Sophie Lindner. Jeweils DZ zur "
            "Einzelnutzung mit Frühstück.\n\nGrüße\nNadine Sturm")
    base = stay(destination="Graz", check_in=dt.date(2027, 5, 3), nights=2, room_type="double",
                traveler_names=names)
    base.room_type.evidence = [Evidence(start=text.index("DZ"), end=text.index("DZ") + 2)]
    [out] = imply([base], intent="new_booking", layout=Layout(text), sender=None)
    assert (out.rooms.value, out.guests.value) == (3, 3)


def test_a_suite_for_two_named_guests_is_one_room():
    out = implied("Junior Suite in Graz, 3.-5. Mai, für Lea und Jonas Brandt", room_type="suite",
                  traveler_names=["Lea Brandt", "Jonas Brandt"])
    assert (out.rooms.value, out.guests.value) == (1, 2)



def test_a_guest_named_by_surname_beside_the_same_person_in_full_is_one_person():
    from extractor.values.people import distinct_people
    # "bitte für Herrn Kranz buchen" above a request forwarded from Oliver Kranz
    assert distinct_people(["Kranz", "Yvonne Adler", "Oliver Kranz"]) == [
        "Yvonne Adler", "Oliver Kranz"]
    assert distinct_people(["Greg", "Greg Holt", "Greg Holt"]) == ["Greg Holt"]
    assert distinct_people(["Kranz", "Yvonne Adler"]) == ["Kranz", "Yvonne Adler"]


def test_a_companion_whose_name_ends_like_a_preposition_travels_with_the_writer():
    # "Priya Raman und ich": "an " before "und ich" is the end of a name, not "an mich und"
    from extractor.requester import _together
    assert _together("quick one: Priya Raman und ich fliegen in KW 23 nach Lissabon")
    assert not _together("bitte schicken Sie die Bestätigung an mich und Herrn Kurz")
    # a form's next line naming the room is no count after "und ich" ("wir zwei Zimmer")
    assert _together("Personen: mein Lebensgefährte Florian Hauer und ich\nZimmer: Doppelzimmer")
    assert not _together("dann brauchen wir zwei Zimmer")
    # a chat's plus sign: "me + wife", "mich + Partnerin"
    assert _together("room in Bergen 2 nights, me + wife")
    assert _together("DZ in Linz für mich + Partnerin")


def test_a_surname_in_one_stay_is_completed_from_the_full_name_in_another():
    text = ("für Frau Dr. Claudia Reimann-Stoll bitte: 1. New York, 12.-15. April. 2. Boston, "
            "15.-16. April. Dr. Reimann-Stoll möchte ein hohes Stockwerk.")
    first, second = _named(text, "Claudia Reimann-Stoll"), _named(text, "Reimann-Stoll")
    out = imply([first, second], intent="new_booking", layout=Layout(text), sender=None)
    assert [s.traveler_names.value for s in out] == [["Claudia Reimann-Stoll"]] * 2


def test_a_cancellation_of_the_room_cancels_one_room():
    out = implied("Bitte das Zimmer in Graz vom 3. bis 5. Mai stornieren.", intent="cancellation")
    assert (out.rooms.value, out.rooms.source) == (1, "derived")
    # rooms in the plural, or a count already read, say nothing of one room
    out = implied("Please cancel both rooms in Graz, 3-5 May.", intent="cancellation")
    assert out.rooms.value is None
    out = implied("Please cancel the room in Graz, 3-5 May.", intent="cancellation", rooms=2)
    assert out.rooms.value == 2


def test_someone_said_to_travel_alone_is_one_adult_in_one_room():
    for text in ["Graham flies in on Sunday, king bed (he's travelling alone) please.",
                 "anything in graz this sat-mon? solo trip, under 250/nt",
                 "Frau Berger reist allein, bitte ein ruhiges Zimmer."]:
        out = implied(text)
        assert (out.rooms.value, out.guests.value) == (1, 1), text
    out = implied("We need rooms in Graz, alone we would be lost.")
    assert (out.rooms.value, out.guests.value) == (None, None)


def test_a_writer_whose_named_spouse_comes_along_travels_too():
    text = ("Ich würde gern schon am Feiertag anreisen, und meine Frau Petra Zimmermann kommt "
            "mit.\n\nDanke!\nRalf Zimmermann")
    out = implied(text, traveler_names=["Petra Zimmermann"])
    assert sorted(out.traveler_names.value) == ["Petra Zimmermann", "Ralf Zimmermann"]
    assert out.guests.value == 2
    # someone else's spouse who comes along leaves the writer out
    text = ("Herr Kern reist am 3. an, seine Frau Petra Kern kommt mit.\n\nViele Grüße\n"
            "Ralf Zimmermann")
    out = implied(text, traveler_names=["Petra Kern"])
    assert out.traveler_names.value == ["Petra Kern"]
    # ... and any relation of the writer's who comes along: "my colleague X is coming too"
    text = ("Small change to the Cork booking, 3-5 May: my colleague Dara Quinn is coming too, "
            "so two rooms now.\n\nThanks,\nNiamh Walsh")
    out = implied(text, traveler_names=["Dara Quinn"], intent="modification")
    assert sorted(out.traveler_names.value) == ["Dara Quinn", "Niamh Walsh"]


def test_a_surname_alone_is_completed_from_a_full_name_after_a_title_elsewhere():
    from extractor.values.people import titled_full_names
    text = ("2 Zweibettzimmer: Frau Dr. Albers teilt sich ein Zimmer mit Frau Oduya.\n"
            "Reisende | Abteilung\nDr. Katrin Albers | Politik\nGrace Oduya | Politik")
    assert titled_full_names(text) == ["Katrin Albers"]
    out = implied(text, traveler_names=["Albers", "Grace Oduya"],
                  known=tuple(titled_full_names(text)))
    assert out.traveler_names.value == ["Katrin Albers", "Grace Oduya"]
    assert titled_full_names("Sekretariat Prof. Dr.-Ing. Ulrich Haas, Lehrstuhl") == [
        "Ulrich Haas"]
    # a title before a surname alone, or a first name alone, names no one in full
    assert titled_full_names("für Herrn Dr. Albers bitte, Frau Greiner zahlt") == []


def test_a_forwarder_asking_a_room_for_someone_else_leaves_the_original_its_asker():
    from extractor.pipeline import Prepared
    from extractor.read import read_email
    from extractor.requester import asking
    raw = (b"From: Karen Holt <karen@veridian.example>\nTo: desk@agency.example\n"
           b"Subject: FW: Hotel Vienna next week\nDate: Fri, 16 Oct 2026 09:00:00 +0100\n"
           b"Message-ID: <fw1@veridian.example>\nContent-Type: text/plain; charset=utf-8\n\n"
           b"Hi Sanne,\n\nPlease see Tom's request below. Ines Duarte will join him, so we need "
           b"a second single room for her.\n\nThanks!\nKaren\n\n"
           b"-----Original Message-----\nFrom: Tom Whitaker <tom@veridian.example>\n"
           b"Sent: Thursday, October 15, 2026 5:45 PM\nTo: Karen Holt <karen@veridian.example>\n"
           b"Subject: Hotel Vienna next week\n\nHi Karen,\n\nCould you get me a hotel in Wien "
           b"from Tuesday to Friday next week?\n\nCheers,\nTom\n")

    def asker(raw: bytes) -> str | None:
        msg = read_email(raw)
        item = Prepared(id="fw", text=msg.text, segments=msg.segments,
                        sender=Sender(name=msg.sender_name, address=msg.sender))
        who, _ = asking(item, msg.text)
        return who.name if who else None

    assert asker(raw) == "Tom Whitaker"
    # a forwarder who needs a room themselves asks for themselves
    assert asker(raw.replace(b"we need a second single room for her",
                             b"I need a room too")) == "Karen Holt"


def test_a_range_of_things_sent_to_us_is_no_pair_of_guests():
    from extractor.requester import _together
    assert not _together("Bitte senden Sie uns zwei bis drei Vorschläge zur Auswahl.")
    assert not _together("could you send us two or three options")
    assert _together("wir zwei kommen am Freitag an")  # the two of us


def test_a_room_for_the_writer_beside_rooms_for_others_makes_the_writer_a_guest():
    out = implied("Could you book:\n- a double for Grace and Daniel Lee\n- a single for me\n"
                  "Friday to Sunday.\n\nKind regards,\nMargaret Okafor",
                  traveler_names=["Grace Lee", "Daniel Lee"])
    assert sorted(out.traveler_names.value) == ["Daniel Lee", "Grace Lee", "Margaret Okafor"]
    assert out.rooms.value == 2
    # asked on someone's behalf ("book for me a single for ..."): the writer books only
    out = implied("Could you book for me a single for Dr. Anna Weber?\n\nThanks,\nTom Berg",
                  traveler_names=["Anna Weber"])
    assert out.traveler_names.value == ["Anna Weber"]


def test_the_writer_listed_before_a_colleague_is_a_guest():
    out = implied("please book three single rooms for myself, my colleague Stefan Brandt and "
                  "Dr. Ines Kowalczyk.\n\nBest regards\nKatrin Albers",
                  traveler_names=["Stefan Brandt", "Ines Kowalczyk"], room_type="single")
    assert sorted(out.traveler_names.value) == ["Ines Kowalczyk", "Katrin Albers",
                                                "Stefan Brandt"]


def test_a_double_for_me_and_a_friend_joined_by_an_ampersand_holds_the_writer():
    out = implied("Can u book a double for me & Tom Bradley and a single for our friend "
                  "Ana Costa in Barcelona? Thx\nJess",
                  sender=Sender(name="Jessica Moreau", address="jm@example.com"),
                  traveler_names=["Tom Bradley", "Ana Costa"])
    assert sorted(out.traveler_names.value) == ["Ana Costa", "Jessica Moreau", "Tom Bradley"]
    assert (out.rooms.value, out.guests.value) == (2, 3)


def test_rooms_listed_each_for_someone_are_counted_and_a_rooming_list_too():
    out = implied("Ein DZ für die Meiers und ein EZ für Frau Stein, bitte.\nGruß")
    assert out.rooms.value == 2
    out = implied("Rooming list:\nRoom 1: Aoife Kelly + Tomasz Nowak (twin)\n"
                  "Room 2: Ravi Shankar (single)\nRoom 3: Jean-Baptiste Ndiaye (single)\nThanks")
    assert out.rooms.value == 3
    # a room for some nights is no room for someone; one room said twice is one
    out = implied("a room for two nights please, and a double for one more night after")
    assert out.rooms.value != 2
    out = implied("1 Double Room for single use\n1 Double Room for single use", rooms=None)
    assert out.rooms.value != 2


def test_a_pet_form_of_a_first_name_signing_off_is_the_from_headers_name():
    out = implied("Zimmer: ein Doppelzimmer für Florian Wagner und mich, bitte.\n\nCheers\nMichi",
                  sender=Sender(name="Michael Pichler", address="michi@example.at"),
                  traveler_names=["Florian Wagner"])
    assert sorted(out.traveler_names.value) == ["Florian Wagner", "Michael Pichler"]
    from extractor.values.people import goes_by
    assert goes_by("Kathy", "Katherine") and not goes_by("Toni", "Anton")
    # a short form that does not begin the name, from the lexicon's table
    out = implied("hi can u get me a hotel in graz mon to wed\n\nthx\ntom",
                  sender=Sender(name="Thomas Brennan", address="t.brennan@example.com"))
    assert out.traveler_names.value == ["Thomas Brennan"]
    assert goes_by("tom", "Thomas") and not goes_by("tom", "Tobias")
    # a short form that ends the name ("Tunde" for Babatunde), four letters at least
    out = implied("Please book me a room in Graz, Mon-Wed.\n\nThanks,\nTunde",
                  sender=Sender(name="Babatunde Olatunji", address="b.olatunji@example.com"))
    assert out.traveler_names.value == ["Babatunde Olatunji"]
    assert goes_by("Dele", "Ladele") and not goes_by("ade", "Wade") and not goes_by("na", "Anna")


def test_a_name_with_an_apostrophe_signs_in_full():
    out = implied("hi can u get me a hotel in graz mon to wed\n\ncheers\nCiarán O'Donnell")
    assert out.traveler_names.value == ["Ciarán O'Donnell"]


def test_a_quoted_booking_confirmed_to_the_writer_by_first_name_is_theirs():
    quote = ("Dear Aoife,\n\nYour stay is confirmed:\nHotel Indigo Dublin\n"
             "Check-in: 2 November\nCheck-out: 4 November\n1 King room, 1 guest")
    base = stay(destination="Dublin", guests=1, rooms=1)
    [out] = imply([base], intent="new_booking", layout=Layout(quote), sender=None,
                  addressee=Sender(name="Aoife Brennan", address="aoife@example.ie"))
    assert out.traveler_names.value == ["Aoife Brennan"]
    # greeted by another first name: not hers
    [out] = imply([base], intent="new_booking", layout=Layout(quote.replace("Aoife", "Ciara")),
                  sender=None, addressee=Sender(name="Aoife Brennan", address="a@example.ie"))
    assert out.traveler_names.value is None


def test_the_adults_of_one_listed_room_are_not_all_the_guests():
    out = implied("We need 3 rooms:\n- a single for me\n- a single for Dr. Sung-min Park\n"
                  "- a twin for our two PhD students, Fatima Al-Sayed and Lucía Ortega\n"
                  "Best,\nAnja Lindqvist", guests=2, rooms=3,
                  traveler_names=["Sung-min Park", "Fatima Al-Sayed", "Lucía Ortega"])
    assert (out.rooms.value, out.guests.value) == (3, 4)
    assert len(out.traveler_names.value) == 4


def test_a_writer_with_her_children_is_the_one_adult_and_named():
    text = ("I'd like to book a room in Copenhagen for me and my two girls (they're 8 and 11)."
            "\nMany thanks,\nRachel Holm")
    said = text.index("me and my two girls")
    base = stay(destination="Copenhagen", check_in=dt.date(2027, 6, 27), nights=4).model_copy(
        update={"guests": FormField(value=3, confidence=0.95, source="model", evidence=[
            Evidence(start=said, end=said + len("me and my two girls"))])})
    [out] = imply([base], intent="new_booking", layout=Layout(text), sender=None, known=())
    assert (out.guests.value, out.children.value) == (1, 2)
    assert out.traveler_names.value == ["Rachel Holm"]
    # an unnamed adult companion still leaves the names incomplete
    out = implied("a room for me and my husband please\nRachel Holm", guests=2)
    assert out.traveler_names.value is None


def test_put_me_in_a_hotel_asks_for_the_writer():
    out = implied("Can you put me in the Hilton again, from the 29th for three nights?\nCheers\n"
                  "Gareth", sender=Sender(name="Gareth Lloyd", address="gl@example.co.uk"))
    assert out.traveler_names.value == ["Gareth Lloyd"]
    assert (out.rooms.value, out.guests.value) == (1, 1)


def test_a_sign_off_with_letters_after_the_name_is_the_name():
    out = implied("I'd like to get in on Sunday and I'll check out on Friday.\n\nThanks!!\n"
                  "Keisha Morgan, RN, BSN")
    assert out.traveler_names.value == ["Keisha Morgan"]


def test_a_chat_that_opens_on_a_room_asks_for_one():
    for text in ("room rome 4-6 apr", "zimmer münchen 12.-14.3.", "DZ in köln für 2 ÜN ab morgen"):
        assert implied(text).rooms.value == 1, text
    # not for more than two people ("Zimmer" is plural too), not with an article's count
    assert implied("Zimmer in Graz für 5 Personen", guests=5).rooms.value is None


def test_solo_said_alone_is_one_traveller():
    out = implied("trip plan: graz 2 nights from 9 sept. solo, budget 150 eur/night")
    assert (out.rooms.value, out.guests.value) == (1, 1)
    assert implied("we are a solo-parent family of four", guests=4).rooms.value is None


def test_a_signed_name_with_particles_inside_is_a_person():
    from extractor.requester import person
    assert person("Joost van der Linden") == "Joost van der Linden"
    assert person("Maria da Silva Santos") == "Maria da Silva Santos"
    # a particle is no name's first or last word
    assert person("Der Linden") is None
    assert person("Joost van der") is None
