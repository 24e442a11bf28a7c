"""Counts in Django's cache, shared by every worker process, through django-ratelimit:
the posting rate limit, and screening's count of comments from one address.

django-ratelimit counts in fixed windows that each key starts at its own offset
from the clock (so not every window ends at once). With Redis unreachable it
counts nothing and lets the reader through (RATELIMIT_FAIL_OPEN, settings.py).
"""

import re

from django_ratelimit.core import get_usage

# The largest count the busy-address signal ever needs: it reads the count only.
_UNCOUNTED = 10**9


def over_limit(scope: str, ident: str, rate: str) -> bool:
    """Count one hit for ident; True once it is over the rate ("5/m"; "", "0" or
    "off": no limit)."""
    if not re.fullmatch(r"\s*[1-9]\d*\s*/\s*\d*[smhd]\s*", rate or ""):
        return False
    usage = _hit(scope, ident, rate.replace(" ", ""))
    return usage is not None and usage["should_limit"]


def count_hit(scope: str, ident: str, period: int) -> int:
    """Count one hit for ident in the current period-long window; returns the
    window's hits so far, this one included (0 when nothing could be counted)."""
    usage = _hit(scope, ident, (_UNCOUNTED, period))
    return usage["count"] if usage is not None else 0


def _hit(scope: str, ident: str, rate: str | tuple[int, int]) -> dict | None:
    return get_usage(
        None, group=scope, key=lambda group, request: ident, rate=rate, increment=True
    )
