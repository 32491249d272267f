"""`stayform serve` and `stayform keys create` (dispatched from stayform/cli.py)."""

from __future__ import annotations

import argparse
import sys

from stayform.cli import UserError
from stayform.settings import get_settings


def run_serve(args: argparse.Namespace) -> int:
    """Run the review service with uvicorn on `args.host`:`args.port` until interrupted."""
    import uvicorn

    from api.app import create_app
    from api.db import DatabaseError
    from api.logs import configure_logging

    configure_logging()
    try:
        app = create_app(get_settings())
    except DatabaseError as e:
        raise UserError(str(e)) from e
    # log_config=None keeps the JSON logging set up above; the app logs its own request lines.
    uvicorn.run(app, host=args.host, port=args.port, log_config=None, access_log=False,
                proxy_headers=False)
    return 0


def run_keys_create(args: argparse.Namespace) -> int:
    """Create an API key of `args.role` named `args.name`; print the token once on stdout."""
    from api import store
    from api.db import DatabaseError, session_scope

    name = args.name.strip()
    if not name or len(name) > 200:
        raise UserError("--name must be 1 to 200 characters")
    try:
        with session_scope(get_settings()) as session:
            key, token = store.create_key(session, name=name, role=args.role)
    except DatabaseError as e:
        raise UserError(str(e)) from e
    print(token)
    print(f"created {key.role} key {key.id} ({key.name}); the key is shown only now, "
          "keep it safe", file=sys.stderr)
    return 0
