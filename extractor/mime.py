"""The MIME tree of a parsed email to the body texts worth reading, in order.

- multipart/alternative: text/plain, unless it is empty or a stub ("view this email in your
  browser"); then the HTML (or a multipart/related holding it).
- multipart/mixed and others: every inline text part and attached message, in order (the
  body of a message/rfc822 part is read like the message's own: a forwarded request, with
  its own From and Date as its writer and date).
- multipart/related: its root (first) part; multipart/signed: the signed part;
  multipart/encrypted: nothing, noted as a defect.
- Attachments that are not messages (files, images, PDFs, text attachments) are skipped
  without decoding them.
- A body longer than `MAX_BODY_CHARS` (HTML: `MAX_HTML_CHARS`) is cut there (`body_cut`).

`check_tree` walks the whole tree without recursion and enforces the depth and part-count
limits; `select_bodies` then recurses at most that deep. `POLICY` is the parser policy that
makes reading headers cheap and safe.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from email.headerregistry import HeaderRegistry
from email.message import Message
from email.policy import EmailPolicy
from email.utils import parsedate_to_datetime
from functools import lru_cache
from typing import Any

from extractor.charsets import Decoded, decode_bytes, decode_header_text
from extractor.intro import author

MAX_HEADER_CHARS = 8 * 1024
# Address and MIME parameter headers go through the stdlib's structured parser, which is
# quadratic in runs of `;`, `"`, `\` or `,` (0.3 s at 8 KB) and recurses once per `(`.
STRUCTURED_HEADER_CHARS = 1024
_STRUCTURED = frozenset({"from", "to", "cc", "bcc", "sender", "reply-to", "content-type",
                         "content-disposition", "content-transfer-encoding"})
_MIME_HEADERS = ("content-type", "content-disposition", "content-transfer-encoding")
_REGISTRY = HeaderRegistry()
_STUB = re.compile(r"html|browser|web ?version|webansicht|online ansehen|view (?:it|this|the)"
                   r" (?:e-?mail|message|newsletter)? ?online", re.I)
_STUB_CHARS = 300
# A hotel request is a few hundred characters, a long thread some tens of thousands. Bodies
# beyond these are cut (defect `body_cut`): cleaning and the model cost time in their length.
MAX_BODY_CHARS = 1_000_000
MAX_HTML_CHARS = 2_000_000
_WHITESPACE = re.compile(r"\s+")


class MimeLimitError(Exception):
    """The MIME tree breaks a limit: `code` is `too_deep` or `too_many_parts`."""

    def __init__(self, code: str, message: str) -> None:
        super().__init__(message)
        self.code = code


@lru_cache(maxsize=1024)
def _parse_header(name: str, value: str) -> Any:
    value = value.replace("\r", "").replace("\n", "")
    value = value[: STRUCTURED_HEADER_CHARS if name.lower() in _STRUCTURED else MAX_HEADER_CHARS]
    try:
        return _REGISTRY(name, value)
    except Exception:  # RecursionError on nested comments, and the parser's own bugs
        return _REGISTRY(name, "")


class _CappedPolicy(EmailPolicy):
    """`policy.default`, except that a header is cut before it is parsed, a header the
    parser cannot handle reads as empty (a Content-Type then as text/plain), and each
    distinct header is parsed once (the parser fetches Content-Type several times a part)."""

    def header_fetch_parse(self, name: str, value: str) -> Any:
        if hasattr(value, "name"):
            return value
        return _parse_header(name, value)


POLICY = _CappedPolicy()


@dataclass(frozen=True)
class BodyPart:
    """One body to read: decoded `content` (HTML when `html`), the Subject of the message it
    belongs to, and whether that message was attached (a forward as attachment). An attached
    message's writer (From display name, else address) and Date (naive when sent as "-0000")
    are `author` and `sent_at`, None where unreadable and for the email's own parts."""

    content: str
    html: bool
    subject: str
    attached: bool
    author: str | None = None
    sent_at: dt.datetime | None = None


@dataclass(frozen=True)
class Bodies:
    parts: tuple[BodyPart, ...]
    defects: tuple[str, ...]


def raw_header(part: Message, name: str) -> str | None:
    """The first `name` header of `part` as it was sent (unparsed; 8-bit bytes kept as
    surrogate escapes), or None."""
    lname = name.lower()
    return next((v for k, v in part.raw_items() if k.lower() == lname), None)


def header_text(part: Message, name: str) -> tuple[str | None, tuple[str, ...]]:
    """The decoded text of header `name` (unfolded, encoded words decoded, white space
    collapsed) and defects; a header longer than `MAX_HEADER_CHARS` is cut there."""
    raw = raw_header(part, name)
    if raw is None:
        return None, ()
    defects: tuple[str, ...] = ()
    if len(raw) > MAX_HEADER_CHARS:
        raw, defects = raw[:MAX_HEADER_CHARS], (f"header_too_long:{name.lower()}",)
    decoded = decode_header_text(raw)
    return _WHITESPACE.sub(" ", decoded.text).strip(), defects + decoded.defects


def defect_code(defect: object) -> str:
    """A parser defect as a short code: `CloseBoundaryNotFoundDefect` -> `truncated` (the
    message ends inside a multipart), others -> `mime:<snake_case_name>`."""
    name = type(defect).__name__.removesuffix("Defect")
    snake = re.sub(r"(?<!^)(?=[A-Z])", "_", name).lower()
    return "truncated" if snake == "close_boundary_not_found" else f"mime:{snake}"


def _children(part: Message) -> list[Message]:
    payload = part.get_payload() if part.is_multipart() else None
    return [p for p in payload if isinstance(p, Message)] if isinstance(payload, list) else []


def check_tree(msg: Message, *, max_depth: int, max_parts: int) -> tuple[str, ...]:
    """Walk the whole tree iteratively; raise `MimeLimitError` past `max_depth` levels or
    `max_parts` parts; return the parser's defects as codes."""
    defects: list[str] = []
    stack = [(msg, 0)]
    count = 0
    while stack:
        part, depth = stack.pop()
        count += 1
        if count > max_parts:
            raise MimeLimitError("too_many_parts", f"more than {max_parts} MIME parts")
        if depth > max_depth:
            raise MimeLimitError("too_deep", f"MIME parts nested deeper than {max_depth}")
        defects.extend(defect_code(d) for d in part.defects)
        defects.extend(f"header_too_long:{name}" for name in _MIME_HEADERS
                       if len(raw_header(part, name) or "") > STRUCTURED_HEADER_CHARS)
        stack.extend((child, depth + 1) for child in _children(part))
    return tuple(dict.fromkeys(defects))


def _decode(part: Message) -> Decoded:
    data = part.get_payload(decode=True)
    decoded = decode_bytes(data if isinstance(data, bytes) else b"", part.get_content_charset())
    # Decoding adds base64 defects to the part.
    return Decoded(decoded.text, decoded.defects + tuple(defect_code(d) for d in part.defects))


def _origin(msg: Message) -> tuple[str | None, dt.datetime | None]:
    """An attached message's writer and date from its From and Date headers."""
    sender, _ = header_text(msg, "from")
    date, _ = header_text(msg, "date")
    try:
        sent = parsedate_to_datetime(date) if date else None
    except (TypeError, ValueError, IndexError, OverflowError):
        sent = None
    return (author(sender) if sender else None), sent


class _Selector:
    def __init__(self) -> None:
        self.defects: list[str] = []
        self.origins: list[tuple[str | None, dt.datetime | None]] = []

    def text(self, part: Message, subject: str, attached: bool) -> list[BodyPart]:
        got = _decode(part)
        self.defects.extend(got.defects)
        html = part.get_content_subtype() == "html"
        content = got.text
        if len(content) > (limit := MAX_HTML_CHARS if html else MAX_BODY_CHARS):
            content = content[:limit]
            self.defects.append("body_cut")
        return [BodyPart(content, html, subject, attached, *self.origins[-1])]

    def message(self, msg: Message, *, attached: bool) -> list[BodyPart]:
        subject, defects = header_text(msg, "subject")
        self.defects.extend(defects)
        # The bodies read until this message ends are its own: its writer and date.
        self.origins.append(_origin(msg) if attached else (None, None))
        try:
            return self.part(msg, subject or "", attached, top=True)
        finally:
            self.origins.pop()

    def part(self, part: Message, subject: str, attached: bool, *, top: bool = False
             ) -> list[BodyPart]:
        ctype = part.get_content_type()
        maintype, subtype = ctype.split("/", 1)
        if ctype in ("message/rfc822", "message/global"):
            return [p for inner in _children(part) for p in self.message(inner, attached=True)]
        if not top and part.get_content_disposition() == "attachment":
            return []
        if maintype == "text":
            return self.text(part, subject, attached) if subtype in ("plain", "html") else []
        if maintype != "multipart":
            return []
        children = _children(part)
        if subtype == "alternative":
            return self.alternative(children, subject, attached)
        if subtype == "encrypted":
            self.defects.append("encrypted")
            return []
        if subtype in ("related", "signed"):
            children = children[:1]
        return [p for child in children for p in self.part(child, subject, attached)]

    def alternative(self, children: list[Message], subject: str, attached: bool
                    ) -> list[BodyPart]:
        plain = [c for c in children if c.get_content_type() == "text/plain"]
        stub: list[BodyPart] = []
        for candidate in plain:
            got = self.text(candidate, subject, attached)
            stripped = got[0].content.strip()
            if stripped and not (len(stripped) <= _STUB_CHARS and _STUB.search(stripped)):
                return got
            stub = stub or got
        rich = [c for c in reversed(children) if c.get_content_type() != "text/plain"]
        for candidate in rich:  # the last alternative is the richest (RFC 2046)
            if got := self.part(candidate, subject, attached):
                if plain:
                    self.defects.append("plain_stub")
                return got
        return stub


def select_bodies(msg: Message) -> Bodies:
    """The bodies of `msg` worth reading, in order (call `check_tree` first)."""
    selector = _Selector()
    parts = selector.message(msg, attached=False)
    own = [p for p in parts if not p.attached]
    if own and all(p.html for p in own):
        selector.defects.append("html_only")
    return Bodies(tuple(parts), tuple(dict.fromkeys(selector.defects)))
