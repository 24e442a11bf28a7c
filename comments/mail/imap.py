"""The IMAP side of polling: where the mailbox is, connecting, acknowledging.

``IMAP_URL`` names the mailbox, e.g. ``imaps://user:password@host:993/INBOX``:

- ``imaps://`` TLS from the first byte (port 993 by default);
- ``imap://`` plain connection upgraded with STARTTLS, which is required: a
  server without it is refused rather than sent the password in clear;
- ``imap+plain://`` no TLS at all, for a server on the loopback interface only
  (a local Dovecot, the tests).

User and password are percent-decoded (``%40`` for an "@" in a user name); the
path is the folder to read (INBOX when empty). Messages are acknowledged only
after their outcome is committed, by UID MOVE (RFC 6851) to the processed or
rejected folder, else UID COPY + \\Deleted + UID EXPUNGE (RFC 4315); never a
bare EXPUNGE, which would remove other clients' deleted mail too (EMAIL-SPEC §13).
"""

from __future__ import annotations

import ipaddress
import ssl
from dataclasses import dataclass
from urllib.parse import unquote, urlsplit

from django.core.exceptions import ImproperlyConfigured
from imapclient import IMAPClient

SCHEMES = {"imaps": 993, "imap": 143, "imap+plain": 143}
TIMEOUT_SECONDS = 60
FETCH_BODY = b"BODY[]"
FETCH_HEADER = b"BODY[HEADER]"
FETCH_SIZE = b"RFC822.SIZE"


@dataclass(frozen=True)
class ImapMailbox:
    """Where to poll, parsed from IMAP_URL (the password is never printed)."""

    scheme: str
    host: str
    port: int
    username: str
    password: str
    folder: str

    @property
    def label(self) -> str:
        """The URL without the password: the MailboxState key, safe to log."""
        return f"{self.scheme}://{self.username}@{self.host}:{self.port}/{self.folder}"


def parse_imap_url(url: str) -> ImapMailbox:
    """An ImapMailbox from IMAP_URL; ImproperlyConfigured with the reason."""
    if not url:
        raise ImproperlyConfigured("IMAP_URL is not set")
    parts = urlsplit(url)
    scheme = parts.scheme.lower()
    if scheme not in SCHEMES:
        raise ImproperlyConfigured(
            f"IMAP_URL scheme must be one of {', '.join(SCHEMES)}, not {scheme!r}"
        )
    if not parts.hostname or parts.username is None:
        raise ImproperlyConfigured("IMAP_URL needs a user and a host")
    if scheme == "imap+plain" and not is_loopback(parts.hostname):
        raise ImproperlyConfigured(
            "imap+plain:// sends the password unencrypted: loopback hosts only; "
            "use imaps:// or imap:// (STARTTLS)"
        )
    try:
        port = parts.port or SCHEMES[scheme]
    except ValueError as exc:
        raise ImproperlyConfigured(f"IMAP_URL port: {exc}") from None
    return ImapMailbox(
        scheme=scheme,
        host=parts.hostname,
        port=port,
        username=unquote(parts.username),
        password=unquote(parts.password or ""),
        folder=unquote(parts.path.lstrip("/")) or "INBOX",
    )


def is_loopback(host: str) -> bool:
    if host.lower() == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def connect(mailbox: ImapMailbox) -> IMAPClient:
    """A logged-in client with the folder selected read-write."""
    context = ssl.create_default_context()
    client = IMAPClient(
        mailbox.host,
        port=mailbox.port,
        ssl=mailbox.scheme == "imaps",
        ssl_context=context if mailbox.scheme == "imaps" else None,
        timeout=TIMEOUT_SECONDS,
    )
    try:
        if mailbox.scheme == "imap":
            # IMAPClient raises if the server has no STARTTLS: we never fall
            # back to sending the password in clear.
            client.starttls(context)
        client.login(mailbox.username, mailbox.password)
    except Exception:
        client.shutdown()
        raise
    return client


def ensure_folders(client: IMAPClient, *folders: str) -> None:
    """Create the processed/rejected folders when missing."""
    for folder in folders:
        if not client.folder_exists(folder):
            client.create_folder(folder)


def move(client: IMAPClient, uid: int, folder: str) -> None:
    """Move one message out of the selected folder (after its commit)."""
    if client.has_capability("MOVE"):
        client.move([uid], folder)
        return
    client.copy([uid], folder)
    client.add_flags([uid], [b"\\Deleted", b"\\Seen"], silent=True)
    if client.has_capability("UIDPLUS"):
        client.uid_expunge([uid])
    # Without UIDPLUS the message stays flagged \Deleted; the UID cursor keeps
    # us from reading it again, and a bare EXPUNGE could remove others' mail.
