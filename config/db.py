"""A read that is its own connection health check, for the hottest queries."""

from collections.abc import Callable
from typing import TypeVar

from django.db import InterfaceError, OperationalError, connections
from django.db.backends.base.base import BaseDatabaseWrapper

T = TypeVar("T")


def read(alias: str, run: Callable[[BaseDatabaseWrapper], T]) -> T:
    """run(connection), replacing a connection the server dropped, once.

    CONN_HEALTH_CHECKS sends a "SELECT 1" before a request's first query, a round
    trip as long as the cached article page's whole query or a third of posting's
    reads. A read-only query can be the check itself: on a dropped connection it
    fails at once, and is run again on a new one. Inside a transaction it can't
    (closing would break the caller's transaction), so there the error stands.
    """
    connection = connections[alias]
    connection.health_check_done = True
    try:
        return run(connection)
    except (InterfaceError, OperationalError):
        if connection.in_atomic_block:
            raise
        connection.close()
        return run(connection)
