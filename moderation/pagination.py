"""A paginator for the comment queue that doesn't COUNT 100,000 rows per page load."""

import json

from django.conf import settings
from django.core.paginator import Paginator
from django.db import connections
from django.utils.functional import cached_property


class QueuePaginator(Paginator):
    """Exact counts up to MODERATION_QUEUE_COUNT_CAP rows, an estimate beyond.

    The count is a LIMITed subquery, so it stops after the cap's index entries.
    Past the cap, PostgreSQL's planner estimate for the same query stands in (the
    page links stay usable; the number is shown as it is, an estimate); other
    databases report the cap. The admin index shows the exact pending count.
    """

    @cached_property
    def count(self) -> int:
        query, cap = self.object_list, settings.MODERATION_QUEUE_COUNT_CAP
        capped = query.order_by().values("pk")[: cap + 1].count()
        if capped <= cap:
            return capped
        return max(_planner_estimate(query) or 0, cap + 1)


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
