"""The shape of the lexicon's JSON files: one pydantic model per file, unknown keys refused.

A word list is a tuple of distinct, lowercase, non-empty strings, written as people write
them (with umlauts: "märz", "frühstück"); code derives the other spellings it needs
(`extractor.lexicon.spellings`). Derived lists that patterns read (`*_tokens`) are
properties, so nothing is written twice in the files.
"""

from __future__ import annotations

import re
from datetime import date

from pydantic import BaseModel, ConfigDict, Field, field_validator

from extractor.lexicon.words import SPELLED_OUT, Codes, Words, spellings, unique

__all__ = ["SPELLED_OUT", "Codes", "Lexicon", "Words", "spellings"]

class _Section(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


# ----------------------------------------------------------------------------- calendar


class CalendarName(_Section):
    """One month or weekday: its full names and its abbreviations ("jan", "mon")."""

    names: Words
    abbreviations: Words = ()


class Holiday(_Section):
    """A feast: `pattern`, a regex over folded text (ae for ä), and its `day` and `month`, or
    its `easter_offset` (days after Easter Sunday: Ascension 39, dateutil.easter), or its
    `month`, `weekday` (Monday 0) and `nth` in the month (-1 the last; Thanksgiving 11, 3, 4)."""

    pattern: str
    day: int | None = None
    month: int | None = None
    easter_offset: int | None = None
    weekday: int | None = Field(default=None, ge=0, le=6)
    nth: int | None = Field(default=None, ge=-1, le=5)

    @field_validator("pattern")
    @classmethod
    def _compiles(cls, pattern: str) -> str:
        re.compile(pattern)
        return pattern

    def model_post_init(self, context: object, /) -> None:
        kinds = (self.day is not None and self.month is not None, self.easter_offset is not None,
                 None not in (self.month, self.weekday, self.nth) and self.day is None)
        if sum(kinds) != 1:
            raise ValueError(f"holiday {self.pattern!r}: give a day and month, an easter_offset, "
                             "or a month, weekday and nth")
        if self.day is not None and self.month is not None:
            date(2000, self.month, self.day)  # raises on 31 April


class Calendar(_Section):
    """calendar.json: months (January first), weekdays (Monday first), feasts."""

    months: tuple[CalendarName, ...] = Field(min_length=12, max_length=12)
    weekdays: tuple[CalendarName, ...] = Field(min_length=7, max_length=7)
    # "Mo-Mi", "Fr., 7.5.": German only, and only where an abbreviation can stand
    weekday_abbreviations_de: Words = Field(min_length=7, max_length=7)
    # month names that are also first names: never a calendar word on their own
    first_names: Words
    this_words: Words  # "this Friday" may be today
    filler_words: Words  # words around a bare day in a date span: "am 3.", "arrival on the 3rd"
    stay_words: Words  # timing a stay, read through a typo (`extractor.spelling`): "3 Nächte"
    seasons: Words  # a time of year, never a place or a hotel: "im Frühjahr"
    holidays: tuple[Holiday, ...]

    @property
    def month_tokens(self) -> tuple[str, ...]:
        """Every spelling of every month as a token: names, abbreviations with and without
        their dot ("märz", "maerz", "marz", "mär", "mär.")."""
        out: list[str] = []
        for month in self.months:
            out += [s for w in month.names for s in spellings(w)]
            out += [s + dot for w in month.abbreviations for s in spellings(w) for dot in ("", ".")]
        return unique(out)

    @property
    def weekday_names(self) -> tuple[str, ...]:
        """The full weekday names, English and German."""
        return unique(*(d.names for d in self.weekdays))

    @property
    def weekday_tokens(self) -> tuple[str, ...]:
        """Every way a weekday is written as a token ("montag", "mon", "mo", "mo.")."""
        de = self.weekday_abbreviations_de
        return unique(self.weekday_names, *(d.abbreviations for d in self.weekdays), de,
                       tuple(w + "." for w in de))


# ----------------------------------------------------------------------------- cues


class Cues(_Section):
    """cues.json: words that give what follows a role."""

    instead_of: Words  # before a replaced value: "instead of the 3rd"
    corrects: Words  # before what replaces the value just written: "no wait", "ich meinte"
    check_in: Words  # words naming the arrival before its date: "Anreise: 3.5."
    from_words: Words  # a preposition before an arrival: "ab 3.5."
    check_out: Words  # words naming the departure: "Abreise am Freitag"
    until_words: Words  # a preposition before a departure, or a deadline: "bis 5.5."
    before_date: Words  # between such a cue and its date: "arrival on the ..."
    max_price: Words  # before a budget: "max. 150 EUR", "höchstens 120 Euro"
    # a booking made, in the agency's words: "we confirm", "ist gebucht", "booking reference"
    booked: Words
    # cutting a night is a change: "die letzte Nacht stornieren"; the phrase, the verb near it
    night_cut: Words
    cancel_verbs: Words
    # what a cancellation cancels: "die Reservierung stornieren", "cancel the booking"
    booking_words: Words
    # asking for a room: "bräuchte ich ein Zimmer", "could you book me a hotel"
    asks: Words
    # the writer says there is nothing to book or change: "es ist nichts weiter zu tun"
    no_action: Words
    # a person who comes along, added to a booking's guests: "meine Frau begleitet mich",
    # "Tom joins me", "kommt doch mit"
    joins: Words
    # a guest or room added to a booking: "add a second room", "bitte ergänzen"
    adds: Words
    changes: Words  # a booking changed: "verschieben", "extend", "same hotel", "a week later"
    # a named traveller who no longer comes: "Frau Meier kann leider doch nicht"
    drops_out: Words
    # a person named who does not stay: "Frau Dr. Wolff hat die Reise freigegeben" (being in cc
    # says nothing), "Michael Shaw has approved"; before the name: "approved by", "our host,"
    not_staying_after: Words
    not_staying_before: Words
    # one more of something booked: "another room", "noch ein Zimmer", "ein weiteres EZ"
    one_more: Words
    # the people a count after these is visited, not lodged: "visiting [two customers]"
    visits: Words
    # a meal, a table or a meeting room, whose people are counted for it, not lodged: "a
    # restaurant for a client dinner, about 6 people", "Tisch für 8 Personen"
    meals: Words
    # a leg of a trip that needs no hotel: "I'm with my parents in Leipzig, so no hotel needed"
    no_lodging: Words
    # the hotel left as it is while a flight or a train is changed: "the hotel stays exactly
    # as it is", "das Hotel lassen Sie bitte, wie es ist" (what follows "stays"/"bleibt")
    kept_as_is: Words
    # mail about a stay that is over (CONVENTIONS: complaints, expense reports are no request):
    # what it asks for ("refund", "die Rechnung"), and words that say the stay is past
    after_stay: Words
    past_stay: Words
    # the writer is at the hotel now, their arrival past: "I'm at the Hyatt", "bin seit Sonntag"
    staying_now: Words


# ----------------------------------------------------------------------------- money


class Currency(_Section):
    """How a text writes one currency: `symbols` anywhere (one that starts with a letter not
    after a letter: "C$"), `words` as whole words, `before_amount`/`after_amount` only right
    before or after an amount ("Fr. 120", "120 Fr": elsewhere "Fr." is Friday or Frau)."""

    code: str = Field(pattern=r"^[A-Z]{3}$")
    symbols: Words = ()
    words: Words = ()
    before_amount: Words = ()
    after_amount: Words = ()


class Money(_Section):
    """money.json. `currencies` is ordered: the first entry the text writes decides, so the
    specific ones ("C$", "R$") come before the plain "$"; a code may appear twice for that."""

    currencies: tuple[Currency, ...]
    iso_codes: Codes
    # ISO codes that are also words ("try", "mad"): read only in capitals, never as tokens
    codes_that_are_words: Codes

    @property
    def currency_tokens(self) -> tuple[str, ...]:
        """Every currency word that is one token, lowercase: symbols, one-word names, the
        abbreviations beside an amount with their dot and, from three letters, without it
        ("sfr"; a bare "Fr" is Friday: "Augsburg Fr 1 Nacht"), ISO codes."""
        out: list[str] = []
        for c in self.currencies:
            out += c.symbols
            out += [w for w in c.words if " " not in w]
            out += [w + dot for w in unique(c.before_amount, c.after_amount)
                    for dot in ((".", "") if len(w) > 2 else (".",)) if len(w) > 1]
        out += [c.lower() for c in self.iso_codes if c not in self.codes_that_are_words]
        return unique(out)


# ----------------------------------------------------------------------------- names


class Names(_Section):
    """names.json: words around the names of people and hotels."""

    not_name_words: Words  # capitalised words that are no part of a name: "Zimmer", "Danke"
    articles: Words  # "the Adlon", "im [Hotel] Adlon"
    joiners: Words  # between two names: "Anna und Max"
    company_suffixes: Words  # after a company's name, no person's: "Najd Mining [Co.]", "[AG]"
    # a first name's short forms that do not begin it ("tom": Thomas; "Rob" begins Robert)
    short_forms: dict[str, Words]

    @field_validator("short_forms")
    @classmethod
    def _lowercase_keys(cls, forms: dict[str, tuple[str, ...]]) -> dict[str, tuple[str, ...]]:
        if any(k != k.lower() for k in forms):
            raise ValueError("short forms are written lowercase")
        return forms


class People(_Section):
    """people.json: words for people that are not their names."""

    titles: Words  # "Herr", "Dr": without their optional dot; titles wherever they stand
    # titles only at the start of a traveller's name: elsewhere a word ("Sir", "Fr." for
    # Friday) or too rare to look for; one that ends in a dot ("eng.") is a title only with it
    name_start_titles: Words
    degree_suffixes: Words  # after a title: "Dr. med.", "Dr. rer. nat."
    female_titles: Words  # a woman's titles among those: "Frau", "Ms"
    male_titles: Words  # a man's: "Herr", "Mr"
    roles: Words  # what a traveller is, not who: "Azubis", "Studentinnen"
    relations: Words  # "my wife and I", "me and my colleague"
    # a spouse named by first name shares the writer's surname: "my wife Anne"
    spouses: Words
    me: Words  # "me", "ich": the writer
    we: Words  # "we", "uns": the writer and others
    party_words: Words  # counted people: "4 people", "2 Erw.", "3 Kollegen"
    child_words: Words  # "2 Erwachsene + 1 Kind"
    # sons and daughters, counted as children: "our two girls (5 and 8)", "unser Sohn (9)"
    offspring_words: Words
    # the writer stays too, beside the others named: "for Anna and me", "Sophie und ich"
    together: Words
    # the writer asks for themselves: "book me", "I'll be in Munich", "meine Reservierung"
    for_self: Words
    booked_for_me: Words  # asks a room for themselves in so many words: "buchen Sie mir"
    # the writer books for others: "on behalf of", "for our guests", "im Auftrag"
    for_others: Words
    # what a "for a client ..." is about when it is no person: "for a client workshop"
    occasions: Words
    # words before a relation or role that make it someone else: "for [my] colleague"
    possessives: Words
    # the writer speaks for several ("we need", "für uns"): who stays is not the writer alone
    we_request: Words
    # the writer's own, in the first person singular: "my plans", "meine Buchung", "I'll"
    mine: Words
    # the writer names themselves at the start, the words before and after: "this is Kemi"
    self_introduced_before: Words
    self_introduced_after: Words
    # what opens a letter before the name of the one it is written to: "Liebe Frau Arnold,"
    greetings: Words
    # a household named by its surname: "für Familie Nowak" names none of its guests
    family_words: Words
    # a label over a list of the people who stay, one a line: "Team:", "Teilnehmer:"
    list_labels: Words
    # a form's label of one who approves or books but does not stay: "Genehmigt von: R. Kraus"
    not_staying_labels: Words

    @property
    def pronouns(self) -> tuple[str, ...]:
        """The writer as a pronoun, alone or with others ("ich", "uns")."""
        return unique(self.me, self.we)

    @property
    def title_words(self) -> tuple[str, ...]:
        """Every title that may stand before a name, those that only begin one too ("Herrn",
        "Dr", "Ing", "Kapitän")."""
        return unique(self.titles, self.name_start_titles)

    @property
    def title_tokens(self) -> tuple[str, ...]:
        """Each title as a token with and without its dot ("dr", "dr."), a name-start title
        only with it ("fr.": bare, "Fr", "HR" and "Sir" are words)."""
        return unique(tuple(t + dot for t in self.titles for dot in ("", ".")),
                       tuple(t if t.endswith(".") else t + "." for t in self.name_start_titles))


class Places(_Section):
    """places.json: words around the names of cities and hotels."""

    # between two capitalised pieces of one hotel's or person's name: "Hotel de la Paix"
    name_particles: Words
    town_particles: Words  # inside a town's name: "Rothenburg ob der Tauber"
    # kept lowercase when a name written in one case is title-cased: "Frankfurt an der Oder"
    lowercase_words: Words
    predicate_words: Words  # said of a place after its name, no part of it: "UKE [wäre super]"
    generic_hotel_words: Words  # a kind of lodging, no hotel's name: "Unterkunft", "any hotel"
    # a place named by whose or what it is: "our client's [office] at Aker Brygge", "[venue]"
    workplace_words: Words
    destination_prefixes: Words  # "nach Berlin", "the city of York"
    city_prefixes: Words  # "Innenstadt München"
    city_suffixes: Words  # "Munich city centre", "Frankfurt Flughafen"
    # after a city's name, a street or landmark named after it: "Oxford Street", "Tor"
    street_words: Words
    # before a street's name, in the cities' languages: "ul. Szczepańska", "Via Veneto"
    street_prefixes: Words
    # a place people go to, never a hotel by itself: "Istanbul Congress Center", "campus"
    venue_words: Words
    # a word that makes a name a hotel's: "Inn", "Suites", a chain's ("Hilton", "Motel One")
    hotel_words: Words
    # a place's word as written short, and in full, as a clerk searches it: "Hbf" -> Hauptbahnhof
    place_abbreviations: dict[str, str]

    @field_validator("place_abbreviations")
    @classmethod
    def _lowercase_short(cls, words: dict[str, str]) -> dict[str, str]:
        if any(k != k.lower() for k in words):
            raise ValueError("abbreviations are written lowercase")
        return words


class Rooms(_Section):
    """rooms.json: words of rooms and board."""

    codes: Words  # a room written as a code or one word: "2 DZ", "3 Einzelzimmer"
    kinds: Words  # a room named by its kind alone: "a single for me", "King room for Carlos"
    breakfast_words: Words  # "inkl. Frühstück", "no bfast"

    @property
    def room_nouns(self) -> tuple[str, ...]:
        """A room by a word of its own, singular: "room", "Zimmer", the codes ("EZ")."""
        return unique(["room", "zimmer"], self.codes)

    @property
    def breakfast_long_words(self) -> tuple[str, ...]:
        """The breakfast words long enough to be read with a typo ("braekfast", "Frühstükc":
        two edits at most); a short one would take other words ("bfast" ~ "fast")."""
        return tuple(w for w in self.breakfast_words if len(w) >= 8)


class Lexicon(_Section):
    """Every word list of the steps after the model, one file per section."""

    calendar: Calendar
    cues: Cues
    money: Money
    names: Names
    people: People
    places: Places
    rooms: Rooms
