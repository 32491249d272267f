"""Where an email's own text ends and an earlier message (quoted reply, inline forward) begins.

`split_history` finds the first of:
- an intro line that quotequail knows ("On ... wrote:", "Am ... schrieb ...:",
  "---------- Forwarded message ---------", "-----Original Message-----", Outlook's
  underscore line), also when it wraps over two lines;
- a forward marker quotequail lacks ("-------- Weitergeleitete Nachricht --------",
  "-----Ursprüngliche Nachricht-----" spelt with other dashes, "Original-Nachricht");
- a bare header block as Outlook writes it ("From: / Sent: / To: / Subject:",
  "Von: / Gesendet: / An: / Betreff:"): at least three known header lines, one naming the
  sender and one a date with a year or a time, so that a request written as a form
  ("From: 3 Nov / To: 5 Nov") is not taken for one;
- a block of lines quoted with `>`.

It returns the text above it, the earlier message without its quote marks and header lines,
any text after a quoted block (inline answers), and who wrote the earlier message and when, as
its header lines ("From:", "Gesendet:") or else its intro line say (`extractor.intro`).
Only the first 2,000 lines are searched: history starts near the top of real mail, and
quotequail's 30 patterns a line would make a pasted log of 100,000 lines cost seconds. Whether
the earlier message is history to drop or a forwarded request to keep is decided by the caller
(`extractor.text`).
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from typing import Literal

import quotequail

from extractor.intro import author, read_intro, sent_at

Kind = Literal["reply", "forward", "outlook"]

# Forward markers: the sender passes the message on, so its body is the request.
_FORWARD = re.compile(
    r"^>?\s*(?:-{2,}\s*(?:forwarded message|weitergeleitete nachricht|message transféré)"
    r"\s*-{2,}|(?:begin forwarded message|anfang der weitergeleiteten (?:e-mail|nachricht))\s*:"
    r")\s*$", re.I)
# Outlook writes the same block above replies and forwards; the subject tells them apart.
_OUTLOOK = re.compile(
    r"^>?\s*(?:-{2,}\s*(?:original message|ursprüngliche nachricht|original-nachricht)\s*-{2,}"
    r"|_{20,})\s*$", re.I)
_HEADER = re.compile(
    r"^\s*\*?(from|von|sent|gesendet|date|datum|to|an|cc|kopie|bcc|subject|betreff|reply-to|"
    r"antwort an|importance|wichtigkeit)\*?\s*:(.*)$", re.I)
_FROM = frozenset({"from", "von"})
_DATE = frozenset({"sent", "gesendet", "date", "datum"})
_SUBJECT = frozenset({"subject", "betreff"})
_DATE_LIKE = re.compile(r"\b\d{1,2}:\d{2}\b|\b(?:19|20)\d{2}\b")
_MIN_HEADERS = 3
# A word of every intro pattern of quotequail (`quotequail._patterns`): a line without one
# cannot end an intro. tests/extractor/test_text.py checks this against quotequail's lists.
_INTRO_HINT = re.compile(
    r"wrote|schrieb|écrit|escribió|написал|skrev|escreveu|schreef|geschreven|_{32}"
    r"|\d{4}/\d{1,2}/\d{1,2}|forwarded|weitergeleitet|réexpédié|reenviado|doorgestuurd"
    r"|vidarebefordrat|original|ursprüngliche|oorspronkelijk|transféré|origineel|пересылаемое",
    re.I)
_SCAN_LINES = 2000


@dataclass(frozen=True)
class History:
    """A message split at the start of an earlier message it contains."""

    top: str  # the sender's own text above the earlier message
    kind: Kind  # reply: quoted history; forward: passed on; outlook: either, see subject
    inner: str  # the earlier message: quote marks and header lines removed
    inner_subject: str  # its Subject header line when it had one, else ""
    bottom: str  # the sender's text after a quoted block (inline answers), else ""
    # The earlier message's writer (display name, else address) and date, where its header
    # lines or intro give them; the date is naive when written without an offset.
    author: str | None = None
    sent_at: dt.datetime | None = None


def _intro_in(lines: list[str]) -> tuple[int, int] | None:
    """(first, last) line of the intro quotequail finds in `lines`, or None."""
    text = "\n".join(lines)
    # `limit` would otherwise quote everything from line 1000 on.
    begin = quotequail.quote(text, limit=len(lines) + 1, quote_intro_line=True)
    if len(begin) < 2:
        return None
    end = quotequail.quote(text, limit=len(lines) + 1, quote_intro_line=False)
    # Each part is (expanded, text): `begin` splits before the intro, `end` after it. Count
    # lines in parts that cannot be empty lists, where "" means one blank line.
    first = len(lines) - (begin[1][1].count("\n") + 1)
    last = end[0][1].count("\n") if len(end) == 2 else first
    return first, max(first, last)


def _quotequail_intro(lines: list[str]) -> tuple[int, int] | None:
    """The first intro quotequail finds: only lines with a hint word, with their neighbours
    (an intro may wrap onto a second line, the hint on either), are handed to it, which keeps
    long mail cheap."""
    for i, line in enumerate(lines):
        if _INTRO_HINT.search(line):
            start = max(i - 1, 0)
            if (found := _intro_in(lines[start : i + 2])) is not None:
                return start + found[0], start + found[1]
    return None


def _header_block(lines: list[str], start: int) -> tuple[int, dict[str, str]]:
    """The header lines from `start` on (blank lines before them skipped): (end, headers)."""
    i = start
    while i < len(lines) and not lines[i].strip():
        i += 1
    headers: dict[str, str] = {}
    last = ""
    while i < len(lines):
        m = _HEADER.match(lines[i])
        if m:
            last = m.group(1).lower()
            headers.setdefault(last, m.group(2).strip())
        elif last in ("to", "an", "cc", "kopie", "bcc") and ("@" in lines[i] or ";" in lines[i]):
            pass  # a long recipient list wrapped onto the next line
        else:
            break
        i += 1
    return (i, headers) if headers else (start, headers)


def _plausible(headers: dict[str, str]) -> bool:
    dates = [v for k, v in headers.items() if k in _DATE]
    return (len(headers) >= _MIN_HEADERS and bool(_FROM & headers.keys())
            and any(_DATE_LIKE.search(v) for v in dates))


def _bare_header_start(lines: list[str]) -> int | None:
    for i, line in enumerate(lines):
        if _HEADER.match(line) and (i == 0 or not _HEADER.match(lines[i - 1])):
            if _plausible(_header_block(lines, i)[1]):
                return i
    return None


def _first(lines: list[str], pattern: re.Pattern[str]) -> int | None:
    return next((i for i, line in enumerate(lines) if pattern.match(line)), None)


def _quote_start(lines: list[str]) -> int | None:
    # ">From " is an mbox escape that survived, not a quote.
    return next((i for i, line in enumerate(lines)
                 if line.startswith(">") and not line.startswith(">From ")), None)


def _unquote_block(lines: list[str], start: int) -> tuple[list[str], int]:
    """The quoted lines from `start` without one level of `>`, and the index after them."""
    out: list[str] = []
    i = start
    while i < len(lines):
        line = lines[i]
        if line.startswith(">"):
            out.append(line[2:] if line.startswith("> ") else line[1:])
        elif not line.strip() and i + 1 < len(lines) and lines[i + 1].startswith(">"):
            out.append("")
        else:
            break
        i += 1
    return out, i


def split_history(text: str) -> History | None:
    """Split `text` (newline-separated) at the first earlier message that starts within its
    first `_SCAN_LINES` lines, or None."""
    lines = text.split("\n")
    head = lines[:_SCAN_LINES]
    candidates: list[tuple[int, int, Kind]] = []  # (first line, last intro line, kind)
    if (intro := _quotequail_intro(head)) is not None:
        line = " ".join(lines[intro[0] : intro[1] + 1])
        kind: Kind = ("forward" if _FORWARD.match(line) or "forward" in line.lower()
                      else "outlook" if _OUTLOOK.match(line) else "reply")
        candidates.append((intro[0], intro[1], kind))
    for pattern, kind in ((_FORWARD, "forward"), (_OUTLOOK, "outlook")):
        if (i := _first(head, pattern)) is not None:
            candidates.append((i, i, kind))
    if (i := _bare_header_start(head)) is not None:
        candidates.append((i, i - 1, "outlook"))
    if (i := _quote_start(head)) is not None:
        candidates.append((i, i - 1, "reply"))
    if not candidates:
        return None
    first, last_intro, kind = min(candidates, key=lambda c: (c[0], -c[1]))
    rest = lines[last_intro + 1 :]
    bottom: list[str] = []
    j = 0
    while j < len(rest) and not rest[j].strip():
        j += 1
    if j < len(rest) and rest[j].startswith(">"):
        quoted, after = _unquote_block(rest, j)
        rest, bottom = quoted, rest[after:]
    end, headers = _header_block(rest, 0)
    if kind == "reply" and not _plausible(headers):
        end, headers = 0, {}  # "> Date: 3 Nov" in a quoted request is no header line
    subject = next((v for k, v in headers.items() if k in _SUBJECT), "")
    intro_date, intro_author = read_intro(" ".join(lines[first : last_intro + 1]))
    sender = next((author(v) for k, v in headers.items() if k in _FROM and v), None)
    date = next((sent_at(v) for k, v in headers.items() if k in _DATE and v), None)
    return History(top="\n".join(lines[:first]).strip("\n"), kind=kind,
                   inner="\n".join(rest[end:]).strip("\n"), inner_subject=subject,
                   bottom="\n".join(bottom).strip("\n"), author=sender or intro_author,
                   sent_at=date or intro_date)
