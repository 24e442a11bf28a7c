"""The editors' pages cost the same queries with few comments as with many
(counted, never timed: speed lives in `make bench --desk`)."""

import itertools
import re

import pytest
from django.conf import settings
from django.db import connection
from django.test.utils import CaptureQueriesContext

from comments.models import Comment, CommentStatus
from tests.factories import make_article, make_comment
from tests.moderation.desk import REVIEW_URL, make_email_comment
from tests.perf.test_query_counts import publish_many

LIST_URL = "/admin/comments/comment/"
# The budget for an editor's page, whatever the size.
MOST_QUERIES = 10
_letters = itertools.count()


@pytest.fixture(autouse=True)
def _cache_out_of_the_database(settings):
    """Production's cache is Redis, which costs no query; the tests' default is
    the database cache, whose reads would be counted as the page's."""
    settings.CACHES = {
        "default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}
    }


def queries_for(client, url: str, params: dict | None = None) -> int:
    client.get(url, params or {})  # once first: the session's and caches' own work
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url, params or {})
    assert response.status_code == 200, url
    return len(queries)


def grow(article, n: int) -> None:
    """n more letters: pending ones from one writer, emailed ones, published."""
    for _ in range(n):
        i = next(_letters)
        make_comment(
            article=article,
            body=f"Borrow checker letter {i} about lifetimes.",
            author_email="same@example.org",
            ip_address="10.0.0.9",
        )
        make_email_comment(article=article, verdict={"dmarc": "pass"})
    publish_many(article, n * 10)


PAGES = [
    (LIST_URL, {}),
    (LIST_URL, {"status": "all"}),
    (LIST_URL, {"status": "published"}),
    (LIST_URL, {"source__exact": "email"}),
    (LIST_URL, {"routed": "no"}),
    (LIST_URL, {"featured__exact": "1", "status": "published"}),
    (LIST_URL, {"dmarc": "pass"}),
    (LIST_URL, {"submitted_at__gte": "2000-01-01 00:00+00:00"}),
    (LIST_URL, {"q": "borrow checker"}),
    (LIST_URL, {"q": "borrow checker", "status": "all"}),
    (REVIEW_URL, {}),
    (REVIEW_URL, {"q": "borrow checker"}),
    (REVIEW_URL, {"dmarc": "pass", "since": "2000-01-01"}),
    ("/admin/", {}),
]


@pytest.mark.django_db
@pytest.mark.parametrize(("url", "params"), PAGES)
def test_desk_page_queries_same_at_2_and_12_letters(editor_client, url, params):
    article = make_article()
    grow(article, 2)
    small = queries_for(editor_client, url, params)

    grow(article, 10)
    large = queries_for(editor_client, url, params)

    assert small == large
    assert large <= MOST_QUERIES


@pytest.mark.django_db
def test_review_next_and_change_page_queries_same_at_2_and_12_letters(editor_client):
    article = make_article()
    grow(article, 2)
    first = make_comment(article=article, body="Head of my history.")
    counts = []
    for more in (0, 10):
        grow(article, more)
        page = editor_client.get(REVIEW_URL).content.decode()
        nxt = re.search(r'id="review-next"[^>]*href="\?[^"]*c=(\d+)', page)[1]
        counts.append(
            (
                queries_for(editor_client, REVIEW_URL, {"c": nxt}),
                queries_for(editor_client, f"{LIST_URL}{first.pk}/change/"),
            )
        )

    assert counts[0] == counts[1]
    assert max(counts[1]) <= MOST_QUERIES


@pytest.mark.django_db
def test_article_admin_queries_same_at_30_and_300_comments(editor_client):
    article = make_article()
    publish_many(article, 30)
    url = f"/admin/blog/article/{article.pk}/change/"
    small = queries_for(editor_client, url)

    publish_many(article, 270)
    large = queries_for(editor_client, url)

    assert small == large
    assert large <= MOST_QUERIES


@pytest.mark.django_db
def test_article_admin_shows_the_first_comments_and_links_to_all(editor_client):
    article = make_article()
    publish_many(article, 30)
    waiting = make_comment(article=article, body="Still waiting for a decision.")

    html = editor_client.get(f"/admin/blog/article/{article.pk}/change/").content
    html = html.decode()

    assert html.count("/admin/comments/comment/") >= 20
    assert f"/admin/comments/comment/{waiting.pk}/change/" in html  # waiting first
    assert html.count('class="field-link"') == 20
    assert f"?article__id__exact={article.pk}&amp;status=all" in html


@pytest.mark.django_db
def test_permalink_queries_same_on_page_1_and_page_3(client):
    article = make_article()
    rows = publish_many(article, 3 * settings.COMMENTS_PER_PAGE)
    ids = list(
        Comment.objects.published().for_article(article).values_list("pk", flat=True)
    )
    counts = []
    for pk in (ids[0], ids[-1]):
        with CaptureQueriesContext(connection) as queries:
            response = client.get(f"/comments/{pk}/")
        counts.append(len(queries))
        assert response.status_code == 302
    assert counts[0] == counts[1]
    assert len(rows) == len(ids)


@pytest.mark.django_db
def test_permalink_lands_on_the_page_that_shows_the_comment(client):
    article = make_article()
    publish_many(article, 2 * settings.COMMENTS_PER_PAGE + 5)
    pick = make_comment(article=article, status=CommentStatus.PUBLISHED, featured=True)
    last = make_comment(article=article, status=CommentStatus.PUBLISHED)

    for comment in (pick, last):
        location = client.get(comment.get_absolute_url())["Location"]
        page = client.get(location).content.decode()
        assert f'id="c{comment.pk}"' in page, location
    assert "?comments=" not in client.get(pick.get_absolute_url())["Location"]
