import pytest

from comments.intake import submit_comment
from comments.models import CommentSource
from comments.writers import confirm, row_for
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


def confirmed(address: str) -> str:
    """An address its writer confirmed (the confirmation page's POST)."""
    confirm(row_for(address))
    return address


def test_commenter_who_asked_gets_one_publication_email(mailoutbox, editor):
    comment = make_comment(
        author_email=confirmed("reader@example.org"), notify_on_publish=True
    )
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
    comment = make_comment(
        author_email=confirmed("reader@example.org"), notify_on_publish=True
    )

    def broken(*args, **kwargs):
        raise ConnectionRefusedError("smtp down")

    monkeypatch.setattr(
        "django.core.mail.backends.locmem.EmailBackend.send_messages", broken
    )
    t.publish_comment(comment=comment, editor=editor)

    comment.refresh_from_db()
    assert comment.status == "published"


def test_arrivals_after_a_notice_get_one_follow_up_at_interval_end(settings):
    from django.utils import timezone
    from django_tasks import default_task_backend

    settings.TASKS = {
        "default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend"}
    }
    settings.EDITOR_NOTICE_INTERVAL_MINUTES = 15
    make_editor(email="ed@example.org")
    article = make_article()

    for n in range(5):
        submit_comment(
            article=article, source=CommentSource.WEB, body=f"Later {n} here."
        )

    names = [r.task.name for r in default_task_backend.results]
    assert names.count("send_mail_task") == 1  # the first arrival's notice
    assert names.count("follow_up_notice") == 1  # one follow-up for the other four
    follow_up = next(
        r for r in default_task_backend.results if r.task.name == "follow_up_notice"
    )
    wait = follow_up.task.run_after - timezone.now()
    assert 14 * 60 < wait.total_seconds() <= 15 * 60


def test_once_the_notice_slot_is_free_the_next_arrival_is_announced_again(
    mailoutbox,
):
    from django.core.cache import cache

    from moderation import notices

    make_editor(email="ed@example.org")
    article = make_article()
    submit_comment(article=article, source=CommentSource.WEB, body="First one here.")
    submit_comment(article=article, source=CommentSource.WEB, body="Second one.")
    assert len(mailoutbox) == 1

    cache.delete(notices.NOTICE_LOCK_KEY)  # the interval has run out
    submit_comment(article=article, source=CommentSource.WEB, body="Third, later.")

    assert len(mailoutbox) == 2
    assert "3 comments" in mailoutbox[1].subject


def test_comments_before_any_editor_exists_do_not_spend_the_notice(mailoutbox):
    article = make_article()
    submit_comment(article=article, source=CommentSource.WEB, body="Nobody reads.")

    make_editor(email="ed@example.org")
    submit_comment(article=article, source=CommentSource.WEB, body="Now someone.")

    assert len(mailoutbox) == 1
    assert "2 comments" in mailoutbox[0].subject
