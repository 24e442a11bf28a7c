"""Import a blog's comments from a WordPress (WXR) or Disqus export.

Each thread goes to the article its link or post name names (/2014/test/ -> test),
or the one a map file gives; with --create-articles, a post or thread that matches
nothing becomes an article. Comments keep their author, email, date, the status
the export gives, and whom they answered. The whole file is one transaction: a
broken file stops with the place named and stores nothing (exit 1). Running it
again imports nothing new.
"""

import sys
from collections.abc import Callable
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError, CommandParser
from tqdm import tqdm

from moderation.transfer.records import ImportFileError
from moderation.transfer.workflow import import_file, passes


class Command(BaseCommand):
    help = "Import a blog's comments from a WordPress (WXR) or Disqus export."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.epilog = (
            "Comments keep their author, email, date, status and whom they "
            "answered. The file is imported whole or not at all: a broken one "
            "stops with the place named (exit 1). Running it again imports "
            "nothing new."
        )
        parser.add_argument(
            "file",
            type=Path,
            help="A WordPress export (WXR, any version) or a Disqus XML export; "
            "the format is read from the file.",
        )
        parser.add_argument(
            "--map",
            type=Path,
            dest="map_path",
            metavar="FILE",
            help="Lines of `old-link,slug` for threads whose link and post name "
            "match no article (/2014/test/ finds the article test without it).",
        )
        parser.add_argument(
            "--create-articles",
            action="store_true",
            help="Make an article of each post or thread that matches none "
            "(a draft unless it was public).",
        )
        parser.add_argument(
            "--dry-run",
            action="store_true",
            help="Read, match and report; store nothing.",
        )

    def handle(self, *args: object, **options: object) -> None:
        path: Path = options["file"]
        try:
            size = path.stat().st_size
        except OSError as exc:
            raise CommandError(f"{path}: can't read it ({exc.strerror})") from exc
        # No monitor thread: a big file's workers are forked, and a fork should
        # not copy a running thread's locks.
        tqdm.monitor_interval = 0
        # A progress bar only on a terminal (not in cron mail or a log).
        bar = tqdm(
            total=size,
            unit="B",
            unit_scale=True,
            desc=path.name,
            file=sys.stderr,
            disable=not sys.stderr.isatty(),
        )

        def progress(fmt: str) -> Callable[[int], object]:
            bar.total = size * passes(fmt)
            return bar.update

        try:
            with bar:
                report = import_file(
                    path,
                    map_path=options["map_path"],
                    create_articles=options["create_articles"],
                    dry_run=options["dry_run"],
                    progress=progress,
                )
        except ImportFileError as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write("\n".join(report.lines()))
