"""The editors' comment list and a comment's page, measured in a real browser at
1280x800 (the size an editor's laptop shows them): nothing off to the right, nothing
under the buttons.
"""

import pytest

from comments.mail.pipeline import ingest_raw_email
from comments.models import CommentStatus
from tests.comments.mail.messages import email_bytes
from tests.e2e.conftest import shot
from tests.factories import make_article, make_comment, make_editor

pytestmark = pytest.mark.django_db(transaction=True)
PASSWORD = "correct horse battery"
LONG_TITLE = "Reproducible Builds, Ten Years On: What the Distributions Learned"


@pytest.fixture
def desk(live_server: object, browser: object) -> object:
    """An editor signed in at 1280x800, with a queue that has long everything."""
    article = make_article(title=LONG_TITLE, slug="reproducible-builds")
    for n in range(12):
        make_comment(
            article=article,
            author_name=f"Maximiliane Oberhauser-Lindqvist {n}",
            body="Build paths still bite us in Go with cgo, and " * 20,
            status=CommentStatus.PUBLISHED if n % 3 == 0 else CommentStatus.PENDING,
        )
    ingest_raw_email(
        email_bytes(
            to="tech.handrail404+reproducible-builds@passinbox.com",
            body="Emailed: " + "a rather long line of thought " * 30,
        )
    )
    editor = make_editor(username="ed", email="ed@example.org")
    editor.set_password(PASSWORD)
    editor.save()
    context = browser.new_context(viewport={"width": 1280, "height": 800})
    page = context.new_page()
    page.goto(f"{live_server.url}/admin/login/?next=/admin/comments/comment/")
    page.get_by_label("Username").fill("ed")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()
    page.wait_for_url("**/admin/comments/comment/")
    page.base = live_server.url
    yield page
    context.close()


def overflow(page: object, selector: str) -> int:
    """How many pixels of the element are out of sight to the right."""
    return page.locator(selector).evaluate("el => el.scrollWidth - el.clientWidth")


def test_comment_list_fits_1280_without_sideways_scroll(desk):
    desk.goto(desk.base + "/admin/comments/comment/?status=all")
    shot(desk, "editor-list-1280")

    assert overflow(desk, "#changelist .results") <= 0
    assert overflow(desk, "html") <= 0
    for header in ("Status", "Spam", "Submitted", "Featured"):
        box = desk.get_by_role("columnheader", name=header).bounding_box()
        assert box["x"] + box["width"] <= 1280, header


def test_comment_list_filters_open_and_choose(desk):
    desk.goto(desk.base + "/admin/comments/comment/")
    status = desk.locator("#changelist-filter details").first

    assert not status.evaluate("d => d.open")
    status.locator("summary").click()
    status.get_by_role("link", name="Published").click()

    desk.wait_for_url("**status=published**")
    assert "Status: Published" in desk.locator("#changelist-filter").inner_text()
    assert desk.locator("#result_list tbody tr").count() == 4


def test_long_title_on_comment_page_stays_clear_of_the_buttons(desk):
    desk.goto(desk.base + "/admin/comments/comment/?status=all")
    desk.locator("#result_list tbody tr a").first.click()
    desk.get_by_role("link", name="History").wait_for()
    shot(desk, "editor-comment-page-1280")

    title = desk.locator("#content > h2").bounding_box()
    tools = desk.locator("ul.object-tools").bounding_box()
    apart = (
        title["x"] + title["width"] <= tools["x"]
        or tools["y"] + tools["height"] <= title["y"]
    )
    assert apart, (title, tools)
    assert desk.locator("#id_edited_body").input_value().startswith("Build paths")
