"""The comments address and the comment box in a real browser, as readers meet them.

The address reads whole on a phone (broken only after "+" or before "@"), its copy
button copies it, and without JavaScript it still reads and links; the live counter
says what is left, and a text over the limit is refused whole, never cut.
"""

import pytest
from playwright.sync_api import expect

from comments.models import Comment
from tests.e2e.conftest import shot
from tests.factories import make_article

pytestmark = pytest.mark.django_db(transaction=True)
SLUG = "open-weights-are-binaries"
ADDRESS = f"tech.handrail404+{SLUG}@passinbox.com"


@pytest.fixture
def article_url(live_server: object) -> str:
    article = make_article(title="Open Weights Are Binaries", slug=SLUG)
    return live_server.url + article.get_absolute_url()


@pytest.mark.parametrize("width", [390, 320])
def test_address_reads_whole_on_a_phone(browser, article_url, width):
    context = browser.new_context(viewport={"width": width, "height": 800})
    page = context.new_page()
    page.goto(article_url)

    link = page.locator("#write-to a.address")
    assert link.inner_text().replace("\n", "") == ADDRESS
    # Each piece (before and with "+", the slug, "@" and the domain) on one line.
    lines_per_piece = link.locator(".nobr").evaluate_all(
        "spans => spans.map(s => s.getClientRects().length)"
    )
    assert lines_per_piece == [1, 1, 1]
    overflow = page.evaluate(
        "document.documentElement.scrollWidth - document.documentElement.clientWidth"
    )
    assert overflow == 0
    shot(page, f"address-{width}")
    context.close()


def test_copy_button_copies_the_address(browser, article_url, live_server):
    context = browser.new_context()
    context.grant_permissions(
        ["clipboard-read", "clipboard-write"], origin=live_server.url
    )
    page = context.new_page()
    page.goto(article_url)

    button = page.get_by_role("button", name="Copy address")
    button.click()

    expect(page.locator("button.copy-address")).to_have_text("Copied")
    expect(page.locator("#write-to [role=status]")).to_have_text("Address copied.")
    assert page.evaluate("navigator.clipboard.readText()") == ADDRESS
    context.close()


def test_without_javascript_the_address_still_reads_and_links(browser, article_url):
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    page.goto(article_url)

    link = page.locator("#write-to a.address")
    assert link.inner_text().replace("\n", "") == ADDRESS
    assert link.get_attribute("href").startswith(f"mailto:{ADDRESS}?subject=")
    assert page.locator("button.copy-address").is_hidden()
    assert page.locator("#id_body_counter").is_hidden()
    context.close()


def test_counter_counts_down_and_an_overlong_text_is_refused_whole(page, article_url):
    page.goto(article_url)
    box = page.get_by_role("textbox", name="Comment")
    counter = page.locator("#id_body_counter")
    assert counter.inner_text() == "10,000 characters left"

    box.fill("Weights without data.   \n\n")  # trailing spaces and lines don't count
    assert counter.inner_text() == "9,979 characters left"

    too_long = "A long thought, pasted. " * 420  # 10,079 once the last space goes
    box.fill(too_long)
    assert counter.inner_text() == (
        "79 characters too many: please shorten it before sending"
    )
    page.get_by_role("button", name="Send comment").click()

    page.get_by_text("Please fix what is marked below; your text is kept.").wait_for()
    kept = page.get_by_role("textbox", name="Comment").input_value()
    assert kept.strip() == too_long.strip()  # every character, none cut
    assert "yours has 10,079. Please shorten it by 79." in page.content()
    assert counter.inner_text().startswith("79 characters too many")
    assert not Comment.objects.exists()
    shot(page, "long-text-refused")
