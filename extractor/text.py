"""From a chosen email body to the text the extractor reads (`Message.text`).

`clean_body` keeps the sender's own words and line structure and removes what is not the
request: reply history, signatures, disclaimers and mobile footers (`extractor.history`,
`extractor.signature`). Earlier messages are kept when they are the request:
- a forward ("Fwd:", "WG:", "---------- Forwarded message ---------") keeps the forwarded
  body, without its header lines, below the sender's note;
- a reply whose own text is empty or only says "see below" / "siehe unten" keeps the quoted
  request below it;
- any other reply drops the quoted history, so older dates in it cannot reach the form.
Outlook writes the same "From: / Sent:" block above replies and forwards; the subject decides
("RE:"/"AW:" is a reply), and without a reply prefix the block is kept.

Only emails are cleaned: a `--text` or JSONL input is the text exactly as sent.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

from extractor.history import split_history
from extractor.html_text import html_to_text
from extractor.signature import strip_signature

_MAX_SPLITS = 20  # earlier messages looked for in one email: forwards in replies in ...
_TRIVIAL_CHARS = 300
_SEE_BELOW = re.compile(
    r"\b(?:see|siehe|vgl\.?)\b[^\n]{0,40}\b(?:below|unten)\b|\bs\.\s?u\.|\bfyi\b"
    r"|\bzur (?:info|kenntnis)\b|\bplease (?:book|handle|arrange|take care of)\b[^\n]{0,30}"
    r"\b(?:below|this)\b|\bbitte (?:buchen|bearbeiten|erledigen)\b", re.I)
_PREFIX = re.compile(r"^\s*(re|aw|antw|sv|wg|fwd?|tr|wtr|weitergeleitet)\s*(?:\[\d+\])?\s*:", re.I)
_REPLY_PREFIXES = frozenset({"re", "aw", "antw", "sv"})
_SPACES = re.compile(r"[\u00a0\u1680\u2000-\u200a\u202f\u205f\u3000]")
# Invisible characters and controls (tab and newline stay): zero-width spaces, BOMs, soft
# hyphens inside words, C0/C1 controls, and lone surrogates that JSON and databases reject.
_INVISIBLE = re.compile(
    "[\u200b\u200c\u200d\u2060\ufeff\u00ad\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ud800-\udfff]")
_BLANK_RUNS = re.compile(r"\n{3,}")


@dataclass(frozen=True)
class CleanText:
    """The cleaned text and notes on what was removed or kept (`quoted_history_removed`,
    `quoted_request_kept`, `forwarded_text_kept`, `signature_removed`, ...)."""

    text: str
    notes: tuple[str, ...] = ()


def normalize_text(text: str) -> str:
    """NFC, `\\n` line ends, plain spaces for no-break spaces, no invisible characters, no
    trailing spaces, at most one blank line in a row, no blank lines at either end."""
    text = unicodedata.normalize("NFC", text)
    text = text.replace("\r\n", "\n").replace("\r", "\n").replace("\u2028", "\n")
    text = text.replace("\u2029", "\n\n")
    text = _INVISIBLE.sub("", _SPACES.sub(" ", text))
    text = "\n".join(line.rstrip() for line in text.split("\n"))
    return _BLANK_RUNS.sub("\n\n", text).strip("\n")


def is_reply_subject(subject: str) -> bool:
    """Whether the subject's first prefix marks a reply ("Re:", "AW:"), not a forward."""
    m = _PREFIX.match(subject)
    return m is not None and m.group(1).lower() in _REPLY_PREFIXES


def _trivial(own: str) -> bool:
    """Whether a reply's own text says nothing but "see below"."""
    stripped = own.strip()
    return not stripped or (len(stripped) <= _TRIVIAL_CHARS and bool(_SEE_BELOW.search(stripped)))


def _join(*parts: str) -> str:
    return "\n\n".join(p.strip("\n") for p in parts if p.strip())


class _Cleaner:
    """Cleans a message and the earlier messages inside it, with a budget of history splits:
    each split scans the text once, and a thread of thousands of interleaved quotes must not
    cost more than `_MAX_SPLITS` scans."""

    def __init__(self) -> None:
        self.splits_left = _MAX_SPLITS

    def clean(self, text: str, subject: str) -> tuple[str, list[str]]:
        history = None
        if self.splits_left > 0:
            self.splits_left -= 1
            history = split_history(text)
        if history is None:
            own, removed = strip_signature(text)
            return own, list(removed)
        own, notes = self.clean(_join(history.top, history.bottom), subject)
        forward = history.kind == "forward" or (history.kind == "outlook"
                                                and not is_reply_subject(subject))
        if not forward and not _trivial(own):
            return own, [*notes, "quoted_history_removed"]
        inner, inner_notes = self.clean(history.inner, history.inner_subject)
        kept = "forwarded_text_kept" if forward else "quoted_request_kept"
        return _join(own, inner), [*notes, kept, *inner_notes]


def clean_body(body: str, *, html: bool = False, subject: str = "") -> CleanText:
    """The text the extractor reads from one email body.

    `body` is the decoded body (HTML when `html`); `subject` is the email's Subject, which
    tells an Outlook reply from an Outlook forward. Raises `extractor.html_text.HtmlTooDeep`
    for HTML nested deeper than any mail client writes."""
    text = normalize_text(html_to_text(body) if html else body)
    cleaned, notes = _Cleaner().clean(text, subject)
    return CleanText(normalize_text(cleaned), tuple(dict.fromkeys(notes)))
