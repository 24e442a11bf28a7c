"""Many readers posting at once: every accepted comment stored once, no 500s."""

import http.client
import threading
from urllib.parse import urlencode, urlsplit

import pytest

from comments.models import Comment
from tests.factories import make_article

READERS = 20


def read_and_post(base: str, slug: str, n: int, barrier: threading.Barrier) -> int:
    """One reader: open the article, then post from it."""
    url = urlsplit(base)
    conn = http.client.HTTPConnection(url.hostname, url.port, timeout=60)
    conn.request("GET", f"/articles/{slug}/")
    conn.getresponse().read()
    form = urlencode({"name": f"Reader {n}", "body": f"Comment #{n}, mine."})
    barrier.wait()
    conn.request(
        "POST",
        f"/articles/{slug}/comment/",
        body=form,
        headers={
            "Content-Type": "application/x-www-form-urlencoded",
            "Sec-Fetch-Site": "same-origin",
        },
    )
    status = conn.getresponse().status
    conn.close()
    return status


@pytest.mark.postgres
def test_concurrent_posts_are_each_stored_exactly_once(live_server, transactional_db):
    article = make_article(slug="busy")
    barrier = threading.Barrier(READERS)
    statuses: dict[int, int] = {}

    def reader(n: int) -> None:
        statuses[n] = read_and_post(live_server.url, article.slug, n, barrier)

    threads = [threading.Thread(target=reader, args=(n,)) for n in range(READERS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)

    assert len(statuses) == READERS
    assert 500 not in statuses.values()
    accepted = [n for n, status in statuses.items() if status == 303]
    assert len(accepted) == READERS, statuses
    bodies = list(Comment.objects.values_list("body", flat=True))
    for n in accepted:
        assert bodies.count(f"Comment #{n}, mine.") == 1
    assert len(bodies) == len(accepted)
