"""The extractor's intent: the transformer's [CLS] reading stacked with the lexical model."""

import json
from pathlib import Path

import numpy as np
import pytest
from scipy.sparse import hstack
from sklearn.feature_extraction.text import HashingVectorizer

from annotations.schema import read_jsonl
from extractor.form import INTENTS
from extractor.intent import (
    CHAR_NGRAMS,
    N_FEATURES,
    SETTINGS,
    WEIGHTS,
    WORD_NGRAMS,
    LexicalIntent,
    features,
    transformer_only,
)
from extractor.model import ModelLoadError, softmax
from extractor.pipeline import Extractor

N = features(["x"]).shape[1]
ROOT = Path(__file__).resolve().parents[2]
ODD = ["", " ", "a", "ab", "Zimmer\u00a0frei", "tab\tand  two   spaces\n\nnew para",
       "Größe STRASSE İstanbul ǅ", "東京 ホテル 予約", "x" * 300, "don't e-mail 3-5 Feb",
       "ﬁne ligature", "emoji 🙂 ok"]


def cancel_only(trust: str) -> LexicalIntent:
    """A lexical model that reads every text as a cancellation, stacked to trust `trust`."""
    intercept = np.zeros(len(INTENTS), dtype=np.float32)
    intercept[INTENTS.index("cancellation")] = 8.0
    stack, bias = transformer_only(len(INTENTS))
    if trust == "lexical":
        stack = np.roll(stack, len(INTENTS), axis=1)
    return LexicalIntent(coef=np.zeros((len(INTENTS), N), dtype=np.float32),
                         intercept=intercept, stack=stack, stack_bias=bias)


def test_folder_without_lexical_model_uses_the_transformer_alone(booking_model_dir):
    ex = Extractor.load(booking_model_dir)
    assert ex.lexical_intent is None
    assert ex.extract_text("Hotel in Rome, 2 nights").intent == "new_booking"


@pytest.mark.parametrize(("trust", "intent"), [("lexical", "cancellation"),
                                               ("transformer", "new_booking")])
def test_the_stacker_decides_between_the_two(booking_model_dir, tmp_path, trust, intent):
    folder = tmp_path / "model"
    folder.mkdir()
    for f in booking_model_dir.iterdir():
        (folder / f.name).write_bytes(f.read_bytes())
    cancel_only(trust).save(folder)
    result = Extractor.load(folder).extract_text("Hotel in Rome, 2 nights")
    assert result.intent == intent
    assert 0.0 <= result.intent_confidence <= 1.0


def test_mismatched_lexical_files_are_a_model_load_error(booking_model_dir, tmp_path):
    folder = tmp_path / "model"
    folder.mkdir()
    for f in booking_model_dir.iterdir():
        (folder / f.name).write_bytes(f.read_bytes())
    cancel_only("lexical").save(folder)
    (folder / SETTINGS).write_text(json.dumps({"n_features": 1024}))
    with pytest.raises(ModelLoadError, match="intent model"):
        Extractor.load(folder)
    (folder / WEIGHTS).write_bytes(b"not safetensors")
    with pytest.raises(ModelLoadError, match="intent model"):
        Extractor.load(folder)


def sklearn_features(texts: list[str]):
    """What the lexical model was first fitted on: scikit-learn's two HashingVectorizers."""
    common = {"n_features": N_FEATURES, "alternate_sign": False, "norm": "l2",
              "lowercase": True, "dtype": np.float32}
    words = HashingVectorizer(analyzer="word", ngram_range=WORD_NGRAMS, **common)
    chars = HashingVectorizer(analyzer="char_wb", ngram_range=CHAR_NGRAMS, **common)
    return hstack([words.transform(texts), chars.transform(texts)], format="csr")


@pytest.mark.parametrize("split", ["dev", "test"])
def test_the_features_are_scikit_learns_on_the_corpus(split):
    texts = [e.text for e in read_jsonl(ROOT / "data" / "corpus" / f"{split}.jsonl")][:250]
    ours, theirs = features(texts), sklearn_features(texts)
    assert ours.shape == theirs.shape
    assert np.array_equal(np.diff(ours.indptr), np.diff(theirs.indptr))
    assert abs(ours - theirs).max() < 1e-6


def test_the_features_are_scikit_learns_on_odd_text():
    ours, theirs = features(ODD), sklearn_features(ODD)
    assert abs(ours - theirs).max() < 1e-6
    assert ours[0].nnz == 0  # an empty text: no features, and no NaN from its zero norm


def test_reading_an_email_scores_the_features_as_the_sparse_product_does():
    rng = np.random.default_rng(0)
    coef = rng.normal(size=(len(INTENTS), N)).astype(np.float32)
    intercept = rng.normal(size=len(INTENTS)).astype(np.float32)
    stack, bias = transformer_only(len(INTENTS))
    model = LexicalIntent(coef=coef, intercept=intercept, stack=stack, stack_bias=bias)
    texts = [*ODD, "Bitte stornieren Sie meine Buchung in Köln, 3.-5. Mai."]
    expected = softmax(np.asarray(features(texts) @ coef.T) + intercept)
    assert np.allclose(model.proba(texts), expected, atol=1e-5)


def test_cancelling_one_night_changes_the_booking():
    from extractor.intent import cut_night
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
    from extractor.intent import cancel_intent
    reply = ("Please take off the last night, I'll fly back on Wednesday evening. Could you "
             "recommend a restaurant near the hotel?")
    assert cut_night(cancel_intent("not_hotel", reply, "Check-in: Monday 18 May"), reply) \
        == "modification"
    assert cancel_intent("not_hotel", "Please cancel the restaurant table.", "Booked: ...") \
        == "not_hotel"


def test_cancelling_part_of_a_booking_while_the_rest_stays_changes_it():
    from extractor.intent import cut_night
    assert cut_night("cancellation", "Kev's off sick so can you drop his room, the other 3 "
                     "are still going") == "modification"
    assert cut_night("cancellation", "Bitte sein Zimmer stornieren, wir sind dann nur zu "
                     "zweit (Herr Leitner und ich). Rest bleibt wie gehabt.") == "modification"
    assert cut_night("cancellation", "Bitte stornieren Sie die Buchung vom 11. bis 13. "
                     "Dezember.") == "cancellation"


def test_a_reply_cancelling_the_quoted_booking_is_a_cancellation():
    from extractor.intent import cancel_intent
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
    from extractor.intent import asks_for_room
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
    # a hotel invoice, a flight or a table asked for is no room
    assert asks_for_room("not_hotel", "I need a copy of the hotel invoice for May.") \
        == "not_hotel"
    assert asks_for_room("not_hotel", "Bitte buchen Sie einen Tisch für vier Personen.") \
        == "not_hotel"


def test_a_writer_saying_there_is_nothing_to_do_books_nothing():
    from extractor.intent import no_action
    text = ("zur Ablage unten das Einladungsschreiben. Das Hotel ist bereits über Sie gebucht, "
            "es ist nichts weiter zu\ntun.")
    assert no_action("new_booking", text) == "not_hotel"
    assert no_action("modification", "Das Hotel hat sie selbst verlängert, da ist nichts zu "
                                      "tun. Bitte nur den Flug umbuchen.") == "not_hotel"
    # asking for a room outweighs it
    assert no_action("new_booking", "Nothing else to do for Berlin, but I need a room in Ulm "
                                    "on 3 May.") == "new_booking"


def test_a_text_naming_no_stay_and_no_booking_asks_nothing_of_a_hotel():
    from extractor.intent import nothing_asked
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
    from extractor.intent import change_intent
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
    from extractor.intent import no_action
    assert no_action("modification", "Bitte meinen Rückflug umbuchen. Das Hotel bleibt "
                     "unverändert, da muss nichts gemacht werden.") == "not_hotel"
    assert no_action("new_booking", "Please don't book anything yet, we'll confirm the "
                     "dates next week.") == "not_hotel"


def test_asking_whether_a_room_is_free_asks_for_one():
    from extractor.intent import asks_for_room
    for text in ("habt ihr über silvester noch was in berlin frei? 31.12.–2.1., juniorsuite",
                 "any double rooms left in sevilla this weekend? fri + sat night",
                 "Is there anything available near the Messe on 3 May?"):
        assert asks_for_room("not_hotel", text) == "new_booking", text
    for text in ("Do you have the invoice available?", "u guys open on sundays?"):
        assert asks_for_room("not_hotel", text) == "not_hotel", text


def test_mail_about_a_stay_that_is_over_asks_for_no_room():
    from extractor.intent import after_the_stay
    complaint = ("I'm writing about my stay at the Garden City Hotel (24-28 May). The air con was "
                 "broken. Could you ask the hotel for a refund?")
    invoice = ("ich war vom 9. bis 12. Februar in Wien, im Hotel Motto. Für meine "
               "Spesenabrechnung brauche ich die Rechnung.")
    bill = "Ich brauche die Rechnung für unseren Aufenthalt im Hotel Atlantic letzte Woche."
    for text in (complaint, invoice, bill):
        assert after_the_stay("new_booking", text) == "not_hotel", text
    # a booking that mentions the invoice, or a past stay and a new room, still asks
    assert after_the_stay("new_booking", "Bitte 1 EZ in Graz, 3.-5. Mai. Rechnung an die "
                                         "Firma.") == "new_booking"
    assert after_the_stay("new_booking", "Bitte ein Zimmer in Graz 3.-5. Mai, das Hotel war "
                                         "letztes Mal super. Rechnung an die Firma.") == "new_booking"
    assert after_the_stay("new_booking", "My stay in May was great, no complaint at all: "
                                         "could you book me a room there again, 3-5 July?") \
        == "new_booking"
