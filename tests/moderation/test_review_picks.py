"""Picks that read like a letters page: order and labels set by the editors."""

import pytest
from bs4 import BeautifulSoup
from django.urls import reverse

from comments.models import CommentStatus
from moderation.models import PickLabel
from tests.factories import make_article, make_comment, make_user

S = CommentStatus
pytestmark = pytest.mark.django_db


def picks_url(article) -> str:
    return reverse("admin:comments_comment_picks", args=[article.pk])


def article_order(client, article) -> list[str]:
    """Comment anchors on the public article page, top to bottom."""
    soup = BeautifulSoup(
        client.get(article.get_absolute_url()).content.decode(), "html.parser"
    )
    return [li["id"] for li in soup.select("ol.comment-list > li")]


def three_picks(article):
    return [
        make_comment(article=article, status=S.PUBLISHED, featured=True)
        for _ in range(3)
    ]


def test_moving_a_pick_up_changes_the_article_page_order(editor_client, client):
    article = make_article()
    plain = make_comment(article=article, status=S.PUBLISHED)
    first, second, third = three_picks(article)

    editor_client.post(picks_url(article), {"comment": third.pk, "move": "up"})

    assert article_order(client, article) == [
        f"c{c.pk}" for c in (first, third, second, plain)
    ]


def test_moving_a_pick_down_then_listing_shows_new_order(editor_client):
    article = make_article()
    first, second, third = three_picks(article)

    editor_client.post(picks_url(article), {"comment": first.pk, "move": "down"})

    soup = BeautifulSoup(
        editor_client.get(picks_url(article)).content.decode(), "html.parser"
    )
    rows = [int(tr["data-comment-id"]) for tr in soup.select("#picks tbody tr")]
    assert rows == [second.pk, first.pk, third.pk]


def test_moving_the_top_pick_up_changes_nothing(editor_client, client):
    article = make_article()
    picks = three_picks(article)

    editor_client.post(picks_url(article), {"comment": picks[0].pk, "move": "up"})

    assert article_order(client, article) == [f"c{c.pk}" for c in picks]


def test_setting_a_label_shows_it_beside_the_pick_mark(editor_client, client):
    PickLabel.objects.create(name="first-hand experience")
    article = make_article()
    pick = make_comment(article=article, status=S.PUBLISHED, featured=True)

    editor_client.post(
        picks_url(article),
        {"comment": pick.pk, "move": "label", "label": "first-hand experience"},
    )

    page = client.get(article.get_absolute_url()).content.decode()
    assert "Editor’s pick · first-hand experience" in page


def test_comment_that_is_not_a_pick_here_cannot_be_moved(editor_client):
    article = make_article()
    picks = three_picks(article)
    elsewhere = make_comment(status=S.PUBLISHED, featured=True)

    response = editor_client.post(
        picks_url(article), {"comment": elsewhere.pk, "move": "up"}, follow=True
    )

    assert "not a pick on this article" in response.content.decode()
    orders = [c.feature_order for c in picks]
    for c in picks:
        c.refresh_from_db()
    assert [c.feature_order for c in picks] == orders


def test_picks_page_needs_comment_permission(client):
    client.force_login(make_user(is_staff=True))

    assert client.get(picks_url(make_article())).status_code == 403


def test_article_admin_page_links_to_picks(admin_client):
    article = make_article()

    page = admin_client.get(
        reverse("admin:blog_article_change", args=[article.pk])
    ).content.decode()

    assert picks_url(article) in page
