"""The article page and feeds: conditional GET, the page cache, no stale pages."""

import re

import pytest
from django.core.cache import cache
from django.test import Client

from blog.models import Article
from blog.pagecache import forget_local_pages
from moderation.transitions import publish_comment
from tests.factories import make_article, make_comment, make_editor


def _form_fields(html: str) -> dict[str, str]:
    return dict(re.findall(r'name="(csrfmiddlewaretoken|ts)" value="([^"]*)"', html))


def _post(client: Client, article, fields: dict, body: str):
    return client.post(
        f"/articles/{article.slug}/comment/", {**fields, "name": "Ada", "body": body}
    )


@pytest.mark.django_db
def test_unchanged_article_page_answers_304_to_its_etag(client, article):
    first = client.get(article.get_absolute_url())

    again = client.get(
        article.get_absolute_url(), HTTP_IF_NONE_MATCH=first.headers["ETag"]
    )

    assert first.status_code == 200 and again.status_code == 304
    assert again.headers["ETag"] == first.headers["ETag"]
    assert "Cookie" in again.headers["Vary"]


@pytest.mark.django_db
def test_article_page_varies_on_cookie_and_is_private(client, article):
    response = client.get(article.get_absolute_url())

    assert "Cookie" in response.headers["Vary"]
    assert response.headers["Cache-Control"] == "private, no-cache"
    assert response.headers["Last-Modified"]


@pytest.mark.django_db
def test_published_comment_changes_the_very_next_response(client, article):
    pending = make_comment(article=article, body="Arrives after the first visit.")
    first = client.get(article.get_absolute_url())
    forget_local_pages()  # another worker: only the shared cache in common

    publish_comment(comment=pending, editor=None)
    after = client.get(
        article.get_absolute_url(), HTTP_IF_NONE_MATCH=first.headers["ETag"]
    )

    assert "Arrives after the first visit." not in first.content.decode()
    assert after.status_code == 200
    assert "Arrives after the first visit." in after.content.decode()
    assert after.headers["ETag"] != first.headers["ETag"]


@pytest.mark.django_db
def test_edited_article_is_not_served_from_the_page_cache(client, article):
    client.get(article.get_absolute_url())

    article.title = "A corrected title"
    article.save()

    html = client.get(article.get_absolute_url()).content.decode()
    assert "A corrected title" in html


@pytest.mark.django_db
def test_reader_with_thank_you_waiting_gets_no_304_and_sees_it(article):
    reader = Client(enforce_csrf_checks=True)
    page = reader.get(article.get_absolute_url())

    posted = _post(reader, article, _form_fields(page.content.decode()), "Well put!")
    after = reader.get(
        article.get_absolute_url(), HTTP_IF_NONE_MATCH=page.headers["ETag"]
    )

    assert posted.status_code == 302
    assert after.status_code == 200
    assert "your comment is waiting for an editor" in after.content.decode()
    assert "ETag" not in after.headers
    assert after.headers["Cache-Control"] == "private, no-store"


@pytest.mark.django_db
def test_thank_you_is_not_stored_in_the_page_cache_for_others(article):
    reader = Client(enforce_csrf_checks=True)
    page = reader.get(article.get_absolute_url())
    _post(reader, article, _form_fields(page.content.decode()), "Well put!")
    reader.get(article.get_absolute_url())

    other = Client().get(article.get_absolute_url()).content.decode()

    assert "waiting for an editor" not in other


@pytest.mark.django_db
def test_cached_page_gives_each_reader_a_working_csrf_token(article):
    Client().get(article.get_absolute_url())  # fills the page cache
    reader = Client(enforce_csrf_checks=True)

    page = reader.get(article.get_absolute_url())
    posted = _post(reader, article, _form_fields(page.content.decode()), "Good.")

    assert posted.status_code == 302
    assert reader.cookies["csrftoken"].value


@pytest.mark.django_db
def test_cached_page_carries_the_time_of_each_request(article, monkeypatch):
    import time

    from django.core import signing

    from comments.forms import TIMESTAMP_SALT

    start = time.time()
    first = _form_fields(Client().get(article.get_absolute_url()).text)  # stored
    monkeypatch.setattr(time, "time", lambda: start + 600)
    later = _form_fields(Client().get(article.get_absolute_url()).text)

    stamps = [signing.loads(f["ts"], salt=TIMESTAMP_SALT) for f in (first, later)]
    assert abs(stamps[0] - start) <= 1 and abs(stamps[1] - (start + 600)) <= 1
    assert first["csrfmiddlewaretoken"] != later["csrfmiddlewaretoken"]


@pytest.mark.django_db
def test_etag_changes_when_the_csrf_cookie_does(article):
    """A page revalidated after sign-in would carry a token for the old secret."""
    reader = Client()
    first = reader.get(article.get_absolute_url())
    reader.force_login(make_editor())  # login rotates the CSRF secret

    again = reader.get(
        article.get_absolute_url(), HTTP_IF_NONE_MATCH=first.headers["ETag"]
    )

    assert again.status_code == 200


@pytest.mark.django_db
def test_comment_page_number_is_part_of_the_etag(client, article, settings):
    settings.COMMENTS_PER_PAGE = 1
    for text in ("On the first page.", "On the second page."):
        publish_comment(comment=make_comment(article=article, body=text), editor=None)
    first = client.get(article.get_absolute_url())

    other_page = client.get(
        article.get_absolute_url() + "?comments=2",
        HTTP_IF_NONE_MATCH=first.headers["ETag"],
    )

    assert other_page.status_code == 200
    assert "On the second page." in other_page.content.decode()


@pytest.mark.django_db
def test_page_numbers_past_the_last_are_the_last_page(client, article):
    first = client.get(article.get_absolute_url())

    made_up = client.get(
        article.get_absolute_url() + "?comments=987654",
        HTTP_IF_NONE_MATCH=first.headers["ETag"],
    )

    # The same bytes as the only page there is (and so one cache entry, not one
    # per number a crawler makes up).
    assert made_up.status_code == 304


@pytest.mark.django_db
def test_commenter_cannot_make_the_page_fill_in_a_token(client, article):
    from blog.pagecache import _sentinel

    make_comment(article=article, status="published", body=_sentinel("ts"))
    client.get(article.get_absolute_url())

    html = Client().get(article.get_absolute_url()).content.decode()

    assert _sentinel("ts") in html  # shown as typed, never replaced


@pytest.mark.django_db
@pytest.mark.parametrize("feed", ["/feed/", "comments"])
def test_unchanged_feed_answers_304(client, feed):
    article = make_article()
    make_comment(article=article, status="published")
    url = feed if feed.startswith("/") else f"/articles/{article.slug}/comments/feed/"
    first = client.get(url)

    again = client.get(url, HTTP_IF_NONE_MATCH=first.headers["ETag"])

    assert first.status_code == 200 and again.status_code == 304
    assert first.headers["Last-Modified"]


@pytest.mark.django_db
def test_comments_feed_changes_when_a_comment_is_published(client, article):
    url = f"/articles/{article.slug}/comments/feed/"
    pending = make_comment(article=article, body="Fresh in the feed.")
    first = client.get(url)

    publish_comment(comment=pending, editor=None)
    after = client.get(url, HTTP_IF_NONE_MATCH=first.headers["ETag"])

    assert after.status_code == 200 and "Fresh in the feed." in after.content.decode()


@pytest.mark.django_db
def test_articles_feed_changes_when_an_article_is_published(client):
    make_article(title="First post")
    first = client.get("/feed/")

    make_article(title="Second post")
    after = client.get("/feed/", HTTP_IF_NONE_MATCH=first.headers["ETag"])

    assert after.status_code == 200 and "Second post" in after.content.decode()


@pytest.fixture(autouse=True)
def _cold_pages():
    forget_local_pages()
    cache.clear()


@pytest.mark.django_db
def test_signed_in_editor_never_gets_the_readers_cached_page(editor, article):
    from django.db import connection

    Client().get(article.get_absolute_url())  # a reader's visit stores the page
    # A change the page's key doesn't see (written past the ORM): only a fresh
    # render shows it.
    with connection.cursor() as cursor:
        cursor.execute(
            "UPDATE blog_article SET title = %s WHERE id = %s",
            ["Retitled behind the cache", article.pk],
        )
    staff = Client()
    staff.force_login(editor)

    response = staff.get(article.get_absolute_url())

    assert response.status_code == 200
    assert "Retitled behind the cache" in response.text
    reader = Client().get(article.get_absolute_url())
    assert "Retitled behind the cache" not in reader.text  # the cache was there


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_cached_page_survives_a_database_connection_the_server_dropped(
    article, settings
):
    import psycopg
    from django.db import connection

    # A per-process cache: the article's row is read on every request (and the
    # generation check doesn't go through the database cache first).
    settings.CACHES = {
        "default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}
    }
    reader = Client()
    reader.get(article.get_absolute_url())
    pid = connection.connection.info.backend_pid
    params = connection.get_connection_params()
    with psycopg.connect(**params, autocommit=True) as admin:
        admin.execute("SELECT pg_terminate_backend(%s)", [pid])

    response = reader.get(article.get_absolute_url())

    assert response.status_code == 200
    assert article.title in response.content.decode()


@pytest.mark.django_db
def test_pages_cached_before_a_secret_key_rotation_are_not_served(article, settings):
    Client().get(article.get_absolute_url())  # stored under the old key
    settings.SECRET_KEY = "rotated-" + "k" * 50
    forget_local_pages()  # a restarted worker

    html = Client().get(article.get_absolute_url()).content.decode()

    fields = _form_fields(html)
    assert fields["csrfmiddlewaretoken"] and not fields["ts"].startswith("hole-")
    assert not fields["csrfmiddlewaretoken"].startswith("hole-")


@pytest.mark.django_db
def test_worker_that_kept_everything_still_shows_a_published_comment(client, article):
    pending = make_comment(article=article, body="Published while you read.")
    client.get(article.get_absolute_url())  # this worker keeps the page and row

    publish_comment(comment=pending, editor=None)

    assert "Published while you read." in client.get(article.get_absolute_url()).text


@pytest.mark.django_db
def test_article_withdrawn_by_a_bulk_update_is_gone_on_the_next_request(client):
    article = make_article()
    assert client.get(article.get_absolute_url()).status_code == 200

    Article.objects.filter(pk=article.pk).update(published_at=None)

    assert client.get(article.get_absolute_url()).status_code == 404


@pytest.mark.django_db
def test_scheduled_article_appears_when_its_time_comes(client, monkeypatch):
    from datetime import timedelta

    from django.utils import timezone

    now = timezone.now()
    article = make_article(published_at=now + timedelta(minutes=5))
    assert client.get(article.get_absolute_url()).status_code == 404  # row kept

    monkeypatch.setattr(timezone, "now", lambda: now + timedelta(minutes=6))

    assert client.get(article.get_absolute_url()).status_code == 200


@pytest.mark.django_db
def test_generation_moved_by_another_worker_makes_rows_read_again(client, article):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from blog import freshness

    client.get(article.get_absolute_url())
    freshness._move_on()  # what another worker's commit does

    with CaptureQueriesContext(connection) as queries:
        client.get(article.get_absolute_url())

    assert any('"blog_article"' in q["sql"] for q in queries)


@pytest.mark.django_db
def test_a_cache_of_its_own_in_each_process_never_keeps_rows(client, article, settings):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    settings.CACHES = {
        "default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}
    }
    client.get(article.get_absolute_url())

    with CaptureQueriesContext(connection) as queries:
        client.get(article.get_absolute_url())

    assert sum('"blog_article"' in q["sql"] for q in queries) == 1


@pytest.mark.django_db
def test_cached_page_is_refused_to_a_host_not_allowed(client, article):
    client.get(article.get_absolute_url())  # stored

    response = client.get(article.get_absolute_url(), HTTP_HOST="evil.example")

    assert response.status_code == 400
