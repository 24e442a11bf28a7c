"""Poll the IMAP mailbox into the pipeline: idempotent, one poller at a time.

Per message (EMAIL-SPEC §13): fetch with BODY.PEEK[] (nothing marked \\Seen),
ingest and commit, and only then move it to the processed or rejected folder
and advance the UID cursor. A crash between the commit and the move fetches the
message again next time, and the dedupe key makes that a no-op: at-least-once
fetching plus an idempotent store gives exactly one comment per message.

A message whose processing failed (a bug, not bad mail) stays in the inbox; the
cursor moves past it and editors re-process it from the admin.
"""

from __future__ import annotations

import hashlib
import logging
import time
from collections import Counter
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field

from django.conf import settings
from django.db import DatabaseError, close_old_connections, connection
from django.utils import timezone
from filelock import FileLock, Timeout
from imapclient import IMAPClient

from comments.mail import imap
from comments.mail.budget import Budget, Stopped
from comments.mail.pipeline import IngestResult, ingest_raw_email
from comments.models import InboundOutcome, MailboxState

logger = logging.getLogger("sourcehat.comments.mail")

# RFC 2177: clients should re-issue IDLE at least every 29 minutes.
IDLE_SECONDS = 25 * 60
MAX_BACKOFF_SECONDS = 300
PROCESSED_OUTCOMES = (InboundOutcome.QUEUED, InboundOutcome.IGNORED)

StopCheck = Callable[[], bool]


class PollerBusy(Exception):
    """Another fetch_email holds the lock for this mailbox."""


class LockLost(Exception):
    """The lock's connection dropped, so another poller may have started."""


@dataclass
class BatchCounts:
    """What one poll did, for the per-batch line and MailboxState.last_batch."""

    outcomes: Counter[str] = field(default_factory=Counter)

    @property
    def fetched(self) -> int:
        return sum(self.outcomes.values())

    def add(self, result: IngestResult) -> None:
        self.outcomes[result.outcome] += 1

    def line(self) -> str:
        """ "fetched 12: queued 9, ignored 2, rejected 1" (failed only if any)."""
        parts = [f"{name} {self.outcomes[name]}" for name in PROCESSED_OUTCOMES]
        parts.append(f"rejected {self.outcomes[InboundOutcome.REJECTED]}")
        if self.outcomes[InboundOutcome.FAILED]:
            parts.append(f"failed {self.outcomes[InboundOutcome.FAILED]}")
        return f"fetched {self.fetched}: {', '.join(parts)}"

    def as_json(self) -> dict[str, int]:
        return {"fetched": self.fetched, **self.outcomes}


class PollerLock:
    """Held for the poller's whole run; see ``poller_lock``."""

    def __init__(self, raw_connection: object | None) -> None:
        self._raw = raw_connection

    def check(self) -> None:
        """Raise LockLost when the PostgreSQL session holding the lock is gone."""
        if self._raw is None:
            return
        try:
            self._raw.execute("SELECT 1")  # type: ignore[attr-defined]
        except Exception as exc:
            raise LockLost(str(exc)) from exc


@contextmanager
def poller_lock(label: str) -> Iterator[PollerLock]:
    """One poller per mailbox: an advisory lock (PostgreSQL) or a file lock.

    The PostgreSQL lock is session-level and lives on a dedicated connection:
    Django's own connection may be closed and reopened between polls
    (close_old_connections, CONN_MAX_AGE), which would silently drop it.
    """
    key = int.from_bytes(
        hashlib.sha256(f"fetch_email:{label}".encode()).digest()[:8],
        "big",
        signed=True,
    )
    if connection.vendor == "postgresql":
        raw = connection.get_new_connection(connection.get_connection_params())
        raw.autocommit = True
        try:
            row = raw.execute("SELECT pg_try_advisory_lock(%s)", [key]).fetchone()
            if not row[0]:
                raise PollerBusy(label)
            yield PollerLock(raw)
        finally:
            raw.close()  # ends the session, which releases the lock
        return
    settings.VAR_DIR.mkdir(parents=True, exist_ok=True)
    lock = FileLock(str(settings.VAR_DIR / f"fetch_email-{key & 0xFFFFFFFF:08x}.lock"))
    try:
        lock.acquire(timeout=0)
    except Timeout:
        raise PollerBusy(label) from None
    try:
        yield PollerLock(None)
    finally:
        lock.release()


def poll_once(
    client: IMAPClient,
    mailbox: imap.ImapMailbox,
    *,
    batch: int,
    should_stop: StopCheck = lambda: False,
) -> BatchCounts:
    """Ingest up to ``batch`` new messages; record the heartbeat."""
    _refresh_db_connection()
    state, _ = MailboxState.objects.get_or_create(mailbox=mailbox.label)
    selected = client.select_folder(mailbox.folder)
    uidvalidity = int(selected[b"UIDVALIDITY"])
    if state.uidvalidity != uidvalidity:
        # RFC 3501 §2.3.1.1: old UIDs mean nothing now; start over and let the
        # dedupe key skip what was already stored (Discourse imap/sync.rb).
        state.uidvalidity, state.last_uid = uidvalidity, 0
        state.save(update_fields=["uidvalidity", "last_uid"])
    # "N:*" always matches the newest message, even below N: filter again.
    found = client.search(["UID", f"{state.last_uid + 1}:*"])
    uids = sorted(uid for uid in found if uid > state.last_uid)[:batch]
    sizes = client.fetch(uids, [imap.FETCH_SIZE]) if uids else {}
    counts = BatchCounts()
    for uid in uids:
        if should_stop():
            break
        size = sizes.get(uid, {}).get(imap.FETCH_SIZE)
        if size is not None:
            try:
                result = _ingest_one(client, uid, int(size), should_stop)
            except Stopped:
                break  # stored, not acknowledged: read again next run
            if result is not None:
                _acknowledge(client, uid, result)
                counts.add(result)
        # Only after the commit and the move: a crash before here re-reads it.
        state.last_uid = uid
        state.save(update_fields=["last_uid"])
    state.last_success_at = timezone.now()
    state.last_batch = counts.as_json()
    state.last_error = ""
    state.save(update_fields=["last_success_at", "last_batch", "last_error"])
    return counts


def _ingest_one(
    client: IMAPClient, uid: int, size: int, should_stop: StopCheck
) -> IngestResult | None:
    too_large = size > settings.MAX_EMAIL_BYTES
    # Never download an oversized message: its headers are enough to record it.
    part = "BODY.PEEK[HEADER]" if too_large else "BODY.PEEK[]"
    key = imap.FETCH_HEADER if too_large else imap.FETCH_BODY
    data = client.fetch([uid], [part]).get(uid, {})
    raw = data.get(key)
    if raw is None:  # expunged by someone else meanwhile
        return None
    budget = Budget(should_stop=should_stop)
    return ingest_raw_email(bytes(raw), channel="imap", size=size, budget=budget)


def _acknowledge(client: IMAPClient, uid: int, result: IngestResult) -> None:
    if result.outcome in PROCESSED_OUTCOMES:
        imap.move(client, uid, settings.IMAP_PROCESSED_FOLDER)
    elif result.outcome == InboundOutcome.REJECTED:
        imap.move(client, uid, settings.IMAP_REJECTED_FOLDER)


def _refresh_db_connection() -> None:
    # A long-running poller outlives connections (server restarts, CONN_MAX_AGE);
    # what a request does at its start. Never inside a transaction (tests).
    if not connection.in_atomic_block:
        close_old_connections()


def record_error(mailbox: imap.ImapMailbox, exc: BaseException) -> None:
    """Keep the last error on MailboxState (best effort: the DB may be down)."""
    message = " ".join(f"{type(exc).__name__}: {exc}".split())[:2000]
    logger.error("polling %s failed: %s", mailbox.label, message)
    try:
        _refresh_db_connection()
        MailboxState.objects.update_or_create(
            mailbox=mailbox.label,
            defaults={"last_error": message, "last_error_at": timezone.now()},
        )
    except DatabaseError:
        logger.exception("could not record the polling error")


def wait_for_mail(
    client: IMAPClient, *, interval: float, should_stop: StopCheck
) -> None:
    """IDLE until new mail arrives (RFC 2177), else sleep ``interval`` seconds."""
    if not client.has_capability("IDLE"):
        sleep(interval, should_stop)
        return
    client.idle()
    try:
        deadline = time.monotonic() + IDLE_SECONDS
        while not should_stop() and time.monotonic() < deadline:
            # Short checks so SIGTERM is noticed within a second.
            responses = client.idle_check(timeout=1)
            if any(len(r) > 1 and r[1] in (b"EXISTS", b"RECENT") for r in responses):
                return
    finally:
        client.idle_done()


def sleep(seconds: float, should_stop: StopCheck) -> None:
    """Sleep, waking early when asked to stop."""
    deadline = time.monotonic() + seconds
    while not should_stop() and time.monotonic() < deadline:
        time.sleep(min(0.5, max(0.0, deadline - time.monotonic())))


def run(
    mailbox: imap.ImapMailbox,
    *,
    lock: PollerLock,
    watch: bool,
    interval: float,
    batch: int,
    should_stop: StopCheck,
    report: Callable[[BatchCounts], None],
) -> None:
    """Poll once, or (watch) until asked to stop, reconnecting with backoff."""
    backoff = 1.0
    while not should_stop():
        client: IMAPClient | None = None
        try:
            client = imap.connect(mailbox)
            imap.ensure_folders(
                client, settings.IMAP_PROCESSED_FOLDER, settings.IMAP_REJECTED_FOLDER
            )
            while not should_stop():
                lock.check()
                counts = poll_once(
                    client, mailbox, batch=batch, should_stop=should_stop
                )
                backoff = 1.0
                if not watch or counts.fetched:
                    report(counts)
                if not watch:
                    return
                if counts.fetched < batch:  # a full batch: more may be waiting
                    wait_for_mail(client, interval=interval, should_stop=should_stop)
        except LockLost:
            raise
        except Exception as exc:
            record_error(mailbox, exc)
            if not watch:
                raise
            sleep(backoff, should_stop)
            backoff = min(backoff * 2, MAX_BACKOFF_SECONDS)
        finally:
            if client is not None:
                _logout(client)


def _logout(client: IMAPClient) -> None:
    try:
        client.logout()
    except Exception:  # the connection may already be gone
        try:
            client.shutdown()
        except Exception:
            logger.debug("IMAP shutdown failed", exc_info=True)
