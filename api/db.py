"""Database engines, sessions and migrations for the review queue.

SQLite is the default (a file created on first start, WAL journal so readers never block the
writer, a busy timeout so concurrent writers wait instead of failing); PostgreSQL is used when
`STAYFORM_DATABASE_URL` is a `postgresql+psycopg://` URL. The schema is created and upgraded
by Alembic (`api/migrations/`), run programmatically on start.
"""

from __future__ import annotations

import os
import threading
import weakref
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
    # deleted rows are overwritten with zeros, not left in free pages for anyone reading the file
    cursor.execute("PRAGMA secure_delete=ON")
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
    """Sessions whose objects stay readable after commit (handlers return them afterwards);
    on SQLite their write transactions take turns (`_take_turns`)."""
    sessions = sessionmaker(engine, expire_on_commit=False)
    if engine.dialect.name == "sqlite":
        _take_turns(sessions)
    return sessions


def _take_turns(sessions: sessionmaker[Session]) -> None:
    """Let the sessions' write transactions run one at a time, in the order they ask.

    SQLite lets one writer in; the others retry on its busy timeout, sleeping longer each
    time (up to 100 ms), so under load a writer that came early can lose to every later one:
    with 50 clients posting emails, a few requests waited several times longer than the
    median. A lock in the process, taken before the first write of a transaction and given
    back when it ends, makes them queue instead. Only this process's writers take it (another
    process, `stayform batch --queue`, still meets the busy timeout), and a writer that waits
    longer than the busy timeout goes on without it, as before."""
    lock = threading.Lock()

    @event.listens_for(sessions, "before_flush")
    def _take(session: Session, _context: Any, _instances: Any) -> None:
        if not session.info.get("writing") and (session.new or session.dirty or session.deleted):
            session.info["writing"] = lock.acquire(timeout=SQLITE_BUSY_TIMEOUT_MS / 1000)

    @event.listens_for(sessions, "after_transaction_end")
    def _give(session: Session, transaction: Any) -> None:
        if transaction.parent is None and session.info.pop("writing", False):
            lock.release()


# the (device, inode) of each watched engine's SQLite file when the service started
_started_files: weakref.WeakKeyDictionary[Engine, tuple[int, int] | None] = (
    weakref.WeakKeyDictionary())


class DatabaseGone(Exception):
    """The SQLite file the service started on was deleted, replaced or made unreadable: its
    pooled connections would go on writing into a file nobody will ever open again."""


def _identity(path: Path) -> tuple[int, int] | None:
    try:
        st = path.stat()
    except OSError:
        return None
    return (st.st_dev, st.st_ino)


def sqlite_path(engine: Engine) -> Path | None:
    """The file of a SQLite engine; None for PostgreSQL and in-memory SQLite."""
    database = engine.url.database
    if engine.dialect.name != "sqlite" or not database or database == ":memory:":
        return None
    return Path(database).expanduser().absolute()


def watch_sqlite_file(engine: Engine) -> None:
    """From now on, every connection taken from `engine`'s pool first checks that its SQLite
    file is still the one it was (same device and inode): a deleted or replaced file raises
    DatabaseGone (a 503), where writes used to succeed into the deleted file."""
    path = sqlite_path(engine)
    if path is None:
        return
    started = _identity(path)

    def check(_dbapi_connection: Any, _record: Any, _proxy: Any) -> None:
        if _identity(path) != started:
            raise DatabaseGone("D003: the database file was deleted or replaced")

    event.listen(engine, "checkout", check)
    _started_files[engine] = started


def problem(engine: Engine) -> str | None:
    """Why the database cannot serve requests now; None when it can.

    It must answer a trivial query; a SQLite file must also still be the file the service
    started on and be writable (opened read-write, as SQLite does: a read-only file, folder
    or mount, or a file that is gone, answers reads and fails every write)."""
    path = sqlite_path(engine)
    if path is not None:
        identity = _identity(path)
        if identity is None:
            return "the database file is gone"
        if identity != _started_files.get(engine, identity):
            return "the database file was replaced"
        for file in (path, path.with_name(path.name + "-wal")):
            if file.exists() or file == path:
                try:
                    os.close(os.open(file, os.O_RDWR))
                except OSError as e:
                    return f"the database file is not writable ({e.strerror})"
        if not os.access(path.parent, os.W_OK):
            return "the database folder is not writable"
    try:
        with engine.connect() as connection:
            connection.execute(text("SELECT 1"))
            if engine.dialect.name == "postgresql" and connection.execute(
                    text("SELECT current_setting('transaction_read_only')")).scalar() == "on":
                return "the database is read-only"
    except Exception as e:  # noqa: BLE001 - any failure means not ready
        return f"the database does not answer ({type(e).__name__})"
    return None


def ping(engine: Engine) -> bool:
    """True when the database can serve requests (`problem` finds none)."""
    return problem(engine) is None


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
