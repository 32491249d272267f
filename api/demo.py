"""`python -m api.demo` (what `make run` ends with): the review service, ready to try.

Creates a reviewer key and an admin key in the configured database (the one
`stayform batch --queue` filled), prints them with the page's address, and serves on
127.0.0.1 until interrupted. The keys are new on every run; old ones keep working.
"""

from __future__ import annotations

import argparse
import sys

from api import store
from api.commands import run_serve
from api.db import DatabaseError, session_scope
from stayform.settings import get_settings


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(prog="python -m api.demo", description=__doc__.splitlines()[0])
    p.add_argument("--host", default="127.0.0.1")
    p.add_argument("--port", type=int, default=8000)
    args = p.parse_args(argv)
    try:
        with session_scope(get_settings()) as session:
            _, reviewer = store.create_key(session, name="demo-reviewer", role="reviewer")
            _, admin = store.create_key(session, name="demo-admin", role="admin")
            counts = store.queue_counts(session)
    except DatabaseError as e:
        print(f"stayform: error: {e}", file=sys.stderr)
        return 1
    print(f"""
  Review page   http://{args.host}:{args.port}/review
  reviewer key  {reviewer}
  admin key     {admin}   (export: curl -H 'X-API-Key: {admin}' \\
                http://{args.host}:{args.port}/v1/export/annotations)
  API docs      http://{args.host}:{args.port}/docs
  queue         {counts['needs_review']} to review, {counts['auto_accepted']} auto-accepted, \
{counts['reviewed']} reviewed, {counts['error']} errors
""", flush=True)
    return run_serve(argparse.Namespace(host=args.host, port=args.port))


if __name__ == "__main__":
    sys.exit(main())
