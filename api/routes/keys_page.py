"""`/review/keys`: the admin's page for API keys: list them (name, role, sender addresses,
created, expires, revoked), create one (its secret shown once) and revoke one.

The page is a face on what `/v1/keys` does (api/routes/keys.py): the same schema checks the
new key (`KeyCreate`), the same functions of api/access.py store and revoke it, and its forms
pass the page's same-origin and CSRF checks (api/page_auth.py). Reviewers get a 403.
"""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from pydantic import ValidationError

from api import store
from api.deps import SessionDep, page_key_header
from api.i18n import gettext as _
from api.models import ROLES, utcnow
from api.page_auth import PostedForm, Reviewer, ReviewerDep, csrf_ok, refused_role, same_origin
from api.routes.keys import key_state
from api.routes.page import templates
from api.schemas import KeyCreate

router = APIRouter(prefix="/review/keys", tags=["review page"], include_in_schema=False)


def _page(request: Request, admin: Reviewer, session: SessionDep, *, status: int = 200,
          created: tuple[str, str] | None = None, errors: list[str] | None = None,
          form: dict[str, str] | None = None) -> HTMLResponse:
    keys = store.list_keys(session)
    addresses = store.addresses_by_key(session)
    rows = [(key, key_state(key), sorted(addresses.get(key.id, []))) for key in keys]
    return templates.TemplateResponse(
        request, "keys.html", {"reviewer": admin, "rows": rows, "roles": ROLES,
                               "created": created, "errors": errors or [], "form": form or {}},
        status_code=status)


def _refused(request: Request) -> HTMLResponse:
    return templates.TemplateResponse(
        request, "login.html", {"error": _("This page is for admins.")}, status_code=403)


def _admin(request: Request, reviewer: Reviewer | None) -> Reviewer | Response:
    # a reviewer is refused (403); nobody logged in goes to the login form
    if reviewer is None:
        return RedirectResponse("/review", status_code=303)
    return reviewer if reviewer.role == "admin" else _refused(request)


@router.get("", response_class=HTMLResponse)
def keys_page(request: Request, reviewer: ReviewerDep, session: SessionDep,
              header: Annotated[str | None, Depends(page_key_header)]) -> Response:
    """Every key, oldest first, with its state now; never a token or a hash."""
    if reviewer is None and refused_role(request, session, header):
        return _refused(request)
    admin = _admin(request, reviewer)
    return _page(request, admin, session) if isinstance(admin, Reviewer) else admin


@router.post("", response_class=HTMLResponse)
def create(request: Request, reviewer: ReviewerDep, form: PostedForm, session: SessionDep
           ) -> Response:
    """A new key from the form (name, role, agent's sender addresses, expiry date); the page
    shows its secret this once. A refused form is shown again with what is wrong."""
    admin = _admin(request, reviewer)
    if not isinstance(admin, Reviewer):
        return admin
    if not same_origin(request) or not csrf_ok(admin, form):
        return _refused(request)
    emails = [a.strip() for a in form.get("emails", "").replace(",", "\n").splitlines()
              if a.strip()]
    expires = form.get("expires", "").strip()
    try:
        body = KeyCreate.model_validate({
            "name": form.get("name", ""), "role": form.get("role", ""), "emails": emails,
            "expires_at": f"{expires}T00:00:00Z" if expires else None})
        if body.expires_at is not None and body.expires_at <= utcnow():
            raise ValueError(_("The expiry date is in the past."))
        key, token = store.create_key(session, name=body.name.strip(), role=body.role,
                                      expires_at=body.expires_at, actor_key_id=admin.key_id,
                                      addresses=body.emails)
    except ValidationError as e:
        errors = [f"{'.'.join(map(str, err['loc'])) or 'form'}: {err['msg']}"
                  for err in e.errors(include_url=False)]
        return _page(request, admin, session, status=422, errors=errors, form=form)
    except ValueError as e:
        return _page(request, admin, session, status=422, errors=[str(e)], form=form)
    return _page(request, admin, session, status=201, created=(key.name, token))


@router.post("/{key_id}/revoke", response_class=HTMLResponse)
def revoke(request: Request, key_id: str, reviewer: ReviewerDep, form: PostedForm,
           session: SessionDep) -> Response:
    """Revoke a live key (its review sessions end with it), then back to the list."""
    admin = _admin(request, reviewer)
    if not isinstance(admin, Reviewer):
        return admin
    if not same_origin(request) or not csrf_ok(admin, form):
        return _refused(request)
    if not store.revoke_key(session, key_id=key_id, actor_key_id=admin.key_id):
        return _page(request, admin, session, status=404, errors=[_("No such live key.")])
    if key_id == admin.key_id:  # the admin's own key: their session is gone with it
        return RedirectResponse("/review", status_code=303)
    return RedirectResponse("/review/keys?revoked=true", status_code=303)

