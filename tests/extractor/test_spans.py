"""Decoding the model's word tags into spans: valid BIO, whole spans, confidences."""

import numpy as np

from extractor.model import TextScores
from extractor.spans import absence_confidence, best_tags, decode_model_spans
from extractor.tags import LABEL2ID, N_BIO


def scores(rows: list[dict[str, float]], words: list[tuple[int, int]]) -> TextScores:
    probs = np.full((len(rows), N_BIO), 1e-3, dtype=np.float32)
    for i, row in enumerate(rows):
        for tag, p in row.items():
            probs[i, LABEL2ID[tag]] = p
    probs /= probs.sum(axis=1, keepdims=True)
    return TextScores(word_start=np.array([s for s, _ in words]),
                      word_end=np.array([e for _, e in words]), word_probs=probs,
                      intent_probs=np.full(4, 0.25))


def test_a_span_is_kept_together_when_the_probabilities_allow_it():
    # "near Fira Gran Via": word by word, "Gran Via" looks like the inside of a name, which
    # cannot follow B-near; the best valid sequence keeps the place whole
    s = scores([{"O": 0.9}, {"B-near": 0.8}, {"I-traveler_names": 0.45, "I-near": 0.4},
                {"I-traveler_names": 0.5, "I-near": 0.45}],
               [(0, 4), (5, 9), (10, 14), (15, 18)])
    assert [(x.field, x.start, x.end) for x in decode_model_spans(s)] == [("near", 5, 18)]


def test_an_orphan_inside_tag_never_starts_a_span_of_another_field():
    s = scores([{"O": 0.6, "I-destination": 0.4}, {"B-check_in": 0.9}], [(0, 2), (3, 5)])
    tags = best_tags(s.word_probs)
    assert tags[0] == LABEL2ID["O"]
    assert [x.field for x in decode_model_spans(s)] == ["check_in"]


def test_two_adjacent_spans_of_one_field_stay_two():
    s = scores([{"B-traveler_names": 0.9}, {"B-traveler_names": 0.9}], [(0, 4), (5, 9)])
    assert [(x.start, x.end) for x in decode_model_spans(s)] == [(0, 4), (5, 9)]


def test_confidence_is_the_mean_tag_probability():
    s = scores([{"B-destination": 0.8, "O": 0.2}], [(0, 6)])
    [span] = decode_model_spans(s)
    assert abs(span.confidence - float(s.word_probs[0, LABEL2ID["B-destination"]])) < 1e-6


def test_absence_is_one_minus_the_strongest_mention():
    s = scores([{"B-near": 0.3, "O": 0.7}], [(0, 4)])
    assert abs(absence_confidence(s)["near"] - (1 - float(s.word_probs[0, LABEL2ID["B-near"]])
                                                - float(s.word_probs[0, LABEL2ID["I-near"]]))) < 1e-6


def test_a_span_ends_at_a_line_break_after_a_short_line():
    # "at The Imperial\nJaipur — 10 to 13 January": the list item ends the hotel's name
    text = "at The Imperial\nJaipur 10"
    s = scores([{"O": 0.9}, {"B-hotel_name": 0.8}, {"I-hotel_name": 0.8},
                {"I-hotel_name": 0.6}, {"O": 0.9}],
               [(0, 2), (3, 6), (7, 15), (16, 22), (23, 25)])
    assert [(x.start, x.end) for x in decode_model_spans(s)] == [(3, 22)]  # without the text
    assert [(x.field, text[x.start:x.end]) for x in decode_model_spans(s, text)] == [
        ("hotel_name", "The Imperial")]


def test_a_name_wrapped_in_a_long_prose_line_stays_whole():
    text = "x" * 58 + " at the Hotel\nAdlon"
    s = scores([{"O": 0.9}, {"O": 0.9}, {"B-hotel_name": 0.8}, {"I-hotel_name": 0.8},
                {"I-hotel_name": 0.8}],
               [(0, 58), (59, 61), (62, 65), (66, 71), (72, 77)])
    assert [text[x.start:x.end] for x in decode_model_spans(s, text)] == ["the Hotel\nAdlon"]


def test_a_span_the_model_begins_after_the_break_is_kept():
    # "Abreise 10.09.\nLinz – Anreise 10.09.": the next stop of a trip, its own B tag
    text = "10.09.\nLinz"
    s = scores([{"B-check_out": 0.9}, {"B-destination": 0.85}], [(0, 6), (7, 11)])
    assert [(x.field, text[x.start:x.end]) for x in decode_model_spans(s, text)] == [
        ("check_out", "10.09."), ("destination", "Linz")]


def test_a_name_going_on_over_the_break_is_the_next_person():
    text = "Nora Baumgartner\nAmir Haddad"
    s = scores([{"B-traveler_names": 0.9}, {"I-traveler_names": 0.9},
                {"I-traveler_names": 0.6}, {"I-traveler_names": 0.9}],
               [(0, 4), (5, 16), (17, 21), (22, 28)])
    assert [text[x.start:x.end] for x in decode_model_spans(s, text)] == [
        "Nora Baumgartner", "Amir Haddad"]


def test_a_house_number_above_a_date_is_no_part_of_it():
    # the model reads the street's number and the arrival under it as one date
    text = "Bahnhofplatz 11\n25.01.2027 bis"
    words = [(0, 12), (13, 15), (16, 26), (27, 30)]
    s = scores([{"O": 0.9}, {"B-check_in": 0.9}, {"I-check_in": 0.9}, {"O": 0.9}], words)
    assert [text[x.start:x.end] for x in decode_model_spans(s, text)] == ["25.01.2027"]
    # or as two arrivals, the number one of them
    s = scores([{"O": 0.9}, {"B-check_in": 0.9}, {"B-check_in": 0.9}, {"O": 0.9}], words)
    assert [text[x.start:x.end] for x in decode_model_spans(s, text)] == ["25.01.2027"]


def test_a_date_never_goes_on_into_the_next_list_item():
    text = "Kyoto, 17–19 April\n3) Osaka"
    s = scores([{"O": 0.9}, {"B-check_in": 0.9}, {"B-check_out": 0.9}, {"I-check_out": 0.9},
                {"I-check_out": 0.6}, {"B-destination": 0.9}],
               [(0, 6), (7, 9), (10, 12), (13, 18), (19, 21), (22, 27)])
    assert [(x.field, text[x.start:x.end]) for x in decode_model_spans(s, text)] == [
        ("check_in", "17"), ("check_out", "19 April"), ("destination", "Osaka")]


def test_a_name_stopping_at_its_apostrophe_takes_the_rest_of_its_word():
    # the tokenizer splits "O'Brien" in three; the model may stop before the last piece
    text = "for Liam O'Brien please"
    words = [(0, 3), (4, 8), (9, 10), (10, 11), (11, 16), (17, 23)]
    s = scores([{"O": 0.9}, {"B-traveler_names": 0.9}, {"I-traveler_names": 0.9},
                {"I-traveler_names": 0.6}, {"O": 0.6}, {"O": 0.9}], words)
    assert [text[x.start:x.end] for x in decode_model_spans(s, text)] == ["Liam O'Brien"]
    # a possessive's apostrophe at a word's end is left alone
    text = "near Dublin's port"
    s = scores([{"O": 0.9}, {"B-near": 0.9}, {"I-near": 0.6}, {"O": 0.6}, {"O": 0.9}],
               [(0, 4), (5, 11), (11, 12), (12, 13), (14, 18)])
    assert [text[x.start:x.end] for x in decode_model_spans(s, text)] == ["Dublin'"]
