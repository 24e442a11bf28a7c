import re
from datetime import datetime, timezone

import pytest
from bs4 import BeautifulSoup
from django.test import Client

from comments.models import Comment, CommentStatus
from moderation import transitions as t
from tests.factories import make_article, make_comment
from tests.security.inert import assert_inert, atom_entry_html

pytestmark = pytest.mark.django_db
HOSTILE_NAME = '<script>alert("n")</script><img src=x onerror=alert(1)>'
HOSTILE_BODY = (
    '<a href="javascript:alert(1)">click</a> <svg onload=alert(2)> '
    '"><script>alert(3)</script>'
)


def test_published_comments_show_as_name_and_text(client):
    article = make_article()
    make_comment(
        article=article,
        status=CommentStatus.PUBLISHED,
        author_name="Linus",
        body="First para.\n\nSecond para with https://kernel.org link.",
    )

    html = client.get(article.get_absolute_url()).content.decode()

    assert "Linus:</strong> <p>First para.</p><p>Second para with" in html
    assert '<a href="https://kernel.org" rel="nofollow ugc noopener">' in html


def test_hostile_name_and_body_are_inert_on_page_and_feed(client):
    article = make_article()
    make_comment(
        article=article,
        status=CommentStatus.PUBLISHED,
        author_name=HOSTILE_NAME,
        body=HOSTILE_BODY,
    )

    page = client.get(article.get_absolute_url()).content.decode()
    feed = client.get(f"/articles/{article.slug}/comments/feed/").content

    # Parsed as a browser would (tests/security/inert.py), not by substring.
    assert_inert(page)
    entries = atom_entry_html(feed)
    assert len(entries) == 1
    assert_inert(entries[0])
    # ...and the reader's text is still there, shown as text.
    assert "&lt;script&gt;alert" in page and "&lt;svg onload=alert(2)&gt;" in page


def test_comment_permalink_points_to_its_page_and_anchor(client, settings):
    settings.COMMENTS_PER_PAGE = 2
    article = make_article()
    comments = [
        make_comment(article=article, status=CommentStatus.PUBLISHED) for _ in range(3)
    ]
    response = client.get(f"/comments/{comments[2].pk}/")
    second_page = client.get(f"{article.get_absolute_url()}?comments=2").text

    assert (
        response["Location"]
        == f"{article.get_absolute_url()}?comments=2#c{comments[2].pk}"
    )
    assert f'id="c{comments[2].pk}"' in second_page
    assert "Previous comments" in second_page


def test_pending_comment_has_no_permalink(client):
    assert client.get(f"/comments/{make_comment().pk}/").status_code == 404


def test_article_comment_feed_lists_published_only(client):
    article = make_article()
    make_comment(
        article=article, status=CommentStatus.PUBLISHED, body="In the feed please."
    )
    make_comment(article=article, body="Still pending here.")

    feed = client.get(f"/articles/{article.slug}/comments/feed/").content.decode()

    assert "In the feed please." in feed and "Still pending here." not in feed


def test_featured_comment_shows_label_and_comes_first(client, editor):
    article = make_article()
    make_comment(
        article=article, status=CommentStatus.PUBLISHED, body="Early plain one."
    )
    pick = make_comment(
        article=article, status=CommentStatus.PUBLISHED, body="Late pick."
    )
    t.feature_comment(comment=pick, editor=editor, label="dissent")

    html = client.get(article.get_absolute_url()).content.decode()

    assert html.index("Late pick.") < html.index("Early plain one.")
    assert "Editor’s pick · dissent" in html


def test_comment_count_shown_on_article_and_index(client):
    article = make_article(title="Counted")
    for _ in range(2):
        make_comment(article=article, status=CommentStatus.PUBLISHED)

    assert (
        'Comments <span class="count">(2)</span>'
        in client.get(article.get_absolute_url()).content.decode()
    )
    assert re.search(r"2 comments<", client.get("/").content.decode())


def test_comment_shows_when_the_reader_wrote_it_in_a_time_element(client):
    # Written on Friday at 17:05, published on Monday: the page says Friday.
    article = make_article()
    comment = make_comment(article=article, status=CommentStatus.PUBLISHED)
    Comment.objects.filter(pk=comment.pk).update(
        submitted_at=datetime(2026, 3, 6, 17, 5, tzinfo=timezone.utc),
        published_at=datetime(2026, 3, 9, 9, 0, tzinfo=timezone.utc),
    )
    t.edit_comment(comment=comment, editor=None, text="Moves the cache key on.")

    soup = BeautifulSoup(client.get(article.get_absolute_url()).text, "html5lib")

    time = soup.select_one(f"#c{comment.pk} time")
    assert time["datetime"] == "2026-03-06T17:05:00+00:00"
    assert time.get_text() == "6 Mar 2026, 17:05 UTC"
    assert time.parent.get_text() == "Written 6 Mar 2026, 17:05 UTC"


def test_picks_and_other_comments_have_a_heading_each(client, editor):
    article = make_article()
    make_comment(article=article, status=CommentStatus.PUBLISHED, body="Plain.")
    make_comment(article=article, status=CommentStatus.PUBLISHED, featured=True)

    soup = BeautifulSoup(client.get(article.get_absolute_url()).text, "html5lib")

    headings = [h.get_text() for h in soup.select("#comments h3.comment-group")]
    assert headings == ["Editor’s picks", "Other comments"]
    plain = soup.find(string=re.compile("Plain."))
    assert plain.find_previous("h3").get_text() == "Other comments"


def test_comments_without_picks_have_no_group_headings(client):
    article = make_article()
    make_comment(article=article, status=CommentStatus.PUBLISHED)

    soup = BeautifulSoup(client.get(article.get_absolute_url()).text, "html5lib")

    assert soup.select("#comments h3.comment-group") == []


@pytest.mark.parametrize(
    ("label", "mark"),
    [
        ("Editor's pick", "Editor’s pick"),
        ("editors’ picks", "Editor’s pick"),
        ("", "Editor’s pick"),
        ("dissent", "Editor’s pick · dissent"),
    ],
)
def test_pick_label_that_repeats_the_mark_is_not_shown_twice(
    client, editor, label, mark
):
    article = make_article()
    pick = make_comment(article=article, status=CommentStatus.PUBLISHED)
    t.feature_comment(comment=pick, editor=editor, label=label)

    soup = BeautifulSoup(client.get(article.get_absolute_url()).text, "html5lib")

    assert soup.select_one(".pick-mark").get_text() == mark


def test_comment_feed_says_published_when_public_and_is_styled_for_browsers(client):
    article = make_article(slug="weights")
    comment = make_comment(article=article, status=CommentStatus.PUBLISHED)
    Comment.objects.filter(pk=comment.pk).update(
        submitted_at=datetime(2026, 3, 6, 17, 5, tzinfo=timezone.utc),
        published_at=datetime(2026, 3, 9, 9, 0, tzinfo=timezone.utc),
    )

    response = client.get("/articles/weights/comments/feed/")

    feed = response.content.decode()
    assert response["Content-Type"].startswith("application/xml")
    assert re.search(r'<\?xml-stylesheet href="/static/feed[^"]*\.xsl"', feed)
    assert "<published>2026-03-09T09:00:00+00:00</published>" in feed
    assert "<updated>2026-03-09T09:00:00+00:00</updated>" in feed


def test_article_page_links_its_comment_feed_and_the_form(client):
    article = make_article(slug="weights")

    soup = BeautifulSoup(client.get(article.get_absolute_url()).text, "html5lib")

    feed = "/articles/weights/comments/feed/"
    assert soup.find("link", rel="alternate", href=feed)
    assert soup.find("a", href=feed).get_text() == "Comments feed (Atom)"
    skips = soup.find_all("a", string="Write a comment")
    assert [a["href"] for a in skips] == ["#comment-form", "#comment-form"]
    assert soup.find(id="comment-form")


def test_code_blocks_are_no_tab_stops_in_the_page_itself(client):
    article = make_article()
    make_comment(
        article=article, status=CommentStatus.PUBLISHED, body="```\nshort\n```"
    )

    soup = BeautifulSoup(client.get(article.get_absolute_url()).text, "html5lib")

    assert soup.select_one(".comment-text pre").attrs == {}


@pytest.mark.parametrize("status", ["pending", "rejected"])
def test_view_on_site_of_an_unpublished_comment_previews_it_for_editors(
    editor_client, status
):
    article = make_article(title="Open Weights")
    comment = make_comment(
        article=article, status=status, body="Not public *yet*: `code`."
    )

    preview = editor_client.get(comment.get_absolute_url())
    stranger = Client().get(comment.get_absolute_url())

    assert preview.status_code == 200
    assert "Preview for editors" in preview.text and "Open Weights" in preview.text
    assert "<code>code</code>" in preview.text
    assert "private" in preview["Cache-Control"]
    assert "no-store" in preview["Cache-Control"]
    assert stranger.status_code == 404
    assert "Not public" not in stranger.text
