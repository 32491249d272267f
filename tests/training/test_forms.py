"""Form sets: loading them, judging a form by the conventions, and calibrating on them."""

import argparse
import datetime as dt
import json
import shutil
from email.message import EmailMessage
from pathlib import Path

import pytest

from annotations.generator import generate
from annotations.schema import write_jsonl
from extractor.form import Price
from extractor.pipeline import Extractor
from stayform.cli import UserError
from training.commands import run_calibrate
from training.config import TrainConfig
from training.forms import judge_form, judge_form_set, load_form_set, same_as_expected

ASK = ("Please book me a single room in Munich from 3 to 5 May 2027, max 150 EUR per night. "
       "Thanks, Anna Berg")
SENT = dt.datetime(2027, 1, 5, 9, 0, tzinfo=dt.UTC)


@pytest.fixture(scope="module")
def booking(booking_model_dir) -> Extractor:
    return Extractor.load(booking_model_dir)


def _eml(text: str, message_id: str) -> bytes:
    msg = EmailMessage()
    msg["From"] = "Anna Berg <anna@example.com>"
    msg["To"] = "travel@example.com"
    msg["Date"] = "Tue, 05 Jan 2027 09:00:00 +0000"
    msg["Message-ID"] = f"<{message_id}>"
    msg["Subject"] = "Hotel"
    msg.set_content(text)
    return bytes(msg)


def _form_folder(d: Path, expected: list[dict]) -> Path:
    d.mkdir()
    for k, e in enumerate(expected):
        (d / e["file"]).write_bytes(_eml(ASK, f"m{k}@example.com"))
    (d / "expected.jsonl").write_text("".join(json.dumps(e) + "\n" for e in expected))
    return d


def test_places_and_names_compare_as_a_clerk_reads_them():
    assert same_as_expected("destination", "München", "munchen, Germany")
    assert same_as_expected("near", "Messe München, Halle B2", "Messe München")  # a short form
    assert not same_as_expected("near", "Wilhelminakade 1", "our client's office at the port")
    assert same_as_expected("traveler_names", ["Anna Berg", "Jonas Weber"],
                            ["jonas weber", "Anna Berg"])
    assert not same_as_expected("traveler_names", ["Anna Berg"], ["Anna Berg", "Jonas Weber"])


def test_an_expected_null_must_stay_empty_and_counts_are_exact():
    assert same_as_expected("hotel_name", None, None)
    assert not same_as_expected("hotel_name", None, "Hotel Adlon")
    assert same_as_expected("rooms", 2, 2) and not same_as_expected("rooms", 2, 1)
    assert same_as_expected("check_in", "2027-05-03", dt.date(2027, 5, 3))
    assert same_as_expected("breakfast", False, False) and not same_as_expected(
        "breakfast", True, False)


def test_a_one_night_budget_may_be_per_night_or_per_stay():
    per_stay = Price(amount=150, currency="EUR", per="stay")
    want = {"amount": 150, "currency": "EUR", "per": "night"}
    assert same_as_expected("max_price", want, per_stay, one_night=True)
    assert not same_as_expected("max_price", want, per_stay)
    assert not same_as_expected("max_price", want, Price(amount=150, currency="CHF", per="night"))


def test_a_form_is_judged_field_by_field_with_who_filled_each(booking):
    result = booking.extract_text(ASK, received_at=SENT)
    judged = judge_form(result, {"intent": "new_booking", "stays": [
        {"room_type": "double", "rooms": 1, "traveler_names": ["Anna Berg"],
         "max_price": {"amount": 150, "currency": "EUR", "per": "night"}}]})
    by_field = {o.field: o for o in judged.outcomes}
    assert by_field["new_booking"].kind == "intent" and by_field["new_booking"].correct
    assert by_field["room_type"].kind == "rules" and not by_field["room_type"].correct
    assert by_field["traveler_names"].kind == "derived" and by_field["traveler_names"].correct
    assert by_field["hotel_name"].kind == "absent" and by_field["hotel_name"].correct  # unjudged
    assert not judged.right
    assert judged.blocked  # no dates: to review whatever the confidences


def test_stays_missed_or_made_up_make_the_form_wrong(booking):
    result = booking.extract_text(ASK, received_at=SENT)
    two = judge_form(result, {"intent": "new_booking", "stays": [{"rooms": 1}, {"rooms": 1}]})
    assert [o.kind for o in two.outcomes].count("stay_missed") == 1 and not two.right
    none = judge_form(result, {"intent": "new_booking", "stays": []})
    assert [o.kind for o in none.outcomes].count("stay_made_up") == 1 and not none.right


def test_a_folder_of_mail_and_a_file_of_texts_are_form_sets(booking, tmp_path):
    expected = [{"file": "a.eml", "intent": "new_booking", "stays": [{"rooms": 1}]}]
    folder = _form_folder(tmp_path / "mail", expected)
    [judged] = judge_form_set(booking, load_form_set(folder))
    assert judged.right
    texts = tmp_path / "chat"
    texts.mkdir()
    (texts / "chat.jsonl").write_text(json.dumps(
        {"id": "c1", "text": ASK, "received_at": SENT.isoformat()}) + "\n")
    (texts / "expected.jsonl").write_text(json.dumps(
        {"file": "c1.eml", "intent": "not_hotel", "stays": []}) + "\n")
    [case] = load_form_set(texts / "chat.jsonl")
    assert case.item.text == ASK and case.expected["intent"] == "not_hotel"


def test_a_form_set_missing_a_labelled_file_is_refused(tmp_path):
    folder = _form_folder(tmp_path / "mail", [{"file": "a.eml", "intent": "not_hotel",
                                               "stays": []}])
    (folder / "a.eml").unlink()
    with pytest.raises(ValueError, match="1 labelled files missing, first a.eml"):
        load_form_set(folder)
    with pytest.raises(ValueError, match="no expected.jsonl"):
        load_form_set(tmp_path)


def test_calibrate_refits_a_model_folder_on_dev_and_form_sets(booking_model_dir, tmp_path,
                                                              monkeypatch, capsys):
    model = tmp_path / "model"
    shutil.copytree(booking_model_dir, model)
    emails = list(generate(12, seed=4))
    write_jsonl(tmp_path / "train.jsonl", emails[:8])
    write_jsonl(tmp_path / "dev.jsonl", emails[8:])
    cfg = TrainConfig(base_model=str(booking_model_dir), train_files=["train.jsonl"],
                      dev_files=["dev.jsonl"], max_length=64, stride=16)
    (model / "train_config.json").write_text(cfg.model_dump_json())
    _form_folder(tmp_path / "forms", [
        {"file": f"m{k}.eml", "intent": "new_booking", "stays": [{"rooms": 1}]} for k in range(3)])
    monkeypatch.chdir(tmp_path)
    assert run_calibrate(argparse.Namespace(model=str(model), forms=["forms"])) == 0
    report = json.loads(capsys.readouterr().out)
    assert report["form_set_emails"] == 3 and report["emails"] == 4
    assert json.loads((model / "calibration.json").read_text())["maps"]
    assert json.loads((model / "train_config.json").read_text())["calibration_forms"] == ["forms"]
    with pytest.raises(UserError, match="no form set"):
        run_calibrate(argparse.Namespace(model=str(model), forms=["train.jsonl"]))
