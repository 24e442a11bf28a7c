"""Store one email read from stdin and queue it as a comment (a mail server pipe).

The envelope recipient comes from --recipient, else the ORIGINAL_RECIPIENT
environment variable, else the message's own headers. Prints one line (or, with
--json, one object with outcome, reason, article, comment, inbound_email).

Exit 0 once the message is stored, whatever became of it (queued, ignored,
rejected, failed: editors see it in the admin); 75 (EX_TEMPFAIL) when the
database is unreachable, the configuration can't be loaded, or
anything unexpected happens, so the mail server keeps the message and retries.
Never answers the sender. Standard output is that one line and nothing else
(what the processing prints, such as the console mail backend's copy of the
editors' notice, goes to standard error).
"""

from __future__ import annotations

import json
import os
import sys
from argparse import ArgumentParser
from contextlib import redirect_stdout
from typing import BinaryIO

from django.conf import settings

from comments.mail.pipeline import ingest_raw_email, outage
from config.commands import DocumentedCommand

EX_TEMPFAIL = 75  # sysexits.h: Postfix and Exim defer and retry
_CHUNK = 1024 * 1024


class Command(DocumentedCommand):
    # A pipe must not fail on a system-check warning: Postfix would bounce.
    requires_system_checks: list[str] = []

    def add_arguments(self, parser: ArgumentParser) -> None:
        parser.add_argument(
            "--recipient",
            default=os.environ.get("ORIGINAL_RECIPIENT", ""),
            help="envelope recipient (Postfix: ${original_recipient})",
        )
        parser.add_argument("--json", action="store_true", help="print one JSON object")

    def handle(self, *args: object, **options: object) -> None:
        if settings.DATABASE_URL_ERROR:  # config/settings.py: defer, never bounce
            self.stderr.write(
                "4.3.0 configuration error, the mail server will retry "
                f"(DATABASE_URL: {settings.DATABASE_URL_ERROR})"
            )
            raise SystemExit(EX_TEMPFAIL)
        try:
            raw = read_capped(sys.stdin.buffer, settings.MAX_EMAIL_BYTES)
            # self.stdout was bound to the real stdout when the command was made.
            with redirect_stdout(sys.stderr):
                result = ingest_raw_email(raw, recipient=str(options["recipient"]))
        except Exception as exc:  # anything: the MTA must keep the message
            down = outage(exc)
            what = f"{down} unavailable" if down else "error"
            detail = " ".join(f"{type(exc).__name__}: {exc}".split())[:300]
            self.stderr.write(f"4.3.0 {what}, the mail server will retry ({detail})")
            raise SystemExit(EX_TEMPFAIL) from None
        if options["json"]:
            self.stdout.write(json.dumps(result.as_json()))
        else:
            self.stdout.write(result.summary())


def read_capped(stream: BinaryIO, cap: int) -> bytes:
    """Up to cap + 1 bytes (one more tells "too large"); the rest is drained."""
    data = stream.read(cap + 1)
    if len(data) > cap:
        # Read to the end so the MTA's write never fails with a broken pipe.
        while stream.read(_CHUNK):
            pass
    return data
