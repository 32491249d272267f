"""Swapped letters in the words that time a stay are mended before anything reads the text."""

import datetime as dt

from extractor.pipeline import Extractor, Prepared
from extractor.spelling import mended


def test_swapped_letters_in_months_weekdays_and_nights_are_mended_in_place():
    text = "Anriese am Frietag, 3 Nähcte, Abreise im Jaunary; EINZELZIMMRE, ovrenight"
    out = mended(text)
    assert out == "Anreise am Freitag, 3 Nächte, Abreise im January; EINZELZIMMER, overnight"
    assert len(out) == len(text)  # offsets into one index into the other


def test_known_cities_cancelling_and_counted_people_are_mended_too():
    assert mended("Please cacnel Hanvoer, 2 adluts and 2 chlidren") == (
        "Please cancel Hanover, 2 adults and 2 children")


def test_a_short_city_is_not_mended_out_of_a_word():
    assert mended("two pairs of shoes") == "two pairs of shoes"  # not "Paris"


def test_words_of_the_lexicon_and_words_outside_it_are_left_as_written():
    text = "Montag bis Donnerstag, Hotel Adlon, Frau Mraia Nahcin, Rezeption, 2 nights"
    assert mended(text) == text


def test_a_stay_read_through_a_typo_keeps_its_nights(booking_model_dir):
    extractor = Extractor.load(booking_model_dir)
    text = "Bitte ein Einzelzimmer in Graz für 3 Nähcte."
    assert Prepared.of_text("t", text).read == "Bitte ein Einzelzimmer in Graz für 3 Nächte."
    result = extractor.extract_text(text, received_at=dt.datetime(2027, 1, 5, tzinfo=dt.UTC))
    [stay] = result.stays
    assert stay.nights.value == 3
    [ev] = stay.nights.evidence
    assert text[ev.start : ev.end] == "3 Nähcte"  # evidence indexes into the text as written
