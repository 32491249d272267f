"""Perturbed training copies keep every span on the characters it labelled."""

import random

import pytest

from annotations.schema import AnnotatedEmail, FormValues, Span
from training.augment import fold_umlauts, lowercase, perturbed_copies, swap_letters

TEXT = "Bitte ein Zimmer in München für Frau Jäger, Frühstück inklusive. Grüße"


def _email(text: str = TEXT, origin: str = "handwritten") -> AnnotatedEmail:
    spans = [Span(start=text.index(word), end=text.index(word) + len(word), label=label)
             for word, label in (("München", "destination"), ("Frau Jäger", "traveler_names"),
                                 ("Frühstück inklusive", "breakfast")) if word in text]
    return AnnotatedEmail(id="e1", text=text, origin=origin, spans=spans,
                          form=FormValues(intent="new_booking"))


def _covered(email: AnnotatedEmail) -> list[str]:
    return [email.text[s.start:s.end] for s in email.spans]


def test_a_keyboard_without_umlauts_moves_the_spans_with_the_letters():
    copy = fold_umlauts(_email(), random.Random(1))
    assert "fuer" in copy.text and "Gruesse" in copy.text
    assert _covered(copy) == ["Muenchen", "Frau Jaeger", "Fruehstueck inklusive"]
    assert [s.text for s in copy.spans] == _covered(copy)
    assert copy.id == "e1~umlauts" and copy.form == _email().form


def test_swapped_letters_keep_lengths_and_spare_the_first_letter():
    copy = swap_letters(_email(), random.Random(3), share=1.0)
    assert len(copy.text) == len(TEXT) and copy.text != TEXT
    for old, new in zip(TEXT.split(), copy.text.split(), strict=True):
        assert old[0] == new[0] and sorted(old) == sorted(new)
    assert [(s.start, s.end) for s in copy.spans] == [(s.start, s.end) for s in _email().spans]


def test_lowercase_leaves_a_letter_whose_lowercase_is_longer():
    copy = lowercase(_email("İzmir ve München"), random.Random(0))
    assert copy.text == "İzmir ve münchen"


@pytest.mark.parametrize("count", [0, 3, 7])
def test_copies_come_from_hand_written_mail_only_and_are_seeded(count: int):
    emails = [_email(), _email(origin="generated").model_copy(update={"id": "g1"}),
              _email("Please book Leeds, 3-5 May, single room").model_copy(update={"id": "e2"})]
    first = perturbed_copies(emails, count, seed=5)
    assert len(first) == count
    assert all(not c.id.startswith("g1") for c in first)
    assert [c.text for c in first] == [c.text for c in perturbed_copies(emails, count, seed=5)]
