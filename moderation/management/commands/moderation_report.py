"""Print the moderation queue's health, and optionally alert editors to old comments.

Printed: the pending count, the oldest pending comment, the median time to a
decision (30 days), when the mailbox was last read, and the cache's state.

With --alert-after HOURS, also email the editors about each comment that has waited
longer than that: once per comment, however often the command runs (for cron).
"""

from django.core.management.base import CommandError, CommandParser

from config.commands import DocumentedCommand
from config.health import cache_state
from moderation.overdue import alert_overdue
from moderation.queue import queue_health


class Command(DocumentedCommand):
    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--alert-after",
            type=float,
            metavar="HOURS",
            help="Email the editors once about each comment pending longer.",
        )

    def handle(self, *args: object, **options: object) -> None:
        hours = options["alert_after"]
        if hours is not None and not hours > 0:  # "nan" is no number of hours
            raise CommandError("--alert-after takes a number of hours above 0.")
        health = queue_health()
        oldest = "—"
        if health.oldest_pending_at:
            since = f"{health.oldest_pending_at:%Y-%m-%d %H:%M %Z}"
            oldest = f"{health.oldest_pending_text} (since {since})"
        polled = (
            f"{health.last_mail_poll_at:%Y-%m-%d %H:%M %Z}"
            if health.last_mail_poll_at
            else "never"
        )
        self.stdout.write(f"Pending comments: {health.pending}")
        self.stdout.write(f"Oldest pending: {oldest}")
        self.stdout.write(
            f"Median time to a decision (30 days): {health.median_decision_text}"
        )
        self.stdout.write(f"Mailbox last read: {polled}")
        self.stdout.write(f"Cache: {cache_state()}")
        if hours is None:
            return
        result = alert_overdue(hours=hours)
        self.stdout.write(result.summary())
