"""API keys and roles.

A key is a random 32-byte token shown once; the database keeps only its SHA-256. A salted,
slow hash (bcrypt, argon2) protects *guessable* secrets; a 256-bit random token cannot be
guessed, so a plain digest is enough and lets a key be looked up by its hash in one query.

Roles nest: `admin` may do what `reviewer` and `agent` may; `reviewer` and `agent` are
separate (a reviewer does not submit email, an agent does not review).
"""

from __future__ import annotations

import hashlib
import hmac
import secrets

TOKEN_PREFIX = "sfk_"
# STAYFORM_ADMIN_KEY is typed by a person: shorter than this it could be guessed or brute-forced
# (a generated token has 47 characters, 256 random bits).
MIN_ADMIN_KEY_CHARS = 32

# Which roles satisfy a route's required role.
_ALLOWED: dict[str, frozenset[str]] = {
    "agent": frozenset({"agent", "admin"}),
    "reviewer": frozenset({"reviewer", "admin"}),
    "admin": frozenset({"admin"}),
}


def new_token() -> str:
    """A fresh API key token (`sfk_` + 43 URL-safe characters, 256 random bits)."""
    return TOKEN_PREFIX + secrets.token_urlsafe(32)


def new_key_id() -> str:
    """A public identifier for a key (safe to log, shown in audit trails)."""
    return "key_" + secrets.token_hex(8)


def is_key_id(value: str) -> bool:
    """Whether `value` has the shape of a key id (`key_` and 16 hex digits)."""
    return len(value) == 20 and value.startswith("key_") and all(
        c in "0123456789abcdef" for c in value[4:])


def hash_token(token: str) -> str:
    """The hex SHA-256 of `token`, as stored in `api_keys.key_hash`."""
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


def role_allows(role: str, required: str) -> bool:
    """Whether a key of `role` may use a route that requires `required`."""
    return role in _ALLOWED[required]


def csrf_token(token: str) -> str:
    """The CSRF token of the review page's forms for a key.

    For scripts that send `X-API-Key` to the page: derived from the key itself (HMAC). A
    browser's session has a random CSRF token of its own (`store.create_session`).
    """
    return hmac.new(token.encode("utf-8"), b"stayform-review-csrf", hashlib.sha256).hexdigest()


def csrf_ok(token: str, given: str | None) -> bool:
    """Whether `given` is the CSRF token of `token` (constant-time comparison)."""
    return given is not None and hmac.compare_digest(csrf_token(token), given)
