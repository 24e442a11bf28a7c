"""purge_personal_data: readers' network data and raw emails go after the retention."""

from datetime import timedelta
from io import StringIO

import pytest
from django.core.management import call_command
from django.utils import timezone

from comments.models import Comment, InboundEmail
from tests.factories import make_comment


def purge(*args: str) -> str:
    out = StringIO()
    call_command("purge_personal_data", *args, stdout=out)
    return out.getvalue()


def aged(comment: Comment, days: int) -> Comment:
    Comment.objects.filter(pk=comment.pk).update(
        submitted_at=timezone.now() - timedelta(days=days)
    )
    return comment


def stored_email(days: int, **fields) -> InboundEmail:
    return InboundEmail.objects.create(
        raw=b"From: a@example.org\r\n\r\nhello",
        extracted_text="hello",
        raw_size=30,
        raw_sha256="x" * 64,
        dedupe_key=f"key-{days}-{InboundEmail.objects.count()}",
        sender="a@example.org",
        outcome="queued",
        received_at=timezone.now() - timedelta(days=days),
        **fields,
    )


@pytest.fixture
def web(article):
    def make(days: int, **fields) -> Comment:
        return aged(
            make_comment(
                article=article,
                ip_address="203.0.113.9",
                user_agent="Firefox/130",
                **fields,
            ),
            days,
        )

    return make


@pytest.mark.django_db
def test_old_comments_lose_ip_and_browser_new_ones_keep_them(web, settings):
    settings.PERSONAL_DATA_RETENTION_DAYS = 30
    old, new = web(31), web(29)

    output = purge()

    old.refresh_from_db()
    new.refresh_from_db()
    assert (old.ip_address, old.user_agent) == (None, "")
    assert (new.ip_address, new.user_agent) == ("203.0.113.9", "Firefox/130")
    assert old.body  # the comment itself stays
    assert "of 1 comment(s)" in output


@pytest.mark.django_db
def test_old_emails_lose_raw_bytes_but_keep_outcome_and_text(article):
    old, new = stored_email(40), stored_email(2)
    comment = make_comment(article=article, source="email", inbound_email=old)

    output = purge()

    old.refresh_from_db()
    new.refresh_from_db()
    comment.refresh_from_db()
    assert bytes(old.raw) == b"" and old.raw_purged_at is not None
    assert old.extracted_text == "" and new.extracted_text == "hello"
    assert old.outcome == "queued" and comment.body
    assert bytes(new.raw).startswith(b"From:") and new.raw_purged_at is None
    assert "drop the raw copy of 1 email(s)" in output


@pytest.mark.django_db
def test_second_run_changes_nothing(web):
    web(60)
    stored_email(60)
    purge()

    output = purge()

    assert "of 0 comment(s) and drop the raw copy of 0 email(s)" in output


@pytest.mark.django_db
def test_dry_run_counts_without_changing(web):
    comment = web(60)

    output = purge("--dry-run")

    comment.refresh_from_db()
    assert "would blank" in output and "of 1 comment(s)" in output
    assert comment.ip_address == "203.0.113.9"


@pytest.mark.django_db
def test_spam_older_than_deletes_only_old_spam_and_rejected(web):
    old_spam, old_rejected = web(100, status="spam"), web(100, status="rejected")
    new_spam, old_pending = web(5, status="spam"), web(100)
    old_published = web(100, status="published")

    output = purge("--spam-older-than", "90")

    left = set(Comment.objects.values_list("pk", flat=True))
    assert old_spam.pk not in left and old_rejected.pk not in left
    assert {new_spam.pk, old_pending.pk, old_published.pk} <= left
    assert "delete 2 spam or rejected comment(s)" in output


@pytest.mark.django_db
def test_without_spam_option_nothing_is_deleted(web):
    web(400, status="spam")

    purge()

    assert Comment.objects.count() == 1


@pytest.mark.django_db
def test_privacy_page_states_the_retention_period(client, settings):
    settings.PERSONAL_DATA_RETENTION_DAYS = 45

    html = client.get("/privacy/").text

    assert "deleted 45 days after you send the comment" in html
    assert "raw copy is deleted after 45 days" in html
    assert settings.COMMENTS_EMAIL_ADDRESS in html
