"""The whole journey in a real browser: reader, email, editor, visitor."""

from email.message import EmailMessage
from io import BytesIO

import pytest
from playwright.sync_api import expect

from comments.models import Comment
from tests.e2e.conftest import shot
from tests.factories import make_article, make_editor

pytestmark = pytest.mark.django_db(transaction=True)


def _raw_email(article_slug: str, text: str) -> bytes:
    from django.conf import settings

    local, _, domain = settings.COMMENTS_EMAIL_ADDRESS.partition("@")
    msg = EmailMessage()
    msg["From"] = "Reader Two <two@example.net>"
    msg["To"] = f"{local}+{article_slug}@{domain}"
    msg["Subject"] = "My thoughts"
    msg["Message-ID"] = "<e2e-journey-1@example.net>"
    msg.set_content(text)
    return msg.as_bytes()


def _ingest(raw: bytes) -> None:
    import sys

    from django.core.management import call_command

    stdin = sys.stdin
    sys.stdin = type("Stdin", (), {"buffer": BytesIO(raw)})()
    try:
        call_command("ingest_email")
    finally:
        sys.stdin = stdin


def test_comment_by_form_and_email_published_and_featured(page, live_server):
    article = make_article(title="Open Weights Are Binaries", slug="open-weights")
    editor = make_editor(username="ed", email="ed@example.org")
    editor.set_password("correct horse battery")
    editor.save()
    base = live_server.url

    # 1. A reader opens the index, then the article, and sends a comment.
    page.goto(base + "/")
    shot(page, "01-index")
    page.get_by_role("link", name="Open Weights Are Binaries").click()
    page.get_by_role("textbox", name="Name").fill("Reader One")
    page.get_by_role("textbox", name="Comment").fill(
        "Weights without data are a binary blob."
    )
    page.get_by_role("button", name="Send comment").click()
    # The reader lands on their own comment, as visitors will see it, waiting.
    page.get_by_text("Your comment is waiting for an editor").wait_for()
    assert "Weights without data" in page.locator(".comment-list").inner_text()
    shot(page, "02-thanks")
    page.get_by_role("link", name="Back to the article").click()
    assert (
        "Weights without data"
        not in page.locator(
            "#comments .comment-list, #comments .no-comments"
        ).inner_text()
    )
    # The page's script measured the time to send (the soft "too fast" signal:
    # a robot-quick test, flagged but still pending).
    sent = Comment.objects.get()
    assert any("after the page loaded" in r for r in sent.spam_reasons)

    # 2. An emailed comment for the same article arrives through the pipe.
    _ingest(
        _raw_email(article.slug, "Emailed: the licence matters less than the data.")
    )
    assert Comment.objects.awaiting_review().count() == 2

    # 3. The editor signs in, finds both at the head of the queue, publishes both
    #    and features the emailed one.
    page.goto(base + "/admin/")
    page.get_by_label("Username").fill("ed")
    page.get_by_label("Password").fill("correct horse battery")
    page.get_by_role("button", name="Log in").click()
    page.get_by_role("link", name="as a list").click()
    rows = page.locator("#result_list tbody tr")
    expect(rows).to_have_count(2)
    shot(page, "03-queue")
    web_row = rows.filter(has_text="Weights without data")
    mail_row = rows.filter(has_text="licence matters less")
    web_row.locator("input.action-select").check()
    page.locator("select[name=action]").select_option("publish")
    page.get_by_role("button", name="Go").click()
    page.get_by_text("Published 1 comment").wait_for()
    page.goto(base + "/admin/comments/comment/")
    mail_row = page.locator("#result_list tbody tr").filter(has_text="licence matters")
    mail_row.locator("input.action-select").check()
    page.locator("select[name=action]").select_option("feature")
    page.get_by_role("button", name="Go").click()
    page.get_by_text("Published and featured 1 comment").wait_for()
    shot(page, "04-decided")

    # 4. A visitor reloads the article: both, the pick first; the feed has both.
    visitor = page.context.browser.new_context().new_page()
    visitor.goto(base + article.get_absolute_url())
    comments = visitor.locator(".comment-list > li")
    expect(comments).to_have_count(2)
    assert "Editor’s pick" in comments.nth(0).text_content()
    assert "licence matters less" in comments.nth(0).inner_text()
    assert "Reader One:" in comments.nth(1).inner_text()
    shot(visitor, "05-article-with-comments")
    feed = visitor.request.get(base + f"/articles/{article.slug}/comments/feed/").text()
    assert "Weights without data" in feed and "licence matters less" in feed
    visitor.context.close()


def test_form_error_keeps_the_readers_name(page, live_server):
    article = make_article(title="Keep My Name", slug="keep-my-name")

    page.goto(live_server.url + article.get_absolute_url())
    page.get_by_label("Name").fill("Patient Reader")
    page.get_by_role("button", name="Send comment").click()

    page.get_by_text("Please write a comment.").wait_for()
    shot(page, "06-form-error")
    assert page.get_by_label("Name").input_value() == "Patient Reader"
    assert Comment.objects.count() == 0
