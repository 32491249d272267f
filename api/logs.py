"""Structured JSON logs, one object per line.

What is logged is chosen where it is logged: request lines carry the method, the route
*template* (`/v1/emails/{item_id}`), status, duration, a random request id and the key's public
id. Never an email body, an address, a query string or an API key.

An exception is logged as its type and the file:line of each frame, never its message nor a
formatted traceback: a database error's message holds the SQL parameters (the raw message,
addresses, Message-IDs), a validation error's quotes its input. The formatter does this for
every logger it is given, uvicorn's own error logger included.
"""

from __future__ import annotations

import datetime as dt
import json
import logging
import sys
import traceback
from pathlib import Path

# Attributes every LogRecord has; anything else was passed with `extra=` and is logged.
# (uvicorn's `color_message` duplicates the message with terminal colour codes.)
_STANDARD = set(logging.LogRecord("", 0, "", 0, "", (), None).__dict__) | {
    "message", "asctime", "color_message"}


class JsonFormatter(logging.Formatter):
    """Formats a record as a JSON object: time, level, logger, message and the `extra` keys."""

    def format(self, record: logging.LogRecord) -> str:
        data: dict[str, object] = {
            "time": dt.datetime.fromtimestamp(record.created, dt.UTC).isoformat(),
            "level": record.levelname.lower(),
            "logger": record.name,
            "message": record.getMessage(),
        }
        for key, value in record.__dict__.items():
            if key not in _STANDARD and not key.startswith("_"):
                data[key] = value
        if record.exc_info and record.exc_info[1] is not None:
            data.update(error_fields(record.exc_info[1]))
            data["stack"] = stack_of(record.exc_info[1])
        return json.dumps(data, default=str)


def error_fields(exc: BaseException) -> dict[str, str]:
    """What to log about an exception: its type and where it was raised, not its message
    (messages of validation errors quote their input, which may be an email)."""
    frames = traceback.extract_tb(exc.__traceback__)
    where = f"{Path(frames[-1].filename).name}:{frames[-1].lineno}" if frames else "?"
    return {"error": type(exc).__name__, "where": where}


def stack_of(exc: BaseException) -> list[str]:
    """Where `exc` passed through, innermost last, as `file:line in function`: enough to find
    the bug, with nothing of the data it failed on."""
    return [f"{Path(f.filename).name}:{f.lineno} in {f.name}"
            for f in traceback.extract_tb(exc.__traceback__)][-12:]


def configure_logging(level: int = logging.INFO) -> None:
    """Send stayform's and uvicorn's logs to stderr as JSON; silence uvicorn's access log
    (it logs raw paths; the service logs its own request lines)."""
    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(JsonFormatter())
    for name in ("stayform", "uvicorn", "uvicorn.error"):
        logger = logging.getLogger(name)
        logger.handlers = [handler]
        logger.setLevel(level)
        logger.propagate = False
    logging.getLogger("uvicorn.access").disabled = True
