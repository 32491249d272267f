"""From a chosen email body to the text the extractor reads (`Message.text`).

`clean_body` keeps the sender's own words and line structure and removes what is not the
request: reply history, signatures, disclaimers and mobile footers (`extractor.history`,
`extractor.signature`). Earlier messages are kept when they are the request:
- a forward ("Fwd:", "WG:", "---------- Forwarded message ---------") keeps the forwarded
  body, without its header lines, below the sender's note;
- a reply whose own text is empty or only says "see below" / "siehe unten" keeps the quoted
  request below it;
- any other reply leaves the quoted history out of `text`, so older dates in it cannot reach
  the form as the request's.
Outlook writes the same "From: / Sent:" block above replies and forwards; the subject decides
("RE:"/"AW:" is a reply), and without a reply prefix the block is kept.

The history a reply drops is not lost: `CleanText.history` holds each earlier message it left
out, cleaned the same way, for the reader to append after the request (`Message.segments`), and
`CleanText.pieces` says which message each part of `text` comes from. Both are found with the
same budget of history splits as `text`, the dropped history only after the request is done, so
`text` is what it would be without them.

Only emails are cleaned: a `--text` or JSONL input keeps the text exactly as sent, and
`quoted_reply` says where a reply's quoted history stands in it, for the reader to leave out
(`extractor.prepared.Prepared.of_text`).
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from dataclasses import dataclass, replace

from extractor.form import SegmentKind
from extractor.history import History, split_history
from extractor.html_text import html_to_text
from extractor.signature import strip_signature
from extractor.values.people import titled_full_names

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
class Piece:
    """The cleaned words of one message of a thread: the sender's own (`new`), a forwarded
    original (`forwarded`) or a quoted message (`quoted`), with the writer and date its intro
    gives (the date naive when written without an offset). The sender's own piece has neither:
    the reader knows them from the email's headers."""

    text: str
    kind: SegmentKind
    author: str | None = None
    sent_at: dt.datetime | None = None


@dataclass(frozen=True)
class CleanText:
    """The cleaned text and notes on what was removed or kept (`quoted_history_removed`,
    `quoted_request_kept`, `forwarded_text_kept`, `signature_removed`, ...).

    `pieces` cover `text` in order, joined by "\\n\\n"; `history` holds the earlier messages
    left out of `text` (quoted history of a reply that says more than "see below"), all of
    kind `quoted`, a message before those it quotes. `titled` are the full names the body
    writes after a title, its signature and history included ("Assistentin von Dr. Hendrik
    Albers"): whom a request's "Herrn Dr. Albers" is."""

    text: str
    notes: tuple[str, ...] = ()
    pieces: tuple[Piece, ...] = ()
    history: tuple[Piece, ...] = ()
    titled: tuple[str, ...] = ()


def normalize_text(text: str) -> str:
    """NFC, `\\n` line ends, plain spaces for no-break spaces, no invisible characters, no
    trailing spaces, at most one blank line in a row, no blank lines at either end."""
    text = unicodedata.normalize("NFC", text)
    text = text.replace("\r\n", "\n").replace("\r", "\n").replace("\u2028", "\n")
    text = text.replace("\u2029", "\n\n")
    text = _INVISIBLE.sub("", _SPACES.sub(" ", text))
    text = "\n".join(line.rstrip() for line in text.split("\n"))
    return _BLANK_RUNS.sub("\n\n", text).strip("\n")


# a form line's dot leaders between its label and value: "Employee .......... Nils Aas"
# (a space before four dots or more: no ellipsis, "So... see you", "wait .... ok")
_LEADER = re.compile(r"^([ \t]*[^\W\d_][^\n.:]{0,30}?[ \t]+)(\.{4,})(?=[ \t]*[^\s.])",
                     re.MULTILINE)


def leaders_as_colons(text: str) -> str:
    """`text` with the dot leaders of a tool's form lines read as the colon they stand for
    ("Employee .......... Nils Aas" as "Employee :          Nils Aas"), every character kept
    in its place, so that offsets into one index into the other."""
    return _LEADER.sub(lambda m: m[1] + ":" + " " * (len(m[2]) - 1), text)


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
    cost more than `_MAX_SPLITS` scans. The history a reply drops waits in `dropped` until the
    request is done, so that cleaning it cannot spend a split the request would have used."""

    def __init__(self) -> None:
        self.splits_left = _MAX_SPLITS
        self.dropped: list[History] = []  # in the order they stand in the text

    def clean(self, text: str, subject: str, piece: Piece) -> tuple[list[Piece], list[str]]:
        """`text` cleaned as pieces: `piece` (text aside) is the kind, writer and date of the
        message `text` belongs to, passed on to its own words."""
        history = None
        if self.splits_left > 0:
            self.splits_left -= 1
            history = split_history(text)
        if history is None:
            own, removed = strip_signature(text)
            return [replace(piece, text=own)], list(removed)
        slot = len(self.dropped)  # this history stands before any the text below it drops
        own_pieces, notes = self.clean(_join(history.top, history.bottom), subject, piece)
        own = _join(*(p.text for p in own_pieces))
        forward = history.kind == "forward" or (history.kind == "outlook"
                                                and not is_reply_subject(subject))
        if not forward and not _trivial(own):
            self.dropped.insert(slot, history)
            return own_pieces, [*notes, "quoted_history_removed"]
        kind: SegmentKind = "forwarded" if forward else "quoted"
        inner, inner_notes = self.clean(history.inner, history.inner_subject,
                                        Piece("", kind, history.author, history.sent_at))
        kept = "forwarded_text_kept" if forward else "quoted_request_kept"
        return [*own_pieces, *inner], [*notes, kept, *inner_notes]

    def history(self) -> list[Piece]:
        """The dropped earlier messages, each cleaned with what is left of the budget and
        followed by the history it drops in turn (a message before those it quotes), all
        `quoted`."""
        found: list[Piece] = []
        waiting, self.dropped = self.dropped, []
        for history in waiting:
            pieces, _ = self.clean(history.inner, history.inner_subject,
                                   Piece("", "quoted", history.author, history.sent_at))
            found.extend(replace(p, kind="quoted") for p in pieces)
            found.extend(self.history())
        return found


def _normalized(pieces: list[Piece]) -> list[Piece]:
    """Each piece normalized on its own, empty ones left out, and neighbours from the same
    message (same kind, writer and date: answers between quotes) joined into one."""
    out: list[Piece] = []
    for piece in pieces:
        text = normalize_text(piece.text)
        if not text:
            continue
        if out and replace(out[-1], text="") == replace(piece, text=""):
            out[-1] = replace(piece, text=f"{out[-1].text}\n\n{text}")
        else:
            out.append(replace(piece, text=text))
    return out


def clean_body(body: str, *, html: bool = False, subject: str = "") -> CleanText:
    """The text the extractor reads from one email body, and the thread it came from.

    `body` is the decoded body (HTML when `html`); `subject` is the email's Subject, which
    tells an Outlook reply from an Outlook forward. Raises `extractor.html_text.HtmlTooDeep`
    for HTML nested deeper than any mail client writes."""
    text = normalize_text(html_to_text(body) if html else body)
    cleaner = _Cleaner()
    found, notes = cleaner.clean(text, subject, Piece("", "new"))
    cleaned = normalize_text(_join(*(p.text for p in found)))
    pieces = _normalized(found)
    # Normalized one by one, the pieces have joined to the text on every body tried (the
    # corpus and composed threads); should they not, the text wins, as one piece.
    if "\n\n".join(p.text for p in pieces) != cleaned:
        pieces = [replace(found[0], text=cleaned)] if cleaned else []
    return CleanText(cleaned, tuple(dict.fromkeys(notes)), tuple(pieces),
                     tuple(_normalized(cleaner.history())), tuple(titled_full_names(text)))


@dataclass(frozen=True)
class QuotedReply:
    """Where a reply's quoted history stands in a text given as is (`start`, `end`: from its
    intro or first quoted line to its last line), and who wrote it when, as far as it says."""

    start: int
    end: int
    author: str | None = None
    sent_at: dt.datetime | None = None


def quoted_reply(text: str) -> QuotedReply | None:
    """The quoted history of a reply pasted with the writer's own words in `text` (a chat
    under the agency's confirmation, "On ... wrote:" under a request), above or below them, as
    `clean_body` would leave it out of a mail; None when `text` quotes nothing, passes a
    message on (a forward, an Outlook block: it may be the request) or says nothing of its
    own ("see below")."""
    history = split_history(text)
    if history is None or history.kind != "reply" or _trivial(_join(history.top,
                                                                      history.bottom)):
        return None
    top_end = text.find(history.top) + len(history.top) if history.top else 0
    start = len(text) - len(text[top_end:].lstrip())
    end = text.rfind(history.bottom) if history.bottom else len(text)
    end = len(text[:end].rstrip())
    if not top_end <= start < end:
        return None
    return QuotedReply(start, end, history.author, history.sent_at)

