"""Splitting an input into items: mbox (streamed), folders of .eml, JSONL, single files."""

from __future__ import annotations

import datetime as dt
import hashlib
import io
import json
import mailbox
from pathlib import Path

import pytest

from extractor.inputs import InputError, InputItem, content_id, input_kind, iter_inputs
from extractor.mbox import is_envelope, split_mbox
from extractor.read import peek_message_id, read_email

SAMPLES = Path(__file__).parents[2] / "data" / "samples"


def email(subject: str, body: str, message_id: str | None = None) -> bytes:
    mid = f"Message-ID: <{message_id}>\n" if message_id else ""
    return (f"From: a@example.com\nSubject: {subject}\n{mid}"
            f"Date: Mon, 05 Oct 2026 09:12:00 +0200\n\n{body}").encode()


def write(path: Path, data: bytes) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(data)
    return path


def items(path: Path, **kwargs) -> list[InputItem]:
    return list(iter_inputs(path, **kwargs))


# -- mbox -------------------------------------------------------------------------------------
MBOX = (b"From anna@example.com Mon Oct  5 09:12:00 2026\n"
        + email("one", "Hello,\nFrom Munich we go on to Berlin.\n>From the escaped line\n"
                ">>From a doubly escaped line\n", "m1@x") + b"\n"
        b"From - Tue Oct 06 10:00:00 2026\n"
        + email("two", "Second body\n", "m2@x") + b"\n"
        b"From MAILER-DAEMON Wed, 7 Oct 2026 11:00:00 +0200\n"
        + email("three", "Third body\n") + b"\n")


def test_mbox_splits_only_on_envelope_lines_and_unescapes(tmp_path):
    got = items(write(tmp_path / "in.mbox", MBOX))
    assert [i.id for i in got] == ["m1@x", "m2@x", content_id(got[2].raw or b"")]
    first = read_email(got[0].raw or b"")
    assert first.text == ("Hello,\nFrom Munich we go on to Berlin.\nFrom the escaped line\n"
                          ">From a doubly escaped line")
    assert [read_email(i.raw or b"").subject for i in got] == ["one", "two", "three"]
    # The mbox's blank separator line is not part of a message.
    assert got[1].raw is not None and got[1].raw.endswith(b"Second body\n")
    assert all(i.error is None and i.defects == () for i in got)


def test_stdlib_mailbox_splits_on_the_body_line_we_keep(tmp_path):
    # CPython #93376: the reason for our own splitter.
    path = write(tmp_path / "in.mbox", MBOX)
    assert len(mailbox.mbox(path)) == 4
    assert len(items(path)) == 3


def test_crlf_mbox(tmp_path):
    got = items(write(tmp_path / "crlf.mbox", MBOX.replace(b"\n", b"\r\n")))
    assert [i.id for i in got][:2] == ["m1@x", "m2@x"]
    assert read_email(got[1].raw or b"").text == "Second body"
    assert got[0].raw is not None and b"\r\nFrom the escaped line\r\n" in got[0].raw


def test_truncated_last_message_is_yielded_and_flagged(tmp_path):
    cut_mid_body = MBOX + b"From x@y Thu Oct  8 12:00:00 2026\n" + email("four", "Room in Mun")
    got = items(write(tmp_path / "cut.mbox", cut_mid_body))
    assert len(got) == 4
    assert got[-1].defects == ("truncated",)
    assert read_email(got[-1].raw or b"").text == "Room in Mun"

    headers_only = MBOX + b"From x@y Thu Oct  8 12:00:00 2026\nFrom: x@y\nSubject: cut"
    last = items(write(tmp_path / "headers.mbox", headers_only))[-1]
    assert last.defects == ("truncated",)
    assert "truncated" in read_email(last.raw or b"").defects


def test_duplicate_message_ids_get_suffixes_and_ids_are_stable(tmp_path):
    same = b"From a@b Mon Oct  5 09:12:00 2026\n" + email("x", "body\n", "dup@x") + b"\n"
    no_id = b"From a@b Mon Oct  5 09:12:00 2026\n" + email("x", "same\n") + b"\n"
    path = write(tmp_path / "dup.mbox", same * 3 + no_id * 2)
    ids = [i.id for i in items(path)]
    assert ids[:3] == ["dup@x", "dup@x#2", "dup@x#3"]
    assert ids[3].startswith("sha256:") and ids[4] == ids[3] + "#2"
    assert [i.id for i in items(path)] == ids


def test_suffixes_skip_ids_that_exist_on_their_own(tmp_path):
    lines = [{"id": "a", "text": "1"}, {"id": "a#2", "text": "2"}, {"id": "a", "text": "3"},
             {"id": "a", "text": "4"}]
    path = write(tmp_path / "in.jsonl", "\n".join(json.dumps(x) for x in lines).encode())
    assert [i.id for i in items(path)] == ["a", "a#2", "a#3", "a#4"]


def test_message_over_the_limit_is_an_error_item_and_the_next_one_follows(tmp_path):
    big = (b"From a@b Mon Oct  5 09:12:00 2026\n"
           + email("big", "x" * 5000 + "\n", "big@x") + b"\n")
    small = b"From a@b Mon Oct  5 09:12:00 2026\n" + email("small", "ok\n", "small@x") + b"\n"
    got = items(write(tmp_path / "big.mbox", big + small), max_bytes=2048)
    assert got[0].id == "big@x" and got[0].raw is None
    assert got[0].error is not None and got[0].error[0] == "too_large"
    assert got[1].id == "small@x" and got[1].raw is not None


def test_too_large_message_without_id_has_the_same_hash_id_as_when_kept():
    body = email("big", "y" * 5000 + "\n")
    data = b"From a@b Mon Oct  5 09:12:00 2026\n" + body
    [dropped] = split_mbox(io.BytesIO(data), max_bytes=100)
    [kept] = split_mbox(io.BytesIO(data), max_bytes=10_000)
    assert dropped.raw is None and kept.raw == body
    assert dropped.digest == kept.digest == hashlib.sha256(body).hexdigest()


def test_mbox_is_read_as_a_stream():
    message = b"From a@b Mon Oct  5 09:12:00 2026\n" + email("x", "z" * 1000 + "\n") + b"\n"
    stream = io.BytesIO(message * 200)
    first = next(split_mbox(stream, max_bytes=10_000))
    assert first.raw is not None
    assert stream.tell() < 3 * len(message)  # one message read ahead, not the whole file


def test_very_long_lines_are_read_in_pieces():
    # The second 1 MiB piece of this line starts with an envelope, mid-line: no separator.
    body = "a" * (1024 * 1024) + "From b@c Mon Oct  5 09:12:00 2026 is no separator here\n"
    data = b"From a@b Mon Oct  5 09:12:00 2026\n" + email("x", body)
    [only] = split_mbox(io.BytesIO(data), max_bytes=10 * 1024 * 1024)
    assert only.raw is not None and only.raw.endswith(b"is no separator here\n")


def test_text_before_the_first_envelope_is_kept(tmp_path):
    got = items(write(tmp_path / "odd.mbox", email("x", "lost?\n", "pre@x") + b"\n" + MBOX))
    assert got[0].id == "pre@x" and got[0].defects == ("no_mbox_envelope",)
    assert len(got) == 4


@pytest.mark.parametrize(("line", "envelope"), [
    (b"From anna@example.com Mon Oct  5 09:12:00 2026\n", True),
    (b"From - Mon Oct 05 09:12:00 2026\r\n", True),
    (b"From MAILER-DAEMON Fri Jul  8 12:08:34 PDT 2011\n", True),
    (b"From a@b Mon, 5 Oct 2026 09:12:00 +0200\n", True),
    (b"From Munich we go on, Mon Oct 5 09:12:00 2026\n", False),
    (b"From 3 to 5 November please\n", False),
    (b"From: anna@example.com\n", False),
])
def test_envelope_lines(line, envelope):
    assert is_envelope(line) is envelope


# -- folders and single files ----------------------------------------------------------------
def test_folder_of_eml_files_sorted_and_recursive(tmp_path):
    write(tmp_path / "b.eml", email("b", "B", "b@x"))
    write(tmp_path / "a" / "z.EML", email("z", "Z", "z@x"))
    write(tmp_path / "a" / "notes.txt", b"not an email")
    write(tmp_path / "c" / "d" / "c.eml", email("c", "C"))
    got = items(tmp_path)
    assert [i.id for i in got][:2] == ["z@x", "b@x"]
    assert got[2].id == content_id(email("c", "C"))
    assert len(got) == 3


def test_too_large_eml_in_a_folder_is_an_error_item(tmp_path):
    write(tmp_path / "big.eml", email("big", "x" * 5000, "big@x"))
    write(tmp_path / "small.eml", email("small", "ok", "small@x"))
    got = items(tmp_path, max_bytes=1024)
    assert got[0].id == "big@x" and got[0].error is not None
    assert got[0].error[0] == "too_large"
    assert got[1].raw is not None


def test_single_eml_and_txt(tmp_path):
    [eml] = items(write(tmp_path / "one.eml", email("x", "hi", "one@x")))
    assert eml.id == "one@x" and eml.raw is not None and eml.text is None
    text = "  Hotel in Köln, 3.-5. Nov\n\n\n  bitte  \n"
    [txt] = items(write(tmp_path / "one.txt", text.encode()))
    assert txt.text == text  # a text input is not cleaned
    assert txt.id == content_id(text.encode()) and txt.raw is None
    [latin] = items(write(tmp_path / "latin.txt", "Köln".encode("latin-1")))
    assert latin.text == "Köln"


# -- JSONL ------------------------------------------------------------------------------------
def test_jsonl_good_and_bad_lines(tmp_path):
    lines = [
        json.dumps({"id": "a", "text": "Hotel in Munich",
                    "received_at": "2026-10-05T09:12:00+02:00"}),
        "",
        "{not json",
        json.dumps({"text": "no id"}),
        json.dumps({"id": "b", "text": 5}),
        json.dumps({"id": "c", "text": "x", "received_at": "next tuesday"}),
        json.dumps(["a", "list"]),
        json.dumps({"id": "a", "text": "again"}),
        json.dumps({"id": "d", "text": "Zimmer in Köln", "received_at": "2026-10-05"}),
        json.dumps({"id": "e", "text": "x", "received_at": "0001-01-01T00:00:00+01:00"}),
    ]
    path = write(tmp_path / "in.jsonl", ("\n".join(lines) + "\n").encode() + b"\xff\xfe\n")
    got = items(path)
    assert got[0] == InputItem(id="a", text="Hotel in Munich", received_at=dt.datetime(
        2026, 10, 5, 9, 12, tzinfo=dt.timezone(dt.timedelta(hours=2))))
    assert [(i.id, i.error[0] if i.error else None) for i in got[1:]] == [
        ("in.jsonl:3", "bad_jsonl"), ("in.jsonl:4", "bad_jsonl"), ("b", "bad_jsonl"),
        ("c", "bad_jsonl"), ("in.jsonl:7", "bad_jsonl"), ("a#2", None), ("d", None),
        ("e", "bad_jsonl"), ("in.jsonl:11", "bad_jsonl")]
    # a date-time without an offset is read as UTC; one UTC cannot hold is a bad line
    assert got[-3].received_at == dt.datetime(2026, 10, 5, tzinfo=dt.UTC)
    assert got[2].error is not None and "in.jsonl:4" in got[2].error[1]


def test_jsonl_line_over_the_limit(tmp_path):
    big = json.dumps({"id": "big", "text": "x" * 5000})
    path = write(tmp_path / "in.jsonl", f'{big}\n{json.dumps({"id": "ok", "text": "y"})}\n'
                 .encode())
    got = items(path, max_bytes=1024)
    assert got[0].error is not None and got[0].error[0] == "too_large"
    assert got[1] == InputItem(id="ok", text="y")


# -- what INPUT is ----------------------------------------------------------------------------
def test_input_kinds(tmp_path):
    assert input_kind(tmp_path) == "folder"
    assert input_kind(write(tmp_path / "Inbox", MBOX)) == "mbox"  # Thunderbird: no suffix
    with pytest.raises(InputError) as e:
        input_kind(tmp_path / "missing.mbox")
    assert e.value.code == "not_found"
    with pytest.raises(InputError) as e:
        iter_inputs(write(tmp_path / "data.csv", b"a,b\n"))
    assert e.value.code == "unsupported"


@pytest.mark.parametrize(("raw", "expected"), [
    (b"\xef\xbb\xbfFrom a@b Mon Oct  5 09:12:00 2026\nSubject: x\nX-Long: a\n b\nMessage-ID:\n"
     b" <folded@example.com>\n\nMessage-ID: <in-body@x>\n", "folded@example.com"),
    (b"Subject: x\n\nMessage-ID: <in-body@x>\n", None),
    (b"Subject: x\nnot a header line\nMessage-ID: <after-the-headers@x>\n\nbody", None),
    (b"Subject: x\nMessage-ID : <spaced@x>\n\nbody", None),
    (b"message-id: <lower@x>\nMessage-ID: <second@x>\n\nbody", "lower@x"),
])
def test_peek_message_id_agrees_with_read_email(raw, expected):
    assert peek_message_id(raw) == read_email(raw).message_id == expected


# -- the bundled sample inbox -----------------------------------------------------------------
def test_sample_inbox_reads_cleanly():
    got = items(SAMPLES / "inbox.mbox")
    assert len(got) >= 20
    assert len({i.id for i in got}) == len(got)
    assert all(i.error is None and i.defects == () for i in got)
    for item in got:
        msg = read_email(item.raw or b"")
        assert msg.message_id == item.id
        assert msg.text and msg.received_at is not None
        assert dt.date(2026, 10, 1) <= msg.received_at.date() <= dt.date(2026, 11, 30)
        assert "Leopoldstraße" not in msg.text and "Tel." not in msg.text


def test_sample_eml_files_have_the_same_ids_as_in_the_mbox():
    mbox_ids = {i.id for i in items(SAMPLES / "inbox.mbox")}
    eml = items(SAMPLES / "eml")
    assert len(eml) >= 5
    assert {i.id for i in eml} <= mbox_ids


def test_a_folder_does_not_follow_symlinks_out_of_it(tmp_path):
    """issue 14: a linked .eml (or a linked folder) pointing out of INPUT is not read; a linked
    file is an error item, so it is seen."""
    outside = tmp_path / "outside"
    outside.mkdir()
    (outside / "secret.eml").write_bytes(b"Subject: private\r\n\r\nnot for the batch\r\n")
    inbox = tmp_path / "inbox"
    inbox.mkdir()
    (inbox / "a.eml").write_bytes(b"Subject: a\r\n\r\nHotel in Rome\r\n")
    (inbox / "link.eml").symlink_to(outside / "secret.eml")
    (inbox / "linked-folder").symlink_to(outside, target_is_directory=True)
    items = list(iter_inputs(inbox))
    assert [i.id for i in items if i.error is None] == [items[0].id]
    assert items[0].raw is not None and b"Rome" in items[0].raw
    assert [(i.id, i.error[0]) for i in items if i.error] == [("file:link.eml", "symlink")]
    assert all(b"not for the batch" not in (i.raw or b"") for i in items)
