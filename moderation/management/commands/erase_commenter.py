"""Erase a commenter: `erase_commenter EMAIL [--keep-published-text]`.

Removes the address and any name from all their comments (shown as "Anonymous")
and from the stored emails they sent (sender, name, subject and the raw message,
whose headers hold the address). Their text is blanked and published comments are
taken down, unless an editor chose --keep-published-text, which keeps the text of
published comments only. Each comment gets an "erase" decision in the log, without
the address. Running it again finds nothing more to erase.
"""

from django.core.management.base import BaseCommand, CommandParser

from moderation.erasure import erase_commenter


class Command(BaseCommand):
    help = __doc__

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("email", help="The commenter's email address.")
        parser.add_argument(
            "--keep-published-text",
            action="store_true",
            help="Keep the text of their published comments (now anonymous).",
        )

    def handle(self, *args: object, **options: object) -> None:
        report = erase_commenter(
            email=options["email"], keep_published_text=options["keep_published_text"]
        )
        self.stdout.write(report.summary())
