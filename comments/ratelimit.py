"""A fixed-window rate limit in Django's cache, shared by every worker process."""

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
    try:
        return _count_hit(scope, ident, *parsed)
    except Exception:
        logger.warning("rate limit not counted: cache unavailable", exc_info=True)
        return False


def _count_hit(scope: str, ident: str, limit: int, period: int) -> bool:
    key = f"rl:{scope}:{ident}:{int(time.time() // period)}"
    if cache.add(key, 1, timeout=period + 1):
        return limit < 1
    try:
        return cache.incr(key) > limit
    except ValueError:  # expired between add and incr
        cache.set(key, 1, timeout=period + 1)
        return False
