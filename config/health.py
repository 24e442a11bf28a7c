"""The site's parts, as an operator asks after them: /healthz and moderation_report.

The database is the site: without it nothing works. The cache only makes the site
faster (settings.py decides what its outage means), so its state is reported,
never a reason to call the site down: an orchestrator that restarted web
processes over a Redis outage would restart working processes and mend nothing.
"""

from django.core.cache import cache
from django.db import DatabaseError, connection
from django.utils.crypto import get_random_string

OK = "ok"
UNAVAILABLE = "unavailable"


def database_state() -> str:
    """ "ok" when the database answers a query, else "unavailable"."""
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
    except DatabaseError:
        return UNAVAILABLE
    return OK


def cache_state() -> str:
    """ "ok" when the cache keeps what it is given, else "unavailable".

    A write read back: an unreachable Redis answers neither with an error (its
    outage is a miss, settings.py), so only the value coming back tells.
    """
    token = get_random_string(12)
    try:
        cache.set("healthz", token, timeout=10)
        kept = cache.get("healthz")
    except DatabaseError:  # the database cache, with the database down
        return UNAVAILABLE
    return OK if kept == token else UNAVAILABLE
