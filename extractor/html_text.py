"""HTML mail bodies to plain text that keeps the line structure a reader sees.

Block elements and `<br>` end lines, paragraphs and tables end with a blank line, table
cells on one row are joined by a space, but a row's second cell follows a short label in the
first with a colon, as a form writes it ("Nights | 4" -> "Nights: 4": a travel tool's table of
a request reads like the same request typed), `<blockquote>` lines get a `> ` prefix per level (so
the reply-history rules of `extractor.history` apply to HTML replies too), and script, style,
head and hidden elements are dropped. The tree is walked with an explicit stack: a hostile
message with thousands of nested elements cannot exhaust Python's recursion limit.

lexbor's tree builder takes time quadratic in the depth of open block elements (40,000 nested
`<div>`s take seconds), so the depth is measured with a linear scan first and a document
deeper than `max_depth` is refused with `HtmlTooDeep`.
"""

from __future__ import annotations

import re

from selectolax.lexbor import LexborHTMLParser, LexborNode

_SKIP = frozenset({"head", "script", "style", "title", "noscript", "template", "svg", "math",
                   "object", "iframe", "select", "-comment", "meta", "link", "button"})
_BLOCK = frozenset({"address", "article", "aside", "blockquote", "center", "dd", "details",
                    "dialog", "div", "dl", "dt", "fieldset", "figcaption", "figure", "footer",
                    "form", "h1", "h2", "h3", "h4", "h5", "h6", "header", "hr", "li", "main",
                    "nav", "ol", "p", "pre", "section", "summary", "table", "tbody", "tfoot",
                    "thead", "tr", "ul", "caption"})
# Elements after which a blank line follows, as a browser leaves vertical space there.
_PARAGRAPH = frozenset({"p", "h1", "h2", "h3", "h4", "h5", "h6", "table", "ul", "ol", "pre",
                        "blockquote", "hr"})
_CELL = frozenset({"td", "th"})
# a form's label in a row's first cell: a few words, no value ("Check-in", "Room type", "Gast")
_LABEL = re.compile(r"[^\W\d_][\w./()-]*(?:[ \t]+[^\W\d_][\w./()-]*){0,3}")
_SPACES = re.compile(r"[ \t\r\n\f]+")  # HTML white space only: a no-break space is content
_HIDDEN = re.compile(r"display\s*:\s*none|visibility\s*:\s*hidden", re.I)
# Containers that only an explicit end tag closes (unlike p, li, td): what deepens lexbor's
# stack of open elements.
_NESTING = re.compile(r"<(/?)(?:div|blockquote|section|article|aside|header|footer|main|nav|"
                      r"center|form|fieldset|figure|details|dl|ul|ol|address)[\s/>]", re.I)
MAX_HTML_DEPTH = 1000


class HtmlTooDeep(ValueError):
    """An HTML body nested deeper than any real mail client writes."""


def nesting_depth(html: str) -> int:
    """The deepest nesting of explicitly closed container elements (a linear scan)."""
    depth = deepest = 0
    for m in _NESTING.finditer(html):
        if m.group(1):
            depth = max(depth - 1, 0)
        else:
            depth += 1
            deepest = max(deepest, depth)
    return deepest


class _Lines:
    """Collects inline text into lines, with the current blockquote depth as prefix."""

    def __init__(self) -> None:
        self.lines: list[str] = []
        self.buf: list[str] = []
        self.quote = 0

    def text(self, s: str, *, pre: bool) -> None:
        if not pre:
            self.buf.append(_SPACES.sub(" ", s))
            return
        first, *rest = s.split("\n")
        self.buf.append(first)
        for piece in rest:
            self.end_line(keep_empty=True)
            self.buf.append(piece)

    def end_line(self, *, keep_empty: bool = False) -> None:
        line = _SPACES.sub(" ", "".join(self.buf)).strip() if self.buf else ""
        self.buf = []
        if line or keep_empty:
            self.lines.append("> " * self.quote + line if line else ">" * self.quote)

    def blank(self) -> None:
        self.end_line()
        if self.lines and self.lines[-1].strip("> "):
            self.lines.append(">" * self.quote)


def _hidden(node: LexborNode) -> bool:
    style = node.attributes.get("style") if node.attributes else None
    return bool(style and _HIDDEN.search(style)) or "hidden" in (node.attributes or {})


def html_to_text(html: str, *, max_depth: int = MAX_HTML_DEPTH) -> str:
    """The visible text of an HTML document or fragment, one line per rendered line.

    Raises `HtmlTooDeep` when containers nest deeper than `max_depth`."""
    if (depth := nesting_depth(html)) > max_depth:
        raise HtmlTooDeep(f"HTML nested {depth} elements deep (limit {max_depth})")
    tree = LexborHTMLParser(html)
    out = _Lines()
    pre = 0
    rows: list[list[int]] = []  # per open <tr>: where its text starts, cells entered, cells
    # (node, False) enters a node, (node, True) leaves it.
    stack: list[tuple[LexborNode, bool]] = [(tree.root, False)] if tree.root else []
    while stack:
        node, leaving = stack.pop()
        tag = node.tag or ""
        if leaving:
            if tag == "tr" and rows:
                rows.pop()
            if tag == "blockquote":
                out.end_line()
                out.quote -= 1
            elif tag == "pre":
                pre -= 1
            if tag in _PARAGRAPH:
                out.blank()
            elif tag in _BLOCK:
                out.end_line()
            continue
        if tag == "-text":
            out.text(node.text_content or "", pre=pre > 0)
            continue
        if tag in _SKIP or _hidden(node):
            continue
        if tag == "br":
            out.end_line(keep_empty=True)
            continue
        if tag in _BLOCK:
            out.end_line()
        if tag == "tr":
            rows.append([len(out.buf), 0, sum(c.tag in _CELL for c in node.iter())])
        if tag in _CELL:
            label = rows and rows[-1][1:] == [1, 2] and _LABEL.fullmatch(
                "".join(out.buf[rows[-1][0] :]).strip())
            out.buf.append(": " if label else " ")
            if rows:
                rows[-1][1] += 1
        if tag == "blockquote":
            out.quote += 1
        elif tag == "pre":
            pre += 1
        stack.append((node, True))
        stack.extend((child, False) for child in reversed(list(node.iter(include_text=True))))
    out.end_line()
    return "\n".join(out.lines).strip("\n")
