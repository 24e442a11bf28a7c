"""Editors and inbound email in the admin: the list, the detail, re-processing."""

import pytest
from django.urls import reverse

from comments.mail import pipeline
from comments.mail.pipeline import ingest_raw_email
from comments.models import Comment, InboundEmail
from moderation import transitions
from tests.comments.mail.messages import email_bytes
from tests.factories import make_article

CHANGELIST = reverse("admin:comments_inboundemail_changelist")


def detail_url(pk: int) -> str:
    return reverse("admin:comments_inboundemail_change", args=[pk])


@pytest.mark.django_db
def test_inbound_list_shows_outcome_reason_and_links_the_comment(editor_client):
    result = ingest_raw_email(email_bytes(subject="Great article"))

    page = editor_client.get(CHANGELIST).content.decode()

    assert "Great article" in page and "unrouted" in page
    assert reverse("admin:comments_comment_change", args=[result.comment]) in page


@pytest.mark.django_db
def test_inbound_list_filters_by_outcome(editor_client):
    ingest_raw_email(email_bytes(subject="Human"))
    ingest_raw_email(
        email_bytes(subject="Robot", headers={"Auto-Submitted": "auto-replied"})
    )

    page = editor_client.get(CHANGELIST, {"outcome": "ignored"}).content.decode()

    assert "Robot" in page and "Human" not in page


@pytest.mark.django_db
def test_hostile_html_shows_as_escaped_text_on_the_detail_page(editor_client):
    html = "<p>Hi</p><script>alert('x')</script><img src=x onerror=alert(1)>"
    result = ingest_raw_email(email_bytes(body="", html=html))

    page = editor_client.get(detail_url(result.inbound_email)).content.decode()

    assert "<script>alert" not in page
    assert "&lt;script&gt;alert(&#x27;x&#x27;)&lt;/script&gt;" in page
    assert "<img src=x" not in page


@pytest.mark.django_db
def test_reprocess_action_queues_a_failed_email_and_says_so(editor_client, monkeypatch):
    monkeypatch.setattr(pipeline, "route", lambda *a, **k: 1 / 0)
    failed = ingest_raw_email(email_bytes(body="Sent while it broke."))
    monkeypatch.undo()
    queued = ingest_raw_email(email_bytes(body="Sent after the fix."))

    response = editor_client.post(
        CHANGELIST,
        {
            "action": "reprocess_selected",
            "_selected_action": [failed.inbound_email, queued.inbound_email],
        },
        follow=True,
    )

    assert InboundEmail.objects.get(pk=failed.inbound_email).outcome == "queued"
    page = response.content.decode()
    assert f"Re-processed #{failed.inbound_email}: queued unrouted." in page
    assert Comment.objects.count() == 2


@pytest.mark.django_db
def test_unrouted_email_is_under_the_unrouted_filter_and_can_be_assigned(
    editor_client, editor
):
    article = make_article(title="Open Weights")
    result = ingest_raw_email(email_bytes(body="Which article is this about?"))
    comments_list = reverse("admin:comments_comment_changelist")

    page = editor_client.get(comments_list, {"routed": "no"}).content.decode()
    assert "Which article is this about?" in page

    comment = Comment.objects.get(pk=result.comment)
    transitions.assign_article(comment=comment, editor=editor, article=article)

    page = editor_client.get(comments_list, {"routed": "no"}).content.decode()
    assert "Which article is this about?" not in page
    assert Comment.objects.get(pk=result.comment).article == article


@pytest.mark.django_db
def test_staff_outside_editors_cannot_see_inbound_email(client):
    from tests.factories import make_user

    client.force_login(make_user(is_staff=True))
    assert client.get(CHANGELIST).status_code == 403


@pytest.mark.django_db
def test_detail_page_shows_the_stored_reading_and_what_was_left_unread(
    editor_client,
):
    quoted = "".join(f"> line {n}\n" for n in range(6_000))
    result = ingest_raw_email(email_bytes(body="My answer.\n" + quoted))
    row = InboundEmail.objects.get(pk=result.inbound_email)
    # What is shown is what was stored when the pipeline decided, not a new
    # parse of the raw message (a hostile one once took minutes per view).
    InboundEmail.objects.filter(pk=row.pk).update(
        extracted_text="My answer, as read when it arrived."
    )

    page = editor_client.get(detail_url(row.pk)).content.decode()

    assert "My answer, as read when it arrived." in page
    assert "Read the first 5,000 lines of the text." in page


@pytest.mark.django_db
def test_reprocess_with_a_task_worker_says_the_emails_are_queued_for_it(
    editor_client, settings, monkeypatch
):
    monkeypatch.setattr(pipeline, "route", lambda *a, **k: 1 / 0)
    failed = ingest_raw_email(email_bytes(body="Sent while it broke."))
    monkeypatch.undo()
    settings.TASKS = {
        "default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend"}
    }

    response = editor_client.post(
        CHANGELIST,
        {"action": "reprocess_selected", "_selected_action": [failed.inbound_email]},
        follow=True,
    )

    assert (
        f"Queued for re-processing by the task worker: #{failed.inbound_email}."
        in response.content.decode()
    )
    assert InboundEmail.objects.get(pk=failed.inbound_email).outcome == "failed"
