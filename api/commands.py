"""`stayform serve`, `stayform keys create|list|revoke|rotate`, `stayform export` and
`stayform fetch` (dispatched from stayform/cli.py)."""

from __future__ import annotations

import argparse
import datetime as dt
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import TYPE_CHECKING

from stayform.cli import UserError
from stayform.settings import get_settings

if TYPE_CHECKING:
    from sqlalchemy.orm import Session, sessionmaker


def run_serve(args: argparse.Namespace) -> int:
    """Run the review service with uvicorn on `args.host`:`args.port` until interrupted."""
    import uvicorn

    from api.app import ConfigError, create_app
    from api.db import DatabaseError
    from api.logs import configure_logging

    configure_logging()
    try:
        app = create_app(get_settings())
    except (DatabaseError, ConfigError) as e:
        raise UserError(str(e)) from e
    # log_config=None keeps the JSON logging set up above; the app logs its own request lines.
    settings = get_settings()
    # SIGTERM: requests still running after the grace period are abandoned (each is bounded
    # by its extraction time budget anyway), then the worker processes are stopped
    uvicorn.run(app, host=args.host, port=args.port, log_config=None, access_log=False,
                proxy_headers=False, timeout_graceful_shutdown=int(settings.shutdown_grace_s))
    return 0


def _expiry(value: str | None) -> dt.datetime | None:
    if value is None:
        return None
    try:
        parsed = dt.datetime.fromisoformat(value.replace("Z", "+00:00"))
        parsed = parsed if parsed.tzinfo else parsed.replace(tzinfo=dt.UTC)
        parsed.astimezone(dt.UTC)
    except (ValueError, OverflowError) as e:
        raise UserError(f"--expires {value!r} is not an ISO date-time") from e
    if parsed <= dt.datetime.now(dt.UTC):
        raise UserError(f"--expires {value!r} is in the past")
    return parsed


@contextmanager
def _keys_session() -> Iterator[Session]:
    from api.db import DatabaseError, session_scope

    try:
        with session_scope(get_settings()) as session:
            yield session
    except DatabaseError as e:
        raise UserError(str(e)) from e


def run_keys_create(args: argparse.Namespace) -> int:
    """Create an API key of `args.role` named `args.name` (expiring at `args.expires`, if
    given); print the token once on stdout."""
    from api import store

    name = args.name.strip()
    if not name or len(name) > 200 or any(ord(c) < 32 for c in name):
        raise UserError("--name must be 1 to 200 printable characters")
    expires_at = _expiry(args.expires)
    addresses = [_address(a) for a in args.email]
    with _keys_session() as session:
        try:
            key, token = store.create_key(session, name=name, role=args.role,
                                          expires_at=expires_at, addresses=addresses)
        except ValueError as e:
            raise UserError(f"--email: {e}") from e
    print(token)
    print(f"created {key.role} key {key.id} ({key.name}); the key is shown only now, "
          "keep it safe", file=sys.stderr)
    return 0


def _address(value: str) -> str:
    """`value` as a registered sender address (`api.schemas.sender_address`, the rule the
    API applies too), or a one-line error."""
    from api.schemas import sender_address

    try:
        return sender_address(value)
    except ValueError:
        raise UserError(f"--email {value!r} is not an email address (name@domain)") from None


def run_keys_list(args: argparse.Namespace) -> int:
    """Every key, one line each: id, role, state, name, created, expires and its sender
    addresses, comma-separated or "-" (never a token)."""
    from api import store
    from api.routes.keys import key_state

    with _keys_session() as session:
        keys = store.list_keys(session)
        addresses = store.addresses_by_key(session)
    for key in keys:
        expires = key.expires_at.isoformat(timespec="seconds") if key.expires_at else "-"
        print(f"{key.id}\t{key.role}\t{key_state(key)}\t{key.name}\t"
              f"{key.created_at.isoformat(timespec='seconds')}\t{expires}\t"
              f"{','.join(addresses.get(key.id, [])) or '-'}")
    return 0


def run_keys_revoke(args: argparse.Namespace) -> int:
    """Revoke every live key named (or with the id) `args.name`, and their review sessions."""
    from api import store

    with _keys_session() as session:
        keys = store.live_keys_named(session, name=args.name)
        if not keys:
            raise UserError(f"no live key named {args.name!r}")
        for key in keys:
            store.revoke_key(session, key_id=key.id)
    for key in keys:
        print(f"revoked {key.role} key {key.id} ({key.name})", file=sys.stderr)
    return 0


def run_keys_rotate(args: argparse.Namespace) -> int:
    """Replace the live key named (or with the id) `args.name` by a new one with the same name,
    role and expiry; the old one is revoked. Prints the new token once on stdout."""
    from api import store

    with _keys_session() as session:
        keys = store.live_keys_named(session, name=args.name)
        if len(keys) != 1:
            raise UserError(f"no live key named {args.name!r}" if not keys else
                            f"{len(keys)} live keys are named {args.name!r}; give the key id "
                            "(stayform keys list)")
        new, token = store.rotate_key(session, key=keys[0])
    print(token)
    print(f"rotated {new.role} key {keys[0].id} -> {new.id} ({new.name}); the old key is "
          "revoked, the new one shown only now", file=sys.stderr)
    return 0


def run_export(args: argparse.Namespace) -> int:
    """Write the booking forms of auto-accepted and reviewed items (one row per stay) to
    `args.out` as CSV or XLSX; see api/forms_export.py."""
    import os
    import tempfile
    from pathlib import Path

    from api import forms_export

    try:
        statuses = forms_export.parse_statuses(args.status)
        since = forms_export.parse_since(args.since)
    except ValueError as e:
        raise UserError(f"--{str(e)}") from e
    out = Path(args.out)
    if not out.parent.is_dir():
        raise UserError(f"--out {args.out!r}: the folder {str(out.parent)!r} does not exist")
    with _keys_session() as session:
        data = forms_export.export_bytes(args.format, forms_export.iter_exported(
            session, statuses=statuses, since=since))
    # written beside the target and renamed: a failed export never leaves half a file
    fd, tmp = tempfile.mkstemp(dir=out.parent, prefix=f".{out.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "wb") as f:
            f.write(data)
        os.replace(tmp, out)
    except OSError as e:
        Path(tmp).unlink(missing_ok=True)
        raise UserError(f"--out {args.out!r}: {e.strerror or e}") from e
    print(f"wrote {args.out} ({args.format})", file=sys.stderr)
    return 0


def run_fetch(args: argparse.Namespace) -> int:
    """`stayform fetch`: pull an IMAP folder into the review queue (api/fetch.py), once or
    until Ctrl-C; every problem the user can fix is one line and exit status 1."""
    import asyncio
    import os

    from sqlalchemy.exc import SQLAlchemyError

    from api import db, fetch, imap, smtp
    from api.extraction import ExtractionService, ModelUnavailable

    try:
        url = imap.parse_url(args.url, starttls=args.starttls)
    except imap.FetchError as e:
        raise UserError(str(e)) from e
    if not args.interval > 0:
        raise UserError("--interval must be a number of seconds above 0")
    password = os.environ.get(args.password_env)
    if not password:
        raise UserError(f"I002: the environment variable {args.password_env} (the password "
                        f"of {url.account}) is not set")
    settings = get_settings()
    try:
        engine = db.make_engine(settings.database_url, pool_size=2)
        db.migrate(engine)
    except db.DatabaseError as e:
        raise UserError(str(e)) from e
    sessions = db.make_sessionmaker(engine)
    owner_of = _fetch_owner(sessions, args.agent)
    options = fetch.FetchOptions(url=url, password=password, starttls=args.starttls,
                                 insecure=args.insecure, once=args.once,
                                 interval_s=args.interval, move_to=args.move_to)
    loaded: list[ExtractionService] = []
    with asyncio.Runner() as runner:
        def store(raw: bytes, owner: str) -> tuple[str, bool]:
            if not loaded:  # at the first message: a login error is told before a model load
                loaded.append(ExtractionService.load(settings, concurrency=1))
            if not loaded[0].ready:
                raise ModelUnavailable(f"M001: model not loaded: {loaded[0].load_error}")
            return runner.run(smtp.store_message(sessions, loaded[0], raw=raw,
                                                 owner_key_id=owner))
        try:
            fetch.follow(options, sessions=sessions, store=store, owner_of=owner_of,
                         max_bytes=settings.max_email_bytes,
                         report=lambda line: print(line, file=sys.stderr))
        except imap.FetchError as e:
            raise UserError(str(e)) from e
        except ModelUnavailable as e:
            raise UserError(str(e)) from e
        except SQLAlchemyError as e:
            raise UserError(f"D003: the review queue cannot store ({type(e).__name__}); "
                            "run the fetch again, unmarked messages are read again") from e
        except KeyboardInterrupt:
            print("stayform fetch: stopped", file=sys.stderr)
        finally:
            engine.dispose()
    return 0


def _fetch_owner(sessions: sessionmaker[Session], agent: str | None
                 ) -> Callable[[bytes], str | None]:
    """Who owns a pulled message: the live agent key named (or with the id) `agent`, checked
    again for every message; without `agent`, the agent whose registered address is the
    message's From address (None: nobody's, left unmarked)."""
    from api import imap, store

    if agent is None:
        def by_sender(raw: bytes) -> str | None:
            address = imap.sender_address(raw)
            if address is None:
                return None
            with sessions() as session:
                return store.agent_for_sender(session, address=address)
        return by_sender

    with sessions() as session:
        keys = [k for k in store.live_keys_named(session, name=agent) if k.role == "agent"]
        key_ids = [k.id for k in keys]
    if len(key_ids) != 1:
        raise UserError(f"I007: no live agent key named {agent!r}" if not key_ids else
                        f"I007: {len(key_ids)} live agent keys are named {agent!r}; give the "
                        "key id (stayform keys list)")

    def fixed(raw: bytes) -> str | None:
        with sessions() as session:
            if not any(k.id == key_ids[0] for k in store.live_keys_named(
                    session, name=key_ids[0])):
                raise imap.FetchError(f"I007: the agent key {key_ids[0]} is no longer live")
        return key_ids[0]
    return fixed
