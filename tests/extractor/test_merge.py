"""The merge policy of extractor/merge.py, one test per point."""

import re

import extractor.merge
from extractor.merge import STEPS, merge_spans
from extractor.spans import FoundSpan


def model(field, start, end, conf=0.9):
    return FoundSpan(field, start, end, conf, "model")


def rule(kind, start, end, field=""):
    return FoundSpan(field, start, end, 0.85, "rules", kind)


def _fields(text, tagged):
    """(field, text) of the merged spans, given the model's spans as (field, phrase) at the
    phrase's first occurrence, or (field, phrase, n) at its n-th (-1: the last)."""
    spans = []
    for f, phrase, *nth in tagged:
        start = [m.start() for m in re.finditer(re.escape(phrase), text)][nth[0] if nth else 0]
        spans.append(model(f, start, start + len(phrase)))
    return [(m.field, text[m.start:m.end]) for m in merge_spans(spans, [], text=text)]


def _kept(text, tagged):
    return [phrase for _, phrase in _fields(text, tagged)]


def test_steps_run_in_the_order_the_policy_documents():
    documented = re.findall(r"^(\d+)\. ([^.(]+?) ?[.(]", extractor.merge.__doc__, re.MULTILINE)
    assert [(int(n), name) for n, name in documented] == [(s.number, s.name) for s in STEPS]
    assert [s.number for s in STEPS] == list(range(1, len(STEPS) + 1))


def test_a_cancellation_keeps_what_names_its_booking():
    text = "Bitte stornieren: Hotel Ibis in Graz, 3.-5. Mai, 2 EZ"
    spans = [model("hotel_name", *at(text, "Hotel Ibis")), model("destination", *at(text, "Graz")),
             model("check_in", *at(text, "3.")), model("check_out", *at(text, "5. Mai")),
             model("rooms", *at(text, "2")), model("room_type", *at(text, "EZ"))]
    kept = [m.field for m in merge_spans(spans, [], text=text, intent="cancellation")]
    # the rooms identify the booking too (CONVENTIONS); the room kind is no part of it
    assert kept == ["hotel_name", "destination", "check_in", "check_out", "rooms"]
    assert len(merge_spans(spans, [], text=text, intent="modification")) == 6


def at(text, phrase, nth=0):
    """(start, end) of the `nth` occurrence of `phrase` in `text`."""
    start = [m.start() for m in re.finditer(re.escape(phrase), text)][nth]
    return start, start + len(phrase)


def test_model_decides_roles():
    text = "Hotel in Graz, bis 3 Nächte bleiben"
    merged = merge_spans([model("check_out", *at(text, "3 Nächte"))],
                         [rule("nights", *at(text, "3 Nächte"), "nights")], text=text)
    assert [(s.field, s.source) for s in merged] == [("check_out", "model")]


def test_rules_fix_boundaries_of_compatible_model_spans():
    # "to 5 May": the model tagged "5", the rule knows the date is "5 May"
    text = "to 5 May"
    merged = merge_spans([model("check_out", 3, 4)], [rule("date", 3, 8)], text=text)
    assert (merged[0].start, merged[0].end, merged[0].source) == (3, 8, "model")


def test_boundaries_never_grow_into_another_model_span():
    text = "3. 5. Juni"
    spans = [model("check_in", 0, 2), model("check_out", 3, 5)]
    merged = merge_spans(spans, [rule("date", 0, 5)], text=text)
    assert [(s.start, s.end) for s in merged] == [(0, 2), (3, 5)]


def test_incompatible_rule_does_not_move_boundaries():
    text = "Berlin 2.5.2027"
    merged = merge_spans([model("destination", 0, 6)], [rule("date", 4, 10)], text=text)
    assert (merged[0].start, merged[0].end) == (0, 6)


def test_rules_fill_gaps_with_role_bearing_spans():
    text = "Berlin:  3 Nächte"
    merged = merge_spans([model("destination", 0, 6)], [rule("nights", 9, 17, "nights")],
                         text=text)
    assert [(s.field, s.source) for s in merged] == [("destination", "model"), ("nights", "rules")]


def test_kind_only_rules_are_never_added_alone():
    text = "5 Mai, 90 EUR"
    assert merge_spans([], [rule("date", 0, 5), rule("money", 7, 13)], text=text) == []


def test_overlapping_rule_spans_are_added_once():
    text = "max 2 2 Zimmer"
    merged = merge_spans([], [rule("max_price", 0, 7, "max_price"),
                              rule("rooms", 6, 14, "rooms")], text=text)
    assert [s.field for s in merged] == ["max_price"]


def test_rules_veto_impossible_roles():
    # "Check-in Montag, 19.01.": the model read "Montag" as a destination
    text = "Check-in Montag, 19.01."
    merged = merge_spans([model("destination", 9, 15)],
                         [rule("date", 9, 23), rule("check_in", 9, 23, "check_in")], text=text)
    assert [(s.field, s.start, s.end, s.source) for s in merged] == [
        ("check_in", 9, 23, "rules")]


def test_date_fields_inside_dates_are_not_vetoed():
    text = "to 5 May"
    merged = merge_spans([model("check_out", 3, 8)], [rule("date", 3, 8)], text=text)
    assert [s.field for s in merged] == ["check_out"]


def test_an_amount_is_never_a_place():
    text = "150 EUR"
    merged = merge_spans([model("near", 0, 7)], [rule("money", 0, 7)], text=text)
    assert merged == []


def test_same_field_mentions_inside_one_rule_are_one_mention():
    # "2 adults, 3 kids": the model tagged the two halves; the guests rule covers both
    text = "2 adults, 3 kids"
    merged = merge_spans([model("guests", 0, 8, 0.9), model("guests", 10, 16, 0.7)],
                         [rule("guests", 0, 16, "guests")], text=text)
    assert [(s.field, s.start, s.end, s.source) for s in merged] == [("guests", 0, 16, "model")]
    assert abs(merged[0].confidence - 0.8) < 1e-9


def test_two_names_are_not_joined_without_a_covering_rule():
    text = "Gäste: Anna Ott, Ben Kahl"
    merged = merge_spans([model("traveler_names", *at(text, "Anna Ott")),
                          model("traveler_names", *at(text, "Ben Kahl"))], [], text=text)
    assert len(merged) == 2


def test_two_date_words_inside_one_date_are_one_date():
    # "nächsten dienstag": the model tagged both words B-check_in
    text = "nächsten dienstag"
    merged = merge_spans([model("check_in", 0, 8), model("check_in", 9, 17)],
                         [rule("date", 0, 17)], text=text)
    assert [(s.field, s.start, s.end) for s in merged] == [("check_in", 0, 17)]


def test_a_weekday_range_grows_the_one_end_the_model_tagged():
    # "fr-so": the model tags "fr" as check-in; the rule date "fr-so" makes it the whole range
    from extractor.rules import RuleFinder

    text = "brauch n hotel in mainz fr-so"
    start = text.index("fr")
    [rules] = RuleFinder().find([text])
    merged = merge_spans([FoundSpan("check_in", start, start + 2, 0.9, "model")], rules,
                         text=text)
    # (and "mainz" beside its own dates is a destination: step 16, in a chat written lowercase)
    assert [(m.field, text[m.start:m.end]) for m in merged] == [
        ("destination", "mainz"), ("check_in", "fr-so")]


def test_a_titled_name_completes_the_name_the_model_cut_short():
    text = "Reservierung für Frau Katrin Weiß ändern"
    s = text.index("Frau")
    merged = merge_spans([model("traveler_names", s, s + len("Frau Katrin"))],
                         [rule("person", s, s + len("Frau Katrin Weiß"))], text=text)
    assert [text[m.start:m.end] for m in merged] == ["Frau Katrin Weiß"]


def test_a_titled_name_alone_is_no_traveller():
    # "Sehr geehrte Frau Roth": the person addressed, not a guest; only the model says who is
    text = "Sehr geehrte Frau Roth,"
    assert merge_spans([], [rule("person", 13, 22)], text=text) == []


def test_a_place_name_runs_on_over_its_capitalised_words():
    text = "ein Hotel in der Nähe vom Parque das Nações buchen? Kein Frühstück"
    s = text.index("Parque")
    [m] = merge_spans([model("near", s, s + len("Parque"))], [], text=text)
    assert text[m.start:m.end] == "Parque das Nações"


def test_a_name_never_runs_into_another_span_or_the_next_phrase():
    text = "near Hauptbahnhof Zimmer mit Dusche, at the Hilton Frankfurt Airport"
    near = model("near", 5, 17)
    hotel = model("hotel_name", text.index("Hilton"), text.index("Hilton") + 6)
    city = model("destination", text.index("Frankfurt"), text.index("Frankfurt") + 9)
    merged = merge_spans([near, hotel, city], [], text=text)
    assert [text[m.start:m.end] for m in merged] == ["Hauptbahnhof", "Hilton", "Frankfurt"]


def test_an_extension_is_not_the_number_of_nights():
    # "extend my stay by one night": neither the model's nor the rules' "one night" is nights
    from extractor.rules import RuleFinder

    text = "please extend my stay in Rome by one night"
    s = text.index("one night")
    [rules] = RuleFinder().find([text])
    assert any(r.field == "nights" for r in rules)  # the nights rule fires inside it
    merged = merge_spans([model("nights", s, s + len("one night"))], rules, text=text)
    assert [m.field for m in merged] == []
    plain = "a hotel in Rome for one night"
    [rules] = RuleFinder().find([plain])
    assert [m.field for m in merge_spans([], rules, text=plain)] == ["nights"]


def test_a_list_of_titled_guests_goes_on_under_the_first_one():
    from extractor.rules import RuleFinder

    text = ("vier Doppelzimmer in München.\n\nGäste:\nFrau Andrea Kessler\nHerr Jörg Brandt\n"
            "Herr Sven Olsen\n\nMit freundlichen Grüßen\nFrau Dr. Nina Vogt, Team Office")
    s = text.index("Frau Andrea")
    [rules] = RuleFinder().find([text])
    merged = merge_spans([model("traveler_names", s, s + len("Frau Andrea Kessler"))], rules,
                         text=text)
    names = [text[m.start:m.end] for m in merged if m.field == "traveler_names"]
    # the list goes on; the signature's name, not alone on its line, does not join it
    assert names == ["Frau Andrea Kessler", "Herr Jörg Brandt", "Herr Sven Olsen"]
    # untagged, the list under its label "Gäste:" is read by the rules (44c8eeb); the
    # signature's name never is
    alone = merge_spans([], rules, text=text)
    assert [text[m.start:m.end] for m in alone if m.field == "traveler_names"] == names


def test_a_titled_name_the_request_books_for_is_a_traveller():
    from extractor.rules import RuleFinder

    for text, name in (("Hallo, für Herrn Baumann bitte: Mo-Di Mannheim. Jeweils EZ.\nVG Anke",
                        "Herrn Baumann"),
                       ("Please book for our CEO Mr. Rahul Mehta three nights in Bonn.",
                        "Mr. Rahul Mehta")):
        [rules] = RuleFinder().find([text])
        merged = merge_spans([], rules, text=text)
        assert [text[m.start:m.end] for m in merged if m.field == "traveler_names"] == [name]
    # one the writer meets, greets or thanks is not booked for
    for text in ("Dear Mr. Rahul Mehta, a room in Bonn please.",
                 "A room in Bonn for the meeting with Mr. Rahul Mehta, please."):
        [rules] = RuleFinder().find([text])
        assert not [m for m in merge_spans([], rules, text=text) if m.field == "traveler_names"]


def test_a_capitalised_name_ends_with_its_last_capitalised_word():
    text = "Hallo, bitte ein Zimmer für Katrin Weiß ebenfalls, vom 3. bis 5. Mai in Graz."
    start = text.index("Katrin")
    spans = [model("traveler_names", start, start + len("Katrin Weiß ebenfalls"))]
    merged = merge_spans(spans, [], text=text)
    assert [text[m.start:m.end] for m in merged if m.field == "traveler_names"] == [
        "Katrin Weiß"]
    # a text written all in lowercase tells nothing by case: the name stays as tagged
    low = text.lower()
    merged = merge_spans(spans, [], text=low)
    assert [low[m.start:m.end] for m in merged if m.field == "traveler_names"] == [
        "katrin weiß ebenfalls"]


def test_a_word_never_part_of_a_name_is_no_traveller():
    text = "Gäste: Frau Simone Tschanz und Herr Ueli Bärtschi.\n\nPreis bis Fr. 220.– inkl. Frühstück."
    tagged = ["Simone Tschanz", "Ueli Bärtschi", "Preis"]
    spans = [model("traveler_names", text.index(t), text.index(t) + len(t)) for t in tagged]
    merged = merge_spans(spans, [], text=text)
    assert [text[m.start:m.end] for m in merged if m.field == "traveler_names"] == tagged[:2]


def _travellers(text, tagged):
    spans = [model("traveler_names", text.index(t), text.index(t) + len(t)) for t in tagged]
    return [text[m.start:m.end] for m in merge_spans(spans, [], text=text)
            if m.field == "traveler_names"]


def test_a_traveller_read_by_a_first_name_takes_the_surname_after_it():
    assert _travellers("My colleague Ines Duarte is coming too.", ["Ines"]) == ["Ines Duarte"]
    assert _travellers("Zimmer für Anna Montag bis Mittwoch", ["Anna"]) == ["Anna"]
    assert _travellers("a room for Tom Hamburg-bound", ["Tom"]) == ["Tom"]  # a city
    assert _travellers("für Lena Maria Schulz", ["Lena Maria"]) == ["Lena Maria"]  # two: as read


def test_the_names_in_a_travellers_table_column_are_travellers():
    text = ("Name             | Arrival    | Room\n"
            "Jonas Bergmann   | 2027-10-25 | Single\n"
            "Aylin Demir      | 2027-10-25 | Single\n"
            "Pieter van Dijk  | 2027-10-25 | Single\n")
    assert sorted(_fields(text, [("traveler_names", "Jonas Bergmann"),
                                 ("destination", "Dijk")])) == [
        ("traveler_names", "Aylin Demir"), ("traveler_names", "Jonas Bergmann"),
        ("traveler_names", "Pieter van Dijk")]
    # the header's one word and another column's cells are no names
    assert sorted(_travellers(text, ["Aylin Demir"])) == ["Aylin Demir", "Jonas Bergmann",
                                                           "Pieter van Dijk"]


def test_a_name_joined_to_a_traveller_by_and_is_a_traveller():
    assert _travellers("unsere Azubis Lukas Brandt und Mehmet Aksoy sind in Bielefeld.",
                       ["Lukas Brandt"]) == ["Lukas Brandt", "Mehmet Aksoy"]
    assert _travellers("rooms for Mr. Gareth Hughes and Dr. Nia Roberts on 9 March",
                       ["Mr. Gareth Hughes"]) == ["Mr. Gareth Hughes", "Dr. Nia Roberts"]
    # a lone first name before a full name: "Gerda und Horst Wagner" are two guests
    assert _travellers("Die Gäste heißen Gerda und Horst Wagner.", ["Horst Wagner"]) == [
        "Gerda", "Horst Wagner"]
    # what follows "and" must be a name: no room words, no dates, no lowercase words
    assert _travellers("for Anna Weber and Breakfast please", ["Anna Weber"]) == ["Anna Weber"]
    assert _travellers("for Anna Weber and Montag bis Mittwoch", ["Anna Weber"]) == [
        "Anna Weber"]
    assert _travellers("for Anna Weber and two colleagues", ["Anna Weber"]) == ["Anna Weber"]
    # a single-word traveller takes no first name before it
    assert _travellers("Tom and Weber arrive", ["Weber"]) == ["Weber"]


def test_a_traveller_is_a_name():
    text = "Klausur im Jänner in Salzburg, Namen folgen. Gast: Herr Ott"
    merged = _travellers(text, ["Jänner", "folgen", "Herr Ott"])
    assert merged == ["Herr Ott"]
    # a pronoun is no name
    assert _travellers("EZ, für mich (carla mendes)", ["mich", "carla mendes"]) == [
        "carla mendes"]
    assert _travellers("for Kyle Brandt and me", ["Kyle Brandt", "me"]) == ["Kyle Brandt"]
    # in an all-lowercase chat a lowercase name is a name
    assert _travellers("room in lisbon for me and tom pls", ["tom"]) == ["tom"]
    # a form's label, a title before a lowercase word
    text = "Gäste:\nFrau Katarzyna Zielińska\n\nZeitraum: 04.10. bis 08.10.2027"
    assert _travellers(text, ["Frau Katarzyna Zielińska", "Zeitraum"]) == [
        "Frau Katarzyna Zielińska"]
    text = "Herr Dr. Leitner möchte ein Doppelzimmer, da seine Frau mitreist."
    assert _travellers(text, ["Herr Dr. Leitner", "Frau mitreist"]) == ["Herr Dr. Leitner"]
    # an address's street is no guest: one the model cut inside its last word, one written
    # with a street word before its name
    text = "Firma Lenz, Theodor-Heuss-Ring 12, Köln\nGast: Frau Mira Lenz"
    assert _travellers(text, ["Theodor-Heuss-", "Frau Mira Lenz"]) == ["Frau Mira Lenz"]
    text = "Hotel Stary, ul. Szczepańska 5, Kraków: Ms Ewa Nowak"
    assert _travellers(text, ["ul. Szczepańska", "Ms Ewa Nowak"]) == ["Ms Ewa Nowak"]


def test_a_lowercase_chat_with_room_codes_in_capitals_keeps_its_lowercase_names():
    text = "hallo, bitte 2 EZ ÜF in leipzig, 2 nächte ab do. für mich und marcel schubert. danke!"
    assert _travellers(text, ["marcel schubert"]) == ["marcel schubert"]
    # a text that writes names with capitals drops a lowercase phrase read as a name
    text = "Hallo, bitte 2 EZ in Leipzig für Herrn Schubert, da seine Frau mitreist."
    assert _travellers(text, ["Herrn Schubert", "Frau mitreist"]) == ["Herrn Schubert"]


def test_a_city_named_twice_is_no_traveller():
    text = "ich bin im Jänner wieder in Prag (Praha), bitte ein EZ für Herrn Brenninger"
    spans = [model("destination", text.index("Prag"), text.index("Prag") + 4),
             *(model("traveler_names", text.index(t), text.index(t) + len(t))
               for t in ("Praha", "Herrn Brenninger"))]
    assert [text[m.start:m.end] for m in merge_spans(spans, [], text=text)
            if m.field == "traveler_names"] == ["Herrn Brenninger"]
    # a person whose name is a city's, when no destination names it, stays
    assert _travellers("ein EZ für Florence in Wien", ["Florence"]) == ["Florence"]


def test_travellers_parted_by_one_space_are_one_name():
    text = "Team:\nLena Meier\nSophie Dubois\nHerr A. Kern Frau B. Lang"
    assert _kept(text, [("traveler_names", "Lena Meier"), ("traveler_names", "Sophie"),
                        ("traveler_names", "Dubois"), ("traveler_names", "Herr A. Kern"),
                        ("traveler_names", "Frau B. Lang")]) == [
        "Lena Meier", "Sophie Dubois", "Herr A. Kern", "Frau B. Lang"]
    # a name's own hyphen between two pieces
    text = "Guests:\n  1. Kim Min-jun (Vice President)"
    assert _kept(text, [("traveler_names", "1. Kim Min-"), ("traveler_names", "jun")]) == [
        "1. Kim Min-jun"]


def test_a_room_kind_changed_into_another_is_not_the_stays():
    text = "Könnten Sie das Einzelzimmer bitte in ein Doppelzimmer umbuchen? Rest bleibt."
    assert _kept(text, [("room_type", "Einzelzimmer"), ("room_type", "Doppelzimmer")]) == [
        "Doppelzimmer"]
    text = "could you switch my single to a double, same dates"
    assert _kept(text, [("room_type", "single"), ("room_type", "double")]) == ["double"]
    # two kinds for two places change nothing
    text = "bitte ein Einzelzimmer in Wien und ein Doppelzimmer in Graz"
    assert _kept(text, [("room_type", "Einzelzimmer"), ("room_type", "Doppelzimmer")]) == [
        "Einzelzimmer", "Doppelzimmer"]
    text = "bitte aus dem EZ ein Zweibettzimmer machen, meine Kollegin kommt mit"
    assert _kept(text, [("room_type", "EZ"), ("room_type", "Zweibettzimmer")]) == [
        "Zweibettzimmer"]


def test_a_replaced_date_is_not_the_stays():
    text = "neue Anreise am 28. April, neue Abreise am 30. April (bisher 22.–24. April)."
    assert _fields(text, [("check_in", "28. April"), ("check_out", "30. April"),
                          ("check_in", "22."), ("check_out", "24. April")]) == [
        ("check_in", "28. April"), ("check_out", "30. April")]
    text = "Ich reise erst am Mittwoch statt am Montag an, Abreise Freitag"
    assert _fields(text, [("check_in", "Mittwoch"), ("check_in", "Montag"),
                          ("check_out", "Freitag")]) == [("check_in", "Mittwoch"),
                                                         ("check_out", "Freitag")]
    # a date after other words is not the replaced one
    text = "originally we planned to come, now arriving on 3 May"
    assert _fields(text, [("check_in", "3 May")]) == [("check_in", "3 May")]


def test_dates_go_by_ranges():
    # a range moved to another is the old one; the new range's roles are its order
    text = "Could we move the booking from 3-5 May to 10-12 May please?"
    assert _fields(text, [("check_in", "3"), ("check_out", "5 May"), ("check_out", "10"),
                          ("check_out", "12 May")]) == [
        ("check_in", "10"), ("check_out", "12 May")]
    text = "Die Reservierung im Hotel X (14.-16.3.) bitte auf 21.-23.3. umbuchen."
    assert _kept(text, [("check_in", "14."), ("check_out", "16.3."), ("check_in", "21."),
                        ("check_out", "23.3.")]) == ["21.", "23.3."]
    # the other end of a replaced date's range goes with it
    text = "change of dates: instead of June 3-5 it's now June 4-6"
    assert _kept(text, [("check_in", "June 3"), ("check_out", "5"), ("check_in", "June 4"),
                        ("check_out", "6")]) == ["June 4", "6"]
    # two stays one after another are no move
    text = "Munich 3-5 May, then Vienna 5 to 7 May"
    fields = _fields(text, [("check_in", "3"), ("check_out", "5 May"), ("check_in", "5", 1),
                            ("check_out", "7 May")])
    assert [f for f in fields if f[0] != "destination"] == [
        ("check_in", "3"), ("check_out", "5 May"), ("check_in", "5"), ("check_out", "7 May")]


def test_a_replaced_hotel_or_traveller_is_not_the_stays():
    text = "the room is now for Ms. Olga Petrenko instead of Mr. Ivan Kovalenko."
    assert _kept(text, [("traveler_names", "Olga Petrenko"),
                        ("traveler_names", "Ivan Kovalenko")]) == ["Olga Petrenko"]
    text = "could you switch my booking from the Scandic to the Hotel d'Angleterre?"
    assert _kept(text, [("hotel_name", "Scandic"), ("hotel_name", "Hotel d'Angleterre")]) == [
        "Hotel d'Angleterre"]
    text = "bitte auf Frau Sophie Lang umschreiben, Herr Kern kann leider nicht reisen."
    assert _kept(text, [("traveler_names", "Sophie Lang"), ("traveler_names", "Kern")]) == [
        "Sophie Lang"]
    # a hotel after "from" with no second hotel, and a traveller who can come, stay
    text = "Herr Kern kann erst am Dienstag anreisen, from the Hilton to the station is far"
    assert _kept(text, [("traveler_names", "Kern"), ("hotel_name", "Hilton")]) == [
        "Kern", "Hilton"]


def test_the_signer_is_no_traveller():
    text = "Please book Berlin for Martin Kessler, 3-5 May.\n\nThanks,\nHelen"
    assert _kept(text, [("traveler_names", "Martin Kessler"),
                        ("traveler_names", "Helen", -1)]) == ["Martin Kessler"]
    assert _kept("Book me a room, Helen.\nHelen Berg from Munich.\n\nCheers, Helen",
                 [("traveler_names", "Helen", -1)]) == []
    # the sender who says she is the guest keeps her sign-off
    text = "My name is Sarah Klein, one room in Bonn please.\n\nBest regards,\nSarah"
    assert _kept(text, [("traveler_names", "Sarah Klein"),
                        ("traveler_names", "Sarah", -1)]) == ["Sarah Klein", "Sarah"]
    # the signature block under the signer's name is the sender's too
    text = ("Zwei EZ in Kiel für Merve Şahin.\n\nViele Grüße\nIlka Brodersen\n"
            "Praxis für Physiotherapie Brunsbek\nTel. 0431 12345")
    assert _kept(text, [("traveler_names", "Merve Şahin"),
                        ("traveler_names", "Physiotherapie Brunsbek")]) == ["Merve Şahin"]
    # a traveller in the body of an email without a sign-off stays
    assert _kept("room for Helen Berg in Bonn", [("traveler_names", "Helen Berg")]) == [
        "Helen Berg"]


def test_pieces_of_one_name_parted_by_a_particle_are_one_name():
    text = "in der Nähe vom Parque das Nações buchen, im Hotel Adlon Kempinski"
    a, b = text.index("Parque"), text.index("Nações")
    spans = [model("near", a, a + 6), model("near", b, b + 6),
             model("hotel_name", text.index("Adlon"), text.index("Adlon") + 5),
             model("near", text.index("Kempinski"), text.index("Kempinski") + 9)]
    merged = merge_spans(spans, [], text=text)
    # pieces of one field join; pieces of different fields do not
    assert [(m.field, text[m.start:m.end]) for m in merged] == [
        ("near", "Parque das Nações"), ("hotel_name", "Adlon"), ("near", "Kempinski")]


def test_pieces_of_one_town_are_one_destination():
    for text, pieces, whole in [
            ("im Hotel in Rothenburg ob der Tauber vom 4. bis 6. Dezember",
             ["Rothenburg", "Tauber"], "Rothenburg ob der Tauber"),
            ("the Marriott Marquis in Washington, DC (conf. #WM-66102)",
             ["Washington", "DC"], "Washington, DC")]:
        assert _fields(text, [("destination", p) for p in pieces]) == [("destination", whole)]
    # two cities stay two
    assert _kept("Hotels in Berlin, Hamburg", [("destination", "Berlin"),
                                               ("destination", "Hamburg")]) == [
        "Berlin", "Hamburg"]


def test_a_hotel_named_with_its_place_is_split_into_hotel_and_near():
    text = "bitte wieder das Motel One am Hauptbahnhof, 2 Nächte"
    assert _fields(text, [("hotel_name", "Motel One am Hauptbahnhof")]) == [
        ("hotel_name", "Motel One"), ("near", "Hauptbahnhof")]
    # "Hotel am Stadtpark" is the hotel's name; a place named elsewhere keeps the hotel whole
    text = "im Hotel am Stadtpark"
    assert _fields(text, [("hotel_name", "Hotel am Stadtpark")]) == [
        ("hotel_name", "Hotel am Stadtpark")]
    text = "im Lindner am Michel, nahe der Elbphilharmonie"
    assert _fields(text, [("hotel_name", "Lindner am Michel"), ("near", "Elbphilharmonie")]) == [
        ("hotel_name", "Lindner am Michel"), ("near", "Elbphilharmonie")]
    # the place named with the hotel is split off when only another line names a place
    text = "1) Düsseldorf, Hyatt Regency am Medienhafen\n2) Köln, nah an der Lanxess Arena"
    assert _fields(text, [("hotel_name", "Hyatt Regency am Medienhafen"),
                         ("near", "Lanxess Arena")]) == [
        ("hotel_name", "Hyatt Regency"), ("near", "Medienhafen"), ("near", "Lanxess Arena")]
    # "[Hotel am] [Domplatz]": a hotel that is only "Hotel" takes the place that follows
    text = "Bitte buchen Sie das Hotel am Domplatz für uns"
    assert _fields(text, [("hotel_name", "Hotel am"), ("near", "Domplatz")]) == [
        ("hotel_name", "Hotel am Domplatz")]


def test_a_name_ends_on_its_line_and_with_a_name_word():
    text = "- Straßburg: 1 Nacht, gern im Hotel Hannong\n\nTeilnehmende: Frau Sokolova"
    assert _fields(text, [("hotel_name", "Hotel Hannong\n\nTeilnehmende")]) == [
        ("hotel_name", "Hotel Hannong")]
    text = "Zimmerkontingent im Hotel Neptun in Warnemünde"
    assert _fields(text, [("hotel_name", "Hotel Neptun in"), ("destination", "Warnemünde")]) == [
        ("hotel_name", "Hotel Neptun"), ("destination", "Warnemünde")]
    # a preposition between two pieces of one place is not cut off before they join
    text = "close to the Berlaymont building at Schuman."
    assert _fields(text, [("near", "Berlaymont building at"), ("near", "Schuman")]) == [
        ("near", "Berlaymont building at Schuman")]
    # a span that is only a line break is nothing
    assert _fields("Rom\n\nParis", [("destination", "\n\n")]) == []



def test_a_place_ends_where_its_sentence_ends():
    text = "gern in der Nähe des Kongresszentrums FIL. Generell gilt: max. 160 € pro Nacht"
    assert _fields(text, [("near", "Kongresszentrums FIL. Generell")]) == [
        ("near", "Kongresszentrums FIL")]
    text = "We liked the Hotel Adlon. Please book it again."
    assert _fields(text, [("hotel_name", "Hotel Adlon. Please")]) == [("hotel_name", "Hotel Adlon")]
    # a title's or a saint's dot ends no sentence
    for text, name in (("near St. Pauli Landungsbrücken", "St. Pauli Landungsbrücken"),
                       ("im Haus Prof. Sauer in Jena", "Haus Prof. Sauer")):
        assert _fields(text, [("near", name)]) == [("near", name)]


def test_a_name_goes_on_where_prose_is_hard_wrapped():
    # a mail client wrapped the paragraph at ~75 characters: the break is no end of the name
    text = ("wir bräuchten bitte ein Einzelzimmer in Leipzig vom 3. bis 5. März für Frau Petra\n"
            "Lindqvist, gern mit Frühstück.")
    assert _travellers(text, ["Petra\nLindqvist"]) == ["Petra\nLindqvist"]
    # a title alone on its line goes on with the name under it, however short the line
    text = "Gäste: Herr Dr.\nOle Brandvik und Frau\n   Sigrun Haugen"
    assert _travellers(text, ["Herr Dr.\nOle Brandvik", "Frau\n   Sigrun Haugen"]) == [
        "Herr Dr.\nOle Brandvik", "Frau\n   Sigrun Haugen"]
    # a short line, or a long one before a list item, ends where it breaks
    # (and the next line, listed under the label, is a traveller of its own)
    assert _travellers("Gäste:\nIrma Falk\nTheo Falk", ["Irma Falk\nTheo"]) == [
        "Irma Falk", "Theo Falk"]
    text = ("- Wien: Anreise 2.3., 2 Nächte, 2 EZ, gern nahe Stephansplatz und Oper\n"
            "- Graz: Anreise 4.3., 1 Nacht")
    assert _fields(text, [("near", "Stephansplatz und Oper\n- Graz")]) == [
        ("near", "Stephansplatz und Oper")]


def test_a_city_beside_its_own_dates_is_a_destination():
    # right after the dates of a chat, heading a list line, right before the arrival
    assert ("destination", "jena") in _fields(
        "ok plan steht: erfurt mo-mi, dann jena mi-fr. EZ",
        [("destination", "erfurt"), ("check_in", "mo"), ("check_out", "mi"),
         ("check_in", "mi", 1), ("check_out", "fr")])
    text = ("- Brüssel: Anreise 24.11., 2 Nächte, Nähe Europäisches Parlament\n"
            "- Straßburg: Anreise 26.11., 1 Nacht")
    assert ("destination", "Straßburg") in _fields(
        text, [("destination", "Brüssel"), ("check_in", "24.11."), ("check_in", "26.11.")])
    assert ("destination", "Linz") in _fields(
        "Graz – Anreise 08.09., Abreise 10.09. und Linz – Anreise 10.09., Abreise 12.09.",
        [("destination", "Graz"), ("check_in", "08.09."), ("check_out", "10.09."),
         ("check_in", "10.09.", 1), ("check_out", "12.09.")])


def test_a_city_left_or_without_dates_is_no_destination():
    kept = _kept("Hotel in Berlin, Anreise ab Frankfurt 3. Mai, bis 5. Mai. Gruß aus Köln",
                 [("destination", "Berlin"), ("check_in", "3. Mai"), ("check_out", "5. Mai")])
    assert "Frankfurt" not in kept and "Köln" not in kept
    # a lowercase word that spells a city is one only in a text written all lowercase
    assert "essen" not in _kept("Hotel in Bonn vom 3. bis 5. Mai, essen 5. Mai abends",
                                [("destination", "Bonn"), ("check_in", "3."),
                                 ("check_out", "5. Mai")])


def test_the_head_of_a_list_line_shaped_like_a_destination_line_is_a_destination():
    text = ("Delhi — 8 to 10 January, at The Imperial\n"
            "Jaipur — 10 to 13 January, a heritage hotel\n"
            "Agra — 13 January, one night\n"
            "Kind regards — Gwen")
    fields = _fields(text, [("destination", "Delhi"), ("check_in", "8"),
                            ("check_out", "10 January"), ("check_in", "10", 1),
                            ("check_out", "13 January"), ("check_in", "13 January", 1)])
    assert [p for f, p in fields if f == "destination"] == ["Delhi", "Jaipur", "Agra"]
    # a form's labels are no list of stops: "Zielort: Wien" holds no dates
    fields = _fields("Zielort: Wien\nVon: 30.8.2025\nBis: 5.9.2025",
                     [("destination", "Wien"), ("check_in", "30.8.2025"),
                      ("check_out", "5.9.2025")])
    assert [p for f, p in fields if f == "destination"] == ["Wien"]


def test_a_date_ends_with_its_sentence():
    text = "5 Nov - 9 Nov. 8 pax. Budget"
    merged = merge_spans([model("check_out", 8, 16)],
                         [rule("date", 8, 14), rule("guests", 15, 20, "guests")], text=text)
    assert [(m.field, text[m.start:m.end]) for m in merged] == [
        ("check_out", "9 Nov."), ("guests", "8 pax")]


def test_a_quoted_rate_and_a_cancellation_deadline_state_no_wish():
    # the model reads a confirmation's rate as a budget and its deadline as a departure
    from extractor.rules import RuleFinder

    text = ("Room: 1 x Classic Double\nRate: EUR 212.00 per night\n"
            "Free cancellation until 14 March, 18:00 local time.")
    [rules] = RuleFinder().find([text])
    rate = text.index("EUR 212.00")
    deadline = text.index("14 March")
    tagged = [model("max_price", rate, rate + len("EUR 212.00")),
              model("check_out", deadline, deadline + len("14 March"))]
    merged = merge_spans(tagged, rules, text=text)
    assert not [m for m in merged if m.field in ("max_price", "check_out")]


def test_a_replaced_room_kind_is_not_the_stays():
    text = "wir kommen doch zu zweit, also bitte DZ statt EZ."
    merged = merge_spans([model("room_type", *at(text, "DZ")), model("room_type", *at(text, "EZ"))],
                         [], text=text, intent="modification")
    assert [text[m.start:m.end] for m in merged] == ["DZ"]
    swap = "please change it from a single to a double"
    merged = merge_spans([model("room_type", *at(swap, "single")),
                          model("room_type", *at(swap, "double"))], [], text=swap)
    assert [swap[m.start:m.end] for m in merged] == ["double"]


def test_a_guest_who_cannot_come_in_a_german_subclause_is_no_traveller():
    text = "reduzieren wir auf drei Zimmer, da Herr Obuya leider nicht mitreisen kann."
    merged = merge_spans([model("traveler_names", *at(text, "Herr Obuya"))], [], text=text,
                         intent="modification")
    assert [m.field for m in merged] == []


def test_a_travel_verbs_particle_names_the_date():
    text = "bitte die letzte Nacht stornieren, ich reise schon am Freitag, 30.01., ab. Danke"
    assert _fields(text, [("check_in", "Freitag, 30.01.")]) == [("check_out", "Freitag, 30.01.")]
    text = "Wir reisen erst am Dienstag, 3.3., an und bleiben bis Freitag."
    assert _fields(text, [("check_out", "Dienstag, 3.3.")]) == [("check_in", "Dienstag, 3.3.")]
    # "ab" opening a date is no particle ending the clause
    text = "Ich reise ab 3.3. nach Wien"
    assert _fields(text, [("check_in", "3.3.")]) == [("check_in", "3.3.")]


def test_a_house_number_after_its_street_is_no_date():
    text = "Hotel Adler, Lindenplatz 2-6, Ulm\nMontag, 06.10.2025 bis Donnerstag, 09.10.2025"
    assert _fields(text, [("check_in", "2"), ("check_out", "6"),
                          ("check_in", "Montag, 06.10.2025"),
                          ("check_out", "Donnerstag, 09.10.2025")]) == [
        ("check_in", "Montag, 06.10.2025"), ("check_out", "Donnerstag, 09.10.2025")]
    # a day after a word that is no street stays a date
    assert _fields("Anreise Montag 6, Abreise 9", [("check_in", "6")]) == [("check_in", "6")]


def test_numbers_joined_by_hyphens_that_write_no_date_are_no_date():
    text = "Hotel: Mitsui Garden Hotel, 8-13-1 Ginza, Tokyo\nCheck-in: Monday, 13 April 2026"
    assert _fields(text, [("check_in", "8-13"), ("check_in", "Monday, 13 April 2026")]) == [
        ("check_in", "Monday, 13 April 2026")]
    # dates written with hyphens stay dates
    assert _fields("Check-in 2027-03-10", [("check_in", "2027-03-10")]) == [
        ("check_in", "2027-03-10")]
    assert _fields("Anreise 10-03-27", [("check_in", "10-03-27")]) == [("check_in", "10-03-27")]


def test_the_person_greeted_is_no_traveller():
    text = "Liebe Frau Arnold,\n\nfür den Kongress brauche ich ein Zimmer."
    assert _travellers(text, ["Frau Arnold"]) == []
    text = "Hi Jonas!\nBitte ein Zimmer für Frau Weber."
    assert _travellers(text, ["Jonas", "Frau Weber"]) == ["Frau Weber"]
    # a first name calling the reader before the writer's own words
    assert _travellers("Priya, I'm in Oslo next week. Room please", ["Priya"]) == []
    # a guest list line is no greeting, and a name opening a request is the guest
    assert _travellers("Gäste:\nAnna Berg, Einzelzimmer", ["Anna Berg"]) == ["Anna Berg"]
    assert _travellers("Ole, Einzelzimmer, 3.-5. Mai", ["Ole"]) == ["Ole"]


def test_a_name_stopping_inside_a_streets_word_is_none():
    text = "Hyatt Regency, Kennedy-Ufer 2a, Köln"
    assert _fields(text, [("destination", "Kennedy"), ("destination", "Köln")]) == [
        ("destination", "Köln")]
    # a city written as part of a compound that is no street stays the city
    assert _fields("beim hamburg-hotel bitte", [("destination", "hamburg")]) == [
        ("destination", "hamburg")]


def test_a_greeting_the_model_took_into_the_name_still_greets():
    assert _travellers("Hi Priya,\ncould you book Lucas a room?", ["Hi Priya", "Lucas"]) == [
        "Lucas"]
    text = "Hotel: Tivoli Oriente, Av. Dom Joao II 27, Lisboa\nGuests: Mr Rajesh Iyer"
    assert _travellers(text, ["Av. Dom Joao", "Mr Rajesh Iyer"]) == ["Mr Rajesh Iyer"]


def test_a_household_or_a_town_is_no_guest():
    text = "die Reservierung für Familie Nowak stornieren, Frankfurt am Main, 3.-5. Mai"
    assert _travellers(text, ["Familie Nowak", "Frankfurt am Main"]) == []
    # one word that is also a town's name may be a person's ("Florence")
    assert _travellers("a room for Florence please", ["Florence"]) == ["Florence"]


def test_a_place_ends_before_where_and_takes_its_whole_hyphenated_word():
    text = "somewhere near COEX where the expo is"
    assert _fields(text, [("near", "COEX where")]) == [("near", "COEX")]
    text = "near gent sint-pieters ideally"
    assert _fields(text, [("near", "gent sint")]) == [("near", "gent sint-pieters")]


def test_an_iso_date_read_as_a_range_is_one_date():
    text = "5 nights from 2027-03-20, single room"
    spans = [model("check_in", *at(text, "2027-03-")), model("check_out", *at(text, "20", 1))]
    merged = merge_spans(spans, [rule("date", *at(text, "2027-03-20"))], text=text)
    assert [(m.field, text[m.start:m.end]) for m in merged] == [("check_in", "2027-03-20")]
    # a rule date that holds a range keeps its two ends
    text = "Zimmer Mo-Mi bitte"
    spans = [model("check_in", *at(text, "Mo")), model("check_out", *at(text, "Mi"))]
    merged = merge_spans(spans, [rule("date", *at(text, "Mo-Mi"))], text=text)
    assert [m.field for m in merged] == ["check_in", "check_out"]


def test_a_travel_verbs_particle_after_an_adverb_names_the_date():
    text = "die letzte Nacht stornieren, ich reise schon am 8.7. wieder ab. Danke"
    assert _fields(text, [("check_in", "8.7.")]) == [("check_out", "8.7.")]
    # "zurück" is the way home, the time of day an adverb like any other
    text = "bitte noch eine Nacht dranhängen, ich fahre erst Samstag früh zurück."
    assert _fields(text, [("check_in", "Samstag")]) == [("check_out", "Samstag")]


def test_a_changes_last_date_is_the_new_one():
    text = ("Booking for Rachel Moore, currently 9-11 June. Could you extend it so she checks "
            "out on Friday 12 June instead?")
    spans = [model("check_in", *at(text, "9")), model("check_out", *at(text, "11 June")),
             model("check_out", *at(text, "Friday 12 June"))]
    kept = [text[m.start:m.end] for m in merge_spans(spans, [], text=text, intent="modification")]
    assert kept == ["9", "Friday 12 June"]
    # a new booking keeps both mentions (the stays decide), and so does a change of two cities
    assert len(merge_spans(spans, [], text=text)) == 3
    text = "Bitte ändern: Wien 3.-5. Mai statt 2.-4. Mai und Graz 6.-8. Mai"
    spans = [model("destination", *at(text, "Wien")), model("check_in", *at(text, "3.")),
             model("check_out", *at(text, "5. Mai")), model("destination", *at(text, "Graz")),
             model("check_in", *at(text, "6.")), model("check_out", *at(text, "8. Mai"))]
    assert len(merge_spans(spans, [], text=text, intent="modification")) == 6


def test_a_name_signing_a_quoted_message_is_no_traveller():
    text = ("Liebe Frau Lehmann,\n\ngern buche ich für Herrn Bauer.\n\nViele Grüße\nAylin Kaya\n\n"
            "Hallo Frau Kaya,\nbitte ein Zimmer für Herrn Thomas Bauer.\nGruß, Carina Lehmann")
    assert _travellers(text, ["Herrn Bauer", "Aylin Kaya", "Frau Kaya", "Herrn Thomas Bauer"]) \
        == ["Herrn Bauer", "Herrn Thomas Bauer"]
    # a name under a sign-off that the body books for stays a traveller
    text = ("Ein Zimmer für Frau Kaya bitte.\n\nViele Grüße\nAylin Kaya\n\nHallo,\n"
            "noch eine Frage.\nGruß, Carina")
    assert _travellers(text, ["Frau Kaya", "Aylin Kaya"]) == ["Frau Kaya", "Aylin Kaya"]


def test_a_day_read_as_a_place_is_the_date_its_cue_names():
    text = "Florenz über Ostern. Anreise Gründonnerstag, Abreise Ostermontag."
    assert _fields(text, [("destination", "Florenz"), ("destination", "Gründonnerstag"),
                          ("check_out", "Ostermontag")]) == [
        ("destination", "Florenz"), ("check_in", "Gründonnerstag"), ("check_out", "Ostermontag")]
    # without a cue the day is left as it is read (the value step drops it as a place)
    assert _fields("Wien Gründonnerstag", [("destination", "Gründonnerstag")]) == [
        ("destination", "Gründonnerstag")]


def test_a_feast_after_an_arrival_or_departure_cue_is_that_date():
    text = "Rom an Pfingsten. Anreise Pfingstsamstag, Abreise Pfingstmontag."
    assert _fields(text, [("destination", "Rom")]) == [
        ("destination", "Rom"), ("check_in", "Pfingstsamstag"), ("check_out", "Pfingstmontag")]
    assert _fields("Lisbon, arrival Good Friday", [("destination", "Lisbon")]) == [
        ("destination", "Lisbon"), ("check_in", "Good Friday")]
    # a weekday after a cue is the model's to read; a word that names no day is none
    assert _fields("Anreise Montag, Abreise Hotel", []) == []
    # a hard-wrapped line may part the cue from its feast
    assert _fields("nach Dresden: Anreise\nKarfreitag, Abreise Ostermontag.",
                   [("destination", "Dresden"), ("check_out", "Ostermontag")]) == [
        ("destination", "Dresden"), ("check_in", "Karfreitag"), ("check_out", "Ostermontag")]


def test_a_name_on_an_approvers_form_line_is_no_traveller():
    text = "Traveller: Dr. Sofia Lindqvist\nCost centre: 4471\nApprover:   Lars Bergström\n"
    assert _travellers(text, ["Dr. Sofia Lindqvist", "Lars Bergström"]) == ["Dr. Sofia Lindqvist"]
    text = "Status ...... Approved (M. Solberg)\nEmployee .... Nils Aas"
    assert _travellers(text, ["M. Solberg", "Nils Aas"]) == ["Nils Aas"]
    assert _travellers("Genehmigt von: R. Kraus\nGast: Eva Roth", ["R. Kraus", "Eva Roth"]) \
        == ["Eva Roth"]
    # a guest named in prose that mentions an approval stays
    assert _travellers("Approved trip: please book for Eva Roth", ["Eva Roth"]) == ["Eva Roth"]


def test_a_venue_read_as_a_hotel_is_the_place_to_be_near():
    text = "ein Zimmer nahe dem Istanbul Congress Center, gern im Hilton Istanbul Bomonti"
    assert _fields(text, [("hotel_name", "Istanbul Congress Center")]) == [
        ("near", "Istanbul Congress Center")]
    text = "in Laufweite zum Bahnhof Santa Maria Novella"
    assert _fields(text, [("hotel_name", "Santa Maria Novella")]) == [
        ("near", "Santa Maria Novella")]
    text = "somewhere within walking distance of the WIPO building, please"
    assert _fields(text, [("hotel_name", "WIPO building")]) == [("near", "WIPO building")]
    # a hotel named after a venue stays a hotel
    for hotel in ("Hilton Munich Airport", "Congress Hotel Seepark", "Courtyard Messe"):
        assert _fields(f"bitte im {hotel}", [("hotel_name", hotel)]) == [("hotel_name", hotel)]
    text = "Our preferred hotel is the Arcotel Bolzano Messe."
    assert _fields(text, [("hotel_name", "Arcotel Bolzano Messe")]) == [
        ("hotel_name", "Arcotel Bolzano Messe")]


def test_a_destination_ends_with_its_last_capitalised_word():
    text = "Kannst du mir ein Hotel in Mailand raussuchen? Mo-Mi nächste Woche."
    assert _fields(text, [("destination", "Mailand raussuchen")]) == [("destination", "Mailand")]
    text = "Ein Zimmer in Frankfurt am Main bitte. Danke, Jan Roth"
    assert _fields(text, [("destination", "Frankfurt am Main")]) == [
        ("destination", "Frankfurt am Main")]


def test_an_interjection_is_no_traveller():
    text = "Hotel in Warschau vom 6. bis 8. Oktober bitte, nur für mich.\nAch ja, und mit Frühstück!"
    assert _travellers(text, ["Ach"]) == []


def test_a_childs_age_and_a_feast_opening_a_range():
    text = "2 adults 2 kids (6 and 9), Orlando, 3 nights from 2027-04-02"
    assert _fields(text, [("check_in", "6"), ("check_in", "9")]) == []
    text = "Wien über Ostern? Gründonnerstag bis Ostermontag, 2 Erwachsene"
    assert _fields(text, [("destination", "Gründonnerstag"), ("check_out", "Ostermontag")])[-2:] \
        == [("check_in", "Gründonnerstag"), ("check_out", "Ostermontag")]


def test_a_max_rate_line_is_a_budget():
    for label, keep in (("Max rate:", True), ("Max. rate:", True), ("Rate:", False)):
        text = f"{label} USD 210 / night\nCost centre: KE-204"
        value = text.index("USD")
        spans = [model("max_price", value, value + 15)]
        merged = merge_spans(spans, [rule("rate", value, value + 15)], text=text)
        assert bool(merged) is keep, label


def test_a_hotel_with_a_typo_in_its_chain_stays_a_hotel():
    text = "Preferred: Noovtel Hyderabad Convention Centre, or anything near HICC"
    assert _fields(text, [("hotel_name", "Noovtel Hyderabad Convention Centre")]) == [
        ("hotel_name", "Noovtel Hyderabad Convention Centre")]


def test_a_house_number_after_its_street_is_no_count():
    text = "Steigenberger Grandhotel Handelshof Leipzig, Salzgäßchen 6\n1 Doppelzimmer"
    assert _fields(text, [("rooms", "6")]) == []
    assert _fields("please book 6 rooms", [("rooms", "6")]) == [("rooms", "6")]


def test_a_count_under_a_form_label_naming_another_count_is_that_count():
    text = "Check-in: 12/05/2025\nNights: 3\nRooms: 2 x Single Room\nGuests: 2"
    # (the first "2" is the one in "12/05/2025": no label before it)
    assert _fields(text, [("rooms", "3"), ("rooms", "2"), ("guests", "2", -1)]) == [
        ("rooms", "2"), ("nights", "3"), ("guests", "2")]
    # a label of several words, in a quoted confirmation
    text = "> Check-in : 03-Nov-2026\n> No. of nights  : 3\n> Room : 01 Deluxe Room"
    assert _fields(text, [("rooms", "3", -1)]) == [("nights", "3")]
    assert _fields("Zimmer: 2\nNächte: 3", [("rooms", "2")]) == [("rooms", "2")]
    # a German label with its umlaut, the values aligned by spaces (an approval tool's form)
    text = "Check-out:          2026-06-26\nNächte:            4\nZimmeranzahl:      1"
    assert _fields(text, [("rooms", "4"), ("rooms", "1")]) == [("nights", "4"), ("rooms", "1")]


def test_a_count_whose_own_unit_names_nights_is_the_nights():
    assert _fields("DZ Berlin morgen 1N für 2 ppl", [("rooms", "1N")]) == [("nights", "1N")]
    assert _fields("EZ in Graz, 3 ÜN", [("rooms", "3 ÜN")]) == [("nights", "3 ÜN")]
    # a count of rooms stays one
    assert _fields("2 rooms in Berlin", [("rooms", "2 rooms")]) == [("rooms", "2 rooms")]


def test_every_full_name_listed_under_a_label_of_the_people_who_stay_is_a_traveller():
    text = ("Bitte 4 Einzelzimmer in Basel, 16. bis 19. Juni.\n\nTeam:\nIngrid Lindqvist\n"
            "- Oluwaseun Mensah (Messebau)\nDr. Kenji Tanaka\n\nFrühstück ja, please.")
    assert _kept(text, []) == ["Ingrid Lindqvist", "Oluwaseun Mensah", "Kenji Tanaka"]
    text = "Jeweils 4 Einzelzimmer für unsere Trainerinnen und Trainer:\nMag. Amara Novák\nNoor Haddad"
    assert _kept(text, []) == ["Amara Novák", "Noor Haddad"]
    # a listed name the model read as another field is the traveller's
    text = "Team:\nYuki Lindqvist\nNoor Iversen\n\nFrühstück ja"
    assert _fields(text, [("breakfast", "Iversen")]) == [
        ("traveler_names", "Yuki Lindqvist"), ("traveler_names", "Noor Iversen")]
    # not under a label of approvers, and not lines that name no one
    assert _kept("Approved by:\nLars Berg\n", []) == []
    assert _kept("Team:\nFrühstück ja\nHotel Adler bitte", []) == []


def test_the_people_a_traveller_visits_are_no_guests():
    text = "Hiroshi Yamada is visiting two customers in March."
    assert _fields(text, [("guests", "two customers")]) == []
    assert _fields("Er besucht zwei Kunden in Graz.", [("guests", "zwei Kunden")]) == []
    text = "Please book rooms for two customers in March."
    assert _fields(text, [("guests", "two customers")]) == [("guests", "two customers")]


def test_a_price_an_offer_starts_at_is_no_budget():
    text = "Delegates can book at partner hotels from EUR 145 per night."
    assert _fields(text, [("max_price", "EUR 145 per night")]) == []
    assert _fields("Budget: EUR 145 per night", [("max_price", "EUR 145 per night")]) == [
        ("max_price", "EUR 145 per night")]


def test_a_lowercase_phrase_in_a_cased_text_is_no_hotel_unless_a_hotel_word_says_so():
    text = "The two of us are hoping to catch the northern lights in Reykjavik in February."
    assert _fields(text, [("hotel_name", "northern lights")]) == []
    text = "Hi! For New Year in Prague could you book us the hotel josef, one double room?"
    assert _fields(text, [("hotel_name", "hotel josef")]) == [("hotel_name", "hotel josef")]


def test_a_range_the_model_read_one_end_of_gets_the_other():
    # the rule date no span covers before a lone departure is its arrival, and after a lone
    # arrival its departure; a date no range word joins stays out
    from extractor.rules import RuleFinder

    finder = RuleFinder()
    for text, tagged, expected in [
        ("Abuja - Wednesday to Thursday, Transcorp Hilton pls", ("check_out", "Thursday"),
         [("check_in", "Wednesday"), ("check_out", "Thursday")]),
        ("KW 19, Montag bis Mittwoch", ("check_in", "Montag"),
         [("check_in", "Montag"), ("check_out", "Mittwoch")]),
        ("meeting on Wednesday, leaving Thursday", ("check_out", "Thursday"),
         [("check_out", "Thursday")]),
    ]:
        start = text.index(tagged[1])
        [rules] = finder.find([text])
        merged = merge_spans([model(tagged[0], start, start + len(tagged[1]))], rules, text=text)
        assert [(m.field, text[m.start:m.end]) for m in merged
                if m.field in ("check_in", "check_out")] == expected, text


def test_a_feast_cut_short_grows_to_its_whole_name():
    from extractor.rules import RuleFinder

    text = "a suite at the hotel sacher for new years eve, 1 night"
    start = text.index("new years")
    [rules] = RuleFinder().find([text])
    merged = merge_spans([model("check_in", start, start + len("new years"))], rules, text=text)
    assert [text[m.start:m.end] for m in merged if m.field == "check_in"] == ["new years eve"]


def test_a_cancellation_keeps_whom_it_cancels_not_whose_room_stays():
    # "will not travel" names whom a cancellation is for; "'s room stays" whom it is not
    text = ("Marco Bassi will not travel next week, please cancel his room. "
            "Giulia Ferri's room stays as it is.")
    spans = [model("traveler_names", *at(text, "Marco Bassi")),
             model("traveler_names", *at(text, "Giulia Ferri"))]
    merged = merge_spans(spans, [], text=text, intent="cancellation")
    assert [text[m.start:m.end] for m in merged] == ["Marco Bassi"]
    # in a new booking, who does not travel is no guest
    assert [text[m.start:m.end] for m in merge_spans(spans, [], text=text)] == ["Giulia Ferri"]


def test_a_city_someone_goes_back_to_is_no_destination():
    for text, city in [("I will check out on Thursday and take the evening flight back to Doha.",
                        "Doha"),
                       ("Am Freitag fliege ich schon zurück nach Linz.", "Linz")]:
        assert _kept(text, [("destination", city)]) == [], text
    assert _kept("Please book a hotel in Doha next week.", [("destination", "Doha")]) == ["Doha"]


def test_a_list_line_shaped_like_a_stays_takes_its_city_and_its_range():
    # the model tags the first stop of a trip; the next line, shaped alike, is a stop too, its
    # range of rule dates the arrival and the departure
    from extractor.rules import RuleFinder

    text = ("Lagos - Monday to Wednesday, near the bank\n"
            "Abuja - Wednesday to Thursday, Transcorp Hilton pls\n")
    [rules] = RuleFinder().find([text])
    tagged = [("destination", "Lagos"), ("check_in", "Monday"), ("check_out", "Wednesday")]
    spans = [model(f, *at(text, p)) for f, p in tagged]
    merged = merge_spans(spans, rules, text=text)
    assert [(m.field, text[m.start:m.end]) for m in merged if m.start > text.index("\n")] == [
        ("destination", "Abuja"), ("check_in", "Wednesday"), ("check_out", "Thursday")]


def test_a_date_then_the_departures_cue_is_the_arrival():
    text = "Then again Thursday night, leaving Saturday morning."
    assert _fields(text, [("check_out", "Thursday"), ("check_out", "Saturday")]) == [
        ("check_in", "Thursday"), ("check_out", "Saturday")]


def test_a_list_items_number_is_no_date():
    text = "Ich muss zweimal nach Warschau:\n\n1. KW 19, Montag bis Mittwoch\n2. KW 22"
    assert _kept(text, [("check_in", "1."), ("check_in", "KW 19,"), ("check_in", "Montag"),
                        ("check_out", "Mittwoch")]) == ["KW 19,", "Montag", "Mittwoch"]
    # a day of the month alone on its line is one ("Anreise:\n3. Mai")
    assert _kept("Anreise:\n3. Mai", [("check_in", "3. Mai")]) == ["3. Mai"]
    # nor one a rule date runs on from
    text = "Anreise:\n3. Mai"
    merged = merge_spans([model("check_in", 9, 11)], [rule("date", 9, 15)], text=text)
    assert [text[m.start:m.end] for m in merged] == ["3. Mai"]


def test_a_hotels_star_rating_counts_no_one():
    text = "Looking for a 4-star in Kyoto, 2 adults, 10-14 April."
    spans = [model("guests", *at(text, "4")), model("guests", *at(text, "2 adults"))]
    rules = [rule("rating", *at(text, "4-star"))]
    merged = merge_spans(spans, rules, text=text)
    assert [(m.field, text[m.start:m.end]) for m in merged] == [("guests", "2 adults")]


def test_a_weekdays_two_letters_used_as_a_word_are_no_date():
    text = "Bitte das Hotel in Osaka stornieren. Seoul bleibt so wie gebucht."
    assert _kept(text, [("check_in", "so")]) == []
    # in a range, or before a date's punctuation, they are the day
    for text, day in [("nächste woche di bis do bitte ein EZ", "do"),
                      ("dieses Wochenende Fr–So, max. 150 EUR", "Fr"), ("ab so.", "so")]:
        assert _kept(text, [("check_in", day)]) == [day]


def test_a_partial_cancellation_names_the_city_cancelled_not_the_one_that_stays():
    text = "Kannst du bitte das Hotel in Osaka stornieren? Seoul bleibt so wie gebucht."
    assert _kept(text, [("destination", "Osaka"), ("destination", "Seoul")]) == [
        "Osaka", "Seoul"]
    merged = merge_spans([model("destination", *at(text, "Osaka")),
                          model("destination", *at(text, "Seoul"))], [], text=text,
                         intent="cancellation")
    assert [text[m.start:m.end] for m in merged] == ["Osaka"]


def test_a_partial_cancellation_drops_the_sentence_that_keeps_a_booking():
    def cancelled(text, tagged):
        spans = [model(field, *at(text, phrase)) for field, phrase in tagged]
        merged = merge_spans(spans, [], text=text, intent="cancellation")
        return [text[m.start:m.end] for m in merged]

    text = "Please cancel the Lima part of the trip. Keep the Cusco hotel as it is, thanks."
    assert cancelled(text, [("destination", "Lima"), ("destination", "Cusco")]) == ["Lima"]
    text = ("Bitte das Hotel in Graz stornieren. Die Nacht in Linz vom 4. auf den 5. Mai bleibt "
            "unverändert bestehen.")
    assert cancelled(text, [("destination", "Graz"), ("destination", "Linz"),
                            ("check_in", "4."), ("check_out", "5. Mai")]) == ["Graz"]
    text = "Please cancel the Lima hotel only; Cusco stays as booked."
    assert cancelled(text, [("destination", "Lima"), ("destination", "Cusco")]) == ["Lima"]
    # what the cancelled sentence names stays, whatever another sentence keeps
    text = "Please cancel Lima, 3-5 May. The rest stays as it is."
    assert cancelled(text, [("destination", "Lima"), ("check_in", "3"),
                            ("check_out", "5 May")]) == ["Lima", "3", "5 May"]


def test_a_city_and_the_word_hotel_name_the_citys_stay():
    text = "The Lyon part is off. Please cancel the Lyon hotel only; Geneva stays as booked."
    merged = merge_spans([model("hotel_name", *at(text, "Lyon hotel only")),
                          model("destination", *at(text, "Geneva"))], [], text=text,
                         intent="cancellation")
    assert [(m.field, text[m.start:m.end]) for m in merged] == [("destination", "Lyon")]
    # a hotel's name that begins with a city stays a hotel
    text = "Same hotel in Leeds, the Quebec Hotel."
    assert _fields(text, [("hotel_name", "Quebec Hotel")]) == [("hotel_name", "Quebec Hotel")]


def test_a_number_naming_a_part_of_a_place_is_no_date_nor_count():
    text = "Book me into the Premier Inn at Heathrow Terminal 5 for next Thursday, one night."
    assert _kept(text, [("check_in", "5"), ("check_in", "next Thursday")]) == ["next Thursday"]
    text = "Stand in Halle 3, bitte 2 EZ vom 4. bis 6. Mai"
    assert _kept(text, [("rooms", "3"), ("rooms", "2")]) == ["2"]


def test_an_officer_a_legal_footer_names_is_no_traveller():
    text = ("bitte für Herrn Behrendt wie unten beschrieben buchen.\n\nViele Grüße\nPetra\n\n"
            "Kielwasser Medizintechnik GmbH\n"
            "Amtsgericht Kiel HRB 23981 | Geschäftsführung: Dr. Hauke Sönnichsen\n\n"
            "-------- Weitergeleitete Nachricht --------\nich muss nach Kopenhagen.")
    assert _kept(text, [("traveler_names", "Herrn Behrendt"),
                        ("traveler_names", "Dr. Hauke Sönnichsen")]) == ["Herrn Behrendt"]


def test_a_booking_moved_to_one_day_begins_that_day():
    text = "Can I move my booking at the Hilton to the 14th instead?"
    merged = merge_spans([model("hotel_name", *at(text, "Hilton")),
                          model("check_out", *at(text, "14th"))], [], text=text,
                         intent="modification")
    assert [(m.field, text[m.start:m.end]) for m in merged] == [
        ("hotel_name", "Hilton"), ("check_in", "14th")]
    # the departure moved is the departure
    text = "Could you move my check-out to the 14th?"
    merged = merge_spans([model("check_out", *at(text, "14th"))], [], text=text,
                         intent="modification")
    assert [m.field for m in merged] == ["check_out"]


def test_names_parted_by_a_slash_are_a_traveller_each():
    text = "Zimmerliste: Stefan Maurer / Burak Aydın, Julia Lindner"
    assert _travellers(text, ["Stefan Maurer / Burak Aydın", "Julia Lindner"]) == [
        "Stefan Maurer", "Burak Aydın", "Julia Lindner"]
    # a first name with its variant is one person
    assert _travellers("Gast: Anna/Anne Weber", ["Anna/Anne Weber"]) == ["Anna/Anne Weber"]


def test_a_name_before_a_companys_legal_form_is_no_traveller():
    text = "Book me a room in Joburg.\n\nMohammed Al-Rashid\nNajd Mining Co. | Riyadh"
    assert _travellers(text, ["Mohammed Al-Rashid", "Najd Mining"]) == ["Mohammed Al-Rashid"]
    for form in ("GmbH", "AG", "Ltd", "S.A."):
        assert _travellers(f"für Anna Weber, Brandauer Maschinenbau {form}",
                           ["Anna Weber", "Brandauer Maschinenbau"]) == ["Anna Weber"]
    # a weekday's two letters after a name are no legal form
    assert _travellers("Zimmer für Anna Weber Sa-So", ["Anna Weber"]) == ["Anna Weber"]
    # nor is a company's country a destination; a company stays a place to be near
    text = "bei unserer Tochter Solvatec South Africa (Pty) Ltd nach Kapstadt, nahe Bosch GmbH"
    assert _fields(text, [("destination", "South Africa"), ("near", "Bosch")]) == [
        ("near", "Bosch GmbH")]


def test_a_companion_named_after_a_relation_who_comes_along_is_a_traveller():
    text = ("Unser CEO, Herr Dr. Chinedu Okonkwo, reist nach Sydney und wird von seiner Frau, "
            "Ngozi Okonkwo, begleitet.")
    assert _travellers(text, ["Herr Dr. Chinedu Okonkwo"]) == ["Herr Dr. Chinedu Okonkwo",
                                                              "Ngozi Okonkwo"]
    assert _travellers("My wife (Julia Moretti) is joining me in Rome.", []) == ["Julia Moretti"]
    # named, but not coming along: no traveller
    assert _travellers("Bitte die Rechnung an meine Kollegin (Petra Maier) schicken.", []) == []


def test_a_date_after_a_departure_phrase_is_the_departure():
    text = "We arrive in Nairobi on Sunday 12 April and fly back to Lagos on Thursday 16 April."
    spans = [model("destination", text.index("Nairobi"), text.index("Nairobi") + 7),
             model("check_in", text.index("Sunday"), text.index(" and"))]
    rules = [rule("date", text.index("Sunday"), text.index(" and")),
             rule("date", text.index("Thursday"), len(text) - 1)]
    out = [(m.field, text[m.start:m.end]) for m in merge_spans(spans, rules, text=text)]
    # the departure is read, and the city flown back to gets no stay of its own
    assert out == [("destination", "Nairobi"), ("check_in", "Sunday 12 April"),
                   ("check_out", "Thursday 16 April")]
    # a date the phrase does not lead to stays unread
    text = "Flying out is always stressful. The meeting is on Thursday 16 April."
    rules = [rule("date", text.index("Thursday"), len(text) - 1)]
    assert merge_spans([], rules, text=text) == []


def test_a_hotel_read_where_the_text_names_a_part_of_the_city_is_the_place_to_be_near():
    text = "one room in Shanghai, Pudong side, Lujiazui area, for 15-18 September"
    assert _fields(text, [("hotel_name", "Lujiazui")]) == [("near", "Lujiazui")]
    text = "Lage: Barangaroo / Darling Harbour, unser Büro liegt dort."
    assert _fields(text, [("hotel_name", "Darling Harbour")]) == [("near", "Darling Harbour")]
    # a hotel's word keeps a hotel a hotel
    text = "Hotel: Park Hyatt Sydney, area: The Rocks"
    assert _fields(text, [("hotel_name", "Park Hyatt Sydney")]) == [
        ("hotel_name", "Park Hyatt Sydney")]


def test_a_name_with_a_nickname_inside_is_one_traveller():
    text = '- Jonas "JJ" Jürgensen\n- Mei Lin Chow'
    assert _fields(text, [("traveler_names", 'Jonas "'), ("traveler_names", "JJ"),
                          ("traveler_names", "Jürgensen"), ("traveler_names", "Mei Lin Chow")]) \
        == [("traveler_names", 'Jonas "JJ" Jürgensen'), ("traveler_names", "Mei Lin Chow")]
    text = "- Oluwaseun (Seun) Balogun"
    assert _kept(text, [("traveler_names", "Oluwaseun"), ("traveler_names", "Balogun")]) == [
        "Oluwaseun (Seun) Balogun"]


def test_a_city_left_from_or_gone_back_to_is_no_destination():
    text = "Wir fahren am Freitag mit dem Zug ab Zürich nach Mailand."
    assert _kept(text, [("destination", "Zürich"), ("destination", "Mailand")]) == ["Mailand"]
    text = "Ade can't get out of Accra before Monday, so move his room in Lomé"
    assert _kept(text, [("destination", "Accra"), ("destination", "Lomé")]) == ["Lomé"]
    text = "our team from Leeds needs rooms in Glasgow; the flight back to Doha is late"
    assert _kept(text, [("destination", "Leeds"), ("destination", "Glasgow"),
                        ("destination", "Doha")]) == ["Glasgow"]


def test_the_city_a_cancelled_flight_was_to_reach_is_no_destination():
    text = "my connecting flight to Lisbon got cancelled, I'm stuck at the airport in Madrid"
    assert _kept(text, [("destination", "Lisbon"), ("destination", "Madrid")]) == ["Madrid"]
    text = "Weiterflug nach Oslo annulliert, hänge fest. Brauche heute ein Zimmer in Kopenhagen."
    assert _kept(text, [("destination", "Oslo"), ("destination", "Kopenhagen")]) == [
        "Kopenhagen"]
    # a flight that goes ahead leads to where the traveller stays, and a traveller who is
    # stranded nowhere cancels the room there
    text = "my flight to Lisbon lands at 9pm, please book a room near the airport"
    assert _kept(text, [("destination", "Lisbon")]) == ["Lisbon"]
    text = "Cancel tonight's hotel please, my flight to Lisbon got cancelled."
    assert _kept(text, [("destination", "Lisbon")]) == ["Lisbon"]


def test_a_date_between_kommen_and_its_particle_is_the_departure():
    text = "Wir kommen am Sonntag, 20. September zurück."
    assert _fields(text, [("check_in", "Sonntag, 20. September")]) == [
        ("check_out", "Sonntag, 20. September")]


def test_a_total_count_stands_for_its_parts():
    text = "3 rooms of 4 for the boys and then 2 twins for us adults. So 5 rooms altogether."
    assert _fields(text, [("rooms", "3 rooms"), ("rooms", "2"), ("rooms", "5 rooms")]) == [
        ("rooms", "5 rooms")]
    # without a total, every count stays for the stays to choose from
    text = "3 rooms in Graz, then 2 rooms in Linz."
    assert _kept(text, [("rooms", "3 rooms"), ("rooms", "2 rooms")]) == ["3 rooms", "2 rooms"]


def test_a_date_right_after_a_departure_cue_is_the_departure():
    text = "We're arriving Sunday 12th July and flying home Saturday 18th July."
    sat = text.index("Saturday 18th July")
    merged = merge_spans([model("check_in", *at(text, "Sunday 12th July"))],
                         [rule("date", sat, sat + len("Saturday 18th July"))], text=text)
    assert [(m.field, text[m.start:m.end]) for m in merged] == [
        ("check_in", "Sunday 12th July"), ("check_out", "Saturday 18th July")]


def test_a_date_from_which_the_nights_follow_is_the_arrival():
    text = "Back up to Glasgow, from the 29th for three nights."
    d, n = at(text, "the 29th"), at(text, "three nights")
    merged = merge_spans([model("destination", *at(text, "Glasgow")), model("nights", *n)],
                         [rule("date", *d)], text=text)
    assert ("check_in", "the 29th") in [(m.field, text[m.start:m.end]) for m in merged]


def test_a_place_ends_before_bzw():
    assert _kept("möglichst nah an der Messe bzw. direkt an der M1", [("near", "Messe bzw")]) == [
        "Messe"]


def test_a_footer_past_the_signature_asks_for_nothing():
    text = ("Please book Hamburg 2-4 March.\n\nMany thanks,\nPriya\n\nPriya Raman\nCastlegate Ltd\n\n"
            "Meet us at the Logistics Summit, Rotterdam Ahoy, 14-16 April 2026")
    tagged = [("destination", "Hamburg"), ("check_in", "2"), ("check_out", "4 March"),
              ("destination", "Rotterdam"), ("check_in", "14"), ("check_out", "16 April 2026")]
    assert _kept(text, tagged) == ["Hamburg", "2", "4 March"]
    # a postscript under the signature still asks, and so does a forwarded message below it
    ps = text.replace("Meet us at the Logistics Summit,", "P.S. and then")
    assert "Rotterdam" in _kept(ps, tagged)
    forwarded = text.replace("Meet us at", "-----Original Message-----\nFrom: Tom\nBook")
    assert "Rotterdam" in _kept(forwarded, tagged)


def test_a_correction_replaces_what_it_corrects():
    text = "can i get a room in lyon on wednesday for 2 nights, no wait, make it thursday"
    assert _fields(text, [("destination", "lyon"), ("check_in", "wednesday"),
                          ("nights", "2 nights"), ("check_out", "thursday")]) == [
        ("destination", "lyon"), ("nights", "2 nights"), ("check_in", "thursday")]
    text = "hotel in praha pls, arriving 20 jan, 4 nights... actually 3 nights, sorry"
    assert _kept(text, [("check_in", "20 jan"), ("nights", "4 nights"),
                        ("nights", "3 nights")]) == ["20 jan", "3 nights"]
    # a date naming less than the one before keeps both: the month would be lost
    text = "hotel in mailand vom 5. bis 8. oktober... ne warte, bis zum 9.!"
    assert _kept(text, [("check_in", "5."), ("check_out", "8. oktober"),
                        ("check_out", "9.")])[-3:] == ["5.", "8. oktober", "9."]
    # a corrected range replaces the range, its end too
    text = "room in leeds, 4th-6th may... wait no, 5th to 7th. just me"
    assert _kept(text, [("destination", "leeds"), ("check_in", "4th"), ("check_out", "6th may"),
                        ("check_in", "5th"), ("check_out", "7th")]) == ["leeds", "5th", "7th"]
    # "äh sorry" corrects as "no wait" does
    text = "ein EZ in Bonn ab Dienstag, 2 Nächte – äh sorry, 4 Nächte"
    assert _kept(text, [("destination", "Bonn"), ("check_in", "Dienstag"),
                        ("nights", "2 Nächte"), ("nights", "4 Nächte")]) == [
        "Bonn", "Dienstag", "4 Nächte"]
    # without a cue both mentions stay for the stays to choose from
    text = "4 nights in Graz, then 3 nights in Linz"
    assert _kept(text, [("nights", "4 nights"), ("nights", "3 nights")]) == [
        "4 nights", "3 nights"]


def test_a_place_ends_on_a_line_its_writer_ended():
    text = ("London – Mon Sept 14 to Wed Sept 16, close to Liverpool Street\n"
            "Paris – Wed Sept 16, one night")
    assert _kept(text, [("near", "Liverpool Street\nParis")]) == ["Liverpool Street"]
    # a line wrapped by a program goes on: the next word would not have fit on it
    wrapped = ("We would like to stay somewhere quiet and close to the lovely old\n"
               "Marktplatz if that is possible")
    assert _kept(wrapped, [("near", "old\nMarktplatz")]) == ["old\nMarktplatz"]


def test_the_people_a_table_or_a_meal_is_for_are_no_guests():
    text = ("Please take off the last night. Could you recommend a restaurant near the hotel "
            "for a client dinner on the Tuesday, about 6 people?")
    assert _kept(text, [("guests", "6 people")]) == []
    assert _kept("Hotel in Essen für 2 Personen, 3.-5. Mai", [("guests", "2 Personen")]) == [
        "2 Personen"]


def test_a_leg_without_a_hotel_is_no_stay():
    text = ("- Berlin Mon 27 to Wed 29 April\n- Wed 29 Apr to Fri 1 May I'm with my parents in "
            "Leipzig, so no hotel needed\n- then back in Berlin for one night")
    tagged = [("destination", "Berlin"), ("check_in", "Mon 27"), ("check_out", "Wed 29 April"),
              ("check_in", "Wed 29 Apr", 1), ("check_out", "Fri 1 May"), ("destination", "Leipzig"),
              ("destination", "Berlin", -1)]
    assert _kept(text, tagged) == ["Berlin", "Mon 27", "Wed 29 April", "Berlin"]
    # a clause that asks for a hotel itself is another leg
    text = "Hotel in Berlin 3-5 May please, no hotel needed in Potsdam"
    assert _kept(text, [("destination", "Berlin"), ("destination", "Potsdam")]) == ["Berlin"]


def test_a_surname_read_alone_takes_the_first_name_before_it():
    text = "ich brauche Hotel in Hamburg für mich und mein Kollege Emre Kaya. Wir sind 2 Personen"
    assert _kept(text, [("traveler_names", "Kaya")]) == ["Emre Kaya"]
    # not a relation, a title, a noun that is never a name, nor in lowercase
    assert _kept("für meinen Kollegen Kaya", [("traveler_names", "Kaya")]) == ["Kaya"]
    assert _kept("Bitte für Herrn Kaya buchen", [("traveler_names", "Kaya")]) == ["Kaya"]
    assert _kept("Reservierung auf den Namen Haider", [("traveler_names", "Haider")]) == ["Haider"]
    assert _kept("Hi, it's me again. It's Claire and Mark", [("traveler_names", "Claire")])[0] \
        == "Claire"


def test_two_arrivals_listed_as_nights_are_the_first_and_the_last():
    text = "pls cancel my room in Oslo tonight & tomorrow, trip's off"
    assert _fields(text, [("destination", "Oslo"), ("check_in", "tonight"),
                          ("check_in", "tomorrow")])[1:] == [("check_in", "tonight"),
                                                             ("check_out", "tomorrow")]
    # two arrivals that are no nights listed stay as read
    text = "arriving Monday, or Tuesday if the flight is late"
    assert _fields(text, [("check_in", "Monday"), ("check_in", "Tuesday")]) == [
        ("check_in", "Monday"), ("check_in", "Tuesday")]


def test_a_full_name_after_the_writers_relation_is_a_traveller_when_they_come_or_are_booked_for():
    # names of any culture, which the model reads less surely than the words around them
    text = "bitte ein Zweibettzimmer für mich und meinen Kollegen Kwabena Mensah, 3 Nächte"
    assert ("traveler_names", "Kwabena Mensah") in _fields(text, [])
    text = "Zu meiner Buchung: meine Kollegin Oyelaran Adebisi kommt doch mit."
    assert ("traveler_names", "Oyelaran Adebisi") in _fields(text, [])
    text = "My colleague Siobhan Doyle is coming too, so two rooms please."
    assert ("traveler_names", "Siobhan Doyle") in _fields(text, [])
    # ... not someone the writer only mentions
    text = "My colleague Siobhan Doyle recommended your agency. A room in Cork, 3-5 May."
    assert ("traveler_names", "Siobhan Doyle") not in _fields(text, [])


def test_a_bare_count_of_nights_grows_over_its_weeks():
    text = "Anreise: 1. März\nDauer: 6 Wochen"
    merged = merge_spans([model("nights", *at(text, "6"))], [rule("weeks", *at(text, "6 Wochen"))],
                         text=text)
    assert [(s.field, text[s.start:s.end]) for s in merged] == [("nights", "6 Wochen")]


def test_a_traveller_cut_at_a_hyphen_inside_a_given_name_takes_the_word():
    text = "bitte ein EZ für Frau Lee Ji-woo, 3 Nächte"
    assert ("traveler_names", "Lee Ji-woo") in _fields(text, [("traveler_names", "Lee Ji")])
    # ... but not an honorific: "Sato-san" is Sato
    text = "please book a room for Sato-san, 3 nights"
    assert ("traveler_names", "Sato") in _fields(text, [("traveler_names", "Sato")])

