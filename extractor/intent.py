"""The email's intent: the token classifier's [CLS] reading, stacked with a lexical classifier's.

The fine-tuned transformer reads the intent from [CLS]; on little data it misses plain lexical
cues ("stornieren", "instead of", "no hotel needed") and German words its English vocabulary
splits into pieces. A second, lexical model sees them: hashed word 1-2-grams and character
3-5-grams (no vocabulary to store, the same features on every machine) into a multinomial
logistic regression fitted on the training split by `stayform train` (`training/intent.py`).
The features are scikit-learn's `HashingVectorizer`'s (word and char_wb analyzers,
MurmurHash3 via `mmh3`), computed here so that reading an email does not import scikit-learn
and SciPy (over a second of `stayform extract`'s start-up); a test holds them equal to
scikit-learn's on the corpus. The two are stacked: a second, small logistic
regression on dev reads both models' log-probabilities (8 numbers) and gives the intent, so
that it learns when to trust which (the transformer is sure and wrong on German cancellations
more often than the lexical model is).

Saved in the model folder as `intent.safetensors` (weights) and `intent.json` (features): no
pickles. A folder without them (older models, tests' tiny models) uses the transformer alone.

After the models, `final_intent` reads the intent with the thread and the words: a reply
cancelling the booking quoted under it is a cancellation (`cancel_intent`), and a
cancellation of one night of a stay is a change of it (`cut_night`).
"""

from __future__ import annotations

import json
import re
from collections import Counter
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

import mmh3
import numpy as np
from safetensors.numpy import load_file, save_file

from extractor.form import Intent
from extractor.lexicon import alternation, lexicon
from extractor.model import softmax
from extractor.reply_dates import CANCEL, CLAUSE, CUTS_A_NIGHT
from extractor.thread import BOOKED, answer_intent

if TYPE_CHECKING:
    from scipy.sparse import csr_matrix

WEIGHTS = "intent.safetensors"
SETTINGS = "intent.json"
N_FEATURES = 2**18  # per analyzer; collisions are rare at this corpus size


_WORD = re.compile(r"(?u)\b\w\w+\b")  # HashingVectorizer's default token_pattern
WORD_NGRAMS = (1, 2)
CHAR_NGRAMS = (3, 5)


def _word_grams(text: str) -> Iterator[str]:
    """The word analyzer's n-grams of lowercased `text`: tokens, then adjacent pairs."""
    tokens = _WORD.findall(text)
    for n in range(WORD_NGRAMS[0], WORD_NGRAMS[1] + 1):
        for i in range(len(tokens) - n + 1):
            yield " ".join(tokens[i:i + n])


def _char_grams(text: str) -> Iterator[str]:
    """The char_wb analyzer's n-grams: within each word padded by a space on either side; a
    word shorter than n gives itself once."""
    for word in text.split():
        padded = f" {word} "
        for n in range(CHAR_NGRAMS[0], CHAR_NGRAMS[1] + 1):
            yield padded[:n]
            for offset in range(1, len(padded) - n + 1):
                yield padded[offset:offset + n]
            if len(padded) <= n:
                break


def _bucket(gram: str) -> int:
    """The column of `gram` among N_FEATURES: |signed MurmurHash3| mod N, as scikit-learn
    takes it (whose abs(-2**31) is defined as below)."""
    h = mmh3.hash(gram, 0, signed=True)
    if h == -2**31:
        return (2**31 - 1 - (N_FEATURES - 1)) % N_FEATURES
    return abs(h) % N_FEATURES


def _l2(grams: Iterator[str], offset: int) -> tuple[list[int], list[float]]:
    counts = Counter(_bucket(g) for g in grams)
    norm = float(np.sqrt(sum(c * c for c in counts.values()))) or 1.0
    return [offset + i for i in counts], [c / norm for c in counts.values()]


def feature_rows(texts: Sequence[str]) -> list[tuple[np.ndarray, np.ndarray]]:
    """Per text, the columns and values of its lexical features among 2 * N_FEATURES: word
    n-grams then character n-grams, each part L2-normed."""
    rows = []
    for text in texts:
        lower = text.lower()
        wi, wv = _l2(_word_grams(lower), 0)
        ci, cv = _l2(_char_grams(lower), N_FEATURES)
        rows.append((np.asarray(wi + ci, dtype=np.int64), np.asarray(wv + cv, dtype=np.float32)))
    return rows


def features(texts: Sequence[str]) -> csr_matrix:
    """The lexical features of `texts` as a sparse (len(texts), 2 * N_FEATURES) matrix, for
    fitting (training imports SciPy; reading an email does not)."""
    from scipy.sparse import csr_matrix

    rows = feature_rows(texts)
    indptr = np.cumsum([0, *(len(cols) for cols, _ in rows)])
    cols = np.concatenate([c for c, _ in rows]) if rows else np.zeros(0, dtype=np.int64)
    vals = np.concatenate([v for _, v in rows]) if rows else np.zeros(0, dtype=np.float32)
    matrix = csr_matrix((vals, cols, indptr), shape=(len(texts), 2 * N_FEATURES))
    matrix.sort_indices()
    return matrix


@dataclass(frozen=True)
class LexicalIntent:
    """Logistic-regression weights over `features()`; classes in INTENTS order."""

    coef: np.ndarray  # (n_intents, 2 * N_FEATURES)
    intercept: np.ndarray  # (n_intents,)
    # the stacker over [log p_transformer, log p_lexical]: (n_intents, 2 * n_intents), (n_intents,)
    stack: np.ndarray
    stack_bias: np.ndarray

    def proba(self, texts: Sequence[str]) -> np.ndarray:
        """(len(texts), n_intents) lexical intent probabilities."""
        if not texts:
            return np.zeros((0, len(self.intercept)))
        scores = np.stack([self.coef[:, cols] @ vals for cols, vals in feature_rows(texts)])
        return softmax(scores + self.intercept)

    def combine(self, model_probs: np.ndarray, texts: Sequence[str]) -> np.ndarray:
        """The stacked probabilities for rows of `model_probs` (the transformer's) and `texts`."""
        if not len(texts):
            return model_probs
        return softmax(stack_inputs(model_probs, self.proba(texts)) @ self.stack.T
                        + self.stack_bias)

    def save(self, model_dir: Path) -> None:
        save_file({name: np.ascontiguousarray(getattr(self, name), dtype=np.float32)
                   for name in ("coef", "intercept", "stack", "stack_bias")},
                  str(model_dir / WEIGHTS))
        (model_dir / SETTINGS).write_text(json.dumps({
            "n_features": N_FEATURES,
            "features": "word 1-2-grams + char_wb 3-5-grams, hashed, L2-normed",
            "stack": "logistic regression over [log p_transformer, log p_lexical]"}, indent=2),
            encoding="utf-8")

    @classmethod
    def load(cls, model_dir: Path, n_intents: int) -> LexicalIntent | None:
        """The lexical model of `model_dir`, None when the folder has none. Raises ValueError
        when its files are there but do not fit this stayform."""
        if not (model_dir / WEIGHTS).is_file():
            return None
        settings = json.loads((model_dir / SETTINGS).read_text(encoding="utf-8"))
        t = load_file(str(model_dir / WEIGHTS))
        shapes = {"coef": (n_intents, 2 * N_FEATURES), "intercept": (n_intents,),
                  "stack": (n_intents, 2 * n_intents), "stack_bias": (n_intents,)}
        if settings.get("n_features") != N_FEATURES or any(
                name not in t or t[name].shape != shape for name, shape in shapes.items()):
            raise ValueError(f"{WEIGHTS} does not match this stayform's intent features")
        return cls(coef=t["coef"], intercept=t["intercept"], stack=t["stack"],
                   stack_bias=t["stack_bias"])


def stack_inputs(model_probs: np.ndarray, lexical_probs: np.ndarray) -> np.ndarray:
    """The stacker's inputs: both models' log-probabilities side by side."""
    return np.hstack([np.log(np.clip(model_probs, 1e-6, 1.0)),
                      np.log(np.clip(lexical_probs, 1e-6, 1.0))])


def transformer_only(n_intents: int) -> tuple[np.ndarray, np.ndarray]:
    """Stacker weights that reproduce the transformer's probabilities exactly."""
    return np.hstack([np.eye(n_intents), np.zeros((n_intents, n_intents))]), np.zeros(n_intents)


_BOOKING = alternation(lexicon().cues.booking_words)
# a cancel verb and what it cancels in one clause, either order
CANCELS_BOOKING = re.compile(rf"(?<!\w)(?:{CANCEL})(?!\w)[^.!?\n]{{0,40}}?(?<!\w)(?:{_BOOKING})"
                              rf"(?!\w)|(?<!\w)(?:{_BOOKING})(?!\w)[^.!?]{{0,50}}?(?<!\w)"
                              rf"(?:{CANCEL})(?!\w)", re.IGNORECASE)
_OTHER_TRAVEL = re.compile(r"(?<!\w)(?:flight|flug|flüge|train|zug|bahn|car|mietwagen|rental"
                           r"|taxi|restaurant|table|tisch)", re.IGNORECASE)


# the writer asks for a room in one clause: "bräuchte ich ein Zimmer im Hilton", "book me a
# hotel near the venue", "buchen Sie für Frau Demir und mich je ein Einzelzimmer" (a room,
# never "the hotel invoice"); whom it is for may take a line ("buchen Sie für mich und meine
# Kollegin Lena Marquardt je ein Einzelzimmer")
_ASKS_FOR_ROOM = re.compile(
    rf"(?<!\w)(?:{alternation(lexicon().cues.asks)})(?!\w){CLAUSE}{{0,70}}?(?<!\w)"
    rf"(?:ein|eine|einen|a|an|one|two|zwei|\d)\s+(?:\w+\s+)?"
    rf"(?:{_BOOKING}|{alternation(lexicon().rooms.room_nouns)})(?!\w)", re.IGNORECASE)


# ... or asks whether one is free: "habt ihr über Silvester noch was in Berlin frei?", "any
# double rooms left in Porto?" (not "do you have the invoice available?")
_ASKS_IF_FREE = re.compile(
    r"(?<!\w)(?:habt ihr|haben sie|hast du|do you have|have you got|is there|are there|gibt es"
    rf"|any)(?!\w)[^.?!\n]{{0,50}}?(?<!\w)(?:(?:{alternation(lexicon().rooms.room_nouns)})s?|was|etwas"
    r"|anything|something)(?!\w)[^.?!\n]{0,40}?(?<!\w)(?:frei|free|available|left|verfügbar)(?!\w)",
    re.IGNORECASE)


def asks_for_room(intent: Intent, text: str) -> Intent:
    """A text the model read as no hotel request whose writer asks for a room in so many
    words ("für die Nacht von Sonntag auf Montag bräuchte ich ein Zimmer im Hilton Munich
    Airport. Mein Flug ...") or whether one is free ("habt ihr über Silvester noch was in
    Berlin frei?") is a new booking."""
    if intent == "not_hotel" and _asks_for_a_room(text):
        return "new_booking"
    return intent


def _asks_for_a_room(text: str) -> bool:
    return bool(_ASKS_FOR_ROOM.search(text) or _ASKS_IF_FREE.search(text))


_NO_ACTION = re.compile(rf"(?<!\w)(?:{alternation(lexicon().cues.no_action)})(?!\w)", re.IGNORECASE)


# what a hotel request names, one word at least: a booking, a room, a night, a cancellation
_ABOUT_A_STAY = re.compile(
    rf"(?<!\w)(?:{_BOOKING}|{alternation(lexicon().rooms.room_nouns)}|{CANCEL}"
    rf"|{alternation(lexicon().calendar.stay_words)})(?!\w)", re.IGNORECASE)


def nothing_asked(intent: Intent, found_stays: bool, text: str) -> Intent:
    """A text read as a hotel request in which no stay is found and no word names a booking,
    a room, a night or a cancellation ("thanks, that's all for now!", "how's your day
    going?") asks nothing of a hotel: `not_hotel`."""
    if intent != "not_hotel" and not found_stays and not _ABOUT_A_STAY.search(text):
        return "not_hotel"
    return intent


def no_action(intent: Intent, text: str) -> Intent:
    """A text whose writer says there is nothing to do ("Das Hotel ist bereits gebucht, es
    ist nichts weiter zu tun", "no action needed") and asks for no room books or changes
    nothing: `not_hotel`."""
    if intent != "not_hotel" and _NO_ACTION.search(text) and not _ASKS_FOR_ROOM.search(text):
        return "not_hotel"
    return intent


# the rest of a booking stays when part of it is cancelled: "the other 3 are still going",
# "wir sind dann nur zu zweit", "Rest bleibt wie gehabt"
_REST_STAYS = re.compile(
    r"(?<!\w)(?:the others?|the rest|everyone else|die anderen|der rest|rest bleibt"
    r"|alles andere bleibt|nur (?:noch )?zu (?:zweit|dritt|viert|fünft|fuenft)"
    r"|(?:are|is) still (?:going|coming|travel+ing))(?!\w)", re.IGNORECASE)


def cut_night(intent: Intent, text: str) -> Intent:
    """A cancellation that cancels a night of a stay ("bitte die letzte Nacht stornieren",
    "cancel the first night") changes the booking: a `modification` (CONVENTIONS); so does
    one that cancels a part while the rest stays ("drop his room, the other 3 are still
    going", "sein Zimmer stornieren, wir sind dann nur zu zweit")."""
    if intent == "cancellation" and (CUTS_A_NIGHT.search(text) or _REST_STAYS.search(text)):
        return "modification"
    return intent


def cancel_intent(intent: Intent, text: str, quote: str | None) -> Intent:
    """The intent of a reply whose own words cancel the booking quoted under it ("hiermit
    stornieren wir die unten aufgeführte Reservierung", "please cancel the booking below",
    or a night of it, which `cut_night` makes a change: "please take off the last night"):
    a `cancellation`, where the model read the short reply as no hotel request; not when the
    words are about a flight, a train, a car or a table (a night cut is a hotel's always)."""
    if intent == "not_hotel" and quote is not None and (CUTS_A_NIGHT.search(text) or (
            CANCELS_BOOKING.search(text) and not _OTHER_TRAVEL.search(text))):
        return "cancellation"
    return intent


# words that change a booking or add to it: "eine Woche später", "verschieben", "extend",
# "noch ein Zimmer dazubuchen", "in the same hotel"
_CHANGES = re.compile(rf"(?<!\w)(?:{alternation([*lexicon().cues.changes, *lexicon().cues.adds])})"
                      r"(?!\w)", re.IGNORECASE)


def change_intent(intent: Intent, text: str, quote: str | None) -> Intent:
    """The intent of a reply to a booking the agency confirmed (`quote`) whose own words
    change or add to it ("muss seinen Aufenthalt um eine Woche verschieben", "please add one
    more room for her in the same hotel"): a `modification`, where the model read a new
    booking or no hotel request."""
    if intent in ("new_booking", "not_hotel") and quote is not None and BOOKED.search(quote) \
            and _CHANGES.search(text):
        return "modification"
    return intent


# mail about a stay that is over: "my stay at the Garden City (24-28 May) ... a refund",
# "ich war vom 9. bis 12. Februar in Wien ... die Rechnung"
_AFTER_STAY = re.compile(rf"(?<!\w)(?:{alternation(lexicon().cues.after_stay)})(?!\w)"
                         r"|(?<!\w)(?:invoice|receipt|bill|rechnung|quittung)[ \t]+(?:for|from|of|für"
                         r"|vom|von|zum|zur)[ \t]+(?:(?:my|our|the|meinen|unseren|den|dem|die)[ \t]+)?"
                         r"(?:stay|aufenthalt|hotel|übernachtung)", re.IGNORECASE)  # the bill of a stay
_PAST_STAY = re.compile(rf"(?<!\w)(?:{alternation(lexicon().cues.past_stay)})(?!\w)"
                        r"|(?<!\w)(?:hotel|room|zimmer)(?!\w)[^.!?\n]{0,60}?(?<!\w)(?:was|were|war|waren)"
                        r"(?!\w)", re.IGNORECASE)  # "the hotel you booked for us in Rome was dirty"


def after_the_stay(intent: Intent, text: str) -> Intent:
    """A text about a stay that is over, asking for what follows one (a refund, the invoice,
    a complaint heard) and for no room, is no hotel request (CONVENTIONS: complaints, expense
    reports): `not_hotel`."""
    if intent in ("new_booking", "modification") and _AFTER_STAY.search(text) \
            and _PAST_STAY.search(text) and not _asks_for_a_room(text):
        return "not_hotel"
    return intent


def final_intent(model: Intent, text: str, quote: str | None, answered_end: int) -> Intent:
    """The model's intent as the thread and the words read it: an answer to the agency's open
    question is a new booking (`extractor.thread`), a reply changing the quoted booking a
    modification (`change_intent`), a reply cancelling it a cancellation (`cancel_intent`),
    cancelling one night a change (`cut_night`), and a text about a stay that is over no
    request (`after_the_stay`). `quote` is the quoted history of `text`,
    whose answered message ends at `answered_end`."""
    intent = change_intent(answer_intent(model, quote, answered_end), text, quote)
    if quote is None:  # a reply's words may ask about the quoted booking, not for a new one
        intent = after_the_stay(asks_for_room(intent, text), text)
    return no_action(cut_night(cancel_intent(intent, text, quote), text), text)
