"""The geometry of one text: lines, clauses, sentences, its sign-off zone and whether it
writes with capitals, computed once per text and shared by the steps after the model.

Steps ask the layout instead of searching the text for line breaks themselves, so that "the
line holding this span" or "the clause of this offset" means the same everywhere.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from functools import cached_property

from extractor.lexicon import alternation, lexicon
from extractor.signature import earlier_sign_offs, sign_off_span

# where a clause ends: a line break, a semicolon, a sentence end, a comma before a space, or
# a trip's next stop ("munich 2 nights from 9 sept then zurich 3 nights")
_CLAUSE_BREAK = re.compile(r"[\n;.!?]\s|[\n;]|,\s|(?<!\w)(?:then|dann|danach|anschließend)\s",
                           re.IGNORECASE)
# ... but not the dot of a date that opens its line, an itinerary's stop: "Di 3.11. Dresden"
_LINE_DATE = re.compile(r"[ \t]*(?:[-•*·–][ \t]*)?(?:[^\W\d_]{2,10}\.?,?[ \t]+)?\d{1,2}\.\d{1,2}")
# a postscript under the signature, to the next blank line: "P.S. ...", "PS: ...", "Nachtrag:"
_POSTSCRIPT = re.compile(r"(?im)^[ \t]*(?:p\.?[ \t]?p?\.?[ \t]?s\b\.?|nachtrag\b|addendum\b)[ \t]*:?"
                         r".*(?:\n(?![ \t]*\n|[ \t]*(?:--|__)).*)*")
FOOTER_LINES = 2
SIGNATURE_LINES = 3  # a sign-off, a name and a line of the block at least, above a footer
# a line of a message, not of a footer: quoted, greeting, heading a message or a form's field
_NOT_FOOTER = re.compile(
    rf"[ \t]*(?:>(?!>>)|(?i:{alternation(lexicon().people.greetings)})\b|[^:\n]{{0,30}}:[ \t]*$"
    r"|(?i:from|von|sent|gesendet|subject|betreff|an|to)[ \t]*:|-{2,}|_{20,}|=== )")
_SENTENCE_END = re.compile(r"[\n.!?;]")
# a clause ends at a comma and at a turn ("Preis egal, aber mit Frühstück", "but")
_CLAUSE_END = re.compile(r"[\n.!?;,]|(?<!\w)(?:aber|but|jedoch|however)(?!\w)", re.I)
_LETTER_WORD = re.compile(r"[^\W\d_]+")
# a line shorter than this ends at a structural break (a list item, a header, a sign-off);
# longer lines are hard-wrapped prose, where a name may go on in the next line
WRAPPED_LINE = 60
# a wrapping program breaks a line only where the next word would pass its width (68 or more
# columns): a line the next word still fits on within this many was ended by its writer
FITS_ON_LINE = 68
_NEXT_WORD = re.compile(r"[ \t]*(\S*)")
# a line that starts a list item: "- Straßburg: ...", "• ...", "2) ..."
_LIST_ITEM = re.compile(r"[ \t]*(?:[-•*·–]|\d{1,2}[.)])[ \t]")


class Layout:
    """Lines, clauses, sentences and the sign-off zone of `text` (each computed on first use)."""

    def __init__(self, text: str) -> None:
        self.text = text

    # -- lines ----------------------------------------------------------------------------
    @cached_property
    def _breaks(self) -> list[int]:
        return [m.start() for m in re.finditer("\n", self.text)]

    def line_at(self, start: int, end: int) -> tuple[int, int]:
        """Where the line holding text[start:end] starts, and where the line holding its end
        ends (its newline excluded)."""
        breaks = self._breaks
        k = bisect_right(breaks, start - 1)  # the first break at or after `start`
        lo = breaks[k - 1] + 1 if k > 0 else 0
        j = bisect_right(breaks, end - 1)  # the first break at or after `end`
        hi = breaks[j] if j < len(breaks) else len(self.text)
        return lo, hi

    def line_text(self, start: int, end: int) -> str:
        """The text of the line(s) holding text[start:end] (`line_at`)."""
        return self.text[slice(*self.line_at(start, end))]

    def lines(self) -> list[tuple[int, int]]:
        """Every line as (start, end), its newline excluded."""
        starts = [0] + [b + 1 for b in self._breaks]
        ends = [*self._breaks, len(self.text)]
        return list(zip(starts, ends, strict=True))

    def alone_on_line(self, start: int, end: int) -> bool:
        """Whether text[start:end] is all its line holds, but for a bullet before it and
        punctuation after it."""
        lo, hi = self.line_at(start, end)
        return not (self.text[lo:start].strip(" \t-•*·–") or self.text[end:hi].strip(" \t,;."))

    def hard_break(self, a: int, b: int) -> bool:
        """Whether the gap text[a:b] between two words holds a line break that ends a short
        line (a list item, a header) or comes before a list item, not a hard-wrapped line of
        prose. A long line the next word would still have fit on was ended by its writer, not
        wrapped ("London – 14 to 16 Sept, close to Liverpool Street\nParis – 16 Sept")."""
        nl = self.text.find("\n", a, b)
        if nl < 0:
            return False
        width = nl - (self.text.rfind("\n", 0, nl) + 1)
        next_word = _NEXT_WORD.match(self.text, nl + 1)
        return (width < WRAPPED_LINE or width + 1 + len(next_word[1] if next_word else "") <= FITS_ON_LINE
                or bool(_LIST_ITEM.match(self.text, nl + 1)))

    # -- clauses and sentences ----------------------------------------------------------------
    @cached_property
    def _clause_bounds(self) -> list[int]:
        text = self.text
        return [m.start() for m in _CLAUSE_BREAK.finditer(text)
                if not (text[m.start()] == "." and _LINE_DATE.fullmatch(
                    text, text.rfind("\n", 0, m.start()) + 1, m.start()))]

    def clause_of(self, pos: int) -> int:
        """The number of the clause that holds offset `pos` (equal numbers: one clause)."""
        bounds = self._clause_bounds
        lo, hi = 0, len(bounds)
        while lo < hi:
            mid = (lo + hi) // 2
            if bounds[mid] < pos:
                lo = mid + 1
            else:
                hi = mid
        return lo

    def clause_around(self, start: int, end: int, *, before: int, after: int) -> str:
        """At most `before` characters of the clause before text[start:end], the span and at
        most `after` characters after it, up to its sentence's end ("Frühstück ist mir egal")."""
        lo, hi = max(0, start - before), end + after
        if m := _SENTENCE_END.search(self.text, end, hi):
            hi = m.start()
        lo = max([lo] + [m.end() for m in _CLAUSE_END.finditer(self.text, lo, start)])
        return self.text[lo:hi]

    def sentence_around(self, start: int, end: int, *, reach: int = 100) -> str:
        """The sentence of text[start:end], at most `reach` characters either side of it ("a
        restaurant for a client dinner on the Tuesday, about 6 people")."""
        lo, hi = max(0, start - reach), end + reach
        lo = max([lo] + [m.end() for m in _SENTENCE_END.finditer(self.text, lo, start)])
        if m := _SENTENCE_END.search(self.text, end, hi):
            hi = m.start()
        return self.text[lo:hi]

    # -- the whole text -----------------------------------------------------------------------
    @cached_property
    def sign_off(self) -> tuple[int, int] | None:
        """Where the text signs off, the signature block under the name included (see
        `extractor.signature.sign_off_span`); None when it does not."""
        return sign_off_span(self.text, with_block=True)

    @cached_property
    def request(self) -> str:
        """The writer's own words: the text before the sign-off, and a postscript after it
        ("P.S. our intern Lukas Meyer is coming along", "Nachtrag: ..."), joined by a blank
        line (so offsets hold only before the sign-off)."""
        if self.sign_off is None:
            return self.text
        own = self.text[: self.sign_off[0]]
        after = [self.text[a:b] for a, b in self.postscripts]
        return "\n\n".join([own, *after]) if after else own

    @cached_property
    def footer(self) -> tuple[int, int] | None:
        """The last paragraph of the text past the signature block when it is a footer ("Meet
        us at the Summit in Rotterdam, 14-16 April", "Save the date: ..."): at most
        `FOOTER_LINES` lines under a signature block, and no line past the signature greets
        anyone, is quoted or heads a message or a form (a forwarded request or an attachment's
        text appended under a forwarder's signature is no footer, nor is the message a thread
        quotes under one signed "Best, Harbour Lane Travel"). Its start and the text's end;
        None otherwise.
        Postscripts may lie inside: see `postscripts`."""
        if self.sign_off is None:
            return None
        rest = self.text[self.sign_off[1] :]
        if any(_NOT_FOOTER.match(line) for line in rest.split("\n")):
            return None  # a message appended under the signature (an attachment, a forward)
        start = self.text.rfind("\n\n", self.sign_off[1]) + 2 if "\n\n" in rest else self.sign_off[1]
        signature = [line for line in self.text[self.sign_off[0] : start].split("\n") if line.strip()]
        if not self.text[start:].strip() or self.text.count("\n", start) >= FOOTER_LINES \
                or len(signature) < SIGNATURE_LINES:
            return None  # no block signs between: a message of a thread under its sign-off
        return start, len(self.text)

    @cached_property
    def postscripts(self) -> list[tuple[int, int]]:
        """The postscripts under the sign-off ("P.S. ...", "Nachtrag: ...")."""
        if self.sign_off is None:
            return []
        return [m.span() for m in _POSTSCRIPT.finditer(self.text, self.sign_off[0])]

    @cached_property
    def sign_offs(self) -> list[tuple[int, int]]:
        """Every place the text signs off: the sign-offs of the messages quoted in it
        (`extractor.signature.earlier_sign_offs`), then the last one with its block."""
        last = [self.sign_off] if self.sign_off else []
        return earlier_sign_offs(self.text) + last

    @cached_property
    def cased(self) -> bool:
        """Whether the text writes with capitals (not an all-lowercase chat): its capitalised
        words, not its codes in capitals ("2 EZ ÜF in leipzig"), are enough."""
        words = _LETTER_WORD.findall(self.text)
        return sum(w[0].isupper() and not w.isupper() for w in words) >= max(2, 0.05 * len(words))
