"""`/v1/keys`: admins list, create and revoke API keys (CONTRACT.md, second round)."""

from __future__ import annotations

from fastapi import APIRouter, HTTPException, Response

from api import auth, store
from api.deps import AdminKey, SessionDep
from api.models import ApiKey, utcnow
from api.schemas import ErrorBody, KeyCreate, KeyCreated, KeyPublic, KeyState

router = APIRouter(prefix="/v1/keys", tags=["keys"])


def public(key: ApiKey, emails: list[str] | None = None) -> KeyPublic:
    """A key as the API shows it, with its state now and its sender addresses."""
    return KeyPublic(id=key.id, name=key.name, role=key.role,  # type: ignore[arg-type]
                     state=key_state(key), created_at=key.created_at,
                     expires_at=key.expires_at, revoked_at=key.revoked_at,
                     emails=sorted(emails or []))


def key_state(key: ApiKey) -> KeyState:
    """`revoked`, `expired` or `live`."""
    if key.revoked_at is not None:
        return "revoked"
    if key.expires_at is not None and key.expires_at <= utcnow():
        return "expired"
    return "live"


@router.get("", response_model=list[KeyPublic])
def list_keys(admin: AdminKey, session: SessionDep) -> list[KeyPublic]:
    """Every key (revoked and expired too), oldest first, with an agent's registered sender
    addresses; never a token or a hash."""
    keys = store.list_keys(session)
    addresses = store.addresses_by_key(session)
    return [public(k, addresses.get(k.id)) for k in keys]


@router.post("", status_code=201, response_model=KeyCreated,
             responses={422: {"model": ErrorBody}})
def create_key(body: KeyCreate, admin: AdminKey, session: SessionDep) -> KeyCreated:
    """A new key; the token is in this response only. An expiry in the past is a 422, and so
    are `emails` on a key that is not an agent's, or an address a live key already holds."""
    if body.expires_at is not None and body.expires_at <= utcnow():
        raise HTTPException(422, "expires_at is in the past")
    try:
        key, token = store.create_key(session, name=body.name.strip(), role=body.role,
                                      expires_at=body.expires_at, actor_key_id=admin.id,
                                      addresses=body.emails)
    except ValueError as e:
        raise HTTPException(422, f"emails: {e}") from e
    registered = list(dict.fromkeys(a.strip().lower() for a in body.emails))  # as stored
    return KeyCreated(**public(key, registered).model_dump(), token=token)


@router.delete("/{key_id}", status_code=204, responses={404: {"model": ErrorBody}})
def revoke_key(key_id: str, admin: AdminKey, session: SessionDep) -> Response:
    """Revoke a live key (and end its review sessions); 404 when there is no live key."""
    if not auth.is_key_id(key_id) or not store.revoke_key(session, key_id=key_id, actor_key_id=admin.id):
        raise HTTPException(404, "no such live key")
    return Response(status_code=204)
