"""The database work on who may act: API keys (with an agent's sender addresses) and the
review page's server-side sessions. Split from `api.store`, which re-exports these names, so
that a caller keeps one door to the database."""

from __future__ import annotations

import datetime as dt
import secrets
from collections.abc import Iterable
from dataclasses import dataclass

from sqlalchemy import delete, or_, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from api import auth
from api.models import ROLES, ApiKey, AuditEvent, KeyAddress, ReviewSession, utcnow

# --- API keys -----------------------------------------------------------------------------

def create_key(session: Session, *, name: str, role: str, token: str | None = None,
               expires_at: dt.datetime | None = None, now: dt.datetime | None = None,
               actor_key_id: str | None = None, addresses: Iterable[str] = ()
               ) -> tuple[ApiKey, str]:
    """Create a key of `role` named `name`, with the sender `addresses` (agents only) whose
    forwarded mail becomes its items; returns the row and the token (shown once).

    Raises ValueError for an unknown role, addresses on a non-agent key, or an address a
    live key already holds (a dead key's address passes to the new key)."""
    if role not in ROLES:
        raise ValueError(f"unknown role {role!r}; one of {', '.join(ROLES)}")
    wanted = list(dict.fromkeys(a.strip().lower() for a in addresses))
    if wanted and role != "agent":
        raise ValueError("sender addresses belong to agent keys only")
    now = now or utcnow()
    token = token or auth.new_token()
    key = ApiKey(id=auth.new_key_id(), name=name, role=role, key_hash=auth.hash_token(token),
                 created_at=now, expires_at=expires_at)
    session.add(key)
    for address in wanted:
        held = session.get(KeyAddress, address)
        if held is not None:
            holder = session.get(ApiKey, held.key_id)
            if holder is not None and _is_live(holder, now):
                session.rollback()
                raise ValueError(f"{address} is already registered to key {holder.id} "
                                 f"({holder.name})")
            session.delete(held)
            session.flush()
        session.add(KeyAddress(address=address, key_id=key.id, created_at=now))
    session.add(AuditEvent(at=now, actor_key_id=actor_key_id, action="key_create",
                           new={"key_id": key.id, "role": role, "name": name,
                                "addresses": wanted}))
    session.commit()
    return key, token


def _is_live(key: ApiKey, now: dt.datetime) -> bool:
    return key.revoked_at is None and (key.expires_at is None or key.expires_at > now)


def addresses_by_key(session: Session) -> dict[str, list[str]]:
    """Each key's registered sender addresses, sorted (for `keys list`)."""
    found: dict[str, list[str]] = {}
    for row in session.scalars(select(KeyAddress).order_by(KeyAddress.address)):
        found.setdefault(row.key_id, []).append(row.address)
    session.commit()
    return found


def agent_for_sender(session: Session, *, address: str, now: dt.datetime | None = None
                     ) -> str | None:
    """The id of the live agent key `address` (any case) is registered to; else None."""
    now = now or utcnow()
    key = session.scalar(select(ApiKey).join(KeyAddress, KeyAddress.key_id == ApiKey.id).where(
        KeyAddress.address == address.strip().lower(), ApiKey.role == "agent"))
    found = key.id if key is not None and _is_live(key, now) else None
    session.rollback()  # a read: hold no transaction
    return found


def ensure_bootstrap_key(session: Session, *, token: str) -> ApiKey:
    """The admin key of `STAYFORM_ADMIN_KEY`, created on first start.

    A bootstrap key that was revoked stays revoked: restarting must not undo a revocation.
    """
    existing = session.scalar(select(ApiKey).where(ApiKey.key_hash == auth.hash_token(token)))
    if existing is not None:
        return existing
    try:
        return create_key(session, name="bootstrap-admin", role="admin", token=token)[0]
    except IntegrityError:  # another worker created it at the same moment
        session.rollback()
        return session.scalars(
            select(ApiKey).where(ApiKey.key_hash == auth.hash_token(token))).one()


def key_for_token(session: Session, *, token: str, now: dt.datetime | None = None
                  ) -> ApiKey | None:
    """The live key for `token`; None when unknown, revoked or expired."""
    key = session.scalar(select(ApiKey).where(ApiKey.key_hash == auth.hash_token(token)))
    now = now or utcnow()
    if key is None or key.revoked_at is not None:
        return None
    if key.expires_at is not None and key.expires_at <= now:
        return None
    return key


def check_reachable(session: Session) -> None:
    """Nothing when the database answers a trivial query; its error (OperationalError ...)
    when it does not, for the app's 503 handler."""
    session.execute(select(1))
    session.rollback()  # end the read: hold no pooled connection or transaction


def revoke_key(session: Session, *, key_id: str, actor_key_id: str | None = None,
               now: dt.datetime | None = None) -> bool:
    """Revoke a key and end its review sessions; False when there is no such live key."""
    now = now or utcnow()
    done = session.execute(update(ApiKey).where(ApiKey.id == key_id, ApiKey.revoked_at.is_(None))
                           .values(revoked_at=now)).rowcount  # type: ignore[attr-defined]
    if not done:
        session.rollback()
        return False
    session.execute(delete(ReviewSession).where(ReviewSession.key_id == key_id))
    session.add(AuditEvent(at=now, actor_key_id=actor_key_id, action="key_revoke",
                           new={"key_id": key_id}))
    session.commit()
    return True


def list_keys(session: Session) -> list[ApiKey]:
    """Every key, revoked and expired ones included, oldest first."""
    keys = list(session.scalars(select(ApiKey).order_by(ApiKey.created_at, ApiKey.id)))
    session.commit()
    return keys


def live_keys_named(session: Session, *, name: str, now: dt.datetime | None = None
                    ) -> list[ApiKey]:
    """The live keys whose name or id is `name` (names need not be unique)."""
    now = now or utcnow()
    return list(session.scalars(select(ApiKey).where(
        or_(ApiKey.name == name, ApiKey.id == name), ApiKey.revoked_at.is_(None),
        or_(ApiKey.expires_at.is_(None), ApiKey.expires_at > now)).order_by(ApiKey.created_at)))


def rotate_key(session: Session, *, key: ApiKey, actor_key_id: str | None = None,
               now: dt.datetime | None = None) -> tuple[ApiKey, str]:
    """A new key with `key`'s name, role and expiry; `key` is revoked. Returns the new key
    and its token (shown once)."""
    new, token = create_key(session, name=key.name, role=key.role, expires_at=key.expires_at,
                            now=now, actor_key_id=actor_key_id)
    # the sender addresses go with the name: forwards keep reaching the same agent
    session.execute(update(KeyAddress).where(KeyAddress.key_id == key.id)
                    .values(key_id=new.id))
    revoke_key(session, key_id=key.id, actor_key_id=actor_key_id, now=now)
    return new, token


# --- review page sessions -------------------------------------------------------------------

@dataclass(frozen=True)
class PageSession:
    """A live review page session: its key and the CSRF token of its forms."""

    key: ApiKey
    csrf: str


def create_session(session: Session, *, key_id: str, seconds: float,
                   now: dt.datetime | None = None) -> str:
    """A new review session for `key_id`; returns the cookie token (random, 256 bits).

    Expired sessions are purged on the way."""
    now = now or utcnow()
    token = secrets.token_urlsafe(32)
    session.execute(delete(ReviewSession).where(ReviewSession.expires_at <= now))
    session.add(ReviewSession(id_hash=auth.hash_token(token), key_id=key_id,
                              csrf=secrets.token_urlsafe(32), created_at=now,
                              expires_at=now + dt.timedelta(seconds=seconds)))
    session.commit()
    return token


def page_session(session: Session, *, token: str, now: dt.datetime | None = None
                 ) -> PageSession | None:
    """The live session of a cookie token: not expired, its key neither revoked nor expired."""
    now = now or utcnow()
    row = session.get(ReviewSession, auth.hash_token(token))
    key = session.get(ApiKey, row.key_id) if row is not None and row.expires_at > now else None
    session.commit()  # end the read
    if row is None or key is None or key.revoked_at is not None or (
            key.expires_at is not None and key.expires_at <= now):
        return None
    return PageSession(key=key, csrf=row.csrf)


def end_session(session: Session, *, token: str) -> None:
    """Delete the session of a cookie token (logout)."""
    session.execute(delete(ReviewSession).where(ReviewSession.id_hash == auth.hash_token(token)))
    session.commit()
