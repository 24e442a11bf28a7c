"""Forget readers' personal data once it is no longer needed (safe to run from cron).

Past PERSONAL_DATA_RETENTION_DAYS (default 30): blanks the IP address and user agent
of comments, and drops the raw bytes of stored emails and the text read from them
(the comment itself, the sender, the subject and the outcome stay). With
--spam-older-than DAYS it also deletes spam and rejected comments submitted more
than DAYS ago, on purpose.
Running it twice changes nothing the second time. --dry-run only counts.
"""

from datetime import timedelta

from django.conf import settings
from django.core.management.base import CommandError, CommandParser
from django.db import transaction
from django.utils import timezone

from comments.models import Comment, InboundEmail
from config.commands import DocumentedCommand


class Command(DocumentedCommand):
    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--spam-older-than",
            type=int,
            metavar="DAYS",
            help="Also delete spam and rejected comments submitted over DAYS ago.",
        )
        parser.add_argument(
            "--dry-run", action="store_true", help="Count, change nothing."
        )

    def handle(self, *args: object, **options: object) -> None:
        now = timezone.now()
        days = settings.PERSONAL_DATA_RETENTION_DAYS
        cutoff = now - timedelta(days=days)
        network = Comment.objects.submitted_before(cutoff).holding_network_data()
        raw = InboundEmail.objects.older_than(cutoff).raw_kept()
        doomed = Comment.objects.none()
        if options["spam_older_than"] is not None:
            if options["spam_older_than"] < 0:
                raise CommandError("--spam-older-than needs 0 or more days.")
            doomed = Comment.objects.turned_down().submitted_before(
                now - timedelta(days=options["spam_older_than"])
            )
        verb = "would" if options["dry_run"] else "did"
        with transaction.atomic():
            if options["dry_run"]:
                counts = (network.count(), raw.count(), doomed.count())
            else:
                counts = (
                    network.update(ip_address=None, user_agent=""),
                    raw.update(raw=b"", extracted_text="", raw_purged_at=now),
                    doomed.delete()[1].get("comments.Comment", 0),
                )
        self.stdout.write(
            f"Older than {days} days: {verb} blank the IP address and browser of "
            f"{counts[0]} comment(s) and drop the raw copy of {counts[1]} email(s)."
        )
        if options["spam_older_than"] is not None:
            self.stdout.write(
                f"{verb.capitalize()} delete {counts[2]} spam or rejected comment(s) "
                f"older than {options['spam_older_than']} days."
            )
