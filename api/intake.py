"""Reading an email out of a request: JSON `{"text", "received_at"?, "id"?}` or a multipart
upload of the raw message as the file field `email` (with optional `received_at`, `id` fields).

The body size is capped before this runs (`api.limits.BodyLimit` refuses by Content-Length
and counts streamed bytes); here each field is validated by the same pydantic
models the OpenAPI schema shows, so a bad body is a 422, never a 500.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from fastapi import HTTPException, Request
from fastapi.exceptions import RequestValidationError
from pydantic import TypeAdapter, ValidationError
from starlette.datastructures import UploadFile

from api.extraction import EmailInput
from api.schemas import MAX_ID_CHARS, ExtractRequest, IngestRequest, ReceivedAt

_DATETIME: TypeAdapter[dt.datetime] = TypeAdapter(ReceivedAt)


def openapi_body(model: type[ExtractRequest]) -> dict[str, Any]:
    """The `openapi_extra` that documents both body kinds of an email route."""
    form_props: dict[str, Any] = {
        "email": {"type": "string", "format": "binary",
                  "description": "the raw message (.eml, RFC 5322)"},
        "received_at": {"type": "string", "format": "date-time"},
    }
    if model is IngestRequest:
        form_props["id"] = {"type": "string", "maxLength": MAX_ID_CHARS}
    return {"requestBody": {"required": True, "content": {
        "application/json": {"schema": model.model_json_schema()},
        "multipart/form-data": {"schema": {"type": "object", "required": ["email"],
                                           "properties": form_props}},
    }}}


async def read_email_input(request: Request, *, model: type[ExtractRequest]) -> EmailInput:
    """The email of `request`, validated with `model` (ExtractRequest or IngestRequest).

    Raises 415 for other content types, 422 for invalid or unknown fields.
    """
    content_type = request.headers.get("content-type", "").split(";")[0].strip().lower()
    if content_type == "application/json":
        body = await request.body()
        try:
            parsed = model.model_validate_json(body)
        except ValidationError as e:
            raise RequestValidationError(e.errors(include_url=False, include_input=False)) from e
        return EmailInput(text=parsed.text, received_at=parsed.received_at,
                          id=getattr(parsed, "id", None))
    if content_type == "multipart/form-data":
        return await _read_multipart(request, allow_id=model is IngestRequest)
    raise HTTPException(415, "send application/json or multipart/form-data with a file 'email'")


async def _read_multipart(request: Request, *, allow_id: bool) -> EmailInput:
    allowed = {"email", "received_at"} | ({"id"} if allow_id else set())
    form = await request.form(max_files=1, max_fields=len(allowed))
    errors: list[dict[str, Any]] = []
    for name in form:
        if name not in allowed:
            errors.append(_error(name, "extra_forbidden", "Extra inputs are not permitted"))
    upload = form.get("email")
    if not isinstance(upload, UploadFile):
        errors.append(_error("email", "missing", "a file field 'email' is required"))
    received_at = None
    if isinstance(value := form.get("received_at"), str) and value:
        try:
            received_at = _DATETIME.validate_python(value)
        except ValidationError as e:
            errors.append(_error("received_at", "datetime_parsing",
                                 f"not an ISO date-time UTC can hold: {e.errors()[0]['msg']}"))
    given_id = form.get("id")
    if given_id is not None and (not isinstance(given_id, str)
                                 or not 1 <= len(given_id) <= MAX_ID_CHARS):
        errors.append(_error("id", "string_type", f"a string of 1 to {MAX_ID_CHARS} characters"))
    if errors:
        raise RequestValidationError(errors)
    assert isinstance(upload, UploadFile)
    raw = await upload.read()
    if not raw:
        raise RequestValidationError([_error("email", "empty", "the file 'email' is empty")])
    return EmailInput(raw=raw, received_at=received_at,
                      id=given_id if isinstance(given_id, str) else None)


def _error(field: str, kind: str, message: str) -> dict[str, Any]:
    return {"loc": ["body", field], "type": kind, "msg": message}
