"""Swapped letters in the words that time a stay are mended before anything reads the text."""

import datetime as dt

import pytest

from extractor.encoding import encode
from extractor.fast_tokenizer import FastTokenizer
from extractor.pipeline import Extractor, Prepared
from extractor.signature import signer_span
from extractor.spelling import PAD, mended, umlauts_read


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


@pytest.mark.parametrize(("read", "text"), [
    (mended, "Montag bis Donnerstag, Hotel Adlon, Frau Mraia Nahcin, Rezeption, 2 nights"),
    # words with "ue", "oe", "ae" or "ss" that are no umlauts spelled out
    (umlauts_read, "Michael does the issue at the Queens Hotel in Israel"),
])
def test_words_of_the_lexicon_and_words_outside_it_are_left_as_written(read, text):
    assert read(text) == text


def test_a_stay_read_through_a_typo_keeps_its_nights(booking_model_dir):
    extractor = Extractor.load(booking_model_dir)
    text = "Bitte ein Einzelzimmer in Graz für 3 Nähcte."
    assert Prepared.of_text("t", text).read == "Bitte ein Einzelzimmer in Graz für 3 Nächte."
    result = extractor.extract_text(text, received_at=dt.datetime(2027, 1, 5, tzinfo=dt.UTC))
    [stay] = result.stays
    assert stay.nights.value == 3
    [ev] = stay.nights.evidence
    assert text[ev.start : ev.end] == "3 Nähcte"  # evidence indexes into the text as written


def test_a_slip_in_a_word_of_the_training_mail_is_mended():
    assert mended("Plaese book it, the reqeust shoudl be cleared") == (
        "Please book it, the request should be cleared")


def test_a_word_is_never_mended_into_a_travellers_name():
    # "Kirsten" signs training mail: "Kristen" is a name of its own, not a slip
    assert mended("Book it for Kristen Alvarez, please") == "Book it for Kristen Alvarez, please"


def test_both_spellings_of_a_word_the_training_mail_writes_both_ways_are_kept():
    assert mended("near the Convention Center or the Centre") == (
        "near the Convention Center or the Centre")


def test_umlauts_written_out_are_read_by_the_model_as_umlauts_at_the_texts_length():
    text = "Viele Gruesse aus Muenchen, fuer zwei Naechte, Uebernachtung. MUENCHEN"
    read = umlauts_read(text)
    assert read.replace(PAD, "") == "Viele Grüße aus München, für zwei Nächte, Übernachtung. MÜNCHEN"
    assert len(read) == len(text)  # offsets into one index into the other
    assert read.index(f"M{PAD}ünchen") == text.index("Muenchen")


def test_the_model_meets_umlauts_spelled_out_as_the_sub_words_of_umlauts(booking_model_dir):
    tokenizer = FastTokenizer.load(booking_model_dir)
    written = "Bitte ein Einzelzimmer in Muenchen fuer 3 Naechte, mit Fruehstueck."
    umlauts = "Bitte ein Einzelzimmer in München für 3 Nächte, mit Frühstück."
    a, b = encode(tokenizer, written), encode(tokenizer, umlauts)
    assert a.input_ids == b.input_ids
    words = [written[s:e] for s, e in zip(a.word_start, a.word_end, strict=True)]
    assert "Muenchen" in words and "Fruehstueck" in words  # offsets into the text as written


def test_a_german_sign_off_with_umlauts_spelled_out_still_names_its_signer():
    text = "Hallo,\nbitte ein Zimmer in Köln.\n\nSchoene Gruesse\nHolger Heinrich"
    start, end = signer_span(text)
    assert text[start:end] == "Holger Heinrich"
