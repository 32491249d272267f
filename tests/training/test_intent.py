"""The lexical intent model: fitted on cue words, mixed with the transformer by dev log-loss."""

import numpy as np
import pytest

from annotations.schema import AnnotatedEmail
from extractor.form import INTENTS, FormValues, StayValues
from training.intent import choose_mix, fit_lexical

TEXTS = {
    "new_booking": ["please book a hotel in {c} for two nights", "need a room in {c} next week",
                    "bitte ein Zimmer in {c} reservieren", "hotel in {c} from monday please"],
    "cancellation": ["please cancel my hotel in {c}", "cancel the booking in {c}, thanks",
                     "bitte die Buchung in {c} stornieren", "storno für {c} bitte"],
    "modification": ["please change my {c} booking to friday", "move my {c} stay one day later",
                     "bitte die Buchung in {c} umbuchen", "{c}: arrival changes to tuesday"],
    "not_hotel": ["book me a flight to {c}", "train ticket to {c} please",
                  "newsletter: deals in {c}", "out of office until {c} returns"],
}
CITIES = ["Paris", "Rome", "Berlin", "Vienna", "Lyon", "Porto"]


def corpus(cities, origin="generated") -> list[AnnotatedEmail]:
    out = []
    for intent, texts in TEXTS.items():
        for k, c in enumerate(cities):
            stays = [] if intent == "not_hotel" else [StayValues(destination=c)]
            out.append(AnnotatedEmail(
                id=f"{intent}-{c}-{k}", text=texts[k % len(texts)].format(c=c), origin=origin,
                form=FormValues(intent=intent, stays=stays)))
    return out


@pytest.fixture(scope="module")
def lexical():
    return fit_lexical(corpus(CITIES))


def test_cue_words_decide_the_lexical_intent(lexical):
    probs = lexical.proba(["please cancel my hotel in Madrid", "bitte stornieren: Hotel in Graz",
                           "book me a flight to Oslo"])
    assert [INTENTS[i] for i in probs.argmax(1)] == ["cancellation", "cancellation", "not_hotel"]
    assert np.allclose(probs.sum(1), 1.0)


def test_mix_follows_whichever_model_is_right_on_dev(lexical):
    dev = corpus(["Madrid", "Graz"], origin="handwritten")
    truth = np.array([INTENTS.index(e.form.intent) for e in dev])
    wrong = np.full((len(dev), len(INTENTS)), 0.02)
    wrong[np.arange(len(dev)), (truth + 1) % len(INTENTS)] = 0.94  # a transformer always wrong
    assert choose_mix(lexical, dev, wrong).mix == 0.0
    right = np.full((len(dev), len(INTENTS)), 0.0001)
    right[np.arange(len(dev)), truth] = 0.9997  # a transformer always right and sure
    assert choose_mix(lexical, dev, right).mix == 1.0


def test_saved_lexical_model_loads_back_identically(lexical, tmp_path):
    from extractor.intent import LexicalIntent

    lexical.save(tmp_path)
    back = LexicalIntent.load(tmp_path, len(INTENTS))
    texts = ["cancel my room in Bonn", "hotel in Bonn please"]
    assert back is not None and back.mix == lexical.mix
    assert np.allclose(back.proba(texts), lexical.proba(texts), atol=1e-6)


def test_one_intent_only_is_refused():
    only = [e for e in corpus(CITIES) if e.form.intent == "new_booking"]
    with pytest.raises(ValueError, match="two intents"):
        fit_lexical(only)
