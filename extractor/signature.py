"""What follows the message proper: signature blocks, disclaimers and mobile footers.

Rules, applied to one message's own text (history already split off by `extractor.history`):
1. Mobile footers ("Sent from my iPhone", "Von meinem iPhone gesendet", "Get Outlook for
   iOS") are removed where they stand.
2. Everything from the signature delimiter "-- " (also "--" whose space a client ate) on is
   removed.
3. A disclaimer paragraph ("This email and any attachments are confidential...", "Diese
   E-Mail enthält vertrauliche...") and everything after it are removed, unless it is the
   first paragraph (then it is the message); so is one that goes on a signature block's
   lines with no blank line between.
4. After the last sign-off line ("Best regards,", "Mit freundlichen Grüßen") the sign-off and
   one name line are kept; the rest is removed when every line of it is a contact item or a
   short line without digits (a job title, a company), so a "P.S.", a sentence or a form
   line with a date after "Thanks!" keeps everything.
5. A trailing block of contact items (phone, e-mail, web address, street address, postcode
   and town, company form, trade register) mixed with name and title lines (a few
   capitalised words, no digits) is removed when it holds at least two contact items; " | "
   and " · " separate items on one line. A sentence that mentions a street ("we need a hotel
   near our office, Hauptstr. 5") is no contact item, and a text that is nothing but such a
   block is kept.
"""

from __future__ import annotations

import re

from extractor.lexicon import umlauts_either
from extractor.short_signers import short_message_signer

_FOOTER = re.compile(
    r"^\s*(?:(?:sent|gesendet)\s+(?:from|with|von|mit)\s+(?:my|meinem|meiner|der|dem)\b.{0,40}"
    r"|von meine[mrn]\s.{0,40}\s(?:gesendet|versendet)"
    r"|sent from (?:outlook|mail|yahoo mail|gmail|my phone)\b.{0,25}"
    r"|get outlook for .{0,20}|outlook für .{0,20} beziehen"
    r"|diese nachricht wurde von meinem .{0,40} gesendet)\.?\s*$", re.I)
_DELIMITER = re.compile(r"^--\s?$")
_DISCLAIMER = re.compile(
    r"\b(?:this|the) (?:e-?mail|message|communication|transmission)\b.{0,120}"
    r"\b(?:confidential|privileged|intended (?:solely|only) for)"
    r"|^\s*(?:confidentiality notice|disclaimer|legal notice|haftungsausschluss)\b"
    r"|\bif you (?:are not|have received this)\b.{0,40}\b(?:intended recipient|in error)"
    r"|\bdiese (?:e-?mail|nachricht)\b.{0,120}\b(?:vertraulich|rechtlich geschützt)"
    r"|\benthält vertrauliche\b"
    r"|\bwenn sie nicht der (?:richtige|beabsichtigte) (?:adressat|empfänger)"
    r"|\b(?:irrtümlich|versehentlich) erhalten"
    r"|\bconsider the environment before printing|\bdenken sie an die umwelt"
    # the same in the languages international mail signs off in: Italian, French, Spanish,
    # Portuguese, Dutch, Polish ("le informazioni contenute in questa e-mail sono riservate")
    r"|\b(?:questa|questo|ce|cet|este|esta|dit|deze|ta|ten)\s+(?:e-?mail|messaggio|message"
    r"|courriel|mensaje|correo|mensagem|bericht|wiadomość|wiadomosc)\b.{0,120}"
    r"\b(?:riservat|confidenti|confidencial|vertrouwelijk|poufn)"
    r"|\binformazioni contenute in questa\b|\bai sensi del (?:d\.?\s?lgs|regolamento)",
    re.I)
_ADJECTIVE = r"(?:lich|ig|isch|al|haft|voll|sam)"  # the endings of German adjectives
_SIGN_OFF = re.compile(umlauts_either(
    r"^\s*(?:[^\W\d_]+\s*(?:&|\+|und|and)\s*)?"  # "Danke & Gruß", "Thanks & cheers"
    r"(?:(?:best|kind|warm|warmest|many|with best|with kind)?\s*regards|best wishes|"
    r"all the best|cheers|many thanks|"
    r"thanks(?: a lot| again| in advance| so much| very much| a mil| a million| heaps| loads)?|"
    r"thank you(?: very much| in advance)?|sincerely|yours sincerely|yours truly|yours|best|"
    r"(?:mit )?(?:freundlichen|besten|herzlichen|lieben|schönen|sonnigen) grü(?:ß|ss)en|"
    r"(?:viele|beste|liebe|herzliche|freundliche|schöne) grü(?:ß|ss)e|"
    # ... and by any adjective: "Sportliche Grüße", "mit musikalischen Grüßen"
    rf"(?:mit )?[^\W\d_]+{_ADJECTIVE}en grü(?:ß|ss)en|[^\W\d_]+{_ADJECTIVE}e grü(?:ß|ss)e|"
    r"mfg|vg|lg|gru(?:ß|ss)|grü(?:ß|ss)e|danke(?: schön| dir| euch| vielmals| sehr| im voraus| und gruß)?|thx|tia|ta|merci|"
    r"br|kr|rgds|brgds|"
    r"ciao|tschüss|tschüs|servus|"
    r"(?:vielen|besten|herzlichen) dank(?: im voraus)?|herzlichst|"
    # thanks and regards of other languages, in English and German mail alike
    r"(?:muito )?obrigad[oa]|(?:muchas )?gracias|grazie(?: mille)?|saludos|cordialmente|"
    r"atenciosamente|abraços?|cordialement|bedankt|tack|kiitos|arigato|shukran|asante)"
    r"\s*[,.!]?\s*(?:(?<=[,.!\s])(?:[-–]\s*)?(?P<name>\w[\w.'-]*(?:\s+(?:&\s+)?\w[\w.'-]*){0,3}))?"
    # ... and the signer's role or department after it: "Gruß, Ayşe Demir, Personalabteilung",
    # "Thanks, Fatima – HR", "Danke, Carolin Weiß / Vorstandsbüro"
    r"(?:(?<=\w)[ \t]*(?:,|[-–—/|])[ \t]*[^\W\d_][\w.&'-]*(?:[ \t]+[\w.&'-]+){0,3})?"
    r"[!.]?\s*$"), re.I)
# letters after a name that say a degree or licence: "Keisha Morgan, RN, BSN", ", PhD"
_DEGREES = r"(?:,[ \t]*(?:[A-Z][A-Z.]{1,5}|Ph\.?D\.?|MSc|BSc|MEng|Esq\.?))"
POST_NOMINALS = re.compile(rf"{_DEGREES}+[ \t]*$")
_NAME = re.compile(rf"^\s*[^\W\d_][\w.'-]*(?:\s+[^\W\d_][\w.'-]*){{0,3}}{_DEGREES}*\s*$")
_POSTSCRIPT = re.compile(r"^\s*p\.?\s?s\.?\s*[:.]?\s", re.I)
_SENTENCE = re.compile(r"^\s*\S+(?:\s+\S+){3,}.*[.!?]\s*$")
_ITEM_SPLIT = re.compile(r"\s+[|·•]\s+")
_TITLE_WORDS = 6
# Sign-offs and signature blocks are looked for in the last lines only: a long mail costs no
# more, and no signature is longer.
_TAIL_LINES = 40
# the signature block under a sign-off's name: at most so many lines of at most so many words
_BLOCK_LINES = 4
# a disclaimer under a signature block's lines is looked for in so many lines of a paragraph
_BLOCK_SCAN = 12
_BLOCK_WORDS = 8
_CONNECTORS = frozenset({"of", "and", "for", "the", "&", "und", "für", "der", "die", "des", "de",
                         "von", "van", "zu"})
# a legal footer's line: the register, and the officers it names ("Amtsgericht Kiel HRB 23981 |
# Geschäftsführung: Dr. Hauke Sönnichsen", "Vorstand: Dr. Claudia Reimann-Stoll")
_LEGAL = (
    r"\b(?:amtsgericht|registergericht|hrb\s?\d|ust-?id|geschäftsführ|sitz der gesellschaft"
    r"|vat (?:no|number|reg)|registered (?:office|in))\b",
    r"\b(?:aufsichtsrat\w*|vorstand|vorstände|geschäftsleitung|managing directors?|directors?"
    r"|board of directors|chair(?:man|woman|person)?)\s*:",
)
_LEGAL_LINE = re.compile("|".join(_LEGAL), re.I)
_CONTACT = [re.compile(p, re.I) for p in (
    r"^(?:tel|telefon|phone|fon|fax|mobil|mobile|mob|cell|handy|t|f|m|p)\.?\s*[:.]?\s*\+?[\d(]",
    r"^\+?[\d()][\d\s()/.-]{6,}\d$",  # a bare phone number
    r"^(?:e-?mail|mail)\s*:|^\S+@\S+\.\w+$",
    r"^(?:web\s*:\s*)?(?:https?://|www\.)\S+$",
    r"^\d{1,5}\s+(?:\w+\s){0,3}(?:street|st\.|road|rd\.|avenue|ave\.?|lane|boulevard|blvd\.?"
    r"|drive|way|square|place)\b.*$",  # 12 Main Street
    # a postcode and town: "80331 München", "D-50679 Köln"
    r"^(?:[A-Z]{1,2}-)?\d{4,5}\s+[^\W\d_][\w.-]*(?:\s[^\W\d_][\w.-]*){0,2}(?:,.*)?$",
    r"\b(?:gmbh|ag|kg|se|ltd\.?|llc|inc\.?|plc|e\.v\.|ohg|mbh)$",
    *_LEGAL,
)] + [
    # A street and house number, German style: "Leopoldstraße 28", "Deutzer Freiheit 12",
    # "Promenadeplatz 2-6" (capitalised words: case matters here).
    re.compile(r"^(?:[A-ZÄÖÜ][\w.'-]*\s){0,3}[A-ZÄÖÜ][\w.'-]*\s\d{1,4}\s?[a-z]?"
               r"(?:\s?[-–/]\s?\d{1,4}[a-z]?)?(?:,.*)?$"),
]


def legal_footer_line(line: str) -> bool:
    """Whether `line` is a legal footer's: a company register, or the officers it names
    ("Geschäftsführung: Dr. Hauke Sönnichsen"), who are no guests wherever the footer stands."""
    return bool(_LEGAL_LINE.search(line))


def _paragraphs(lines: list[str]) -> list[tuple[int, int]]:
    """(start, end) line ranges of the paragraphs, separated by blank lines."""
    out: list[tuple[int, int]] = []
    start: int | None = None
    for i, line in enumerate(lines + [""]):
        if line.strip() and start is None:
            start = i
        elif not line.strip() and start is not None:
            out.append((start, i))
            start = None
    return out


def _contacts(line: str) -> int:
    """How many contact items (phone, address, company ...) the line holds."""
    items = _ITEM_SPLIT.split(line.strip())
    return sum(any(p.search(item.strip()) for p in _CONTACT) for item in items if item.strip())


def _title_like(line: str) -> bool:
    """A name, job title or department line: a few capitalised words, no digits."""
    words = line.split()
    return (0 < len(words) <= _TITLE_WORDS and not any(c.isdigit() for c in line)
            and all(w[0].isupper() or w.lower() in _CONNECTORS or not w[0].isalnum()
                    for w in words))


def _cut_disclaimer(lines: list[str]) -> tuple[list[str], bool]:
    for n, (start, end) in enumerate(_paragraphs(lines)):
        # A disclaimer says what it is in its first lines; reading only those keeps a
        # paragraph of a million characters cheap.
        if n and _DISCLAIMER.search(" ".join(lines[start : min(end, start + 4)])):
            return lines[:start], True
        # ... or it goes on the signature block with no blank line between ("Registered in
        # Ireland, Company No. 612345\nThis e-mail and any files ... are confidential")
        for i in range(start + 4, min(end, start + _BLOCK_SCAN)) if n else ():
            if _DISCLAIMER.search(" ".join(lines[i : i + 2])):
                return lines[:i], True
    return lines, False


def _sign_off(lines: list[str]) -> tuple[int, int] | None:
    """The last sign-off line among the last lines, and the line that ends the sign-off: the
    name line right after it (blank lines between), else the sign-off line itself."""
    tail = max(len(lines) - _TAIL_LINES, 0)
    last = next((i for i in range(len(lines) - 1, tail - 1, -1) if _SIGN_OFF.match(lines[i])),
                None)
    if last is None:
        return None
    nxt = last + 1
    while nxt < len(lines) and not lines[nxt].strip():
        nxt += 1
    if nxt < len(lines) and _NAME.match(lines[nxt]) and not _contacts(lines[nxt]):
        return last, nxt
    return last, last


def _cut_after_sign_off(lines: list[str]) -> tuple[list[str], bool]:
    found = _sign_off(lines)
    if found is None:
        return lines, False
    keep = found[1] + 1
    rest = [line for line in lines[keep:] if line.strip()]
    if rest and all(_contacts(x) or (len(x.split()) <= _TITLE_WORDS
                                      and not any(c.isdigit() for c in x)
                                      and not _SENTENCE.match(x) and not _POSTSCRIPT.match(x))
                    for x in rest):
        return lines[:keep], True
    return lines, False


def _cut_contact_block(lines: list[str]) -> tuple[list[str], bool]:
    start = len(lines)
    tail = max(len(lines) - _TAIL_LINES, 0)
    while start > tail and not _SIGN_OFF.match(lines[start - 1]) and (
            not lines[start - 1].strip() or _contacts(lines[start - 1])
            or _title_like(lines[start - 1])):
        start -= 1
    if 0 < start < len(lines) and _SIGN_OFF.match(lines[start - 1]) and _NAME.match(lines[start]):
        start += 1  # the sender's name under the sign-off stays
    contacts = sum(_contacts(line) for line in lines[start:])
    # Never the whole text: a message that is only an address stays as it is.
    if contacts >= 2 and any(line.strip() for line in lines[:start]):
        return lines[:start], True
    return lines, False


def strip_signature(text: str) -> tuple[str, tuple[str, ...]]:
    """`text` without mobile footers, signature, disclaimer and trailing contact block, and
    notes on what was removed (`mobile_footer_removed`, `signature_removed`,
    `disclaimer_removed`)."""
    notes: list[str] = []
    lines = text.split("\n")
    kept = [line for line in lines if not _FOOTER.match(line)]
    if len(kept) < len(lines):
        notes.append("mobile_footer_removed")
    lines = kept
    delimiter = next((i for i, line in enumerate(lines) if _DELIMITER.match(line)), None)
    if delimiter is not None:
        lines = lines[:delimiter]
        notes.append("signature_removed")
    lines, cut = _cut_disclaimer(lines)
    if cut:
        notes.append("disclaimer_removed")
    lines, cut_sign_off = _cut_after_sign_off(lines)
    lines, cut_block = _cut_contact_block(lines)
    if (cut_sign_off or cut_block) and "signature_removed" not in notes:
        notes.append("signature_removed")
    return "\n".join(lines), tuple(notes)


def sign_off_span(text: str, *, with_block: bool = False) -> tuple[int, int] | None:
    """Where the text signs off: from the start of its last sign-off line ("Thanks, Helen",
    "Viele Grüße") to the end of the name line right after it, as character offsets; None when
    no sign-off stands in the last lines. A name written there signs the email. `with_block`
    also takes the short lines of the signature block right under it (role, company: "Praxis
    für Physiotherapie Brunsbek"), up to a blank line, or the block under one blank line when
    it opens with the signed name."""
    lines = text.split("\n")
    found = _sign_off(lines)
    if found is None:
        return None
    first, last = found
    start = sum(len(line) + 1 for line in lines[:first])
    end = start + len("\n".join(lines[first : last + 1]))
    if not with_block:
        return start, end
    block = _block_end(text, end)
    gap = _ONE_BLANK.match(text, end)
    words = [w.strip(",.!") for w in lines[last].split()]
    if block == end and gap and any(w and text.startswith(w, gap.end()) for w in words[:1] + words[-1:]):
        # "Many thanks,\nGemma\n\nGemma Lloyd | PA to Thomas Weber": the block under one blank
        # line that opens with the signed name is the signer's too
        block = _block_end(text, gap.end() - 1)
    return start, block


def earlier_sign_offs(text: str) -> list[tuple[int, int]]:
    """The sign-offs before the last one that name their writer, each from its sign-off line
    to the end of the name on it ("Gruß, Carina") or of the name line right under it: the
    messages of a thread quoted one under another each sign ("Viele Grüße" / "Aylin Kaya"
    above the request the agent answered)."""
    lines = text.split("\n")
    found = _sign_off(lines)
    stop = found[0] if found else len(lines)
    out, start = [], 0
    for i, line in enumerate(lines[:stop]):
        m = _SIGN_OFF.match(line)
        nxt = lines[i + 1] if i + 1 < stop else ""
        if m and m["name"] is not None:
            out.append((start, start + len(line)))
        elif m and _NAME.match(nxt) and not _contacts(nxt):
            out.append((start, start + len(line) + 1 + len(nxt)))
        start += len(line) + 1
    return out


def signer_span(text: str) -> tuple[int, int] | None:
    """Where the name that signs the text stands, as character offsets: after the sign-off on
    its line ("Thanks, Daniel Okafor"), on the name line right under it ("Viele Grüße" /
    "Jana Novak"), or as a short message signs (`short_message_signer`: "... 3-5 Feb? Thanks,
    Daniel", "- Jess Alvarez"); None when the sign-off names no one."""
    lines = text.split("\n")
    found = _sign_off(lines)
    if found is None:  # a short message's own ways (`extractor.short_signers`)
        return short_message_signer(text.rstrip())
    first, last = found
    line_start = sum(len(line) + 1 for line in lines[:last])
    line = lines[last]
    if last == first:
        m = _SIGN_OFF.match(line)
        if m is None or m["name"] is None:
            return None
        return line_start + m.start("name"), line_start + m.end("name")
    name = line.strip()
    start = line_start + line.index(name)
    return start, start + len(name)


_ONE_BLANK = re.compile(r"\n[ \t]*\n")


def _block_end(text: str, end: int) -> int:
    for _ in range(_BLOCK_LINES):
        nl = text.find("\n", end + 1)
        line = text[end + 1 : len(text) if nl < 0 else nl]
        if end >= len(text) or not line.strip() or len(line.split()) > _BLOCK_WORDS:
            break
        end = end + 1 + len(line)
    return end
