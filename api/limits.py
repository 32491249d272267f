"""Request body size limits, enforced before a body is read.

A declared `Content-Length` over the limit is answered 413 at once, without reading a byte; a
body without one (chunked) is counted as it streams in and refused at the first byte over.
The limit depends on the route: an uploaded email may be as large as
`STAYFORM_MAX_EMAIL_BYTES` (plus multipart framing); a reviewer's answer or a page form is
small. FastAPI's own `max_body_size` answers in plain text on some paths; every error here
must be JSON `{"detail": ...}`, hence this middleware.
"""

from __future__ import annotations

import json

from fastapi import HTTPException
from starlette.types import ASGIApp, Message, Receive, Scope, Send

# Multipart framing around an uploaded message: boundaries, part headers, small fields.
MULTIPART_OVERHEAD = 64 * 1024
# A reviewer's answer (20 stays of plain values) or a review page form fits easily.
SMALL_BODY_BYTES = 256 * 1024
_EMAIL_ROUTES = ("/v1/extract", "/v1/emails")


def limit_for(method: str, path: str, *, max_email_bytes: int) -> int:
    """The body limit in bytes of a request to `path`."""
    if method == "POST" and path.rstrip("/") in _EMAIL_ROUTES:
        return max_email_bytes + MULTIPART_OVERHEAD
    return SMALL_BODY_BYTES


class BodyTooLarge(HTTPException):
    def __init__(self, limit: int) -> None:
        super().__init__(413, f"request body larger than {limit} bytes")


class BodyLimit:
    """Pure ASGI middleware enforcing `limit_for` on every HTTP request."""

    def __init__(self, app: ASGIApp, *, max_email_bytes: int) -> None:
        self.app = app
        self.max_email_bytes = max_email_bytes

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        limit = limit_for(scope["method"], scope["path"], max_email_bytes=self.max_email_bytes)
        declared = _content_length(scope)
        if declared is not None and declared > limit:
            await _refuse(send, limit)
            return
        seen = 0

        async def counted() -> Message:
            nonlocal seen
            message = await receive()
            if message["type"] == "http.request":
                seen += len(message.get("body", b""))
                if seen > limit:
                    # raised into whoever reads the body; FastAPI turns it into a JSON 413
                    raise BodyTooLarge(limit)
            return message

        await self.app(scope, counted, send)


def _content_length(scope: Scope) -> int | None:
    for name, value in scope.get("headers", []):
        if name == b"content-length":
            try:
                return int(value)
            except ValueError:
                return None
    return None


async def _refuse(send: Send, limit: int) -> None:
    body = json.dumps({"detail": f"request body larger than {limit} bytes"}).encode()
    await send({"type": "http.response.start", "status": 413, "headers": [
        (b"content-type", b"application/json"), (b"content-length", str(len(body)).encode()),
        (b"connection", b"close")]})
    await send({"type": "http.response.body", "body": body})
