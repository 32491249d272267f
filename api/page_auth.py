"""Who is at the review page: the logged-in reviewer (session cookie or `X-API-Key`), the
posted form, and the checks every page POST passes (same origin, the session's CSRF token).

Kept apart from the page's routes (api/routes/page.py) so that the routes read as what the
page does; the API's own dependencies are in api/deps.py.
"""

from __future__ import annotations

import hmac
from dataclasses import dataclass
from typing import Annotated

from fastapi import Depends, HTTPException, Request
from sqlalchemy.orm import Session

from api import auth, store
from api.deps import COOKIE_NAME, SessionDep, authenticate, page_key_header


@dataclass(frozen=True)
class Reviewer:
    key_id: str
    name: str
    csrf: str
    role: str = "reviewer"  # or "admin": the keys page is theirs only


def page_reviewer(request: Request, session: SessionDep,
                  header: Annotated[str | None, Depends(page_key_header)]) -> Reviewer | None:
    """The logged-in reviewer (or admin): by the session cookie, or by an `X-API-Key` header;
    None (the login form) when there is neither, or the session is unknown or expired, or its
    key is revoked, expired or not allowed to review.

    A database that cannot be reached is not "logged out": its error goes on to the app's
    handler, the same 503 (code D003, Retry-After) as the API's; even without a key, since a
    login form could not check the key it asks for.
    """
    cookie = request.cookies.get(COOKIE_NAME)
    if header:
        try:
            key = authenticate(request, session, header)
        except HTTPException as e:
            if e.status_code != 401:
                raise
            return None
        csrf = auth.csrf_token(header)
    elif cookie:
        live = store.page_session(session, token=cookie)
        if live is None:
            return None
        key, csrf = live.key, live.csrf
    else:
        store.check_reachable(session)
        return None
    if not auth.role_allows(key.role, "reviewer"):
        return None
    return Reviewer(key_id=key.id, name=key.name, csrf=csrf, role=key.role)


ReviewerDep = Annotated[Reviewer | None, Depends(page_reviewer)]


async def posted(request: Request) -> dict[str, str]:
    """The fields of a posted page form (text fields only), after a same-origin check."""
    form = await request.form(max_files=0, max_fields=1000)
    return {k: v for k, v in form.items() if isinstance(v, str)}


PostedForm = Annotated[dict[str, str], Depends(posted)]


def same_origin(request: Request) -> bool:
    # Belt and braces beside SameSite=Strict and the CSRF token: browsers send Origin on POST.
    origin = request.headers.get("origin")
    return origin is None or origin == f"{request.url.scheme}://{request.url.netloc}"


def csrf_ok(reviewer: Reviewer, form: dict[str, str]) -> bool:
    return hmac.compare_digest(form.get("csrf", ""), reviewer.csrf)


def refused_role(request: Request, session: Session, header: str | None) -> bool:
    """Whether the request carries a valid key whose role may not review (an agent's): the
    list answers it 403, where no key at all is sent to the login form."""
    if not header:
        return False
    try:
        key = authenticate(request, session, header)
    except HTTPException:
        return False
    return not auth.role_allows(key.role, "reviewer")
