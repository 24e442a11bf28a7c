"""Public pages are the same bytes for everyone, so nginx or a CDN may keep them."""

from datetime import timedelta

import pytest
from django.test import Client
from django.utils import timezone

from blog.models import Article
from tests.factories import make_article, make_comment

pytestmark = pytest.mark.django_db


def public_urls(article) -> list[str]:
    return [
        "/",
        article.get_absolute_url(),
        article.get_absolute_url() + "?comments=2",
        "/feed/",
        f"/articles/{article.slug}/comments/feed/",
        "/sitemap.xml",
        "/privacy/",
        "/robots.txt",
    ]


def test_two_anonymous_visits_get_identical_bytes_and_headers(article):
    make_comment(article=article, status="published", body="Seen by all.")
    first, second = (
        Client().get(article.get_absolute_url()),
        Client().get(article.get_absolute_url()),
    )

    assert first.content == second.content
    assert {k: v for k, v in first.headers.items() if k != "Date"} == {
        k: v for k, v in second.headers.items() if k != "Date"
    }


def test_public_pages_are_shareable_by_any_http_cache(article, settings):
    settings.PAGE_CACHE_SECONDS = 45

    for url in public_urls(article):
        response = Client().get(url)

        assert response.status_code == 200, url
        cache_control = {d.strip() for d in response["Cache-Control"].split(",")}
        assert {
            "public",
            "max-age=0",
            "s-maxage=45",
            "stale-while-revalidate=45",
        } <= cache_control, url
        assert not response.cookies, url
        assert "Cookie" not in response.get("Vary", ""), url
        assert response.has_header("ETag"), url


def test_signed_in_editor_gets_the_same_public_page_as_a_visitor(editor, article):
    make_comment(article=article, status="published")
    editor_client = Client()
    editor_client.force_login(editor)

    as_editor = editor_client.get(article.get_absolute_url())
    as_visitor = Client().get(article.get_absolute_url())

    assert as_editor.content == as_visitor.content
    assert "Cookie" not in as_editor.get("Vary", "")
    assert not as_editor.cookies


def test_reader_who_just_posted_gets_the_public_page_unchanged(article):
    reader = Client()
    posted = reader.post(
        f"/articles/{article.slug}/comment/", {"body": "My two cents, sent."}
    )
    assert posted.status_code == 303

    after = reader.get(article.get_absolute_url())

    assert after.content == Client().get(article.get_absolute_url()).content
    assert not after.cookies


@pytest.mark.parametrize("url_of", [lambda a: a.get_absolute_url(), lambda a: "/feed/"])
def test_unchanged_page_answers_304_to_its_etag(client, article, url_of):
    first = client.get(url_of(article))

    again = client.get(url_of(article), headers={"If-None-Match": first["ETag"]})

    assert again.status_code == 304
    assert again.content == b""


def test_published_comment_changes_the_page_and_its_etag(client, article):
    first = client.get(article.get_absolute_url())

    make_comment(article=article, status="published", body="Fresh and approved.")
    again = client.get(
        article.get_absolute_url(), headers={"If-None-Match": first["ETag"]}
    )

    assert again.status_code == 200
    assert "Fresh and approved." in again.text


def test_edited_article_shows_at_once_at_the_origin(client, article):
    client.get(article.get_absolute_url())

    article.title = "A Better Title"
    article.save()

    assert "A Better Title" in client.get(article.get_absolute_url()).text


def test_page_numbers_past_the_last_show_the_last_page(client, article, settings):
    settings.COMMENTS_PER_PAGE = 2
    for n in range(3):
        make_comment(article=article, status="published", body=f"Number {n} here.")

    last = client.get(article.get_absolute_url() + "?comments=2")
    past = client.get(article.get_absolute_url() + "?comments=999")

    assert "Number 2 here." in last.text and "Number 0 here." not in last.text
    assert past.content == last.content


def test_article_withdrawn_by_a_bulk_update_is_gone_on_the_next_request(client):
    article = make_article()
    client.get(article.get_absolute_url())

    Article.objects.filter(pk=article.pk).update(published_at=None)

    assert client.get(article.get_absolute_url()).status_code == 404


def test_scheduled_article_appears_when_its_time_comes(client, monkeypatch):
    soon = timezone.now() + timedelta(minutes=5)
    article = make_article(published_at=soon)
    assert client.get(article.get_absolute_url()).status_code == 404

    later = soon + timedelta(seconds=1)
    monkeypatch.setattr(timezone, "now", lambda: later)

    assert client.get(article.get_absolute_url()).status_code == 200


@pytest.mark.parametrize("url", ["/admin/", "/admin/comments/comment/"])
def test_editors_pages_are_never_kept_by_a_shared_cache(editor_client, url):
    response = editor_client.get(url)

    assert response.status_code == 200
    assert "private" in response["Cache-Control"]
    assert "public" not in response["Cache-Control"]
