"""Imported comments in a real browser: dates, replies, hostile names."""

import pytest
from playwright.sync_api import expect

from blog.models import Article
from comments.models import Comment
from tests.e2e.conftest import shot
from tests.factories import make_article
from tests.moderation.transfer import ISSO_WP, run_import
from tests.security.test_import_xss import hostile_export

pytestmark = pytest.mark.django_db(transaction=True)


def test_reply_link_leads_to_the_comment_it_answers(page, live_server):
    article = make_article(title="Hello, World", slug="test")
    run_import(ISSO_WP)
    parent = Comment.objects.get(body="Zweiter.")

    page.goto(live_server.url + article.get_absolute_url())
    shot(page, "imported-01-article")
    comments = page.locator(".comment-list")
    expect(comments).to_contain_text("Erster!1")
    expect(comments).to_contain_text("14 Jan 2014")
    page.locator(".reply-to").first.click()

    assert page.url.endswith(f"#c{parent.pk}")
    expect(page.locator(f"#c{parent.pk}")).to_contain_text("Zweiter.")


def test_hostile_export_runs_no_script_in_the_browser(page, live_server, tmp_path):
    run_import(hostile_export(tmp_path), "--create-articles")
    dialogs = []
    page.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))

    page.goto(live_server.url + Article.objects.get(slug="hostile").get_absolute_url())
    shot(page, "imported-02-hostile")

    expect(page.locator(".comment-list")).to_contain_text("<script>alert(1)</script>")
    page.locator(".reply-to").first.click()
    assert dialogs == []
