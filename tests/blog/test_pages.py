from datetime import timedelta

import pytest
from django.db.utils import OperationalError
from django.utils import timezone

from tests.factories import make_article, make_comment


@pytest.mark.django_db
def test_index_lists_newest_first_with_comment_counts(client):
    old = make_article(
        title="Older post", published_at=timezone.now() - timedelta(days=5)
    )
    make_article(title="Newer post")
    make_comment(article=old, status="published")

    html = client.get("/").content.decode()

    assert html.index("Newer post") < html.index("Older post")
    assert "1 comment<" in html


@pytest.mark.django_db
def test_index_paginates_after_ten_articles(client):
    for n in range(12):
        make_article(
            title=f"Post {n}", published_at=timezone.now() - timedelta(hours=n + 1)
        )

    first, second = client.get("/"), client.get("/?page=2")

    assert (
        "Post 0" in first.content.decode() and "Post 11" not in first.content.decode()
    )
    assert "Post 11" in second.content.decode()


@pytest.mark.django_db
@pytest.mark.parametrize("published_at", [None, timezone.now() + timedelta(days=2)])
def test_draft_or_scheduled_article_is_not_found_by_public(client, published_at):
    article = make_article(published_at=published_at, title="Secret plans")

    response = client.get(article.get_absolute_url())

    assert response.status_code == 404
    assert "Secret plans" not in client.get("/").content.decode()


@pytest.mark.django_db
def test_article_page_shows_body_comments_and_back_link(client):
    article = make_article(title="Hello", body="## Part one\n\nText with **bold**.")
    make_comment(article=article, status="published", body="Nice one.")

    html = client.get(article.get_absolute_url()).content.decode()

    assert "<h2>Part one</h2>" in html and "<strong>bold</strong>" in html
    assert "Anonymous:</strong> <p>Nice one.</p>" in html
    assert "Back to the Index" in html
    assert 'rel="alternate" type="application/atom+xml"' in html


@pytest.mark.django_db
def test_article_markdown_cannot_inject_script(client):
    article = make_article(body="Hi <script>alert(1)</script> [x](javascript:alert(1))")

    html = client.get(article.get_absolute_url()).content.decode()

    assert "<script>alert" not in html and "javascript:" not in html


@pytest.mark.django_db
def test_article_feed_lists_published_articles(client):
    make_article(title="In the feed")
    make_article(title="Draft only", published_at=None)

    response = client.get("/feed/")

    assert response["Content-Type"].startswith("application/atom+xml")
    assert b"In the feed" in response.content and b"Draft only" not in response.content


@pytest.mark.django_db
def test_sitemap_and_robots_list_public_pages(client):
    article = make_article()

    assert article.get_absolute_url().encode() in client.get("/sitemap.xml").content
    robots = client.get("/robots.txt").content.decode()
    assert "Disallow: /admin/" in robots and "sitemap.xml" in robots


@pytest.mark.django_db
def test_unknown_page_gets_friendly_404(client, settings):
    settings.DEBUG = False

    response = client.get("/no/such/page/")

    assert response.status_code == 404
    assert "Page not found" in response.content.decode()


@pytest.mark.django_db
def test_healthz_answers_ok_when_database_answers(client):
    response = client.get("/healthz")

    assert response.status_code == 200
    assert response.text == "database ok\ncache ok\n"


@pytest.mark.django_db
def test_healthz_answers_503_when_database_fails(client, monkeypatch):
    from django.db.backends.utils import CursorWrapper

    def broken(*args, **kwargs):
        raise OperationalError("connection refused")

    monkeypatch.setattr(CursorWrapper, "execute", broken)

    response = client.get("/healthz")

    assert response.status_code == 503
    assert "database unavailable" in response.text


@pytest.mark.django_db
def test_favicon_is_an_icon_any_cache_may_keep(client):
    response = client.get("/favicon.ico")

    assert response.status_code == 200
    assert response["Content-Type"] in {"image/x-icon", "image/vnd.microsoft.icon"}
    assert "public" in response["Cache-Control"]
    assert b"".join(response.streaming_content)[:4] == b"\x00\x00\x01\x00"  # ICO
