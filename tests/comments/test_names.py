"""The name an emailed letter's sender gave, suggested to editors."""

import pytest

from comments.mail.pipeline import ingest_raw_email
from comments.models import Comment
from comments.names import suggested_name
from tests.comments.mail.messages import email_bytes
from tests.factories import make_article, make_comment

pytestmark = pytest.mark.django_db


def letter(sender: str, body: str = "A letter with some words in it.") -> Comment:
    article = make_article()
    raw = email_bytes(
        to=f"tech.handrail404+{article.slug}@passinbox.com", sender=sender, body=body
    )
    return Comment.objects.get(pk=ingest_raw_email(raw).comment)


def test_from_display_name_is_suggested_and_not_shown():
    comment = letter("Sam Example <sam@example.org>")

    assert comment.author_name == "Anonymous"
    assert suggested_name(comment) == "Sam Example"


def test_signature_name_is_suggested_when_from_has_none():
    comment = letter(
        "sam@example.org",
        body="I think so.\n\n-- \nSam Example\nEngineer, https://example.org\n",
    )

    assert "Sam Example" in comment.trimmed_text
    assert suggested_name(comment) == "Sam Example"


@pytest.mark.parametrize(
    "signature", ["https://example.org", "+44 20 7946 0000", "sam@example.org"]
)
def test_signature_that_is_not_a_name_suggests_nothing(signature):
    comment = letter("sam@example.org", body=f"I think so.\n\n-- \n{signature}\n")

    assert suggested_name(comment) == ""


def test_address_as_display_name_suggests_nothing():
    assert suggested_name(letter('"sam@example.org" <sam@example.org>')) == ""


def test_form_comment_has_no_suggestion():
    assert suggested_name(make_comment(author_name="Ada")) == ""
