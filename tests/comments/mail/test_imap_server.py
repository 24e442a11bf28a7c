"""Tests proving the throwaway Dovecot fixture behaves like the real thing."""

from __future__ import annotations

import imaplib
from email.message import EmailMessage

import pytest

from tests.imap_server import (
    ImapServer,
    append_message,
    fetch_all,
    imap_connect,
    list_uids,
)


def _message(n: int) -> bytes:
    """Build a small distinct RFC 5322 message."""
    msg = EmailMessage()
    msg["From"] = f"reader{n}@example.org"
    msg["To"] = "comments@example.org"
    msg["Subject"] = f"Comment {n}"
    msg["Message-ID"] = f"<comment-{n}@example.org>"
    msg.set_content(f"Comment body number {n}.\n")
    return bytes(msg)


def test_fixture_url_uses_plain_scheme_on_loopback(imap_mailbox: ImapServer) -> None:
    assert imap_mailbox.url == (
        f"imap+plain://comments:secret@127.0.0.1:{imap_mailbox.port}/INBOX"
    )


def test_three_appends_three_uids(imap_mailbox: ImapServer) -> None:
    appended = [append_message(imap_mailbox, _message(n)) for n in range(3)]

    assert list_uids(imap_mailbox, "INBOX") == appended
    assert len(set(appended)) == 3
    bodies = fetch_all(imap_mailbox, "INBOX")
    assert len(bodies) == 3
    for n, raw in enumerate(bodies):
        assert b"Subject: Comment %d\r\n" % n in raw


def test_mailbox_fixture_starts_empty_each_test(imap_mailbox: ImapServer) -> None:
    # Runs after the append test in file order: its mail must be gone.
    for folder in ("INBOX", "Processed", "Rejected"):
        assert list_uids(imap_mailbox, folder) == []
        assert fetch_all(imap_mailbox, folder) == []


def test_uid_move_to_processed_moves_message(imap_mailbox: ImapServer) -> None:
    uids = [append_message(imap_mailbox, _message(n)) for n in range(2)]
    raw = _message(0)

    with imap_connect(imap_mailbox) as conn:
        conn.select("INBOX")
        typ, data = conn.uid("MOVE", str(uids[0]), "Processed")
    assert typ == "OK", data

    assert list_uids(imap_mailbox, "INBOX") == [uids[1]]
    assert len(list_uids(imap_mailbox, "Processed")) == 1
    assert fetch_all(imap_mailbox, "Processed") == [raw.replace(b"\n", b"\r\n")]


def test_capabilities_after_login_include_idle_move_uidplus(
    imap_mailbox: ImapServer,
) -> None:
    with imap_connect(imap_mailbox) as conn:
        typ, data = conn.capability()
    assert typ == "OK"
    caps = set(data[0].decode().upper().split())
    assert {"IDLE", "MOVE", "UIDPLUS"} <= caps


def test_folders_processed_and_rejected_exist_and_are_subscribed(
    imap_mailbox: ImapServer,
) -> None:
    with imap_connect(imap_mailbox) as conn:
        _, subscribed = conn.lsub()
    # Each line looks like: (\HasNoChildren) "." Processed
    names = {line.rsplit(b" ", 1)[-1].strip(b'"') for line in subscribed}
    assert {b"INBOX", b"Processed", b"Rejected"} <= names


def test_wrong_password_login_refused(imap_mailbox: ImapServer) -> None:
    conn = imaplib.IMAP4(imap_mailbox.host, imap_mailbox.port, timeout=10)
    try:
        with pytest.raises(imaplib.IMAP4.error, match="AUTHENTICATIONFAILED"):
            conn.login(imap_mailbox.user, "not-the-password")
    finally:
        conn.shutdown()
