"""Perturbed training copies keep every span on the characters it labelled."""

import random

import pytest

from annotations.schema import AnnotatedEmail, FormValues, Span
from extractor.form import StayValues
from training.augment import (
    bystander_copies,
    fold_umlauts,
    lowercase,
    perturbed_copies,
    renamed,
    renamed_copies,
    swap_letters,
    with_bystander,
)

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


LETTER = "Hallo,\n\nbitte ein Zimmer in München für Frau Jäger.\n\nFrühstück inklusive.\n\nGrüße\nPia"


def _letter() -> AnnotatedEmail:
    email = _email(LETTER)
    stay = StayValues(destination="Munich", traveler_names=["Jäger"])
    return email.model_copy(update={"language": "de",
                                    "form": FormValues(intent="new_booking", stays=[stay])})


def test_a_person_who_does_not_stay_is_a_paragraph_of_its_own_and_no_span():
    for seed in range(20):
        copy = with_bystander(_letter(), random.Random(seed))
        assert copy is not None and copy.id == "e1~bystander"
        assert _covered(copy) == ["München", "Frau Jäger", "Frühstück inklusive"]
        added = [p for p in copy.text.split("\n\n") if p not in LETTER.split("\n\n")]
        assert len(added) == 1 and "Jäger" not in added[0]
        assert copy.text.endswith("\n\nGrüße\nPia")  # never below the sign-off's break
        assert copy.form == _letter().form


def test_mail_without_a_paragraph_break_gets_no_bystander():
    assert with_bystander(_email(), random.Random(0)) is None
    one = [_email(), _letter().model_copy(update={"id": "e2"})]
    copies = bystander_copies(one, 3, seed=1)
    assert [c.id for c in copies] == ["e2~bystander"] * 3
    assert [c.text for c in copies] == [c.text for c in bystander_copies(one, 3, seed=1)]


SIGNED = ("Hi, please book a single in Leeds for Mr. Daniel Okafor and Frau Anna Rose, 3-5 May. "
          "A rose for the room, please.\n\nThanks, Daniel (DANIEL OKAFOR)")


def _signed() -> AnnotatedEmail:
    spans = [Span(start=SIGNED.index(w), end=SIGNED.index(w) + len(w), label="traveler_names")
             for w in ("Mr. Daniel Okafor", "Frau Anna Rose")]
    spans.append(Span(start=SIGNED.index("Leeds"), end=SIGNED.index("Leeds") + 5,
                      label="destination"))
    return AnnotatedEmail(id="e3", text=SIGNED, origin="handwritten", spans=spans,
                          form=FormValues(intent="new_booking"))


@pytest.mark.parametrize("seed", range(5))
def test_renamed_travellers_are_renamed_everywhere_their_titles_and_the_rest_kept(seed: int):
    copy = renamed(_signed(), random.Random(seed))
    assert copy is not None and copy.id == "e3~renamed"
    assert [s.text for s in copy.spans] == _covered(copy)
    first, second, city = _covered(copy)
    assert first.startswith("Mr. ") and second.startswith("Frau ") and city == "Leeds"
    assert not {"Daniel", "Okafor", "Anna", "Rose"} & set(first.split() + second.split())
    given, surname = first.split()[1:]
    # the sign-off follows the span, in the case it is written: "Daniel" and "DANIEL OKAFOR"
    assert copy.text.endswith(f"Thanks, {given} ({given.upper()} {surname.upper()})")
    assert "A rose for the room" in copy.text  # a common word in lowercase is no name


def test_mail_without_a_traveller_gets_no_renamed_copy_and_copies_are_seeded():
    assert renamed(_email("Bitte ein Zimmer in München"), random.Random(0)) is None
    emails = [_email("Bitte ein Zimmer in München"), _signed()]
    copies = renamed_copies(emails, 3, seed=2)
    assert [c.id for c in copies] == ["e3~renamed"] * 3
    assert [c.text for c in copies] == [c.text for c in renamed_copies(emails, 3, seed=2)]
    assert renamed_copies(emails, 0, seed=2) == []
