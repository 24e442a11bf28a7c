"""A paginator for the comment queue that doesn't COUNT 100,000 rows per page load."""

import json

from django.core.paginator import Paginator
from django.db import connections
from django.db.models import QuerySet
from django.utils.functional import cached_property

COUNT_CAP = 10_000


class QueuePaginator(Paginator):
    """Exact counts up to COUNT_CAP rows, an estimate beyond (issue 6).

    The count is a LIMITed subquery, so it stops after COUNT_CAP index entries.
    Past the cap, PostgreSQL's planner estimate for the same query stands in (the
    page links stay usable; the number is shown as it is, an estimate); other
    databases report the cap. The admin index shows the exact pending count.
    """

    @cached_property
    def count(self) -> int:
        return capped_count(self.object_list)


def capped_count(queryset: QuerySet) -> int:
    """The exact count up to COUNT_CAP rows (a LIMITed subquery: it stops after
    COUNT_CAP index entries), PostgreSQL's planner estimate beyond (at least
    COUNT_CAP + 1; other databases report just that)."""
    capped = queryset.order_by().values("pk")[: COUNT_CAP + 1].count()
    if capped <= COUNT_CAP:
        return capped
    return max(_planner_estimate(queryset) or 0, COUNT_CAP + 1)


def _planner_estimate(queryset: object) -> int | None:
    connection = connections[queryset.db]
    if connection.vendor != "postgresql":
        return None
    sql, params = queryset.order_by().values("pk").query.sql_with_params()
    with connection.cursor() as cursor:
        cursor.execute(f"EXPLAIN (FORMAT JSON) {sql}", params)
        plan = cursor.fetchone()[0]
    plan = json.loads(plan) if isinstance(plan, str) else plan
    return int(plan[0]["Plan"]["Plan Rows"])
