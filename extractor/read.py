"""Raw email bytes to a `Message`: the first step of the extractor.

What can be read is read, and what was odd is noted in `Message.defects` (short codes such
as `bad_address:from`, `unknown_charset:bogus`, `truncated`, `html_only`, `body_cut`,
`no_text`): garbage after a valid header, a message with only a PDF, a header-only message
all give a `Message` (its text may be empty). What cannot be read raises `EmailReadError`
with a code:
- `too_large`: more than `max_bytes` (checked before anything is parsed);
- `empty`: nothing but white space;
- `not_email`: the bytes do not start with a header field (binary garbage, a plain text);
- `too_deep` / `too_many_parts`: MIME nesting or part count past the limits, estimated from
  the raw bytes before parsing (the stdlib parser recurses once per level: 1,000 levels take
  it seconds and may exhaust the recursion limit) and checked again on the parsed tree; HTML
  nested deeper than any mail client writes is `too_deep` too;
- `unreadable`: the stdlib parser failed in a way it should not (a bug, kept as a record
  rather than a crash of the whole batch).

Headers cost time only when read: the parser stores them raw, and only Subject, Date,
Message-ID, From and the MIME headers of the parts (and an attached message's From and Date)
are ever parsed, each cut to a length the stdlib's (quadratic on some inputs) header parser
handles in milliseconds.

The whole thread is kept (`Message.segments`): `text[:request_end]` is the request the model
reads (the sender's words with a forwarded original or a "see below" reply's quoted request),
and after it comes the history a reply quotes but does not need, message by message.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Sequence
from dataclasses import dataclass, replace
from email import errors
from email.message import Message as _StdMessage
from email.parser import BytesParser
from email.utils import parsedate_to_datetime
from typing import Any

from extractor.form import Segment
from extractor.html_text import HtmlTooDeep
from extractor.mime import (
    MAX_HEADER_CHARS,
    POLICY,
    STRUCTURED_HEADER_CHARS,
    BodyPart,
    MimeLimitError,
    check_tree,
    header_text,
    raw_header,
    select_bodies,
)
from extractor.text import CleanText, Piece, clean_body

_NOT_ADDRESS_DEFECTS = (errors.CharsetError, errors.UndecodableBytesDefect)
_FIELD = re.compile(rb"[\x21-\x39\x3b-\x7e]+:")  # a header field name, as the parser reads it
_HEADER_END = re.compile(rb"\n\r?\n")
_MESSAGE_ID = re.compile(r"<([^<>\s]{1,500})>")
_MAX_ID_CHARS = 500
_MAX_NAME_CHARS = 200  # of a sender's display name
_MAX_ADDRESS_CHARS = 320  # RFC 3696: 64 + 1 + 255
_PEEK_BYTES = 1024 * 1024
# One regex pass over the raw bytes finds what nests: a message/* part, a multipart's
# boundary parameter (on a Content-Type line or its folded continuation), and delimiter lines.
_STRUCTURE = re.compile(
    rb"^(?:content-type:[ \t]*(message)/"
    rb"|(?:content-type:|[ \t])[^\r\n]*?\bboundary[ \t]*=[ \t]*(?:\"([^\"\r\n]+)\"|([^\s;\"]+))"
    rb"|--([^\r\n]+?)[ \t]*\r?$)", re.I | re.M)


class EmailReadError(Exception):
    """An email that cannot be read; `code` says why, `str(e)` says it for people."""

    def __init__(self, code: str, message: str) -> None:
        super().__init__(message)
        self.code = code
        self.message = message


@dataclass(frozen=True)
class Message:
    """An email as the extractor sees it.

    `text` is the cleaned thread that evidence offsets index into: `text[:request_end]` is the
    request (`extractor.text.clean_body` of each body, joined by a blank line), and after it,
    each after a blank line, the earlier messages a reply quotes without needing them.
    `segments` cover `text` in order, apart from the blank lines between them: `new` for the
    sender's words (dated by the Date header, written by the From display name, else address),
    `forwarded` for a forwarded original (inline or attached), `quoted` for a quoted message
    (in the request: the one a "see below" reply answers; after it: history), each with the
    date (timezone-aware; an intro without an offset takes the Date header's) and writer its
    intro or headers give, else None. A `Message` built without `request_end` is all request.
    `message_id` has no angle brackets; `received_at` is the Date header, timezone-aware;
    `sender` the From address and `sender_name` its display name; `defects` what was odd;
    `notes` what cleaning removed or kept; `titled` the full names its bodies write after a
    title, signatures included."""

    text: str
    subject: str
    message_id: str | None
    received_at: dt.datetime | None
    sender: str | None = None
    sender_name: str | None = None
    defects: tuple[str, ...] = ()
    notes: tuple[str, ...] = ()
    segments: tuple[Segment, ...] = ()
    request_end: int = -1
    titled: tuple[str, ...] = ()

    def __post_init__(self) -> None:
        if self.request_end < 0:
            object.__setattr__(self, "request_end", len(self.text))


def parse_message_id(value: str) -> str | None:
    """The id inside a Message-ID header value, without angle brackets, or None when there is
    no usable one (empty, over 500 characters, spaces or non-ASCII in it)."""
    m = _MESSAGE_ID.search(value)
    token = m.group(1) if m else value.strip()
    if not token or len(token) > _MAX_ID_CHARS or not token.isascii() or not token.isprintable():
        return None
    return None if any(c.isspace() or c in "<>" for c in token) else token


def peek_message_id(raw: bytes) -> str | None:
    """The Message-ID of a raw email read from its header lines only, without parsing the
    message (item ids of a batch; an item too large to read is never parsed): the same id
    `read_email` gives, or None."""
    lines = _start(raw[:_PEEK_BYTES]).split(b"\n")
    if lines and lines[0].startswith(b"From "):
        lines = lines[1:]  # the mbox envelope line
    value: list[bytes] | None = None
    for line in lines:
        if line[:1] in (b" ", b"\t"):  # a folded header goes on
            if value is not None:
                value.append(line)
            continue
        if value is not None or not _FIELD.match(line):
            break  # the Message-ID ended, or so did the header section (as for the parser)
        name, _, rest = line.partition(b":")
        if name.lower() == b"message-id":
            value = [rest.lstrip(b" \t")]
    if value is None:
        return None
    text = b"\n".join(value).decode("ascii", "surrogateescape")
    return parse_message_id(text[:MAX_HEADER_CHARS])


def _check_structure(raw: bytes, max_depth: int, max_parts: int) -> None:
    """Raise `too_deep` / `too_many_parts` from the raw bytes, before the parser recurses."""
    stack: list[bytes | None] = []  # open boundaries; None for an enclosing message/* part
    parts = 0
    for m in _STRUCTURE.finditer(raw):
        message, quoted, bare, delimiter = m.groups()
        if message is not None:
            stack.append(None)
        elif delimiter is None:
            stack.append(quoted or bare)
        else:
            closing = delimiter.endswith(b"--") and delimiter[:-2] in stack
            boundary = delimiter[:-2] if closing else delimiter
            if boundary not in stack:
                continue  # a line that merely starts with "--"
            while stack[-1] != boundary:  # parts opened inside it end with it
                stack.pop()
            if closing:
                stack.pop()
            else:
                parts += 1
        if len(stack) > max_depth:
            raise EmailReadError("too_deep", f"MIME parts nested deeper than {max_depth}")
        if parts > max_parts:
            raise EmailReadError("too_many_parts", f"more than {max_parts} MIME parts")


def _start(raw: bytes) -> bytes:
    """`raw` without a byte order mark and blank lines before the first header."""
    return raw.removeprefix(b"\xef\xbb\xbf").lstrip(b" \t\r\n")


def _looks_like_email(raw: bytes) -> bool:
    first, _, rest = raw.partition(b"\n")
    if first.startswith(b"From "):  # an mbox envelope line; the parser skips it
        first = rest.partition(b"\n")[0]
    return bool(_FIELD.match(first))


def _received_at(msg: _StdMessage) -> tuple[dt.datetime | None, tuple[str, ...]]:
    value, defects = header_text(msg, "date")
    if value is None:
        return None, ("missing_header:date",)
    try:
        date = parsedate_to_datetime(value)
    except (TypeError, ValueError, IndexError, OverflowError):
        return None, (*defects, "bad_date")
    if date.tzinfo is None:  # "-0000": the sender's offset is unknown; read it as UTC
        return date.replace(tzinfo=dt.UTC), (*defects, "date_without_timezone")
    return date, defects


def _sender(msg: _StdMessage) -> tuple[str | None, str | None, tuple[str, ...]]:
    """The From header's first address and display name, and what was wrong with it."""
    raw = raw_header(msg, "from")
    if raw is None:
        return None, None, ("missing_header:from",)
    defects: tuple[str, ...] = ()
    if len(raw) > STRUCTURED_HEADER_CHARS:
        defects = ("header_too_long:from",)
    header: Any = msg["from"]  # an AddressHeader: POLICY parses it
    addresses = header.addresses
    # A display name in an unknown charset is no address problem (the name is not used).
    broken = [d for d in header.defects if not isinstance(d, _NOT_ADDRESS_DEFECTS)]
    if broken or not addresses or any(not a.username or not a.domain for a in addresses):
        defects += ("bad_address:from",)
    first = addresses[0] if addresses else None
    address = first.addr_spec if first and first.username and first.domain else None
    if address is not None and len(address) > _MAX_ADDRESS_CHARS:
        address, defects = None, (*defects, "bad_address:from")
    name = " ".join((first.display_name or "").split())[:_MAX_NAME_CHARS] if first else ""
    return address, (name if name.isprintable() and name else None), defects


def _message_id(msg: _StdMessage) -> tuple[str | None, tuple[str, ...]]:
    raw = raw_header(msg, "message-id")
    if raw is None:
        return None, ("missing_header:message-id",)
    defects = ("header_too_long:message-id",) if len(raw) > MAX_HEADER_CHARS else ()
    found = parse_message_id(raw[:MAX_HEADER_CHARS])
    return found, defects if found else (*defects, "bad_message_id")


def _dated(when: dt.datetime | None, received_at: dt.datetime | None) -> dt.datetime | None:
    """`when` made aware with the Date header's offset where it was written without one."""
    if when is None or when.tzinfo is not None:
        return when
    return when.replace(tzinfo=received_at.tzinfo) if received_at else None


def _thread(parts: Sequence[BodyPart], cleaned: Sequence[CleanText], *,
            received_at: dt.datetime | None, author: str | None
            ) -> tuple[str, int, tuple[Segment, ...]]:
    """(text, request_end, segments): each body's cleaned text joined as the request, then
    the history the bodies left out. A body's own words are `new`, an attached message's
    `forwarded`; neighbouring parts of one message (kind, writer and date) are one segment."""
    request: list[Piece] = []
    for part, clean in zip(parts, cleaned, strict=True):
        for piece in clean.pieces:
            if piece.kind == "new" and part.attached:
                piece = replace(piece, kind="forwarded", author=part.author,
                                sent_at=part.sent_at)
            elif piece.kind == "new":
                piece = replace(piece, author=author, sent_at=received_at)
            request.append(piece)
    history = [p for c in cleaned for p in c.history]
    segments: list[Segment] = []
    start = 0
    for number, piece in enumerate([*request, *history]):
        segment = Segment(start=start, end=start + len(piece.text), kind=piece.kind,
                          sent_at=_dated(piece.sent_at, received_at), author=piece.author)
        last = segments[-1] if segments else None
        same = last and (last.kind, last.sent_at, last.author) == (
            segment.kind, segment.sent_at, segment.author)
        if last and same and number != len(request):  # never across the request's end
            segments[-1] = last.model_copy(update={"end": segment.end})
        else:
            segments.append(segment)
        start = segment.end + 2  # the blank line between two messages
    text = "\n\n".join(p.text for p in [*request, *history])
    return text, len("\n\n".join(p.text for p in request)), tuple(segments)


def _read(raw: bytes, max_depth: int, max_parts: int) -> Message:
    msg = BytesParser(policy=POLICY).parsebytes(raw)
    defects: list[str] = list(check_tree(msg, max_depth=max_depth, max_parts=max_parts))
    if not _HEADER_END.search(raw):
        defects.append("truncated")  # headers only: cut before the body began
    bodies = select_bodies(msg)
    subject, subject_defects = header_text(msg, "subject")
    received_at, date_defects = _received_at(msg)
    sender, sender_name, sender_defects = _sender(msg)
    message_id, id_defects = _message_id(msg)
    cleaned = [clean_body(p.content, html=p.html, subject=p.subject) for p in bodies.parts]
    text, request_end, segments = _thread(bodies.parts, cleaned, received_at=received_at,
                                          author=sender_name or sender)
    notes = [n for c in cleaned for n in c.notes]
    if any(p.attached for p in bodies.parts):
        notes.append("attached_message_kept")
    defects += [*bodies.defects, *subject_defects, *date_defects, *sender_defects, *id_defects]
    if not request_end:
        defects.append("no_text")
    return Message(text=text, subject=subject or "", message_id=message_id,
                   received_at=received_at, sender=sender, sender_name=sender_name,
                   defects=tuple(dict.fromkeys(defects)), notes=tuple(dict.fromkeys(notes)),
                   segments=segments, request_end=request_end,
                   titled=tuple(dict.fromkeys(n for c in cleaned for n in c.titled)))


def read_email(raw: bytes, *, max_bytes: int = 10 * 1024 * 1024, max_depth: int = 30,
               max_parts: int = 500) -> Message:
    """Read one RFC 5322 message from its raw bytes.

    Returns a `Message`; raises `EmailReadError` (codes in the module docstring) for what
    cannot be read. Never raises anything else for any input bytes."""
    if len(raw) > max_bytes:
        raise EmailReadError("too_large", f"{len(raw)} bytes, over the limit of {max_bytes}")
    raw = _start(raw)
    if not raw:
        raise EmailReadError("empty", "the message is empty")
    if not _looks_like_email(raw):
        raise EmailReadError("not_email", "no email header at the start of the message")
    _check_structure(raw, max_depth, max_parts)
    try:
        return _read(raw, max_depth, max_parts)
    except MimeLimitError as e:
        raise EmailReadError(e.code, str(e)) from None
    except HtmlTooDeep as e:
        raise EmailReadError("too_deep", str(e)) from None
    except RecursionError:
        raise EmailReadError("too_deep", "the message nests too deep to parse") from None
    except Exception as e:  # a stdlib email bug must cost one record, not the batch
        raise EmailReadError("unreadable", f"{type(e).__name__}: {e}") from e
