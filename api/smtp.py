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

There is no SMTP AUTH and no STARTTLS: the envelope sender is trusted as given, which is safe
only where the port is reachable by the agency's own mail relay. Logs name the agent key and
item, never an address or any content.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from typing import Any

from fastapi.concurrency import run_in_threadpool
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.orm import Session, sessionmaker

from api import store
from api.extraction import EmailInput, ExtractionService, ModelUnavailable, ServiceBusy
from api.logs import error_fields
from stayform.settings import Settings

log = logging.getLogger("stayform.smtp")

REFUSED_SENDER = "550 5.7.1 sender address is not registered to an agent"
TRY_LATER = "451 4.3.0 cannot store the message now, try again later"


class ForwardHandler:
    """aiosmtpd's handler: checks the sender at RCPT, stores the message at DATA."""

    def __init__(self, sessions: sessionmaker[Session], extraction: ExtractionService) -> None:
        self.sessions = sessions
        self.extraction = extraction

    def _agent_of(self, address: str | None) -> str | None:
        if not address:  # the null sender <> of bounces: nobody's forward
            return None
        with self.sessions() as session:
            return store.agent_for_sender(session, address=address)

    async def handle_RCPT(self, server: Any, session: Any, envelope: Any, address: str,
                          rcpt_options: list[str]) -> str:  # noqa: N802 (aiosmtpd's name)
        try:
            agent = await run_in_threadpool(self._agent_of, envelope.mail_from)
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
            agent = await run_in_threadpool(self._agent_of, envelope.mail_from)
            if agent is None:
                return REFUSED_SENDER
            result = await self.extraction.extract(EmailInput(raw=raw))
            item_id, created = await run_in_threadpool(self._store, result, raw, agent)
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

    def _store(self, result: Any, raw: bytes, agent: str) -> tuple[str, bool]:
        with self.sessions() as session:
            item, created = store.enqueue_result(session, result=result, raw=raw,
                                                 owner_key_id=agent)
            return item.id, created


async def start(settings: Settings, sessions: sessionmaker[Session],
                extraction: ExtractionService) -> asyncio.Server:
    """Listen on `settings.smtp_host`:`smtp_port` in the running loop; close() to stop."""
    from aiosmtpd.smtp import SMTP  # only a service with a port set needs it

    # aiosmtpd logs every command line (the addresses) at INFO: keep only its warnings
    logging.getLogger("mail.log").setLevel(logging.WARNING)
    handler = ForwardHandler(sessions, extraction)
    server = await asyncio.get_running_loop().create_server(
        lambda: SMTP(handler, data_size_limit=settings.max_email_bytes, hostname="stayform",
                     ident="stayform"),
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
