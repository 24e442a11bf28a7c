"""Read new mail from the IMAP mailbox in IMAP_URL into the comment queue.

IMAP_URL: imaps://user:password@host:993/INBOX (TLS), imap://... (STARTTLS,
required) or imap+plain://... (no TLS, loopback only). Each message is stored
and processed like a piped one, then moved to IMAP_PROCESSED_FOLDER (queued,
ignored) or IMAP_REJECTED_FOLDER (rejected); both are created when missing.

Without --watch: one batch, one line ("fetched 12: queued 9, ignored 2,
rejected 1"), exit 0 (1 on an error, which is also recorded for the admin).
With --watch: keep going, waiting with IMAP IDLE when the server has it (else
every --interval seconds), one line per non-empty batch, reconnecting with
backoff after errors; SIGTERM stops it within a second or two, a message being
read left stored and unacknowledged for the next run. Only one
poller reads a mailbox at a time; a second one says so (and, with --watch,
waits its turn).
"""

from __future__ import annotations

import signal
from argparse import ArgumentParser
from types import FrameType

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.core.management.base import CommandError

from comments.mail import poller
from comments.mail.imap import parse_imap_url
from config.commands import DocumentedCommand


class Command(DocumentedCommand):
    def add_arguments(self, parser: ArgumentParser) -> None:
        parser.add_argument("--watch", action="store_true", help="keep polling")
        parser.add_argument(
            "--interval",
            type=float,
            default=60.0,
            help="seconds between polls without IDLE (default 60)",
        )
        parser.add_argument(
            "--batch", type=int, default=50, help="messages per batch (default 50)"
        )

    def handle(self, *args: object, **options: object) -> None:
        try:
            mailbox = parse_imap_url(settings.IMAP_URL)
        except ImproperlyConfigured as exc:
            raise CommandError(str(exc)) from None
        self._stopping = False
        signal.signal(signal.SIGTERM, self._stop)
        signal.signal(signal.SIGINT, self._stop)
        watch = bool(options["watch"])
        interval = max(float(options["interval"]), 1.0)
        waiting_said = False
        while not self._stopping:
            try:
                with poller.poller_lock(mailbox.label) as lock:
                    poller.run(
                        mailbox,
                        lock=lock,
                        watch=watch,
                        interval=interval,
                        batch=max(int(options["batch"]), 1),
                        should_stop=lambda: self._stopping,
                        report=lambda counts: self.stdout.write(counts.line()),
                    )
                return
            except poller.PollerBusy:
                if not watch:
                    self.stderr.write(
                        f"another fetch_email holds the lock for {mailbox.label}; "
                        "nothing to do"
                    )
                    return
                if not waiting_said:
                    self.stderr.write("another fetch_email holds the lock; waiting")
                    waiting_said = True
                poller.sleep(interval, lambda: self._stopping)
            except poller.LockLost as exc:
                self.stderr.write(f"lost the poller lock ({exc}); taking it again")
                poller.sleep(interval, lambda: self._stopping)
            except Exception as exc:  # recorded on MailboxState by the poller
                message = " ".join(f"{type(exc).__name__}: {exc}".split())
                if not watch:
                    raise CommandError(f"polling failed: {message}") from None
                # The database (or the lock's connection) is down: wait, retry.
                self.stderr.write(f"polling failed: {message}; retrying")
                poller.sleep(interval, lambda: self._stopping)

    def _stop(self, signum: int, frame: FrameType | None) -> None:
        self._stopping = True
