"""Bytes to text whatever the charset label says, for bodies and RFC 2047 header words.

Mail in the wild carries labels that are wrong (`iso-8859-1` on UTF-8 bytes), misspelt
(`uft-8`), meaningless (`1`, `bogus`) or dangerous to pass to `bytes.decode` (`base64`,
`unicode_escape`). `decode_bytes` never raises: it tries the label, then UTF-8, then
charset-normalizer's detection (on texts long enough for it), then windows-1252, then latin-1
(which decodes any byte string), and reports what went wrong as short defect strings such as
`unknown_charset:bogus`.
"""

from __future__ import annotations

import base64
import binascii
import codecs
import re
from dataclasses import dataclass

import charset_normalizer

# Codecs Python accepts as text encodings that no mail means: they interpret escapes or
# domain-name syntax, not a character set.
_REFUSED_CODECS = frozenset({"unicode-escape", "raw-unicode-escape", "idna", "punycode",
                             "undefined"})
# Single-byte Western labels. Senders label UTF-8 as one of these often enough that valid,
# non-ASCII UTF-8 wins over the label; and windows-1252 is tried before latin-1, as browsers
# do, because `iso-8859-1` mail uses 0x80-0x9F for the euro sign and quotes.
_WESTERN = frozenset({"ascii", "iso8859-1", "iso8859-15", "cp1252", "latin-1"})
# What detection may choose from: the encodings of English and German mail, plus the ones
# whose bytes would otherwise turn into mojibake that looks like letters.
_DETECTABLE = ("cp1252", "iso8859_15", "cp1250", "iso8859_2", "utf_16", "utf_32", "mac_roman",
               "cp850", "cp1251", "koi8_r")
_MIN_DETECT = 128
_LABEL_CHARS = re.compile(r"[^a-z0-9._:-]")
# RFC 2047 encoded word; the charset may carry an RFC 2231 language suffix (`utf-8*de`).
_ENCODED_WORD = re.compile(r"=\?([^?\s]{1,75})\?([bBqQ])\?([^?\s]*)\?=")


@dataclass(frozen=True)
class Decoded:
    """Decoded text and the defects met on the way (empty when the label was right)."""

    text: str
    defects: tuple[str, ...] = ()


def clean_label(label: str) -> str:
    """A charset label as it may appear in a defect string: lower case, short, no odd chars."""
    return _LABEL_CHARS.sub("", label.strip().strip("\"'").lower())[:40] or "empty"


def _codec_name(label: str) -> str | None:
    try:
        name = codecs.lookup(label).name
    except (LookupError, ValueError):  # ValueError: labels with NUL bytes
        return None
    return None if name in _REFUSED_CODECS else name


def _try(data: bytes, encoding: str) -> str | None:
    try:
        return data.decode(encoding)
    except (UnicodeError, LookupError):  # LookupError: a bytes-to-bytes codec like base64
        return None


def _detect(data: bytes) -> str | None:
    # On a few words detection is a coin toss (it reads "Zürich – 5€" as Mac Roman): below
    # _MIN_DETECT bytes the Western default (windows-1252) is the better guess for our mail.
    if len(data) < _MIN_DETECT:
        return None
    try:
        best = charset_normalizer.from_bytes(data, cp_isolation=list(_DETECTABLE)).best()
    except Exception:  # a detector bug must not lose the message: latin-1 comes next
        return None
    return None if best is None else str(best)


def decode_bytes(data: bytes, label: str | None) -> Decoded:
    """Decode `data` declared as `label` (None: undeclared). Never raises."""
    declared = (label or "").strip().strip("\"'")
    name = _codec_name(declared) if declared else None
    defects = [f"unknown_charset:{clean_label(declared)}"] if declared and name is None else []
    if data.isascii() and (name is None or name in _WESTERN or name == "utf-8"):
        return Decoded(data.decode("ascii"), tuple(defects))
    if name in _WESTERN:
        text = _try(data, "utf-8")
        if text is not None:
            return Decoded(text, (f"charset_mismatch:{clean_label(declared)}",))
        text = _try(data, "cp1252")
        if text is None:
            text = _try(data, name)
        if text is not None:
            return Decoded(text)
    elif name is not None:
        text = _try(data, name)
        if text is not None:
            return Decoded(text)
        defects.append(f"charset_mismatch:{clean_label(declared)}")
    text = _try(data, "utf-8-sig")
    if text is None:
        text = _detect(data)
    if text is None:
        text = _try(data, "cp1252")
    if text is None:
        text = data.decode("latin-1")
    return Decoded(text, tuple(defects))


def _word_bytes(encoding: str, payload: str) -> bytes | None:
    raw = payload.encode("ascii", "surrogateescape")
    try:
        if encoding in "bB":
            return base64.b64decode(raw + b"=" * (-len(raw) % 4))
        return binascii.a2b_qp(raw, header=True)
    except (binascii.Error, ValueError):
        return None


def _literal(text: str) -> Decoded:
    # The bytes parser keeps raw 8-bit header bytes as surrogate escapes; undo that and
    # decode them like an unlabelled body.
    if text.isascii():
        return Decoded(text)
    return decode_bytes(text.encode("utf-8", "surrogateescape"), None)


def decode_header_text(value: str) -> Decoded:
    """Decode a raw header value: RFC 2047 encoded words (any label, with the same fallbacks
    as bodies) and raw 8-bit bytes. Whitespace between adjacent encoded words is dropped as
    RFC 2047 says; adjacent words of one charset are decoded together, because senders split
    multi-byte characters across words."""
    out: list[str] = []
    defects: list[str] = []
    pending: tuple[str, bytearray] | None = None  # charset and bytes of adjacent words
    pos = 0

    def flush() -> None:
        nonlocal pending
        if pending is not None:
            got = decode_bytes(bytes(pending[1]), pending[0])
            out.append(got.text)
            defects.extend(got.defects)
            pending = None

    for m in _ENCODED_WORD.finditer(value):
        between = value[pos : m.start()]
        data = _word_bytes(m.group(2), m.group(3))
        if data is None:
            defects.append("bad_encoded_word")
            continue  # left in place: the next literal run includes it
        if between and not (pending is not None and between.isspace()):
            flush()
            lit = _literal(between)
            out.append(lit.text)
            defects.extend(lit.defects)
        charset = m.group(1).split("*", 1)[0]
        if pending is not None and pending[0].lower() != charset.lower():
            flush()
        if pending is None:
            pending = (charset, bytearray())
        pending[1].extend(data)
        pos = m.end()
    flush()
    lit = _literal(value[pos:])
    out.append(lit.text)
    defects.extend(lit.defects)
    return Decoded("".join(out), tuple(dict.fromkeys(defects)))
