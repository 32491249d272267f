"""W201 consistency: same text labelled differently, identical sentences labelled unevenly."""

from __future__ import annotations

from annotations.consistency import find_inconsistencies, label_conflicts, unlabelled_repeats
from annotations.markup import parse_markup
from annotations.schema import AnnotatedEmail
from extractor.form import FormValues


def _email(ident: str, markup: str) -> AnnotatedEmail:
    text, spans = parse_markup(markup)
    return AnnotatedEmail(id=ident, text=text, spans=spans, origin="handwritten",
                          form=FormValues(intent="not_hotel"))


def test_minority_label_of_the_same_text_is_flagged() -> None:
    emails = [
        _email("a", "Hotel near the [[Messe|near]] please."),
        _email("b", "Something close to the [[messe|near]]."),
        _email("c", "A room at the [[Messe|destination]] for two nights."),
    ]
    found = label_conflicts(emails)
    assert [(x.index, x.message) for x in found] == [
        (2, "'Messe' labelled destination here but near in 2 other span(s), e.g. id a")]


def test_arrival_and_departure_dates_and_bare_numbers_are_no_conflict() -> None:
    emails = [
        _email("a", "Ab [[Freitag|check_in]] bitte [[2|rooms]] Zimmer."),
        _email("b", "Bis [[Freitag|check_out]] für [[2|guests]] Personen."),
    ]
    assert label_conflicts(emails) == []


def test_an_identical_sentence_left_unlabelled_is_flagged() -> None:
    emails = [
        _email("a", "Hi.\nWe need a room in [[Munich|destination]] from [[3. Mai|check_in]] on. "
                    "Thanks!"),
        _email("b", "Hello.\nWe need a room in Munich from 3. Mai on. Thanks!"),
        _email("c", "We need a room in Munich from 3. Mai on, please."),  # another sentence
    ]
    found = unlabelled_repeats(emails)
    assert [(x.index, x.message) for x in found] == [
        (1, "'Munich' unlabelled here but labelled in the same sentence as destination in id a"),
        (1, "'3. Mai' unlabelled here but labelled in the same sentence as check_in in id a"),
    ]


def test_the_same_sentence_labelled_alike_everywhere_is_fine() -> None:
    markup = "Bitte ein Zimmer in [[Köln|destination]]. Danke."
    emails = [_email("a", markup), _email("b", "Hallo! " + markup), _email("c", markup)]
    assert find_inconsistencies(emails) == []


def test_both_kinds_together_are_ordered_by_email() -> None:
    emails = [
        _email("a", "Room near the [[Messe|hotel_name]]."),
        _email("b", "Room near the [[Messe|near]]. Also [[Messe|near]] again."),
        _email("c", "Room near the Messe."),
    ]
    found = find_inconsistencies(emails)
    assert [x.index for x in found] == [0, 2]
    assert "labelled hotel_name here but near" in found[0].message
    assert found[1].message == ("'Messe' unlabelled here but labelled in the same sentence as "
                                "hotel_name in id a, near in id b")
