"""A Maildir as the input of `stayform batch`: new/ and cur/ read once each, tmp/ never,
links refused, a bad entry an error record, and the Maildir left exactly as it was."""

from __future__ import annotations

import json
import mailbox
import os
from pathlib import Path

import pytest

from extractor.batch import run_batch
from extractor.inputs import content_id, input_kind, iter_inputs
from stayform.cli import main


def email(message_id: str | None, body: str) -> bytes:
    mid = f"Message-ID: <{message_id}>\n" if message_id else ""
    return (f"From: guest@example.com\nSubject: Booking\n{mid}"
            f"Date: Mon, 05 Oct 2026 09:12:00 +0200\n\n{body}\n").encode()


NO_ID_MAIL = email(None, "Two nights in Vienna for one person, please.")


@pytest.fixture()
def maildir(tmp_path: Path) -> Path:
    """A Maildir as a mail client leaves it: one unread message in new/, one read and flagged
    in cur/, one without a Message-ID, plus things that are not messages to read."""
    root = tmp_path / "Maildir"
    box = mailbox.Maildir(root, create=True)
    box.add(email("unread@x.org", "Hotel in Rome from 3 to 5 November, 2 guests."))
    key = box.add(email("read@x.org", "Ein Einzelzimmer in Berlin vom 1. bis 4. Dezember."))
    seen = box[key]
    seen.set_subdir("cur")
    seen.add_flag("S")
    box[key] = seen  # moved to cur/ with ':2,S', as a client does once the mail is read
    box.add(NO_ID_MAIL)
    box.close()
    (root / "tmp" / "1.delivering").write_bytes(email("half-delivered@x.org", "Hotel in Paris"))
    (root / "new" / ".hidden").write_bytes(email("dotfile@x.org", "Hotel in Oslo"))
    (root / "cur" / "subfolder").mkdir()
    os.mkfifo(root / "new" / "0000.broken")  # no message can be read from it (and open blocks)
    secret = tmp_path / "secret.eml"
    secret.write_bytes(email("secret@x.org", "not part of the mailbox"))
    (root / "cur" / "0001.link:2,S").symlink_to(secret)
    return root


def snapshot(root: Path) -> dict[str, tuple[object, ...]]:
    """Every path below `root` with its type, mtime and (for plain files) its bytes."""
    state: dict[str, tuple[object, ...]] = {}
    for folder, dirs, names in os.walk(root, followlinks=False):
        for name in dirs + names:
            path = Path(folder) / name
            st = path.lstat()
            data = path.read_bytes() if path.is_file() and not path.is_symlink() else None
            link = os.readlink(path) if path.is_symlink() else None
            state[path.relative_to(root).as_posix()] = (st.st_mode, st.st_mtime_ns, data, link)
    return state


def test_a_folder_with_cur_and_new_is_a_maildir_and_one_without_new_is_not(maildir, tmp_path):
    assert input_kind(maildir) == "maildir"
    half = tmp_path / "half"
    (half / "cur").mkdir(parents=True)
    assert input_kind(half) == "folder"


def test_new_and_cur_are_read_once_and_tmp_dotfiles_and_folders_never(maildir):
    items = list(iter_inputs(maildir))
    emails = {item.id: item.raw for item in items if item.error is None}
    assert set(emails) == {"unread@x.org", "read@x.org", content_id(NO_ID_MAIL)}
    assert emails[content_id(NO_ID_MAIL)] == NO_ID_MAIL
    errors = {item.id: item.error[0] for item in items if item.error is not None}
    assert errors == {"file:new/0000.broken": "unreadable", "file:cur/0001.link:2,S": "symlink"}
    assert len(items) == 5
    assert not any(b"secret@x.org" in (item.raw or b"") for item in items)


def test_order_holds_when_a_client_marks_a_message_read_between_runs(maildir):
    before = [item.id for item in iter_inputs(maildir)]
    unread = next((maildir / "new").glob("*.*.*"))  # the delivered message, not our FIFO
    unread.rename(maildir / "cur" / f"{unread.name}:2,S")
    assert [item.id for item in iter_inputs(maildir)] == before


def test_a_message_over_the_size_limit_is_an_error_item_with_its_own_id(maildir):
    items = {item.id: item for item in iter_inputs(maildir, max_bytes=60)}
    assert items["unread@x.org"].error is not None
    assert items["unread@x.org"].error[0] == "too_large"


def test_batch_on_a_maildir_gives_one_record_each_and_leaves_it_untouched(
        maildir, tiny_model_dir, tmp_path, capsys):
    before = snapshot(maildir)
    out = tmp_path / "results.jsonl"
    assert main(["batch", str(maildir), "--out", str(out), "--model", str(tiny_model_dir),
                 "--no-progress"]) == 0
    records = [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines()]
    ids = [r["id"] for r in records]
    assert sorted(ids) == sorted({"unread@x.org", "read@x.org", content_id(NO_ID_MAIL),
                                  "file:new/0000.broken", "file:cur/0001.link:2,S"})
    status = {r["id"]: r["status"] for r in records}
    assert status["file:new/0000.broken"] == status["file:cur/0001.link:2,S"] == "error"
    assert all(status[i] != "error" for i in ("unread@x.org", "read@x.org"))
    assert snapshot(maildir) == before
    again = run_batch(maildir, out, model_dir=tiny_model_dir)  # resuming: nothing left to do
    assert (again.messages, again.skipped) == (0, 5)
    assert snapshot(maildir) == before


def test_a_message_swapped_for_a_link_after_the_listing_is_still_not_followed(maildir, tmp_path):
    from extractor.inputs import _eml_file  # the read itself, past the listing's check

    link = maildir / "cur" / "0001.link:2,S"
    item = _eml_file(link, 1 << 20, name="cur/0001.link:2,S", inside=True)
    assert item.error is not None and item.error[0] == "symlink" and item.raw is None
    fifo = _eml_file(maildir / "new" / "0000.broken", 1 << 20, name="new/0000.broken", inside=True)
    assert fifo.error is not None and fifo.error[0] == "unreadable"
