"""`/review/language/{code}`: the review page's language switch. It keeps the choice in a
cookie (a year, the whole site) that wins over the browser's Accept-Language, and goes back
to the page the clerk came from."""

from __future__ import annotations

import re

from fastapi import APIRouter
from fastapi.responses import RedirectResponse

from api import i18n

router = APIRouter(prefix="/review", tags=["review page"], include_in_schema=False)
COOKIE_SECONDS = 365 * 24 * 3600
# where the switch may send the clerk back: a path of the review page on this site, never
# another host ("//evil.example" or "/review\\@evil" would leave it)
_BACK = re.compile(r"/review(?:/[\w\-./]*)?(?:\?[\w\-.~%&=+,:]*)?")


@router.get("/language/{code}")
def switch_language(code: str, next: str = "/review") -> RedirectResponse:  # noqa: A002
    """Set the page's language to `code` (`en`, `de`) and go back to `next`; an unknown
    language changes nothing, an unsafe `next` goes to the queue."""
    back = next if _BACK.fullmatch(next) and "//" not in next else "/review"
    response = RedirectResponse(back, status_code=303)
    if code in i18n.LOCALES:
        response.set_cookie(i18n.COOKIE, code, max_age=COOKIE_SECONDS, path="/",
                            samesite="lax", httponly=True)
    return response
