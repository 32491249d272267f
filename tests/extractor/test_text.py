"""Cleaning an email body: reply history, forwards, signatures, disclaimers, footers, HTML."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from quotequail import _patterns as quotequail_patterns

from extractor import text as text_module
from extractor.history import _INTRO_HINT, split_history
from extractor.html_text import HtmlTooDeep, html_to_text
from extractor.signature import sign_off_span
from extractor.text import clean_body, is_reply_subject, normalize_text

REQUEST = "Hello,\nwe need a single room in Munich from 3 to 5 November."


# -- whitespace and Unicode ----------------------------------------------------------------
def test_normalize_keeps_lines_and_collapses_blank_runs():
    raw = "Hallo  \r\nZimmer\u00a0in\u202fKöln\r\n\r\n\r\n\r\nDanke\t \n\n"
    assert normalize_text(raw) == "Hallo\nZimmer in Köln\n\nDanke"


def test_normalize_nfc_and_invisible_characters():
    decomposed = "Mu\u0308nchen"
    assert normalize_text(f"\ufeff{decomposed}\u200b Fr\u00fch\u00adst\u00fcck\x00") == (
        "München Frühstück")


def test_normalize_keeps_single_blank_lines_and_indentation():
    assert normalize_text("a\n\n  b\n\nc") == "a\n\n  b\n\nc"


# -- reply history -------------------------------------------------------------------------
def test_reply_drops_quoted_history():
    body = ("Yes, please go ahead with the Hilton.\n\n"
            "On Mon, Oct 5, 2026 at 9:12 AM Anna Schmidt <anna@example.com> wrote:\n"
            "> Hello,\n> we need a single room in Munich\n> from 3 to 5 November.\n")
    cleaned = clean_body(body, subject="Re: Munich")
    assert cleaned.text == "Yes, please go ahead with the Hilton."
    assert "quoted_history_removed" in cleaned.notes


def test_german_reply_intro_wrapped_over_two_lines_is_dropped():
    body = ("Bitte auch Frühstück.\n\n"
            "Am Mo., 5. Okt. 2026 um 09:12 Uhr schrieb Anna Schmidt <\nanna@example.com>:\n"
            "> Hallo,\n> wir brauchen ein EZ in München.\n")
    assert clean_body(body).text == "Bitte auch Frühstück."


@pytest.mark.parametrize("top", ["see below", "Please see below, thanks!", "Siehe unten.",
                                 "Hi,\n\nsiehe unten\n\nGruß\nTom", ""])
def test_see_below_keeps_the_quoted_request(top):
    body = (f"{top}\n\nOn Mon, Oct 5, 2026 at 9:12 AM Anna <a@b.de> wrote:\n"
            "> Hello,\n> we need a single room in Munich from 3 to 5 November.\n")
    cleaned = clean_body(body, subject="Re: hotel")
    assert cleaned.text.endswith(REQUEST)
    assert "quoted_request_kept" in cleaned.notes
    assert ">" not in cleaned.text and "wrote:" not in cleaned.text


def test_quoted_form_lines_are_not_taken_for_headers():
    body = ("see below\n\nOn Mon, Oct 5, 2026 at 9:12 AM Anna <a@b.de> wrote:\n"
            "> Date: 3 Nov\n> To: 5 Nov\n> City: Munich\n")
    assert clean_body(body).text == "see below\n\nDate: 3 Nov\nTo: 5 Nov\nCity: Munich"


def test_quoted_lines_without_intro_are_history():
    body = "Thanks, book it.\n\n> Hello,\n> we need a single room\n> in Munich.\n"
    assert clean_body(body).text == "Thanks, book it."


def test_interleaved_answers_keep_the_answers_only():
    # Each removed quote leaves a paragraph break behind.
    body = "> Which dates?\n3 to 5 November\n> Which city?\nMunich\n"
    assert clean_body(body).text == "3 to 5 November\n\nMunich"


def test_nested_history_is_dropped_below_the_kept_request():
    body = ("see below\n\nOn Tue, Oct 6, 2026 at 10:00 AM Tom <t@x.de> wrote:\n"
            "> Single room in Munich, 3 to 5 November please.\n>\n"
            "> On Mon, Oct 5, 2026 at 9:00 AM Hotel <h@x.de> wrote:\n"
            "> > We have rooms from 1 to 2 November.\n")
    text = clean_body(body).text
    assert "3 to 5 November" in text
    assert "1 to 2 November" not in text


# -- forwards and Outlook blocks -----------------------------------------------------------
GMAIL_FORWARD = ("Please book this for our client.\n\n"
                 "---------- Forwarded message ---------\n"
                 "From: Anna Schmidt <anna@example.com>\n"
                 "Date: Mon, 5 Oct 2026 at 09:12\nSubject: Hotel Munich\n"
                 "To: <travel@agency.de>\n\n\n" + REQUEST + "\n")


def test_inline_forward_keeps_body_and_drops_header_lines():
    cleaned = clean_body(GMAIL_FORWARD, subject="Fwd: Hotel Munich")
    assert cleaned.text == "Please book this for our client.\n\n" + REQUEST
    assert "forwarded_text_kept" in cleaned.notes


def test_inline_forward_is_kept_whatever_the_subject():
    assert clean_body(GMAIL_FORWARD, subject="Re: whatever").text.endswith(REQUEST)


def test_forwarded_form_lines_below_the_headers_are_kept():
    # quotequail's own header parser would swallow "City:" and "Check-in:" as header lines.
    body = GMAIL_FORWARD.replace(REQUEST, "City: Munich\nCheck-in: 3 Nov\nCheck-out: 5 Nov")
    assert clean_body(body).text.endswith("City: Munich\nCheck-in: 3 Nov\nCheck-out: 5 Nov")


def test_thunderbird_german_forward():
    body = ("Bitte buchen.\n\n-------- Weitergeleitete Nachricht --------\n"
            "Betreff: \tHotel Köln\nDatum: \tMon, 5 Oct 2026 09:12:00 +0200\n"
            "Von: \tAnna <anna@example.com>\nAn: \ttravel@agency.de\n\n"
            "Hallo,\nwir brauchen ein EZ in Köln vom 3. bis 5. November.\n")
    assert clean_body(body, subject="WG: Hotel Köln").text == (
        "Bitte buchen.\n\nHallo,\nwir brauchen ein EZ in Köln vom 3. bis 5. November.")


def test_the_first_earlier_message_decides_not_the_first_pattern_quotequail_knows():
    # The forward marker (unknown to quotequail) comes before a reply intro it does know.
    body = ("Bitte buchen.\n\n-------- Weitergeleitete Nachricht --------\n"
            "Betreff: Hotel Köln\nDatum: Mon, 5 Oct 2026 09:12:00 +0200\nVon: Anna <a@b.de>\n\n"
            "Doch lieber 4. bis 6. November.\n\n"
            "Am 4. Okt. 2026 um 10:00 schrieb Anna <a@b.de>:\n> EZ in Köln, 3. bis 5. November.\n")
    assert clean_body(body, subject="WG: Hotel Köln").text == (
        "Bitte buchen.\n\nDoch lieber 4. bis 6. November.")


def test_apple_mail_forward_with_quoted_headers():
    body = ("Begin forwarded message:\n\n> From: Anna <a@b.de>\n> Subject: Hotel\n"
            "> Date: 5 October 2026 at 09:12\n>\n> " + REQUEST.replace("\n", "\n> ") + "\n")
    assert clean_body(body).text == REQUEST


OUTLOOK_EN = ("{top}\n\nFrom: Anna Schmidt <anna@example.com>\n"
              "Sent: Monday, October 5, 2026 9:12 AM\nTo: Travel <travel@agency.de>\n"
              "Subject: Hotel Munich\n\n" + REQUEST)
OUTLOOK_DE = ("{top}\n\nVon: Anna Schmidt <anna@example.com>\n"
              "Gesendet: Montag, 5. Oktober 2026 09:12\nAn: Travel <travel@agency.de>\n"
              "Betreff: Hotel München\n\n" + REQUEST)


@pytest.mark.parametrize("template", [OUTLOOK_EN, OUTLOOK_DE])
def test_outlook_block_in_a_reply_is_dropped(template):
    body = template.format(top="Please change it to 4 to 6 November.")
    for subject in ("RE: Hotel Munich", "AW: Hotel München"):
        assert clean_body(body, subject=subject).text == "Please change it to 4 to 6 November."


@pytest.mark.parametrize("template", [OUTLOOK_EN, OUTLOOK_DE])
def test_outlook_block_in_a_forward_is_kept_without_headers(template):
    body = template.format(top="FYI, please book.")
    for subject in ("FW: Hotel Munich", "WG: Hotel München", "Hotel Munich"):
        text = clean_body(body, subject=subject).text
        assert text == "FYI, please book.\n\n" + REQUEST
        assert "Sent:" not in text and "Gesendet:" not in text


def test_outlook_original_message_marker_in_a_reply():
    body = ("Thanks, confirmed.\n\n-----Original Message-----\n"
            "From: Anna Schmidt [mailto:anna@example.com]\n"
            "Sent: Monday, October 5, 2026 9:12 AM\nTo: Travel\nSubject: Hotel Munich\n\n"
            + REQUEST)
    assert clean_body(body, subject="RE: Hotel Munich").text == "Thanks, confirmed."
    assert clean_body(body, subject="FW: Hotel Munich").text.endswith(REQUEST)


def _examples(pattern: str) -> list[str]:
    """Lines a quotequail pattern matches, written out: "[mM]" -> "m", "(.*)" -> "x"."""
    text = re.sub(r"\[(\w)\w\]", r"\1", pattern).replace("(.*?)", "x").replace("(.*)", "x")
    text = text.replace("(?: het volgende)?", "").replace("\\(", "(").replace("\\)", ")")
    text = re.sub(r"\(\[0-9\]\{4\}/\[0-9\]\{1,2\}/\[0-9\]\{1,2\}\) \(\.\* <\.\*@\.\*>\)",
                  "2026/10/5 Anna <a@b.de>", text)
    return [text.strip("^$")]


def test_intro_hint_covers_every_quotequail_pattern():
    # Lines without a hint word are never handed to quotequail; if quotequail learns a new
    # language, this fails until the hint knows it too.
    lines = [line for p in quotequail_patterns.REPLY_PATTERNS for line in _examples(p)]
    for message in quotequail_patterns.FORWARD_MESSAGES:
        plain = re.sub(r"\[(\w)\w\]", r"\1", message)
        lines += [f"---------- {plain} ----------", f"{plain}:"]
    lines.append(quotequail_patterns.FORWARD_LINE)
    assert len(lines) > 30
    for line in lines:
        assert any(p.search(line) for p in quotequail_patterns.COMPILED_PATTERNS), line
        assert _INTRO_HINT.search(line), line


def test_a_request_written_as_a_form_is_not_a_header_block():
    body = "Hello,\nplease book:\nFrom: 3 Nov\nTo: 5 Nov\nCity: Munich\nDate: 3 Nov\n"
    assert split_history(body) is None
    assert clean_body(body).text == body.strip()


@pytest.mark.parametrize(("subject", "reply"), [
    ("Re: x", True), ("AW: x", True), ("RE[2]: x", True), ("Antw: x", True),
    ("Fwd: x", False), ("WG: x", False), ("FW: Re: x", False), ("x", False), ("", False)])
def test_is_reply_subject(subject, reply):
    assert is_reply_subject(subject) is reply


# -- signatures, disclaimers, footers -------------------------------------------------------
def test_sign_off_kept_signature_block_with_address_dropped():
    body = ("Hello,\nplease book a single room in Munich.\n\nBest regards,\nAnna Schmidt\n"
            "Travel Manager\nACME GmbH\nHauptstraße 12\n80331 München\nTel. +49 89 123456\n"
            "www.acme.example\n")
    cleaned = clean_body(body)
    assert cleaned.text == ("Hello,\nplease book a single room in Munich.\n\n"
                            "Best regards,\nAnna Schmidt")
    assert "signature_removed" in cleaned.notes


def test_a_legal_footer_naming_the_companys_officers_is_signature():
    body = ("Sehr geehrte Damen und Herren,\n\nfür unsere Finanzvorständin Frau Dr. Claudia "
            "Reimann-Stoll bitte ich um ein Zimmer in Boston.\n\nMit freundlichen Grüßen\n"
            "Bettina Krull\nExecutive Assistant to the CFO\n\n"
            "Halvorsen Group SE · Leopoldstraße 200 · 80804 München\n"
            "Vorsitzender des Aufsichtsrats: Dr. Jens Halvorsen · Vorstand: Dr. Claudia\n"
            "Reimann-Stoll, Markus Teichmann · Sitz der Gesellschaft: München, HRB 245118")
    assert clean_body(body).text.endswith("Mit freundlichen Grüßen\nBettina Krull")


def test_german_signature_without_sign_off_separated_by_blank_line():
    body = ("Hallo,\nEZ in Köln vom 3. bis 5. November.\n\nJürgen Müller\n"
            "Rheinwerk Logistik GmbH\nDeutzer Freiheit 12\n50679 Köln\nTelefon: +49 221 555 0192")
    text = clean_body(body).text
    assert text == "Hallo,\nEZ in Köln vom 3. bis 5. November."


def test_one_line_signature_with_separators():
    body = ("Room in Munich 3-5 Nov please.\nAnna Schmidt\n"
            "ACME GmbH | Hauptstr. 5 | 80331 München | Tel +49 89 1234")
    assert clean_body(body).text == "Room in Munich 3-5 Nov please."


def test_signature_delimiter_cuts_everything_after_it():
    body = "Room in Munich please.\n-- \nTom Berg\nBerg Consulting\nLindenallee 4, Köln\n"
    assert clean_body(body).text == "Room in Munich please."


def test_a_street_in_the_request_itself_is_kept():
    body = ("Hi,\nwe need a hotel near our office, Hauptstr. 5, 80331 München.\n\n"
            "Thanks\nAnna")
    assert "Hauptstr. 5, 80331 München" in clean_body(body).text


def test_lines_after_a_sign_off_that_read_like_the_message_are_kept():
    body = ("Hello,\nroom please.\n\nMit freundlichen Grüßen\n\nJürgen Weber\n\n"
            "P.S. Frühstück bitte.")
    assert clean_body(body).text.endswith("P.S. Frühstück bitte.")
    body = "Thanks!\nCity: Munich\nDates: 3-5 Nov"
    assert clean_body(body).text == body


@pytest.mark.parametrize("disclaimer", [
    "This email and any attachments are confidential and intended solely for the addressee.\n"
    "If you are not the intended recipient, please delete it.",
    "CONFIDENTIALITY NOTICE: The information in this message is privileged.",
    "Diese E-Mail enthält vertrauliche und/oder rechtlich geschützte Informationen. Wenn Sie "
    "nicht der richtige Adressat sind, informieren Sie bitte sofort den Absender.",
    # international mail signs off in its own languages
    "Ai sensi del D.Lgs. 196/2003 le informazioni contenute in questa e-mail sono riservate.",
    "Ce message et ses pièces jointes sont confidentiels et réservés à leur destinataire.",
    "Este mensaje y sus anexos son confidenciales y para uso exclusivo del destinatario.",
])
def test_disclaimers_are_removed(disclaimer):
    body = f"Hallo,\nEZ in Köln bitte.\n\nViele Grüße\nAnna\n\n{disclaimer}\n"
    cleaned = clean_body(body)
    assert cleaned.text == "Hallo,\nEZ in Köln bitte.\n\nViele Grüße\nAnna"
    assert "disclaimer_removed" in cleaned.notes


def test_a_disclaimer_going_on_the_signature_block_is_removed():
    body = ("Berlin 27-29 April please.\n\nDanke!\nCiarán\n\nCiarán Walsh\nEngineering Manager\n"
            "Grand Canal Dock, Dublin 2\nRegistered in Ireland, Company No. 612345\n"
            "This e-mail and any files transmitted with it are confidential and intended solely "
            "for the addressee.\n")
    cleaned = clean_body(body)
    assert "confidential" not in cleaned.text and "Berlin 27-29 April" in cleaned.text


@pytest.mark.parametrize("footer", ["Sent from my iPhone", "Von meinem iPhone gesendet",
                                    "Gesendet von meinem Samsung Galaxy Smartphone.",
                                    "Get Outlook for iOS", "Sent from Outlook for Android"])
def test_mobile_footers_are_removed(footer):
    cleaned = clean_body(f"Brauche morgen ein Zimmer in Leipzig.\n\n{footer}\n")
    assert cleaned.text == "Brauche morgen ein Zimmer in Leipzig."
    assert "mobile_footer_removed" in cleaned.notes


def test_forwarded_request_loses_its_own_signature_and_footer():
    body = GMAIL_FORWARD + ("\nBest regards,\nAnna Schmidt\nACME GmbH\nHauptstr. 5\n"
                            "80331 München\n\nSent from my iPhone\n")
    text = clean_body(body, subject="Fwd: Hotel Munich").text
    assert text.endswith(REQUEST + "\n\nBest regards,\nAnna Schmidt")


# -- HTML ------------------------------------------------------------------------------------
def test_html_to_text_keeps_line_structure_and_drops_script_and_style():
    html = ("<html><head><style>p{color:red}</style><title>T</title></head><body>"
            "<div>Hello&nbsp;<b>team</b>,<br>line two</div><script>alert(1)</script>"
            "<p>Paragraph one</p><p>Paragraph two</p>"
            "<table><tr><td>Check-in</td><td>3 Nov</td></tr><tr><td>City</td><td>Munich</td>"
            "</tr></table><span style='display:none'>preheader</span>"
            "<ul><li>Berlin</li><li>Hamburg</li></ul></body></html>")
    assert html_to_text(html) == ("Hello\u00a0team,\nline two\nParagraph one\n\nParagraph two\n\n"
                                  "Check-in: 3 Nov\nCity: Munich\n\nBerlin\nHamburg")


def test_a_tables_label_and_value_read_as_a_forms_line():
    html = ("<table><tr><td>Room type</td><td>Single</td></tr><tr><td>Check-in:</td>"
            "<td>3 May</td></tr><tr><td>Anna</td><td>Bob</td><td>Carl</td></tr>"
            "<tr><td>12</td><td>Bob</td></tr><tr><td>Please book me a room in Rome</td>"
            "<td>thanks</td></tr></table>")
    # a label already ending in a colon keeps it; three cells, a number or a sentence are no
    # label and its value
    assert html_to_text(html).splitlines() == [
        "Room type: Single", "Check-in: 3 May", "Anna Bob Carl", "12 Bob",
        "Please book me a room in Rome thanks"]


def test_html_blockquote_reply_is_history():
    html = ("<div>Yes, the Hilton is fine.</div><div class='gmail_quote'>"
            "<div>On Mon, Oct 5, 2026 at 9:12 AM Anna &lt;a@b.de&gt; wrote:<br></div>"
            "<blockquote class='gmail_quote'>Hello,<br>we need a room in Munich.</blockquote>"
            "</div>")
    assert clean_body(html, html=True, subject="Re: x").text == "Yes, the Hilton is fine."
    see_below = html.replace("Yes, the Hilton is fine.", "see below")
    assert clean_body(see_below, html=True).text == (
        "see below\n\nHello,\nwe need a room in Munich.")


def test_html_nesting_deeper_than_any_client_writes_is_refused():
    with pytest.raises(HtmlTooDeep):
        html_to_text("<div>" * 5000 + "x")
    assert html_to_text("<b>" * 5000 + "x") == "x"  # inline elements do not count


def test_a_name_after_a_dash_on_the_last_line_signs_a_short_message():
    from extractor.signature import signer_span
    text = "NEED NYC HOTEL ASAP tonight + tomorrow, midtown.\n- Jess Alvarez"
    lo, hi = signer_span(text)
    assert text[lo:hi] == "Jess Alvarez"
    # the last item of a list is no signature
    assert signer_span("we need:\n- 2 EZ\n- Breakfast included") is None


def test_a_full_name_alone_ending_a_short_message_signs_it():
    from extractor.signature import signer_span
    for text in ("pls drop my room in leeds on fri, plans changed. Tomasz Wrona",
                 "pls drop my room in leeds on fri, plans changed\nTomasz Wrona"):
        lo, hi = signer_span(text)
        assert text[lo:hi] == "Tomasz Wrona"
    text = "pls drop my room in leeds on fri, plans changed. — Tomasz Wrona"  # after a dash
    lo, hi = signer_span(text)
    assert text[lo:hi] == "Tomasz Wrona"
    # a hotel, a city or common words ending it sign nothing
    assert signer_span("need a room in Leeds tomorrow, any rooms left? Premier Inn") is None
    assert signer_span("room for 2 nights from Monday please. New York") is None
    assert signer_span("room for 2 nights from Monday please. Thank You") is None


def test_thanks_of_other_languages_sign_off():
    text = "Two rooms in São Paulo, 9 to 11 June.\n\nObrigada!!\nMari"
    lo, hi = sign_off_span(text)
    assert text[lo:hi] == "Obrigada!!\nMari"
    assert sign_off_span("Lima, 3-5 May.\nGracias, Carlos Mendoza") == (15, 38)


def test_greetings_by_any_adjective_sign_off():
    text = "Zwei DZ in Graz, 4.-6. Juni.\n\nMusikalische Grüße\nVera Lindqvist\nChor Ost, Kiel"
    lo, hi = sign_off_span(text)
    assert text[lo:hi] == "Musikalische Grüße\nVera Lindqvist"
    text = "EZ in Ulm, 2.-3. Mai.\nMit kollegialen Grüßen\nJan Oduya"
    lo, hi = sign_off_span(text)
    assert text[lo:hi] == "Mit kollegialen Grüßen\nJan Oduya"
    # an errand with greetings is no sign-off
    assert sign_off_span("EZ in Ulm, 2.-3. Mai.\nBitte Grüße an Frau Ilić ausrichten") is None


def test_where_the_text_signs_off():
    text = "Berlin 3-5 May please.\n\nViele Grüße\nHelen Berg\n+49 30 1234567"
    lo, hi = sign_off_span(text)
    assert text[lo:hi] == "Viele Grüße\nHelen Berg"
    text = "Berlin 3-5 May please. Thanks, Helen"
    assert sign_off_span(text) is None  # a sentence that thanks is no sign-off line
    assert sign_off_span("Berlin 3-5 May.\nCheers, Tom") == (16, 27)
    # with the signature block: the short lines under the name, up to a blank line
    text = ("Kiel 3-5 May.\n\nViele Grüße\nIlka Brodersen\nPraxis für Physiotherapie Brunsbek\n"
            "\nThis message and any attachment is confidential and meant for its addressee only")
    lo, hi = sign_off_span(text, with_block=True)
    assert text[lo:hi] == "Viele Grüße\nIlka Brodersen\nPraxis für Physiotherapie Brunsbek"


# -- the thread behind the text (issue 15, point 3) ------------------------------------------
def test_dropped_history_comes_back_as_quoted_pieces_with_their_writers():
    body = ("Please add a late check-in.\n\n"
            "On Tue, Oct 6, 2026 at 10:00 AM Hotel Vela <res@vela.example> wrote:\n"
            "> Your room in Valencia is held for 3 to 5 November.\n>\n"
            "> On Mon, Oct 5, 2026 at 9:00 AM Tom <t@x.example> wrote:\n"
            "> > Any room in Valencia, 3 to 5 November?\n")
    cleaned = clean_body(body, subject="Re: Valencia")
    assert cleaned.text == "Please add a late check-in."
    assert [(p.kind, p.text) for p in cleaned.pieces] == [("new", cleaned.text)]
    assert [(p.kind, p.text, p.author) for p in cleaned.history] == [
        ("quoted", "Your room in Valencia is held for 3 to 5 November.", "Hotel Vela"),
        ("quoted", "Any room in Valencia, 3 to 5 November?", "Tom")]
    assert [p.sent_at for p in cleaned.history] == [dt.datetime(2026, 10, 6, 10, 0),
                                                   dt.datetime(2026, 10, 5, 9, 0)]


def test_forwarded_and_quoted_request_pieces_cover_the_text():
    cleaned = clean_body(GMAIL_FORWARD, subject="Fwd: Hotel Munich")
    assert [(p.kind, p.author) for p in cleaned.pieces] == [("new", None),
                                                            ("forwarded", "Anna Schmidt")]
    assert "\n\n".join(p.text for p in cleaned.pieces) == cleaned.text
    assert cleaned.history == ()


def test_cleaning_the_history_spends_no_more_splits_than_before(monkeypatch):
    calls = []

    def counting(text):
        calls.append(text)
        return split_history(text)

    monkeypatch.setattr(text_module, "split_history", counting)
    body = "Book it.\n\n" + "".join(  # 40 replies, each quoting the one before
        "> " * i + f"On Mon, Oct 5, 2026 at 9:{i:02d} AM P{i} <p{i}@x.example> wrote:\n"
        + "> " * (i + 1) + f"Message {i}\n" for i in range(40))
    cleaned = clean_body(body, subject="Re: x")
    assert cleaned.text == "Book it."
    assert len(calls) == text_module._MAX_SPLITS
    assert cleaned.history  # what the budget allowed


@settings(max_examples=200, deadline=None)
@given(st.lists(st.sampled_from([
    "see below", "Book the double, please.", "> quoted line", ">> deeper", "",
    "On Mon, 3 Feb 2025 at 10:12, Ada <a@x.example> wrote:", "-- ", "Ada",
    "---------- Forwarded message ---------", "From: Ada <a@x.example>",
    "Date: Mon, 3 Feb 2025 10:12:00 +0100", "Subject: Hotel", "\u200b", "  ",
    "Von: Ada\nGesendet: Montag, 3. Februar 2025 10:12\nAn: b@x\nBetreff: AW: x"]),
    max_size=25), st.sampled_from(["", "Re: x", "Fwd: x", "AW: x"]))
def test_pieces_always_join_to_the_text(lines, subject):
    cleaned = clean_body("\n".join(lines), subject=subject)
    assert "\n\n".join(p.text for p in cleaned.pieces) == cleaned.text
    assert all(p.text and p.kind == "quoted" for p in cleaned.history)


def test_a_forms_dot_leaders_read_as_colons_in_place():
    from extractor.text import leaders_as_colons
    text = "Request ID ........ 88213\nEmployee .......... Nils Petter Aas\nSo... see you"
    read = leaders_as_colons(text)
    assert len(read) == len(text)
    assert read.splitlines()[1] == "Employee :          Nils Petter Aas"
    assert read.splitlines()[2] == "So... see you"  # an ellipsis in prose stays


def test_a_signature_block_under_one_blank_line_opening_with_the_signed_name_is_the_signers():
    text = ("Please cancel Mr Weber's stay in Cologne below.\n\nMany thanks,\nGemma\n\n"
            "Gemma Lloyd | PA to Thomas Weber\nWeber & Partners | 7 St Andrew Square, Edinburgh")
    lo, hi = sign_off_span(text, with_block=True)
    assert text[lo:hi].endswith("Gemma Lloyd | PA to Thomas Weber")
    # a paragraph of its own after the sign-off is not
    text = "Book me a room in Ulm.\n\nThanks,\nGemma\n\nP.S. The meeting moved."
    lo, hi = sign_off_span(text, with_block=True)
    assert text[lo:hi] == "Thanks,\nGemma"


def test_a_sign_off_line_may_end_with_the_signers_role():
    from extractor.signature import signer_span
    for text, name in (("bitte ein EZ für Frau Lale Aksoy in Kiel.\nGruß, Jonas Keller, Einkauf",
                        "Jonas Keller"),
                       ("Room for our new hire in Oslo, 3-5 May.\nThanks, Priya – People Team",
                        "Priya")):
        lo, hi = signer_span(text)
        assert text[lo:hi] == name


def test_a_couple_signs_a_short_message_together():
    from extractor.signature import signer_span
    for text, names in (("a DZ in Graz for us, 4-6 May? Danke!\nAmal & Yusuf Haddad",
                         "Amal & Yusuf Haddad"),
                        ("ein DZ für uns in Kiel, Fr-So. lg ines + malte", "ines + malte")):
        lo, hi = signer_span(text)
        assert text[lo:hi] == names


def test_a_replys_quoted_history_in_a_text_given_as_is_is_found_above_or_below():
    from extractor.text import quoted_reply
    below = ("Bitte auf ein DZ ändern, mein Mann kommt mit.\n\n"
             "Am 2. März 2026 um 09:10 schrieb Reisebüro Süd <info@rb-sued.de>:\n"
             "> Bestätigung: Hotel Adler, Ulm, 1 EZ, 4.-6. März")
    q = quoted_reply(below)
    assert below[q.start:q.end].startswith("Am 2. März") and q.end == len(below)
    assert q.author == "Reisebüro Süd"
    above = ("> Bestätigung: Hotel Adler, Ulm, 1 EZ, 4.-6. März\n\n"
             "Bitte auf ein DZ ändern, mein Mann kommt mit. Danke, Eva")
    q = quoted_reply(above)
    assert (q.start, above[q.end:].strip()) == (0, "Bitte auf ein DZ ändern, mein Mann kommt "
                                                   "mit. Danke, Eva")
    # a text that only says "see below" keeps the quote as its request; none is no reply
    assert quoted_reply("see below\n\n> Hotel in Ulm 4-6 March please") is None
    assert quoted_reply("Hotel in Ulm 4-6 March please") is None
