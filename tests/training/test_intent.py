"""The lexical intent model: fitted on cue words, stacked with the transformer on dev."""

import numpy as np
import pytest

from annotations.schema import AnnotatedEmail
from extractor.form import INTENTS, FormValues, StayValues
from training.intent import fit_lexical, fit_stack

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


def test_before_dev_the_stack_is_the_transformer_alone(lexical):
    probs = np.array([[0.7, 0.1, 0.1, 0.1]])
    assert np.allclose(lexical.combine(probs, ["please cancel my hotel in Rome"]), probs,
                       atol=1e-6)


def test_stack_follows_whichever_model_is_right_on_dev(lexical):
    dev = corpus(["Madrid", "Graz", "Oslo"], origin="handwritten")
    texts = [e.text for e in dev]
    truth = np.array([INTENTS.index(e.form.intent) for e in dev])
    wrong = np.full((len(dev), len(INTENTS)), 0.02)
    wrong[np.arange(len(dev)), (truth + 1) % len(INTENTS)] = 0.94  # a transformer always wrong
    stacked = fit_stack(lexical, dev, wrong).combine(wrong, texts)
    assert (stacked.argmax(1) == truth).mean() >= 0.9
    lost = np.full((len(dev), len(INTENTS)), 0.25)  # a lexical model that knows nothing
    blind = type(lexical)(np.zeros_like(lexical.coef), np.zeros_like(lexical.intercept),
                          lexical.stack, lexical.stack_bias)
    right = np.full((len(dev), len(INTENTS)), 0.01)
    right[np.arange(len(dev)), truth] = 0.97  # a transformer always right
    stacked = fit_stack(blind, dev, right).combine(right, texts)
    assert (stacked.argmax(1) == truth).all() and np.allclose(blind.proba(texts), lost)


def test_saved_lexical_model_loads_back_identically(lexical, tmp_path):
    from extractor.intent import LexicalIntent

    lexical.save(tmp_path)
    back = LexicalIntent.load(tmp_path, len(INTENTS))
    texts = ["cancel my room in Bonn", "hotel in Bonn please"]
    assert back is not None and np.allclose(back.stack, lexical.stack)
    assert np.allclose(back.proba(texts), lexical.proba(texts), atol=1e-6)


def test_one_intent_only_is_refused():
    only = [e for e in corpus(CITIES) if e.form.intent == "new_booking"]
    with pytest.raises(ValueError, match="two intents"):
        fit_lexical(only)


def test_a_dev_split_without_every_intent_keeps_the_transformer(lexical):
    dev = [e for e in corpus(["Madrid"], origin="handwritten") if e.form.intent != "cancellation"]
    probs = np.tile([0.4, 0.2, 0.2, 0.2], (len(dev), 1))
    stacked = fit_stack(lexical, dev, probs)
    assert np.allclose(stacked.combine(probs, [e.text for e in dev]), probs, atol=1e-6)
