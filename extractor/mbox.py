"""A streaming mbox splitter that reads a file of any size in bounded memory.

Why not `mailbox.mbox`: it loads a table of all messages, splits on *any* line starting with
"From " (CPython #93376: an unescaped "From Munich we drive on" in a body starts a new
message), and leaves mboxrd's ">From " escapes in the bodies. Here a line separates messages
only when it is an envelope line, "From " + one sender token + a date (asctime as mail
servers write it, or an RFC 5322 date); ">From " (any number of ">") loses one ">"; CRLF
files work; the blank line mbox puts before each envelope line is not part of the message.

A message over `max_bytes` is not kept in memory: it comes back with `raw=None`, its first
bytes (for its Message-ID) and the digest of all its bytes. The last message is flagged
`truncated` when the file ends inside a line (a cut download or a full disk).
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Iterator
from dataclasses import dataclass
from typing import BinaryIO

HEAD_BYTES = 1024 * 1024  # enough for any real header section
_PIECE = 1024 * 1024  # a longer line is read in pieces
_DAY = rb"(?:mon|tue|wed|thu|fri|sat|sun)"
_MONTH = rb"(?:jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)"
_TIME = rb"\d{1,2}:\d{2}(?::\d{2})?"
_ENVELOPE = re.compile(
    rb"From \S+ +(?:" + _DAY + rb",? +)?(?:"
    + _MONTH + rb" +\d{1,2} +" + _TIME + rb"(?: +\S+)? +\d{4}"  # Mon Oct  5 09:12:00 2026
    + rb"|\d{1,2} +" + _MONTH + rb" +\d{4} +" + _TIME  # Mon, 5 Oct 2026 09:12:00 +0200
    + rb")", re.I)
_ESCAPED = re.compile(rb">+From ")
_BLANK = (b"\n", b"\r\n")


def iter_lines(f: BinaryIO, *, piece: int = _PIECE) -> Iterator[tuple[bytes, bool]]:
    """The lines of a binary file as (bytes, starts_line), a line longer than `piece` in
    several pieces of which only the first starts the line."""
    starts = True
    while chunk := f.readline(piece):
        yield chunk, starts
        starts = chunk.endswith(b"\n")


def is_envelope(line: bytes) -> bool:
    """Whether `line` is an mbox envelope line ("From sender date"), not body text."""
    return bool(_ENVELOPE.match(line))


@dataclass(frozen=True)
class MboxMessage:
    """One message of an mbox: its bytes (None when over the limit), its first bytes, the
    sha256 hex digest and size of all its bytes, and what was odd about it."""

    raw: bytes | None
    head: bytes
    digest: str
    size: int
    truncated: bool = False  # the file ended inside its last line
    before_first_envelope: bool = False  # text before the first envelope line


class _Builder:
    def __init__(self, max_bytes: int, *, preamble: bool = False) -> None:
        self.max_bytes = max_bytes
        self.preamble = preamble
        self.chunks: list[bytes] | None = []
        self.head = bytearray()
        self.hash = hashlib.sha256()
        self.size = 0

    def add(self, data: bytes) -> None:
        self.hash.update(data)
        self.size += len(data)
        if len(self.head) < HEAD_BYTES:
            self.head += data[: HEAD_BYTES - len(self.head)]
        if self.chunks is not None:
            self.chunks.append(data)
            if self.size > self.max_bytes:
                self.chunks = None  # too large: keep only the head and the digest

    def finish(self, *, truncated: bool = False) -> MboxMessage:
        raw = b"".join(self.chunks) if self.chunks is not None else None
        return MboxMessage(raw=raw, head=bytes(self.head), digest=self.hash.hexdigest(),
                           size=self.size, truncated=truncated,
                           before_first_envelope=self.preamble)


def split_mbox(f: BinaryIO, *, max_bytes: int) -> Iterator[MboxMessage]:
    """The messages of the mbox open as `f`, in file order, read as a stream."""
    current: _Builder | None = None
    pending_blank: bytes | None = None  # a blank line: the mbox separator if an envelope follows
    ends_line = True
    for chunk, starts in iter_lines(f):
        ends_line = chunk.endswith(b"\n")
        if starts and chunk.startswith(b"From ") and is_envelope(chunk):
            if current is not None:
                yield current.finish()
            current, pending_blank = _Builder(max_bytes), None
            continue
        if current is None:
            if not chunk.strip():
                continue  # blank lines before the first message
            current = _Builder(max_bytes, preamble=True)
        if starts and chunk in _BLANK:
            if pending_blank is not None:
                current.add(pending_blank)
            pending_blank = chunk
            continue
        if pending_blank is not None:
            current.add(pending_blank)
            pending_blank = None
        current.add(chunk[1:] if starts and _ESCAPED.match(chunk) else chunk)
    if current is not None:
        yield current.finish(truncated=not ends_line)
