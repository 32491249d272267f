"""The extractor end to end on a tiny random model: the result contract holds whatever the
model predicts, bad input becomes an error record, bad model folders a clear error."""

import datetime as dt
import json
import re
import shutil
from pathlib import Path

import numpy as np
import pytest

from extractor.form import (
    CANCELLATION_FIELDS,
    FIELDS,
    INTENTS,
    STAY_FIELDS,
    ExtractionResult,
    Segment,
)
from extractor.model import TextScores
from extractor.pipeline import Extractor, ModelLoadError, Prepared
from extractor.requester import forwarders_sign_offs
from extractor.tags import LABEL2ID, N_BIO

EMAIL = (b"From: Anna <anna@example.com>\r\nTo: travel@agency.example\r\n"
         b"Subject: Hotel Munich\r\nDate: Mon, 20 Apr 2026 09:12:00 +0200\r\n"
         b"Message-ID: <abc123@example.com>\r\nContent-Type: text/plain; charset=utf-8\r\n\r\n"
         b"Hi, please book a hotel in Munich from 3 to 5 May, 2 EZ, max 150 EUR, "
         b"inkl. Fr\xc3\xbchst\xc3\xbcck.\r\n")


@pytest.fixture(scope="module")
def extractor(tiny_model_dir: Path) -> Extractor:
    return Extractor.load(tiny_model_dir)


def check_contract(result: ExtractionResult) -> None:
    data = json.loads(result.model_dump_json())
    ExtractionResult.model_validate(data)  # round-trips through the schema
    for stay in data["stays"]:
        assert list(stay) == list(STAY_FIELDS)
        for field in stay.values():
            assert 0.0 <= field["confidence"] <= 1.0
            for ev in field["evidence"]:
                assert 0 <= ev["start"] <= ev["end"] <= len(data["text"])


def test_text_is_returned_unchanged(extractor):
    text = "  need a hotel in sydney,\n checking in next friday for 3 nights  "
    result = extractor.extract_text(text, received_at=dt.datetime(2026, 4, 20, tzinfo=dt.UTC))
    assert result.text == text
    assert result.id.startswith("sha256:")
    check_contract(result)


def test_email_uses_message_id_and_date(extractor):
    result = extractor.extract_email(EMAIL)
    assert result.id == "abc123@example.com"
    assert result.received_at == dt.datetime(2026, 4, 20, 9, 12,
                                             tzinfo=dt.timezone(dt.timedelta(hours=2)))
    assert "Munich" in result.text
    check_contract(result)


def test_empty_batch(extractor):
    assert extractor.extract_prepared([]) == []


@pytest.mark.parametrize("raw", [b"", b"\x00\xff" * 100, b"not an email at all"])
def test_unreadable_input_is_an_error_record_or_a_result(extractor, raw):
    result = extractor.extract_email(raw)
    check_contract(result)
    if result.status == "error":
        assert result.stays == [] and result.error is not None and result.error.code


# `check` (the batch command's, before its workers load the model) refuses what `load` does
LOADERS = pytest.mark.parametrize("load", [Extractor.load, Extractor.check],
                                  ids=["load", "check"])


@LOADERS
def test_missing_model_folder(tmp_path, load):
    with pytest.raises(ModelLoadError, match="not found"):
        load(tmp_path / "nope")


@LOADERS
def test_pickle_only_model_folder_is_refused(tmp_path, tiny_model_dir, load):
    folder = tmp_path / "pickled"
    shutil.copytree(tiny_model_dir, folder)
    (folder / "model.safetensors").rename(folder / "pytorch_model.bin")
    with pytest.raises(ModelLoadError, match="pickle"):
        load(folder)


@LOADERS
def test_corrupt_weights_are_a_clear_error(tmp_path, tiny_model_dir, load):
    folder = tmp_path / "corrupt"
    shutil.copytree(tiny_model_dir, folder)
    (folder / "model.safetensors").write_bytes(b"garbage")
    with pytest.raises(ModelLoadError, match="cannot be loaded"):
        load(folder)


@LOADERS
def test_corrupt_calibration_is_a_clear_error(tmp_path, tiny_model_dir, load):
    folder = tmp_path / "badcal"
    shutil.copytree(tiny_model_dir, folder)
    (folder / "calibration.json").write_text("{not json")
    with pytest.raises(ModelLoadError, match="calibration"):
        load(folder)


@LOADERS
def test_a_model_of_other_labels_is_refused(tmp_path, tiny_model_dir, load):
    folder = tmp_path / "labels"
    shutil.copytree(tiny_model_dir, folder)
    config = json.loads((folder / "config.json").read_text())
    config["id2label"]["1"] = "B-planet"  # the same head, a label this stayform lacks
    config["label2id"] = {v: int(k) for k, v in config["id2label"].items()}
    (folder / "config.json").write_text(json.dumps(config))
    with pytest.raises(ModelLoadError, match="other labels"):
        load(folder)


def test_check_accepts_a_loadable_folder(tiny_model_dir):
    Extractor.check(tiny_model_dir)


def test_long_email_is_windowed_not_truncated(extractor):
    text = "Hello.\n" * 400 + "Hotel in Hamburg please."
    result = extractor.extract_text(text)
    check_contract(result)
    scores = extractor.tagger.score([text])[0]
    assert scores.word_end.max() == len(text)  # the last word (the final ".") was scored
    assert len(scores.word_probs) == 805  # 400 x ("Hello", ".") + "Hotel in Hamburg please ."


def test_batches_keep_to_the_token_budget_and_the_row_cap(tiny_model_dir):
    from extractor.model import TokenTagger

    tagger = TokenTagger.load(tiny_model_dir)
    tagger.max_tokens = 100
    widths = [130, 50, 50, 40, 20, 20, 20, 20, 20, 10]  # sorted longest first
    batches = tagger._batches(widths, 4)
    assert [list(b) for b in batches] == [[0], [1, 2], [3, 4], [5, 6, 7, 8], [9]]
    assert all(len(b) * widths[b[0]] <= 100 or len(b) == 1 for b in batches)


def test_scores_do_not_depend_on_how_texts_are_batched(tiny_model_dir):
    from extractor.model import TokenTagger

    tagger = TokenTagger.load(tiny_model_dir)
    texts = ["Hotel in Rome", "two rooms in Paris from 3 to 5 May " * 8, "hi", "ok then " * 40]
    wide = tagger.logits(texts, batch_size=64)
    tagger.max_tokens = 1
    narrow = tagger.logits(texts, batch_size=1)
    for a, b in zip(wide[0] + wide[1], narrow[0] + narrow[1], strict=True):
        assert np.allclose(a, b, atol=1e-4)


def test_a_cancellation_keeps_only_what_identifies_the_booking(extractor):
    # the rules find rooms, room type and a count in "3 DZ (6 Personen)"; in a cancellation
    # they say what goes, not a wish, so its stay holds only city, dates, nights and hotel
    text = "Wir stornieren das Kontingent in Rostock vom 14. bis 16. Juni, 3 DZ (6 Personen)."
    words = [(m.start(), m.end()) for m in re.finditer(r"\S+", text)]
    probs = np.zeros((len(words), N_BIO), dtype=np.float32)
    probs[:, LABEL2ID["O"]] = 1.0
    rostock = next(k for k, (s, _) in enumerate(words) if text[s:].startswith("Rostock"))
    probs[rostock] = np.eye(N_BIO)[LABEL2ID["B-destination"]]

    def finished(intent: str) -> dict:
        scores = TextScores(word_start=np.array([s for s, _ in words]),
                            word_end=np.array([e for _, e in words]), word_probs=probs,
                            intent_probs=np.eye(len(INTENTS))[INTENTS.index(intent)])
        [result] = extractor.finish([Prepared(id="x", text=text,
                                              received_at=dt.datetime(2026, 5, 2, tzinfo=dt.UTC))],
                                    [scores])
        check_contract(result)
        return {k: v.value for k, v in result.stays[0]} if result.stays else {}

    booked = finished("new_booking")
    assert (booked["rooms"], booked["room_type"], booked["guests"]) == (3, "double", 6)
    cancelled = finished("cancellation")
    assert cancelled["destination"] == "Rostock"
    assert {f for f, v in cancelled.items() if v is not None} <= CANCELLATION_FIELDS


def test_a_huge_text_is_read_up_to_its_cut_and_goes_to_review(extractor):
    from extractor.pipeline import MAX_READ_CHARS

    line = "Hotel in Hamburg vom 3. bis 5. Mai, 2 EZ, max. 150 EUR.\n"
    text = line * (2 * MAX_READ_CHARS // len(line))
    item = Prepared(id="x", text=text, received_at=dt.datetime(2026, 4, 20, tzinfo=dt.UTC))
    assert len(item.read) <= MAX_READ_CHARS and text.startswith(item.read)
    assert item.read.endswith("EUR.")  # cut at a line's end
    [result] = extractor.extract_prepared([item])
    assert result.text == text  # the caller's text, unchanged
    assert "text_cut" in result.warnings and "defect:text_cut" in result.review_reasons
    assert result.status == "needs_review"
    check_contract(result)
    spans = [ev for stay in result.stays for f in FIELDS for ev in stay.field(f).evidence]
    assert all(ev.end <= len(item.read) for ev in spans)
    short = Prepared(id="y", text=line)
    assert short.read == line and short.notes == ()


def test_the_sender_comes_from_the_from_header_and_is_null_for_text(extractor):
    result = extractor.extract_email(EMAIL)
    assert result.sender is not None
    assert (result.sender.name, result.sender.address) == ("Anna", "anna@example.com")
    assert extractor.extract_text("Hotel in Rome, 3-5 May").sender is None
    nameless = EMAIL.replace(b"From: Anna <anna@example.com>", b"From: anna@example.com")
    assert extractor.extract_email(nameless).sender.model_dump() == {
        "name": None, "address": "anna@example.com"}


def test_text_input_is_read_as_carefully_as_mail(extractor):
    # a disclaimer or contact block after a text given as is is no more read than in an .eml
    text = "Hotel in Hamburg vom 3. bis 5. Mai, 2 EZ, max. 150 EUR.\n\nViele Grüße\nJana"
    tail = ("\n\nThis e-mail and any attachments are confidential and intended solely for the "
            "addressee. If you have received it in error, please notify the sender.")
    received = dt.datetime(2026, 4, 20, tzinfo=dt.UTC)
    plain = extractor.extract_text(text, received_at=received)
    noisy = extractor.extract_text(text + tail, received_at=received)
    assert noisy.text == text + tail  # the caller's text: offsets index into it
    assert [s.values() for s in noisy.stays] == [s.values() for s in plain.stays]
    assert Prepared.of_text("x", text + tail).read.rstrip() == text
    assert Prepared.of_text("x", text).own_end is None


def test_a_replys_quoted_history_in_text_input_is_read_apart_as_the_booking_it_changes():
    quote = "> Bestätigung: Hotel Adler, Ulm, 1 EZ, 4.-6. März 2026, Gast: Eva Roth"
    reply = "Bitte auf ein DZ ändern, mein Mann Jan Roth kommt mit. Danke, Eva Roth"
    for text in (f"{quote}\n\n{reply}", f"{reply}\n\nAm 1. März 2026 schrieb RB Süd:\n{quote}"):
        item = Prepared.of_text("x", text)
        # the quote is not read as the request; its offsets still index into the text
        assert "Adler" not in item.read and len(item.read) <= len(text)
        assert item.quoted is not None and "Hotel Adler" in item.quoted.text
        assert text[item.quoted_start:].startswith(item.quoted.text)
        assert [s.kind for s in item.segments] == (["quoted", "new"] if text.startswith(">")
                                                   else ["new", "quoted"])


def test_a_forwarder_signing_with_a_bare_first_name_signs_and_does_not_stay():
    note = "Morning,\n\ncan you book something for Sean? He'd like breakfast.\n\nMegan"
    original = "\n\nMegan, I'm in Brussels next week. Could you book me a room? Sean"
    text = note + original
    item = Prepared(id="x", text=text, segments=(
        Segment(start=0, end=len(note), kind="new", author="Megan Doyle"),
        Segment(start=len(note) + 2, end=len(text), kind="forwarded", author="Sean Gallagher")))
    [(start, end)] = forwarders_sign_offs(item, text)
    assert text[start:end] == "Megan" and end == len(note)
    # a note whose last line is no name of its author has no such zone
    other = Prepared(id="y", text=text, segments=(
        Segment(start=0, end=len(note), kind="new", author="Office Team"),
        item.segments[1]))
    assert forwarders_sign_offs(other, text) == ()


def test_a_forwarded_originals_date_reads_its_relative_dates_whatever_the_forwarder_adds():
    import datetime as dt

    from extractor.form import Segment
    from extractor.pipeline import Prepared, _reference
    from extractor.spans import FoundSpan
    note = "Eine Korrektur: die Abreise ist erst am Freitag, 5.9.\n\n"
    original = "wir brauchen nächste Woche von Dienstag bis Donnerstag drei Zimmer."
    text = note + original
    sent = dt.datetime(2025, 8, 28, 15, 37)
    item = Prepared("x", text, dt.datetime(2025, 9, 1, 7, 49), segments=(
        Segment(start=0, end=len(note), kind="new"),
        Segment(start=len(note), end=len(text), kind="forwarded", sent_at=sent)))

    def span(field, phrase):
        start = text.index(phrase)
        return FoundSpan(field, start, start + len(phrase), 0.9, "model")

    spans = [span("check_out", "Freitag, 5.9."), span("check_in", "Dienstag"),
             span("check_out", "Donnerstag")]
    assert _reference(item, spans, item.received_at, text) == sent.date()
    # a relative date of the forwarder's own reads against the forward's date
    own = [span("check_out", "Freitag"), span("check_in", "Dienstag")]
    assert _reference(item, own, item.received_at, text) == item.received_at.date()


def test_a_change_written_from_the_hotel_reads_its_weekdays_in_this_week():
    import datetime as dt

    from extractor.pipeline import Prepared, _reference
    from extractor.spans import FoundSpan
    text = "Bin seit Sonntag im Hyatt, eigentlich bis Samstag. Muss schon Freitag abreisen."
    item = Prepared("x", text, dt.datetime(2026, 9, 29, 8, 20))
    spans = [FoundSpan(f, text.index(w), text.index(w) + len(w), 0.9, "model")
             for f, w in (("check_in", "Sonntag"), ("check_out", "Freitag"))]
    assert _reference(item, spans, item.received_at, text, intent="modification") == dt.date(
        2026, 9, 23)
    # a new booking from a hotel the writer is at books a stay to come
    assert _reference(item, spans, item.received_at, text) == dt.date(2026, 9, 29)


def test_the_times_a_pasted_chat_writes_before_its_messages_are_not_read():
    text = ("Hotel in Kiel für Do-Sa bitte, 1 EZ\n09:21 korrektur: Fr-So\n"
            "09:23 und bitte nahe Hbf")
    read = Prepared.of_text("x", text).read
    assert "09:2" not in read and len(read) == len(text) and "korrektur: Fr-So" in read
    # one time in a text is what it says
    assert "09:21" in Prepared.of_text("x", "Ankunft 09:21, Hotel in Kiel 3.-5. Mai").read
