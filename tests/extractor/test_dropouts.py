"""Drop-outs (extractor/dropouts.py): a traveller who no longer comes is no guest."""

from extractor.dropouts import dropped_names, without_dropouts
from extractor.form import Stay


def stay(**values):
    return Stay.model_validate({k: {"value": v, "confidence": 0.95, "source": "model"}
                                for k, v in values.items()})


def kept(text, names):
    """The travellers of a new booking naming `names` that `text` leaves staying."""
    [out] = without_dropouts([stay(traveler_names=names)], text, "new_booking")
    return out.traveler_names.value


def test_a_named_traveller_who_cannot_come_is_dropped_with_the_rooms_and_adults_counted():
    text = ("Bitte Zimmer für Herr Dr. Tobias Kern, Frau Sandra Meier, Herr Ali Rahimi.\n"
            "Update: Frau Meier kann leider doch nicht. Je ein Einzelzimmer.")
    base = stay(destination="Köln", traveler_names=["Tobias Kern", "Sandra Meier", "Ali Rahimi"],
                guests=3, rooms=3, room_type="single")
    [out] = without_dropouts([base], text, "new_booking")
    assert out.traveler_names.value == ["Tobias Kern", "Ali Rahimi"]
    assert (out.rooms.value, out.guests.value) == (2, 2)


def test_a_reply_saying_a_quoted_guest_no_longer_travels_changes_the_booking():
    base = stay(destination="Bremen", traveler_names=["Dana Roth", "Kemal Yilmaz"], rooms=2,
                guests=2, room_type="single")
    [out] = without_dropouts([base], "Herr Yilmaz kann leider doch nicht mitfahren.",
                             "modification")
    assert out.traveler_names.value == ["Dana Roth"]
    assert (out.rooms.value, out.guests.value) == (1, 1)


def test_the_writer_who_cannot_do_something_drops_no_one():
    assert dropped_names("Ich kann leider nicht früher anreisen.") == []
    assert dropped_names("Priyanka Nair is no longer able to travel, so we are three") \
        == ["Priyanka Nair"]
    assert dropped_names("Jack can't make the festival weekend after all") == ["Jack"]
    base = stay(destination="Bremen", traveler_names=["Dana Roth"])
    assert without_dropouts([base], "Frau Roth kann leider doch nicht.", "cancellation") \
        == [base]


def test_a_changed_bookings_names_are_counted_against_its_adults_after_the_thread():
    # the reply named one guest it adds; the quote's two stand beside her: all three named
    base = stay(destination="Lisbon", traveler_names=["Rajesh Iyer", "Daniel Costa", "Priya Nair"],
                guests=3, rooms=3, room_type="single")
    [out] = without_dropouts([base], "please add a third single room for Ms. Priya Nair",
                             "modification")
    assert out.traveler_names.value == ["Rajesh Iyer", "Daniel Costa", "Priya Nair"]
    # fewer names than adults once the thread is read: not every adult named, so none
    short = stay(destination="Lisbon", traveler_names=["Priya Nair"], guests=3)
    [out] = without_dropouts([short], "please add a room for Ms. Priya Nair", "modification")
    assert out.traveler_names.value is None


def test_a_double_for_two_counts_one_room_once_the_answer_and_the_quote_are_read_together():
    # the quoted request said "Doppelzimmer", the answer "zwei Erwachsene"
    both = stay(destination="Graz", room_type="double", guests=2)
    [out] = without_dropouts([both], "vom 14. bis 17. Mai, zwei Erwachsene", "new_booking")
    assert (out.rooms.value, out.rooms.source) == (1, "derived")
    three = stay(destination="Graz", room_type="double", guests=3)
    [out] = without_dropouts([three], "drei Erwachsene", "new_booking")
    assert out.rooms.value is None


def test_people_named_who_do_not_stay_are_no_guests():
    text = ("Dr. Whitaker gives a lecture in Edinburgh; please book him a room. Our CEO, Mr. Alan\n"
            "Pryce, will attend on the Thursday as well, but he is staying with family.\n"
            "Approved by: Dr. Hannah Berg")
    base = stay(destination="Edinburgh", guests=3,
                traveler_names=["Whitaker", "Alan Pryce", "Hannah Berg"])
    [out] = without_dropouts([base], text, "new_booking")
    assert out.traveler_names.value == ["Whitaker"] and out.guests.value == 1
    german = ("Es reisen Anna Berger und Lukas Feichtinger. Frau Dr. Wolff (in CC) hat die Reise "
              "freigegeben, fährt selbst aber nicht mit.")
    assert kept(german, ["Anna Berger", "Lukas Feichtinger", "Wolff"]) == [
        "Anna Berger", "Lukas Feichtinger"]


def test_a_relative_who_stays_elsewhere_takes_only_her_own_name_along():
    text = ("für das Ehepaar Klaus und Renate Hartmann ein Doppelzimmer. Tochter Julia Hartmann "
            "wohnt bei Freunden.")
    assert kept(text, ["Klaus Hartmann", "Renate Hartmann", "Julia Hartmann"]) == [
        "Klaus Hartmann", "Renate Hartmann"]
    # being in cc says nothing: the traveller copied on the confirmation still stays
    text = "Please book Dr. Whitaker a room and copy Dr. Whitaker (in cc)."
    assert kept(text, ["Whitaker"]) == ["Whitaker"]


def test_whoever_signs_off_or_gives_the_approval_is_no_guest():
    text = ("Please book two nights in Leeds for me. My director Ruth Amadi has signed off on "
            "the budget.\n\nThanks,\nOwen Pike")
    assert kept(text, ["Ruth Amadi", "Owen Pike"]) == ["Owen Pike"]
    german = ("Bitte zwei Einzelzimmer in Graz für Herrn Brunner und Frau Lenz. Die Freigabe "
              "von Herrn Dr. Kofler (in CC) liegt vor.")
    assert kept(german, ["Brunner", "Lenz", "Kofler"]) == ["Brunner", "Lenz"]
    # the approver after a role between commas ("approved by our CFO, Mr. ...")
    text = ("Please book a room in Oslo for Mr. Eirik Dahl. The trip was approved by our CFO, "
            "Mr. Tomasz Wrona, yesterday.")
    assert kept(text, ["Eirik Dahl", "Tomasz Wrona"]) == ["Eirik Dahl"]


def test_an_approver_read_as_the_only_traveller_leaves_the_writer_to_stay():
    from extractor.form import Sender
    from extractor.implied import imply
    from extractor.layout import Layout
    text = ("I would like to book a room for myself in Utrecht from 3 to 6 June. My head of "
            "department, Dr. Saskia Verhoeven, has approved up to EUR 450.\n\nBest,\nLi Wen")
    base = stay(destination="Utrecht", traveler_names=["Saskia Verhoeven"])
    [out] = imply([base], intent="new_booking", layout=Layout(text),
                  sender=Sender(name="Li Wen", address="li.wen@example.org"))
    assert out.traveler_names.value == ["Li Wen"]


def test_whom_the_trip_visits_is_no_guest_nor_is_a_part_of_their_name():
    text = ("Please book a room in Oslo for Ms Ada Lund, who travels to meet Mr Per Olav Berge "
            "of Fjord Tankers. Mr Olav Berge's office will send a car.")
    assert kept(text, ["Ada Lund", "Per Olav Berge", "Olav"]) == ["Ada Lund"]
    # the surname alone is someone else's as well: it stays
    text = "Please book a double room for Mr and Mrs Berge. They have a meeting with Dr. Lars Berge."
    assert kept(text, ["Berge"]) == ["Berge"]


def test_rooms_counted_by_name_lose_the_one_who_does_not_stay():
    text = "Jeweils DZ für Anna Roth und Ben Kuhn. Frau Jessen (CC) gibt die Kosten frei."
    base = Stay.model_validate({
        "destination": {"value": "Graz", "confidence": 0.9, "source": "model"},
        "room_type": {"value": "double", "confidence": 0.9, "source": "model"},
        "rooms": {"value": 3, "confidence": 0.85, "source": "derived"},
        "guests": {"value": 3, "confidence": 0.85, "source": "derived"},
        "traveler_names": {"value": ["Anna Roth", "Ben Kuhn", "Jessen"], "confidence": 0.9,
                           "source": "model"}})
    [out] = without_dropouts([base], text, "new_booking")
    assert (out.rooms.value, out.guests.value) == (2, 2)


def test_an_adverb_may_stand_before_the_not_of_a_drop_out():
    from extractor.dropouts import dropped_names
    assert dropped_names("Unsere Chefin Frau Prof. Hagedorn fährt diesmal nicht mit.") \
        and dropped_names("Herr Kern fährt nicht mit.")
    assert not dropped_names("Herr Kern fährt diesmal mit.")


def test_the_one_adult_left_needs_one_room():
    # a double for single use: the adults were counted by name, the one visited among them
    text = ("Please book a room in Oslo for Ms Ada Lund, who travels to meet Mr Per Olav Berge "
            "of Fjord Tankers. Deluxe king room, single occupancy.")
    base = stay(destination="Oslo", room_type="double", guests=2,
                traveler_names=["Ada Lund", "Per Olav Berge"])
    [out] = without_dropouts([base], text, "new_booking")
    assert (out.traveler_names.value, out.guests.value) == (["Ada Lund"], 1)
    assert (out.rooms.value, out.rooms.source) == (1, "derived")


def test_a_traveller_off_sick_or_pulled_out_drops_out_by_a_short_first_name_too():
    assert kept("change of plan - Kev's off sick so can you drop his room",
                ["Liam Price", "Kevin Hughes", "Dai Jenkins"]) == ["Liam Price", "Dai Jenkins"]
    assert kept("der Kollege Petrović ist seit gestern im Krankenstand und fällt aus.",
                ["Markus Frühwirth", "Goran Petrović"]) == ["Markus Frühwirth"]
    assert kept("Mr Patel has had to pull out, so Ms Dubois goes in his place.",
                ["Raj Patel", "Claire Dubois"]) == ["Claire Dubois"]
    # a short form is of a first name only, of three letters at least
    assert kept("Kev's off sick", ["Anna Kevelaer", "Dai Jenkins"]) == [
        "Anna Kevelaer", "Dai Jenkins"]


def test_a_titled_person_who_stays_at_the_office_is_no_guest_though_nouns_follow():
    text = ("Bitte je ein EZ für Herrn Dennis Krüger, Frau Grace Oduya und mich.\n"
            "Frau Wolff (cc) kümmert sich um die Messetickets und bleibt hier im Büro.")
    assert kept(text, ["Dennis Krüger", "Grace Oduya", "Wolff", "Susanne Albrecht"]) == [
        "Dennis Krüger", "Grace Oduya", "Susanne Albrecht"]


def test_single_rooms_for_those_left_hold_one_adult_each():
    base = stay(destination="Nairobi", rooms=3, guests=4, room_type="single",
                traveler_names=["Hannah Schulz", "Wanjiru Kamau", "Seun Balogun", "Henrik Aas",
                                "Maren Voss"])
    [out] = without_dropouts([base], "Our list had four people but Hannah Schulz can no longer "
                             "travel, so we need 3 single rooms.\nOur director, Dr. Maren Voss, "
                             "has approved the travel.", "new_booking")
    assert out.traveler_names.value == ["Wanjiru Kamau", "Seun Balogun", "Henrik Aas"]
    assert (out.rooms.value, out.guests.value) == (3, 3)


def test_who_approved_in_the_passive_and_the_contact_on_site_do_not_stay():
    text = ("Bitte für Frau Ilse Brandauer ein EZ in Linz. Die Reise wurde von Herrn Dr. Ing. "
            "Karl Wimmer (Bereichsleitung) bereits\ngenehmigt. Ansprechpartner vor Ort: Herr "
            "Peter Aigner.")
    assert kept(text, ["Ilse Brandauer", "Karl Wimmer", "Peter Aigner"]) == ["Ilse Brandauer"]
    text = "Room for our intern Mateo Ruiz in Lyon (his host there is Claire Besson)."
    assert kept(text, ["Mateo Ruiz", "Claire Besson"]) == ["Mateo Ruiz"]
    # whose trip was approved is still the guest
    text = "Die Reise von Herrn Jonas Kühn ist genehmigt, bitte ein EZ in Ulm."
    assert kept(text, ["Jonas Kühn"]) == ["Jonas Kühn"]
