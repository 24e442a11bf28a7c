"""The cache is an accelerator: with Redis gone, pages, posts and /healthz still
answer sensibly (a real Redis server, stopped mid-test)."""

from io import StringIO

import pytest
from django.core.management import call_command
from django.urls import reverse

from comments.models import Comment
from tests.factories import make_comment, make_editor

pytestmark = pytest.mark.django_db


def test_article_page_renders_from_the_database_without_the_cache(
    client, article, redis_cache
):
    make_comment(article=article, status="published", body="Still readable.")
    assert "Still readable." in client.get(article.get_absolute_url()).text

    redis_cache()
    response = client.get(article.get_absolute_url())

    assert response.status_code == 200
    assert "Still readable." in response.text


def test_comment_posted_without_the_cache_is_stored(client, article, redis_cache):
    redis_cache()

    response = client.post(
        f"/articles/{article.slug}/comment/", {"body": "Typed during an outage."}
    )

    assert response.status_code == 303
    assert Comment.objects.get().body == "Typed during an outage."
    assert "Typed during an outage." in client.get(response["Location"]).text


def test_healthz_stays_200_and_names_the_cache_when_it_is_down(client, redis_cache):
    assert client.get("/healthz").text == "database ok\ncache ok\n"

    redis_cache()
    response = client.get("/healthz")

    assert response.status_code == 200  # degraded, not down: no restart mends it
    assert response.text == "database ok\ncache unavailable\n"


def test_moderation_report_shows_the_cache_state(redis_cache):
    out = StringIO()
    call_command("moderation_report", stdout=out)
    assert "Cache: ok" in out.getvalue()

    redis_cache()
    out = StringIO()
    call_command("moderation_report", stdout=out)

    assert "Cache: unavailable" in out.getvalue()


def test_signed_in_editor_keeps_working_when_the_cache_goes(client, redis_cache):
    make_comment(body="Waiting for an editor.")
    editor = make_editor()
    client.force_login(editor)  # the session is in Redis and the database
    assert client.get("/admin/").status_code == 200

    redis_cache()

    assert client.get("/admin/").status_code == 200
    review = client.get(reverse("admin:comments_comment_review"))
    assert review.status_code == 200
    assert "Waiting for an editor." in review.text


def test_editor_signs_in_while_the_cache_is_down(client, redis_cache):
    make_editor(username="sam")
    redis_cache()

    response = client.post(
        "/admin/login/?next=/admin/",
        {"username": "sam", "password": "pw-for-tests-only"},
    )

    assert response.status_code == 302 and response["Location"] == "/admin/"
    assert client.get("/admin/").status_code == 200
