"""The review page's languages: English and German, from gettext catalogues (api/locale/).

The page's language is the `stayform_lang` cookie (set by the language switch) when it names a
language we have, else Babel's negotiation over the browser's Accept-Language, else English.
`PageLocale`, an ASGI middleware, decides it once per request and keeps it in a context
variable, so that code with no request at hand (a validation message in api/review_form.py)
translates with `gettext` alike; the request's handler, run in a thread, inherits the variable.

The catalogues are compiled: `messages.mo` is committed beside its `.po` (`make locale`
extracts, updates and compiles them) and a test fails when the two differ, so the service
needs no build step and no Babel command at start-up.
"""

from __future__ import annotations

import gettext as _gettext
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from functools import lru_cache
from pathlib import Path

from babel import negotiate_locale
from babel.numbers import format_decimal, format_percent
from babel.support import Translations
from jinja2 import Environment
from starlette.requests import HTTPConnection
from starlette.types import ASGIApp, Receive, Scope, Send

LOCALES = ("en", "de")  # English first: the default and the language the strings are written in
DEFAULT = "en"
NAMES = {"en": "English", "de": "Deutsch"}  # each language in its own words, for the switch
COOKIE = "stayform_lang"
LOCALE_DIR = Path(__file__).parent / "locale"
DOMAIN = "messages"
MAX_PREFERENCES = 20  # an Accept-Language header is read this far, no further

_current: ContextVar[str] = ContextVar("stayform_locale", default=DEFAULT)


@lru_cache(maxsize=len(LOCALES))
def translations(locale: str) -> _gettext.NullTranslations:
    """The compiled catalogue of `locale` (English: the strings as written)."""
    if locale == DEFAULT:
        return _gettext.NullTranslations()
    return Translations.load(str(LOCALE_DIR), [locale], DOMAIN)


def current() -> str:
    """The language of the request being answered (English outside a request)."""
    return _current.get()


def gettext(message: str) -> str:
    """`message` in the current language (itself where the catalogue lacks it)."""
    return translations(current()).gettext(message)


def ngettext(singular: str, plural: str, n: int) -> str:
    """The singular or plural of a message, as the current language counts `n`."""
    return translations(current()).ngettext(singular, plural, n)


def N_(message: str) -> str:  # noqa: N802 (the gettext convention's name)
    """Mark `message` for extraction without translating it yet (translated where shown)."""
    return message


@contextmanager
def use(locale: str) -> Iterator[None]:
    """Translate in `locale` within the block (scripts and tests; requests use PageLocale)."""
    token = _current.set(locale if locale in LOCALES else DEFAULT)
    try:
        yield
    finally:
        _current.reset(token)


def preferences(header: str) -> list[str]:
    """The languages of an Accept-Language header, most wanted first (q=0 left out):
    `de-DE,de;q=0.9,en;q=0.8` gives `["de-DE", "de", "en"]`."""
    weighted: list[tuple[float, int, str]] = []
    for index, part in enumerate(header.split(",")[:MAX_PREFERENCES]):
        tag, _, params = part.strip().partition(";")
        weight = 1.0
        if params.strip().startswith("q="):
            try:
                weight = float(params.strip()[2:])
            except ValueError:
                weight = 0.0
        if tag and tag != "*" and weight > 0:
            weighted.append((-weight, index, tag))
    return [tag for _, _, tag in sorted(weighted)]


def negotiate(*, cookie: str | None, accept_language: str | None) -> str:
    """The page's language: the switch's cookie, else the browser's best we have, else English."""
    if cookie in LOCALES:
        return cookie
    found = negotiate_locale(preferences(accept_language or ""), LOCALES, sep="-")
    return found if found in LOCALES else DEFAULT


class PageLocale:
    """Pure ASGI middleware: decide each HTTP request's language before the app answers it."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        connection = HTTPConnection(scope)
        token = _current.set(negotiate(cookie=connection.cookies.get(COOKIE),
                                       accept_language=connection.headers.get("accept-language")))
        try:
            await self.app(scope, receive, send)
        finally:
            _current.reset(token)


# --- formatting, per language ----------------------------------------------------------------
# Dates and times stay ISO in the HTML (`<time datetime>`): review.js writes each in the
# browser's zone and locale, which the server does not know.

def number(value: float | int) -> str:
    """A number as the language writes it (`1.234,5` in German)."""
    return format_decimal(value, locale=current())


def percent(share: float) -> str:
    """A share 0..1 as a whole percentage (`50 %` in German)."""
    return format_percent(share, "#,##0 %" if current() == "de" else "#,##0%", locale=current())


def install(env: Environment) -> None:
    """Give a Jinja environment `_`/`gettext`/`ngettext` and `{% trans %}` (new style: the
    translation is trusted, its variables escaped), the formatting filters and `lang()`."""
    env.add_extension("jinja2.ext.i18n")
    env.install_gettext_callables(gettext, ngettext, newstyle=True)  # type: ignore[attr-defined]
    env.filters.update(number=number, percent=percent)
    env.globals.update(lang=current, languages=NAMES)
