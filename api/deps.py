"""FastAPI dependencies: a handler declares what it needs (`SessionDep`, `ReviewerKey` ...)
and authorization happens here, never pasted into handlers.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Annotated

from fastapi import Depends, HTTPException, Request
from fastapi.security import APIKeyHeader
from sqlalchemy.orm import Session

from api import auth, store
from api.extraction import EmailInput, ExtractionService
from api.intake import read_email_input
from api.metrics import KEY_ID_SCOPE
from api.models import ApiKey
from api.schemas import ExtractRequest, IngestRequest
from stayform.settings import Settings

# the review page's session cookie: a random session token, never the API key
COOKIE_NAME = "stayform_session"
_api_key_header = APIKeyHeader(name="X-API-Key", auto_error=False,
                               description="an API key from `stayform keys create`")


def get_session(request: Request) -> Iterator[Session]:
    """A database session for one request, closed afterwards."""
    with request.app.state.sessions() as session:
        yield session


def get_settings(request: Request) -> Settings:
    return request.app.state.settings  # type: ignore[no-any-return]


def get_extraction(request: Request) -> ExtractionService:
    return request.app.state.extraction  # type: ignore[no-any-return]


SessionDep = Annotated[Session, Depends(get_session)]
SettingsDep = Annotated[Settings, Depends(get_settings)]
ExtractionDep = Annotated[ExtractionService, Depends(get_extraction)]


def authenticate(request: Request, session: Session, token: str | None) -> ApiKey:
    """The live key for `token`; 401 when missing, unknown, expired or revoked."""
    if not token:
        raise HTTPException(401, "missing API key (header X-API-Key)",
                            headers={"WWW-Authenticate": "X-API-Key"})
    key = store.key_for_token(session, token=token)
    # End the read now: the handler may run the model next, and must not hold a pooled
    # connection (or a PostgreSQL transaction) meanwhile.
    session.commit()
    if key is None:
        raise HTTPException(401, "invalid, expired or revoked API key",
                            headers={"WWW-Authenticate": "X-API-Key"})
    request.scope[KEY_ID_SCOPE] = key.id  # for the request log line
    return key


def current_key(request: Request, session: SessionDep,
                token: Annotated[str | None, Depends(_api_key_header)]) -> ApiKey:
    """The live key of the `X-API-Key` header; 401 without one."""
    return authenticate(request, session, token)


def page_key_header(header: Annotated[str | None, Depends(_api_key_header)]) -> str | None:
    """The review page's `X-API-Key` header, for scripts (browsers use the session cookie)."""
    return header


def require(role: str) -> Callable[[ApiKey], ApiKey]:
    """A dependency that passes keys allowed to act as `role` and answers 403 to others."""

    def dependency(key: Annotated[ApiKey, Depends(current_key)]) -> ApiKey:
        if not auth.role_allows(key.role, role):
            raise HTTPException(403, f"this needs the {role} role; the key is {key.role}")
        return key

    return dependency


CurrentKey = Annotated[ApiKey, Depends(current_key)]
AgentKey = Annotated[ApiKey, Depends(require("agent"))]
ReviewerKey = Annotated[ApiKey, Depends(require("reviewer"))]
AdminKey = Annotated[ApiKey, Depends(require("admin"))]


def visible_item(item_id: str, key: CurrentKey, session: SessionDep) -> store.StoredItem:
    """The item `item_id` if the key may see it: its owner agent, reviewers, admins.

    Another agent's item is a 404, not a 403: an agent learns nothing about others' mail.
    """
    stored = store.load_item(session, item_id=item_id)
    if stored is None or (key.role == "agent" and stored.item.owner_key_id != key.id):
        raise HTTPException(404, "no such email")
    return stored


VisibleItem = Annotated[store.StoredItem, Depends(visible_item)]


async def extract_body(request: Request) -> EmailInput:
    return await read_email_input(request, model=ExtractRequest)


async def ingest_body(request: Request) -> EmailInput:
    return await read_email_input(request, model=IngestRequest)


ExtractBody = Annotated[EmailInput, Depends(extract_body)]
IngestBody = Annotated[EmailInput, Depends(ingest_body)]
