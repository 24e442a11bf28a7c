import pytest

from comments.intake import submit_comment
from comments.models import CommentSource
from moderation import transitions as t
from tests.factories import make_article, make_comment, make_editor

pytestmark = pytest.mark.django_db(transaction=True)


def test_many_arrivals_make_one_editor_notice(mailoutbox):
    make_editor(email="ed@example.org")
    article = make_article()

    for n in range(20):
        submit_comment(
            article=article, source=CommentSource.WEB, body=f"Comment {n} here."
        )

    assert len(mailoutbox) == 1
    notice = mailoutbox[0]
    assert notice.to == ["ed@example.org"]
    assert "1 comment" in notice.subject
    assert notice.extra_headers["Auto-Submitted"] == "auto-generated"
    assert notice.extra_headers["Message-ID"].endswith("@127.0.0.1>")


def test_commenter_who_asked_gets_one_publication_email(mailoutbox, editor):
    comment = make_comment(author_email="reader@example.org", notify_on_publish=True)
    mailoutbox.clear()

    t.publish_comment(comment=comment, editor=editor)

    assert [m.to for m in mailoutbox] == [["reader@example.org"]]
    assert "is published" in mailoutbox[0].subject
    assert f"/comments/{comment.pk}/" in mailoutbox[0].body


def test_commenter_who_did_not_ask_gets_nothing(mailoutbox, editor):
    comment = make_comment(author_email="reader@example.org")
    mailoutbox.clear()

    t.publish_comment(comment=comment, editor=editor)

    assert mailoutbox == []


def test_failing_mail_server_does_not_lose_the_decision(editor, monkeypatch, settings):
    comment = make_comment(author_email="reader@example.org", notify_on_publish=True)

    def broken(*args, **kwargs):
        raise ConnectionRefusedError("smtp down")

    monkeypatch.setattr(
        "django.core.mail.backends.locmem.EmailBackend.send_messages", broken
    )
    t.publish_comment(comment=comment, editor=editor)

    comment.refresh_from_db()
    assert comment.status == "published"
