"""Date expressions -> dates (extractor/values/dates/). Each case names the phrase it is for; the
regressions of peers' parsers (PEERS.md) are tagged with their issue."""

from __future__ import annotations

from datetime import date

import pytest

from extractor.values.dates import (
    DateParse,
    parse_date,
    parse_date_pair,
    parse_range,
    slash_reading,
)

MON_APR_20 = date(2026, 4, 20)  # a Monday
SUN_DEC_20 = date(2026, 12, 20)  # a Sunday, eleven days before the year ends
SAT_JAN_31 = date(2026, 1, 31)  # a Saturday, the last day of a month
FRI_MAY_15 = date(2026, 5, 15)  # a Friday
FEB_20 = date(2026, 2, 20)

D = date


def case(*values: object, why: str) -> object:
    """A parametrized case named by its phrase (the first value) and why it is there."""
    return pytest.param(*values, id=f"{values[0]} ({why})")


def named(cases: list) -> list:
    """Each plain tuple of `cases` as a parametrized case named by its phrase."""
    return [pytest.param(*c, id=str(c[0])) if type(c) is tuple else c for c in cases]


# (phrase, reference, lang, expected date)
SINGLE = [
    ("3 May", MON_APR_20, None, D(2026, 5, 3)),
    ("May 3", MON_APR_20, None, D(2026, 5, 3)),
    ("May 3rd", MON_APR_20, "en", D(2026, 5, 3)),
    ("3rd of May", MON_APR_20, "en", D(2026, 5, 3)),
    ("the 3rd of May", MON_APR_20, "en", D(2026, 5, 3)),
    ("May the 3rd", MON_APR_20, "en", D(2026, 5, 3)),
    ("3.5.", MON_APR_20, "de", D(2026, 5, 3)),
    ("3.5", MON_APR_20, "de", D(2026, 5, 3)),
    ("3.5.2026", MON_APR_20, "de", D(2026, 5, 3)),
    ("03.05.26", MON_APR_20, "de", D(2026, 5, 3)),
    ("3. 5. 2026", MON_APR_20, "de", D(2026, 5, 3)),
    ("2026-05-03", MON_APR_20, None, D(2026, 5, 3)),
    case("05/03/2026", MON_APR_20, "de", D(2026, 3, 5), why="day-first in German"),
    case("05/03/2026", MON_APR_20, "en", D(2026, 5, 3), why="month-first in English"),
    case("05/03/2026", MON_APR_20, None, D(2026, 3, 5), why="day-first without a language"),
    case("13/05/2026", MON_APR_20, "en", D(2026, 5, 13), why="a first number over 12 is a day"),
    case("05/13/2026", MON_APR_20, "de", D(2026, 5, 13), why="a second number over 12 is a day"),
    ("3. Mai", MON_APR_20, "de", D(2026, 5, 3)),
    ("3. Mai 2026", MON_APR_20, "de", D(2026, 5, 3)),
    ("am 3. Mai", MON_APR_20, "de", D(2026, 5, 3)),
    ("May 3, 2027", MON_APR_20, "en", D(2027, 5, 3)),
    ("3 May '27", MON_APR_20, "en", D(2027, 5, 3)),
    ("03-May-2026", MON_APR_20, "en", D(2026, 5, 3)),
    ("dritten Mai", MON_APR_20, "de", D(2026, 5, 3)),
    ("the first of June", MON_APR_20, "en", D(2026, 6, 1)),
    ("June twenty-first", MON_APR_20, "en", D(2026, 6, 21)),
    ("am 3ten Mai", MON_APR_20, "de", D(2026, 5, 3)),
    # month names and abbreviations, German and English, with and without dots
    ("3 Jan", MON_APR_20, None, D(2027, 1, 3)),
    ("3. Feb.", MON_APR_20, "de", D(2027, 2, 3)),
    ("3. Mär", MON_APR_20, "de", D(2027, 3, 3)),
    ("3. März", MON_APR_20, "de", D(2027, 3, 3)),
    ("3. Maerz", MON_APR_20, "de", D(2027, 3, 3)),
    ("3. Marz", MON_APR_20, "de", D(2027, 3, 3)),
    ("3 Sept", MON_APR_20, "en", D(2026, 9, 3)),
    ("3. Okt.", MON_APR_20, "de", D(2026, 10, 3)),
    ("3. Dez", MON_APR_20, "de", D(2026, 12, 3)),
    ("3. Jänner", MON_APR_20, "de", D(2027, 1, 3)),
    ("3 DECEMBER", MON_APR_20, "en", D(2026, 12, 3)),
    # typos
    ("3 Febuary", MON_APR_20, "en", D(2027, 2, 3)),
    ("Decmber 3rd", MON_APR_20, "en", D(2026, 12, 3)),
    ("3 Septmber", MON_APR_20, "en", D(2026, 9, 3)),
    ("Wendesday", MON_APR_20, "en", D(2026, 4, 22)),
    # future preference: a date before the reference is next year's
    case("3 January", SUN_DEC_20, "en", D(2027, 1, 3), why="written in December"),
    case("3.1.", SUN_DEC_20, "de", D(2027, 1, 3), why="written in December"),
    case("19 December", SUN_DEC_20, "en", D(2027, 12, 19), why="the day before the email"),
    case("20 December", SUN_DEC_20, "en", D(2026, 12, 20), why="the day of the email"),
    case("29 Feb", MON_APR_20, "en", D(2028, 2, 29), why="waits for a leap year"),
    case("17. August 2020", MON_APR_20, "de", D(2020, 8, 17),
         why="a date, not 20:20: ctparse #132"),
    ("3. Mai um 14:30", MON_APR_20, "de", D(2026, 5, 3)),
    ("3. Mai ab 15 Uhr", MON_APR_20, "de", D(2026, 5, 3)),
    ("May 3 at 2pm", MON_APR_20, "en", D(2026, 5, 3)),
    # weekdays: the next one strictly after the reference (dateparser #1243)
    case("Monday", MON_APR_20, "en", D(2026, 4, 27), why="on a Monday: next week's"),
    ("Friday", MON_APR_20, "en", D(2026, 4, 24)),
    case("Friday", D(2026, 4, 25), "en", D(2026, 5, 1), why="on a Saturday: dateparser #1243"),
    case("Friday", D(2026, 12, 30), "en", D(2027, 1, 1), why="across the year end"),
    ("next Monday", MON_APR_20, "en", D(2026, 4, 27)),
    ("this Monday", MON_APR_20, "en", D(2026, 4, 20)),
    ("this Friday", MON_APR_20, "en", D(2026, 4, 24)),
    ("on Tuesday", MON_APR_20, "en", D(2026, 4, 21)),
    ("nächsten Dienstag", MON_APR_20, "de", D(2026, 4, 21)),
    ("naechsten dienstag", MON_APR_20, "de", D(2026, 4, 21)),
    ("kommenden Mittwoch", MON_APR_20, "de", D(2026, 4, 22)),
    ("Mo", MON_APR_20, "de", D(2026, 4, 27)),
    ("Fr.", MON_APR_20, "de", D(2026, 4, 24)),
    ("Sat", MON_APR_20, "en", D(2026, 4, 25)),
    case("Montag morgen", MON_APR_20, "de", D(2026, 4, 27), why="Monday morning, not tomorrow"),
    ("Freitagabend", MON_APR_20, "de", D(2026, 4, 24)),
    ("next week Wednesday", MON_APR_20, "en", D(2026, 4, 29)),
    ("Wednesday next week", MON_APR_20, "en", D(2026, 4, 29)),
    ("nächste Woche Mittwoch", MON_APR_20, "de", D(2026, 4, 29)),
    ("Mittwoch nächster Woche", FRI_MAY_15, "de", D(2026, 5, 20)),
    ("this week Friday", MON_APR_20, "en", D(2026, 4, 24)),
    ("Monday the week after next", MON_APR_20, "en", D(2026, 5, 4)),
    ("übernächste Woche Montag", MON_APR_20, "de", D(2026, 5, 4)),
    # "in two weeks" beside a weekday names its week; alone it is a day two weeks on
    ("in two weeks on Monday", MON_APR_20, "en", D(2026, 5, 4)),
    ("Monday in two weeks", MON_APR_20, "en", D(2026, 5, 4)),
    ("in zwei Wochen am Montag", MON_APR_20, "de", D(2026, 5, 4)),
    ("in two weeks", MON_APR_20, "en", D(2026, 5, 4)),
    # a weekday with a day of month: the date; the weekday picks the month
    ("Freitag, den 13.", MON_APR_20, "de", D(2026, 11, 13)),
    ("Montag, 9. März", FEB_20, "de", D(2026, 3, 9)),
    # relative days
    ("today", MON_APR_20, "en", D(2026, 4, 20)),
    ("tonight", MON_APR_20, "en", D(2026, 4, 20)),
    ("tomorrow", MON_APR_20, "en", D(2026, 4, 21)),
    case("tomorrow", SAT_JAN_31, "en", D(2026, 2, 1), why="across the month end"),
    ("tmrw", MON_APR_20, "en", D(2026, 4, 21)),
    ("heute", MON_APR_20, "de", D(2026, 4, 20)),
    ("morgen", MON_APR_20, "de", D(2026, 4, 21)),
    ("morgen früh", MON_APR_20, "de", D(2026, 4, 21)),
    ("übermorgen", MON_APR_20, "de", D(2026, 4, 22)),
    ("uebermorgen", MON_APR_20, "de", D(2026, 4, 22)),
    ("day after tomorrow", MON_APR_20, "en", D(2026, 4, 22)),
    ("in 2 weeks", MON_APR_20, "en", D(2026, 5, 4)),
    ("in zwei Wochen", MON_APR_20, "de", D(2026, 5, 4)),
    ("in einer Woche", MON_APR_20, "de", D(2026, 4, 27)),
    ("in a week", MON_APR_20, "en", D(2026, 4, 27)),
    ("in 3 days", MON_APR_20, "en", D(2026, 4, 23)),
    ("in 10 Tagen", MON_APR_20, "de", D(2026, 4, 30)),
    ("two weeks from today", MON_APR_20, "en", D(2026, 5, 4)),
    ("heute in einer Woche", MON_APR_20, "de", D(2026, 4, 27)),
    ("the 3rd of this month", D(2026, 4, 1), "en", D(2026, 4, 3)),
    ("the 3rd of next month", SUN_DEC_20, "en", D(2027, 1, 3)),
    # days named by their feast, and "weds"
    ("für valentinstag", MON_APR_20, "de", D(2027, 2, 14)),
    ("over Valentine's Day", D(2027, 2, 10), "en", D(2027, 2, 14)),
    ("an Silvester", SUN_DEC_20, "de", D(2026, 12, 31)),
    ("Heiligabend 2026", MON_APR_20, "de", D(2026, 12, 24)),
    # movable feasts, counted from Easter (5 April 2026, 28 March 2027)
    case("Anreise Karfreitag", FEB_20, "de", D(2026, 4, 3), why="Good Friday, not a Friday"),
    case("Good Friday", FEB_20, "en", D(2026, 4, 3), why="not the next Friday"),
    case("Easter Monday", MON_APR_20, "en", D(2027, 3, 29), why="this year's is past"),
    ("Christi Himmelfahrt", MON_APR_20, "de", D(2026, 5, 14)),
    ("Pfingstmontag", MON_APR_20, "de", D(2026, 5, 25)),
    ("Fronleichnam 2027", MON_APR_20, "de", D(2027, 5, 27)),
    ("Boxing Day", MON_APR_20, "en", D(2026, 12, 26)),
    ("next weds", MON_APR_20, "en", D(2026, 4, 22)),  # as "next Wednesday"
]


@pytest.mark.parametrize(("phrase", "reference", "lang", "expected"), named(SINGLE))
def test_single_dates(phrase: str, reference: date, lang: str | None, expected: date) -> None:
    got = parse_date(phrase, reference=reference, lang=lang)
    assert got.value == expected
    assert not got.vague


# (phrase, reference, lang, Monday, Friday or Sunday)
WHOLE_WEEKS = [
    ("KW 23", MON_APR_20, "de", D(2026, 6, 1), D(2026, 6, 5)),
    ("KW23", MON_APR_20, "de", D(2026, 6, 1), D(2026, 6, 5)),
    ("kw 23", MON_APR_20, "de", D(2026, 6, 1), D(2026, 6, 5)),
    ("in der 23. KW", MON_APR_20, "de", D(2026, 6, 1), D(2026, 6, 5)),
    ("Kalenderwoche 23", MON_APR_20, "de", D(2026, 6, 1), D(2026, 6, 5)),
    ("week 23", MON_APR_20, "en", D(2026, 6, 1), D(2026, 6, 5)),
    ("calendar week 23", MON_APR_20, "en", D(2026, 6, 1), D(2026, 6, 5)),
    ("CW 23", MON_APR_20, "en", D(2026, 6, 1), D(2026, 6, 5)),
    ("KW 23/2027", MON_APR_20, "de", D(2027, 6, 7), D(2027, 6, 11)),
    ("KW 2", SUN_DEC_20, "de", D(2027, 1, 11), D(2027, 1, 15)),
    ("KW 17", D(2026, 4, 22), "de", D(2026, 4, 20), D(2026, 4, 24)),
    ("this weekend", MON_APR_20, "en", D(2026, 4, 24), D(2026, 4, 26)),
    ("am Wochenende", MON_APR_20, "de", D(2026, 4, 24), D(2026, 4, 26)),
    ("dieses Wochenende", D(2026, 4, 25), "de", D(2026, 4, 25), D(2026, 4, 26)),
    ("next weekend", MON_APR_20, "en", D(2026, 5, 1), D(2026, 5, 3)),
    ("nächstes Wochenende", MON_APR_20, "de", D(2026, 5, 1), D(2026, 5, 3)),
]


@pytest.mark.parametrize(("phrase", "reference", "lang", "first", "last"), WHOLE_WEEKS,
                         ids=[c[0] for c in WHOLE_WEEKS])
def test_whole_weeks_and_weekends(phrase: str, reference: date, lang: str | None,
                                  first: date, last: date) -> None:
    assert parse_date(phrase, reference=reference, lang=lang) == DateParse(value=first, end=last)
    assert parse_range(phrase, reference=reference, lang=lang) == (
        DateParse(value=first), DateParse(value=last))


VAGUE = ["Anfang Juni", "Ende Mai", "Mitte Mai", "end of May", "mid June", "mid-June",
         "early June", "beginning of July", "sometime next month", "next month",
         "nächsten Monat", "in the summer", "im Sommer", "im Herbst", "im Mai", "in May",
         "next week", "nächste Woche", "Anfang nächster Woche", "end of next week", "asap",
         "later this year", "so bald wie möglich", "in der zweiten Maihälfte",
         "in der ersten Juniwoche", "the first week of June", "in the second half of May",
         "Ende nächsten Monats", "zur Monatsmitte"]


@pytest.mark.parametrize("phrase", VAGUE)
def test_vague_times_have_no_date(phrase: str) -> None:
    assert parse_date(phrase, reference=MON_APR_20) == DateParse(vague=True)


@pytest.mark.parametrize("phrase", ["", "hello", "3 nights", "Zimmer", "14:30", "2 people",
                                    "do you have", "4 stars"])
def test_text_without_a_date(phrase: str) -> None:
    assert parse_date(phrase, reference=MON_APR_20) == DateParse()


def test_bare_day_without_anchor_is_a_guess_that_needs_context() -> None:
    got = parse_date("the 3rd", reference=MON_APR_20)
    assert got == DateParse(value=D(2026, 5, 3), needs_context=True)
    # dateparser #1275: the future preference must roll the month...
    assert parse_date("am 25.", reference=MON_APR_20).value == D(2026, 4, 25)
    assert parse_date("25. da", reference=MON_APR_20).value == D(2026, 4, 25)  # "bin am 25. da"
    assert parse_date("15", reference=MON_APR_20).value == D(2026, 5, 15)
    # ...and the year, and skip months too short for the day.
    assert parse_date("15th", reference=SUN_DEC_20).value == D(2027, 1, 15)
    assert parse_date("the 30th", reference=SAT_JAN_31).value == D(2026, 3, 30)


# (check-out phrase, anchor = check-in, expected)
ANCHORED = [
    ("5", D(2026, 5, 3), D(2026, 5, 5)),
    ("5.", D(2026, 5, 3), D(2026, 5, 5)),
    ("the 7th", D(2026, 5, 3), D(2026, 5, 7)),
    ("am 2.", D(2026, 5, 3), D(2026, 6, 2)),
    ("3", D(2026, 5, 3), D(2026, 6, 3)),
    ("the 2nd", D(2026, 12, 28), D(2027, 1, 2)),
    ("Friday", D(2026, 5, 1), D(2026, 5, 8)),
    ("Sunday", D(2026, 5, 1), D(2026, 5, 3)),
    ("bis Freitag", D(2026, 4, 28), D(2026, 5, 1)),
    ("2 January", D(2026, 12, 28), D(2027, 1, 2)),
    ("3 May", D(2026, 5, 3), D(2026, 5, 3)),
    ("5.5.2026", D(2026, 5, 3), D(2026, 5, 5)),
]


@pytest.mark.parametrize(("phrase", "anchor", "expected"), ANCHORED,
                         ids=[f"{c[0]} after {c[1]}" for c in ANCHORED])
def test_check_out_resolves_after_its_anchor(phrase: str, anchor: date, expected: date) -> None:
    got = parse_date(phrase, reference=MON_APR_20, anchor=anchor)
    assert got.value == expected
    assert not got.needs_context


def test_relative_dates_ignore_the_anchor() -> None:
    got = parse_date("tomorrow", reference=MON_APR_20, anchor=D(2026, 4, 21))
    assert got.value == D(2026, 4, 21)


def test_german_two_letter_weekdays_are_not_english_words() -> None:
    assert parse_date("so", reference=MON_APR_20, lang="en") == DateParse()
    assert parse_date("So", reference=MON_APR_20, lang="de").value == D(2026, 4, 26)


# (phrase, reference, lang, check-in, check-out)
RANGES = [
    ("from 3 to 5 May", MON_APR_20, "en", D(2026, 5, 3), D(2026, 5, 5)),
    ("3-5 May", MON_APR_20, "en", D(2026, 5, 3), D(2026, 5, 5)),
    ("3 – 5 May", MON_APR_20, "en", D(2026, 5, 3), D(2026, 5, 5)),
    ("3.-5. Mai", MON_APR_20, "de", D(2026, 5, 3), D(2026, 5, 5)),
    ("vom 3. bis 5. Mai", MON_APR_20, "de", D(2026, 5, 3), D(2026, 5, 5)),
    ("vom 3. bis zum 5. Mai", MON_APR_20, "de", D(2026, 5, 3), D(2026, 5, 5)),
    ("3. bis 5.5.", MON_APR_20, "de", D(2026, 5, 3), D(2026, 5, 5)),
    ("May 3-5", MON_APR_20, "en", D(2026, 5, 3), D(2026, 5, 5)),
    ("May 3 - May 5", MON_APR_20, "en", D(2026, 5, 3), D(2026, 5, 5)),
    ("May 3rd to 5th", MON_APR_20, "en", D(2026, 5, 3), D(2026, 5, 5)),
    ("between 3 and 5 May", MON_APR_20, "en", D(2026, 5, 3), D(2026, 5, 5)),
    ("zwischen dem 3. und 5. Mai", MON_APR_20, "de", D(2026, 5, 3), D(2026, 5, 5)),
    ("3.5.2026 - 5.5.2026", MON_APR_20, "de", D(2026, 5, 3), D(2026, 5, 5)),
    ("2026-05-03 to 2026-05-05", MON_APR_20, None, D(2026, 5, 3), D(2026, 5, 5)),
    ("1st to 3rd June", MON_APR_20, "en", D(2026, 6, 1), D(2026, 6, 3)),
    ("June 1st through June 3rd", MON_APR_20, "en", D(2026, 6, 1), D(2026, 6, 3)),
    ("May 30 - June 2", MON_APR_20, "en", D(2026, 5, 30), D(2026, 6, 2)),
    ("30.-2.6.", MON_APR_20, "de", D(2026, 5, 30), D(2026, 6, 2)),
    ("12.–14.03.", FEB_20, "de", D(2026, 3, 12), D(2026, 3, 14)),
    case("12.–14.03.", MON_APR_20, "de", D(2027, 3, 12), D(2027, 3, 14), why="next year's"),
    ("Mo-Mi nächste Woche", MON_APR_20, "de", D(2026, 4, 27), D(2026, 4, 29)),
    ("Monday to Wednesday next week", MON_APR_20, "en", D(2026, 4, 27), D(2026, 4, 29)),
    ("nächste Woche Mittwoch bis Freitag", MON_APR_20, "de", D(2026, 4, 29), D(2026, 5, 1)),
    ("von Montag bis Mittwoch", FRI_MAY_15, "de", D(2026, 5, 18), D(2026, 5, 20)),
    ("tomorrow until Friday", MON_APR_20, "en", D(2026, 4, 21), D(2026, 4, 24)),
    ("heute bis Freitag", MON_APR_20, "de", D(2026, 4, 20), D(2026, 4, 24)),
    ("Thursday to Monday", MON_APR_20, "en", D(2026, 4, 23), D(2026, 4, 27)),
    ("from the 28th of December to 2 January", MON_APR_20, "en", D(2026, 12, 28),
     D(2027, 1, 2)),
    case("from the 28th of December to 2 January", SUN_DEC_20, "en", D(2026, 12, 28),
         D(2027, 1, 2), why="written in December"),
    ("vom 28. Dezember bis zum 2. Januar", MON_APR_20, "de", D(2026, 12, 28), D(2027, 1, 2)),
    ("28.12.-2.1.", MON_APR_20, "de", D(2026, 12, 28), D(2027, 1, 2)),
    case("28-2 January", SUN_DEC_20, "en", D(2026, 12, 28), D(2027, 1, 2),
         why="the 28th borrows December"),
    ("KW 23 bis KW 24", MON_APR_20, "de", D(2026, 6, 1), D(2026, 6, 12)),
    case("Montag 9. März bis Mittwoch 11. März", FEB_20, "de", D(2026, 3, 9), D(2026, 3, 11),
         why="ctparse #90"),
    case("from may 1-3", MON_APR_20, "en", D(2026, 5, 1), D(2026, 5, 3), why="duckling #53"),
    case("11 september to 13 september", MON_APR_20, "en", D(2026, 9, 11), D(2026, 9, 13),
         why="the departure day, not an exclusive end: duckling #532"),
    ("3 to 5 may", MON_APR_20, None, D(2026, 5, 3), D(2026, 5, 5)),
    case("the nights of 5 and 6 March", FEB_20, "en", D(2026, 3, 5), D(2026, 3, 7),
         why="nights listed: check-out the morning after the last"),
    case("Wednesday and Thursday night next week", MON_APR_20, "en", D(2026, 4, 29),
         D(2026, 5, 1), why="nights listed, week qualifier on both"),
    ("Mittwoch und Donnerstag Nacht", MON_APR_20, "de", D(2026, 4, 22), D(2026, 4, 24)),
]


@pytest.mark.parametrize(("phrase", "reference", "lang", "check_in", "check_out"), named(RANGES))
def test_ranges(phrase: str, reference: date, lang: str | None, check_in: date,
                check_out: date) -> None:
    got = parse_range(phrase, reference=reference, lang=lang)
    assert got is not None
    assert (got[0].value, got[1].value) == (check_in, check_out)
    assert not got[0].needs_context


@pytest.mark.parametrize("phrase", ["3 May", "next Monday", "Anfang Juni", "3 and 5 May",
                                    "hello", "3 nights"])
def test_texts_that_are_not_ranges(phrase: str) -> None:
    assert parse_range(phrase, reference=MON_APR_20) is None


def test_a_range_without_any_month_is_flagged() -> None:
    got = parse_range("3rd - 5th", reference=MON_APR_20)
    assert got is not None
    assert (got[0].value, got[1].value) == (D(2026, 5, 3), D(2026, 5, 5))
    assert got[0].needs_context


# (check-in span, check-out span, reference, check-in, check-out)
PAIRS = [
    ("3", "5 May", MON_APR_20, D(2026, 5, 3), D(2026, 5, 5)),
    ("3.", "5. Mai", MON_APR_20, D(2026, 5, 3), D(2026, 5, 5)),
    ("3.", "5.5.2027", MON_APR_20, D(2027, 5, 3), D(2027, 5, 5)),
    ("28", "2 January", SUN_DEC_20, D(2026, 12, 28), D(2027, 1, 2)),
    ("28.", "2.1.2027", MON_APR_20, D(2026, 12, 28), D(2027, 1, 2)),
    ("next Tuesday", "Thursday", MON_APR_20, D(2026, 4, 21), D(2026, 4, 23)),
    ("Saturday", "Sunday next week", D(2026, 1, 22), D(2026, 1, 31), D(2026, 2, 1)),
    ("Dienstag", "Samstag kommender Woche", D(2026, 9, 21), D(2026, 9, 29), D(2026, 10, 3)),
    ("3 May", "the 7th", MON_APR_20, D(2026, 5, 3), D(2026, 5, 7)),
    ("28 December", "the 2nd", MON_APR_20, D(2026, 12, 28), D(2027, 1, 2)),
    ("May 30", "2", MON_APR_20, D(2026, 5, 30), D(2026, 6, 2)),
]


@pytest.mark.parametrize(("check_in", "check_out", "reference", "want_in", "want_out"), PAIRS,
                         ids=[f"[{c[0]}] to [{c[1]}]" for c in PAIRS])
def test_pairs_of_spans(check_in: str, check_out: str, reference: date, want_in: date,
                        want_out: date) -> None:
    din, dout = parse_date_pair(check_in, check_out, reference=reference, lang=None)
    assert din is not None and dout is not None
    assert (din.value, dout.value) == (want_in, want_out)
    assert not din.needs_context and not dout.needs_context


def test_pair_borrows_only_a_written_month() -> None:
    din, dout = parse_date_pair("30", "Tuesday", reference=FRI_MAY_15, lang="en")
    assert din == DateParse(value=D(2026, 5, 30), needs_context=True)
    assert dout == DateParse(value=D(2026, 6, 2))


def test_pair_with_a_missing_half() -> None:
    din, dout = parse_date_pair(None, "5. Mai", reference=MON_APR_20, lang="de")
    assert din is None and dout == DateParse(value=D(2026, 5, 5))
    din, dout = parse_date_pair("3 May", None, reference=MON_APR_20, lang="en")
    assert din == DateParse(value=D(2026, 5, 3)) and dout is None


def test_pair_with_an_unreadable_half() -> None:
    din, dout = parse_date_pair("3 May", "whenever", reference=MON_APR_20, lang="en")
    assert din == DateParse(value=D(2026, 5, 3)) and dout == DateParse()


def test_pair_with_a_vague_half() -> None:
    din, dout = parse_date_pair("Anfang Juni", "10. Juni", reference=MON_APR_20, lang="de")
    assert din == DateParse(vague=True) and dout == DateParse(value=D(2026, 6, 10))


@pytest.mark.parametrize(("text", "expected"), [
    ("on the 4th instead of the 3rd", date(2026, 5, 4)),
    ("Donnerstag statt Mittwoch", date(2026, 4, 23)),
    ("the 4th, not the 3rd", date(2026, 5, 4)),
    ("am 28. anstatt am 22.", date(2026, 4, 28)),
])
def test_the_replaced_date_of_a_change_is_not_read(text: str, expected: date) -> None:
    assert parse_date(text, reference=date(2026, 4, 20), lang="en").value == expected


def test_a_slashed_date_only_one_way_readable_decides_how_the_others_read() -> None:
    # "12/05" alone is month-first in English; "15/05" beside it can only be day-first
    assert slash_reading("Arrival: 12/05/2025\nDeparture: 15/05/2025", "en") is None
    assert slash_reading("from 05/12/2025 to 05/15/2025", "de") == "en"
    assert slash_reading("Anreise 03/04/2026", "de") == "de"  # nothing decides: the language
    ref = date(2025, 4, 20)
    reading = slash_reading("12/05/2025 - 15/05/2025", "en")
    assert parse_date("12/05/2025", reference=ref, lang=reading).value == date(2025, 5, 12)


def test_two_ambiguous_slashed_dates_read_the_way_that_makes_them_one_stay() -> None:
    assert slash_reading("Arrival 09/03/2027, departure 11/03/2027, 2 nights", "en") is None
    assert slash_reading("check in 03/09/2027, check out 03/11/2027", "de") == "en"


def test_weekdays_said_with_a_calendar_week_lie_in_that_week() -> None:
    ref = date(2027, 3, 10)
    assert parse_date("KW 23, Tuesday", reference=ref, lang="en").value == date(2027, 6, 8)
    ci, co = parse_range("Montag bis Donnerstag in KW 14", reference=ref, lang="de")
    assert (ci.value, co.value) == (date(2027, 4, 5), date(2027, 4, 8))
    ci, co = parse_range("KW 14", reference=ref, lang="de")  # the week alone: Monday to Friday
    assert (ci.value, co.value) == (date(2027, 4, 5), date(2027, 4, 9))


def test_a_weekday_said_by_the_feast_it_comes_before_or_after() -> None:
    assert parse_date("the Thursday before Easter", reference=date(2027, 1, 16),
                      lang="en").value == date(2027, 3, 25)
    assert parse_date("Mittwoch vor Fronleichnam", reference=date(2026, 4, 15),
                      lang="de").value == date(2026, 6, 3)
    assert parse_date("Samstag vor Pfingsten", reference=date(2027, 3, 3),
                      lang="de").value == date(2027, 5, 15)
    assert parse_date("Freitag nach Christi Himmelfahrt", reference=date(2026, 3, 1),
                      lang="de").value == date(2026, 5, 15)


def test_the_last_of_two_nights_listed_may_carry_the_word_night_itself() -> None:
    from extractor.values.dates import last_night_listed
    assert last_night_listed("for ", " and ", ". They will", "Thursday night next week")
    assert not last_night_listed("from ", " to ", ". They will", "Thursday next week")
    # a first date that is a night itself lists the nights: "tonight + tomorrow"
    assert last_night_listed("ASAP ", " + ", ", midtown", "tomorrow", "tonight")
    assert not last_night_listed("from ", " to ", ", midtown", "tomorrow", "tonight")


def test_the_week_a_date_names_alone_or_beside_its_day_and_a_bare_weekday():
    from extractor.values.dates import names_a_weekday, week_named
    assert week_named("the week after next") == "the week after next"
    assert week_named("Donnerstag nächste Woche") == "naechste woche"  # as prepared
    assert week_named("Montag in KW 14") == "kw 14"
    assert week_named("Monday") is None and week_named("3 May") is None
    assert names_a_weekday("Monday") and names_a_weekday("am Dienstag")
    assert not names_a_weekday("next Monday") and not names_a_weekday("3 May")


def test_the_bridge_day_is_the_friday_after_ascension() -> None:
    assert parse_date("Samstag nach dem Brückentag", reference=date(2026, 4, 22)).value == date(
        2026, 5, 16)


def test_a_feast_on_the_nth_weekday_of_a_month_is_computed() -> None:
    ref = date(2026, 10, 12)
    assert parse_date("the Friday after Thanksgiving", reference=ref).value == date(2026, 11, 27)
    assert parse_date("Memorial Day", reference=ref).value == date(2027, 5, 31)  # the last Monday
    assert parse_date("Labor Day 2027", reference=ref).value == date(2027, 9, 6)


def test_a_bare_weekday_before_a_feast_relative_departure_is_the_one_before_it() -> None:
    din, dout = parse_date_pair("Sunday", "the Friday after Thanksgiving", reference=date(2026, 10, 12))
    assert (din.value, dout.value) == (date(2026, 11, 22), date(2026, 11, 27))
    din, dout = parse_date_pair("Monday", "30 June", reference=date(2026, 6, 3))
    assert din.value == date(2026, 6, 8)  # a written date keeps the next Monday


def test_a_yearless_slashed_range_is_read_the_way_that_makes_it_a_stay() -> None:
    from extractor.values.dates import slash_reading
    # 3 to 6 November, not 11 March to 11 June, though the email is in English
    assert slash_reading("I need 4 rooms single from 03/11 to 06/11", "en") is None
    assert slash_reading("28/12 to 02/01 please", "en") is None
    assert slash_reading("from 05/12 to 05/14", "de") == "en"
    # a lone slash decides nothing: "24/7" is no date
    assert slash_reading("open 24/7, arriving 05/06", "en") == "en"


def test_a_night_named_alone_is_a_stay_of_one_night():
    from extractor.values.dates import parse_date
    for said, lang in (("tonight", "en"), ("heute Abend", "de"), ("heute Nacht", "de")):
        parsed = parse_date(said, reference=MON_APR_20, lang=lang)
        assert (parsed.value, parsed.end) == (D(2026, 4, 20), D(2026, 4, 21)), said
    # a weekday's evening is an arrival, not a night's stay
    assert parse_date("Montag Abend", reference=MON_APR_20, lang="de").end is None
