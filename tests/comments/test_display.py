import re

import pytest

from comments.models import CommentStatus
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
