"""Pytest plugin: a real, throwaway Dovecot IMAP server plus stdlib IMAP helpers.

Register with ``pytest_plugins = ["tests.imap_server"]`` in ``tests/conftest.py``.

Fixtures:
    ``dovecot`` (session) -> ImapServer: one Dovecot on a free 127.0.0.1 port.
    ``imap_mailbox`` (function) -> ImapServer: same server, INBOX, Processed
        and Rejected emptied first so tests don't see each other's mail.

Running as root (CI): Dovecot's master stays root, login processes run as
``dovenull`` and mail is stored as the ``dovecot`` system user.  Running as a
normal user: every Dovecot user/group setting is pointed at the current user
and chroots are disabled (a "rootless" Dovecot), so no privileges are needed;
only the ``dovecot`` binary must be installed (``scripts/install-test-deps.sh``,
as root).  Locally a missing binary skips; with ``CI=true`` it fails.
"""

from __future__ import annotations

import contextlib
import grp
import imaplib
import os
import pwd
import re
import shutil
import signal
import socket
import subprocess
import tempfile
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

DOVECOT_BIN = "/usr/sbin/dovecot"
USER = "comments"
PASSWORD = "secret"
FOLDERS = ("INBOX", "Processed", "Rejected")
# Generous upper bound; a healthy start takes well under a second.
START_TIMEOUT = 10.0
LOG_TAIL_LINES = 40


@dataclass(frozen=True)
class ImapServer:
    """Connection details of the running test Dovecot."""

    host: str
    port: int
    user: str
    password: str
    url: str
    log_path: Path
    config_path: Path


class DovecotStartError(RuntimeError):
    """Dovecot did not come up; the message carries the tail of its log."""


def _free_port() -> int:
    """Return a loopback TCP port that is free right now."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _tail(path: Path, lines: int = LOG_TAIL_LINES) -> str:
    """Return the last lines of a log file, or a note that it is missing."""
    try:
        text = path.read_text(errors="replace")
    except FileNotFoundError:
        return f"(no log written at {path})"
    return "\n".join(text.splitlines()[-lines:]) or f"(empty log at {path})"


def _accounts() -> tuple[pwd.struct_passwd, str, str, str]:
    """Return (mail owner, login user, internal user, internal group)."""
    if os.geteuid() == 0:
        # Dovecot refuses to run imap-login as root, so keep its unprivileged
        # defaults; mail belongs to the dovecot system user.
        return pwd.getpwnam("dovecot"), "dovenull", "dovecot", "dovecot"
    # Rootless: Dovecot cannot switch users or chown sockets to other groups,
    # so every role is the current user and its primary group.
    me = pwd.getpwuid(os.geteuid())
    return me, me.pw_name, me.pw_name, grp.getgrgid(me.pw_gid).gr_name


def _write_config(root: Path, port: int) -> Path:
    """Write a self-contained dovecot.conf (and passwd file) under root."""
    owner, login_user, internal_user, internal_group = _accounts()
    uid, gid = owner.pw_uid, owner.pw_gid
    mail_root = root / "mail"
    mail_root.mkdir()
    passwd = root / "passwd"
    # user:password:uid:gid:gecos:home:shell:extra -- serves passdb and userdb.
    passwd.write_text(f"{USER}:{{PLAIN}}{PASSWORD}:{uid}:{gid}::{mail_root / USER}::\n")
    if os.geteuid() == 0:
        # The auth process runs as the internal user and must read the file;
        # the mail processes run as the mail owner and create the maildir.
        os.chown(passwd, 0, pwd.getpwnam(internal_user).pw_gid)
        passwd.chmod(0o640)
        os.chown(mail_root, uid, gid)
    # Only root may chroot; rootless mode runs these services unchrooted.
    no_chroot = (
        ""
        if os.geteuid() == 0
        else "service anvil {\n  chroot =\n}\nservice imap-login {\n  chroot =\n}\n"
    )
    conf = root / "dovecot.conf"
    conf.write_text(
        f"""\
# Throwaway config written by tests/imap_server.py; never the system one.
protocols = imap
listen = 127.0.0.1
base_dir = {root / "run"}
state_dir = {root / "state"}
instance_name = sourcehat-test-{port}
log_path = {root / "dovecot.log"}
info_log_path = {root / "dovecot.log"}
shutdown_clients = yes

default_login_user = {login_user}
default_internal_user = {internal_user}
default_internal_group = {internal_group}
# Debian's default (500) would reject the dovecot system user's low uid.
first_valid_uid = {uid}
mail_uid = {uid}
mail_gid = {gid}

# Loopback only, no TLS: plain-text LOGIN must be allowed (2.3 spelling;
# 2.4 renames it auth_allow_cleartext).
ssl = no
disable_plaintext_auth = no
auth_mechanisms = plain login
# Wrong-password tests would otherwise sleep 2 s per failure.
auth_failure_delay = 0
auth_cache_size = 0

passdb {{
  driver = passwd-file
  args = scheme=PLAIN username_format=%u {passwd}
}}
userdb {{
  driver = passwd-file
  args = username_format=%u {passwd}
}}

mail_location = maildir:~/Maildir
# Test mail is disposable; skipping fsync keeps appends fast.
mail_fsync = never
namespace inbox {{
  inbox = yes
  mailbox INBOX {{
    auto = subscribe
  }}
  mailbox Processed {{
    auto = subscribe
  }}
  mailbox Rejected {{
    auto = subscribe
  }}
}}

# Disable anvil's per-IP auth penalty (auth can't open a mode-0 socket):
# after one failed login it delays every later login from 127.0.0.1, good
# ones included, by 2-15 s, which would make tests slow and order-dependent.
service anvil {{
  unix_listener anvil-auth-penalty {{
    mode = 0
  }}
}}
service imap-login {{
  inet_listener imap {{
    address = 127.0.0.1
    port = {port}
  }}
  inet_listener imaps {{
    port = 0
  }}
}}
{no_chroot}"""
    )
    return conf


def _diagnostics(root: Path) -> str:
    """Return Dovecot's stderr (config errors land there) and its log tail."""
    return (
        f"--- dovecot stderr ({root / 'dovecot.out'}) ---\n"
        f"{_tail(root / 'dovecot.out')}\n"
        f"--- tail of {root / 'dovecot.log'} ---\n{_tail(root / 'dovecot.log')}"
    )


def _wait_for_greeting(proc: subprocess.Popen[bytes], port: int, root: Path) -> None:
    """Block until the server greets on port, or raise with Dovecot's output."""
    deadline = time.monotonic() + START_TIMEOUT
    last_error: Exception | None = None
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise DovecotStartError(
                f"dovecot exited with status {proc.returncode} during startup.\n"
                + _diagnostics(root)
            )
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=1) as sock:
                greeting = sock.recv(512)
            if greeting.startswith(b"* OK"):
                return
            last_error = RuntimeError(f"unexpected greeting {greeting!r}")
        except OSError as exc:
            last_error = exc
        time.sleep(0.02)
    raise DovecotStartError(
        f"dovecot did not greet on 127.0.0.1:{port} within {START_TIMEOUT}s "
        f"(last error: {last_error}).\n" + _diagnostics(root)
    )


def _stop(proc: subprocess.Popen[bytes]) -> None:
    """Stop the foreground master; SIGTERM makes it shut down its children."""
    if proc.poll() is None:
        proc.send_signal(signal.SIGTERM)
        try:
            proc.wait(timeout=5)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait(timeout=5)


def _missing_dovecot(message: str) -> None:
    """Skip locally but fail on CI, where the IMAP tests must really run."""
    if os.environ.get("CI", "").lower() == "true":
        pytest.fail(
            f"{message} (CI=true: IMAP tests may not be skipped)", pytrace=False
        )
    pytest.skip(message)


@pytest.fixture(scope="session")
def dovecot() -> Iterator[ImapServer]:
    """Start one throwaway Dovecot for the test session and yield its details."""
    if not (os.path.isfile(DOVECOT_BIN) and os.access(DOVECOT_BIN, os.X_OK)):
        _missing_dovecot("Dovecot not installed: apt-get install dovecot-imapd")
    # Not tmp_path_factory: pytest's base dir is 0700 root-only, and Dovecot's
    # unprivileged processes must traverse the path to reach the maildir.
    root = Path(tempfile.mkdtemp(prefix="sourcehat-dovecot-"))
    root.chmod(0o755)
    proc: subprocess.Popen[bytes] | None = None
    try:
        # The free port can be taken between probing and binding; retry then.
        for attempt in range(3):
            port = _free_port()
            for child in root.iterdir():
                if child.is_dir():
                    shutil.rmtree(child)
                else:
                    child.unlink()
            conf = _write_config(root, port)
            # Config errors go to stderr before the log file is opened.
            with open(root / "dovecot.out", "wb") as out:
                proc = subprocess.Popen(
                    [DOVECOT_BIN, "-F", "-c", str(conf)],
                    stdin=subprocess.DEVNULL,
                    stdout=out,
                    stderr=subprocess.STDOUT,
                )
            try:
                _wait_for_greeting(proc, port, root)
                break
            except DovecotStartError as exc:
                _stop(proc)
                proc = None
                if attempt == 2 or "Address already in use" not in str(exc):
                    raise
        yield ImapServer(
            host="127.0.0.1",
            port=port,
            user=USER,
            password=PASSWORD,
            url=f"imap+plain://{USER}:{PASSWORD}@127.0.0.1:{port}/INBOX",
            log_path=root / "dovecot.log",
            config_path=conf,
        )
    finally:
        if proc is not None:
            _stop(proc)
        shutil.rmtree(root, ignore_errors=True)


@contextlib.contextmanager
def imap_connect(server: ImapServer) -> Iterator[imaplib.IMAP4]:
    """Yield a logged-in stdlib IMAP connection; log out on exit."""
    conn = imaplib.IMAP4(server.host, server.port, timeout=10)
    try:
        conn.login(server.user, server.password)
        yield conn
    finally:
        with contextlib.suppress(imaplib.IMAP4.error, OSError):
            conn.logout()


def _select(conn: imaplib.IMAP4, folder: str, *, readonly: bool = False) -> int:
    """Select folder and return its message count."""
    typ, data = conn.select(folder, readonly=readonly)
    if typ != "OK":
        raise imaplib.IMAP4.error(f"SELECT {folder} failed: {data!r}")
    return int(data[0] or 0)


def empty_folder(server: ImapServer, folder: str) -> None:
    """Delete and expunge every message in folder."""
    with imap_connect(server) as conn:
        if _select(conn, folder):
            conn.store("1:*", "+FLAGS.SILENT", r"(\Deleted)")
            conn.expunge()


def append_message(server: ImapServer, raw: bytes, folder: str = "INBOX") -> int:
    """Append raw RFC 5322 bytes to folder and return the new UID."""
    with imap_connect(server) as conn:
        typ, data = conn.append(folder, "", None, raw)
    if typ != "OK":
        raise imaplib.IMAP4.error(f"APPEND to {folder} failed: {data!r}")
    # UIDPLUS: "[APPENDUID <uidvalidity> <uid>] Append completed."
    match = re.search(rb"APPENDUID \d+ (\d+)", data[0] or b"")
    if match is None:
        raise imaplib.IMAP4.error(f"no APPENDUID in {data!r}")
    return int(match.group(1))


def list_uids(server: ImapServer, folder: str = "INBOX") -> list[int]:
    """Return the UIDs in folder, ascending."""
    with imap_connect(server) as conn:
        _select(conn, folder, readonly=True)
        typ, data = conn.uid("SEARCH", "ALL")
    if typ != "OK":
        raise imaplib.IMAP4.error(f"UID SEARCH in {folder} failed: {data!r}")
    return sorted(int(uid) for uid in (data[0] or b"").split())


def fetch_all(server: ImapServer, folder: str = "INBOX") -> list[bytes]:
    """Return the raw bytes of every message in folder, in UID order."""
    with imap_connect(server) as conn:
        if not _select(conn, folder, readonly=True):
            return []
        # BODY.PEEK keeps \Seen unset so the fetch doesn't alter the mailbox.
        typ, data = conn.uid("FETCH", "1:*", "(UID BODY.PEEK[])")
    if typ != "OK":
        raise imaplib.IMAP4.error(f"UID FETCH in {folder} failed: {data!r}")
    messages: list[tuple[int, bytes]] = []
    for item in data:
        # Literal responses come as (b'1 (UID 7 BODY[] {123}', b'<bytes>').
        if isinstance(item, tuple):
            match = re.search(rb"UID (\d+)", item[0])
            uid = int(match.group(1)) if match else 0
            messages.append((uid, item[1]))
    return [raw for _, raw in sorted(messages)]


@pytest.fixture
def imap_mailbox(dovecot: ImapServer) -> Iterator[ImapServer]:
    """Yield the session server with INBOX, Processed and Rejected emptied."""
    for folder in FOLDERS:
        empty_folder(dovecot, folder)
    yield dovecot
