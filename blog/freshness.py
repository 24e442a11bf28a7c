"""Telling every worker that an article row changed, through the shared cache.

The cached article page needs four fields of the article's row on every request
(pagecache.PageState). Reading them from PostgreSQL cost more CPU than the rest of
the cached page (the server's share included), so each worker keeps the rows it
read, stamped with the "generation" that was current in the shared cache before it
read them, and reuses a row only while the generation is unchanged. Every write to
an article row moves the generation on after its commit, so no worker can reuse a
row read before that write: it checks the generation (one cache read) on every
request. The stamp is read before the row, so a row read just before a commit is
stamped with the generation the commit then replaces.

A new generation is a random number, not an increment: a racing writer can't
write the same value twice, and a cache that restarted can't come back to a value
some worker stamped a row with. Writes that bypass the ORM (psql, a script) are not
seen; a kept row is read again after ROW_SECONDS anyway. A cache that isn't shared
between workers (LocMemCache) must not carry this: there the rows are always read.
"""

import secrets
import time
from collections import OrderedDict
from collections.abc import Callable

from django.core.cache import caches
from django.core.cache.backends.locmem import LocMemCache
from django.db import transaction

GENERATION_KEY = "blog:articles:generation"
ROW_SECONDS = 10.0
KEPT_ROWS = 1024  # per worker: article rows, a few hundred bytes each
_kept: OrderedDict[str, tuple[int, float, dict | None]] = OrderedDict()


def articles_changed() -> None:
    """Make every worker read article rows afresh (now, and again after commit).

    After the commit is what guarantees it; the move now makes a test's or a
    long transaction's own next read see its write too.
    """
    _move_on()
    transaction.on_commit(_move_on, robust=True)


def _move_on() -> None:
    caches["default"].set(GENERATION_KEY, secrets.randbits(62), timeout=None)


def generation() -> int | None:
    """The current generation, or None when rows must be read every time."""
    cache = caches["default"]
    if isinstance(cache, LocMemCache):
        return None  # each process would have its own generation
    current = cache.get(GENERATION_KEY)
    if current is None:
        # The cache was emptied or restarted: start a generation, and read the
        # row this time (another worker may be starting one too).
        cache.add(GENERATION_KEY, secrets.randbits(62), timeout=None)
    return current


def kept_row(slug: str, read: Callable[[str], dict | None]) -> dict | None:
    """read(slug), or this worker's copy of it while no article changed."""
    stamp = generation()  # before the row: see above
    kept = _kept.get(slug)
    if (
        stamp is not None
        and kept is not None
        and kept[0] == stamp
        and time.monotonic() - kept[1] < ROW_SECONDS
    ):
        return kept[2]
    row = read(slug)
    if stamp is not None:
        _kept[slug] = (stamp, time.monotonic(), row)
        _kept.move_to_end(slug)
        while len(_kept) > KEPT_ROWS:
            _kept.popitem(last=False)
    return row


def forget_kept_rows() -> None:
    """Empty this worker's copies (tests that start cold)."""
    _kept.clear()
