"""Fixed-window counts in Django's cache, shared by every worker process: the
posting rate limit, and screening's count of comments from one address."""

import logging
import re
import time

from django.core.cache import cache

logger = logging.getLogger("sourcehat.comments")

_PERIODS = {"s": 1, "m": 60, "h": 3600, "d": 86400}


def parse_rate(rate: str) -> tuple[int, int] | None:
    """ "5/m" -> (5, 60); "" / "0" / "off" -> None (no limit)."""
    match = re.fullmatch(r"\s*(\d+)\s*/\s*(\d*)([smhd])\s*", rate or "")
    if not match or int(match[1]) == 0:
        return None
    return int(match[1]), int(match[2] or 1) * _PERIODS[match[3]]


def over_limit(scope: str, ident: str, rate: str) -> bool:
    """Count one hit for ident; True once it is over the rate.

    With the cache unreachable nothing can be counted: the hit is let through
    (and the outage logged) rather than refusing every reader.
    """
    parsed = parse_rate(rate)
    if parsed is None:
        return False
    limit, period = parsed
    try:
        return count_hit(scope, ident, period) > limit
    except Exception:
        logger.warning("rate limit not counted: cache unavailable", exc_info=True)
        return False


def count_hit(scope: str, ident: str, period: int) -> int:
    """Count one hit for ident in the current period-long window; returns the
    window's hits so far, this one included. Raises when the cache is down."""
    key = f"rl:{scope}:{ident}:{int(time.time() // period)}"
    try:
        return cache.incr(key)  # the usual case: one round trip
    except ValueError:  # the window's first hit
        if cache.add(key, 1, timeout=period + 1):
            return 1
        return cache.incr(key)  # another worker's first hit came in between
