"""Export every article and its comments as WXR 1.2, which WordPress and Disqus import.

By default the published comments, with their names and dates as shown; --all
adds every other status (pending as 0, spam, rejected as trash: WordPress's
comment_approved values). Readers' email addresses only with --with-emails.
Comments not yet routed to an article have no place in WXR and are counted, not
written. Our own import reads the file back character for character.
"""

import os
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError, CommandParser

from moderation.transfer.export import export_wxr


class Command(BaseCommand):
    help = "Export every article and its comments as WXR 1.2 (WordPress's format)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.epilog = (
            "WordPress and Disqus import the file, and so does import_comments, "
            "which reads every comment back as it was written. Comments not yet "
            "routed to an article have no place in it: they are counted, not "
            "written."
        )
        parser.add_argument(
            "file",
            type=Path,
            help="Where to write it (written beside it first, then renamed).",
        )
        parser.add_argument(
            "--all",
            action="store_true",
            dest="all_statuses",
            help="Every comment, whatever its status: pending as 0, spam as spam, "
            "rejected as trash (default: the published ones).",
        )
        parser.add_argument(
            "--with-emails",
            action="store_true",
            help="Include the readers' email addresses (private: mind where the "
            "file goes).",
        )

    def handle(self, *args: object, **options: object) -> None:
        path: Path = options["file"]
        partial = path.with_name(path.name + ".part")
        try:
            # Written beside it, then renamed: never a half-written export.
            with partial.open("w", encoding="utf-8") as out:
                counts = export_wxr(
                    out,
                    all_statuses=options["all_statuses"],
                    with_emails=options["with_emails"],
                )
            os.replace(partial, path)
        except OSError as exc:
            partial.unlink(missing_ok=True)
            raise CommandError(f"{path}: can't write it ({exc})") from exc
        self.stdout.write(
            f"Wrote {path}: {counts.articles} articles, {counts.comments} comments"
            + (
                f"; {counts.unrouted} not yet routed to an article, not exported"
                if counts.unrouted
                else ""
            )
        )
