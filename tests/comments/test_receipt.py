"""After posting, the reader's own private page; a repeat is not stored twice."""

import pytest
from django.core import signing

from comments.mail.pipeline import ingest_raw_email
from comments.models import Comment
from moderation import transitions as t
from tests.comments.mail.messages import email_bytes
from tests.factories import make_article

pytestmark = pytest.mark.django_db


def _post(client, article, body: str, **extra):
    return client.post(
        f"/articles/{article.slug}/comment/",
        {"name": "Ada", "body": body, "email": "ada@example.org"},
        **extra,
    )


def test_receipt_shows_the_comment_as_visitors_will_see_it(client, article):
    posted = _post(client, article, "See https://example.org and <i>this</i>.")

    receipt = client.get(posted["Location"])

    assert receipt.status_code == 200
    assert 'href="https://example.org"' in receipt.text  # linked, as published
    assert "&lt;i&gt;this&lt;/i&gt;" in receipt.text  # markup shown as typed
    assert "waiting for an editor" in receipt.text
    assert "ada@example.org" not in receipt.text
    assert "ada@example.org" not in posted["Location"]


def test_receipt_is_private_to_the_reader(client, article):
    posted = _post(client, article, "Just for me to see.")

    receipt = client.get(posted["Location"])

    assert "no-store" in receipt["Cache-Control"]
    assert "private" in receipt["Cache-Control"]
    assert receipt["X-Robots-Tag"] == "noindex"


def test_receipt_says_when_an_editor_has_published_it(client, article):
    posted = _post(client, article, "Worth publishing, I hope.")
    t.publish_comment(comment=Comment.objects.get(), editor=None)

    receipt = client.get(posted["Location"])

    assert "An editor has published it" in receipt.text
    assert "waiting for an editor" not in receipt.text


@pytest.mark.parametrize(
    "forge",
    [
        str,
        lambda pk: signing.dumps(pk, salt="another.purpose"),
        lambda pk: signing.dumps(pk, salt="comments.receipt")[:-2] + "xx",
    ],
    ids=["bare-id", "other-salt", "tampered"],
)
def test_guessed_or_forged_receipt_is_not_found(client, article, forge):
    _post(client, article, "Nobody else's business.")
    token = forge(Comment.objects.get().pk)  # a comment that does exist

    assert client.get(f"/comments/sent/{token}/").status_code == 404


def test_receipt_expires(client, article, monkeypatch):
    posted = _post(client, article, "A week and a day later.")
    later = signing.time.time() + 8 * 24 * 3600
    monkeypatch.setattr(signing.time, "time", lambda: later)

    assert client.get(posted["Location"]).status_code == 404


def test_same_comment_sent_twice_is_stored_once(client, article):
    first = _post(client, article, "Sent once, clicked twice.")
    again = _post(client, article, "Sent once,  clicked twice.")  # spacing folded

    assert Comment.objects.count() == 1
    assert again.status_code == 200
    assert "had already reached us" in again.text and article.title in again.text
    assert "Sent once, clicked twice." in client.get(first["Location"]).text


def test_repeat_shows_nothing_of_the_earlier_comment(client, article):
    # Someone who knows a comment's text and its writer's address (or shares
    # their IP) learned the writer's name and the comment's status from the
    # writer's own receipt (issue 22).
    client.post(
        f"/articles/{article.slug}/comment/",
        {"name": "Original Writer", "body": "Known words.", "email": "w@ex.org"},
    )
    t.reject_comment(comment=Comment.objects.get(), editor=None, reason="")

    again = client.post(
        f"/articles/{article.slug}/comment/",
        {"name": "Someone Else", "body": "Known words.", "email": "w@ex.org"},
    )

    assert again.status_code == 200 and "had already reached us" in again.text
    assert "Original Writer" not in again.text
    assert "Someone Else" not in again.text
    assert (
        "chose not to publish" not in again.text and "/comments/sent/" not in again.text
    )
    assert Comment.objects.count() == 1


def test_same_text_to_another_article_is_a_new_comment(client, article):
    _post(client, article, "Fits both articles.")
    _post(client, make_article(), "Fits both articles.")

    assert Comment.objects.count() == 2


def test_same_text_from_another_reader_is_stored(client, article):
    _post(client, article, "Great minds think alike.", REMOTE_ADDR="10.0.0.1")
    client.post(
        f"/articles/{article.slug}/comment/",
        {"body": "Great minds think alike."},
        REMOTE_ADDR="10.0.0.2",
    )

    assert Comment.objects.count() == 2


def test_emailed_repeat_with_a_new_message_id_is_ignored(article):
    text = "The same words, sent from my phone and my laptop."
    first = ingest_raw_email(email_bytes(subject=f"[{article.slug}] hi", body=text))
    again = ingest_raw_email(email_bytes(subject=f"[{article.slug}] hi", body=text))

    assert (first.outcome, again.outcome) == ("queued", "ignored")
    assert again.reason == "repeat"
    assert Comment.objects.count() == 1
