"""The IMAP side of `stayform fetch` (api/fetch.py): the mailbox URL, a logged-in TLS or
STARTTLS connection, a message's raw bytes, marking it taken, and waiting for news.

imap-tools (a small, maintained layer over the standard library's imaplib) gives the IMAPS and
STARTTLS connections, login errors, folder status, flagging, MOVE with its copy-and-delete
fallback, and IDLE; a message's raw bytes are fetched with BODY.PEEK[] so that what is stored
is exactly what the server holds, and reading it sets no \\Seen flag.
"""

from __future__ import annotations

import imaplib
import ssl
from collections.abc import Callable
from dataclasses import dataclass
from email.parser import BytesHeaderParser
from email.utils import getaddresses
from urllib.parse import unquote, urlsplit

from imap_tools import BaseMailBox, MailBox, MailBoxStartTls
from imap_tools.errors import MailboxLoginError, MailboxStarttlsError

MARK_KEYWORD = "$stayform"
# RFC 2177: a client re-issues IDLE well within the server's 30-minute inactivity limit
IDLE_RENEW_S = 300.0


class FetchError(Exception):
    """A problem the user can fix, said in one line with its code (I001 ...)."""


@dataclass(frozen=True)
class MailboxUrl:
    """`imap://USER@HOST[:PORT]/FOLDER`, percent-decoded; the port defaults to 993 (IMAPS),
    or 143 with STARTTLS."""

    user: str
    host: str
    port: int
    folder: str

    @property
    def account(self) -> str:
        """`user@host:port`: the cursor's key and what messages name (never the password)."""
        return f"{self.user}@{self.host}:{self.port}"


def parse_url(url: str, *, starttls: bool) -> MailboxUrl:
    """The parts of `url`; raises FetchError (I001) when it is not `imap://USER@HOST/...`."""
    try:
        parts = urlsplit(url)
        port = parts.port
    except ValueError as e:
        raise FetchError(f"I001: {url!r} is not an imap:// URL: {e}") from None
    if parts.scheme.lower() != "imap" or not parts.hostname or not parts.username:
        raise FetchError(f"I001: {url!r} is not imap://USER@HOST[:PORT]/FOLDER")
    if parts.password is not None:
        raise FetchError("I001: put no password in the URL; name an environment variable "
                         "with --password-env")
    folder = unquote(parts.path.lstrip("/")) or "INBOX"
    return MailboxUrl(user=unquote(parts.username), host=parts.hostname,
                      port=port or (143 if starttls else 993), folder=folder)


def connect(url: MailboxUrl, password: str, *, starttls: bool, insecure: bool,
            timeout_s: float = 30.0) -> BaseMailBox:
    """A logged-in connection over IMAPS, or plain IMAP upgraded with STARTTLS; `insecure`
    skips the certificate check (tests only). Raises FetchError (I003) when the server cannot
    be reached, its certificate is refused, or the login is."""
    context = ssl.create_default_context()
    if insecure:
        context.check_hostname = False
        context.verify_mode = ssl.CERT_NONE
    try:
        box: BaseMailBox = (
            MailBoxStartTls(url.host, url.port, timeout=timeout_s, ssl_context=context)
            if starttls else MailBox(url.host, url.port, timeout=timeout_s,
                                     ssl_context=context))
    except (OSError, MailboxStarttlsError, imaplib.IMAP4.error) as e:
        raise FetchError(f"I003: cannot connect to {url.host}:{url.port}: {why(e)}") from None
    try:
        box.login(url.user, password, initial_folder=None)
    except (MailboxLoginError, imaplib.IMAP4.error, OSError) as e:
        raise FetchError(f"I003: login as {url.user} at {url.host}:{url.port} refused: "
                         f"{why(e)}") from None
    return box


def why(error: Exception) -> str:
    """`error` as one short line."""
    text = " ".join(str(error).split())
    return (text or type(error).__name__)[:200]


def read_raw(box: BaseMailBox, uid: int) -> bytes | None:
    """The message `uid` exactly as the server holds it, without setting \\Seen; None when it
    was expunged meanwhile."""
    typ, data = box.client.uid("FETCH", str(uid), "(BODY.PEEK[])")
    if typ != "OK":
        raise FetchError(f"I005: the server refused to hand out message {uid}: {data!r:.200}")
    for part in data:
        if isinstance(part, tuple) and len(part) == 2 and isinstance(part[1], bytes):
            return part[1]
    return None


def mark(box: BaseMailBox, uid: int, *, move_to: str | None) -> None:
    """Mark message `uid` as taken: moved to `move_to`, else flagged \\Seen and `$stayform`."""
    if move_to:
        box.move(str(uid), move_to)
    else:
        box.flag(str(uid), ["\\Seen", MARK_KEYWORD], True)


def sender_address(raw: bytes) -> str | None:
    """The first address of the From header of `raw`; None without one."""
    header = BytesHeaderParser().parsebytes(raw).get("From")
    found = [address for _, address in getaddresses([str(header)]) if "@" in address] \
        if header else []
    return found[0] if found else None


def wait_for_news(box: BaseMailBox, *, interval_s: float, sleep: Callable[[float], None]
                  ) -> None:
    """Until the folder may hold something new: IDLE where the server has it (woken by any
    change, renewed every few minutes), else `interval_s` of sleep."""
    if "IDLE" in box.client.capabilities:
        box.idle.wait(timeout=IDLE_RENEW_S)
    else:
        sleep(interval_s)
