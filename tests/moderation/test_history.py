"""A letter sent again is shown as such, with the writer's record, on the review
screen and the comment's admin page."""

from datetime import timedelta

import pytest
from django.utils import timezone

from comments.mail.pipeline import ingest_raw_email
from comments.models import Comment
from moderation import transitions as t
from tests.comments.mail.messages import email_bytes
from tests.conftest import is_postgres
from tests.factories import make_article
from tests.moderation.desk import REVIEW_URL

LETTER = "Your take on the borrow checker misses how lifetimes are inferred."


def age(comment: Comment, days: int) -> None:
    """Move a letter back in time (the repeat rule refuses a resend within a day)."""
    when = timezone.now() - timedelta(days=days)
    Comment.objects.filter(pk=comment.pk).update(submitted_at=when)


def post_form(client, article, body: str, email: str = "mara@example.org"):
    fields = {"name": "Mara", "email": email, "body": body}
    response = client.post(f"/articles/{article.slug}/comment/", fields)
    assert response.status_code == 303
    return Comment.objects.latest("pk")


def review_page(client, comment: Comment) -> str:
    return client.get(REVIEW_URL, {"c": comment.pk}).content.decode()


def list_row(client, comment: Comment) -> str:
    """The admin list's row of `comment` (the pending list: where it waits)."""
    html = client.get("/admin/comments/comment/").content.decode()
    start = html.index(f"/admin/comments/comment/{comment.pk}/change/")
    return html[start : html.index("</tr>", start)]


@pytest.mark.django_db
def test_form_letter_sent_again_after_a_rejection_says_so(
    client, editor_client, editor
):
    article = make_article()
    first = post_form(client, article, LETTER)
    t.reject_comment(comment=first, editor=editor, reason="off topic")
    age(first, 3)

    again = post_form(client, article, LETTER)

    html = review_page(editor_client, again)
    assert "Sent before: rejected" in html
    assert "off topic" in html
    assert f'data-comment-id="{first.pk}" data-status="rejected"' in html
    assert "1 earlier letter: 1 rejected." in html
    change = editor_client.get(f"/admin/comments/comment/{again.pk}/change/")
    assert "Sent before: rejected" in change.content.decode()
    assert "sent before: rejected" in list_row(editor_client, again)


@pytest.mark.django_db
def test_emailed_letter_sent_again_after_being_marked_spam_says_so(
    editor_client, editor
):
    make_article(slug="open-weights")
    to = "tech.handrail404+open-weights@passinbox.com"
    first = Comment.objects.get(
        pk=ingest_raw_email(email_bytes(to=to, body=LETTER)).comment
    )
    t.mark_spam(comment=first, editor=editor)
    age(first, 2)

    again = Comment.objects.get(
        pk=ingest_raw_email(email_bytes(to=to, body=LETTER)).comment
    )

    html = review_page(editor_client, again)
    assert "Sent before: marked as spam" in html
    assert "1 earlier letter: 1 marked as spam." in html
    assert "sent before: marked as spam" in list_row(editor_client, again)


@pytest.mark.django_db
def test_a_writers_record_counts_what_became_of_each_letter(
    client, editor_client, editor
):
    article = make_article()
    published = post_form(client, article, "A first, kind letter about generics.")
    t.publish_comment(comment=published, editor=editor)
    rejected = post_form(client, article, "A second, cross letter about macros.")
    t.reject_comment(comment=rejected, editor=editor)
    for letter in (published, rejected):
        age(letter, 5)

    latest = post_form(client, article, "A third letter, on something else entirely.")

    html = review_page(editor_client, latest)
    assert "2 earlier letters: 1 published, 1 rejected." in html
    assert "Sent before" not in html  # different text: not a resubmission


@pytest.mark.django_db
def test_first_letter_says_so(client, editor_client):
    letter = post_form(client, make_article(), LETTER, email="new@example.org")

    assert "First letter from this writer." in review_page(editor_client, letter)


@pytest.mark.django_db
def test_the_same_text_from_someone_else_is_not_their_resubmission(
    client, editor_client, editor
):
    article = make_article()
    other = post_form(client, article, LETTER, email="other@example.org")
    t.reject_comment(comment=other, editor=editor)
    age(other, 3)
    Comment.objects.filter(pk=other.pk).update(ip_address="192.0.2.7")

    mine = post_form(client, article, LETTER, email="mara@example.org")

    assert "Sent before" not in review_page(editor_client, mine)
    assert "sent before" not in list_row(editor_client, mine)


@pytest.mark.postgres
@pytest.mark.django_db
def test_a_resent_letter_with_a_word_changed_is_still_recognised(
    client, editor_client, editor
):
    assert is_postgres()
    article = make_article()
    first = post_form(client, article, LETTER)
    t.reject_comment(comment=first, editor=editor, reason="off topic")
    age(first, 3)

    again = post_form(client, article, LETTER.replace("misses", "ignores"))

    html = review_page(editor_client, again)
    assert "Sent before: rejected" in html
    assert "(nearly the same text)" in html
