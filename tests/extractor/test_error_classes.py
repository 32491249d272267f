"""The error classes issue 16 saw on mail written outside the project, each named by a phrase
of our own and checked at the step that owns it (values and places, dates, money, the reader).
The model's part of each class is measured by bench/robustness.py and the held-out sets."""

from __future__ import annotations

from datetime import date

import pytest

from extractor.html_text import html_to_text
from extractor.values.dates import names_a_day, parse_date, parse_range
from extractor.values.money import normalize_price
from extractor.values.places import is_street, known_cities_in, normalize_destination
from extractor.values.venues import normalize_hotel, normalize_name, normalize_near

WED_FEB_10 = date(2027, 2, 10)  # Easter 2027 is 28 March


@pytest.mark.parametrize("word", ["Pfingstmontag", "Deshalb", "Dienstag", "Karsamstag"])
def test_capitalised_german_words_and_openers_are_no_city_or_hotel(word: str) -> None:
    assert normalize_destination(word) is None
    assert normalize_hotel(word) is None


@pytest.mark.parametrize(("text", "cities"), [
    ("a quiet room near the Brandenburg Gate, Berlin", ["Berlin"]),
    ("walking distance to Oxford Street, London please", ["London"]),
    ("close to York Road in Leeds", ["Leeds"]),
    ("Hamburg Hauptbahnhof, 3-5 May", ["Hamburg"]),  # a station keeps its city
])
def test_a_landmark_named_after_a_city_is_no_city(text: str, cities: list[str]) -> None:
    assert [c for c, _, _ in known_cities_in(text)] == cities


@pytest.mark.parametrize("street", ["Rosenthaler Platz", "Kaiser-Wilhelm-Allee", "Kronengäßchen",
                                    "Elm Street", "Hohenzollerndamm", "Jl. M.H. Thamrin",
                                    "Itamerenkatu", "Drottninggatan", "Jalan Sudirman"])
def test_a_street_of_an_address_line_is_no_city(street: str) -> None:
    assert is_street(street) and normalize_destination(street) is None


@pytest.mark.parametrize("name", ["Neustadt an der Weinstraße", "Göring", "Richard", "Anna Ring"])
def test_towns_and_people_that_end_like_streets_are_no_street(name: str) -> None:
    assert not is_street(name)


@pytest.mark.parametrize("place", [
    "the customer's plant in Whitefield", "our Lisbon office at Parque das Nações",
    "P&O ferry terminal",
])
def test_a_place_to_be_near_is_kept_as_written_not_cut(place: str) -> None:
    assert normalize_name(place) == place.removeprefix("the ")


@pytest.mark.parametrize(("written", "full"), [
    ("Hbf", "Hauptbahnhof"), ("hbf", "Hauptbahnhof"), ("Kassel Hbf", "Kassel Hauptbahnhof"),
    ("Bhf. Altona", "Bahnhof Altona"), ("Hbf-Nord", "Hbf-Nord"),
])
def test_a_place_written_short_is_the_place_in_full(written: str, full: str) -> None:
    assert normalize_near(written) == full


@pytest.mark.parametrize("hotel", [
    "Courtyard by Marriott Vienna Prater", "Hilton Garden Inn Singapore Serangoon",
    "Motel One München-Sendlinger Tor",
])
def test_sub_branded_hotels_keep_brand_and_place(hotel: str) -> None:
    assert normalize_hotel(hotel) == hotel


@pytest.mark.parametrize(("phrase", "lang", "expected"), [
    ("Karfreitag", "de", date(2027, 3, 26)),
    ("Easter Monday", "en", date(2027, 3, 29)),
    ("Christi Himmelfahrt", "de", date(2027, 5, 6)),
    ("Monday the week after next", "en", date(2027, 2, 22)),
    ("2027-03-05", "en", date(2027, 3, 5)),
])
def test_holidays_relative_weeks_and_iso_dates(phrase: str, lang: str, expected: date) -> None:
    assert parse_date(phrase, reference=WED_FEB_10, lang=lang).value == expected


def test_a_feast_is_a_day_not_a_name() -> None:
    assert names_a_day("Fronleichnam") and names_a_day("Good Friday")
    assert not names_a_day("Freiburg")


@pytest.mark.parametrize(("phrase", "check_in", "check_out"), [
    ("the nights of 12 and 13 April", date(2027, 4, 12), date(2027, 4, 14)),
    ("Tuesday and Wednesday night next week", date(2027, 2, 16), date(2027, 2, 18)),
    ("2027-04-12 to 2027-04-15", date(2027, 4, 12), date(2027, 4, 15)),
])
def test_listed_nights_and_iso_ranges(phrase: str, check_in: date, check_out: date) -> None:
    got = parse_range(phrase, reference=WED_FEB_10, lang="en")
    assert got is not None and (got[0].value, got[1].value) == (check_in, check_out)


@pytest.mark.parametrize(("text", "amount", "currency", "per"), [
    ("up to ₩250,000 a night", 250000, "KRW", "night"),
    ("R$ 700 max", 700, "BRL", "night"),
    ("AED 1,100 per night", 1100, "AED", "night"),
    ("INR 12,000", 12000, "INR", "night"),
    ("ZAR 3 200 for the whole stay", 3200, "ZAR", "stay"),
    ("SGD 420", 420, "SGD", "night"),
    ("do 500 zł", 500, "PLN", "night"),
])
def test_money_beyond_the_common_four(text: str, amount: float, currency: str, per: str
                                      ) -> None:
    price = normalize_price(text)
    assert price is not None
    assert (price.amount, price.currency, price.per) == (amount, currency, per)


@pytest.mark.parametrize(("written", "city"), [
    ("Praha", "Prague"), ("Lisboa", "Lisbon"), ("Göteborg", "Gothenburg"),
    ("Goeteborg", "Gothenburg"), ("Genève", "Geneva"), ("Milano", "Milan"), ("Łódź", "Lodz"),
    ("Hà Nội", "Hanoi"), ("Sài Gòn", "Ho Chi Minh City"), ("Đà Nẵng", "Da Nang"),
    ("Istambul", "Istanbul"),
])
def test_local_spellings_of_cities(written: str, city: str) -> None:
    assert normalize_destination(written) == city


def test_a_key_value_table_from_a_travel_tool_reads_as_lines() -> None:
    html = ("<table><tr><th>Traveller</th><td>Ines Duarte</td></tr>"
            "<tr><th>Destination</th><td>Porto</td></tr>"
            "<tr><th>Arrival</th><td>2027-04-12</td></tr></table>")
    lines = [" ".join(line.replace(":", " ").split()) for line in html_to_text(html).splitlines()]
    assert lines == ["Traveller Ines Duarte", "Destination Porto", "Arrival 2027-04-12"]
