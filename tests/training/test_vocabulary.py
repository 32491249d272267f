"""The words of the training mail that the spelling step mends to (training/vocabulary.py)."""

import json

from annotations.schema import AnnotatedEmail, FormValues, Span
from training.vocabulary import known_words, main


def _email(text: str, origin: str = "handwritten", name: str | None = None) -> AnnotatedEmail:
    spans = ([Span(start=text.index(name), end=text.index(name) + len(name),
                   label="traveler_names")] if name else [])
    return AnnotatedEmail(id=f"e{hash(text)}", text=text, origin=origin, spans=spans,
                          form=FormValues(intent="new_booking"))


def test_hand_written_words_are_known_and_generated_ones_once_seen_often():
    words = known_words([_email("Please arrange accommodation"),
                         _email("Reservierung bestätigt", origin="generated")] * 1
                        + [_email("Zimmerreservierung wanted", origin="generated")] * 3)
    assert {"please", "arrange", "accommodation", "zimmerreservierung", "wanted"} <= set(
        words["words"])
    assert "reservierung" not in words["words"]  # generated, seen once


def test_a_rare_word_one_swap_from_a_common_one_is_taken_for_its_slip():
    mail = [_email("please confirm the booking")] * 12 + [_email("plesae confrim it")]
    words = set(known_words(mail)["words"])
    assert "please" in words and "plesae" not in words
    # both spellings in common use are kept
    both = known_words([_email("the convention center")] * 3 + [_email("the centre")] * 4)
    assert {"center", "centre"} <= set(both["words"])


def test_travellers_and_signers_names_and_umlaut_words_are_listed_apart():
    text = "Bitte ein Zimmer für Kirsten Ohlsen in Köln.\n\nViele Grüße\nMarkus Brenner"
    words = known_words([_email(text, name="Kirsten Ohlsen")])
    assert {"kirsten", "ohlsen", "markus", "brenner"} <= set(words["names"])
    assert {"für", "köln", "grüße"} <= set(words["umlauts"])
    assert "zimmer" not in words["umlauts"]


def test_the_command_writes_the_words_file(tmp_path):
    train = tmp_path / "train.jsonl"
    train.write_text(_email("Bitte für zwei Nächte").model_dump_json() + "\n", encoding="utf-8")
    main([str(train), "--out", str(tmp_path / "words.json")])
    written = json.loads((tmp_path / "words.json").read_text(encoding="utf-8"))
    assert written["umlauts"] == ["für", "nächte"]
    assert set(written) == {"words", "names", "umlauts"}
