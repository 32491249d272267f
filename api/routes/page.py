"""The review page: `/review` (log in, the queue), `/review/items` (every item, filtered),
`/review/{id}` (one item), `/review/{id}/lease` (the open page keeps its lease) and
`/review/{id}/raw` (the message as it arrived).

Server-rendered (Jinja2, autoescaped), no inline script (the CSP forbids it), no build step.
Forms POST back here with the session's CSRF token (api/page_auth.py); confirming goes
through the same versioned save as `PUT /v1/review/{id}`.
"""

from __future__ import annotations

import hmac
import re
from pathlib import Path
from typing import Annotated
from urllib.parse import urlencode

from fastapi import APIRouter, Depends, Request
from fastapi.responses import (
    HTMLResponse,
    JSONResponse,
    PlainTextResponse,
    RedirectResponse,
    Response,
)
from fastapi.templating import Jinja2Templates
from jinja2 import Environment, FileSystemLoader, select_autoescape
from pydantic import ValidationError
from sqlalchemy.orm import Session

from api import auth, evidence_form, i18n, item_view, review_actions, review_form, store
from api.audit_sample import measure
from api.deps import (
    COOKIE_NAME,
    SessionDep,
    SettingsDep,
    get_settings,
    page_key_header,
)
from api.followup import draft
from api.highlight import thread
from api.i18n import gettext as _
from api.models import ITEM_STATUSES
from api.page_auth import (
    PostedForm,
    Reviewer,
    ReviewerDep,
    csrf_ok,
    refused_role,
    same_origin,
)
from api.queries import BadCursor, ItemFilter, list_items
from api.reason_text import field_label, reason, word
from api.schemas import EmailListQuery
from extractor.form import FIELDS, INTENTS, ROOM_TYPES, STAY_FIELDS, FormValues
from stayform.settings import Settings

router = APIRouter(prefix="/review", tags=["review page"], include_in_schema=False)
templates = Jinja2Templates(env=Environment(
    loader=FileSystemLoader(Path(__file__).parent.parent / "templates"),
    autoescape=select_autoescape(default=True, default_for_string=True)))
templates.env.filters["shown"] = review_form.shown
i18n.install(templates.env)
templates.env.globals.update(word=word, field_label=field_label, explain=reason)
SESSION_SECONDS = 12 * 3600  # a working day: the session (and its cookie) expire after it
ITEMS_PER_PAGE = 50
ITEM_FILTERS = ("status", "q", "sender", "since", "until", "cursor")
_ITEM_PATH = re.compile(r"/review/[0-9a-f]{32}")  # where a login may send the reviewer back


def _render(request: Request, name: str, status: int = 200, **context: object) -> HTMLResponse:
    return templates.TemplateResponse(request, name, context, status_code=status)


def _login(request: Request, error: str | None = None, status: int = 200) -> HTMLResponse:
    return _render(request, "login.html", status, error=error)


@router.get("", response_class=HTMLResponse)
def queue_page(request: Request, reviewer: ReviewerDep, session: SessionDep,
               settings: SettingsDep, empty: bool = False, released: bool = False
               ) -> HTMLResponse:
    """The login form, or the queue: counts per status, the audit sample's measured share
    of changed items, and the reviewer's open items."""
    if reviewer is None:
        return _login(request)
    return _render(request, "queue.html", reviewer=reviewer,
                   counts=store.queue_counts(session),
                   audit=measure(session, share=settings.audit_share),
                   leases=store.leases_of(session, reviewer_key_id=reviewer.key_id),
                   others=review_actions.held_by_others(session, reviewer_key_id=reviewer.key_id),
                   empty=empty,
                   released=released)


@router.post("/login", response_class=HTMLResponse)
def login(request: Request, form: PostedForm, session: SessionDep, settings: SettingsDep
          ) -> Response:
    """Check a reviewer key and open a server-side session: the cookie (HttpOnly,
    SameSite=Strict, expiring) holds a random session token, never the key."""
    token = form.get("key", "").strip()
    key = store.key_for_token(session, token=token) if token and same_origin(request) else None
    if key is None or not auth.role_allows(key.role, "reviewer"):
        return _login(request, _("That key is unknown, expired, revoked, or not a reviewer's."), 401)
    session_token = store.create_session(session, key_id=key.id, seconds=SESSION_SECONDS)
    # back to the item whose edits the page kept while the session had expired
    back = form.get("next", "")
    response = RedirectResponse(back if _ITEM_PATH.fullmatch(back) else "/review", 303)
    secure = settings.cookie_secure if settings.cookie_secure is not None else (
        request.url.scheme == "https")
    response.set_cookie(COOKIE_NAME, session_token, max_age=SESSION_SECONDS, path="/review",
                        httponly=True, samesite="strict", secure=secure)
    return response


@router.post("/logout")
def logout(request: Request, reviewer: ReviewerDep, form: PostedForm, session: SessionDep
           ) -> Response:
    """End the session (server-side: the cookie is worthless afterwards). Needs the page's
    CSRF token, so another site cannot log a reviewer out."""
    if reviewer is None or not same_origin(request) or not csrf_ok(reviewer, form):
        return _login(request, _("Please log in again."), 403)
    if cookie := request.cookies.get(COOKIE_NAME):
        store.end_session(session, token=cookie)
    response = RedirectResponse("/review", status_code=303)
    response.delete_cookie(COOKIE_NAME, path="/review")
    return response


@router.post("/next")
def next_item(request: Request, reviewer: ReviewerDep, form: PostedForm, session: SessionDep,
              settings: SettingsDep) -> Response:
    """Claim the next item and open it (or back to the queue, saying it is empty)."""
    if reviewer is None or not same_origin(request) or not csrf_ok(reviewer, form):
        return _login(request, _("Please log in again."), 403)
    return _open_next(session, reviewer, settings)


def _open_next(session: Session, reviewer: Reviewer, settings: Settings) -> Response:
    """Claim the next item (the audit sample after the items that need review), never one
    the reviewer skipped within the hour, and open it; else the queue, saying so."""
    skipped = review_actions.skipped_by(session, reviewer_key_id=reviewer.key_id)
    stored = store.claim_next(session, reviewer_key_id=reviewer.key_id,
                              lease_seconds=settings.review_lease_seconds,
                              audit_share=settings.audit_share, exclude=skipped)
    target = f"/review/{stored.item.id}" if stored else "/review?empty=true"
    return RedirectResponse(target, status_code=303)


@router.get("/items", response_class=HTMLResponse)
def items_page(request: Request, reviewer: ReviewerDep, session: SessionDep,
               header: Annotated[str | None, Depends(page_key_header)]) -> Response:
    """Every item, newest first, filtered as `GET /v1/emails` filters (the same query and
    cursor); a filter the API would refuse is shown as a message on the page, with no list."""
    if reviewer is None:
        if refused_role(request, session, header):
            return _login(request, _("This page is for reviewers and admins."), 403)
        return RedirectResponse("/review", status_code=303)
    # an empty field of the GET form means "no condition", not an empty string
    given = {k: v for k, v in request.query_params.items() if k in ITEM_FILTERS and v.strip()}
    try:
        query = EmailListQuery.model_validate({**given, "limit": ITEMS_PER_PAGE})
        where = ItemFilter(statuses=tuple(query.status), sender=query.sender, since=query.since,
                           until=query.until, q=query.q)
        items, cursor = list_items(session, where=where, limit=ITEMS_PER_PAGE,
                                   cursor=query.cursor)
    except ValidationError as e:
        errors = [f"{'.'.join(map(str, err['loc'])) or 'filter'}: {err['msg']}"
                  for err in e.errors(include_url=False)]
        return _render(request, "items.html", 422, reviewer=reviewer, filters=given,
                       statuses=ITEM_STATUSES, items=[], errors=errors, next_url=None)
    except BadCursor as e:
        return _render(request, "items.html", 422, reviewer=reviewer, filters=given,
                       statuses=ITEM_STATUSES, items=[], errors=[f"cursor: {e}"], next_url=None)
    kept = {k: v for k, v in given.items() if k != "cursor"}
    next_url = f"/review/items?{urlencode({**kept, 'cursor': cursor})}" if cursor else None
    return _render(request, "items.html", reviewer=reviewer, filters=given,
                   statuses=ITEM_STATUSES, items=items, errors=[], next_url=next_url)


@router.get("/{item_id}", response_class=HTMLResponse)
def item_page(request: Request, item_id: str, reviewer: ReviewerDep, session: SessionDep,
              settings: SettingsDep) -> Response:
    """One item: the email and its thread, its evidence highlighted, beside its form. An item
    that can be reviewed is leased to the reviewer who opens it, unless another one holds it."""
    if reviewer is None:
        return RedirectResponse("/review", status_code=303)
    review_actions.take(session, item_id=item_id, reviewer_key_id=reviewer.key_id,
                        lease_seconds=settings.review_lease_seconds)
    stored = store.load_item(session, item_id=item_id)
    if stored is None:
        return _render(request, "missing.html", 404, reviewer=reviewer)
    values = _basis(stored)
    return _item(request, session, stored, reviewer, review_form.cells_from_values(values),
                 values.intent if values else "new_booking")


def _basis(stored: store.StoredItem) -> FormValues | None:
    # the form the page is built from: its stays are what the cells' `origin` indexes. An
    # answer counts while the item is reviewed; a reopened reject starts from the suggestion.
    if stored.answer is not None and stored.item.status == "reviewed":
        return stored.answer
    return store.suggested_form(stored.result)


def _item(request: Request, session: Session, stored: store.StoredItem, reviewer: Reviewer,
          stays: list[review_form.Cells], intent: str, *, status: int = 200,
          errors: review_form.FormErrors | None = None, notice: str | None = None,
          conflict: item_view.Conflict | None = None) -> HTMLResponse:
    item = stored.item
    return _render(
        request, "item.html", status, reviewer=reviewer, item=item, result=stored.result,
        thread=thread(stored.result), envelope=item_view.envelope(item.raw),
        lease=review_actions.holder_of(session, item, reviewer_key_id=reviewer.key_id),
        rejected=review_actions.is_rejected(session, item), followup=draft(stored),
        rows=review_form.checklist(stored.result, stays, _basis(stored), intent=intent),
        stays=stays, intent=intent, intents=INTENTS, room_types=ROOM_TYPES, fields=STAY_FIELDS,
        # where each value stands in the text, shown beside it (api/evidence_form.py)
        evidence=evidence_form.resolve(stored, stays, _basis(stored)), span_fields=FIELDS,
        errors=errors.messages if errors else [], field_errors=errors.fields if errors else {},
        notice=notice, conflict=conflict, max_stays=review_form.MAX_STAYS,
        posted=status != 200 or notice is not None,
        # the page renews its lease three times a lease (review.js)
        renew_seconds=get_settings(request).review_lease_seconds / 3)


@router.post("/{item_id}", response_class=HTMLResponse)
def item_post(request: Request, item_id: str, reviewer: ReviewerDep, form: PostedForm,
              session: SessionDep, settings: SettingsDep) -> Response:
    """Confirm (save, then open the next), save, check (what Enter does: nothing is saved),
    reject (not a hotel request), skip, release, reopen a reject, or edit the stays."""
    if reviewer is None or not same_origin(request) or not csrf_ok(reviewer, form):
        return _login(request, _("Please log in again."), 403)
    stored = store.load_item(session, item_id=item_id)
    if stored is None:
        return _render(request, "missing.html", 404, reviewer=reviewer)
    stays, intent = review_form.cells_from_post(form), form.get("intent", "")
    action = form.get("action", "confirm")
    if action in ("skip", "release"):
        review_actions.release(session, item_id=item_id, reviewer_key_id=reviewer.key_id,
                               skip=action == "skip")
        if action == "skip":
            return _open_next(session, reviewer, settings)
        return RedirectResponse("/review?released=true", status_code=303)
    if action == "reopen":
        return _reopen(request, session, stored, reviewer, form)
    if action == "add_stay" and len(stays) < review_form.MAX_STAYS:
        return _item(request, session, stored, reviewer, [*stays, review_form.empty_cells()],
                     intent)
    if action.startswith("remove_stay:"):
        index = action.partition(":")[2]
        kept = [s for i, s in enumerate(stays) if str(i) != index]
        return _item(request, session, stored, reviewer, kept, intent)
    evidence: list[evidence_form.StayEvidence] = []
    try:
        values = (FormValues(intent="not_hotel", stays=[]) if action == "reject"
                  else review_form.parse(intent, stays, _basis(stored)))
        if action != "reject":
            values, evidence = evidence_form.apply(stored, stays, values, _basis(stored))
    except review_form.FormErrors as e:
        return _item(request, session, stored, reviewer, stays, intent, status=422, errors=e)
    if action == "check":
        return _item(request, session, stored, reviewer, stays, intent,
                     notice=_("The form is complete. Nothing is saved until you confirm."))
    try:
        version = int(form.get("version", ""))
        store.save_answer(session, item_id=item_id, reviewer_key_id=reviewer.key_id,
                          version=version, values=values, evidence=evidence)
    except ValueError:
        return _item(request, session, stored, reviewer, stays, intent, status=400,
                     notice=_("The form lost its version; reload the item."))
    except store.SaveConflict as e:
        fresh = store.load_item(session, item_id=item_id) or stored
        return _item(request, session, fresh, reviewer, stays, intent, status=409,
                     conflict=item_view.conflict(session, item_id=item_id,
                                                 reviewer_key_id=reviewer.key_id, error=e))
    if action == "save":
        return RedirectResponse(f"/review/{item_id}", status_code=303)
    return _open_next(session, reviewer, settings)


def _reopen(request: Request, session: Session, stored: store.StoredItem, reviewer: Reviewer,
            form: dict[str, str]) -> Response:
    """Undo a reject: the item needs review again, starting from the model's suggestion."""
    try:
        review_actions.reopen(session, item_id=stored.item.id, reviewer_key_id=reviewer.key_id,
                              version=int(form.get("version", "")))
    except (ValueError, store.SaveConflict) as e:
        fresh = store.load_item(session, item_id=stored.item.id) or stored
        values = _basis(fresh)
        return _item(request, session, fresh, reviewer, review_form.cells_from_values(values),
                     values.intent if values else "new_booking", status=409,
                     notice=_("Not reopened: %(why)s") % {"why": e} if isinstance(e, store.SaveConflict)
                     else _("The form lost its version; reload the item."))
    return RedirectResponse(f"/review/{stored.item.id}", status_code=303)


@router.post("/{item_id}/lease")
def lease(request: Request, item_id: str, reviewer: ReviewerDep, session: SessionDep,
          settings: SettingsDep) -> Response:
    """Renew the reviewer's lease while the item's page is open (review.js calls it every
    few minutes) and say who holds the item: `{"mine", "holder", "until", "version",
    "status"}`. 401 once the session is gone; 403 without the page's CSRF token."""
    if reviewer is None:
        return JSONResponse({"detail": "Please log in again."}, status_code=401)
    token = request.headers.get("x-csrf-token", "")
    if not same_origin(request) or not hmac.compare_digest(token, reviewer.csrf):
        return JSONResponse({"detail": "CSRF token missing or wrong"}, status_code=403)
    state = review_actions.renew(session, item_id=item_id, reviewer_key_id=reviewer.key_id,
                                 lease_seconds=settings.review_lease_seconds)
    if state is None:
        return JSONResponse({"detail": "No such item"}, status_code=404)
    return JSONResponse({"mine": state.mine, "holder": state.holder,
                         "until": state.until.isoformat() if state.until else None,
                         "version": state.version, "status": state.status})


@router.get("/{item_id}/raw", response_class=PlainTextResponse)
def raw_message(request: Request, item_id: str, reviewer: ReviewerDep, session: SessionDep,
                header: Annotated[str | None, Depends(page_key_header)]) -> Response:
    """The stored raw message as plain text (reviewers and admins): headers, MIME parts and
    all, as it arrived. An item sent as text has none (404)."""
    if reviewer is None:
        if refused_role(request, session, header):
            return PlainTextResponse(_("This page is for reviewers and admins."), 403)
        return RedirectResponse("/review", status_code=303)
    stored = store.load_item(session, item_id=item_id)
    if stored is None or not stored.item.raw:
        return PlainTextResponse(_("No raw message is stored for this item (it was sent as "
                                   "text, or it does not exist)."), 404)
    return PlainTextResponse(stored.item.raw.decode("utf-8", errors="replace"),
                             headers={"Content-Disposition": "inline"})
