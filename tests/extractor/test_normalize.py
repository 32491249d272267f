"""Span text -> form value (the modules of extractor/values/). Each case names the
phrase it is for; expected values follow docs/ANNOTATION.md, "The expected form"."""

from __future__ import annotations

import json
from importlib import resources

import pytest

from extractor.form import Price
from extractor.values import normalize_field
from extractor.values.counts import normalize_count, normalize_nights
from extractor.values.money import currency_of, local_price, normalize_price
from extractor.values.numbers import fold, parse_count
from extractor.values.people import normalize_traveler
from extractor.values.places import known_city_in, normalize_destination
from extractor.values.rooms import normalize_breakfast, normalize_room_type
from extractor.values.venues import normalize_hotel, normalize_name

DESTINATIONS = [
    # the guideline's examples and the German names of European cities
    ("München", "Munich"), ("Muenchen", "Munich"), ("munich", "Munich"), ("MÜNCHEN", "Munich"),
    ("Munchen", "Munich"), ("Köln", "Cologne"), ("Koeln", "Cologne"), ("koln", "Cologne"),
    ("Wien", "Vienna"), ("Zürich", "Zurich"), ("Zuerich", "Zurich"), ("Nürnberg", "Nuremberg"),
    ("Frankfurt am Main", "Frankfurt"), ("Frankfurt a.M.", "Frankfurt"),
    ("Frankfurt a. M.", "Frankfurt"), ("frankfurt/main", "Frankfurt"),
    ("Frankfurt (Main)", "Frankfurt"), ("FFM", "Frankfurt"), ("Düsseldorf", "Dusseldorf"),
    ("Duesseldorf", "Dusseldorf"), ("Genf", "Geneva"), ("Mailand", "Milan"), ("Rom", "Rome"),
    ("Prag", "Prague"), ("Warschau", "Warsaw"), ("Brüssel", "Brussels"),
    ("Lissabon", "Lisbon"), ("Kopenhagen", "Copenhagen"), ("Venedig", "Venice"),
    ("Neapel", "Naples"), ("Florenz", "Florence"), ("Athen", "Athens"), ("Moskau", "Moscow"),
    ("Den Haag", "The Hague"), ("Luzern", "Lucerne"), ("Krakau", "Krakow"),
    ("Göteborg", "Gothenburg"), ("Peking", "Beijing"), ("Kapstadt", "Cape Town"),
    ("Singapur", "Singapore"), ("São Paulo", "Sao Paulo"), ("Montréal", "Montreal"),
    ("NYC", "New York"), ("New York City", "New York"), ("St. Gallen", "St. Gallen"),
    ("sankt gallen", "St. Gallen"), ("Halle (Saale)", "Halle"),
    ("Frankfurt (Oder)", "Frankfurt (Oder)"),
    # no English name of its own: the city as properly written, however it was typed
    ("Lübeck", "Lübeck"), ("Luebeck", "Lübeck"), ("lubeck", "Lübeck"),
    ("Osnabrück", "Osnabrück"), ("Saarbruecken", "Saarbrücken"), ("st. pölten", "St. Pölten"),
    ("Tübingen", "Tübingen"), ("wuerzburg", "Würzburg"), ("Münster", "Münster"),
    # English spellings as they are, in any case
    ("hamburg", "Hamburg"), ("BERLIN", "Berlin"), ("london", "London"), ("paris", "Paris"),
    ("baden-baden", "Baden-Baden"),
    # the span's surroundings
    ("in Berlin", "Berlin"), ("  berlin. ", "Berlin"), ("Munich, Germany", "Munich"),
    ("Munich city center", "Munich"), ("Wien Innenstadt", "Vienna"),
    ("Munich Airport", "Munich"), ("the city of Leipzig", "Leipzig"),
    ("our London", "London"), ("unserem Eschweiler", "Eschweiler"),
    # typos of known cities
    ("Muenchn", "Munich"), ("Frankfurth", "Frankfurt"), ("Düsseldorff", "Dusseldorf"),
    # unknown towns: as written, capitalised
    ("bad homburg", "Bad Homburg"), ("BAD HOMBURG", "Bad Homburg"),
    ("castrop-rauxel", "Castrop-Rauxel"), ("Unterföhring", "Unterföhring"),
    ("McAllen", "McAllen"), ("neustadt an der weinstrasse", "Neustadt an der Weinstrasse"),
    ("in Eschweiler", "Eschweiler"),
    # an airport is its city's (CONVENTIONS: the city): a hotel at Heathrow is in London
    ("Heathrow", "London"), ("LHR", "London"), ("Flughafen München", "Munich"),
    ("Frankfurt Airport", "Frankfurt"), ("Schiphol", "Amsterdam"), ("Wien-Schwechat", "Vienna"),
    # a city's code or clipped name, as quick mail writes it
    ("bcn", "Barcelona"), ("in KL", "Kuala Lumpur"), ("Melb", "Melbourne"), ("HKG", "Hong Kong"),
]


@pytest.mark.parametrize(("text", "expected"), DESTINATIONS, ids=[d[0] for d in DESTINATIONS])
def test_destination(text: str, expected: str) -> None:
    assert normalize_destination(text) == expected


@pytest.mark.parametrize("text", ["", "  ", "...", "in", "127", "2-6"])
def test_destination_without_a_name(text: str) -> None:
    assert normalize_destination(text) is None


# issue 16: a capitalised German noun or sentence opener read as a place
@pytest.mark.parametrize("text", ["Karfreitag", "Ostermontag", "Dafür", "fuer", "Dienstag",
                                  "Boxing Day", "Brückentag"])
def test_a_feast_or_common_words_are_no_destination_and_no_hotel(text: str) -> None:
    assert normalize_destination(text) is None
    assert normalize_hotel(text) is None


def test_unknown_towns_and_hotels_of_real_words_stay() -> None:
    assert normalize_destination("Bad Homburg") == "Bad Homburg"
    assert normalize_hotel("Hotel am Markt") == "Hotel am Markt"


def test_a_hotels_street_after_a_comma_is_no_part_of_its_name() -> None:
    assert normalize_hotel("Hotel Miradouro Lisboa, Rua da Misericordia 41") == \
        "Hotel Miradouro Lisboa"
    assert normalize_hotel("Hotel Adler, Leopoldstraße 28") == "Hotel Adler"
    # a name with a comma of its own stays whole
    assert normalize_hotel("Hotel Sacher, Wien") == "Hotel Sacher, Wien"


def test_short_unknown_towns_are_not_snapped_to_known_cities() -> None:
    assert normalize_destination("Hamm") == "Hamm"
    assert normalize_destination("Hameln") == "Hameln"
    assert normalize_destination("Celle") == "Celle"


def _city_table() -> dict[str, list[str]]:
    raw = resources.files("extractor").joinpath("data/cities.json").read_text(encoding="utf-8")
    return json.loads(raw)["cities"]


def test_city_table_spellings_lead_to_one_city_each() -> None:
    cities = _city_table()
    assert len(cities) >= 300
    for name, aliases in cities.items():
        assert normalize_destination(name) == name
        for alias in aliases:
            assert normalize_destination(alias) == name, alias


def test_an_airport_is_its_citys_destination_but_no_city_a_text_names() -> None:
    raw = resources.files("extractor").joinpath("data/cities.json").read_text(encoding="utf-8")
    for city, names in json.loads(raw)["airports"].items():
        assert city in _city_table()
        for name in names:
            assert normalize_destination(name) == city, name
    assert known_city_in("His flight lands at Schiphol on Sunday.") is None


ROOM_TYPES = [
    ("EZ", "single"), ("ez", "single"), ("Einzelzimmer", "single"), ("single", "single"),
    ("single room", "single"), ("Single-Zimmer", "single"), ("single rooms", "single"),
    ("SGL", "single"), ("singel", "single"), ("einzelzimer", "single"),
    ("DZ", "double"), ("Doppelzimmer", "double"), ("double", "double"),
    ("double room", "double"), ("king", "double"), ("King Room", "double"),
    ("queen bed", "double"), ("DZ zur Einzelnutzung", "double"),
    ("double for single use", "double"), ("double room for single use", "double"),
    ("Doppelzimmer als EZ", "double"), ("doubel", "double"),
    ("twin", "twin"), ("twin room", "twin"), ("Zweibettzimmer", "twin"),
    ("two beds", "twin"), ("2 separate beds", "twin"), ("zwei Betten", "twin"),
    ("Doppelzimmer mit zwei Einzelbetten", "twin"), ("two queen beds", "twin"),
    ("queen beds", "twin"), ("a queen bed", "double"), ("king room", "double"),
    ("suite", "suite"), ("Junior Suite", "suite"), ("Juniorsuite", "suite"),
]


@pytest.mark.parametrize(("text", "expected"), ROOM_TYPES, ids=[r[0] for r in ROOM_TYPES])
def test_room_type(text: str, expected: str) -> None:
    assert normalize_room_type(text) == expected


@pytest.mark.parametrize("text", ["room", "Zimmer", "apartment", "simple", ""])
def test_room_type_unknown(text: str) -> None:
    assert normalize_room_type(text) is None


def P(amount: float, currency: str | None = "EUR", per: str = "night") -> Price:  # noqa: N802
    return Price(amount=amount, currency=currency, per=per)  # type: ignore[arg-type]


PRICES = [
    ("150 EUR", P(150)), ("€150", P(150)), ("150€", P(150)), ("150 €", P(150)),
    ("150,- €", P(150)), ("150.- EUR", P(150)), ("EUR 150", P(150)), ("150 Euro", P(150)),
    ("150 euros", P(150)), ("1.200 EUR", P(1200)), ("1,200 EUR", P(1200)),
    ("1.200,50 EUR", P(1200.5)), ("1,200.50 EUR", P(1200.5)), ("149,50 €", P(149.5)),
    ("149.50 €", P(149.5)), ("$200", P(200, "USD")), ("200 USD", P(200, "USD")),
    ("200 dollars", P(200, "USD")), ("US$ 200", P(200, "USD")), ("£90", P(90, "GBP")),
    ("90 GBP", P(90, "GBP")), ("90 pounds", P(90, "GBP")), ("CHF 180", P(180, "CHF")),
    ("180 Fr.", P(180, "CHF")), ("Fr. 180", P(180, "CHF")), ("180 CHF", P(180, "CHF")),
    ("1'200 CHF", P(1200, "CHF")), ("2000 SEK", P(2000, "SEK")),
    ("max. 150", P(150, None)), ("max 150 EUR", P(150)),
    ("bis 150 Euro pro Nacht", P(150)), ("€120 per night", P(120)),
    ("120 EUR/night", P(120)), ("120 €/Nacht", P(120)), ("90 EUR p.N.", P(90)),
    ("90 EUR pro Zimmer und Nacht", P(90)), ("100-150 EUR", P(150)),
    ("400 EUR total", P(400, per="stay")), ("insgesamt 600 €", P(600, per="stay")),
    ("600 € gesamt", P(600, per="stay")), ("Gesamtbudget 900 EUR", P(900, per="stay")),
    ("500 EUR for the whole stay", P(500, per="stay")),
    ("1.000 EUR für den gesamten Aufenthalt", P(1000, per="stay")),
    ("450 EUR for 3 nights", P(450, per="stay")), ("2k EUR total", P(2000, per="stay")),
    ("1.800 € für die ganze Woche", P(1800, per="stay")), ("EUR150", P(150)),
    ("SFr. 150", P(150, "CHF")), ("150,- SFr.", P(150, "CHF")), ("150 francs", P(150, "CHF")),
    ("R$ 900", P(900, "BRL")), ("KES 15,000", P(15000, "KES")), ("ISK 30.000", P(30000, "ISK")),
    ("900 € für alles", P(900, per="stay")), ("a real bargain at 90 EUR", P(90)),
    ("Rs. 9,000 per night", P(9000, "INR")), ("R6500 pppn", P(6500, "ZAR")),
    ("max R2200", P(2200, "ZAR")), ("₩250,000", P(250000, "KRW")), ("NZ$250", P(250, "NZD")),
    # currencies by their names, as travellers write them (issue 16)
    ("under 6,000 baht a night", P(6000, "THB")), ("280,000 won", P(280000, "KRW")),
    ("RM 450 per night", P(450, "MYR")), ("2.000 TL", P(2000, "TRY")),
    ("800 dirhams", P(800, "AED")), ("900 Yuan pro Nacht", P(900, "CNY")),
    ("40,000 forint", P(40000, "HUF")), ("₪900", P(900, "ILS")),
    ("Rp 1.500.000", P(1500000, "IDR")), ("1,200 riyals", P(1200, "SAR")),
]


@pytest.mark.parametrize(("text", "expected"), PRICES, ids=[p[0] for p in PRICES])
def test_price(text: str, expected: Price) -> None:
    assert normalize_price(text) == expected


def test_price_currency_and_total_from_context() -> None:
    assert normalize_price("max. 150", context="Budget: max. 150 Euro") == P(150)
    assert normalize_price("600", context="insgesamt 600 EUR") == P(600, per="stay")
    context = "mtbudget für die Übernachtungen beträgt 600 €."  # a window cut mid-word
    assert normalize_price("600 €", context=context) == P(600, per="stay")
    # "Fr." around the span is Friday ("Fr., 12.5.") as often as it is francs.
    assert normalize_price("150", context="Anreise Fr. 12.5., max 150") == P(150, None)
    # The span's own unit wins over the context's.
    assert normalize_price("150 EUR pro Nacht", context="600 EUR insgesamt") == P(150)


def test_a_cap_for_the_nights_or_the_week_together_is_per_stay() -> None:
    assert normalize_price("£600 max", context="about £600 max for the three nights") == P(
        600, "GBP", per="stay")
    assert normalize_price("max. 1.800 € für die Woche") == P(1800, per="stay")
    assert normalize_price("EUR 1.250,-", context="EUR 1.250,- für alle drei Zimmer zusammen "
                                                   "(beide Nächte)") == P(1250, per="stay")


def test_price_serializes_whole_amounts_as_int() -> None:
    price = normalize_price("150 EUR")
    assert price is not None
    assert price.model_dump() == {"amount": 150, "currency": "EUR", "per": "night"}


@pytest.mark.parametrize("text", ["", "EUR", "cheap please", "0 EUR", "3 nights", "4 stars"])
def test_price_without_amount(text: str) -> None:
    assert normalize_price(text) is None


BREAKFAST = [
    ("with breakfast", True), ("incl. breakfast", True), ("including breakfast", True),
    ("breakfast included", True), ("breakfast please", True), ("Breakfast", True),
    ("inkl. Frühstück", True), ("inklusive Frühstück", True), ("mit Frühstück", True),
    ("mit Fruehstueck", True), ("mit fruhstuck", True), ("B&B", True),
    ("Übernachtung mit Frühstück", True), ("half board", True), ("Halbpension", True),
    ("without breakfast", False), ("w/o breakfast", False), ("no breakfast", False),
    ("breakfast not needed", False), ("breakfast is not required", False),
    ("don't need breakfast", False), ("excluding breakfast", False), ("ohne Frühstück", False),
    ("ohne Fruehstueck", False), ("kein Frühstück", False), ("Frühstück nicht nötig", False),
    ("no bfast", False), ("bfast pls", True), ("ohne Verpflegung", False),
    ("Frühstück: nein", False),
    ("exkl. Frühstück", False), ("room only", False), ("nur Übernachtung", False),
    # typed in a hurry: a long breakfast word two edits away still names breakfast
    ("braekfast included", True), ("inkl. Frühstükc", True), ("no brekafast", False),
    ("ÜF", True), ("Frühstück: ja", True),  # Übernachtung mit Frühstück; a form's answer
    ("Frühstück brauchen wir nich", False),  # colloquial "nicht"
]


@pytest.mark.parametrize(("text", "expected"), BREAKFAST, ids=[b[0] for b in BREAKFAST])
def test_breakfast(text: str, expected: bool) -> None:
    assert normalize_breakfast(text) is expected


@pytest.mark.parametrize("text", ["", "the room", "parking please", "with fast wifi",
                                  "a breakfront cabinet"])
def test_breakfast_not_mentioned(text: str) -> None:
    assert normalize_breakfast(text) is None


@pytest.mark.parametrize(("text", "context"), [
    ("Frühstück", "Frühstück ist mir egal"), ("Breakfast", "Breakfast egal"),
    ("ohne Frühstück", "Ob mit oder ohne Frühstück ist uns egal"),
    ("breakfast optional", ""), ("Breakfast", "Breakfast - I'll leave that up to you"),
])
def test_breakfast_that_does_not_matter_is_none(text: str, context: str) -> None:
    assert normalize_breakfast(text, context=context) is None
    assert normalize_breakfast("with breakfast", context="room with breakfast please") is True


NAMES = [
    ("the Messe", "Messe"), ("The Messe", "Messe"), ("der Hauptbahnhof", "Hauptbahnhof"),
    ("dem Hauptbahnhof", "Hauptbahnhof"), ("den Dom", "Dom"), ("das Adlon", "Adlon"),
    ("die Messe", "Messe"), ("main station", "main station"),
    ("Hotel Adlon.", "Hotel Adlon"), ("  Marriott   Frankfurt ,", "Marriott Frankfurt"),
    ('"Hotel Adlon"', "Hotel Adlon"), ("„Bayerischer Hof“", "Bayerischer Hof"),
    ("Marriott (Messe)", "Marriott (Messe)"), ("Adlon)", "Adlon"),
    ("our office at Kölner Str.", "our office at Kölner Str."),
    ("Theater am Marientor", "Theater am Marientor"), ("Theresienwiese!", "Theresienwiese"),
]


@pytest.mark.parametrize(("text", "expected"), NAMES, ids=[n[0] for n in NAMES])
def test_name(text: str, expected: str) -> None:
    assert normalize_name(text) == expected


@pytest.mark.parametrize("text", ["", " . ", "the"])
def test_name_empty(text: str) -> None:
    assert normalize_name(text) is None


TRAVELERS = [
    ("Anna Schmidt", "Anna Schmidt"), ("Mr. John Smith", "John Smith"),
    ("Mr John Smith", "John Smith"), ("Mrs Jane Doe", "Jane Doe"), ("Ms. Ann Lee", "Ann Lee"),
    ("Mdm Lim Siew Ling", "Lim Siew Ling"),  # Madam, as Singapore and Malaysia write it
    ("Herr Müller", "Müller"), ("Herrn Müller", "Müller"), ("Frau Schmidt", "Schmidt"),
    ("Hr. Meier", "Meier"), ("Fr. Müller", "Müller"), ("Dr. Anna Weber", "Anna Weber"),
    ("Frau Dr. Weber", "Weber"), ("Prof. Dr. Hans  Meier", "Hans Meier"),
    ("Dipl.-Ing. Karl Bauer", "Karl Bauer"), ("  tom   berg ", "tom berg"),
    ("Frank Herrmann", "Frank Herrmann"), ("Drew Ingram", "Drew Ingram"),
    ("Anna Schmidt,", "Anna Schmidt"),
    # a role before the title is not part of the name
    ("Bürgermeisterin Dr. Elke Steinbrecher", "Elke Steinbrecher"),
    ("Kollegin Frau Lena Ott", "Lena Ott"), ("Engr. Chukwuemeka Obi", "Chukwuemeka Obi"),
    ("Eng. Peter Otieno", "Peter Otieno"), ("Eng Wei Ming", "Eng Wei Ming"),
    ("Alhaji Musa Danladi", "Musa Danladi"),
    # the name written in its own script too: the form holds the one a hotel can read
    ("Chen Xiaoli 陈晓丽", "Chen Xiaoli"), ("Kenji Sato (佐藤健二)", "Kenji Sato"),
    ("陈晓丽", "陈晓丽"),
    # a list item's number or bullet is no part of the name
    ("1. Kim Min-jun", "Kim Min-jun"), ("• Lee Seo-yeon", "Lee Seo-yeon"),
]


@pytest.mark.parametrize(("text", "expected"), TRAVELERS, ids=[t[0] for t in TRAVELERS])
def test_traveler(text: str, expected: str) -> None:
    assert normalize_traveler(text) == expected


@pytest.mark.parametrize("text", ["", "Herr", "Mr.", "Frau Dr.", "+", "&", "2", "Dolmetscherin"])
def test_traveler_title_only(text: str) -> None:
    assert normalize_traveler(text) is None


NIGHTS = [
    ("3 nights", 3), ("3 Nights", 3), ("drei Nächte", 3), ("drei Naechte", 3),
    ("one night", 1), ("a night", 1), ("a single night", 1), ("eine einzige Nacht", 1), ("1 Nacht", 1), ("eine Nacht", 1),
    ("2 Übernachtungen", 2), ("2 uebernachtungen", 2), ("2 ÜN", 2), ("zwölf Nächte", 12),
    ("twenty-one nights", 21), ("for a week", 7), ("eine Woche", 7), ("1 week", 7),
    ("2 weeks", 14), ("zwei Wochen", 14), ("a fortnight", 14), ("3", 3), ("for 4", 4),
    ("3N", 3), ("über Nacht", 1), ("1 nite", 1), ("2 nites", 2),
]


@pytest.mark.parametrize(("text", "expected"), NIGHTS, ids=[n[0] for n in NIGHTS])
def test_nights(text: str, expected: int) -> None:
    assert normalize_nights(text) == expected


@pytest.mark.parametrize("text", ["3 Tage", "3 days", "3-4 nights", "2 oder 3 Nächte",
                                  "a couple of nights", "ein paar Nächte", "nights", ""])
def test_nights_not_stated(text: str) -> None:
    assert normalize_nights(text) is None


COUNTS = [
    ("2", 2), ("two", 2), ("zwei", 2), ("zwo", 2), ("one", 1), ("ein", 1), ("eine", 1),
    ("einem", 1), ("twelve", 12), ("zwölf", 12), ("Zwoelf", 12), ("twenty", 20),
    ("zwanzig", 20), ("2x", 2), ("2 x", 2), ("two rooms", 2), ("3 Zimmer", 3),
    ("one room", 1), ("1 Zimmer", 1), ("3 people", 3), ("4 Personen", 4), ("4 persons", 4),
    ("for 2 pax", 2), ("2 Erwachsene + 1 Kind", 3), ("2 adults and 2 children", 4),
    ("2 adults 2 kids", 4), ("2 Erwachsene 1 Kind", 3), ("2 adults 30 years old", 2),
    ("2 adults, 1 child", 3), ("2 Erwachsene und 2 Kinder (3 und 5 Jahre)", 4),
    ("two colleagues and me", 3), ("me and my colleague", 2), ("me and two colleagues", 3),
    ("mein Kollege und ich", 2), ("meinen Kollegen und mich", 2), ("ich und zwei Kollegen", 3),
    ("3 people incl. me", 3),
    ("the two of us", 2), ("wir zu dritt", 3), ("just me", 1), ("nur ich", 1),
    ("both of us", 2), ("die beiden", 2), ("uns beide", 2),
    # a companion by relation alone beside a counted one (issue 16: chat writers)
    ("me + wife", 2), ("mich und Kollegin", 2), ("me & the husband", 2), ("2 adults + partner", 3),
]


@pytest.mark.parametrize(("text", "expected"), COUNTS, ids=[c[0] for c in COUNTS])
def test_count(text: str, expected: int) -> None:
    assert normalize_count(text) == expected
    assert parse_count(text) == expected


VAGUE_COUNTS = ["a couple of", "a couple of rooms", "meine Kollegen und ich", "ein paar",
                "several rooms", "some people",
                "mehrere Zimmer", "a few colleagues", "2-3", "2 or 3", "zwei oder drei",
                "a room", "a single", "single", "me", "my colleagues and me", "0", "", "rooms",
                "colleague", "the wife and kids", "Herr Weber und Kollege"]


@pytest.mark.parametrize("text", VAGUE_COUNTS)
def test_count_not_stated(text: str) -> None:
    assert normalize_count(text) is None


@pytest.mark.parametrize(("text", "expected"), [
    ("Zwölf", "zwoelf"), ("MÜNCHEN", "muenchen"), ("Straße", "strasse"),
    ("São  Paulo", "sao paulo"),
    ("3.–5. Mai", "3.-5. mai"), ("  a\u00a0b ", "a b"),
])
def test_fold(text: str, expected: str) -> None:
    assert fold(text) == expected


def test_known_city_inside_a_name():
    assert known_city_in("Hilton Madrid Airport") == ("Madrid", 7, 13)
    assert known_city_in("Motel One Hamburg-Alster") == ("Hamburg", 10, 17)
    assert known_city_in("Hotel Baden-Baden Spa") == ("Baden-Baden", 6, 17)
    assert known_city_in("Frankfurt am Main Messe")[0] == "Frankfurt"
    assert known_city_in("Park Hyatt") is None
    assert known_city_in("nice view, bath and reading room") is None  # lowercase: not names


@pytest.mark.parametrize(("text", "expected"), [
    ("Hotel", None), ("the hotel", None), ("Unterkunft", None), ("B&B", None),
    ("Hotel Adlon", "Hotel Adlon"), ("Motel One", "Motel One"), ("The Inn at Penn", "Inn at Penn"),
])
def test_a_hotel_name_must_name_a_hotel(text, expected):
    assert normalize_field("hotel_name", text) == expected


@pytest.mark.parametrize(("text", "value"), [
    ("DI Stefan Wöginger", "Stefan Wöginger"),
    ("DGKP Verena Moser", "Verena Moser"),
    ("Azubis Lukas Brandt", "Lukas Brandt"),
    ("Kollegin Dr. Anna Weber", "Anna Weber"),
    ("Studentinnen", None),
    ("AJ Smith", "AJ Smith"),  # capitals before one name only: its initials
    ("Di Stefano", "Di Stefano"),
    ("Coach Tendai Moyo", "Tendai Moyo"),
    # a role after a possessive: who the person is to the writer
    ("unsere Fahrerin Oksana Bilyk", "Oksana Bilyk"),
    ("our driver Kwabena Owusu", "Kwabena Owusu"),
    ("Our Lady", "Our Lady"),  # no role after it: the words are kept
    ("Names Kofi", "Kofi"),  # a list's label before its first name
    ("Crew", "Crew"),
])
def test_credentials_and_roles_are_no_part_of_a_name(text, value):
    assert normalize_traveler(text) == value


@pytest.mark.parametrize(("text", "code"), [
    ("₹5000", "INR"), ("Rs. 5000", "INR"), ("R$ 300", "BRL"), ("AED 500", "AED"),
    ("C$ 200", "CAD"), ("$200", "USD"), ("150 Fr.", "CHF"), ("R 1 800 pppn", "ZAR"),
    ("try 500", None),  # "try" is a word: the code counts only in capitals
    # a code typed in lowercase counts beside its amount, and only there
    ("max 2000 sek a night", "SEK"), ("dkk 1500", "DKK"), ("upto 280000krw", "KRW"),
    ("sek budget, 2000", None), ("a 500 pen", None),
])
def test_currency_written_in_the_text(text, code):
    # the lexicon's money.currencies: the specific "C$" and "R$" before the plain "$"
    assert currency_of(text) == code


def test_every_field_has_its_value_function():
    # a field without one keeps its text: the dates, resolved later
    assert normalize_field("check_in", "3. Mai") == "3. Mai"
    assert normalize_field("max_price", "max 150", context="in EUR") == Price(
        amount=150, currency="EUR", per="night")
    assert normalize_field("rooms", "two rooms") == 2


def test_a_citys_part_alone_is_no_destination():
    from extractor.values.places import normalize_destination
    for part in ("Centrum", "Zentrum", "Downtown", "Innenstadt"):
        assert normalize_destination(part) is None
    assert normalize_destination("Mexico City") == "Mexico City"
    assert normalize_destination("Addis") == "Addis Ababa"  # a clipped name, as "Joburg"
    for near in ("Flughafennähe", "Bahnhofsnähe", "Messenaehe"):  # "in Flughafennähe": near it
        assert normalize_destination(near) is None


def test_compound_titles_and_degrees_are_dropped_from_a_name():
    from extractor.values.people import normalize_traveler
    assert normalize_traveler("Dr.-Ing. Jens Vogt") == "Jens Vogt"
    assert normalize_traveler("Prof. Dr.-Ing. habil. Eva Roth") == "Eva Roth"
    assert normalize_traveler("Dr. med. dent. Jan Roth") == "Jan Roth"
    assert normalize_traveler("dr hab. Zofia Lis") == "Zofia Lis"  # the Polish habilitation
    assert normalize_traveler("Nat King") == "Nat King"  # a name that looks like a degree
    assert normalize_traveler("Kapitän Jens Harms") == "Jens Harms"  # a ship's master
    assert normalize_traveler("Capt. Ana Lobo") == "Ana Lobo"


def test_a_name_signed_by_its_initial_and_surname_is_the_full_names_person():
    from extractor.values.people import abbreviates, completed_name
    assert completed_name("K. Nair", ["Kavitha Lakshmi Nair", "Arun Nair"]) == "Kavitha Lakshmi Nair"
    assert abbreviates("K. Nair", "Kavitha Lakshmi Nair")
    assert not abbreviates("K. Nair", "Arun Lakshmi Nair")


def test_a_calendar_week_is_no_destination():
    from extractor.values.places import normalize_destination
    for week in ("Kalenderwoche 37", "46. Kalenderwoche", "KW 12"):
        assert normalize_destination(week) is None


def test_a_breakfast_span_reads_the_negation_right_before_it():
    from extractor.layout import Layout
    from extractor.spans import FoundSpan
    from extractor.values.valued import normalize_spans

    def value(text, phrase):
        start = text.index(phrase)
        [v] = normalize_spans([FoundSpan("breakfast", start, start + len(phrase), 0.9, "model")],
                              Layout(text))
        return v.value

    assert value("Max 250 per night. I don't need breakfast.", "need breakfast") is False
    assert value("No problem, breakfast please.", "breakfast please") is True
    # a turn ends the clause: what does not matter before "aber"/"but" is something else
    assert value("preis egal aber mit frühstück", "mit frühstück") is True
    assert value("Frühstück ist mir egal", "Frühstück") is None
    assert value("Frühstück brauch ich nicht unbedingt, ist mir aber egal.",
                 "Frühstück brauch ich") is None


def test_a_place_after_des_loses_its_genitive_ending() -> None:
    from extractor.values.venues import normalize_near
    assert normalize_near("Kurhauses", "ein Hotel in der Nähe des Kurhauses") == "Kurhaus"
    assert normalize_near("Hauptbahnhofs", "nahe des Hauptbahnhofs") == "Hauptbahnhof"
    assert normalize_near("Messegeländes", "Nähe des Messegeländes") == "Messegelände"
    assert normalize_near("Kongress", "Nähe des Kongress") == "Kongress"
    assert normalize_near("Tivolis", "near Tivolis main gate") == "Tivolis"  # no "des"
    # the noun loses it, the name after it stays as written
    assert normalize_near("Gewerbegebiets Franowo",
                          "in der Nähe des Gewerbegebiets Franowo") == "Gewerbegebiet Franowo"
    assert normalize_near("Flughafens München", "Nähe des Flughafens München") == \
        "Flughafen München"
    assert normalize_near("Zentrums der Stadt", "Nähe des Zentrums der Stadt") == \
        "Zentrums der Stadt"


@pytest.mark.parametrize(("text", "expected"), [
    ("our client's office at Aker Brygge", "Aker Brygge"),
    ("our office on St Georges Terrace", "St Georges Terrace"),
    ("client campus at 1100 Peachtree St NE", "1100 Peachtree St NE"),
    ("our office in the Medienhafen", "Medienhafen"),
    ("Büro unseres Kunden in der Ottostraße 63", "Ottostraße 63"),
    ("unseres Büros am Odeonsplatz", "Odeonsplatz"),
    ("Continental-Standort in der Siemensstraße", "Siemensstraße"),  # a compound's head
    ("unserem kunden in der hafencity", "hafencity"),  # all lowercase
    # no workplace before the preposition, or no name after it: as written
    ("beach at Barceloneta", "beach at Barceloneta"),
    ("Messe in Halle 4", "Messe in Halle 4"),
    ("our headquarters", "our headquarters"),
])
def test_a_workplace_near_phrase_gives_the_place_it_is_at(text: str, expected: str) -> None:
    from extractor.values.venues import normalize_near
    assert normalize_near(text) == expected
    # a trimmed place keeps its last letter after "des" (no genitive read into "Paris")
    assert normalize_near("Büros in Paris", "Nähe des Büros in Paris") == "Paris"


def test_a_latin_us_after_des_is_no_genitive_ending() -> None:
    from extractor.values.venues import normalize_near
    assert normalize_near("Campus Westend", "in der Nähe des Campus Westend") == "Campus Westend"


def test_a_person_by_title_is_no_place_to_be_near():
    from extractor.values.venues import normalize_near
    assert normalize_near("Dr. Ulrike Sand") is None
    assert normalize_near("Herrn Kranz") is None
    # a street named after a doctor, a saint's street, a district: places
    assert normalize_near("Dr.-Ruer-Platz") == "Dr.-Ruer-Platz"
    assert normalize_near("St. Georges Terrace") == "St. Georges Terrace"
    assert normalize_near("Herrenhausen") == "Herrenhausen"


def test_a_near_value_saying_only_whose_or_what_the_place_is_names_no_place():
    from extractor.values.venues import names_no_place
    assert all(map(names_no_place, ["their office", "client's office", "the venue",
                                    "Veranstaltungsort", "Lieferant"]))
    assert not any(map(names_no_place, ["Victoria Island", "Messe", "Aker Brygge"]))


def test_a_place_named_after_whose_it_is_is_the_name():
    from extractor.values.venues import place_of_workplace
    assert place_of_workplace("our distributor Saigon Fresh Logistics") == \
        "Saigon Fresh Logistics"
    assert place_of_workplace("unseren Kunden Bosch") == "Bosch"
    # a workplace's own name stays whole, and so does a phrase naming no place
    assert place_of_workplace("our Kundenbüro Nord") == "our Kundenbüro Nord"
    assert place_of_workplace("their HQ") == "their HQ"


def test_thai_french_and_italian_titles_are_no_part_of_a_name():
    from extractor.values.people import normalize_traveler
    assert normalize_traveler("Khun Ploypailin Chaiyaporn") == "Ploypailin Chaiyaporn"
    assert normalize_traveler("Mme Claire Dubois") == "Claire Dubois"


def test_a_known_citys_district_after_a_hyphen_is_the_city():
    assert normalize_field("destination", "Zürich-Oerlikon") == "Zurich"
    assert normalize_field("destination", "Hamburg-Altona") == "Hamburg"
    # towns whose name has a hyphen, and a route, are not districts
    assert normalize_field("destination", "Garmisch-Partenkirchen") == "Garmisch-Partenkirchen"
    assert normalize_field("destination", "Oslo - København") != "Oslo"


def test_a_season_or_a_reference_code_is_no_hotel_or_town():
    assert normalize_field("hotel_name", "Frühjahr") is None  # "war im Frühjahr dort"
    assert normalize_field("destination", "Sommer") is None
    assert normalize_field("hotel_name", "MTD-61140") is None  # a booking reference
    # a hotel named after a season, a name with digits and lowercase letters: names
    assert normalize_field("hotel_name", "Hotel Sommer") == "Hotel Sommer"
    assert normalize_field("hotel_name", "25hours Hotel") == "25hours Hotel"


def test_a_place_ends_before_what_the_writer_says_of_it():
    # German capitalises nouns: lowercase words after a place's name are a verb or a comment
    assert normalize_field("near", "UKE wäre super") == "UKE"
    assert normalize_field("near", "Fiera raussuchen") == "Fiera"
    assert normalize_field("near", "Kölner Dom gerne") == "Kölner Dom"
    # a name written all in lowercase keeps its words; a name's own lowercase words stay
    assert normalize_field("near", "covent garden") == "covent garden"
    assert normalize_field("near", "audi-werk liegen") == "audi-werk"  # the lexicon's words only
    assert normalize_field("near", "Haus der Wirtschaft") == "Haus der Wirtschaft"
    assert normalize_hotel("Hotel vermerken") is None  # "bitte das Hotel vermerken"


def test_lodging_words_beside_common_words_name_no_hotel():
    assert normalize_hotel("selben Hotel") is None  # "im selben Hotel wie letztes Mal"
    assert normalize_hotel("the same hotel") is None
    assert normalize_hotel("Hotel downtown") is None
    assert normalize_hotel("Kunden") is None  # whose place it is names no hotel either
    # a brand's word, a digit or a capital makes a name; so does a word in all-lowercase mail
    assert normalize_hotel("same hotel") is None  # in lowercase mail: adjective, then lodging
    for name in ("Motel One", "motel one", "25hours Hotel", "Pension Müller", "hotel sacher"):
        assert normalize_hotel(name) == name


def test_a_family_name_written_first_in_capitals_goes_last():
    assert normalize_traveler("TAKAHASHI Kenji") == "Kenji Takahashi"
    assert normalize_traveler("Mr PARK Ji-hoon") == "Ji-hoon Park"
    assert normalize_traveler("AL-RASHID Mohammed") == "Mohammed Al-Rashid"
    # a name all in capitals, or written given name first, stays as written
    assert normalize_traveler("KENJI TAKAHASHI") == "KENJI TAKAHASHI"
    assert normalize_traveler("Anna Weber") == "Anna Weber"


def test_honorifics_from_everywhere_and_a_role_after_herr_are_no_name():
    assert normalize_traveler("Chief Olusegun Bankole") == "Olusegun Bankole"
    assert normalize_traveler("Encik Hafiz Rahman") == "Hafiz Rahman"
    assert normalize_traveler("Herr Vorstandsdirektor Dr. Wolfgang Reiter") == "Wolfgang Reiter"


def test_currency_codes_of_every_country_in_use():
    # the lexicon's ISO codes are those in use somewhere (derived once from Babel's CLDR data)
    assert normalize_price("GHS 9,000 for the stay").currency == "GHS"
    assert normalize_price("KWD 120 per night").currency == "KWD"
    # a code that is also a word counts only in capitals
    assert normalize_price("max 500 bob").currency is None


def test_a_traveller_written_with_a_nickname_or_after_a_relation_is_the_name_alone():
    assert normalize_traveler('Jonas "JJ" Jürgensen') == "Jonas Jürgensen"
    assert normalize_traveler("Oluwaseun (Seun) Balogun") == "Oluwaseun Balogun"
    assert normalize_traveler("Josef „Sepp“ Gruber") == "Josef Gruber"
    assert normalize_traveler("Mann Jan Becker") == "Jan Becker"
    assert normalize_traveler("Sohn Lukas Bauer") == "Lukas Bauer"
    assert normalize_traveler("Thomas Mann") == "Thomas Mann"  # a surname stays
    assert normalize_traveler("Mann") == "Mann"


def test_a_day_is_no_place_to_be_near():
    from extractor.values.venues import normalize_near

    assert normalize_near("Brückentag") is None
    assert normalize_near("Klinikum erreichbar") == "Klinikum"


def test_a_budget_without_its_currency_is_in_the_currency_of_the_stays_city():
    assert local_price(P(130, None), "max 130", "Berlin") == P(130)
    assert local_price(P(3500, None), "3500 Kronen", "Prague") == P(3500, "CZK")
    # a dollar sign alone is the dollar of the country the stay is in
    assert local_price(P(250, "USD"), "$250 a night", "Melbourne") == P(250, "AUD")
    assert local_price(P(250, "USD"), "US$250", "Melbourne") == P(250, "USD")
    # an amount that is no price there stays without a currency: 150 DKK is 20 euros
    assert local_price(P(150, None), "max 150", "Copenhagen") == P(150, None)
    assert local_price(P(1200, None), "max 1200", "Copenhagen") == P(1200, "DKK")
    assert local_price(P(150, None), "max 150", "Atlantis") == P(150, None)


def test_school_pupils_are_counted_apart_from_the_adults():
    from extractor.values.numbers import parse_party
    assert parse_party("18 Schüler*innen und 3 Lehrkräfte") == (3, 18)
    assert parse_party("30 pupils and 4 teachers") == (4, 30)
    assert parse_party("4 Kolleginnen") == (4, None)
