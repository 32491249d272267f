"""The last line of defence around every request: an exception nothing else handled becomes a
JSON 500 naming a request id, and one log line with the error type, the route template and
that id; the exception goes no further.

Starlette's own server-error middleware answers 500 and then *re-raises*, so that the server
logs it: uvicorn then writes "Exception in ASGI application" with a traceback whose messages
hold the SQL parameters (the raw message, addresses, Message-IDs). This middleware sits inside
the user middleware (the 500 still gets the security headers, the metrics, the request line)
and stops the exception there.
"""

from __future__ import annotations

import json
import logging
import secrets

from starlette.types import ASGIApp, Message, Receive, Scope, Send

from api.logs import error_fields, stack_of

log = logging.getLogger("stayform.api")
REQUEST_ID_SCOPE = "stayform.request_id"


def new_request_id() -> str:
    """A random id for one request (logged, and sent back as `X-Request-ID`)."""
    return secrets.token_hex(8)


def route_of(scope: Scope) -> str:
    """The route template of a request (`/v1/emails/{item_id}`), never its raw path."""
    return getattr(scope.get("route"), "path", None) or "unmatched"


def request_fields(scope: Scope) -> dict[str, str | None]:
    """What an error log line says about its request: route template and request id."""
    return {"route": route_of(scope), "request_id": scope.get(REQUEST_ID_SCOPE)}


class ErrorBoundary:
    """Pure ASGI middleware: unhandled exceptions become a logged, content-free 500."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        started = False

        async def tracked(message: Message) -> None:
            nonlocal started
            if message["type"] == "http.response.start":
                started = True
            await send(message)

        try:
            await self.app(scope, receive, tracked)
        except Exception as e:  # noqa: BLE001 - the boundary: logged without content, not raised
            log.error("unhandled error", extra={"event": "error", **request_fields(scope),
                                                **error_fields(e), "stack": stack_of(e)})
            if started:
                return  # the status is sent; the server closes the unfinished response
            body = json.dumps({"detail": "internal error",
                               "request_id": scope.get(REQUEST_ID_SCOPE)}).encode()
            await send({"type": "http.response.start", "status": 500, "headers": [
                (b"content-type", b"application/json"),
                (b"content-length", str(len(body)).encode())]})
            await send({"type": "http.response.body", "body": body})
