"""Import one export file: one transaction, one report."""

from collections.abc import Callable
from pathlib import Path

from django.db import transaction

from moderation.transfer import disqus, wxr
from moderation.transfer.matching import Matcher, read_map
from moderation.transfer.parallel import workers
from moderation.transfer.records import DUPLICATE, EMPTY, Thread
from moderation.transfer.report import Report
from moderation.transfer.writer import Writer
from moderation.transfer.xmlstream import Progress, detect_format, no_progress

READERS = {"wxr": wxr, "disqus": disqus}


def passes(fmt: str) -> int:
    """How many times the reader goes through the file (for the progress bar)."""
    return READERS[fmt].PASSES


def import_file(
    path: Path,
    *,
    map_path: Path | None = None,
    create_articles: bool = False,
    dry_run: bool = False,
    progress: Callable[[str], Progress] = lambda fmt: no_progress,
) -> Report:
    """Import an export's comments; ImportFileError (nothing stored) when it
    can't be read. dry_run: the same work, rolled back. progress(format) gives
    the callback that is told each block of bytes read."""
    fmt = detect_format(path)
    reader = READERS[fmt]
    report = Report(file=path.name, format=fmt, dry_run=dry_run)
    with workers(path) as pool, transaction.atomic():
        matcher = Matcher(
            links=read_map(map_path) if map_path else {}, create=create_articles
        )
        writer = Writer(
            system=reader.SYSTEM, note=f"imported from {path.name}", pool=pool
        )
        for item in reader.read(path, progress(fmt)):
            if isinstance(item, Thread):
                # Posts without comments too; pages only for their comments.
                if create_articles and item.post and item.post.kind == "post":
                    matcher.article_id(item)
            elif item.skip:
                report.skipped[item.skip] += 1
            elif (article_id := matcher.article_id(item.thread)) is None:
                report.no_article(
                    item.thread.key, item.thread.link or item.thread.title
                )
            else:
                writer.add(item, article_id)
        writer.finish()
        report.imported.update(writer.stored)
        for reason, count in ((DUPLICATE, writer.duplicates), (EMPTY, writer.empty)):
            if count:
                report.skipped[reason] += count
        report.replies, report.articles_created = writer.replies, matcher.created
        if dry_run:
            transaction.set_rollback(True)
    return report
