"""The editors' desk on a phone (390x844, touch, no mouse): nothing spills sideways,
the decisions are within the first screen, a long comment scrolls inside its box,
and no key hints show where there is no keyboard."""

from collections.abc import Iterator

import pytest

from comments.models import CommentStatus
from tests.e2e.conftest import SHOTS, shot
from tests.factories import make_article, make_comment, make_editor

pytestmark = pytest.mark.django_db(transaction=True)
PASSWORD = "correct horse battery"
CODE = (
    "Pin the digest:\n\n```\nsha256sum weights.bin | tee weights.sha256"
    "  # and a very long comment after the command that scrolls\n```\n\n"
)
LONG = CODE + "A long thought on reproducible weights, again and again. " * 400


def phone(browser: object, live_server: object, *, touch: bool) -> object:
    context = browser.new_context(
        viewport={"width": 390, "height": 844},
        has_touch=touch,
        is_mobile=touch,
        device_scale_factor=1,
    )
    page = context.new_page()
    page.set_default_timeout(10_000)
    page.goto(f"{live_server.url}/admin/login/?next=/admin/comments/comment/review/")
    page.get_by_label("Username").fill("ed")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()
    page.wait_for_url("**/admin/comments/comment/review/")
    page.base = live_server.url
    return page


@pytest.fixture
def queue(live_server: object) -> object:
    article = make_article(title="Open Weights Are Binaries", slug="open-weights")
    make_comment(article=article, author_name="Lin", body=LONG)
    make_comment(article=article, author_name="Ada", body=CODE + "Short one.")
    make_comment(
        article=article, author_name="Old", body="Done.", status=CommentStatus.PUBLISHED
    )
    editor = make_editor(username="ed", email="ed@example.org")
    editor.set_password(PASSWORD)
    editor.save()
    return live_server


@pytest.fixture
def touch_phone(browser: object, queue: object) -> Iterator[object]:
    page = phone(browser, queue, touch=True)
    yield page
    page.context.close()


def first_screen(page: object, name: str) -> None:
    """What the phone shows before any scrolling. (A full-page screenshot resizes
    the emulated screen and, with it, drops the touch emulation: key hints would
    show in it that the phone doesn't show.)"""
    SHOTS.mkdir(exist_ok=True)
    page.screenshot(path=str(SHOTS / f"{name}.png"))


def page_width(page: object) -> int:
    return page.evaluate("document.documentElement.scrollWidth")


def test_review_screen_fits_a_phone_with_decisions_in_the_first_screen(touch_phone):
    page = touch_phone
    first_screen(page, "phone-review-long")

    assert page_width(page) <= 390
    publish = page.locator("#review-publish").bounding_box()
    assert publish["y"] + publish["height"] <= 844
    text = page.locator("#review-text")
    assert text.evaluate("el => el.scrollHeight > el.clientHeight")
    assert text.evaluate("el => el.getBoundingClientRect().height") <= 844 * 0.6
    code = page.locator("#review-text pre")
    assert code.evaluate("el => el.scrollWidth > el.clientWidth")  # scrolls itself


def test_short_comment_with_code_publishes_from_the_first_screen(touch_phone):
    page = touch_phone
    page.locator("#review-next").click()
    page.locator("#review-text").get_by_text("Short one.").wait_for()
    first_screen(page, "phone-review-short")
    assert page_width(page) <= 390

    page.locator("#review-publish").tap()

    page.get_by_text("Nothing waiting").or_(page.locator("#review-comment")).wait_for()
    assert page.get_by_text("Undo").count() >= 1


def test_no_key_hints_on_a_touch_screen_but_with_a_keyboard(browser, queue):
    with_touch = phone(browser, queue, touch=True)
    try:
        assert not with_touch.locator("#review-publish kbd").is_visible()
        assert not with_touch.locator("#review-keysheet").is_visible()
    finally:
        with_touch.context.close()
    desk = browser.new_context(viewport={"width": 1280, "height": 800})
    page = desk.new_page()
    page.goto(f"{queue.url}/admin/login/?next=/admin/comments/comment/review/")
    page.get_by_label("Username").fill("ed")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()
    page.wait_for_url("**/admin/comments/comment/review/")
    try:
        assert page.locator("#review-publish kbd").is_visible()
        assert page_width(page) <= 1280
    finally:
        desk.close()


def test_comment_list_on_a_phone_shows_what_an_editor_decides_by(touch_phone):
    page = touch_phone
    page.goto(page.base + "/admin/comments/comment/")
    shot(page, "phone-admin-list")

    headers = [
        h.strip().lower()
        for h in page.locator("#result_list thead th:visible").all_inner_texts()
    ]
    assert {"comment", "status", "spam"} <= set(headers)
    assert (
        page.locator("#changelist .results").evaluate(
            "el => el.scrollWidth - el.clientWidth"
        )
        <= 0
    )
