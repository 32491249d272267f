"""Webhook delivery: posts the outbox's events to `STAYFORM_WEBHOOK_URL`, signed.

The headers are Standard Webhooks' (https://www.standardwebhooks.com): `webhook-id` is the
event's id, the same on every retry, so a receiver keeps each event once by dropping ids it
has seen; `webhook-timestamp` is the try's time; `webhook-signature` is `v1,` and the base64
HMAC-SHA256 of `{id}.{timestamp}.{body}` under the `whsec_` secret, computed by the
`standardwebhooks` package (the spec's reference code) rather than by hand.

Any answer but a 2xx is retried, 4xx included: a 401 from a receiver whose secret is being
rotated or a 404 while it is redeployed is a state an operator fixes, and giving up would
lose the event. Retries back off exponentially (`STAYFORM_WEBHOOK_BACKOFF_BASE_S` doubled per
failure, at most `..._MAX_S`) with jitter, so a receiver coming back is not hit by every
event at once. Events are sent independently: one failing event does not hold back the
others, so receivers order by the body's `timestamp`, not by arrival.
"""

from __future__ import annotations

import asyncio
import binascii
import datetime as dt
import json
import logging
import random

import httpx
from anyio import to_thread
from sqlalchemy.orm import Session, sessionmaker
from standardwebhooks.webhooks import Webhook

from api import outbox
from api.models import OutboxEvent, utcnow
from stayform.settings import Settings

log = logging.getLogger("stayform.webhooks")
# events claimed per round; the rest wait for the next round
BATCH = 50


class WebhookConfigError(ValueError):
    """A webhook setting the service refuses to start with (code C002)."""


def backoff_s(failures: int, *, base_s: float, max_s: float, rng: random.Random | None = None
              ) -> float:
    """Seconds to wait after the `failures`-th failed try (1, 2, ...): `base_s * 2**(n-1)`,
    capped at `max_s`, then a random share between half and all of it ("equal jitter": the
    retries of many events spread out, and none comes back at once)."""
    delay = min(max_s, base_s * 2 ** min(max(failures - 1, 0), 62))
    return (rng or random).uniform(delay / 2, delay)


def signer(secret: str | None) -> Webhook:
    """The Standard Webhooks signer of `secret` (`whsec_` + base64, as the spec gives keys)."""
    if not secret:
        raise WebhookConfigError("C002: STAYFORM_WEBHOOK_URL needs STAYFORM_WEBHOOK_SECRET "
                                 "(whsec_ followed by base64 of at least 24 random bytes)")
    try:
        return Webhook(secret)
    except (binascii.Error, ValueError) as e:
        raise WebhookConfigError("C002: STAYFORM_WEBHOOK_SECRET is not whsec_<base64>") from e


def signed_request(webhook: Webhook, event: OutboxEvent, *, now: dt.datetime
                   ) -> tuple[bytes, dict[str, str]]:
    """The body and headers of one try of `event`."""
    data = json.dumps(outbox.body(event), separators=(",", ":")).encode()
    stamp = dt.datetime.fromtimestamp(int(now.timestamp()), dt.UTC)
    return data, {"content-type": "application/json", "webhook-id": event.id,
                  "webhook-timestamp": str(int(stamp.timestamp())),
                  "webhook-signature": webhook.sign(event.id, stamp, data)}


class WebhookSender:
    """The delivery loop of one service process: `start()` in the lifespan, `stop()` after."""

    def __init__(self, settings: Settings, sessions: sessionmaker[Session]) -> None:
        assert settings.webhook_url, "no sender without a webhook URL"
        self._url = settings.webhook_url
        self._webhook = signer(settings.webhook_secret)
        self._settings = settings
        self._sessions = sessions
        self._task: asyncio.Task[None] | None = None

    def start(self) -> None:
        self._task = asyncio.create_task(self._run(), name="stayform-webhooks")

    async def stop(self) -> None:
        """Cancel the loop; an event cut off mid-post is due again when its lease passes."""
        if self._task is None:
            return
        self._task.cancel()
        try:
            await self._task
        except asyncio.CancelledError:
            pass
        self._task = None

    async def _run(self) -> None:
        s = self._settings
        async with httpx.AsyncClient(timeout=s.webhook_timeout_s, follow_redirects=False,
                                     trust_env=False) as client:
            while True:
                try:
                    events = await to_thread.run_sync(self._claim)
                    for event in events:
                        await self._deliver(client, event)
                except asyncio.CancelledError:
                    raise
                except Exception as e:  # the database is down: try again next round
                    events = []
                    log.warning("webhook round failed", extra={
                        "event": "webhook_round_failed", "error": type(e).__name__})
                if len(events) < BATCH:
                    await asyncio.sleep(s.webhook_poll_s)

    def _claim(self) -> list[OutboxEvent]:
        # the lease outlasts one post, so no other process sends the event meanwhile
        with self._sessions() as session:
            return outbox.claim_due(session, now=utcnow(), limit=BATCH,
                                    lease_s=self._settings.webhook_timeout_s + 30)

    async def _deliver(self, client: httpx.AsyncClient, event: OutboxEvent) -> None:
        data, headers = signed_request(self._webhook, event, now=utcnow())
        status: int | None = None
        error = None
        try:
            status = (await client.post(self._url, content=data, headers=headers)).status_code
        except httpx.HTTPError as e:  # refused, timed out, reset: retried like a 5xx
            error = type(e).__name__
        delivered = status is not None and 200 <= status < 300
        failures = event.attempts + 1
        retry_at = None if delivered else utcnow() + dt.timedelta(seconds=backoff_s(
            failures, base_s=self._settings.webhook_backoff_base_s,
            max_s=self._settings.webhook_backoff_max_s))
        await to_thread.run_sync(self._record, event.id, status, delivered, retry_at)
        fields = {"event": "webhook_delivered" if delivered else "webhook_failed",
                  "webhook_id": event.id, "type": event.type, "status": status,
                  "attempt": failures, "error": error}
        if delivered:
            log.info("webhook delivered", extra=fields)
        else:
            log.warning("webhook not delivered, will retry", extra=fields)

    def _record(self, event_id: str, status: int | None, delivered: bool,
                retry_at: dt.datetime | None) -> None:
        with self._sessions() as session:
            outbox.record_attempt(session, event_id=event_id, status=status,
                                  delivered=delivered, retry_at=retry_at)
