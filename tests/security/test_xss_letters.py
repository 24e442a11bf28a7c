"""The editors' reply and the name an editor gives: every hostile payload inert on
the article page, the comments feed and the admin (issue 23)."""

from contextlib import suppress

import pytest

from comments.models import CommentStatus
from moderation import transitions as t
from tests.factories import make_article, make_comment
from tests.security.inert import assert_inert, atom_entry_html
from tests.security.xss_payloads import PAYLOADS


@pytest.fixture
def answered_article(editor):
    """Published comments renamed to every payload (those the name rules accept)
    and answered with every payload."""
    article = make_article(title="Answered", slug="answered")
    for n, payload in enumerate(PAYLOADS):
        comment = make_comment(
            article=article, status=CommentStatus.PUBLISHED, body=f"Letter {n}."
        )
        # Refused as the form refuses it (bidi overrides, controls): left as is.
        with suppress(t.InvalidTransition):
            t.rename_comment(comment=comment, editor=editor, name=payload[:100])
        with suppress(t.InvalidTransition):
            t.reply_to_comment(comment=comment, editor=editor, text=payload)
    article.refresh_from_db()
    return article


@pytest.mark.django_db
def test_replies_and_names_with_hostile_payloads_are_inert_on_the_page(
    client, answered_article
):
    response = client.get(answered_article.get_absolute_url())

    assert response.status_code == 200
    assert response.text.count("Editors’ reply") > 0.9 * len(PAYLOADS)
    assert '<strong class="author">&lt;script&gt;alert(1)&lt;/script&gt;:' in (
        response.text
    )
    assert_inert(response.text)


@pytest.mark.django_db
def test_replies_with_hostile_payloads_are_inert_in_the_feed(client, answered_article):
    response = client.get(f"/articles/{answered_article.slug}/comments/feed/")

    fragments = atom_entry_html(response.content)
    assert response.status_code == 200 and len(fragments) == min(50, len(PAYLOADS))
    assert sum("Editors’ reply" in f for f in fragments) > 0.9 * len(fragments)
    for fragment in fragments:
        assert_inert(fragment)
