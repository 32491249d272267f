"""Assembling stays from merged spans: grouping, date pairs, derived nights and check-out."""

import datetime as dt
import re

from extractor.layout import Layout
from extractor.spans import FoundSpan
from extractor.stays import assemble, assemble_all, build_stays, group_stays
from extractor.values.valued import normalize_spans

REF = dt.date(2026, 4, 20)


def spans_of(text: str, marks: list[tuple[str, str]]) -> list[FoundSpan]:
    out, pos = [], 0
    for phrase, field in marks:
        start = text.index(phrase, pos)
        out.append(FoundSpan(field, start, start + len(phrase), 0.9, "model"))
        pos = start + len(phrase)
    return out


def group(text, spans):
    """The drafts of `text`'s merged spans, normalized as the pipeline does."""
    layout = Layout(text)
    return group_stays(normalize_spans(spans, layout), layout)


def build(text, marks):
    drafts = group(text, spans_of(text, marks))
    return [assemble(d, text, reference=REF, lang="en") for d in drafts]


def test_single_stay_with_derived_nights():
    text = "a hotel in Munich from 3 to 5 May, max 150 EUR, breakfast please"
    [a] = build(text, [("Munich", "destination"), ("3", "check_in"), ("5 May", "check_out"),
                       ("150 EUR", "max_price"), ("breakfast please", "breakfast")])
    s = a.stay
    assert s.destination.value == "Munich"
    assert (s.check_in.value, s.check_out.value) == (dt.date(2026, 5, 3), dt.date(2026, 5, 5))
    assert (s.nights.value, s.nights.source) == (2, "derived")
    assert s.max_price.value.amount == 150 and s.max_price.value.currency == "EUR"
    assert s.breakfast.value is True
    assert a.issues == []


def test_a_departure_its_cue_names_wins_over_a_day_said_before():
    # "Thursday" is the last night; the departure is named as such after it
    text = "Room in Bonn on 12 May and Thursday, so departure on Friday 15 May."
    [a] = build(text, [("Bonn", "destination"), ("12 May", "check_in"),
                       ("Thursday", "check_out"), ("Friday 15 May", "check_out")])
    assert a.stay.check_out.value == dt.date(2026, 5, 15)
    # "bis" before a deadline names no departure
    text = "Zimmer in Bonn, 12. bis 15. Mai. Bitte bis Freitag bestätigen."
    [a] = build(text, [("Bonn", "destination"), ("12.", "check_in"), ("15. Mai", "check_out"),
                       ("Freitag", "check_out")])
    assert a.stay.check_out.value == dt.date(2026, 5, 15)


def test_a_week_said_beside_one_day_holds_the_other_bare_weekdays():
    # REF is Monday 20 April 2026: next week's Wednesday is the 29th, its Friday 1 May
    text = "Zimmer in Bonn: Mittwoch und Donnerstag nächste Woche, also Abreise am Freitag."
    [a] = build(text, [("Bonn", "destination"), ("Mittwoch", "check_in"),
                       ("Donnerstag nächste Woche", "check_out"), ("Freitag", "check_out")])
    assert (a.stay.check_in.value, a.stay.check_out.value) == (dt.date(2026, 4, 29),
                                                               dt.date(2026, 5, 1))


def test_check_out_derived_from_nights():
    text = "Hotel in Köln ab 3. Mai für 2 Nächte"
    [a] = build(text, [("Köln", "destination"), ("3. Mai", "check_in"), ("2 Nächte", "nights")])
    assert a.stay.destination.value == "Cologne"
    assert a.stay.check_out.value == dt.date(2026, 5, 5)
    assert a.stay.check_out.source == "derived"


def test_inconsistent_nights_flagged():
    text = "Berlin from 3 May to 5 May, 4 nights"
    [a] = build(text, [("Berlin", "destination"), ("3 May", "check_in"), ("5 May", "check_out"),
                       ("4 nights", "nights")])
    assert "inconsistent:nights" in a.issues


def test_multi_city_groups_by_clause_and_copies_shared_fields():
    text = "Munich from 3 to 5 May, then Berlin 5 to 7 May. 2 rooms please."
    stays = build(text, [("Munich", "destination"), ("3", "check_in"), ("5 May", "check_out"),
                         ("Berlin", "destination"), ("5", "check_in"), ("7 May", "check_out"),
                         ("2 rooms", "rooms")])
    assert [a.stay.destination.value for a in stays] == ["Munich", "Berlin"]
    assert stays[1].stay.check_in.value == dt.date(2026, 5, 5)
    assert stays[1].stay.check_out.value == dt.date(2026, 5, 7)
    assert [a.stay.rooms.value for a in stays] == [2, 2]


def test_dates_before_their_city_in_the_same_clause():
    text = "3-5 May in Munich; 5-7 May in Berlin"
    stays = build(text, [("3", "check_in"), ("5 May", "check_out"), ("Munich", "destination"),
                         ("5", "check_in"), ("7 May", "check_out"), ("Berlin", "destination")])
    assert [(a.stay.destination.value, a.stay.check_in.value.day) for a in stays] == [
        ("Munich", 3), ("Berlin", 5)]


def test_same_city_twice_is_one_stay():
    text = "Hamburg please, 2 nights. In Hamburg near the Messe."
    stays = build(text, [("Hamburg", "destination"), ("2 nights", "nights"),
                         ("Hamburg", "destination"), ("Messe", "near")])
    assert len(stays) == 1
    assert len(stays[0].stay.destination.evidence) == 2


def test_vague_date_is_null_and_flagged():
    text = "Wien, Anfang Juni"
    [a] = build(text, [("Wien", "destination"), ("Anfang Juni", "check_in")])
    assert a.stay.check_in.value is None
    assert "vague:check_in" in a.issues


def test_week_number_gives_both_dates():
    text = "Hotel in Stuttgart KW 23"
    [a] = build(text, [("Stuttgart", "destination"), ("KW 23", "check_in")])
    assert a.stay.check_in.value.weekday() == 0
    assert a.stay.check_out.value.weekday() == 4
    assert a.stay.nights.value == 4


def test_traveler_names_deduplicated_in_order():
    text = "for Anna Schmidt and Herr Tom Berg; Anna Schmidt arrives late"
    [a] = build(text, [("Anna Schmidt", "traveler_names"), ("Herr Tom Berg", "traveler_names"),
                       ("Anna Schmidt", "traveler_names")])
    assert a.stay.traveler_names.value == ["Anna Schmidt", "Tom Berg"]


def test_a_surname_of_a_named_traveller_is_the_same_person():
    text = "Professor Haruki Tanaka arrives Monday. Tanaka prefers to walk. Kyle and Mia Berg"
    [a] = build(text, [("Haruki Tanaka", "traveler_names"), ("Tanaka", "traveler_names"),
                       ("Kyle", "traveler_names"), ("Mia Berg", "traveler_names")])
    assert a.stay.traveler_names.value == ["Haruki Tanaka", "Kyle Berg", "Mia Berg"]


def test_an_amount_with_a_currency_beats_a_bare_number():
    text = "Berlin, stand 4.1b / 212. Maximum 130 EUR per night for one room."
    [a] = build(text, [("Berlin", "destination"), ("212", "max_price"),
                       ("130 EUR per night", "max_price")])
    assert (a.stay.max_price.value.amount, a.stay.max_price.value.currency) == (130, "EUR")
    assert text[a.stay.max_price.evidence[0].start:].startswith("130 EUR")


def test_implausible_values_are_dropped_and_named():
    text = "Hamburg, call 4254315 guests"
    [a] = build(text, [("Hamburg", "destination"), ("4254315 guests", "guests")])
    assert a.stay.guests.value is None
    assert "implausible:guests" in a.issues
    a.stay.values()  # converts without error


def test_the_mention_that_names_a_day_wins_over_a_vague_one():
    text = "nächste Woche in Basel, Anreise Montag, 6. Mai, Abreise 8.5."
    [a] = build(text, [("nächste Woche", "check_in"), ("Basel", "destination"),
                       ("Montag, 6. Mai", "check_in"), ("8.5.", "check_out")])
    assert (a.stay.check_in.value, a.stay.check_out.value) == (dt.date(2026, 5, 6),
                                                               dt.date(2026, 5, 8))
    assert a.issues == []


def test_destination_taken_from_a_city_inside_the_hotel_name():
    text = "a suite at The Ritz London from 1 to 4 December"
    [a] = build(text, [("Ritz London", "hotel_name"), ("1", "check_in"), ("4 December", "check_out")])
    d = a.stay.destination
    assert (d.value, d.source) == ("London", "derived")
    assert [text[e.start:e.end] for e in d.evidence] == ["London"]


def test_a_district_read_as_the_destination_gives_way_to_the_city_its_hotel_names():
    text = "Hilton Garden Inn Singapore Serangoon please, Serangoon area, 1 to 4 December"
    [a] = build(text, [("Hilton Garden Inn Singapore Serangoon", "hotel_name"),
                       ("Serangoon", "destination"), ("1", "check_in"), ("4 December", "check_out")])
    assert (a.stay.destination.value, a.stay.destination.source) == ("Singapore", "derived")
    # a town the gazetteer does not know, with no city in its hotel's name, stays
    text = "Landgasthof Post in Dingolfing, 1 to 4 December"
    [a] = build(text, [("Landgasthof Post", "hotel_name"), ("Dingolfing", "destination"),
                       ("1", "check_in"), ("4 December", "check_out")])
    assert a.stay.destination.value == "Dingolfing"


def test_a_known_city_wins_over_a_country_read_as_the_destination_too():
    text = "A week in Iceland: a double in Reykjavik from 1 to 4 December"
    [a] = build(text, [("Iceland", "destination"), ("Reykjavik", "destination"),
                       ("1", "check_in"), ("4 December", "check_out")])
    assert a.stay.destination.value == "Reykjavik"


def test_a_text_all_in_lowercase_names_the_city_inside_its_hotel_lowercase_too():
    text = "a suite at the ritz london from 1 to 4 december, thx"
    [a] = build(text, [("ritz london", "hotel_name"), ("1", "check_in"), ("4 december", "check_out")])
    assert a.stay.destination.value == "London"
    # in a text that writes with capitals a lowercase word is no city ("a nice hotel")
    text = "Please book a nice hotel near the Bay from 1 to 4 December."
    [a] = build(text, [("nice hotel near the Bay", "near"), ("1", "check_in"),
                       ("4 December", "check_out")])
    assert a.stay.destination.value is None


def test_no_destination_from_a_hotel_name_without_a_known_city():
    text = "a room at the Park Hyatt from 1 to 4 December"
    [a] = build(text, [("Park Hyatt", "hotel_name"), ("1", "check_in"), ("4 December", "check_out")])
    assert a.stay.destination.value is None


def test_a_stated_destination_beats_the_city_in_the_hotel_name():
    text = "Hotel in Offenbach, gern das Marriott Frankfurt, 2 Nächte"
    [a] = build(text, [("Offenbach", "destination"), ("Marriott Frankfurt", "hotel_name"),
                       ("2 Nächte", "nights")])
    assert (a.stay.destination.value, a.stay.destination.source) == ("Offenbach", "model")


def test_an_unsure_unknown_destination_beside_a_known_city_opens_no_stay():
    text = "kleine Änderung in Bremen: komme erst Mittwoch, Abreise Freitag"
    spans = spans_of(text, [("Bremen", "destination"), ("komme", "destination"),
                            ("Mittwoch", "check_in"), ("Freitag", "check_out")])
    spans[1] = FoundSpan("destination", spans[1].start, spans[1].end, 0.58, "model")
    [draft] = group(text, spans)
    [a] = [assemble(draft, text, reference=REF, lang="de")]
    assert a.stay.destination.value == "Bremen"
    assert (a.stay.check_in.value, a.stay.check_out.value) == (dt.date(2026, 4, 22),
                                                               dt.date(2026, 4, 24))


def test_a_sure_unknown_town_beside_a_known_city_is_a_stay_of_its_own():
    text = "Delhi 8 to 10 January, then Jaipur 10 to 13 January"
    stays = build(text, [("Delhi", "destination"), ("8", "check_in"), ("10 January", "check_out"),
                         ("Jaipur", "destination"), ("10", "check_in"),
                         ("13 January", "check_out")])
    assert [a.stay.destination.value for a in stays] == ["Delhi", "Jaipur"]


def test_an_unsure_unknown_destination_with_dates_of_its_own_is_a_stop_of_its_own():
    text = "Could you book Brisbane 18-20 Aug and then Gold Coast 20-23 Aug for us?"
    spans = spans_of(text, [("Brisbane", "destination"), ("18", "check_in"),
                            ("20 Aug", "check_out"), ("Gold Coast", "destination"),
                            ("20", "check_in"), ("23 Aug", "check_out")])
    spans[3] = FoundSpan("destination", spans[3].start, spans[3].end, 0.64, "model")
    drafts = group(text, spans)
    stays = [assemble(d, text, reference=REF, lang="en").stay for d in drafts]
    assert [(s.destination.value, s.check_in.value, s.check_out.value) for s in stays] == [
        ("Brisbane", dt.date(2026, 8, 18), dt.date(2026, 8, 20)),
        ("Gold Coast", dt.date(2026, 8, 20), dt.date(2026, 8, 23))]


def test_a_city_without_dates_beside_one_with_dates_opens_no_stay():
    text = ("zwei Einzelzimmer in Nürnberg buchen? Sie sind vom 6. bis 8. Juli beim Kunden in "
            "Fürth, also am besten was nahe Hauptbahnhof")
    spans = spans_of(text, [("Nürnberg", "destination"), ("6.", "check_in"),
                            ("8. Juli", "check_out"), ("Kunden", "near"),
                            ("Fürth", "destination"), ("Hauptbahnhof", "near")])
    [draft] = group(text, spans)
    s = assemble(draft, text, reference=REF, lang="de").stay
    assert (s.destination.value, s.check_in.value, s.check_out.value) == (
        "Nuremberg", dt.date(2026, 7, 6), dt.date(2026, 7, 8))


def test_cities_without_dates_keep_their_stays_when_no_city_has_any():
    text = "Bitte je ein Hotel in Berlin und in Potsdam, Termine folgen."
    stays = build(text, [("Berlin", "destination"), ("Potsdam", "destination")])
    assert [a.stay.destination.value for a in stays] == ["Berlin", "Potsdam"]


def test_breakfast_read_in_its_own_clause():
    # indifference in the breakfast's own sentence makes it null...
    text = "Hotel in Kassel ab 3. Mai, Frühstück ist mir egal."
    [a] = build(text, [("Kassel", "destination"), ("Frühstück", "breakfast")])
    assert a.stay.breakfast.value is None
    # ...an "egal" of the clause before does not
    text = "Hotel in Hamburg, Zimmerkategorie egal, Frühstück brauch ich nicht."
    [a] = build(text, [("Hamburg", "destination"), ("Frühstück brauch ich nicht", "breakfast")])
    assert a.stay.breakfast.value is False


def build_all(text, marks, lang="en"):
    return [a.stay for d in group(text, spans_of(text, marks))
            for a in assemble_all(d, text, reference=REF, lang=lang)]


def test_two_stays_one_after_another_in_one_city_are_two_stays():
    text = ("zwei Hotels in Köln: vom 11. bis 13. November im Hyatt Regency (Nähe Messe Deutz), "
            "vom 13. bis 15. November im 25hours Hotel The Circle. Jeweils ein Einzelzimmer.")
    stays = build_all(text, [
        ("Köln", "destination"), ("11.", "check_in"), ("13. November", "check_out"),
        ("Hyatt Regency", "hotel_name"), ("Messe Deutz", "near"), ("13.", "check_in"),
        ("15. November", "check_out"), ("25hours Hotel The Circle", "hotel_name"),
        ("Einzelzimmer", "room_type")], lang="de")
    assert [(s.destination.value, s.check_in.value, s.check_out.value, s.hotel_name.value,
             s.near.value, s.room_type.value) for s in stays] == [
        ("Cologne", dt.date(2026, 11, 11), dt.date(2026, 11, 13), "Hyatt Regency",
         "Messe Deutz", "single"),
        ("Cologne", dt.date(2026, 11, 13), dt.date(2026, 11, 15), "25hours Hotel The Circle",
         None, "single")]


def test_nights_before_the_arrival_belong_to_its_stay():
    text = ("three nights at the Breidenbacher Hof from 20 January, and then from 23 January two "
            "nights at the Hyatt Regency, Düsseldorf")
    stays = build_all(text, [
        ("three nights", "nights"), ("Breidenbacher Hof", "hotel_name"),
        ("20 January", "check_in"), ("23 January", "check_in"), ("two nights", "nights"),
        ("Hyatt Regency", "hotel_name"), ("Düsseldorf", "destination")])
    assert [(s.check_in.value, s.nights.value, s.hotel_name.value) for s in stays] == [
        (dt.date(2027, 1, 20), 3, "Breidenbacher Hof"), (dt.date(2027, 1, 23), 2, "Hyatt Regency")]
    assert {s.destination.value for s in stays} == {"Dusseldorf"}


def test_a_day_written_alone_in_the_next_run_is_in_the_trips_month():
    # sent in December: "the 23rd" alone would be 23 December, before the trip begins
    text = ("three nights at the Breidenbacher Hof from 20 January, and then from the 23rd two "
            "nights at the Hyatt Regency, Düsseldorf")
    marks = [("three nights", "nights"), ("Breidenbacher Hof", "hotel_name"),
             ("20 January", "check_in"), ("23rd", "check_in"), ("two nights", "nights"),
             ("Hyatt Regency", "hotel_name"), ("Düsseldorf", "destination")]
    stays = [a.stay for d in group(text, spans_of(text, marks))
             for a in assemble_all(d, text, reference=dt.date(2026, 12, 9), lang="en")]
    assert [(s.check_in.value, s.check_out.value) for s in stays] == [
        (dt.date(2027, 1, 20), dt.date(2027, 1, 23)), (dt.date(2027, 1, 23), dt.date(2027, 1, 25))]


def test_a_list_number_read_as_a_day_opens_no_stay_a_month_later():
    text = "2. Passau, 10.11.–12.11., Hotel Wilder Mann\n3. Besuch beim Kunden"
    marks = [("Passau", "destination"), ("10.11.", "check_in"), ("12.11.", "check_out"),
             ("3.", "check_in")]
    stays = [a.stay for d in group(text, spans_of(text, marks))
             for a in assemble_all(d, text, reference=dt.date(2027, 10, 19), lang="de")]
    assert len(stays) == 1


def test_a_repeated_arrival_is_one_stay():
    text = "Munich from 3 May to 5 May. To repeat: arrival 3 May, departure 5 May."
    stays = build_all(text, [("Munich", "destination"), ("3 May", "check_in"),
                             ("5 May", "check_out"), ("3 May", "check_in"), ("5 May", "check_out")])
    assert len(stays) == 1


def test_dates_that_do_not_follow_one_another_stay_one_stay():
    # a second arrival before the first departure is no second stay: the whole is kept
    text = "Berlin 3 to 8 May, arrival 5 May, 2 nights"
    stays = build_all(text, [("Berlin", "destination"), ("3", "check_in"),
                             ("8 May", "check_out"), ("5 May", "check_in"), ("2 nights", "nights")])
    assert len(stays) == 1


def test_nights_listed_end_the_morning_after_the_last():
    text = "a room in Lisbon next weekend, fri and sat night please"
    [a] = build(text, [("Lisbon", "destination"), ("fri", "check_in"), ("sat", "check_out")])
    assert (a.stay.check_in.value, a.stay.check_out.value) == (dt.date(2026, 4, 24),
                                                                dt.date(2026, 4, 26))
    text = "any double rooms left in sevilla this weekend? fri + sat night, 2 of us"
    [a] = build(text, [("sevilla", "destination"), ("fri", "check_in"), ("sat", "check_out")])
    assert a.stay.nights.value == 2
    text = "a double in Cape Town for the nights of 5 and 6 December"
    [a] = build(text, [("Cape Town", "destination"), ("5", "check_in"),
                       ("6 December", "check_out")])
    assert (a.stay.check_out.value, a.stay.nights.value) == (dt.date(2026, 12, 7), 2)
    # arrival and departure joined by "to" are no nights listed
    text = "a room in Lisbon fri to sun"
    [a] = build(text, [("Lisbon", "destination"), ("fri", "check_in"), ("sun", "check_out")])
    assert a.stay.check_out.value == dt.date(2026, 4, 26)


def test_tonight_is_one_night():
    text = "stuck in Denver, need a room tonight"
    [a] = build(text, [("Denver", "destination"), ("tonight", "check_in")])
    assert (a.stay.check_in.value, a.stay.check_out.value, a.stay.nights.value) == (
        REF, REF + dt.timedelta(days=1), 1)
    text = "Zimmer in Leipzig für morgen Nacht"
    [a] = build(text, [("Leipzig", "destination"), ("morgen Nacht", "check_in")])
    assert a.stay.nights.value == 1


def test_a_first_name_joined_to_a_full_name_shares_its_surname():
    text = "Doppelzimmer in Graz, 3.-5. Mai, für Anna und Peter Huber"
    [a] = build(text, [("Graz", "destination"), ("Anna", "traveler_names"),
                       ("Peter Huber", "traveler_names")])
    assert a.stay.traveler_names.value == ["Anna Huber", "Peter Huber"]
    # a surname with its title is a person of its own
    text = "Zimmer in Graz für Herrn Richter und Matthias Stein"
    [a] = build(text, [("Graz", "destination"), ("Richter", "traveler_names"),
                       ("Matthias Stein", "traveler_names")])
    assert a.stay.traveler_names.value == ["Richter", "Matthias Stein"]
    text = "Zimmer in Graz für Herrn Richter und Matthias Stein"  # the title inside the span
    [a] = build(text, [("Graz", "destination"), ("Herrn Richter", "traveler_names"),
                       ("Matthias Stein", "traveler_names")])
    assert a.stay.traveler_names.value == ["Richter", "Matthias Stein"]
    # a couple named as one ("das Ehepaar"): the word for the couple is no name
    text = "ein Doppelzimmer in Graz für das Ehepaar Uwe und Marion Albrecht"
    [a] = build(text, [("Graz", "destination"), ("Ehepaar Uwe", "traveler_names"),
                       ("Marion Albrecht", "traveler_names")])
    assert a.stay.traveler_names.value == ["Uwe Albrecht", "Marion Albrecht"]


def test_a_week_said_apart_from_its_weekday_places_it():
    text = "I'll be in Graz the week after next, Monday to Friday."
    [a] = build(text, [("Graz", "destination"), ("the week after next", "check_in"),
                       ("Monday", "check_in"), ("Friday", "check_out")])
    # REF is Monday 20 April: the week after next starts on 4 May
    assert (a.stay.check_in.value, a.stay.check_out.value) == (dt.date(2026, 5, 4),
                                                                dt.date(2026, 5, 8))
    # a numbered list item's number is no week: "2. KW 22" is week 22, not week 2
    text = "Warschau:\n2. KW 22, Dienstag bis Donnerstag"
    [a] = build(text, [("Warschau", "destination"), ("Dienstag", "check_in"),
                       ("Donnerstag", "check_out")])
    assert (a.stay.check_in.value, a.stay.check_out.value) == (dt.date(2026, 5, 26),
                                                                dt.date(2026, 5, 28))


def test_the_night_of_a_day_is_one_night():
    text = "Kevin Doyle needs a bed in Dover for the night of Friday 11\nDecember."
    [a] = build(text, [("Dover", "destination"), ("Friday 11\nDecember", "check_in")])
    assert (a.stay.check_in.value, a.stay.nights.value) == (dt.date(2026, 12, 11), 1)


def _stays_of(text, marks):
    layout = Layout(text)
    stays, _ = build_stays(normalize_spans(spans_of(text, marks), layout), layout,
                           reference=REF, lang="en")
    return stays


def test_a_request_naming_one_known_city_elsewhere_stays_there():
    text = ("Dr. Whitaker gives a guest lecture at the University of Edinburgh. Please book "
            "him a room from 7 to 9 October.\n\nMany thanks,\nEmma Hayes\nCambridge CB4 1FG")
    [s] = _stays_of(text, [("7", "check_in"), ("9 October", "check_out")])
    assert (s.destination.value, s.destination.source) == ("Edinburgh", "derived")
    assert text[s.destination.evidence[0].start : s.destination.evidence[0].end] == "Edinburgh"
    assert s.destination.confidence < 0.85  # less sure than a city read as the destination


def test_no_destination_is_guessed_from_two_cities_or_where_the_writer_comes_from():
    two = "A room from 7 to 9 October, between the offices in Hamburg and Berlin."
    [s] = _stays_of(two, [("7", "check_in"), ("9 October", "check_out")])
    assert s.destination.value is None
    origin = "Our team from Hamburg needs a room from 7 to 9 October."
    [s] = _stays_of(origin, [("7", "check_in"), ("9 October", "check_out")])
    assert s.destination.value is None
    home = "Please cut the last night: I leave on 9 October and fly back to Doha."
    [s] = _stays_of(home, [("9 October", "check_out")])
    assert s.destination.value is None
    # an address line of a signature nobody marked as one: a postcode before the city
    address = ("Could you extend my stay to 9 October?\nObrigada!\nAna\n\nAna Ferreira\n"
               "Rua de Júlio Dinis 247, 4050-324 Porto, Portugal")
    [s] = _stays_of(address, [("9 October", "check_out")])
    assert s.destination.value is None
    # a forwarder's legal footer names no city of the forwarded request
    forward = ("bitte für Herrn Behrendt buchen.\n\nViele Grüße\nPetra Jankowski\n\n"
               "Kielwasser GmbH\nAmtsgericht Kiel HRB 23981\n\n"
               "-------- Weitergeleitete Nachricht --------\n"
               "ich muss nächste Woche von Dienstag bis Donnerstag nach Kopenhagen.\n\n"
               "Danke & Gruß\nNiklas")
    [s] = _stays_of(forward, [("Dienstag", "check_in"), ("Donnerstag", "check_out")])
    assert s.destination.value == "Copenhagen"


def test_a_range_read_as_the_departure_gives_both_dates():
    text = "Hotel 2 – Ort: Kraków\nHotel 2 – Check-in / Check-out: 2026-05-10 / 2026-05-12"
    [a] = build(text, [("Kraków", "destination"), ("2026-05-10 / 2026-05-12", "check_out")])
    assert (a.stay.check_in.value, a.stay.check_out.value) == (dt.date(2026, 5, 10),
                                                               dt.date(2026, 5, 12))
    assert a.stay.nights.value == 2


def test_a_pronoun_before_a_full_name_is_no_traveller():
    text = "Mr. Kenji Watanabe. He and Ms. Aiko Mori will visit our customer."
    [a] = build(text, [("Mr. Kenji Watanabe", "traveler_names"), ("He", "traveler_names"),
                       ("Ms. Aiko Mori", "traveler_names")])
    assert a.stay.traveler_names.value == ["Kenji Watanabe", "Aiko Mori"]


def test_a_place_by_its_name_wins_over_one_by_whose_it_is():
    text = ("close to our client's office (1 Akin Adesola Street, Victoria Island) in Lagos, "
            "3 to 5 May")
    [a] = build(text, [("client's office", "near"), ("Victoria Island", "near"),
                       ("Lagos", "destination"), ("3", "check_in"), ("5 May", "check_out")])
    assert a.stay.near.value == "Victoria Island"
    # with no place named, the phrase stays
    text = "close to the venue in Lagos, 3 to 5 May"
    [a] = build(text, [("venue", "near"), ("Lagos", "destination"), ("3", "check_in"),
                       ("5 May", "check_out")])
    assert a.stay.near.value == "venue"


def test_a_week_its_line_names_before_a_bare_weekday_places_it():
    text = "Dates: the week after next, Monday to Friday, in Dubai."
    [a] = build(text, [("Monday", "check_in"), ("Friday", "check_out"), ("Dubai", "destination")])
    monday = REF + dt.timedelta(days=14 - REF.weekday())  # REF is a Monday
    assert (a.stay.check_in.value, a.stay.check_out.value) == (monday, monday + dt.timedelta(4))
    # a week on another line says nothing of this one's days
    text = "Next week I am in Oslo.\nHotel in Dubai from Monday to Friday."
    [a] = build(text, [("Dubai", "destination"), ("Monday", "check_in"), ("Friday", "check_out")])
    assert a.stay.check_in.value == REF + dt.timedelta(days=7)


def test_a_place_named_before_asking_for_a_hotel_close_by_is_the_place_to_be_near():
    text = ("Einsatz ist bei einem Kunden in Nürnberg-Langwasser, also gern dort in der Nähe. "
            "3 EZ in Nürnberg vom 7. bis 9. Oktober.")
    [s] = _stays_of(text, [("Nürnberg", "destination"), ("7.", "check_in"),
                           ("9. Oktober", "check_out")])
    assert (s.near.value, s.near.source) == ("Nürnberg-Langwasser", "derived")
    text = ("I'm running a workshop at the Museo Nacional de Antropología in Mexico City and "
            "need a hotel within walking distance, 7 to 9 October.")
    [s] = _stays_of(text, [("Mexico City", "destination"), ("7", "check_in"),
                           ("9 October", "check_out")])
    assert s.near.value == "Museo Nacional de Antropología"
    # the city booked, or a place the words name after "near", is no such place
    text = "I'm at the Hilton in Oslo from 7 to 9 October, a room nearby the station please."
    [s] = _stays_of(text, [("Oslo", "destination"), ("7", "check_in"), ("9 October", "check_out")])
    assert s.near.value in (None, "station")
    text = "We work in Oslo, a hotel in Oslo close by, 7 to 9 October."
    [s] = _stays_of(text, [("Oslo", "destination"), ("7", "check_in"), ("9 October", "check_out")])
    assert s.near.value is None


def test_a_trips_stops_are_listed_by_their_dates():
    text = "Hotel in Munich 10-12 May, and before that Vienna 5-7 May."
    stays = _stays_of(text, [("Munich", "destination"), ("10", "check_in"),
                             ("12 May", "check_out"), ("Vienna", "destination"),
                             ("5", "check_in"), ("7 May", "check_out")])
    assert [(s.destination.value, s.check_in.value) for s in stays] == [
        ("Vienna", dt.date(2026, 5, 5)), ("Munich", dt.date(2026, 5, 10))]


def test_a_stop_dated_by_weekdays_alone_is_read_on_from_the_stop_before():
    # REF is Monday 20 April 2026: read alone, Thursday would be the 23rd
    text = "1. Wien: Montag, 7.9. bis Mittwoch, 9.9.\n2. Zürich: Donnerstag auf Freitag\n" \
           "3. Genf: Freitag bis Samstag"
    stays = _stays_of(text, [("Wien", "destination"), ("Montag, 7.9.", "check_in"),
                             ("Mittwoch, 9.9.", "check_out"), ("Zürich", "destination"),
                             ("Donnerstag", "check_in"), ("Freitag", "check_out"),
                             ("Genf", "destination"), ("Freitag", "check_in"),
                             ("Samstag", "check_out")])
    assert [(s.check_in.value, s.check_out.value) for s in stays] == [
        (dt.date(2026, 9, 7), dt.date(2026, 9, 9)), (dt.date(2026, 9, 10), dt.date(2026, 9, 11)),
        (dt.date(2026, 9, 11), dt.date(2026, 9, 12))]


def test_the_venue_a_label_names_is_the_place_to_be_near_where_the_request_says_the_venue():
    # a forwarded invitation's label names the place the request only calls "the venue"
    text = ("Bitte zwei Einzelzimmer in Gent vom 14. bis 17. September, möglichst nah am "
            "Veranstaltungsort.\n\nDates: 15-16 September\n"
            "Venue: Flanders Meeting Hall - Gent Campus, Kouter 9, 9000 Gent\n")
    [s] = _stays_of(text, [("Gent", "destination"), ("14.", "check_in"),
                           ("17. September", "check_out"), ("Veranstaltungsort", "near")])
    assert (s.near.value, s.near.source) == ("Flanders Meeting Hall - Gent Campus", "derived")
    # or the brackets right after it do
    text = "Hotel in Porto 3-5 May, close to the venue (Palácio da Bolsa, in the old town)."
    [s] = _stays_of(text, [("Porto", "destination"), ("3", "check_in"), ("5 May", "check_out"),
                           ("venue", "near")])
    assert s.near.value == "Palácio da Bolsa"
    # a venue's label names the place where the request names none; a client's label only
    # where the request says "near the client"
    text = "Hotel in Porto 3-5 May.\nVenue: Palácio da Bolsa\nClient: Vinhos Serra Lda"
    [s] = _stays_of(text, [("Porto", "destination"), ("3", "check_in"), ("5 May", "check_out")])
    assert s.near.value == "Palácio da Bolsa"
    text = "Hotel in Porto 3-5 May, near the client.\nClient: Vinhos Serra Lda, Rua Nova 5"
    [s] = _stays_of(text, [("Porto", "destination"), ("3", "check_in"), ("5 May", "check_out"),
                           ("client", "near")])
    assert s.near.value == "Vinhos Serra Lda"
    text = "Hotel in Porto 3-5 May.\nClient: Vinhos Serra Lda, Rua Nova 5"
    [s] = _stays_of(text, [("Porto", "destination"), ("3", "check_in"), ("5 May", "check_out")])
    assert s.near.value is None
    # a place the request names itself stands; a label naming the city is no place
    text = "Hotel in Porto 3-5 May near the Ribeira.\nLocation: Porto"
    [s] = _stays_of(text, [("Porto", "destination"), ("3", "check_in"), ("5 May", "check_out"),
                           ("Ribeira", "near")])
    assert s.near.value == "Ribeira"
    text = "Hotel in Porto 3-5 May.\nLocation: Porto, Portugal"
    [s] = _stays_of(text, [("Porto", "destination"), ("3", "check_in"), ("5 May", "check_out")])
    assert s.near.value is None
    # words in brackets that name no place name none
    text = "Hotel in Porto 3-5 May, close to the venue (see the invitation).\nVenue: Casa da Música"
    [s] = _stays_of(text, [("Porto", "destination"), ("3", "check_in"), ("5 May", "check_out"),
                           ("venue", "near")])
    assert s.near.value == "Casa da Música"


def test_a_booking_mixing_room_kinds_books_all_of_them():
    text = "Can you book 2 twins and 1 single in Manchester from the 3rd to the 5th?"
    [s] = _stays_of(text, [("2", "rooms"), ("twins", "room_type"), ("1", "rooms"),
                           ("single", "room_type"), ("Manchester", "destination"),
                           ("3rd", "check_in"), ("5th", "check_out")])
    assert (s.rooms.value, s.room_type.value) == (3, None)
    # one kind named twice with its count is as many rooms as it says
    text = "2 EZ in Graz vom 3. bis 5. Mai, also 2 EZ mit Frühstück."
    [s] = _stays_of(text, [("2", "rooms"), ("EZ", "room_type"), ("Graz", "destination"),
                           ("3.", "check_in"), ("5. Mai", "check_out"), ("2", "rooms"),
                           ("EZ", "room_type")])
    assert (s.rooms.value, s.room_type.value) == (2, "single")
    # a kind read with its count: "2 twins + [1 single]"
    text = "can you book Hotel Granvia Osaka, 2 twins + 1 single, Sun 10 to Thu 14 May."
    [s] = _stays_of(text, [("Hotel Granvia Osaka", "hotel_name"), ("2", "rooms"),
                           ("twins +", "room_type"), ("1 single", "room_type"),
                           ("Sun 10", "check_in"), ("Thu 14 May", "check_out")])
    assert (s.rooms.value, s.room_type.value) == (3, None)


def test_a_budget_written_without_its_currency_is_in_the_stays_city_currency():
    text = "DZ Berlin morgen 1N für 2 ppl, Nähe Ostkreuz, max 130, ÜF."
    [s] = _stays_of(text, [("DZ", "room_type"), ("Berlin", "destination"), ("morgen", "check_in"),
                           ("1N", "nights"), ("max 130", "max_price")])
    assert (s.max_price.value.amount, s.max_price.value.currency) == (130, "EUR")


def test_adults_counted_per_room_are_that_many_in_every_room():
    text = "Wir benötigen 8 Doppelzimmer für jeweils 2 Erwachsene in Salzburg, 11.-13. September."
    [s] = _stays_of(text, [("8", "rooms"), ("Doppelzimmer", "room_type"),
                           ("2 Erwachsene", "guests"), ("Salzburg", "destination"),
                           ("11.", "check_in"), ("13. September", "check_out")])
    assert (s.rooms.value, s.guests.value) == (8, 16)
    text = "3 double rooms in Rome, 4-6 June, 2 adults per room"
    [s] = _stays_of(text, [("3", "rooms"), ("double rooms", "room_type"), ("Rome", "destination"),
                           ("4", "check_in"), ("6 June", "check_out"), ("2 adults per", "guests")])
    assert s.guests.value == 6
    # a count of children alone per room counts no adults
    text = "2 Zimmer in Rom für je 2 Kinder, 4.-6. Juni"
    [s] = _stays_of(text, [("2", "rooms"), ("Rom", "destination"), ("2 Kinder", "guests"),
                           ("4.", "check_in"), ("6. Juni", "check_out")])
    assert s.guests.value is None
    # "each" of something else counts no one per room
    text = "2 rooms in Rome for 2 adults, each with a balcony, 4-6 June"
    [s] = _stays_of(text, [("2", "rooms"), ("Rome", "destination"), ("2 adults", "guests"),
                           ("4", "check_in"), ("6 June", "check_out")])
    assert s.guests.value == 2


def test_the_part_of_the_city_the_writer_would_like_is_the_place_to_be_near():
    for text, city, district in [
            ("Hotel in Köln am 15., zwei Nächte. Gerne in Deutz, max. 160 €.", "Köln", "Deutz"),
            ("Eine Juniorsuite in Düsseldorf im Stadtteil Oberkassel, 3.-5. Mai.", "Düsseldorf",
             "Oberkassel"),
            ("Wien, 3.-5. Mai. Hotel egal, Hauptsache Altstadt.", "Wien", "Altstadt"),
            ("Two king rooms in Houston, 3-5 May, in the Energy Corridor area.", "Houston",
             "Energy Corridor"),
            ("Need a hotel in NYC 3-5 May, just me. Midtown preferred.", "NYC", "Midtown")]:
        [s] = _stays_of(text, [(city, "destination"), (re.search(r"\d+\.?", text)[0],
                                                       "check_in")])
        assert (s.near.value, s.near.source) == (district, "derived"), text
    # how near, a room, breakfast or a city is no part of a city
    for text in ["Hotel in Köln am 15., gerne in Laufweite zur Uni.",
                 "Hotel in Köln am 15., Hauptsache Frühstück.",
                 "Hotel in NYC on 15 May. Twin preferred.",
                 "Hotel in Köln am 15., gerne in Bonn."]:
        [s] = _stays_of(text, [(text.split()[2].rstrip(","), "destination"),
                               ("15", "check_in")])
        assert s.near.value is None, text


def test_a_part_of_the_city_a_hotel_is_asked_in_is_the_place_to_be_near():
    text = "I need to be in Lisbon 3-5 May. Could you find me something in Parque das Nações?"
    [s] = _stays_of(text, [("Lisbon", "destination"), ("3", "check_in"), ("5 May", "check_out")])
    assert s.near.value == "Parque das Nações"
    # the city itself, however spelt, is none
    text = "want to see the northern lights! hotel in Reykjavík, 3 nights starting feb 20"
    [s] = _stays_of(text, [("Reykjavík", "destination"), ("feb 20", "check_in")])
    assert s.near.value is None
    # a venue's label may name the city in the venue's name
    text = ("Zwei EZ in Brüssel vom 14. bis 17. September, nah am Veranstaltungsort.\n"
            "Venue: SQUARE - Brussels Meeting Centre, Mont des Arts, 1000 Brussels")
    [s] = _stays_of(text, [("Brüssel", "destination"), ("14.", "check_in"),
                           ("17. September", "check_out"), ("Veranstaltungsort", "near")])
    assert s.near.value == "SQUARE - Brussels Meeting Centre"


def test_a_fair_named_before_near_there_is_the_place_to_be_near():
    text = ("please I need hotel in Milano for 3 nights from 2 February, I visit the fair in "
            "Fiera Milano Rho so hotel must be near to there.")
    [s] = _stays_of(text, [("Milano", "destination"), ("2 February", "check_in")])
    assert (s.near.value, s.near.source) == ("Fiera Milano Rho", "derived")


def test_a_weekday_read_beside_in_two_weeks_lies_in_that_week():
    text = "I need a room in Toronto in two weeks on Monday, 4 nights."
    ref = dt.date(2026, 5, 27)  # a Wednesday
    spans = spans_of(text, [("Toronto", "destination"), ("two weeks", "check_in"),
                            ("Monday", "check_in"), ("4 nights", "nights")])
    layout = Layout(text)
    stays, _ = build_stays(normalize_spans(spans, layout), layout, reference=ref, lang="en")
    assert (stays[0].check_in.value, stays[0].check_out.value) == (dt.date(2026, 6, 8),
                                                                   dt.date(2026, 6, 12))


def test_a_weekday_of_a_calendar_week_and_one_of_the_same_week():
    text = "Anreise ist am Montag der KW 22, Abreise am Donnerstag derselben Woche. Bukarest."
    [a] = build(text, [("am Montag der", "check_in"), ("KW 22", "check_in"),
                       ("am Donnerstag derselben Woche", "check_out"), ("Bukarest", "destination")])
    assert (a.stay.check_in.value, a.stay.check_out.value) == (dt.date(2026, 5, 25),
                                                                dt.date(2026, 5, 28))


def test_a_city_inside_another_mention_of_the_hotel_is_the_destination():
    text = ("I'd like to stay at the Okura, 8 to 12 November.\n\nValentina wrote: I stayed at "
            "the Hotel Okura Amsterdam last year.")
    [a] = build(text, [("Okura", "hotel_name"), ("8", "check_in"), ("12 November", "check_out"),
                       ("Hotel Okura Amsterdam", "hotel_name")])
    assert (a.stay.hotel_name.value, a.stay.destination.value) == ("Okura", "Amsterdam")


def test_a_hotel_that_only_names_the_city_again_is_no_hotel():
    text = "A room in Mexico City (CDMX), 3 to 5 May"
    [a] = build(text, [("Mexico City", "destination"), ("CDMX", "hotel_name"), ("3", "check_in"),
                       ("5 May", "check_out")])
    assert (a.stay.destination.value, a.stay.hotel_name.value) == ("Mexico City", None)
    # a hotel named after another city stays
    text = "A room in London at the Berkeley, 3 to 5 May"
    [a] = build(text, [("London", "destination"), ("Berkeley", "hotel_name"), ("3", "check_in"),
                       ("5 May", "check_out")])
    assert a.stay.hotel_name.value == "Berkeley"


def test_a_booking_for_one_night_named_by_its_day_is_that_night():
    text = "can u get me somewhere in Berlin for tomorrow night? max 200e"
    [a] = build(text, [("Berlin", "destination"), ("tomorrow", "check_in")])
    # REF is Monday 20 April
    assert (a.stay.check_in.value, a.stay.check_out.value) == (dt.date(2026, 4, 21),
                                                                dt.date(2026, 4, 22))
    # arriving at night says nothing of the departure
    text = "I arrive in Berlin on Friday night."
    [a] = build(text, [("Berlin", "destination"), ("Friday", "check_in")])
    assert a.stay.check_out.value is None


def test_the_weekdays_of_a_stay_the_writer_is_at_now_are_this_weeks():
    from extractor.spans import FoundSpan
    from extractor.stays.reference import staying_now_reference

    text = "im at the H10 in bcn, booked mon-thu. can u add one more night so i check out fri?"
    spans = [FoundSpan(f, text.index(w), text.index(w) + len(w), 0.9, "model")
             for f, w in (("check_in", "mon"), ("check_out", "thu"), ("check_out", "fri"))]
    wednesday = dt.date(2026, 4, 22)
    assert staying_now_reference(spans, text, wednesday) == dt.date(2026, 4, 16)
    # not when the writer is not there yet, nor when a day is dated
    later = text.replace("im at", "going to")
    assert staying_now_reference(spans, later, wednesday) is None
    dated = [FoundSpan("check_in", 0, 2, 0.9, "model")]
    assert staying_now_reference(dated, "4.5. im at the H10", wednesday) is None


def test_weekdays_around_the_one_event_a_request_dates_are_that_weekend():
    import datetime as dt

    from extractor.spans import FoundSpan
    from extractor.stays.reference import event_reference

    text = ("Die Trauung ist am Samstag, 12. September, in Luzern. "
            "Wir brauchen drei Zimmer von Freitag bis Sonntag.")
    fri, sun = text.index("Freitag"), text.index("Sonntag")
    spans = [FoundSpan("check_in", fri, fri + 7, 0.9, "model"),
             FoundSpan("check_out", sun, sun + 7, 0.9, "model")]
    event = text.index("Samstag, 12. September")
    rules = [FoundSpan("", event, event + len("Samstag, 12. September"), 0.85, "rules", "date")]
    sent = dt.date(2026, 7, 2)
    assert event_reference(spans, rules, text, sent) == dt.date(2026, 9, 8)
    # a date without its weekday (an invoice, a deadline) is no event to read them around
    plain = [FoundSpan("", event + 9, event + len("Samstag, 12. September"), 0.85, "rules",
                       "date")]
    assert event_reference(spans, plain, text, sent) is None
    # nor is an event this week, and dated stay days are read as they are
    assert event_reference(spans, rules, text, dt.date(2026, 9, 9)) is None
    dated = [FoundSpan("check_in", event, event + 22, 0.9, "model")]
    assert event_reference(dated, rules, text, sent) is None


def test_a_week_right_after_a_range_or_a_calendar_week_said_before_places_its_weekdays():
    text = "Could you sort me a room at Heathrow for Wednesday and Thursday night next week?"
    [a] = build(text, [("Heathrow", "destination"), ("Wednesday", "check_in"),
                       ("Thursday", "check_out")])
    wednesday = REF + dt.timedelta(days=7 + 2)  # REF is a Monday
    assert (a.stay.check_in.value, a.stay.check_out.value) == (
        wednesday, wednesday + dt.timedelta(days=2))
    assert a.stay.destination.value == "London"
    text = "wir brauchen für KW 19 in Wien 3 Einzelzimmer.\n\nAnreise Montag, Abreise Freitag."
    [a] = build(text, [("Wien", "destination"), ("Montag", "check_in"), ("Freitag", "check_out")])
    assert (a.stay.check_in.value, a.stay.check_out.value) == (
        dt.date(2026, 5, 4), dt.date(2026, 5, 8))


def test_a_stay_without_a_city_is_in_the_city_of_the_airport_its_request_names():
    from extractor.stays.assembly import destination_named_once

    text = "Book me into the Premier Inn at Heathrow Terminal 5 for next Thursday, one night."
    [a] = build(text, [("next Thursday", "check_in")])
    assert destination_named_once(a.stay, Layout(text)).destination.value == "London"


def test_a_stranded_travellers_stay_is_where_they_are_stuck():
    from extractor.stays.assembly import destination_named_once

    text = "my flight to oslo was cancelled, stuck at CPH now. need a room tonight pls"
    [a] = build(text, [("tonight", "check_in")])
    assert destination_named_once(a.stay, Layout(text)).destination.value == "Copenhagen"
    text = "Anschlussflug nach Wien fällt aus, sitze am Flughafen in Zürich fest. EZ für heute?"
    [a] = build(text, [("heute", "check_in")])
    assert destination_named_once(a.stay, Layout(text)).destination.value == "Zurich"
    text = "stuck in traffic, we arrive late tonight, keep the room pls"
    [a] = build(text, [("tonight", "check_in")])
    assert destination_named_once(a.stay, Layout(text)).destination.value is None


def test_a_weekday_said_beside_its_date_restates_it():
    # read alone, the weekday would be the next such day after the email
    text = "Stockholm: arriving Friday morning 5 March, two nights"
    [a] = build(text, [("Stockholm", "destination"), ("Friday", "check_in"),
                       ("5 March", "check_in"), ("two nights", "nights")])
    assert (a.stay.check_in.value, a.stay.check_out.value) == (dt.date(2027, 3, 5),
                                                                dt.date(2027, 3, 7))
    text = ("Nürnberg from 9 February till 12 February 2027 (arrival on Tuesday, departure on "
            "Friday)")
    [a] = build(text, [("Nürnberg", "destination"), ("9 February", "check_in"),
                       ("12 February 2027", "check_out"), ("Tuesday", "check_in"),
                       ("Friday", "check_out")])
    assert (a.stay.check_in.value, a.stay.check_out.value) == (dt.date(2027, 2, 9),
                                                                dt.date(2027, 2, 12))


def test_a_day_said_roughly_gives_way_to_one_said_exactly():
    text = "anything in marrakech around new year's eve? 3 nights 30 dec - 2 jan"
    [a] = build(text, [("marrakech", "destination"), ("new year's eve", "check_in"),
                       ("30 dec", "check_in"), ("2 jan", "check_out")])
    assert (a.stay.check_in.value, a.stay.check_out.value) == (dt.date(2026, 12, 30),
                                                                dt.date(2027, 1, 2))


def test_a_stop_given_by_its_nights_alone_begins_when_the_stop_before_ends():
    text = "trip plan: munich 2 nights from 9 sept then zurich 3 nights."
    stays = _stays_of(text, [("munich", "destination"), ("2 nights", "nights"),
                             ("9 sept", "check_in"), ("zurich", "destination"),
                             ("3 nights", "nights")])
    assert [(s.destination.value, s.check_in.value, s.check_out.value) for s in stays] == [
        ("Munich", dt.date(2026, 9, 9), dt.date(2026, 9, 11)),
        ("Zurich", dt.date(2026, 9, 11), dt.date(2026, 9, 14))]
    assert stays[1].check_in.source == "derived"


def test_days_read_in_the_month_named_before_them():
    text = "Me and my 2 sisters travel to Miami in March, from 16 to 20, one room please"
    [a] = build(text, [("Miami", "destination"), ("16", "check_in"), ("20", "check_out")])
    assert (a.stay.check_in.value, a.stay.check_out.value) == (dt.date(2027, 3, 16),
                                                                dt.date(2027, 3, 20))


def test_weekdays_read_in_the_one_week_named_before_them():
    # REF is Monday 20 April 2026: the week after next begins on 4 May
    text = ("Graham is heading up to Asia the week after next for investor meetings:\n\n"
            "Singapore – Monday to Wednesday, close to Marina Bay.\n\n"
            "Kuala Lumpur – Wednesday to Friday.")
    stays = _stays_of(text, [("Singapore", "destination"), ("Monday", "check_in"),
                             ("Wednesday", "check_out"), ("Kuala Lumpur", "destination"),
                             ("Wednesday", "check_in"), ("Friday", "check_out")])
    assert [(s.check_in.value, s.check_out.value) for s in stays] == [
        (dt.date(2026, 5, 4), dt.date(2026, 5, 6)), (dt.date(2026, 5, 6), dt.date(2026, 5, 8))]


def test_an_arrival_the_evening_before_the_event_is_the_day_before_its_first():
    text = ("vom 22. bis 24. April bin ich auf der Frühjahrstagung in Dresden. Ich möchte am "
            "Vorabend der Tagung anreisen und am letzten Tagungstag zurückfahren.")
    [s] = _stays_of(text, [("22.", "check_in"), ("24. April", "check_out"),
                           ("Dresden", "destination")])
    assert (s.check_in.value, s.check_out.value, s.nights.value) == (
        dt.date(2026, 4, 21), dt.date(2026, 4, 24), 3)
    assert s.check_in.source == "derived"
    # a day said in the same sentence is the arrival itself
    text = "Summit in Porto, 19-21 May. I'll arrive the evening before, on 18 May, please."
    [s] = _stays_of(text, [("Porto", "destination"), ("21 May", "check_out"),
                           ("18 May", "check_in")])
    assert s.check_in.value == dt.date(2026, 5, 18)


def test_a_known_city_is_the_stay_over_an_unknown_word_read_beside_the_dates():
    # issue 16: a chat writer's adjective read as the city, the city itself said last
    text = "EZ, leise, bis 180 CHF, 2 Nächte ab dem 9., Lausanne"
    [s] = [a.stay for a in build(text, [("EZ", "room_type"), ("leise", "destination"),
                                        ("180 CHF", "max_price"), ("2 Nächte", "nights"),
                                        ("9.", "check_in"), ("Lausanne", "destination")])]
    assert s.destination.value == "Lausanne" and s.nights.value == 2
    # a city only mentioned beside a dated one stays no stay of its own
    text = "Hotel in Leeds 3-5 May, I live in York."
    [s] = [a.stay for a in build(text, [("Leeds", "destination"), ("3", "check_in"),
                                        ("5 May", "check_out"), ("York", "destination")])]
    assert s.destination.value == "Leeds"


def test_a_venue_named_before_the_request_calls_it_the_venue_is_the_place_to_be_near():
    text = ("Talk on Thu 4 June at Paradiso, one night in Amsterdam please. "
            "Room near the venue, max 200 EUR.")
    [s] = _stays_of(text, [("Amsterdam", "destination"), ("venue", "near")])
    assert (s.near.value, s.near.source) == ("Paradiso", "derived")
    # a fair's own name in brackets after "the fairground"
    text = "Hotel in Bursa 3-5 May close to the fairground (Merinos Park) please."
    [s] = _stays_of(text, [("Bursa", "destination"), ("3", "check_in"), ("5 May", "check_out"),
                           ("fairground", "near")])
    assert s.near.value == "Merinos Park"
    # "am Abend" names no place
    text = "Anreise am Abend vor der Messe in Essen, Hotel nah am Veranstaltungsort bitte."
    [s] = _stays_of(text, [("Essen", "destination"), ("Veranstaltungsort", "near")])
    assert s.near.value == "Veranstaltungsort"


def test_a_chat_begun_in_lowercase_names_its_city_so_too():
    # the names are capitalised, the rest of the chat is not: the city is written lowercase
    text = "hi can u get me a room with Ana Souza near the old town, 2 nts from fri. lisbon\n- Rui"
    [s] = _stays_of(text, [("2 nts", "nights"), ("fri", "check_in")])
    assert (s.destination.value, s.destination.source) == ("Lisbon", "derived")
    # a text that writes with capitals names a city with one
    text = "Hi, can you get me a room for 2 nights from Friday? A nice view would be great."
    [s] = _stays_of(text, [("2 nights", "nights"), ("Friday", "check_in")])
    assert s.destination.value is None


def test_an_itinerary_of_dated_lines_gives_each_stop_its_date_and_the_next_as_its_end():
    # the date's closing dot does not part it from the city on its line
    text = ("drei Hotels bitte, jeweils ein EZ:\nMo 7.12. Linz\nDi 8.12. Passau\n"
            "Mi 9.12. Regensburg, Abreise Donnerstag 10.12.")
    marks = [("7.12.", "check_in"), ("Linz", "destination"), ("8.12.", "check_in"),
             ("Passau", "destination"), ("9.12.", "check_in"), ("Regensburg", "destination"),
             ("10.12.", "check_out")]
    layout = Layout(text)
    stays, _ = build_stays(normalize_spans(spans_of(text, marks), layout), layout,
                           reference=dt.date(2026, 11, 20), lang="de")
    assert [(s.destination.value, s.check_in.value.day, s.check_out.value.day, s.nights.value)
            for s in stays] == [("Linz", 7, 8, 1), ("Passau", 8, 9, 1), ("Regensburg", 9, 10, 1)]


def test_a_stop_given_by_its_arrival_alone_ends_no_later_than_two_weeks():
    text = "Leeds from 2 March; York from 30 March"
    marks = [("Leeds", "destination"), ("2 March", "check_in"), ("York", "destination"),
             ("30 March", "check_in")]
    layout = Layout(text)
    stays, _ = build_stays(normalize_spans(spans_of(text, marks), layout), layout,
                           reference=REF.replace(month=1), lang="en")
    assert [s.check_out.value for s in stays] == [None, None]
