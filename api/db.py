"""Database engines, sessions and migrations for the review queue.

SQLite is the default (a file created on first start, WAL journal so readers never block the
writer, a busy timeout so concurrent writers wait instead of failing); PostgreSQL is used when
`STAYFORM_DATABASE_URL` is a `postgresql+psycopg://` URL. The schema is created and upgraded
by Alembic (`api/migrations/`), run programmatically on start.
"""

from __future__ import annotations

import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from alembic import command
from alembic.config import Config
from sqlalchemy import Engine, create_engine, event, text
from sqlalchemy.engine import make_url
from sqlalchemy.orm import Session, sessionmaker

from stayform.settings import Settings

MIGRATIONS_DIR = Path(__file__).parent / "migrations"
SQLITE_BUSY_TIMEOUT_MS = 10_000
# An arbitrary constant: every process upgrading the same PostgreSQL database takes this lock,
# so two workers starting at once do not both create the tables.
_PG_MIGRATION_LOCK = 0x57A7F0


class DatabaseError(Exception):
    """The database URL is unusable (code D001) or the database cannot be reached (D002)."""

    def __init__(self, code: str, message: str) -> None:
        super().__init__(f"{code}: {message}")
        self.code = code


def make_engine(url: str, *, pool_size: int = 20) -> Engine:
    """An engine for `url` (SQLite file or PostgreSQL), configured for the review queue.

    SQLite: the parent folder is created, every connection gets WAL, a busy timeout and
    foreign keys. PostgreSQL: a connection pool of `pool_size` (plus as many overflow).
    """
    try:
        parsed = make_url(url)
    except Exception as e:  # sqlalchemy raises ArgumentError; say what the setting is
        raise DatabaseError("D001", f"STAYFORM_DATABASE_URL is not a database URL: {e}") from e
    if parsed.get_backend_name() == "sqlite":
        if parsed.database and parsed.database != ":memory:":
            Path(parsed.database).expanduser().parent.mkdir(parents=True, exist_ok=True)
        engine = create_engine(
            parsed,
            connect_args={"check_same_thread": False, "timeout": SQLITE_BUSY_TIMEOUT_MS / 1000},
            pool_size=pool_size,
            max_overflow=pool_size,
        )
        event.listen(engine, "connect", _sqlite_pragmas)
        return engine
    if parsed.get_backend_name() == "postgresql":
        return create_engine(
            parsed, pool_size=pool_size, max_overflow=pool_size, pool_pre_ping=True
        )
    raise DatabaseError("D001", f"unsupported database {parsed.get_backend_name()!r}; "
                        "use sqlite:///FILE or postgresql+psycopg://...")


def _sqlite_pragmas(dbapi_connection: Any, _record: Any) -> None:
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute(f"PRAGMA busy_timeout={SQLITE_BUSY_TIMEOUT_MS}")
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA synchronous=NORMAL")  # safe with WAL; fsync at checkpoints only
    cursor.close()


def alembic_config(url: str) -> Config:
    """An Alembic configuration for `url` without an alembic.ini (the CLI is not needed)."""
    cfg = Config()
    cfg.set_main_option("script_location", str(MIGRATIONS_DIR))
    cfg.set_main_option("sqlalchemy.url", url.replace("%", "%%"))
    return cfg


def migrate(engine: Engine) -> None:
    """Upgrade the database behind `engine` to the newest schema (`alembic upgrade head`).

    Raises DatabaseError D002 when the database cannot be reached.
    """
    cfg = alembic_config(engine.url.render_as_string(hide_password=False))
    try:
        with engine.begin() as connection:
            if engine.dialect.name == "postgresql":
                connection.execute(text("SELECT pg_advisory_xact_lock(:k)"),
                                   {"k": _PG_MIGRATION_LOCK})
            cfg.attributes["connection"] = connection
            command.upgrade(cfg, "head")
    except DatabaseError:
        raise
    except Exception as e:
        if type(e).__module__.startswith("sqlalchemy") or "psycopg" in type(e).__module__:
            raise DatabaseError("D002", f"cannot reach or upgrade the database: {e}") from e
        raise


def make_sessionmaker(engine: Engine) -> sessionmaker[Session]:
    """Sessions whose objects stay readable after commit (handlers return them afterwards)."""
    return sessionmaker(engine, expire_on_commit=False)


def ping(engine: Engine) -> bool:
    """True when the database answers a trivial query."""
    try:
        with engine.connect() as connection:
            connection.execute(text("SELECT 1"))
        return True
    except Exception:
        return False


_engines: dict[str, sessionmaker[Session]] = {}
_engines_lock = threading.Lock()


def _shared_sessionmaker(url: str) -> sessionmaker[Session]:
    # One engine per URL per process, migrated once: the batch command calls session_scope
    # for every message and must not reconnect or re-run Alembic each time.
    with _engines_lock:
        if url not in _engines:
            engine = make_engine(url, pool_size=5)
            migrate(engine)
            _engines[url] = make_sessionmaker(engine)
        return _engines[url]


@contextmanager
def session_scope(settings: Settings) -> Iterator[Session]:
    """A session on `settings.database_url` outside FastAPI (the batch command, the CLI).

    The schema is upgraded on first use. Commits when the block ends normally, rolls back
    when it raises, closes always.
    """
    session = _shared_sessionmaker(settings.database_url)()
    try:
        yield session
        session.commit()
    except BaseException:
        session.rollback()
        raise
    finally:
        session.close()
