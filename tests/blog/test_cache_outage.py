"""The cache is an accelerator: with Redis gone, pages, posts and /healthz still
answer sensibly (a real Redis server, stopped mid-test)."""

import pytest

from comments.models import Comment
from tests.factories import make_comment

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


def test_healthz_names_the_cache_when_it_is_down(client, redis_cache):
    assert client.get("/healthz").status_code == 200

    redis_cache()
    response = client.get("/healthz")

    assert response.status_code == 503
    assert response.text == "cache unavailable\n"
