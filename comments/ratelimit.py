"""A fixed-window rate limit in Django's cache, shared by every worker process."""

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
    if parsed is None:
        return False
    limit, period = parsed
    key = f"rl:{scope}:{ident}:{int(time.time() // period)}"
    if cache.add(key, 1, timeout=period + 1):
        return limit < 1
    try:
        return cache.incr(key) > limit
    except ValueError:  # expired between add and incr
        cache.set(key, 1, timeout=period + 1)
        return False
