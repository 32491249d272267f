"""A message ready for the model (`Prepared`): its text, what the reader learnt about it, the
part of it the steps read (`read`: the request without its signature or quoted history) and
the quoted history a reply answers (`quoted`), read apart.

A text given as is (`--text`, JSONL, the API's JSON body) is read as carefully as a mail's
body (`Prepared.of_text`): its signature, disclaimer and contact block are not read, nor the
quoted history of a reply pasted with it, above or below the writer's own words; while every
evidence offset still indexes into the caller's text.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field
from functools import cached_property

from extractor.form import Segment, Sender
from extractor.signature import strip_signature
from extractor.spelling import mended
from extractor.text import leaders_as_colons, quoted_reply
from extractor.values.people import same_author, titled_full_names

__all__ = ["MAX_READ_CHARS", "Prepared"]

# What the steps read of one text: ~23 times the longest email of the corpus (1,376
# characters), so that one huge message costs a bounded time. A longer text is read up to the
# last line break before this (or this, without one), and goes to review as `defect:text_cut`.
MAX_READ_CHARS = 32_000


@dataclass(frozen=True)
class Prepared:
    """A message ready for the model: its id, text and what the reader learnt about it."""

    id: str
    text: str
    received_at: dt.datetime | None = None
    subject: str | None = None
    defects: tuple[str, ...] = field(default_factory=tuple)
    sender: Sender | None = None
    # where the request ends: in a text given as is, before a signature, disclaimer or contact
    # block (not read); in a thread, before the quoted history (read apart: `quoted`); None:
    # it runs to the end
    own_end: int | None = None
    # the parts of a thread's text (`extractor.read`; for a text given as is, its own words
    # and the quoted history pasted with them, or none)
    segments: tuple[Segment, ...] = ()
    # in a text given as is, where the quoted history pasted above the writer's words stands:
    # blanked where the steps read (`read`), read apart (`quoted`)
    hidden: tuple[int, int] | None = None
    # in a quote: where `sender`'s own earlier message stands in `text` (the request their
    # reply answers to: "ich brauche ein EZ ... Florian Weiß" under the agency's question),
    # whose first person is theirs; None: `sender` wrote none of it
    asked: tuple[int, int] | None = None
    # in a quote: whom the quoted history was written to (the sender of the reply above it)
    addressee: Sender | None = None
    # the full names the message writes after a title, its signatures included ("Assistentin
    # von Dr. Hendrik Albers"), which the reader cut from `text`: whom "Herrn Dr. Albers" is
    titled: tuple[str, ...] = ()

    @classmethod
    def of_text(cls, id: str, text: str, received_at: dt.datetime | None = None,
                defects: tuple[str, ...] = ()) -> Prepared:
        """A text given as is (`--text`, JSONL, the API's JSON body), read as carefully as a
        mail's body: what `extractor.signature.strip_signature` would cut from its end is not
        read, nor the quoted history of a reply pasted below or above the writer's words
        (`extractor.text.quoted_reply`), which is read apart as the booking the reply is about;
        while `text`, which evidence offsets index into, stays the caller's."""
        quote = quoted_reply(text)
        hidden = (quote.start, quote.end) if quote else None
        seen = _blanked(text, hidden)
        cleaned, _ = strip_signature(seen)
        own_end = len(cleaned) if (cleaned.strip() and len(cleaned) < len(text)
                                   and seen.startswith(cleaned)) else None
        segments: tuple[Segment, ...] = ()
        if quote is not None:
            sent_at = quote.sent_at
            if sent_at is not None and sent_at.tzinfo is None and received_at is not None:
                sent_at = sent_at.replace(tzinfo=received_at.tzinfo)
            parts = [Segment(start=quote.start, end=quote.end, kind="quoted",
                             author=quote.author, sent_at=sent_at)]
            parts += [Segment(start=a, end=b, kind="new") for a, b in
                      ((0, quote.start), (quote.end, len(text))) if text[a:b].strip()]
            segments = tuple(sorted(parts, key=lambda s: s.start))
            if quote.end == len(text):  # under the writer's words: the request ends above it
                own_end, hidden = min(own_end or len(text), len(text[: quote.start].rstrip())), None
        return cls(id=id, text=text, received_at=received_at, defects=defects, own_end=own_end,
                   segments=segments, hidden=hidden, titled=tuple(titled_full_names(text)))

    @cached_property
    def read(self) -> str:
        """What the steps after reading see: the message proper (`own_end`), cut after
        `MAX_READ_CHARS`, dot leaders read as colons and stay words' swapped letters mended
        (`leaders_as_colons`, `mended`): evidence offsets into it index into `text` alike."""
        text = _untimed(_blanked(self.text if self.own_end is None
                                 else self.text[: self.own_end], self.hidden))
        if len(text) > MAX_READ_CHARS:
            line_end = text.rfind("\n", 0, MAX_READ_CHARS)
            text = text[: line_end if line_end > 0 else MAX_READ_CHARS]
        return mended(leaders_as_colons(text))

    @cached_property
    def _later_quotes(self) -> tuple[Segment, ...]:
        """The quoted segments after the request (`own_end`), or pasted above it in a text
        given as is (`hidden`): the history a reply answers."""
        after = self.own_end if self.own_end is not None else len(self.text)
        return tuple(s for s in self.segments if s.kind == "quoted" and (
            s.start >= after or (s.start, s.end) == self.hidden))

    @cached_property
    def quoted(self) -> Prepared | None:
        """The quoted history a reply answers as a message of its own (its text from the
        first of `_later_quotes` to the last, its date the quote's), or None. Built once:
        `score` and `finish` both ask for it."""
        later = self._later_quotes
        if not later:
            return None
        start, end = later[0].start, later[-1].end
        own = [s for s in later if self.sender and same_author(s.author, self.sender.name)]
        return Prepared(id=f"{self.id}#quoted", text=self.text[start:end],
                        received_at=later[0].sent_at or self.received_at,
                        sender=self.sender if own else None, addressee=self.sender,
                        asked=(own[-1].start - start, own[-1].end - start) if own else None,
                        segments=tuple(s.model_copy(update={"start": s.start - start,
                                                            "end": s.end - start})
                                       for s in later))

    @property
    def quoted_start(self) -> int:
        """Where `quoted`'s text starts in `text`."""
        return self._later_quotes[0].start

    @property
    def notes(self) -> tuple[str, ...]:
        """The defects, with `text_cut` when `read` is not the whole text."""
        return self.defects + (("text_cut",) if len(self.text) > MAX_READ_CHARS else ())


# the time a chat export writes before each message: "09:21 korrektur: Fr–So", "[10:06] ..."
_TIMESTAMP = re.compile(r"^[ \t]*\[?\d{1,2}:\d\d(?::\d\d)?\]?(?:[ \t]*[-–:])?[ \t]+(?=\S)",
                        re.MULTILINE)


def _untimed(text: str) -> str:
    """`text` without the times a pasted chat writes before its messages (on two lines or
    more; the steps read the words), each written as spaces (a time holds no line break)."""
    if len(_TIMESTAMP.findall(text, 0, MAX_READ_CHARS)) < 2:
        return text
    return _TIMESTAMP.sub(lambda m: " " * len(m.group()), text)


def _blanked(text: str, span: tuple[int, int] | None) -> str:
    """`text` with the characters of `span` (clipped to it) written as spaces, its line breaks
    kept: what is not read leaves every offset where it was."""
    if span is None or span[0] >= len(text):
        return text
    start, end = span[0], min(span[1], len(text))
    return text[:start] + "".join(c if c == "\n" else " " for c in text[start:end]) + text[end:]
