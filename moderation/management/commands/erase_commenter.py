"""Erase a commenter's address and name everywhere, and their text unless kept.

Removes the address and any name from all their comments (shown as "Anonymous")
and from the stored emails they sent (sender, name, subject and the raw message,
whose headers hold the address). Their text is blanked and published comments are
taken down, unless an editor chose --keep-published-text, which keeps the text of
published comments only. Each comment gets an "erase" decision in the log, without
the address. Running it again finds nothing more to erase.

This can't be undone: it asks first (--no-input to skip the question, for
scripts); --dry-run counts what would be erased and changes nothing.

Example: manage.py erase_commenter reader@example.org --dry-run
"""

from django.core.management.base import CommandError, CommandParser

from config.commands import DocumentedCommand
from moderation.erasure import erase_commenter


class Command(DocumentedCommand):
    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("email", help="the commenter's email address")
        parser.add_argument(
            "--keep-published-text",
            action="store_true",
            help="keep the text of their published comments (now anonymous)",
        )
        parser.add_argument(
            "--dry-run",
            action="store_true",
            help="count what would be erased, change nothing",
        )
        parser.add_argument(
            "--no-input",
            "--noinput",
            action="store_false",
            dest="interactive",
            help="don't ask for confirmation",
        )

    def handle(self, *args: object, **options: object) -> None:
        email = str(options["email"]).strip()
        if not email:
            raise CommandError("give the commenter's email address")
        keep = bool(options["keep_published_text"])
        planned = erase_commenter(email=email, keep_published_text=keep, dry_run=True)
        if options["dry_run"]:
            self.stdout.write(planned.summary())
            return
        if options["interactive"]:
            self.stdout.write(planned.summary())
            answer = input(f"Erase {email} for good? This can't be undone. [y/N] ")
            if answer.strip().lower() not in ("y", "yes"):
                raise CommandError("nothing erased")
        report = erase_commenter(email=email, keep_published_text=keep)
        self.stdout.write(report.summary())
