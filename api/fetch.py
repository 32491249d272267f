"""Mailbox pull (issue 17 item 2): `stayform fetch imap://USER@HOST[:PORT]/FOLDER`.

An agency that cannot point its mail at the SMTP receiver (api/smtp.py) lets stayform read a
mailbox instead. Each new message of FOLDER is read without touching its \\Seen flag, stored
by the SMTP receiver's own intake (`smtp.store_message`: extraction, then the queue, deduped
by Message-ID per agent), and only THEN marked: the flags \\Seen and `$stayform`, or moved
to `--move-to FOLDER`. A crash between the two re-reads the message next time, and the dedup
makes that the stored item again, never a second one; nothing is marked that was not stored.

Whose items: with `--agent NAME` (an agent key's name or id) every message of the mailbox is
that agent's, as an agent pulling their own inbox expects. Without it the mailbox is a shared
forwarding box and the owner is found from the From address, as the SMTP receiver finds it
from the envelope sender (`keys create --email`); mail from an unregistered sender is left as
it is, unread and unmarked, and counted as skipped.

How far it has read is kept per mailbox and folder in the database (`mailbox_cursors`): the
folder's UIDVALIDITY and the last UID done. IMAP UIDs only hold within one UIDVALIDITY, so a
server announcing another one sends the fetch back to UID 1, a full rescan that the
`$stayform` flag and the Message-ID dedup keep from storing anything twice.

The IMAP protocol side (URL, connection, flags, IDLE) is api/imap.py.
"""

from __future__ import annotations

import contextlib
import imaplib
import logging
import time
from collections.abc import Callable
from dataclasses import dataclass

from imap_tools import BaseMailBox
from imap_tools.errors import ImapToolsError
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session, sessionmaker

from api.imap import (
    MARK_KEYWORD,
    FetchError,
    MailboxUrl,
    connect,
    mark,
    read_raw,
    wait_for_news,
    why,
)
from api.models import MailboxCursor, utcnow

log = logging.getLogger("stayform.fetch")


# --- how far a folder has been read ---------------------------------------------------------

def first_uid(session: Session, *, mailbox: str, folder: str, uidvalidity: int) -> int:
    """The first UID not yet done in `folder` of `mailbox`: 1 when it was never read or its
    UIDVALIDITY changed (a full rescan)."""
    cursor = session.get(MailboxCursor, (mailbox, folder))
    start = cursor.last_uid + 1 if cursor and cursor.uidvalidity == uidvalidity else 1
    changed = cursor is not None and cursor.uidvalidity != uidvalidity
    session.rollback()
    if changed:
        log.info("uidvalidity changed, rescanning", extra={"event": "fetch_rescan"})
    return start


def advance(session: Session, *, mailbox: str, folder: str, uidvalidity: int,
            uid: int) -> None:
    """Record `uid` as done in `folder` of `mailbox` under `uidvalidity` (committed)."""
    for _ in range(2):  # a second fetch of the same folder may insert the row first
        cursor = session.get(MailboxCursor, (mailbox, folder))
        if cursor is None:
            session.add(MailboxCursor(mailbox=mailbox, folder=folder, uidvalidity=uidvalidity,
                                      last_uid=uid, updated_at=utcnow()))
        else:
            if cursor.uidvalidity != uidvalidity:
                cursor.uidvalidity, cursor.last_uid = uidvalidity, 0
            cursor.last_uid = max(cursor.last_uid, uid)
            cursor.updated_at = utcnow()
        try:
            session.commit()
            return
        except IntegrityError:
            session.rollback()
    raise FetchError("I006: the mailbox cursor could not be saved")


# --- one pass over a folder -----------------------------------------------------------------

@dataclass
class Tally:
    """What one pass did."""

    stored: int = 0  # new items
    known: int = 0  # already stored (a re-read after a crash, a rescan)
    skipped: int = 0  # no registered sender: left unread and unmarked
    too_large: int = 0  # over max_email_bytes: left unread and unmarked

    def __bool__(self) -> bool:
        return bool(self.stored or self.known or self.skipped or self.too_large)

    def summary(self) -> str:
        return (f"{self.stored} stored, {self.known} already stored, {self.skipped} skipped "
                f"(sender not registered), {self.too_large} too large")


Store = Callable[[bytes, str], tuple[str, bool]]


@dataclass(frozen=True)
class FetchOptions:
    """What `stayform fetch` was told: where, how to connect, and how long to go on."""

    url: MailboxUrl
    password: str
    starttls: bool = False
    insecure: bool = False
    once: bool = False
    interval_s: float = 60.0
    move_to: str | None = None


def follow(options: FetchOptions, *, sessions: sessionmaker[Session], store: Store,
           owner_of: Callable[[bytes], str | None], max_bytes: int,
           report: Callable[[str], None], sleep: Callable[[float], None] = time.sleep) -> None:
    """Pull the folder once (`options.once`), or again whenever IDLE (or the poll interval)
    says it may have changed, until interrupted (KeyboardInterrupt passes through, the
    connection closed). A connection lost while following is opened again after the
    interval. Raises FetchError for what the user must fix."""
    def open_box() -> BaseMailBox:
        return connect(options.url, options.password, starttls=options.starttls,
                       insecure=options.insecure)

    puller = Puller(box=open_box(), url=options.url, sessions=sessions, store=store,
                    owner_of=owner_of, move_to=options.move_to, max_bytes=max_bytes)
    where = f"{options.url.account}/{options.url.folder}"
    try:
        while True:
            try:
                tally = puller.pass_once()
                if tally or options.once:
                    report(f"{where}: {tally.summary()}")
                if options.once:
                    return
                wait_for_news(puller.box, interval_s=options.interval_s, sleep=sleep)
            except (imaplib.IMAP4.abort, OSError) as e:
                if options.once:
                    raise FetchError(f"I003: connection to {where} lost: {why(e)}") from None
                report(f"{where}: connection lost ({why(e)}); reconnecting in "
                       f"{options.interval_s:g} s")
                _close(puller.box)
                sleep(options.interval_s)
                puller.box = open_box()
            except (ImapToolsError, imaplib.IMAP4.error) as e:  # a command the server refused
                raise FetchError(f"I005: {where}: the server refused: {why(e)}") from None
    finally:
        _close(puller.box)


def _close(box: BaseMailBox) -> None:
    """Drop the connection: a LOGOUT could wait on a server still in IDLE or already gone,
    and nothing is left to say (each message was marked as it was stored)."""
    with contextlib.suppress(Exception):
        box.client.shutdown()


@dataclass
class Puller:
    """Reads one folder of one mailbox into the review queue (`pass_once`), marking what it
    stored. `store(raw, owner_key_id)` is the intake; `owner_of(raw)` the owner or None."""

    box: BaseMailBox
    url: MailboxUrl
    sessions: sessionmaker[Session]
    store: Store
    owner_of: Callable[[bytes], str | None]
    move_to: str | None = None
    max_bytes: int = 10 * 1024 * 1024

    def select(self) -> int:
        """Select the folder (and check `move_to`); returns its UIDVALIDITY. Raises
        FetchError (I004) for an unknown folder."""
        for folder in filter(None, (self.url.folder, self.move_to)):
            try:
                if not self.box.folder.exists(folder):
                    raise FetchError(f"I004: no folder {folder!r} in {self.url.account}")
            except ImapToolsError as e:
                raise FetchError(f"I004: cannot list folder {folder!r}: {why(e)}") from None
        try:
            status = self.box.folder.status(self.url.folder, ["UIDVALIDITY"])
            self.box.folder.set(self.url.folder)
        except ImapToolsError as e:
            raise FetchError(f"I004: cannot open folder {self.url.folder!r}: {why(e)}"
                             ) from None
        if "UIDVALIDITY" not in status:
            raise FetchError(f"I005: {self.url.account} gives no UIDVALIDITY for "
                             f"{self.url.folder!r}")
        return int(status["UIDVALIDITY"])

    def pass_once(self) -> Tally:
        """Store and mark every message after the cursor (all, after a UIDVALIDITY change)."""
        tally = Tally()
        uidvalidity = self.select()
        key = {"mailbox": self.url.account, "folder": self.url.folder}
        with self.sessions() as session:
            start = first_uid(session, uidvalidity=uidvalidity, **key)
        # `UID n:*` also answers the last message when n is past it: filter here
        criteria = f"UID {start}:*" + ("" if self.move_to else f" UNKEYWORD {MARK_KEYWORD}")
        uids = sorted(u for u in map(int, self.box.uids(criteria)) if u >= start)
        for uid in uids:
            raw = read_raw(self.box, uid)
            if raw is not None:
                self._take(uid, raw, tally)
            with self.sessions() as session:
                advance(session, uidvalidity=uidvalidity, uid=uid, **key)
        return tally

    def _take(self, uid: int, raw: bytes, tally: Tally) -> None:
        if len(raw) > self.max_bytes:
            tally.too_large += 1
            log.info("message too large, left unmarked", extra={"event": "fetch_too_large"})
            return
        owner = self.owner_of(raw)
        if owner is None:
            tally.skipped += 1
            return
        item_id, created = self.store(raw, owner)
        if created:
            tally.stored += 1
        else:
            tally.known += 1
        mark(self.box, uid, move_to=self.move_to)  # only after the item is committed
        log.info("fetched message stored", extra={"event": "fetch_stored", "item_id": item_id,
                                                  "key_id": owner, "new_item": created})


