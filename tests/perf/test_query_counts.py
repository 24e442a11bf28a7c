"""Costs that must not grow with the number of comments (counted, never timed)."""

import re
from datetime import timedelta

import pytest
from django.core.cache import cache
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from comments.models import Comment, CommentSource, CommentStatus
from comments.rendering import render_comment
from comments.screening import spam_terms
from moderation.transitions import touch_article
from tests.factories import make_article, make_comment


def publish_many(article, n: int) -> list[Comment]:
    """n published comments, stored as publish would store them (bulk, for speed)."""
    now = timezone.now()
    rows = [
        Comment(
            article=article,
            source=CommentSource.WEB,
            author_name=f"Reader {i}",
            body=(text := f"Comment {i}: " + "a realistic sentence of words " * 5),
            body_html=render_comment(text),
            status=CommentStatus.PUBLISHED,
            published_at=now - timedelta(seconds=n - i),
        )
        for i in range(n)
    ]
    Comment.objects.bulk_create(rows)
    touch_article(article.pk)
    article.refresh_from_db()
    return rows


def count_queries(client: Client, url: str, **extra: object) -> int:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url, **extra)
    assert response.status_code == 200
    return len(queries)


def cold() -> None:
    cache.clear()


@pytest.mark.django_db
@pytest.mark.parametrize("warm", [False, True], ids=["cold-cache", "warm-cache"])
def test_article_page_queries_same_at_1_and_300_comments(warm):
    small, large = make_article(), make_article()
    publish_many(small, 1)
    publish_many(large, 300)
    counts = []
    for article in (small, large):
        cold()
        if warm:
            Client().get(article.get_absolute_url())
        counts.append(count_queries(Client(), article.get_absolute_url()))

    assert counts[0] == counts[1]


@pytest.mark.django_db
def test_signed_in_article_page_queries_same_at_1_and_300_comments(editor):
    small, large = make_article(), make_article()
    publish_many(small, 1)
    publish_many(large, 300)
    client = Client()
    client.force_login(editor)

    counts = [count_queries(client, a.get_absolute_url()) for a in (small, large)]

    assert counts[0] == counts[1]


@pytest.mark.django_db
def test_comment_markup_is_well_under_500_bytes_beyond_the_text(client):
    article = make_article()
    comments = publish_many(article, 300)

    html = client.get(article.get_absolute_url()).content.decode()

    listing = re.search(r'<ol class="comment-list">.*?</ol>', html, re.S)[0]
    shown = [c for c in comments if f'id="c{c.pk}"' in listing]
    text = sum(len(c.body_html) + len(c.author_name) for c in shown)
    per_comment = (len(listing.encode()) - text) / len(shown)
    assert len(shown) == 100  # the first page of three
    assert per_comment < 250, per_comment


def _post_queries(client: Client, article, n: int) -> tuple[int, int]:
    # Each from its own address, so both are the first post in their rate-limit
    # window: what is compared is the article's size, not the limiter's state.
    fields = {"name": "Ada", "body": f"Comment number {n} with its own words."}
    with CaptureQueriesContext(connection) as queries:
        response = client.post(
            f"/articles/{article.slug}/comment/", fields, REMOTE_ADDR=f"10.0.0.{n}"
        )
    assert response.status_code == 303
    # The test cache is the database cache (the rate limit's counter); in
    # production it is Redis, so the comment's own statements are counted apart.
    own = [
        q
        for q in queries.captured_queries
        if "django_cache" not in q["sql"]
        and not q["sql"].startswith(("SAVEPOINT", "RELEASE", "ROLLBACK"))
    ]
    return len(queries), len(own)


@pytest.mark.django_db
def test_posting_costs_the_same_queries_for_the_1st_and_50th_comment():
    article = make_article()
    client = Client(enforce_csrf_checks=True)
    spam_terms()  # the editors' lists, read once into the cache (any post would)
    first = _post_queries(client, article, 1)
    for n in range(2, 50):
        make_comment(article=article, body=f"Earlier comment {n}.", ip_address="::1")

    fiftieth = _post_queries(client, article, 50)

    assert first == fiftieth
    # The article, earlier comments with the same text, and the insert (the
    # address's recent comments are a counter in the cache).
    assert fiftieth[1] == 3


@pytest.mark.django_db
def test_admin_queue_queries_do_not_grow_with_the_queue(editor_client, settings):
    settings.MODERATION_QUEUE_COUNT_CAP = 55  # past the cap at both sizes
    article = make_article()
    counts = []
    for size in (70, 150):
        Comment.objects.bulk_create(
            Comment(article=article, source=CommentSource.WEB, body=f"Queued {i}")
            for i in range(size - Comment.objects.count())
        )
        editor_client.get("/admin/comments/comment/")  # the menus' cache, filled
        counts.append(count_queries(editor_client, "/admin/comments/comment/"))

    assert counts[0] == counts[1]
    assert counts[1] <= 10


@pytest.mark.django_db
def test_admin_queue_opens_on_the_oldest_pending_comment(editor_client, settings):
    settings.MODERATION_QUEUE_COUNT_CAP = 55
    article = make_article()
    Comment.objects.bulk_create(
        Comment(
            article=article,
            source=CommentSource.WEB,
            body=f"Queued number {i:03d}",
            submitted_at=timezone.now() - timedelta(minutes=100 - i),
        )
        for i in range(60)
    )

    html = editor_client.get("/admin/comments/comment/").content.decode()

    assert "Queued number 000" in html and "Queued number 059" not in html
    assert 'name="_selected_action"' in html
