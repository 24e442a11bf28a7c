"""The accessibility gate: axe-core on the pages readers and editors use.

Each page, at a desktop (1280x800) and a phone (390x844) size, reached the way a
person reaches it (the form's errors and the receipt by sending the form), fails on
any violation of impact serious or critical of the WCAG 2.1 A and AA rules. The gate
itself is shown to fail on a page with an unlabelled field and an image without alt.
"""

from collections.abc import Iterator

import pytest

from comments.models import CommentStatus
from moderation import transitions as t
from tests.e2e.axe import blocking_violations, describe
from tests.e2e.conftest import shot
from tests.factories import make_article, make_comment, make_editor

pytestmark = pytest.mark.django_db(transaction=True)

SIZES = {"desktop": (1280, 800), "phone": (390, 844)}
PASSWORD = "correct horse battery"
CODE_COMMENT = (
    "Check the digest first:\n\n```python\nimport hashlib\n"
    "print(hashlib.sha256(open('weights.bin', 'rb').read()).hexdigest())"
    "  # a long line that scrolls\n```\n\nThen `sha256sum weights.bin` and "
    "https://example.org/docs."
)


@pytest.fixture(params=list(SIZES))
def sized_page(browser: object, request: pytest.FixtureRequest) -> Iterator[object]:
    width, height = SIZES[request.param]
    # bypass_csp: only so that axe itself can be injected (tests/e2e/axe.py).
    context = browser.new_context(
        viewport={"width": width, "height": height}, bypass_csp=True
    )
    page = context.new_page()
    page.set_default_timeout(10_000)
    page.size_name = request.param
    yield page
    context.close()


@pytest.fixture
def site(live_server: object) -> dict:
    """An article with published comments (a labelled pick, code) and one waiting."""
    article = make_article(
        title="Open Weights Are Binaries",
        slug="open-weights",
        standfirst="What open means when the data stays closed.",
        body="Some *Markdown* body.\n\n```\ncode in the article\n```",
    )
    make_comment(
        article=article,
        status=CommentStatus.PUBLISHED,
        author_name="Ada",
        body="Weights without data are a binary blob.",
    )
    make_comment(
        article=article,
        status=CommentStatus.PUBLISHED,
        author_name="Lin",
        body=CODE_COMMENT,
    )
    pick = make_comment(
        article=article, status=CommentStatus.PUBLISHED, body="The best one."
    )
    t.feature_comment(comment=pick, editor=None, label="dissent")
    make_comment(article=article, author_name="Mara", body="Waiting for review.")
    editor = make_editor(username="ed", email="ed@example.org")
    editor.set_password(PASSWORD)
    editor.save()
    return {"base": live_server.url, "article": article}


def check(page: object, name: str) -> None:
    shot(page, f"a11y-{name}-{page.size_name}")
    violations = blocking_violations(page)
    assert not violations, f"{name} at {page.size_name}:\n{describe(violations)}"


def sign_in(page: object, base: str, next_path: str) -> None:
    page.goto(f"{base}/admin/login/?next={next_path}")
    page.get_by_label("Username").fill("ed")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()
    page.wait_for_url(f"**{next_path}")


def test_index_passes(sized_page, site):
    sized_page.goto(site["base"] + "/")
    check(sized_page, "index")


def test_article_with_comments_and_form_passes(sized_page, site):
    sized_page.goto(site["base"] + site["article"].get_absolute_url())
    assert sized_page.locator(".comment-list pre code").count() == 1
    check(sized_page, "article")


def test_form_with_errors_passes(sized_page, site):
    sized_page.goto(site["base"] + site["article"].get_absolute_url())
    sized_page.get_by_role("textbox", name="Email").fill("not an address")
    sized_page.get_by_role("button", name="Send comment").click()
    sized_page.get_by_text("Please fix what is marked below").wait_for()
    check(sized_page, "form-errors")


def test_confirmation_page_passes(sized_page, site):
    sized_page.goto(site["base"] + site["article"].get_absolute_url())
    sized_page.get_by_role("textbox", name="Comment").fill(
        "A comment to see the receipt.\n\n    indented code"
    )
    sized_page.get_by_role("button", name="Send comment").click()
    sized_page.get_by_text("Your comment is waiting for an editor").wait_for()
    check(sized_page, "confirmation")


def test_privacy_page_passes(sized_page, site):
    sized_page.goto(site["base"] + "/privacy/")
    check(sized_page, "privacy")


def test_admin_comment_list_passes(sized_page, site):
    sign_in(sized_page, site["base"], "/admin/comments/comment/")
    check(sized_page, "admin-list")


def test_review_screen_passes(sized_page, site):
    sign_in(sized_page, site["base"], "/admin/comments/comment/review/")
    assert sized_page.locator("#review-comment").count() == 1
    check(sized_page, "review")


def test_admin_index_passes(sized_page, site):
    sign_in(sized_page, site["base"], "/admin/")
    assert sized_page.locator("#review-queue-link").count() == 1
    check(sized_page, "admin-index")


def test_comment_change_page_passes(sized_page, site):
    comment = site["article"].comments.order_by("pk").first()
    t.edit_comment(comment=comment, editor=None, text="Edited, so history has rows.")
    sign_in(sized_page, site["base"], f"/admin/comments/comment/{comment.pk}/change/")
    assert sized_page.locator("#decisions-group table").count() == 1
    check(sized_page, "comment-change")


def test_picks_page_passes(sized_page, site):
    picks = f"/admin/comments/comment/picks/{site['article'].pk}/"
    sign_in(sized_page, site["base"], picks)
    assert sized_page.locator("#picks").count() == 1
    check(sized_page, "picks")


def test_sign_in_page_passes(sized_page, site):
    sized_page.goto(site["base"] + "/admin/login/")
    assert sized_page.locator("h1").count() == 1
    check(sized_page, "sign-in")


def test_editors_preview_of_a_waiting_comment_passes(sized_page, site):
    waiting = site["article"].comments.get(author_name="Mara")
    sign_in(sized_page, site["base"], "/admin/")
    sized_page.goto(site["base"] + waiting.get_absolute_url())
    sized_page.get_by_text("Preview for editors").wait_for()
    check(sized_page, "editors-preview")


def test_expired_receipt_page_passes(sized_page, site):
    sized_page.goto(site["base"] + "/comments/sent/not-a-token/")
    sized_page.get_by_text("7 days").wait_for()
    check(sized_page, "receipt-gone")


# --- The gate can fail ----------------------------------------------------------------


def test_gate_catches_unlabelled_field_and_image_without_alt(sized_page):
    sized_page.set_content(
        "<!doctype html><html lang=en><title>Broken</title><main>"
        "<img src='data:image/gif;base64,R0lGODlhAQABAAAAACw='>"
        "<form><input type=text name=q></form></main></html>"
    )

    caught = {v["id"] for v in blocking_violations(sized_page)}

    assert {"image-alt", "label"} <= caught


def test_gate_catches_a_label_removed_from_the_real_form(sized_page, site):
    sized_page.goto(site["base"] + site["article"].get_absolute_url())
    sized_page.evaluate("document.querySelector('label[for=id_body]').remove()")

    caught = {v["id"] for v in blocking_violations(sized_page)}

    assert "label" in caught
