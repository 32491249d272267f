"""The envelope of an email: greeting, sign-off, signature and forward header.

None of it is ever labelled: a signature's street, phone number and company city teach the model
that an address is not a destination, and a sign-off name is not a traveller.
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata

from annotations.generator.context import Ctx
from annotations.generator.datewords import MONTHS, WEEKDAYS
from annotations.generator.plan import Person, draw_city, draw_person
from annotations.generator.vocab import mark

# A signed name is a form value (the writer who travels) without a span: marked as markup
# with this pseudo-label, the noise step leaves it as it is, and `unmark_signer` drops the
# mark before the markup is read.
SIGNER = "signer"
_SIGNER_MARK = re.compile(r"\[\[([^\[\]|]+)\|" + SIGNER + r"\]\]")
_POSTCODE = {"DE": "{:05d}", "AT": "{:04d}", "CH": "{:04d}", "LU": "L-{:04d}", "LI": "{:04d}"}


def greeting(ctx: Ctx, lang: str, *, formal: bool = False) -> str:
    """A salutation line, sometimes naming the agent written to; no "Hey" when `formal`."""
    agent = draw_person(ctx)
    book = ctx.book(lang)
    casual = tuple(book["casual_openings"])
    lines = [g for g in book["greet"] if not (formal and g.startswith(casual))]
    line = ctx.pick(lines)
    titles = {"f": ("Frau", "Ms"), "m": ("Herr", "Mr")}[agent.gender]
    return line.format(
        first=agent.first, last=agent.last, title=titles[1],
        frau_herr=titles[0], r_e="r" if agent.gender == "m" else "")


def sign_name(ctx: Ctx, sender: Person) -> str:
    """How the sender signs: "Anna", "Anna Schmidt", "A. Schmidt", "AS"."""
    return ctx.weighted(
        (sender.first, f"{sender.first} {sender.last}", f"{sender.first[0]}. {sender.last}",
         f"{sender.first[0]}{sender.last[0]}", f"{sender.first} {sender.last[0]}."),
        (5, 4, 1, 0.5, 0.5))


# academic titles a formal signature may carry; the name a form takes drops them
_SIGNATURE_TITLES = {"en": ("Dr.", "Dr", "Prof.", "Prof. Dr."),
                     "de": ("Dr.", "Prof. Dr.", "Dr.-Ing.", "Mag.", "DI", "Ing.")}


def closing_block(ctx: Ctx, lang: str, sender: Person, *, signature: bool,
                  formal: bool = False) -> tuple[str, str | None]:
    """Sign-off line and name, and sometimes a full signature with address and phone; and the
    name as a form takes it (as signed, titles dropped; None for initials like "AS")."""
    book = ctx.book(lang)
    signoff = ctx.pick([s for s in book["signoff"]
                        if not (formal and s in book["casual_signoffs"])])
    if signature:
        full = f"{sender.first} {sender.last}"
        title = ctx.pick(_SIGNATURE_TITLES[lang]) + " " if formal and ctx.chance(0.2) else ""
        return "\n".join([signoff, title + mark(full, SIGNER),
                          *_signature(ctx, lang, sender)]), full
    name = sign_name(ctx, sender)
    value = None if name == f"{sender.first[0]}{sender.last[0]}" else name
    if len(signoff) <= 12 and ctx.chance(0.3):  # "Thanks, Anna" / "LG Anna" on one line
        return f"{signoff} {mark(name, SIGNER)}", value
    return f"{signoff}\n{mark(name, SIGNER)}", value


def unmark_signer(markup: str) -> str:
    """`markup` without the `SIGNER` marks (they only shield the name from typos)."""
    return _SIGNER_MARK.sub(r"\1", markup)


_DE_ASCII = str.maketrans({"ä": "ae", "ö": "oe", "ü": "ue", "ß": "ss"})
_SIGNATURE_COUNTRIES = frozenset({"DE", "AT", "CH", "LU", "GB", "US", "IE"})


def _slug(text: str) -> str:
    text = text.lower().translate(_DE_ASCII)
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]+", "", ascii_text.lower())


def _signature(ctx: Ctx, lang: str, sender: Person) -> list[str]:
    places = ctx.vocab.places
    company = ctx.pick(places["companies"])
    domain = _slug(company.split()[0]) + ctx.pick((".de", ".com", ".at", ".ch", ".eu", ".co.uk"))
    city = draw_city(ctx)
    while city.cc not in _SIGNATURE_COUNTRIES:
        city = draw_city(ctx)
    city_name = city.de if city.cc in ("DE", "AT", "CH") else city.name
    street_key = "streets_de" if city.cc in ("DE", "AT", "CH", "LU") else "streets_en"
    street = f"{ctx.pick(places[street_key])} {ctx.rng.randint(1, 180)}"
    fmt = _POSTCODE.get(city.cc, "{:05d}")
    postcode = fmt.format(ctx.rng.randint(1010, 9999 if "04d" in fmt else 99998))
    phone_cc = {"DE": "+49", "AT": "+43", "CH": "+41", "GB": "+44", "US": "+1", "IE": "+353",
                "LU": "+352"}
    prefix = phone_cc.get(city.cc, "+49")
    num = ctx.rng.randint
    digits = f"{num(20, 999)} {num(100000, 9999999)}"
    phone = ctx.pick((f"Tel. {prefix} {digits}", f"Phone: {prefix} {digits}",
                      f"T {prefix} {digits}", f"Mobil: {prefix} 1{num(50, 79)} {num(10**6, 10**7)}",
                      f"Tel.: 0{num(20, 999)} / {num(10000, 999999)}-{num(10, 99)}",
                      f"M: {prefix} {num(150, 179)} {num(100, 999)} {num(1000, 9999)}"))
    role = ctx.pick(places["departments_de" if lang == "de" else "departments_en"])
    address = ctx.pick((f"{street}, {postcode} {city_name}", f"{street} | {postcode} {city_name}",
                        f"{street}\n{postcode} {city_name}", f"{street} · {postcode} {city_name}"))
    lines = [role, company, address, phone]
    if ctx.chance(0.6):
        lines.append(f"{_slug(sender.first)}.{_slug(sender.last)}@{domain}")
    if ctx.chance(0.25):
        lines.append(f"www.{domain}")
    if ctx.chance(0.3):
        lines.remove(role)
    return lines


def forward_header(ctx: Ctx, lang: str, sender: Person) -> str:
    """The header block of a forwarded message, dated earlier the same day."""
    t = ctx.received_at - dt.timedelta(minutes=ctx.rng.randint(5, 240))
    if t.date() != ctx.today:
        t = ctx.received_at
    company = _slug(ctx.pick(ctx.vocab.places["companies"]).split()[0])
    address = f"{_slug(sender.first)}.{_slug(sender.last)}@{company}.com"
    subject = ctx.pick(("Hotel request", "Booking", "Accommodation", "Hotel", "Trip", "Request")
                       if lang == "en" else ("Hotelanfrage", "Buchung", "Unterkunft", "Hotel",
                                             "Reise", "Anfrage"))
    day, month = WEEKDAYS[lang][t.weekday()], MONTHS[lang][t.month - 1]
    hm = f"{t.hour:02d}:{t.minute:02d}"
    name = mark(f"{sender.first} {sender.last}", SIGNER)
    if lang == "en":
        if ctx.chance(0.5):
            return (f"---------- Forwarded message ---------\nFrom: {name} "
                    f"<{address}>\nDate: {day[:3]}, {t.day} {month[:3]} {t.year} at {hm}\n"
                    f"Subject: {subject}\nTo: <travel@agency.example>")
        return (f"-----Original Message-----\nFrom: {name}\nSent: {day}, "
                f"{month} {t.day}, {t.year} {hm}\nTo: Travel Desk\nSubject: {subject}")
    if ctx.chance(0.5):
        return (f"---------- Weitergeleitete Nachricht ----------\nVon: {name} "
                f"<{address}>\nDatum: {day[:2]}., {t.day}. {month} {t.year} um {hm}\n"
                f"Betreff: {subject}\nAn: <reise@agentur.example>")
    return (f"-----Ursprüngliche Nachricht-----\nVon: {name}\nGesendet: "
            f"{day}, {t.day}. {month} {t.year} {hm}\nAn: Reisestelle\nBetreff: {subject}")
