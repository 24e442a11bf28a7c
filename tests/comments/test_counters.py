"""The rate limit and the busy-address signal count in the shared cache: here on a
real Redis server, as in production (the other tests use the database cache)."""

import pytest

from comments.models import Comment
from comments.screening import BUSY_IP_WINDOW
from tests.conftest import away_from_a_window_edge

pytestmark = pytest.mark.django_db


def _post(client, article, n: int, ip: str = "203.0.113.7"):
    return client.post(
        f"/articles/{article.slug}/comment/",
        {"body": f"Comment number {n} from one desk."},
        REMOTE_ADDR=ip,
    )


def test_post_over_the_rate_is_refused_and_another_address_is_not(
    client, article, redis_cache, settings
):
    settings.COMMENT_RATE_LIMIT = "5/h"
    away_from_a_window_edge(3600)

    statuses = [_post(client, article, n).status_code for n in range(6)]

    assert statuses == [303] * 5 + [429]
    assert Comment.objects.count() == 5
    assert _post(client, article, 6, ip="203.0.113.8").status_code == 303


def test_sixth_comment_from_one_address_is_marked_busy(client, article, redis_cache):
    away_from_a_window_edge(int(BUSY_IP_WINDOW.total_seconds()))
    for n in range(6):
        assert _post(client, article, n).status_code == 303

    reasons = [
        " ".join(c.spam_reasons) for c in Comment.objects.order_by("submitted_at")
    ]
    assert not any("from this IP" in r for r in reasons[:5])
    assert "6 comments from this IP in 10 minutes." in reasons[5]
