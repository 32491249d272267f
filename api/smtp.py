"""The forwarding address (issue 17): an SMTP receiver inside `stayform serve`.

When `STAYFORM_SMTP_PORT` is set, the app's lifespan starts an `aiosmtpd` server on
`STAYFORM_SMTP_HOST` (loopback unless configured) in the app's own event loop, so a message
goes through the same extraction service (worker pool) and `store.enqueue_result` as
`POST /v1/emails`, and an agent's forward appears as that agent's item.

Who may send: the envelope sender (MAIL FROM) must be an address registered to a live agent
key (`stayform keys create --role agent --email ADDR`), compared case-insensitively; any other
sender is refused at RCPT with 550. A message over `max_email_bytes` is refused at DATA with
552 (aiosmtpd counts the bytes and advertises SIZE). The reply 250 comes only once the item
is committed, so a sender that got 250 may forget the message; a temporary failure (no model,
busy workers, database down) answers 451 and the sending server retries. The same Message-ID
again from the same agent is the stored item (the intake's dedup key), never a second one.

SMTP AUTH (`STAYFORM_SMTP_AUTH`, off by default): with `optional` or `required`, a client may
log in (PLAIN or LOGIN) with the agent key's name, id or one of its registered addresses as
the user name and the agent's API key as the password; a logged-in session's mail is that
agent's whatever its envelope sender, and `required` refuses MAIL before a login (530). A
wrong key is 535. STARTTLS is offered once `STAYFORM_SMTP_TLS_CERT` and `..._KEY` name a
certificate and its key; AUTH is then refused until the session is encrypted. Without a
certificate AUTH runs in clear, so the key crosses the wire readable: keep such a port on
loopback or behind the agency's relay. Without AUTH the envelope sender is trusted as given,
which is safe only where the port is reachable by the agency's own mail relay. Logs name the
agent key and item, never an address, a login or any content.

`store_message` is the intake of a raw message for an agent, shared with `stayform fetch`
(api/fetch.py), so a pulled message is stored exactly as a forwarded one.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import ssl
from typing import Any

from fastapi.concurrency import run_in_threadpool
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.orm import Session, sessionmaker

from api import store
from api.extraction import EmailInput, ExtractionService, ModelUnavailable, ServiceBusy
from api.logs import error_fields
from api.models import ApiKey
from stayform.settings import Settings

log = logging.getLogger("stayform.smtp")

REFUSED_SENDER = "550 5.7.1 sender address is not registered to an agent"
TRY_LATER = "451 4.3.0 cannot store the message now, try again later"


class SmtpConfigError(ValueError):
    """An SMTP setting the service refuses to start with (code C003)."""


async def store_message(sessions: sessionmaker[Session], extraction: ExtractionService, *,
                        raw: bytes, owner_key_id: str) -> tuple[str, bool]:
    """Extract the raw message `raw` and store it as the item of the agent key
    `owner_key_id`; returns (item id, created). The same Message-ID again from the same agent
    is the stored item (created False). Raises what extraction and the database raise
    (ModelUnavailable, ServiceBusy, SQLAlchemyError)."""
    result = await extraction.extract(EmailInput(raw=raw))
    return await run_in_threadpool(_store_result, sessions, result, raw, owner_key_id)


def _store_result(sessions: sessionmaker[Session], result: Any, raw: bytes, agent: str
                  ) -> tuple[str, bool]:
    with sessions() as session:
        item, created = store.enqueue_result(session, result=result, raw=raw,
                                             owner_key_id=agent)
        return item.id, created


def _live_agent(session: Session, key_id: str) -> bool:
    return any(k.id == key_id and k.role == "agent"
               for k in store.live_keys_named(session, name=key_id))


class ForwardHandler:
    """aiosmtpd's handler: checks the sender at RCPT, stores the message at DATA."""

    def __init__(self, sessions: sessionmaker[Session], extraction: ExtractionService) -> None:
        self.sessions = sessions
        self.extraction = extraction

    def _agent_of(self, address: str | None, logged_in: str | None = None) -> str | None:
        """The agent whose mail this is: the logged-in agent's key, while it is live, else the
        agent that registered the envelope sender."""
        with self.sessions() as session:
            if logged_in is not None:
                found = logged_in if _live_agent(session, logged_in) else None
                session.rollback()
                return found
            if not address:  # the null sender <> of bounces: nobody's forward
                return None
            return store.agent_for_sender(session, address=address)

    def authenticate(self, server: Any, session: Any, envelope: Any, mechanism: str,
                     auth_data: Any) -> Any:
        """aiosmtpd's authenticator (PLAIN, LOGIN): success when the password is a live
        agent key and the login names that key (its name or id, or an address registered to
        it); the session then carries the key id. Runs in the event loop: one indexed read."""
        from aiosmtpd.smtp import AuthResult, LoginPassword

        if not isinstance(auth_data, LoginPassword):
            return AuthResult(success=False, handled=False)
        try:
            login = auth_data.login.decode().strip()
            token = auth_data.password.decode().strip()
            with self.sessions() as db:
                key: ApiKey | None = store.key_for_token(db, token=token) if token else None
                agent = key.id if key is not None and key.role == "agent" and login in (
                    key.name, key.id) else None
                if key is not None and key.role == "agent" and agent is None:
                    key_id = key.id  # read before agent_for_sender ends the transaction
                    if store.agent_for_sender(db, address=login) == key_id:
                        agent = key_id
                db.rollback()
        except (UnicodeDecodeError, SQLAlchemyError) as e:
            log.info("smtp login failed", extra={"event": "smtp_auth_failed",
                                                 **error_fields(e)})
            return AuthResult(success=False, handled=False)
        if agent is None:
            log.info("smtp login refused", extra={"event": "smtp_auth_refused"})
            return AuthResult(success=False, handled=False)
        log.info("smtp login", extra={"event": "smtp_auth", "key_id": agent})
        return AuthResult(success=True, auth_data=agent)

    async def handle_RCPT(self, server: Any, session: Any, envelope: Any, address: str,
                          rcpt_options: list[str]) -> str:  # noqa: N802 (aiosmtpd's name)
        try:
            agent = await run_in_threadpool(self._agent_of, envelope.mail_from,
                                            _logged_in(session))
        except SQLAlchemyError as e:
            log.error("smtp sender check failed", extra={"event": "smtp_error",
                                                         **error_fields(e)})
            return TRY_LATER
        if agent is None:
            log.info("smtp sender refused", extra={"event": "smtp_refused"})
            return REFUSED_SENDER
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server: Any, session: Any, envelope: Any
                          ) -> str:  # noqa: N802 (aiosmtpd's name)
        raw = envelope.original_content or envelope.content
        if not isinstance(raw, bytes) or not raw.strip():
            return "554 5.6.0 empty message"
        try:
            # again: the key may have been revoked since RCPT
            agent = await run_in_threadpool(self._agent_of, envelope.mail_from,
                                            _logged_in(session))
            if agent is None:
                return REFUSED_SENDER
            item_id, created = await store_message(self.sessions, self.extraction, raw=raw,
                                                   owner_key_id=agent)
        except (ModelUnavailable, ServiceBusy, SQLAlchemyError) as e:
            log.error("smtp message not stored", extra={"event": "smtp_error",
                                                        **error_fields(e)})
            return TRY_LATER
        except Exception as e:  # noqa: BLE001 - logged without content, and sent again later
            log.error("smtp message failed", extra={"event": "smtp_error", **error_fields(e)})
            return TRY_LATER
        log.info("smtp message stored", extra={"event": "smtp_stored", "item_id": item_id,
                                               "key_id": agent, "new_item": created})
        return f"250 OK stored as {item_id}"



def _logged_in(session: Any) -> str | None:
    """The agent key id an SMTP session logged in with (None without a login)."""
    return session.auth_data if session.authenticated else None


def tls_context(settings: Settings) -> ssl.SSLContext | None:
    """The STARTTLS context of `settings.smtp_tls_cert`/`smtp_tls_key`; None when unset.

    Raises SmtpConfigError (C003) when only one is set or they cannot be loaded."""
    cert, key = settings.smtp_tls_cert, settings.smtp_tls_key
    if cert is None and key is None:
        return None
    if cert is None or key is None:
        raise SmtpConfigError("C003: STAYFORM_SMTP_TLS_CERT and STAYFORM_SMTP_TLS_KEY are "
                              "set together")
    context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    try:
        context.load_cert_chain(cert, key)
    except (OSError, ssl.SSLError) as e:
        raise SmtpConfigError(f"C003: cannot load the SMTP certificate {cert} with its key "
                              f"{key}: {e}") from e
    return context


async def start(settings: Settings, sessions: sessionmaker[Session],
                extraction: ExtractionService) -> asyncio.Server:
    """Listen on `settings.smtp_host`:`smtp_port` in the running loop; close() to stop."""
    from aiosmtpd.smtp import SMTP  # only a service with a port set needs it

    # aiosmtpd logs every command line (the addresses) at INFO: keep only its warnings
    logging.getLogger("mail.log").setLevel(logging.WARNING)
    context = tls_context(settings)
    handler = ForwardHandler(sessions, extraction)
    auth = settings.smtp_auth != "off"
    if auth and context is None:
        log.warning("smtp AUTH without STARTTLS: keys cross the wire in clear",
                    extra={"event": "smtp_auth_cleartext"})
    server = await asyncio.get_running_loop().create_server(
        lambda: SMTP(handler, data_size_limit=settings.max_email_bytes, hostname="stayform",
                     ident="stayform", tls_context=context,
                     authenticator=handler.authenticate if auth else None,
                     auth_required=settings.smtp_auth == "required",
                     # with a certificate, never a key in clear; without one, AUTH (if
                     # enabled) must run in clear or not at all
                     auth_require_tls=context is not None or not auth),
        host=settings.smtp_host, port=settings.smtp_port)
    log.info("smtp receiver started", extra={"event": "smtp_started",
                                             "port": server.sockets[0].getsockname()[1]})
    return server


async def stop(server: asyncio.Server, grace_s: float = 5.0) -> None:
    """Stop accepting; a session still open after `grace_s` is left to close with the loop
    (its message, if any, got no 250 and will be sent again)."""
    server.close()
    with contextlib.suppress(TimeoutError):
        await asyncio.wait_for(server.wait_closed(), timeout=grace_s)
