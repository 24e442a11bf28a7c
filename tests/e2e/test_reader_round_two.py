"""What a reader meets, in chromium at a desktop and a phone size: reaching the form
by keyboard past 100 comments, a preview that is the published comment, a name
remembered on this device only, an error that keeps the article, and a comment
written one day and published the next that says when it was written."""

from collections.abc import Iterator
from datetime import timedelta
from unittest.mock import patch

import pytest
from django.utils import timezone

from comments.models import Comment, CommentStatus
from moderation import transitions as t
from tests.e2e.conftest import shot
from tests.factories import make_article, make_comment

pytestmark = pytest.mark.django_db(transaction=True)
SIZES = {"desktop": (1280, 800), "phone": (390, 844)}
CODE = "Pin it:\n\n```\nsha256sum weights.bin  # <b>not bold</b>\n```\n\nAnd `inline`."


@pytest.fixture(params=list(SIZES))
def reader(browser: object, request: pytest.FixtureRequest) -> Iterator[object]:
    width, height = SIZES[request.param]
    context = browser.new_context(viewport={"width": width, "height": height})
    page = context.new_page()
    page.set_default_timeout(10_000)
    page.size_name = request.param
    yield page
    context.close()


@pytest.fixture
def busy_article(live_server: object) -> object:
    article = make_article(title="Open Weights Are Binaries", slug="open-weights")
    for n in range(100):
        body = f"Comment {n} with code:\n\n```\nshort\n```" if n % 10 == 0 else f"C{n}"
        make_comment(article=article, status=CommentStatus.PUBLISHED, body=body)
    article.refresh_from_db()
    article.url = live_server.url + article.get_absolute_url()
    return article


def tabs_to(page: object, selector: str, limit: int = 40) -> int:
    """Tab presses until the focus is on `selector` (fails past `limit`)."""
    for presses in range(1, limit + 1):
        page.keyboard.press("Tab")
        if page.evaluate(f"document.activeElement.matches({selector!r})"):
            return presses
    raise AssertionError(f"{selector} not reached in {limit} Tabs")


def test_keyboard_only_posting_past_100_comments(reader, busy_article):
    page = reader
    page.goto(busy_article.url)

    presses = tabs_to(page, "a[href='#comment-form']")  # in the article's head
    page.keyboard.press("Enter")
    presses += tabs_to(page, "#id_name")
    page.keyboard.type("Keyboard Kim")
    page.keyboard.press("Tab")  # email
    page.keyboard.press("Tab")  # comment
    page.keyboard.type("Reached without a mouse.")
    shot(page, f"keyboard-form-{page.size_name}")
    page.keyboard.press("Tab")  # notify
    presses += tabs_to(page, "button[type=submit]")
    page.keyboard.press("Enter")

    page.get_by_text("Your comment is waiting for an editor").wait_for()
    assert presses <= 12, presses
    assert Comment.objects.filter(author_name="Keyboard Kim").exists()


def test_code_that_fits_is_no_tab_stop_and_code_that_overflows_is(reader, live_server):
    article = make_article(slug="code")
    make_comment(article=article, status=CommentStatus.PUBLISHED, body=CODE)
    wide = "```\n" + "x = 1  # " + "a long line " * 30 + "\n```"
    make_comment(article=article, status=CommentStatus.PUBLISHED, body=wide)
    page = reader
    page.goto(live_server.url + article.get_absolute_url())

    blocks = page.locator(".comment-text pre")
    assert blocks.nth(0).get_attribute("tabindex") is None
    assert blocks.nth(1).get_attribute("tabindex") == "0"
    blocks.nth(1).focus()
    ring = blocks.nth(1).evaluate("el => getComputedStyle(el).outlineStyle")
    assert ring == "solid"


def test_preview_shows_the_comment_as_published_and_stores_nothing(
    reader, live_server, editor
):
    article = make_article(slug="preview")
    page = reader
    page.goto(live_server.url + article.get_absolute_url())
    page.get_by_role("textbox", name="Name").fill("Ada")
    page.get_by_role("textbox", name="Comment").fill(CODE)

    with page.expect_response("**/comment/preview/") as answer:
        page.get_by_role("button", name="Preview").click()
    page.locator("#comment-preview .comment-text").wait_for()
    shot(page, f"preview-{page.size_name}")
    shown = answer.value.text()  # as sent (the page's script may mark wide code)
    assert not Comment.objects.exists()

    page.get_by_role("button", name="Send comment").click()
    page.get_by_text("Your comment is waiting for an editor").wait_for()
    comment = t.publish_comment(comment=Comment.objects.get(), editor=editor)
    assert comment.body_html in shown
    assert "<b>" not in shown and "&lt;b&gt;" in shown


def test_remember_me_keeps_name_and_address_in_this_browser_only(reader, live_server):
    article = make_article(slug="remember")
    page = reader
    url = live_server.url + article.get_absolute_url()
    page.goto(url)
    page.get_by_role("textbox", name="Name").fill("Ada")
    page.get_by_role("textbox", name="Email").fill("ada@example.org")
    page.get_by_role("textbox", name="Comment").fill("Remember me, please.")
    page.get_by_label("Remember me on this device").check()
    page.get_by_role("button", name="Send comment").click()
    page.get_by_text("Your comment is waiting for an editor").wait_for()

    page.goto(url)
    assert page.get_by_role("textbox", name="Name").input_value() == "Ada"
    assert page.get_by_role("textbox", name="Email").input_value() == "ada@example.org"
    assert page.context.cookies() == []
    page.get_by_label("Remember me on this device").uncheck()
    page.goto(url)
    assert page.get_by_role("textbox", name="Name").input_value() == ""


def test_an_error_keeps_the_article_and_focuses_the_summary(reader, live_server):
    article = make_article(title="Open Weights Are Binaries", slug="errors")
    page = reader
    page.goto(live_server.url + article.get_absolute_url())
    page.get_by_role("textbox", name="Name").fill("Ada")
    page.get_by_role("button", name="Send comment").click()

    page.get_by_text("Please fix what is marked below").wait_for()
    shot(page, f"form-error-{page.size_name}")
    assert page.evaluate("document.activeElement.className") == "error-summary"
    assert "Open Weights Are Binaries" in page.locator("h1").inner_text()
    page.get_by_role("link", name="Comment: Please write a comment.").click()
    assert page.evaluate("document.activeElement.id") == "id_body"
    assert page.get_by_role("textbox", name="Name").input_value() == "Ada"


def test_comment_held_a_day_shows_when_it_was_written(reader, live_server, editor):
    article = make_article(slug="held")
    page = reader
    page.goto(live_server.url + article.get_absolute_url())
    page.get_by_role("textbox", name="Comment").fill("Written on Friday.")
    page.get_by_role("button", name="Send comment").click()
    page.get_by_text("Your comment is waiting for an editor").wait_for()
    comment = Comment.objects.get()
    written = timezone.localtime(comment.submitted_at)

    a_day_later = comment.submitted_at + timedelta(days=1, hours=2)
    with patch("django.utils.timezone.now", return_value=a_day_later):
        t.publish_comment(comment=comment, editor=editor)

    page.goto(live_server.url + comment.get_absolute_url())
    page.locator(f"#c{comment.pk}:target").wait_for()
    shot(page, f"held-a-day-{page.size_name}")
    meta = page.locator(f"#c{comment.pk} .meta").inner_text()
    assert f"Written {written:%-d %b %Y, %H:%M}" in meta
    feed = page.request.get(f"{live_server.url}/articles/held/comments/feed/").text()
    assert f"<published>{a_day_later.isoformat()}</published>" in feed


def test_feed_opens_in_a_browser_as_a_page_that_explains_it(reader, live_server):
    make_article(title="Open Weights Are Binaries", slug="feed")
    page = reader

    page.goto(live_server.url + "/feed/")

    page.get_by_role("heading", name="Open Weights Are Binaries").wait_for()
    shot(page, f"feed-{page.size_name}")
    assert "This is a web feed (Atom)" in page.locator("main").inner_text()
    assert (
        page.evaluate("document.documentElement.scrollWidth")
        <= SIZES[page.size_name][0]
    )
