"""Import one export file: one transaction, one report."""

import gc
import multiprocessing
import os
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from multiprocessing.pool import Pool
from pathlib import Path

from django.db import connection, connections, transaction

from moderation.imports import disqus, wxr
from moderation.imports.matching import Matcher, read_map
from moderation.imports.records import DUPLICATE, EMPTY, Thread
from moderation.imports.report import Report
from moderation.imports.writer import Writer
from moderation.imports.xmlstream import Progress, detect_format, no_progress

READERS = {"wxr": wxr, "disqus": disqus}
# Below this, forking workers costs more than it saves.
PARALLEL_FROM_BYTES = 2 * 2**20
# Each worker holds ~40 MB of its own: more than two would break the import's
# memory budget (150 MB) for little gain, this process being busy too.
MAX_WORKERS = 2


@contextmanager
def workers(path: Path) -> Iterator[Pool | None]:
    """Processes that prepare the bodies (writer.prepare) on the CPUs this one
    leaves, for a file big enough; None: prepare them here."""
    cpus = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else 1
    count = min(MAX_WORKERS, cpus - 1)
    if (
        count < 1
        or path.stat().st_size < PARALLEL_FROM_BYTES
        or connection.in_atomic_block  # a caller's transaction: its connection stays
    ):
        yield None
        return
    # Forked before the transaction starts, with no connection open: a worker
    # never touches the database, and must not hold a copy of its socket.
    connections.close_all()
    # The workers' copies of this process's memory stay shared until written:
    # keep the garbage collector's own bookkeeping from writing them all
    # (https://docs.python.org/3/library/gc.html#gc.freeze).
    gc.freeze()
    pool = multiprocessing.get_context("fork").Pool(count)
    gc.unfreeze()
    try:
        yield pool
    finally:
        pool.terminate()
        pool.join()


def passes(fmt: str) -> int:
    """How many times the reader goes through the file (for the progress bar)."""
    return getattr(READERS[fmt], "PASSES", 1)


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
