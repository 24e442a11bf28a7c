"""One structured line per event, and never a comment's text or an address."""

import logging

import pytest

from moderation.transitions import publish_comment

BODY = "A very personal story about my neighbour Bob."
EMAIL = "ada.lovelace@example.org"


@pytest.mark.django_db
def test_submitted_comment_logs_one_line_without_text_or_address(
    client, article, caplog
):
    caplog.set_level(logging.INFO)

    client.post(
        f"/articles/{article.slug}/comment/",
        {"name": "Ada", "email": EMAIL, "body": BODY, "notify": "on"},
    )

    lines = [r for r in caplog.records if r.name == "sourcehat.comments"]
    assert len(lines) == 1
    message = lines[0].getMessage()
    assert message.startswith("comment submitted id=")
    assert f"article={article.slug}" in message and "status=" in message
    everything = "\n".join(r.getMessage() for r in caplog.records)
    assert "neighbour" not in everything and EMAIL not in everything
    assert "ada.lovelace" not in everything


@pytest.mark.django_db
def test_decision_logs_one_line_without_text_or_address(
    article, editor, caplog, django_capture_on_commit_callbacks
):
    from tests.factories import make_comment

    comment = make_comment(article=article, body=BODY, author_email=EMAIL)
    caplog.set_level(logging.INFO)

    with django_capture_on_commit_callbacks(execute=True):
        publish_comment(comment=comment, editor=editor)

    lines = [r for r in caplog.records if r.name == "sourcehat.moderation"]
    assert len(lines) == 1
    assert lines[0].getMessage() == (
        f"decision action=publish comment={comment.pk} from=pending "
        f"to=published editor={editor.pk}"
    )
    everything = "\n".join(r.getMessage() for r in caplog.records)
    assert "neighbour" not in everything and EMAIL not in everything


@pytest.mark.django_db
def test_ingested_email_logs_without_text_or_address(article, caplog):
    from comments.addressing import comments_address_for
    from comments.mail.pipeline import ingest_raw_email

    raw = (
        f"From: Ada Lovelace <{EMAIL}>\nTo: {comments_address_for(article)}\n"
        f"Subject: My story\nMessage-ID: <log-test@example.org>\n\n{BODY}\n"
    ).encode()
    caplog.set_level(logging.INFO)

    ingest_raw_email(raw)

    messages = [r.getMessage() for r in caplog.records]
    assert any(m.startswith("inbound email ") for m in messages)
    everything = "\n".join(messages)
    assert "neighbour" not in everything and EMAIL not in everything
    assert "Lovelace" not in everything
