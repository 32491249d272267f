"""Mailbox pull (issue 17, item 2): `stayform fetch` against a real, throw-away Dovecot
(tests/api/dovecot.py) over IMAPS or STARTTLS with its self-signed certificate. Messages are
put in with IMAP APPEND; the review queue (SQLite and PostgreSQL) is read back with SQLAlchemy."""

from __future__ import annotations

import signal
import threading
import time
import uuid
from collections.abc import Iterator
from email import policy
from email.message import EmailMessage
from pathlib import Path

import pytest
from imap_tools import BaseMailBox, MailBoxStartTls
from sqlalchemy import create_engine, select
from sqlalchemy.orm import Session

from api import fetch
from api.models import Item, MailboxCursor
from stayform import cli
from stayform.settings import get_settings
from tests.api.conftest import SURE
from tests.api.dovecot import Dovecot, dovecot_server


@pytest.fixture(scope="module")
def dovecot() -> Iterator[Dovecot]:
    with dovecot_server() as server:
        yield server


@pytest.fixture
def folder(dovecot: Dovecot) -> Iterator[str]:
    """A new, empty folder of its own for each test."""
    name = f"t{uuid.uuid4().hex[:10]}"
    with _imap(dovecot) as box:
        box.folder.create(name)
    yield name


@pytest.fixture
def env(database_url: str, monkeypatch: pytest.MonkeyPatch, keyword_model_dir: Path,
        dovecot: Dovecot) -> Iterator[dict[str, str]]:
    """The command's environment: the queue (SQLite, then PostgreSQL), the keyword model, the
    IMAP password, and an agent key `anna` with the sender address anna@agency.example."""
    values = {"STAYFORM_DATABASE_URL": database_url,
              "STAYFORM_MODEL_DIR": str(keyword_model_dir), "IMAP_PW": dovecot.password}
    for name, value in values.items():
        monkeypatch.setenv(name, value)
    monkeypatch.delenv("STAYFORM_ADMIN_KEY", raising=False)
    get_settings.cache_clear()
    assert cli.main(["keys", "create", "--role", "agent", "--name", "anna",
                     "--email", "anna@agency.example"]) == 0
    yield values
    get_settings.cache_clear()


def _imap(dovecot: Dovecot) -> BaseMailBox:
    return MailBoxStartTls("127.0.0.1", dovecot.imap_port, ssl_context=_insecure()).login(
        dovecot.user, dovecot.password, initial_folder=None)


def _insecure():  # type: ignore[no-untyped-def]
    import ssl

    context = ssl.create_default_context()
    context.check_hostname = False
    context.verify_mode = ssl.CERT_NONE
    return context


def _message(message_id: str | None, sender: str = "peter.brown@customer.example") -> bytes:
    msg = EmailMessage()
    msg["From"] = f"Someone <{sender}>"
    msg["To"] = "bookings@agency.example"
    msg["Subject"] = "hotel request"
    if message_id:
        msg["Message-ID"] = message_id
    msg["Date"] = "Mon, 04 May 2026 09:00:00 +0000"
    msg.set_content(SURE)
    return msg.as_bytes(policy=policy.SMTP)


def _append(dovecot: Dovecot, folder: str, *messages: bytes) -> None:
    with _imap(dovecot) as box:
        for raw in messages:
            box.append(raw, folder)


def _flags(dovecot: Dovecot, folder: str) -> list[tuple[str, ...]]:
    with _imap(dovecot) as box:
        box.folder.set(folder)
        # \Recent is the server's (this session is the first to see a moved message)
        return [tuple(sorted(f for f in m.flags if f != "\\Recent"))
                for m in box.fetch(mark_seen=False, headers_only=True)]


def _items(env: dict[str, str]) -> list[Item]:
    engine = create_engine(env["STAYFORM_DATABASE_URL"])
    try:
        with Session(engine) as session:
            return list(session.scalars(select(Item).order_by(Item.created_at)))
    finally:
        engine.dispose()


def _fetch(capsys: pytest.CaptureFixture[str], url: str, *extra: str) -> tuple[int, str]:
    code = cli.main(["fetch", url, "--once", "--insecure", "--password-env", "IMAP_PW",
                     *extra])
    return code, capsys.readouterr().err


DONE = ("$stayform", "\\Seen")


def test_every_message_is_stored_once_flagged_and_a_second_run_adds_nothing(
        dovecot: Dovecot, folder: str, env: dict[str, str],
        capsys: pytest.CaptureFixture[str]) -> None:
    _append(dovecot, folder, _message("<m1@customer.example>"), _message("<m2@customer.example>"),
            _message(None))  # no Message-ID: deduped by its content hash
    url = dovecot.url(folder, tls=True)
    code, err = _fetch(capsys, url, "--agent", "anna")
    assert code == 0, err
    assert "3 stored, 0 already stored" in err
    items = _items(env)
    assert len(items) == 3 and len({i.owner_key_id for i in items}) == 1
    assert {i.external_id for i in items} >= {"m1@customer.example", "m2@customer.example"}
    assert all(i.raw and b"Munich" in i.raw for i in items), "the raw message is kept"
    assert _flags(dovecot, folder) == [DONE] * 3

    code, err = _fetch(capsys, url, "--agent", "anna")
    assert code == 0 and "0 stored, 0 already stored" in err
    _append(dovecot, folder, _message("<m3@customer.example>"))
    code, err = _fetch(capsys, url, "--agent", "anna")
    assert code == 0 and "1 stored, 0 already stored" in err
    assert len(_items(env)) == 4


def test_a_fetch_that_dies_between_store_and_mark_rereads_but_never_duplicates(
        dovecot: Dovecot, folder: str, env: dict[str, str], capsys: pytest.CaptureFixture[str],
        monkeypatch: pytest.MonkeyPatch) -> None:
    _append(dovecot, folder, *(_message(f"<crash{n}@customer.example>") for n in range(3)))
    real_mark = fetch.mark
    marked: list[int] = []

    def dies_at_the_second(box: BaseMailBox, uid: int, *, move_to: str | None) -> None:
        if len(marked) == 1:
            raise RuntimeError("killed between store and mark")
        real_mark(box, uid, move_to=move_to)
        marked.append(uid)

    monkeypatch.setattr(fetch, "mark", dies_at_the_second)
    with pytest.raises(RuntimeError, match="killed between"):
        cli.main(["fetch", dovecot.url(folder, tls=True), "--once", "--insecure",
                  "--password-env", "IMAP_PW", "--agent", "anna"])
    capsys.readouterr()
    assert len(_items(env)) == 2, "the second message was stored before the crash"
    assert _flags(dovecot, folder) == [DONE, (), ()], "but only the first was marked"

    monkeypatch.setattr(fetch, "mark", real_mark)
    code, err = _fetch(capsys, dovecot.url(folder, tls=True), "--agent", "anna")
    assert code == 0 and "1 stored, 1 already stored" in err
    assert sorted(i.external_id for i in _items(env)) == [
        f"crash{n}@customer.example" for n in range(3)]
    assert _flags(dovecot, folder) == [DONE] * 3


def test_a_changed_uidvalidity_rescans_the_folder_and_finds_mail_below_the_old_cursor(
        dovecot: Dovecot, folder: str, env: dict[str, str],
        capsys: pytest.CaptureFixture[str]) -> None:
    old = [_message("<old1@customer.example>"), _message("<old2@customer.example>")]
    _append(dovecot, folder, *old)
    url = dovecot.url(folder, tls=True)
    assert _fetch(capsys, url, "--agent", "anna")[0] == 0
    with _imap(dovecot) as box:
        before = box.folder.status(folder)["UIDVALIDITY"]
        box.folder.delete(folder)  # recreated: new UIDVALIDITY, UIDs from 1, flags gone
        box.folder.create(folder)
        assert box.folder.status(folder)["UIDVALIDITY"] != before
    # the new message gets UID 1, below the old cursor (2): only a rescan finds it
    _append(dovecot, folder, _message("<new@customer.example>"), *old)
    code, err = _fetch(capsys, url, "--agent", "anna")
    assert code == 0 and "1 stored, 2 already stored" in err
    assert sorted(i.external_id for i in _items(env)) == [
        "new@customer.example", "old1@customer.example", "old2@customer.example"]
    engine = create_engine(env["STAYFORM_DATABASE_URL"])
    with Session(engine) as session:
        (cursor,) = session.scalars(select(MailboxCursor).where(MailboxCursor.folder == folder))
        assert (cursor.folder, cursor.last_uid) == (folder, 3)
    engine.dispose()


def test_starttls_with_move_to_and_the_from_address_choosing_the_agent(
        dovecot: Dovecot, folder: str, env: dict[str, str],
        capsys: pytest.CaptureFixture[str]) -> None:
    with _imap(dovecot) as box:
        box.folder.create(f"{folder}-done")
    _append(dovecot, folder, _message("<fwd@agency.example>", sender="Anna@Agency.example"),
            _message("<stranger@x.example>", sender="mallory@x.example"))
    url = dovecot.url(folder)  # plain IMAP port, upgraded with STARTTLS
    code, err = _fetch(capsys, url, "--starttls", "--move-to", f"{folder}-done")
    assert code == 0, err
    assert "1 stored, 0 already stored, 1 skipped" in err
    (item,) = _items(env)
    assert item.external_id == "fwd@agency.example" and item.owner_key_id is not None
    assert _flags(dovecot, folder) == [()], "the stranger's mail stays, unread and unmarked"
    assert _flags(dovecot, f"{folder}-done") == [()], "the stored one was moved (not flagged)"
    code, err = _fetch(capsys, url, "--starttls", "--move-to", f"{folder}-done")
    assert code == 0 and "0 stored, 0 already stored, 0 skipped" in err


def test_what_the_user_must_fix_is_one_line_and_exit_1(
        dovecot: Dovecot, folder: str, env: dict[str, str],
        capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch) -> None:
    cases = [((dovecot.url(folder, tls=True), "--agent", "anna"), "I003: login as anna"),
             ((dovecot.url("NoSuchFolder", tls=True), "--agent", "anna"), "I004: no folder"),
             ((dovecot.url(folder, tls=True), "--agent", "nobody"), "I007: no live agent"),
             (("imaps://anna@127.0.0.1/INBOX",), "I001:"),
             ((f"imap://anna:pw@127.0.0.1:{dovecot.imaps_port}/INBOX",), "I001: put no password"),
             ((dovecot.url(folder, tls=True), "--password-env", "NOT_SET_ANYWHERE"), "I002:")]
    for n, (args, expected) in enumerate(cases):
        monkeypatch.setenv("IMAP_PW", "wrong password" if n == 0 else dovecot.password)
        code, err = _fetch(capsys, *args)
        assert code == 1 and err.startswith(f"stayform: error: {expected}"), (args, err)
        assert err.count("\n") == 1 and "Traceback" not in err
    # the certificate is checked unless --insecure
    code = cli.main(["fetch", dovecot.url(folder, tls=True), "--once", "--agent", "anna",
                     "--password-env", "IMAP_PW"])
    err = capsys.readouterr().err
    assert code == 1 and "I003: cannot connect" in err and "CERTIFICATE_VERIFY_FAILED" in err


def test_following_a_folder_picks_up_new_mail_and_stops_on_ctrl_c(
        dovecot: Dovecot, folder: str, env: dict[str, str],
        capsys: pytest.CaptureFixture[str]) -> None:
    main = threading.main_thread().ident
    assert main is not None and threading.get_ident() == main
    seen: list[str] = []

    def mail_then_ctrl_c() -> None:
        try:
            time.sleep(1.0)  # let the command reach IDLE on the empty folder
            _append(dovecot, folder, _message("<live@customer.example>"))
            deadline = time.monotonic() + 60
            while (flags := _flags(dovecot, folder)) != [DONE] and time.monotonic() < deadline:
                time.sleep(0.2)
            seen.append(repr(flags))
            time.sleep(0.5)  # the pass ends by saving the cursor and printing its tally
        finally:  # a failure above must still stop the command, not hang the run
            signal.pthread_kill(main, signal.SIGINT)  # a real Ctrl-C, mid-IDLE

    # Ctrl-C as a terminal delivers it: an earlier test's server may have left its own
    # SIGINT handler in this process (uvicorn installs one), which would swallow it
    previous = signal.signal(signal.SIGINT, signal.default_int_handler)
    helper = threading.Thread(target=mail_then_ctrl_c, daemon=True)
    helper.start()
    try:
        code = cli.main(["fetch", dovecot.url(folder, tls=True), "--insecure", "--password-env",
                         "IMAP_PW", "--agent", "anna", "--interval", "1"])
    finally:
        signal.signal(signal.SIGINT, previous)
    helper.join(timeout=10)
    err = capsys.readouterr().err
    assert seen == [repr([DONE])], "the new message was stored, then marked"
    assert code == 0 and "1 stored" in err and err.endswith("stayform fetch: stopped\n")
    assert [i.external_id for i in _items(env)] == ["live@customer.example"]
