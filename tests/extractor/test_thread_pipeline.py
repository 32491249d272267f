"""Threads and implied values end to end: real emails through the real pipeline.

The model is the tiny one of `tests/conftest.py` with only O tags and one intent (every text
is that intent), so that the rules fill the form and what these tests see is the reader, the
implied-values step and the thread step at work, not a trained model's luck.
"""

from pathlib import Path

import pytest
import torch
from transformers import BertForTokenClassification

from extractor.pipeline import Extractor
from extractor.tags import LABEL2ID
from tests.conftest import build_booking_model

THREADS = Path(__file__).parent / "fixtures" / "threads"


def _extractor(root: Path, intent: str) -> Extractor:
    path = build_booking_model(root / intent)
    model = BertForTokenClassification.from_pretrained(path)
    with torch.no_grad():
        model.classifier.bias[LABEL2ID["INTENT-new_booking"]] = 0.0
        model.classifier.bias[LABEL2ID[f"INTENT-{intent}"]] = 10.0
    model.save_pretrained(path)
    return Extractor.load(path)


@pytest.fixture(scope="module")
def reads_as(tmp_path_factory: pytest.TempPathFactory):
    root = tmp_path_factory.mktemp("intent-models")
    made: dict[str, Extractor] = {}

    def get(intent: str) -> Extractor:
        if intent not in made:
            made[intent] = _extractor(root, intent)
        return made[intent]

    return get


def extract(reads_as, intent: str, name: str):
    return reads_as(intent).extract_email((THREADS / name).read_bytes())


def values(stay):
    return {name: (stay.field(name).value, stay.field(name).source)
            for name in type(stay).model_fields if stay.field(name).value is not None}


def test_the_sender_asking_for_a_room_is_the_guest_with_the_from_header_name(reads_as):
    result = extract(reads_as, "new_booking", "sender-is-guest-en.eml")
    [stay] = result.stays
    assert stay.traveler_names.value == ["Daniel Okafor"]  # signed "Daniel"
    assert stay.traveler_names.source == "derived"
    assert (stay.rooms.value, stay.guests.value) == (1, 1)
    assert result.sender is not None and result.sender.name == "Daniel Okafor"
    assert [s.kind for s in result.segments] == ["new"]


def test_an_inline_forward_is_the_request_and_the_forwarders_line_adds_to_it(reads_as):
    result = extract(reads_as, "new_booking", "forward-inline-de.eml")
    assert [(s.kind, s.author) for s in result.segments] == [
        ("new", "Heike Arnold"), ("forwarded", "Dr. Anna Weber")]
    [stay] = result.stays
    got = values(stay)
    # "bitte für Frau Weber buchen": the forwarder names her, the original's author completes
    # the first name
    assert got["traveler_names"] == (["Anna Weber"], "rules")
    assert got["room_type"] == ("single", "rules")  # from the forwarded original
    assert got["breakfast"] == (True, "rules")  # the forwarder's addition
    forwarded = result.segments[1]
    [ev] = stay.room_type.evidence
    assert forwarded.start <= ev.start < ev.end <= forwarded.end


def test_an_attached_forward_is_read_and_the_forwarder_overrides_breakfast(reads_as):
    result = extract(reads_as, "new_booking", "forward-attached-en.eml")
    assert [(s.kind, s.author) for s in result.segments] == [
        ("new", "Office Ingenia"), ("forwarded", "Tomás Ruiz")]
    [stay] = result.stays
    assert stay.traveler_names.value == ["Tomás Ruiz"]
    assert stay.breakfast.value is False
    assert (stay.rooms.value, stay.guests.value) == (1, 1)


def test_a_reply_to_a_confirmation_carries_the_quoted_booking(reads_as):
    result = extract(reads_as, "modification", "reply-to-confirmation-en.eml")
    new, quoted = result.segments
    assert (new.kind, quoted.kind, quoted.author) == ("new", "quoted", "Reservas")
    assert quoted.sent_at is not None and quoted.sent_at.day == 9
    # the quote is read apart from the reply: only the reply's words decide the intent
    assert "we confirm" in result.text[quoted.start : quoted.end]
    [stay] = result.stays
    assert stay.room_type.value == "single" and stay.room_type.source == "history"
    [ev] = stay.room_type.evidence
    assert quoted.start <= ev.start < ev.end <= quoted.end


def test_a_booking_confirmed_to_the_sender_of_the_change_is_theirs(reads_as):
    # "Dear Ms Carvalho, we confirm your single room" quoted under Ines Carvalho's change
    result = extract(reads_as, "modification", "reply-to-confirmation-en.eml")
    [stay] = result.stays
    assert stay.traveler_names.value == ["Ines Carvalho"]
    [new, quoted] = result.segments
    [ev] = stay.traveler_names.evidence
    assert result.text[ev.start : ev.end] == "Carvalho" and quoted.start <= ev.start


def test_a_cancellation_by_reply_names_the_booking_only_its_quote_gives(reads_as):
    result = extract(reads_as, "cancellation", "cancellation-by-reply-de.eml")
    [stay] = result.stays
    assert stay.rooms.value == 2 and stay.rooms.source == "history"
    assert stay.check_out.value is not None and stay.check_out.source == "history"
    assert stay.room_type.value is None  # what goes, not wishes
    assert (stay.guests.value, stay.guests.source) == (2, "history")  # "2 EZ": two adults
    assert not [r for r in result.review_reasons if r.startswith("missing:")]


def test_my_own_request_quoted_under_the_agencys_question_makes_me_the_guest(reads_as):
    # the quote holds the agency's question (signed by the agency) above the sender's own
    # request: who asks is read in the sender's message, not at the agency's sign-off
    result = extract(reads_as, "new_booking", "answer-with-own-request-quoted-de.eml")
    [stay] = result.stays
    assert stay.traveler_names.value == ["Jonas Kessler"]
    assert stay.traveler_names.source == "history"
    [ev] = stay.traveler_names.evidence
    assert result.text[ev.start : ev.end] == "Jonas" and ev.start > result.segments[-1].start
    assert (stay.rooms.value, stay.guests.value) == (1, 1)


def test_a_short_answer_read_as_no_request_still_completes_the_quoted_one(reads_as):
    # "Ulm, bitte." alone reads as nothing to book; under the agency's open question it is
    # the answer that completes the quoted request
    result = extract(reads_as, "not_hotel", "answer-with-own-request-quoted-de.eml")
    assert result.intent == "new_booking"
    [stay] = result.stays
    assert stay.room_type.value == "single" and stay.traveler_names.value == ["Jonas Kessler"]


def test_a_forwarded_request_in_the_first_person_is_its_authors_not_the_forwarders(reads_as):
    # "I would add breakfast" is the forwarder's; "get me a single room" the original author's
    result = extract(reads_as, "new_booking", "forward-own-request-en.eml")
    [stay] = result.stays
    assert stay.traveler_names.value == ["Richard Fowler"]
    assert stay.traveler_names.source == "derived"
    assert (stay.rooms.value, stay.guests.value) == (1, 1)


def test_a_forwarder_who_travels_is_the_guest_not_the_author_of_the_forwarded_tip(reads_as):
    # the forwarded mail speaks in the first person ("Ich war im Herbst im Hotel ...") but
    # asks for nothing; the forwarder asks for herself and a colleague she names
    result = extract(reads_as, "new_booking", "forward-tip-forwarder-travels-de.eml")
    [stay] = result.stays
    assert sorted(stay.traveler_names.value) == ["Felix Brauer", "Jonas Keller"]
