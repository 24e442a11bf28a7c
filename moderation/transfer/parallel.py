"""Preparing an import's bodies in forked worker processes: a speed trick of ours.

Turning exported bodies into our text and rendering them (writer.prepare) is
most of an import's work. For a big file it runs in up to two forked processes
while this one reads on and writes, which `make bench` shows is needed for the
target (2,000 comments a second at 100,000 comments, memory under 150 MB):

    make bench-import                  # 3,294 and 3,009 comments/s, 127 MB PSS
    taskset -c 0 make bench-import     # no workers: 1,563 and 1,727 comments/s

(2 CPUs, PostgreSQL 15, 2026-12-01, alternating runs.) Without a second CPU,
or for a small file, the bodies are prepared in this process instead.
"""

import gc
import multiprocessing
import os
from collections.abc import Iterator
from contextlib import contextmanager
from multiprocessing.pool import Pool
from pathlib import Path

from django.db import connection, connections

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
