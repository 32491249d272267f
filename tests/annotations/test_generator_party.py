"""Who travels in generated emails (issue 15): the writer who asks for themselves and signs is
the guest, a booker for others is not, and the counts that follow are marked implied."""

from __future__ import annotations

import re

import pytest

from annotations.generator import generate
from annotations.schema import AnnotatedEmail
from annotations.validate import validate

N = 1500
_TITLE = re.compile(r"^(Dr\.?|Prof\.|Mag\.|DI|Ing\.|Herrn?|Frau|Mrs?\.?|Ms\.?)\s")


@pytest.fixture(scope="module")
def bookings() -> list[AnnotatedEmail]:
    return [e for e in generate(N, seed=21) if e.form.intent == "new_booking"]


def _signed_traveller(e: AnnotatedEmail) -> bool:
    stay = e.form.stays[0]
    return "traveler_names" in stay.implied


def test_many_writers_book_for_themselves_and_some_for_others(bookings) -> None:
    own = [e for e in bookings if _signed_traveller(e)]
    for_others = [e for e in bookings if e.form.stays[0].traveler_names and not
                  _signed_traveller(e)]
    assert len(own) / len(bookings) >= 0.3
    assert len(for_others) / len(bookings) >= 0.1


def test_a_lone_writer_is_one_room_one_guest_named_as_signed(bookings) -> None:
    lone = [e for e in bookings if _signed_traveller(e) and
            len(e.form.stays[0].traveler_names or []) == 1 and
            not any(s.label == "traveler_names" for s in e.spans)]
    assert len(lone) >= 100
    for e in lone:
        stay = e.form.stays[0]
        assert (stay.rooms, stay.guests) == (1, 1), e.text
        (name,) = stay.traveler_names or []
        assert name in e.text and not _TITLE.match(name)


def test_signature_titles_never_reach_the_name(bookings) -> None:
    titled = [e for e in bookings if _signed_traveller(e) and
              re.search(r"\n(Dr\.?|Prof\.( Dr\.)?|Dr\.-Ing\.|Mag\.|DI|Ing\.) \S", e.text)]
    assert titled
    for e in titled:
        assert not any(_TITLE.match(n) for n in e.form.stays[0].traveler_names or [])


def test_the_writer_and_named_others_are_all_travellers(bookings) -> None:
    # "for [[Anna Schmidt]] and me", signed Tom: both, and guests is their number
    mixed = [e for e in bookings if _signed_traveller(e) and
             any(s.label == "traveler_names" for s in e.spans)]
    assert mixed
    for e in mixed:
        stay = e.form.stays[0]
        spans = sum(s.label == "traveler_names" for s in e.spans)
        assert len(stay.traveler_names or []) >= 2
        assert stay.guests == len(stay.traveler_names or []) or spans > 1


def test_a_booker_is_no_traveller(bookings) -> None:
    booked = [e for e in bookings if e.form.stays[0].traveler_names and
              not _signed_traveller(e)]
    for e in booked:
        marked = {e.text[s.start:s.end] for s in e.spans if s.label == "traveler_names"}
        for name in e.form.stays[0].traveler_names or []:
            assert any(name in m for m in marked), (name, e.text)


def test_children_are_counted_apart_from_adults(bookings) -> None:
    families = [e for e in bookings for s in e.form.stays if s.children]
    assert families
    for e in families:
        for stay in e.form.stays:
            if stay.children:
                assert stay.guests and "children" not in stay.implied
                assert re.search(r"(?i)kind|child|kid", e.text)


def test_double_for_single_use_is_one_guest(bookings) -> None:
    single_use = [e for e in bookings if re.search(
        r"(?i)single use|sole use|Einzelnutzung|Alleinbenutzung|Alleinnutzung", e.text)]
    assert single_use
    for e in single_use:
        assert all(s.guests == 1 and s.room_type == "double" for s in e.form.stays), e.text


def test_generated_emails_validate_without_errors(bookings) -> None:
    assert [p.format() for p in validate(bookings, consistency=False)] == []


def test_own_modifications_and_cancellations_name_the_signing_writer() -> None:
    emails = list(generate(N, seed=21))
    for intent in ("modification", "cancellation"):
        changes = [e for e in emails if e.form.intent == intent]
        own = [e for e in changes if e.form.stays[0].implied == ["traveler_names"]]
        assert own, intent
        for e in own:
            assert re.search(r"(?i)\b(my|I|I'll|mein\w*|ich)\b", e.text)
    # a cancellation implies nothing else but the one room it names in words ("cancel the
    # room"), as CONVENTIONS lists a cancellation's rooms
    cancels = [e for e in emails if e.form.intent == "cancellation"]
    assert all(set(s.implied) <= {"traveler_names", "rooms"} for e in cancels
               for s in e.form.stays)
    one_room = [s for e in cancels for s in e.form.stays if "rooms" in s.implied]
    assert one_room and all(s.rooms == 1 for s in one_room)
