"""Send the word back to writers whose day is up (one message an address a day)."""

from django.core.management.base import BaseCommand

from moderation.word_back import deliver_due


class Command(BaseCommand):
    help = "Send writers the word back that waits for them (at most one a day each)."

    def create_parser(self, prog_name: str, subcommand: str, **kwargs: object):
        kwargs.setdefault(
            "epilog",
            "The task worker does this by itself with a backend that can defer "
            "tasks (django_tasks_db); run it from cron where the backend can't.",
        )
        return super().create_parser(prog_name, subcommand, **kwargs)

    def handle(self, *args: object, **options: object) -> None:
        sent = deliver_due()
        self.stdout.write(f"{sent} item(s) sent.")
