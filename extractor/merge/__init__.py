"""Merge: the model's spans and the rules' spans of one text -> the spans of the form.

The model decides roles; rules fix boundaries and fill the gaps whose role they know; then
names, travellers, changes and cities are put right. `STEPS` runs these steps in this order,
each a small function of (spans, context) -> spans, each with its tests in
tests/extractor/test_merge.py. Merge runs for hotel requests only: the pipeline neither finds
rule spans nor merges for an email the model reads as not a hotel request.

1. Rules veto impossible roles. A model span lying inside a rule `date` span is dropped unless
   it is check_in/check_out, one inside a `money` span unless it is max_price: a date is never
   a destination, an amount never a place to be near. Nothing inside an `extension` ("extend by
   one night", "eine Nacht länger") is kept: it states a change, not the number of nights;
   nothing inside a quoted `rate` ("Rate: EUR 229 per night": a price, no cap; "Max. rate:" is
   a cap), a cancellation `deadline` ("free cancellation until 14 March": no date of the stay)
   or a hotel's star `rating` ("a [4]-star in Kyoto": no guests). A date or a count of rooms,
   guests or nights that is a house number after its street ("Salzgäßchen 6") or numbers a part
   of a place ("Heathrow Terminal 5", "Halle 3"), a date inside numbers joined by hyphens that
   write no date ("8-13-1 Ginza", a phone number), a date that is a child's age in brackets
   ("kids (6 and 9)"), a list item's number ("[1.] KW 19, Montag bis Mittwoch") or a weekday's
   two letters used as a word ("Seoul bleibt [so] wie gebucht"), a budget an offer starts at
   ("partner hotels from [EUR 145 per night]": no cap), or a city someone goes back to ("the
   evening flight back to [Doha]"), leaves from or passes through ("mit dem Zug ab [Zürich]",
   "via [Frankfurt]"), is dropped. A count after a form label naming another count
   is that count ("Nights: [3]", "No. of nights : [3]" read as rooms are the nights).
2. One rule span makes one mention. Model spans of one field that one compatible rule span
   covers together are one mention ("[2 adults], [3 kids]" inside the guests rule "2 adults, 3
   kids" is one count of 5; "[nächsten] [dienstag]" inside the date "nächsten dienstag").
3. Rules fix boundaries. A model span overlapped by a rule span of a compatible kind (same
   field; a `date` for check_in/check_out; `money` for max_price; a `person` — a title and
   capitalised words, "Frau Dr. Nina Vogt" — for traveler_names) grows to cover the rule span,
   so "5" tagged check_out inside the rule date "5 May" becomes "5 May" and parses. It never
   grows into another model span.
4. Dates end with their sentence. A check-in or check-out that runs on past the sentence end
   its rule date ends with ("5 Nov - [9 Nov. 8] pax") ends with the date.
5. Rules fill gaps. A rule span whose pattern knows its role (label is a field: "3 nights",
   "2 EZ", "inkl. Frühstück", "max. 150 EUR") and that overlaps no span is added with source
   "rules". Kind-only rule spans (`date`, `money`, `person`) are never added on their own: a
   date alone does not say whether it is the arrival, the departure or a flight, a titled name
   not whether it is the guest or the person addressed.
6. A name ends on its line. A hotel, place, city or traveller span that runs over a line break
   ends before it ("gern im [Hotel Hannong\\n\\nTeilnehmende]"), unless the break only wraps
   prose (a long line) or follows a title alone: "für Herrn [Kai\\nNeumann]" in a hard-wrapped
   paragraph, "[Frau\\nAyşe Yılmaz]" are one name each.
7. Pieces of one name are one name. Two pieces of a hotel or place that only a space or a name
   particle part ("[Parque] das [Nações]"), two travellers parted by one space only ("[Sophie]
   [Dubois]") or by a nickname, itself no traveller ('[Jonas] "JJ" [Jürgensen]'), and two
   towns that a town's particle or a state code join ("[Rothenburg] ob der [Tauber]",
   "[Washington], [DC]") are one span.
8. Names run on. A hotel or place span that stops before more capitalised words of the same
   name ("[Parque] das Nações", "[Schulungszentrum] Brackwede") grows over them: up to three
   more words on the same line, joined by spaces and name particles only, never into another
   span, never over a word that begins the next phrase ("Zimmer", "Please"). A traveller read
   by a first name alone takes the surname right after it ("my colleague [Ines] Duarte"),
   unless that word names a day or a known city; a destination read by the first words of a
   known city's name takes the rest ("[Cape] Town").
9. A name ends with a name word. A hotel, place, city or traveller span that ends with a
   preposition, article, "and" or "where" loses it ("[Motel One am] Hauptbahnhof", "near
   [COEX where] ..."); one that stops inside the word of a street is none ("[Kennedy]-Ufer
   2a", "[Theodor-Heuss-]Ring"); a hotel, place or traveller stopping at a hyphen inside its
   word takes the word ("[gent sint]-pieters", "[Seo Min]-jun"). In a text that writes names with capitals, a destination
   ends with its last capitalised word ("[Mailand raussuchen]"). A hotel or place ends where
   its sentence ends ("[Kongresszentrums FIL. Generell] gilt"; not after "St." or "Prof.").
10. Listed and booked-for guests are guests. A titled name (`person`) alone on its line, right
   under a line that holds only a traveller, is a traveller too ("Gäste:\\nFrau A.
   Kessler\\nHerr J. Brandt\\n..."): the model often tags the first of such a list only. So
   is a titled name right after "for"/"für", a possessive and a role ("für Herrn Baumann
   bitte", "for our CEO Mr. Rahul Mehta"): whom the request books for. And so is a name (two to
   four name words) in the cell under or over a traveller's in a table written with bars
   ("Name | Arrival | Room" rows), whatever else the model read it as ("Pieter van [Dijk]"),
   and a companion named after the writer's relation, in brackets, between commas or right
   after it, in a sentence saying they come along ("wird von seiner Frau, Ngozi Okonkwo,
   begleitet", "meine Kollegin Małgorzata Zielińska kommt doch mit") or, right after it, after
   whom the request is for ("für mich und meinen Kollegen Yaw Boateng"; `merge.companions`).
11. Pairs of guests are both guests. A name joined by "and"/"und"/"&" to a traveller is a
   traveller too: after it ("[Lukas Brandt] und Mehmet Aksoy", "... and Dr. Nia Roberts": a
   title and one to three capitalised words) or, as a lone first name, before it ("Gerda und
   [Horst Wagner]").
12. A traveller is a name. A traveller span that is a month or weekday name ("im Jänner"), a
   pronoun ("für mich (carla mendes)"), a form's label ("Zeitraum: 04.10."), a title alone,
   or lowercase words in a text that writes its names with capitals ("Namen folgen", "seine
   Frau mitreist"), is dropped. In such a text a capitalised name ends with its last
   capitalised word ("[Katrin Weiß leider] kann nicht kommen"). So is one untitled word that
   names a known city a destination span names ("in Prag ([Praha])"). Names parted by a slash
   are a traveller each ("Stefan Maurer / Burak Aydın").
13. A replaced value is not the stay's. A check-in, check-out, hotel, room kind or traveller
   right after
   "statt", "instead of", "bisher", "originally"... ("am Mittwoch statt [am Montag]", "(bisher
   [22.]–[24. April])", "for Ms. Olga Petrenko instead of Mr. [Ivan Kovalenko]") is dropped:
   it names the booking as it was. So is the first of two hotels or travellers in "from [the
   Scandic] to [the Hotel d'Angleterre]" / "von [Herrn Kern] auf [Frau Lang]", a room kind
   changed into another ("das [Einzelzimmer] bitte in ein Doppelzimmer umbuchen"), and a traveller
   who drops out ("[Herr Kern] kann leider nicht reisen"; in a cancellation, whose room it
   cancels, they stay). Dates go by ranges: the other end
   of a replaced date's range goes with it ("instead of [June 3]-[5]"), a range moved to
   another is dropped ("from [3]-[5 May] to 10-12 May", "(14.-16.3.) bitte auf 21.-23.3."),
   and a range's first date is the arrival, its last the departure ("10-12 May" tagged
   check-out twice).
14. The signer is no traveller (docs/ANNOTATION.md). A traveller on the email's last sign-off
   line, the name line under it ("Thanks,\\n[Helen]") or the short lines of the signature
   block right under that ("Praxis für [Physiotherapie Brunsbek]") is dropped, and so is one
   signing a message quoted above ("Viele Grüße\\n[Aylin Kaya]" over the request she
   answered), and one a legal footer's line names ("Geschäftsführung: Dr. [Hauke
   Sönnichsen]"), unless a traveller of the body, not one greeted, shares a word with it ("my
   name is Sarah Klein ... Best, [Sarah]").
15. A hotel named with its place is split (docs/ANNOTATION.md). "[Motel One am Hauptbahnhof]"
   tagged as one hotel is the hotel "Motel One" near "Hauptbahnhof", when its line names no
   other place to be near. "Hotel am Stadtpark" stays whole: "Hotel" alone names no hotel, so
   "[Hotel] am [Domplatz]" tagged as hotel and near is one hotel too.
16. A city beside its own dates is a destination. A known city (data/cities.json) that no
   span covers and that stands right before or after a check-in or check-out ("Linz – Anreise
   10.09.", "dann jena mi-fr") or heads a list line holding one ("- Straßburg: Anreise
   26.11.") is added as a destination, unless a word like "from" or "ab" makes it the place
   left or "back to" the place gone home to ("fly back to Lagos on 16 April"). So is the head
   of a list line shaped like a line that a destination heads before its dates ("Jaipur — 10
   to 13 January" under "[Delhi] — 8 to 10 January"): the model often tags the first stop of
   a list only.
17. A cancellation names its booking only. In a cancellation, only the fields that identify
   the booking (destination, dates, hotel, travellers, rooms: `CANCELLATION_FIELDS`) are kept,
   and no traveller, city or hotel whose booking stays ("[Giulia Ferri]'s room stays as it
   is", "[Seoul] bleibt so wie gebucht").
18. A travel verb's particle names the date. A check-in or check-out between a German travel
   verb and the particle that ends its clause takes the role the particle names: "ich reise
   schon am [Freitag, 30.01.], ab" is the departure, "wir reisen erst am [3. Mai] an" the
   arrival, whatever the model read. A date no span covers, after an arrival's or departure's
   cue (`cues.check_in`, `cues.check_out`: "fly back", "flying in") and at most four words
   and "on"/"am" in its clause, or right after the cue, is that date: "fly back to Lagos on
   [Thursday 16 April]", "flying home [Saturday 18th July]". The verbs are reisen, fahren,
   checken, kommen and fliegen ("wir kommen am [Sonntag, 20. September] zurück").
19. The person greeted is no traveller. A traveller greeted at the start of a line ("Liebe
   [Frau Arnold],", "Hi [Megan]!") or called by a lone first name opening a paragraph before
   the writer's own words ("[Megan], I'm in Brussels next week") is the one the letter is
   written to: dropped (another mention of them keeps them).
20. A change's last date is the new one. In a modification of one city's booking, an arrival
   or departure named twice is named as booked first and as it is to be last ("currently
   [9]-[11 June] ... she checks out on [Friday 12 June] instead"; "booking 11-14 January ...
   check-in moves to [12 January]"): only the last mention stands. A booking moved to one day
   that the model read as the departure begins that day ("move my booking at the Hilton to
   [the 14th]").
21. A day read as a place is a date. A destination, hotel or place to be near that only names
   a day ("Anreise [Gründonnerstag]", "arrival [Good Friday]") takes the role of the arrival or
   departure cue right before it, or is the arrival of a range whose departure follows
   ("[Gründonnerstag] bis [Ostermontag]"); else it is left to the value step, which drops a
   day as a place. A feast right after such a cue that no span covers ("Abreise
   Pfingstmontag": the model rarely tags feasts) is added as that date.
22. A venue is no hotel. A hotel that no word of a hotel's names ("Inn", "Suites", a chain's
   name: `places.hotel_words`) but a venue's word (`places.venue_words`) names, in it or right
   before it, is the place to be near: "[Istanbul Congress Center]", "[Parkville campus]",
   "zum Bahnhof [Santa Maria Novella]"; not when the words right before call it a hotel ("our
   preferred hotel is the [Arcotel Bolzano Messe]"). So is one without a hotel's word before
   "area" or on a line a location label opens ("[Lujiazui] area", "Lage: Barangaroo / [Darling
   Harbour]"): a part of the city.
23. A company's name is no person or city. A traveller or destination right before a company's
   legal form (`names.company_suffixes`: "Co.", "GmbH", "(Pty) Ltd") is part of its name
   ("[Najd Mining] Co.", "Solvatec [South Africa] (Pty) Ltd nach Kapstadt"): it is dropped. A
   place to be near stays (a client's company is a place).
24. A total stands for its parts. A count of rooms or guests said to be the whole ("So [5
   rooms] altogether", "[insgesamt 12 Zimmer]") drops the counts of the same field before it
   ("[3 rooms] of 4 for the boys and then [2] twins"): it already adds them up.
25. Nothing past the signature is asked for. A span below the signature block, where footers
   stand ("Meet us at the European Summit, [Rotterdam] Ahoy, [14–16 April]"), is dropped,
   unless it lies in a postscript ("P.S. ...") or the text goes on with another message
   (a forwarded or quoted header under the signature); travellers are left to step 14.
26. A correction replaces what it corrects. A value right after a correction cue ("no wait",
   "actually", "ich meinte": `cues.corrects`) drops the value of its field written shortly
   before in the same paragraph ("[4 nights]... actually [3 nights]"); a weekday replaces the
   weekday before it and takes its role ("on [wednesday] ..., no wait, make it [thursday]");
   an arrival opening a new range drops the old range's departure too ("[12th]-[15th march]...
   wait no, [13th] to [16th]"). A date naming less than the one it would replace ("bis [8.
   Oktober] ... ne warte, bis zum [9.]") replaces nothing: the month would be lost.
27. A leg without a hotel is no stay. The city and dates of a sentence that says no hotel is
   needed there ("[Wed 29 Apr] to [Fri 1 May] I'm with my parents in [Leipzig], so no hotel
   needed", "da brauche ich nichts": `cues.no_lodging`) are dropped, from the clause after
   the last one before the cue that asks for a hotel itself ("Hotel in Berlin please, no
   hotel needed in Potsdam") to the end of the cue's own clause.
28. Nights listed are the first and the last. Two arrivals listed as nights ("cancel my room
   [tonight] & [tmrw]", "[fri] and [sat] night") where no departure is read are the first
   night and the last: the second is read as the departure, the morning after it.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from extractor.form import CANCELLATION_FIELDS
from extractor.layout import Layout
from extractor.merge import boundaries, changes, cities, directions, names, travellers, trimmings
from extractor.merge.context import MergeContext
from extractor.spans import FoundSpan

__all__ = ["STEPS", "MergeContext", "Step", "merge_spans"]


def cancellation_only(spans: list[FoundSpan], ctx: MergeContext) -> list[FoundSpan]:
    """Step 17: a cancellation keeps the fields that identify the booking it cancels."""
    if ctx.intent != "cancellation":
        return spans
    return [s for s in spans if s.field in CANCELLATION_FIELDS
            and not changes.still_booked(s, ctx.text)]


@dataclass(frozen=True)
class Step:
    """One point of the merge policy: its number and name in the docstring, and its function."""

    number: int
    name: str
    run: Callable[[list[FoundSpan], MergeContext], list[FoundSpan]]


STEPS: tuple[Step, ...] = (
    Step(1, "Rules veto impossible roles", boundaries.veto_impossible),
    Step(2, "One rule span makes one mention", boundaries.join_one_mention),
    Step(3, "Rules fix boundaries", boundaries.grow_to_rules),
    Step(4, "Dates end with their sentence", boundaries.end_dates_with_sentence),
    Step(5, "Rules fill gaps", boundaries.fill_gaps),
    Step(6, "A name ends on its line", names.end_on_line),
    Step(7, "Pieces of one name are one name", names.join_name_parts),
    Step(8, "Names run on", names.run_on),
    Step(9, "A name ends with a name word", names.end_with_name_word),
    Step(10, "Listed and booked-for guests are guests", travellers.listed_travellers),
    Step(11, "Pairs of guests are both guests", travellers.paired_travellers),
    Step(12, "A traveller is a name", travellers.names_only),
    Step(13, "A replaced value is not the stay's", changes.drop_replaced),
    Step(14, "The signer is no traveller", travellers.drop_signers),
    Step(15, "A hotel named with its place is split", names.split_hotel_place),
    Step(16, "A city beside its own dates is a destination", cities.cities_by_dates),
    Step(17, "A cancellation names its booking only", cancellation_only),
    Step(18, "A travel verb's particle names the date", directions.separable_verbs),
    Step(19, "The person greeted is no traveller", travellers.drop_addressees),
    Step(20, "A change's last date is the new one", changes.latest_dates),
    Step(21, "A day read as a place is a date", directions.days_as_dates),
    Step(22, "A venue is no hotel", names.venues_are_near),
    Step(23, "A company's name is no person or city", names.companies_are_no_names),
    Step(24, "A total stands for its parts", boundaries.totals_over_parts),
    Step(25, "Nothing past the signature is asked for", trimmings.drop_footers),
    Step(26, "A correction replaces what it corrects", trimmings.apply_corrections),
    Step(27, "A leg without a hotel is no stay", trimmings.drop_unlodged_legs),
    Step(28, "Nights listed are the first and the last", directions.nights_listed),
)


def merge_spans(model: list[FoundSpan], rules: list[FoundSpan], *, text: str,
                intent: str = "new_booking", layout: Layout | None = None) -> list[FoundSpan]:
    """The spans of one hotel request: the model's spans (`model`) and the rules' (`rules`)
    of `text` merged by `STEPS` in order, sorted by position. `intent` is the model's reading
    (a cancellation keeps less); `layout` is the text's, when the caller has it already."""
    ctx = MergeContext(text=text, rules=rules, intent=intent,
                       layout=layout if layout is not None else Layout(text))
    spans = list(model)
    for step in STEPS:
        spans = step.run(spans, ctx)
    return sorted(spans, key=lambda s: (s.start, s.end))
