"""A throw-away Dovecot IMAP server for the mailbox-pull tests (Debian's `dovecot-imapd`,
installed by `make dovecot`), as tests/api/postgres.py starts PostgreSQL.

`dovecot -F -c CONF` runs in the foreground with a config of its own in a temporary folder:
plain IMAP and IMAPS (a self-signed certificate made here with openssl) on free loopback
ports, users and passwords from a passwd-file, Maildirs, base and state folders, all inside
that folder; nothing of the system's Dovecot is read or touched. Dovecot runs "rootless" (one
user for every process, no chroot): the current user, or, when the tests run as root, the
package's unprivileged `dovecot` user, since Dovecot refuses to access mail as root.
"""

from __future__ import annotations

import grp
import os
import pwd
import shutil
import socket
import subprocess
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

USER = "anna"
PASSWORD = "imap-test-secret"


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def dovecot_binary() -> str:
    """The path of Debian's dovecot (in /usr/sbin, which a user's PATH may lack)."""
    found = shutil.which("dovecot") or shutil.which("dovecot", path="/usr/sbin:/usr/local/sbin")
    if found is None:
        raise RuntimeError("dovecot is missing: run 'make dovecot' (apt-get install "
                           "dovecot-imapd)")
    return found


@dataclass(frozen=True)
class Dovecot:
    """A running server: where it listens and who may log in."""

    imap_port: int
    imaps_port: int
    user: str
    password: str
    folder: Path

    def url(self, mailbox: str = "INBOX", *, tls: bool = False) -> str:
        """The `stayform fetch` URL of `mailbox`: IMAPS port when `tls`, plain IMAP else."""
        port = self.imaps_port if tls else self.imap_port
        return f"imap://{self.user}@127.0.0.1:{port}/{mailbox}"


def _config(folder: Path, *, run_as: pwd.struct_passwd, imap_port: int, imaps_port: int) -> str:
    user = run_as.pw_name
    return f"""
protocols = imap
listen = 127.0.0.1
base_dir = {folder}/run
state_dir = {folder}/state
log_path = {folder}/dovecot.log
ssl = yes
ssl_cert = <{folder}/cert.pem
ssl_key = <{folder}/key.pem
disable_plaintext_auth = no
auth_mechanisms = plain login
auth_failure_delay = 0
default_internal_user = {user}
default_internal_group = {grp.getgrgid(run_as.pw_gid).gr_name}
default_login_user = {user}
first_valid_uid = {run_as.pw_uid}
first_valid_gid = {run_as.pw_gid}
mail_location = maildir:{folder}/mail/%u
passdb {{
  driver = passwd-file
  args = scheme=PLAIN username_format=%u {folder}/passwd
}}
userdb {{
  driver = passwd-file
  args = username_format=%u {folder}/passwd
}}
service anvil {{
  chroot =
}}
service imap-login {{
  chroot =
  inet_listener imap {{
    address = 127.0.0.1
    port = {imap_port}
  }}
  inet_listener imaps {{
    address = 127.0.0.1
    port = {imaps_port}
    ssl = yes
  }}
}}
"""


def self_signed(folder: Path) -> tuple[Path, Path]:
    """A certificate for 127.0.0.1 and its key, made with openssl in `folder` (as PEM files
    cert.pem and key.pem); returns their paths."""
    subprocess.run(["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "2",
                    "-subj", "/CN=localhost", "-addext", "subjectAltName=IP:127.0.0.1",
                    "-keyout", str(folder / "key.pem"), "-out", str(folder / "cert.pem")],
                   check=True, capture_output=True, timeout=60)
    return folder / "cert.pem", folder / "key.pem"


def _wait_listening(port: int, process: subprocess.Popen[bytes], log: Path) -> None:
    deadline = time.monotonic() + 20
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError("dovecot stopped at start:\n"
                               + (log.read_text(errors="replace")[-2000:] if log.exists()
                                  else ""))
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=1):
                return
        except OSError:
            time.sleep(0.05)
    raise RuntimeError("dovecot did not listen within 20 s")


@contextmanager
def dovecot_server() -> Iterator[Dovecot]:
    """Start a throw-away Dovecot with one user (`USER` / `PASSWORD`); stopped and its folder
    deleted when the block ends."""
    binary = dovecot_binary()
    run_as = pwd.getpwnam("dovecot") if os.geteuid() == 0 else pwd.getpwuid(os.geteuid())
    folder = Path(tempfile.mkdtemp(prefix="stayform-dovecot-"))
    imap_port, imaps_port = _free_port(), _free_port()
    try:
        (folder / "mail").mkdir()
        self_signed(folder)
        (folder / "passwd").write_text(
            f"{USER}:{{PLAIN}}{PASSWORD}:{run_as.pw_uid}:{run_as.pw_gid}::{folder}/home::\n")
        conf = folder / "dovecot.conf"
        conf.write_text(_config(folder, run_as=run_as, imap_port=imap_port,
                                imaps_port=imaps_port))
        if os.geteuid() == 0:  # the unprivileged user must own what it writes and reads
            for path in (folder, *folder.rglob("*")):
                os.chown(path, run_as.pw_uid, run_as.pw_gid)
        # started as the current user (root included): Dovecot drops to `run_as` itself
        process = subprocess.Popen([binary, "-F", "-c", str(conf)], stdin=subprocess.DEVNULL,
                                   stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        try:
            _wait_listening(imap_port, process, folder / "dovecot.log")
            _wait_listening(imaps_port, process, folder / "dovecot.log")
            yield Dovecot(imap_port=imap_port, imaps_port=imaps_port, user=USER,
                          password=PASSWORD, folder=folder)
        finally:
            process.terminate()
            try:
                process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait(timeout=10)
    finally:
        shutil.rmtree(folder, ignore_errors=True)
