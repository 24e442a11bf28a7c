"""Hostile names and bodies in an export come out as inert text on the page."""

import pytest

from blog.models import Article
from comments.models import Comment
from tests.moderation.transfer import run_export, run_import, wxr, wxr_comment, wxr_item
from tests.security.inert import assert_inert
from tests.security.xss_payloads import PAYLOADS


def hostile_export(tmp_path):
    # Each comment answers the one before: "in reply to <hostile name>" shows too.
    comments = [
        wxr_comment(
            n + 1,
            author=payload,
            content=f"(import {n}) {payload}",
            parent=n,
            date=f"2015-03-01 10:{n // 60:02d}:{n % 60:02d}",
        )
        for n, payload in enumerate(PAYLOADS)
    ]
    path = tmp_path / "hostile.xml"
    path.write_text(wxr(wxr_item("hostile", *comments)))
    return path


@pytest.mark.django_db
def test_hostile_export_shows_inert_on_the_article_page(client, tmp_path):
    run_import(hostile_export(tmp_path), "--create-articles")
    article = Article.objects.get(slug="hostile")

    page = client.get(article.get_absolute_url()).text

    assert Comment.objects.published().count() == len(PAYLOADS)
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page  # a name, as text
    assert "in reply to &lt;script&gt;alert(1)&lt;/script&gt;" in page
    assert_inert(page)


@pytest.mark.django_db
def test_hostile_comments_survive_export_and_import_inert(client, tmp_path):
    run_import(hostile_export(tmp_path), "--create-articles")
    out = tmp_path / "out.xml"
    run_export(out)
    Comment.objects.all().delete()
    Article.objects.all().delete()

    run_import(out, "--create-articles")

    page = client.get(Article.objects.get(slug="hostile").get_absolute_url()).text
    assert Comment.objects.published().count() == len(PAYLOADS)
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page
    assert_inert(page)
