"""The whole thread as segments of `Message.text` (issue 15, point 3: whole threads).

`text[:request_end]` is the request the model reads, unchanged; the history a reply quotes
without needing it follows, message by message, each with the writer and date its intro or
header lines give.
"""

from __future__ import annotations

import datetime as dt

import pytest

from extractor.intro import author, read_intro, sent_at
from extractor.read import Message, read_email

CET = dt.timezone(dt.timedelta(hours=1))


def email(body: str, *, subject: str = "Re: Zimmer", date: str | None = "Tue, 11 Feb 2025 "
          "08:30:00 +0100", sender: str = "Jonas Keller <jonas@keller-consult.example>") -> bytes:
    date_line = f"Date: {date}\n" if date else ""
    return (f"From: {sender}\nTo: desk@reisen.example\nSubject: {subject}\n{date_line}"
            "Message-ID: <t1@keller-consult.example>\nMIME-Version: 1.0\n"
            "Content-Type: text/plain; charset=utf-8\nContent-Transfer-Encoding: 8bit\n\n"
            f"{body}").encode()


def parts(msg: Message) -> list[tuple[str, str, str | None, dt.datetime | None]]:
    """(kind, text, author, sent_at) of each segment."""
    return [(s.kind, msg.text[s.start:s.end], s.author, s.sent_at) for s in msg.segments]


def assert_covers(msg: Message) -> None:
    """Segments in order, without overlap, only blank lines between them, the request's end
    on a boundary."""
    assert msg.segments, "a message with text has segments"
    assert msg.segments[0].start == 0 and msg.segments[-1].end == len(msg.text)
    for before, after in zip(msg.segments, msg.segments[1:], strict=False):
        assert before.start < before.end
        assert msg.text[before.end:after.start] == "\n\n"
    ends = {s.end for s in msg.segments}
    assert msg.request_end in ends or msg.request_end == 0


CONFIRMATION_EN = (
    "Could we push the check-out back to Thursday?\n\nCheers,\nMaren\n\n"
    "On Mon, 10 Feb 2025 at 16:45, Lindqvist Travel <bookings@lindqvist.example> wrote:\n"
    "> Dear Maren,\n> your twin room at the Harbour Loft in Gdansk is confirmed\n"
    "> for 20 to 22 February.\n> Kind regards\n> Lindqvist Travel\n")


def test_reply_to_a_confirmation_keeps_the_booking_after_the_request():
    msg = read_email(email(CONFIRMATION_EN, sender="Maren Holt <maren@holt.example>"))
    request = "Could we push the check-out back to Thursday?\n\nCheers,\nMaren"
    assert msg.text[:msg.request_end] == request
    assert parts(msg) == [
        ("new", request, "Maren Holt", dt.datetime(2025, 2, 11, 8, 30, tzinfo=CET)),
        ("quoted", "Dear Maren,\nyour twin room at the Harbour Loft in Gdansk is confirmed\n"
         "for 20 to 22 February.\nKind regards\nLindqvist Travel", "Lindqvist Travel",
         dt.datetime(2025, 2, 10, 16, 45, tzinfo=CET))]
    assert "quoted_history_removed" in msg.notes
    assert_covers(msg)


def test_german_reply_with_schrieb_intro_and_its_signature_cut():
    body = ("Bitte noch ein Parkplatz dazu.\n\n"
            "Am 10.02.2025 um 16:45 schrieb Reisedienst Ostsee <info@ostsee-reisen.example>:\n"
            "> Guten Tag Herr Keller,\n> Ihr Doppelzimmer im Strandhotel Binz ist gebucht,\n"
            "> Anreise 3. März, Abreise 6. März.\n> \n> -- \n> Reisedienst Ostsee GmbH\n"
            "> Hafenstraße 4, 18609 Binz\n")
    msg = read_email(email(body))
    (_, own, *_), (kind, quoted, writer, when) = parts(msg)
    assert own == "Bitte noch ein Parkplatz dazu." == msg.text[:msg.request_end]
    assert kind == "quoted" and writer == "Reisedienst Ostsee"
    assert when == dt.datetime(2025, 2, 10, 16, 45, tzinfo=CET)
    assert quoted.endswith("Anreise 3. März, Abreise 6. März.")  # the signature is gone
    assert "Hafenstraße" not in msg.text
    assert_covers(msg)


OUTLOOK_DE = (
    "Guten Morgen,\n\nkönnen wir die Abreise auf Freitag verschieben?\n\nGruß\nJonas Keller\n\n"
    "Von: Reisebüro Nord <buchung@reise-nord.example>\n"
    "Gesendet: Montag, 10. Februar 2025 16:45\nAn: Jonas Keller <jonas@keller-consult.example>\n"
    "Betreff: AW: Zimmer\n\n"
    "Sehr geehrter Herr Keller,\n\nwir bestätigen Ihr Einzelzimmer im Hotel Alsterblick vom 17. "
    "bis 19. Februar 2025.\n\nMit freundlichen Grüßen\nReisebüro Nord\n\n"
    "Am 08.02.2025 um 09:02 schrieb Jonas Keller <jonas@keller-consult.example>:\n"
    "> Bitte ein EZ in Hamburg, 17.-19.02.\n> Danke\n")


def test_outlook_german_block_then_an_older_reply_each_its_own_quoted_segment():
    msg = read_email(email(OUTLOOK_DE, subject="AW: Zimmer"))
    new, agency, first = parts(msg)
    assert new[0] == "new" and new[1].endswith("Gruß\nJonas Keller")
    assert msg.request_end == len(new[1])
    assert agency == ("quoted", "Sehr geehrter Herr Keller,\n\nwir bestätigen Ihr Einzelzimmer "
                      "im Hotel Alsterblick vom 17. bis 19. Februar 2025.\n\n"
                      "Mit freundlichen Grüßen\nReisebüro Nord", "Reisebüro Nord",
                      dt.datetime(2025, 2, 10, 16, 45, tzinfo=CET))
    assert first == ("quoted", "Bitte ein EZ in Hamburg, 17.-19.02.\nDanke", "Jonas Keller",
                     dt.datetime(2025, 2, 8, 9, 2, tzinfo=CET))
    assert "Gesendet:" not in msg.text and ">" not in msg.text
    assert_covers(msg)


def test_inline_forward_with_a_note_above_is_all_request():
    body = ("Bitte auch Frühstück dazubuchen.\n\n---------- Forwarded message ---------\n"
            "From: Ilse Brandt <ilse@brandt-bau.example>\n"
            "Date: Mon, Feb 10, 2025 at 4:05 PM\nSubject: Hotel Leipzig\n"
            "To: Jonas Keller <jonas@keller-consult.example>\n\n"
            "Hallo Jonas,\nich brauche ein Zimmer in Leipzig vom 24. bis 26. März.\nIlse\n")
    msg = read_email(email(body, subject="Fwd: Hotel Leipzig"))
    assert msg.request_end == len(msg.text)
    assert parts(msg) == [
        ("new", "Bitte auch Frühstück dazubuchen.", "Jonas Keller",
         dt.datetime(2025, 2, 11, 8, 30, tzinfo=CET)),
        ("forwarded", "Hallo Jonas,\nich brauche ein Zimmer in Leipzig vom 24. bis 26. März.\n"
         "Ilse", "Ilse Brandt", dt.datetime(2025, 2, 10, 16, 5, tzinfo=CET))]
    assert_covers(msg)


def attached_forward(inner: str) -> bytes:
    note = "Siehe Anhang, bitte zwei Zimmer statt einem.\n\nJonas"
    body = ("--sep\nContent-Type: text/plain; charset=utf-8\n\n" f"{note}\n"
            "--sep\nContent-Type: message/rfc822\n"
            "Content-Disposition: attachment; filename=anfrage.eml\n\n" f"{inner}\n--sep--\n")
    return email(body, subject="WG: Anfrage").replace(
        b"Content-Type: text/plain; charset=utf-8\nContent-Transfer-Encoding: 8bit",
        b'Content-Type: multipart/mixed; boundary="sep"')


def test_attached_message_is_forwarded_with_its_own_from_and_date():
    inner = ("From: \"Voss, Hanna\" <hanna.voss@werft.example>\n"
             "Date: Fri, 7 Feb 2025 17:20:00 +0000\nSubject: Zimmer Kiel\n"
             "Content-Type: text/plain; charset=utf-8\n\n"
             "Wir brauchen ein Zimmer in Kiel, 12. bis 14. März.\nHanna Voss\n")
    msg = read_email(attached_forward(inner))
    assert parts(msg) == [
        ("new", "Siehe Anhang, bitte zwei Zimmer statt einem.\n\nJonas", "Jonas Keller",
         dt.datetime(2025, 2, 11, 8, 30, tzinfo=CET)),
        ("forwarded", "Wir brauchen ein Zimmer in Kiel, 12. bis 14. März.\nHanna Voss",
         "Voss, Hanna", dt.datetime(2025, 2, 7, 17, 20, tzinfo=dt.UTC))]
    assert msg.request_end == len(msg.text)
    assert "attached_message_kept" in msg.notes
    assert_covers(msg)


def test_attached_reply_keeps_its_quoted_history_after_the_request():
    inner = ("From: Hanna Voss <hanna.voss@werft.example>\n"
             "Date: Fri, 7 Feb 2025 17:20:00 +0100\nSubject: Re: Zimmer Kiel\n\n"
             "Ja, bitte so buchen: Einzelzimmer, Kiel, 12. bis 14. März.\n\n"
             "On Fri, 7 Feb 2025 at 11:00, Fjord Hotels <res@fjord.example> wrote:\n"
             "> We can offer the Kieler Förde Inn at 119 EUR a night.\n")
    msg = read_email(attached_forward(inner))
    kinds = [(kind, who) for kind, _, who, _ in parts(msg)]
    assert kinds == [("new", "Jonas Keller"), ("forwarded", "Hanna Voss"),
                     ("quoted", "Fjord Hotels")]
    assert msg.text[:msg.request_end].endswith("Einzelzimmer, Kiel, 12. bis 14. März.")
    assert msg.text[msg.request_end:] == (
        "\n\nWe can offer the Kieler Förde Inn at 119 EUR a night.")
    assert_covers(msg)


def test_reply_forwarded_inline_keeps_the_reply_and_moves_its_history_back():
    body = ("Please take care of this one.\n\n---------- Forwarded message ---------\n"
            "From: Priya Nair <priya@nair-labs.example>\nDate: Mon, Feb 10, 2025 at 9:15 AM\n"
            "Subject: Re: Lisbon\nTo: Tom <tom@nair-labs.example>\n\n"
            "Yes, the Alfama Courtyard is fine, one double from 5 to 8 May.\n\n"
            "On Sun, Feb 9, 2025 at 7:40 PM Tom <tom@nair-labs.example> wrote:\n"
            "> Would the Alfama Courtyard work for you?\n")
    msg = read_email(email(body, subject="Fwd: Re: Lisbon", sender="Ana <ana@desk.example>"))
    assert parts(msg) == [
        ("new", "Please take care of this one.", "Ana",
         dt.datetime(2025, 2, 11, 8, 30, tzinfo=CET)),
        ("forwarded", "Yes, the Alfama Courtyard is fine, one double from 5 to 8 May.",
         "Priya Nair", dt.datetime(2025, 2, 10, 9, 15, tzinfo=CET)),
        ("quoted", "Would the Alfama Courtyard work for you?", "Tom",
         dt.datetime(2025, 2, 9, 19, 40, tzinfo=CET))]
    assert msg.text[:msg.request_end] == (
        "Please take care of this one.\n\n"
        "Yes, the Alfama Courtyard is fine, one double from 5 to 8 May.")
    assert_covers(msg)


def test_see_below_reply_keeps_the_quoted_request_inside_the_request():
    body = ("siehe unten\n\n"
            "Am 10.02.2025 um 07:55 schrieb Kai Lenz <kai@lenz.example>:\n"
            "> Ein EZ in Bremen vom 2. bis 4. April, bitte.\n")
    msg = read_email(email(body))
    assert msg.request_end == len(msg.text)
    assert [(k, who) for k, _, who, _ in parts(msg)] == [("new", "Jonas Keller"),
                                                          ("quoted", "Kai Lenz")]
    assert_covers(msg)


def test_answers_between_quotes_are_one_new_segment_and_the_questions_history():
    body = "> Which city?\nPorto\n> Which nights?\n14 to 16 June\n"
    msg = read_email(email(body))
    assert msg.text[:msg.request_end] == "Porto\n\n14 to 16 June"
    new, history = msg.segments
    assert (new.kind, new.end) == ("new", msg.request_end)
    assert (history.kind, history.author, history.sent_at) == ("quoted", None, None)
    assert msg.text[history.start:] == "Which city?\n\nWhich nights?"


def test_intro_time_without_offset_needs_the_date_header():
    msg = read_email(email(CONFIRMATION_EN, date=None))
    assert [s.sent_at for s in msg.segments] == [None, None]
    assert msg.segments[1].author == "Lindqvist Travel"


def test_plain_request_is_one_new_segment_and_all_request():
    msg = read_email(email("Ein DZ in Ulm, 3.-5. Mai."))
    assert msg.request_end == len(msg.text) == msg.segments[0].end
    assert [s.kind for s in msg.segments] == ["new"]


def test_message_built_from_text_alone_is_all_request():
    assert Message(text="abc", subject="", message_id=None, received_at=None).request_end == 3


# -- intros and header values ---------------------------------------------------------------
@pytest.mark.parametrize(("line", "expected"), [
    ("On Mon, 3 Mar 2025 at 10:12, Rosa Diaz <rosa@diaz.example> wrote:",
     (dt.datetime(2025, 3, 3, 10, 12), "Rosa Diaz")),
    ("On Thu, Mar 6, 2025 at 4:05 PM Rosa Diaz <rosa@diaz.example> wrote:",
     (dt.datetime(2025, 3, 6, 16, 5), "Rosa Diaz")),
    ("Am 06.03.2025 um 16:05 schrieb Rosa Diaz <rosa@diaz.example>:",
     (dt.datetime(2025, 3, 6, 16, 5), "Rosa Diaz")),
    ("Am Do., 6. März 2025 um 16:05 Uhr schrieb Rosa Diaz <rosa@diaz.example>:",
     (dt.datetime(2025, 3, 6, 16, 5), "Rosa Diaz")),
    ("Rosa Diaz <rosa@diaz.example> schrieb am 06.03.2025 16:05:",
     (dt.datetime(2025, 3, 6, 16, 5), "Rosa Diaz")),
    ("On 6 Mar 2025, at 16:05, rosa@diaz.example wrote:",
     (dt.datetime(2025, 3, 6, 16, 5), "rosa@diaz.example")),
    ("On Thu, 6 Mar 2025 16:05:00 +0100, Rosa <rosa@diaz.example> wrote:",
     (dt.datetime(2025, 3, 6, 16, 5, tzinfo=CET), "Rosa")),
    ("Le jeu. 6 mars 2025 à 16:05, Rosa <rosa@diaz.example> a écrit :", (None, "Rosa")),
    ("---------- Forwarded message ---------", (None, None)),
])
def test_intro_gives_date_and_writer(line, expected):
    assert read_intro(line) == expected


@pytest.mark.parametrize(("value", "expected"), [
    ("Montag, 3. Februar 2025 10:12", dt.datetime(2025, 2, 3, 10, 12)),
    ("Monday, February 3, 2025 4:05 PM", dt.datetime(2025, 2, 3, 16, 5)),
    ("02/03/2025 4:05 PM", dt.datetime(2025, 2, 3, 16, 5)),  # am/pm: written in the US
    ("03/02/2025 16:05", dt.datetime(2025, 2, 3, 16, 5)),
    ("Mon, 3 Feb 2025 10:12:00 +0100", dt.datetime(2025, 2, 3, 10, 12, tzinfo=CET)),
    ("3 Feb at 10:12", None),  # no year: not guessed
    ("sometime in 2025", None),
])
def test_sent_date_values(value, expected):
    assert sent_at(value) == expected


@pytest.mark.parametrize(("value", "expected"), [
    ("Weber, Anna <anna@weber.example>", "Weber, Anna"),
    ("Anna Weber [mailto:anna@weber.example]", "Anna Weber"),
    ("anna@weber.example", "anna@weber.example"),
    ("\"Anna Weber\" <anna@weber.example>", "Anna Weber"),
    ("", None),
])
def test_writer_from_a_from_value(value, expected):
    assert author(value) == expected


def test_message_attached_inside_an_attached_message_keeps_its_own_writer():
    innermost = ("From: Otto Sand <otto@sand.example>\nDate: Wed, 5 Feb 2025 09:00:00 +0100\n"
                 "Subject: Zimmer\n\nEin EZ in Jena, 9. bis 11. April.\n")
    middle = ("From: Hanna Voss <hanna.voss@werft.example>\n"
              "Date: Thu, 6 Feb 2025 10:00:00 +0100\nSubject: WG: Zimmer\n"
              'Content-Type: multipart/mixed; boundary="in"\n\n'
              "--in\nContent-Type: text/plain\n\nFür Otto, bitte.\n"
              f"--in\nContent-Type: message/rfc822\n\n{innermost}--in--\n")
    msg = read_email(attached_forward(middle))
    assert [(k, text, who) for k, text, who, _ in parts(msg)] == [
        ("new", "Siehe Anhang, bitte zwei Zimmer statt einem.\n\nJonas", "Jonas Keller"),
        ("forwarded", "Für Otto, bitte.", "Hanna Voss"),
        ("forwarded", "Ein EZ in Jena, 9. bis 11. April.", "Otto Sand")]
    assert [s.sent_at for s in msg.segments][1:] == [
        dt.datetime(2025, 2, 6, 10, 0, tzinfo=CET), dt.datetime(2025, 2, 5, 9, 0, tzinfo=CET)]
