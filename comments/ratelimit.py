"""Fixed-window counts in Django's cache, shared by every worker process: the
posting rate limit, and screening's count of comments from one address."""

import re
import time

from django.core.cache import cache

_PERIODS = {"s": 1, "m": 60, "h": 3600, "d": 86400}


def parse_rate(rate: str) -> tuple[int, int] | None:
    """ "5/m" -> (5, 60); "" / "0" / "off" -> None (no limit)."""
    match = re.fullmatch(r"\s*(\d+)\s*/\s*(\d*)([smhd])\s*", rate or "")
    if not match or int(match[1]) == 0:
        return None
    return int(match[1]), int(match[2] or 1) * _PERIODS[match[3]]


def over_limit(scope: str, ident: str, rate: str) -> bool:
    """Count one hit for ident; True once it is over the rate."""
    parsed = parse_rate(rate)
    return parsed is not None and count_hit(scope, ident, parsed[1]) > parsed[0]


def count_hit(scope: str, ident: str, period: int) -> int:
    """Count one hit for ident in the current period-long window; returns the
    window's hits so far, this one included.

    With Redis unreachable nothing is counted (settings.py decides: its calls
    answer None): 0, so a reader is let through rather than refused.
    """
    key = f"rl:{scope}:{ident}:{int(time.time() // period)}"
    try:
        count = cache.incr(key)  # the usual case: one round trip
    except ValueError:  # the window's first hit, unless another worker's came first
        count = 1 if cache.add(key, 1, timeout=period + 1) else cache.incr(key)
    return count or 0
