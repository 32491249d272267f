"""Each rule pattern, named by the phrase it is for."""

import json

import pytest

from extractor.rules import PATTERNS, RuleFinder, RulePatternError, load_patterns


@pytest.fixture(scope="module")
def finder() -> RuleFinder:
    return RuleFinder()


def found(finder: RuleFinder, text: str) -> set[tuple[str, str]]:
    return {(s.kind, text[s.start : s.end]) for s in finder.find([text])[0]}


@pytest.mark.parametrize(("text", "kind", "phrase"), [
    ("max. 150 EUR pro Nacht", "max_price", "150 EUR pro Nacht"),
    ("budget up to $200", "max_price", "$200"),
    ("höchstens 120 Euro", "max_price", "120 Euro"),
    ("EUR 99 per night", "max_price", "EUR 99 per night"),
    ("we paid 300 EUR", "money", "300 EUR"),
    ("Status: Approved\nDestination:      Bruxelles, Belgium\nPurpose: meeting", "destination",
     "Bruxelles, Belgium"),
    ("Anreise Samstag vor Pfingsten, Abreise", "date", "Samstag vor Pfingsten"),
    ("arrive on the Thursday before Easter", "date", "Thursday before Easter"),
    ("for 3 nights", "nights", "3 nights"),
    ("zwei Nächte", "nights", "zwei Nächte"),
    ("two rooms", "rooms", "two rooms"),
    ("3 Zimmer", "rooms", "3 Zimmer"),
    ("2 EZ", "rooms", "2"),
    ("2 EZ", "room_type", "EZ"),
    ("two single rooms", "rooms", "two"),
    ("two single rooms", "room_type", "single rooms"),
    ("ein Doppelzimmer", "room_type", "Doppelzimmer"),
    ("a junior suite", "room_type", "junior suite"),
    ("2 Erwachsene + 1 Kind", "guests", "2 Erwachsene + 1 Kind"),
    ("for 4 people", "guests", "4 people"),
    ("two adults + two kids", "guests", "two adults + two kids"),
    ("melbourne, 2 adults 2 kids, near", "guests", "2 adults 2 kids"),
    ("2 Erw. + 1 Kind (8 J.)", "guests", "2 Erw. + 1 Kind"),
    ("wir sind 4 mann", "guests", "4 mann"),
    ("4 ppl, 2 rooms", "guests", "4 ppl"),
    ("wir sind zu dritt", "guests", "zu dritt"),
    ("for the two of us", "guests", "the two of us"),
    ("a table, party of 6", "guests", "party of 6"),
    ("a room for me and my collegue in Manchester", "guests", "me and my collegue"),
    ("my wife and I arrive", "guests", "my wife and I"),
    ("meine Schwester und ich möchten", "guests", "meine Schwester und ich"),
    ("für mich und zwei Kollegen", "guests", "mich und zwei Kollegen"),
    ("Personen: 4 (Fotografin, Assistent, 2 Models)", "guests", "4"),
    ("Number of guests: 3", "guests", "3"),
    ("inkl. Frühstück", "breakfast", "inkl. Frühstück"),
    ("without breakfast", "breakfast", "without breakfast"),
    ("breakfast please", "breakfast", "breakfast please"),
    ("arriving 5. Mai", "date", "5. Mai"),
    ("bis 8. Oktober, 10 Einzelzimmer", "date", "8. Oktober"),  # "10" is no year
    ("on May 5, 2026 please", "date", "May 5, 2026"),
    ("from the 29th for three nights", "date", "the 29th"),  # a bare ordinal day
    ("check out the Friday after Thanksgiving.", "date", "Friday after Thanksgiving"),
    ("from May 3rd, 2026", "date", "May 3rd, 2026"),
    ("on the 3rd of May", "date", "3rd of May"),
    ("am 12.03.2026", "date", "12.03.2026"),
    ("in KW 23", "date", "KW 23"),
    ("next Friday", "date", "next Friday"),
    ("2026-05-03", "date", "2026-05-03"),
    ("hotel in mainz fr-so", "date", "fr-so"),
    ("für Frau Dr. Nina Vogt und", "person", "Frau Dr. Nina Vogt"),
    ("für Herrn Müller Zimmer buchen", "person", "Herrn Müller"),
    ("extend my stay by one night", "extension", "by one night"),
    ("Gast: Herr Jonas Weber\nAnreise: 3.5.", "traveler_names", "Herr Jonas Weber"),
    ("Name on the booking: Élodie Marchand. Thanks", "traveler_names", "Élodie Marchand"),
    ("gebucht auf den Namen Schäfer-Okoye).", "traveler_names", "Schäfer-Okoye"),
    ("booked under the name of Mr. Tom Berg, thanks", "traveler_names", "Mr. Tom Berg"),
    ("die Buchung um eine Nacht verlängern", "extension", "um eine Nacht"),
    ("I need one more night", "extension", "one more night"),
    ("eine Nacht länger bleiben", "extension", "eine Nacht länger"),
    ("arriving one night earlier than booked", "extension", "one night earlier"),
    ("Antwerp Mon-Wed next week", "date", "Mon-Wed"),
    ("two rooms for a single night on 9 March", "nights", "a single night"),
    ("in Barcelona from the 20th for a week", "nights", "for a week"),
    ("Frühstück jeweils inklusive.", "breakfast", "Frühstück jeweils inklusive"),
    ("ein Doppelzimmer mit Zmorge", "breakfast", "mit Zmorge"),
    ("1 pax. no bfast pls", "breakfast", "no bfast"),
    ("in Wien für zwei Wochen ab Montag", "nights", "für zwei Wochen"),
    # issue 13: the currency tokens are the lexicon's whole table, not four currencies
    ("we paid ₹5000", "money", "₹5000"),
    ("up to R$ 300", "max_price", "R$ 300"),
    ("max AED 500 pro Nacht", "max_price", "AED 500 pro Nacht"),
    ("Zimmer für Fr. Monika Berger", "person", "Fr. Monika Berger"),  # the lexicon's titles
    ("Anreise: 3. Mrz", "check_in", "3. Mrz"),
    ("Bitte stornieren Sie beide Zimmer im Novotel", "rooms", "beide Zimmer"),
    ("please cancel both rooms at the Hilton", "rooms", "both rooms"),
    ("brauch EZ in hannover, mo-mi (2 nächte), ÜF.", "breakfast", "ÜF"),
    # a breakfast word listed alone among a chat's items
    ("Rome 3 nts from 9 Jul then Naples 2 nts, 2 adults, 1 room, bfast", "breakfast", "bfast"),
    ("Zimmerkategorie: Einzelzimmer\nFrühstück: ja\n", "breakfast", "Frühstück: ja"),
    ("Zimmeranzahl:      1\nFrühstück:         Ja\n", "breakfast", "Frühstück:         Ja"),
    ("die Reservierung einer Juniorsuite in London", "room_type", "Juniorsuite"),
])
def test_pattern(finder, text, kind, phrase):
    assert (kind, phrase) in found(finder, text)


def test_breakfast_typed_with_a_typo_is_still_breakfast(finder):
    assert ("breakfast", "with breakfats") in found(finder, "double room with breakfats please")
    assert ("breakfast", "inkl. Frühstükc") in found(finder, "EZ inkl. Frühstükc")
    # two edits on a long word only: "fast" is not "bfast"
    assert not any(kind == "breakfast" for kind, _ in found(finder, "a room with fast wifi"))


def test_date_range_is_split_for_the_model(finder):
    # "3.-5. Mai": the tokenizer splits the range so "5. Mai" is a date of its own
    assert ("date", "5. Mai") in found(finder, "vom 3.-5. Mai")


def test_trailing_comma_not_in_span(finder):
    assert ("date", "5 May") in found(finder, "until 5 May, thanks")


def test_rule_spans_carry_their_field_only_when_role_is_known(finder):
    spans = finder.find(["3 nights from 5 May for 200 EUR"])[0]
    by_kind = {s.kind: s.field for s in spans}
    assert by_kind["nights"] == "nights"
    assert by_kind["date"] == ""
    assert by_kind["money"] == ""


@pytest.mark.parametrize("text", ["ein Zimmer", "ich suche ein EZ", "eine Suite"])
def test_indefinite_article_is_not_a_room_count(finder, text):
    # docs/ANNOTATION.md: "a room" / "ein Zimmer" leaves rooms null
    assert not [s for s in finder.find([text])[0] if s.kind == "rooms"]


@pytest.mark.parametrize(("text", "phrase"), [
    ("von Mo, 19.7. bis Mi, 21.7.", "Mo, 19.7."),
    ("arriving Monday, 22 March", "Monday, 22 March"),
    ("übernächste Woche Dienstag", "übernächste Woche Dienstag"),
    ("Wednesday next week", "Wednesday next week"),
    ("Mittwoch, den 18.6.", "Mittwoch, den 18.6."),
])
def test_weekday_with_date_is_one_date(finder, text, phrase):
    # the model often tags only the weekday; the rule span lets the merge take the whole date
    assert ("date", phrase) in found(finder, text)


@pytest.mark.parametrize(("text", "field", "phrase"), [
    ("Check-in Montag, 19.01., Check-out Mittwoch, 21.01.", "check_in", "Montag, 19.01."),
    ("Anreise: 04.11.2025 | Abreise: 06.11.2025", "check_out", "06.11.2025"),
    ("arriving on 5 May, leaving 7 May", "check_in", "5 May"),
    ("brauche ab morgen 3 nächte", "check_in", "morgen"),
    ("until 7 May please", "check_out", "7 May"),
    ("Arrival: 12/05/2025\nDeparture: 15/05/2025", "check_in", "12/05/2025"),
])
def test_cue_words_give_dates_their_role(finder, text, field, phrase):
    assert (field, phrase) in found(finder, text)


def test_good_morning_is_not_a_date(finder):
    assert not found(finder, "Guten Morgen, ich brauche ein Zimmer")


def test_a_guest_count_after_the_cue_is_no_name(finder):
    assert not [k for k, _ in found(finder, "Guests: 2 people") if k == "traveler_names"]


def test_a_count_of_people_takes_no_number_of_the_next_phrase(finder):
    # "3 guests, 2 rooms": the 2 counts rooms, not children
    assert ("guests", "3 guests") in found(finder, "3 guests, 2 rooms")
    assert ("guests", "2 people") in found(finder, "2 people and 2 rooms")
    # a stay of two days is no count of people
    assert not [k for k, _ in found(finder, "wir sind 2 Tage in Berlin") if k == "guests"]


def _one_line(tmp_path, rule: dict) -> object:
    path = tmp_path / "rules.jsonl"
    path.write_text(json.dumps(rule) + "\n", encoding="utf-8")
    return path


def test_an_unknown_mark_fails_at_load_naming_the_line(tmp_path):
    path = _one_line(tmp_path, {"label": "date", "mark": "after_cu",
                                "pattern": [{"LOWER": "heute"}]})
    with pytest.raises(RulePatternError, match=r"(?s)E102 rules\.jsonl line 1.*after_cu"):
        load_patterns(path)


def test_an_unknown_key_fails_at_load(tmp_path):
    # "id" once carried the directives: it is gone, so an old pattern cannot slip through
    path = _one_line(tmp_path, {"label": "date", "id": "after_cue",
                                "pattern": [{"LOWER": "heute"}]})
    with pytest.raises(RulePatternError, match=r"(?s)E102 .*id"):
        load_patterns(path)


def test_an_unknown_label_fails_at_load(tmp_path):
    path = _one_line(tmp_path, {"label": "price", "pattern": [{"LOWER": "heute"}]})
    with pytest.raises(RulePatternError, match="E102"):
        load_patterns(path)


def test_a_reference_to_no_lexicon_list_fails_at_load(tmp_path):
    path = _one_line(tmp_path, {"label": "money", "pattern": [
        {"LOWER": {"IN": {"lexicon": "money.currencies_tokens"}}}]})
    with pytest.raises(RulePatternError, match=r"E103 rules\.jsonl line 1"):
        load_patterns(path)


def test_lexicon_references_are_expanded():
    patterns = load_patterns(PATTERNS)
    text = json.dumps(patterns, ensure_ascii=False)
    assert "lexicon" not in text
    assert '"₹"' in text and '"mittwoch"' in text


def test_a_date_with_its_year_ends_before_the_sentences_full_stop(finder):
    # "to 2026-06-12." lost its check-out: the tokenizer keeps "12." whole, and the ISO and
    # numeric patterns wanted the bare digits
    assert ("date", "2026-06-12") in found(finder, "from 2026-06-10 to 2026-06-12.")
    assert ("date", "12.06.2026") in found(finder, "Anreise 12.06.2026. Danke")
    assert ("date", "3. Mai") in found(finder, "am 3. Mai")  # an ordinal's dot stays
    assert ("date", "12.06.") in found(finder, "vom 12.06. bis 14.06.")


# -- structured booking lines (a confirmation quoted under a reply, a filled-in form) --------

_CONFIRMATION = (
    "Dear Ms Okafor,\n\n"
    "Hotel:    Hotel Kranich, Lindenweg 12-14, Bremen\n"
    "Arrival:  Tuesday 8 April 2025\n"
    "Departure: Friday 11 April 2025 (3 nights)\n"
    "Room:     1 x Superior Twin, 2 adults\n"
    "Guests:   Mrs Ada Okafor, Mr Ben Okafor\n"
    "Rate:     EUR 142.50 per night incl. breakfast\n\n"
    "Free cancellation until 1 April 2025.\n")


@pytest.mark.parametrize(("kind", "phrase"), [
    ("hotel_name", "Hotel Kranich"),
    ("destination", "Bremen"),
    ("check_in", "Tuesday 8 April 2025"),
    ("check_out", "Friday 11 April 2025"),
    ("rooms", "1"),
    ("room_type", "Superior Twin"),
    ("traveler_names", "Mrs Ada Okafor"),
    ("traveler_names", "Mr Ben Okafor"),
    ("breakfast", "incl. breakfast"),
])
def test_a_confirmations_labelled_lines_are_read(finder, kind, phrase):
    assert (kind, phrase) in found(finder, _CONFIRMATION)


def test_a_confirmed_rate_is_no_cap(finder):
    # CONVENTIONS: a rate quoted in a confirmation is not the requester's max_price
    assert not [k for k, _ in found(finder, _CONFIRMATION) if k == "max_price"]
    assert ("rate", "EUR 142.50 per night") in found(finder, _CONFIRMATION)
    assert ("rate", "Tagungspreis von 180 EUR pro Nacht") in found(
        finder, "zum Tagungspreis von 180 EUR pro Nacht")


@pytest.mark.parametrize(("text", "phrase"), [
    ("Rate: max EUR 150 per night", "EUR 150 per night"),
    ("Preis: bis 120 € pro Nacht", "120 € pro Nacht"),
    ("Höchster rate SAR 900 per night", "SAR 900 per night"),
])
def test_a_cap_after_a_price_label_stays_a_cap(finder, text, phrase):
    assert ("max_price", phrase) in found(finder, text)


def test_a_cancellation_deadline_is_no_departure(finder):
    spans = found(finder, _CONFIRMATION)
    assert not [p for k, p in spans if k == "check_out" and p.startswith("1 April")]
    assert [p for k, p in spans if k == "deadline" and p.startswith("Free cancellation")]
    assert ("check_out", "14 May") in found(finder, "staying until 14 May")


@pytest.mark.parametrize(("text", "kind", "phrase"), [
    ("Unterkunft: Gasthof Sonne, Marktplatz 3, 79098 Freiburg\n", "destination", "Freiburg"),
    ("Parkhotel Wiese, Am Ufer 7, 1030 Wien\nAnreise Mo, 02.03.2026\n", "destination", "Wien"),
    ("The Grove Hotel, Hill Road, Dublin 4\n", "destination", "Dublin"),
    ("Zimmer:   2 x Doppelzimmer Komfort\n", "rooms", "2"),
    ("Zimmerkategorie: Komfort Doppelzimmer\n", "room_type", "Komfort Doppelzimmer"),
    ("3 Standard Rooms, breakfast\n", "rooms", "3"),
    ("Nächte: 4\n", "nights", "4"),
    ("1 Erwachsener, Nichtraucher", "guests", "1 Erwachsener"),
    ("Gäste / guests: Lea Brunner, Timo Brunner\n", "traveler_names", "Timo Brunner"),
    ("2 Erwachsene: Jana Kraus und Olaf Kraus\n", "traveler_names", "Olaf Kraus"),
    ("Gast:\tDr. Ines Falk\n", "traveler_names", "Dr. Ines Falk"),
])
def test_structured_booking_lines(finder, text, kind, phrase):
    assert (kind, phrase) in found(finder, text)


def test_a_company_address_names_no_destination(finder):
    # a signature's address line is no hotel's: no hotel word, no hotel label
    text = "Kind regards\nNordlicht Reisen GmbH, Hafenstraße 9, 20457 Hamburg\n"
    assert not [k for k, _ in found(finder, text) if k == "destination"]


def test_a_label_inside_a_sentence_is_no_form_line(finder):
    # "the hotel: ..." in running text is no "Hotel:" line
    assert not [k for k, _ in found(finder, "We liked the hotel: Friendly staff, quiet.\n")
                if k == "hotel_name"]


def test_a_list_part_that_is_no_name_is_dropped(finder):
    spans = found(finder, "Gast: Herr Udo Lenz, Anreise 3.5.\n")
    assert ("traveler_names", "Herr Udo Lenz") in spans
    assert not [p for k, p in spans if k == "traveler_names" and "Anreise" in p]


def test_a_date_written_with_slashes_is_one_date(finder):
    assert ("date", "15/05/2025") in found(finder, "Departure: 15/05/2025.")
    assert ("date", "3/4/26") in found(finder, "am 3/4/26 bitte")


@pytest.mark.parametrize("text, phrase", [
    ("Reisende/r:         Dipl.-Ing. Petra Hoffmann\nReiseziel: Nürnberg", "Dipl.-Ing. Petra Hoffmann"),
    ("Employee .......... Nils Petter Aas\nTrip .......... Oslo", "Nils Petter Aas"),
])
def test_a_tool_forms_traveller_line_names_the_guest(finder, text, phrase):
    from extractor.text import leaders_as_colons
    text = leaders_as_colons(text)  # as the pipeline reads it
    [spans] = finder.find([text])
    assert [text[s.start:s.end] for s in spans if s.field == "traveler_names"] == [phrase]


@pytest.mark.parametrize(("text", "phrase"), [
    ("Looking for a 4-star in Kyoto", "4-star"),
    ("ein 4-Sterne-Hotel in Köln", "4-Sterne-Hotel"),
    ("four star hotel, two rooms", "four star"),
    ("vier Sterne reichen", "vier Sterne"),
])
def test_a_star_rating_is_a_rating(finder, text, phrase):
    assert ("rating", phrase) in found(finder, text)
