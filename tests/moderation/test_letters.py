"""Letters, answered: the name shown, the editors' reply, and word back to proven
writers (DESIGN.md "Word back to writers"; issue 23)."""

from datetime import timedelta

import pytest
from bs4 import BeautifulSoup
from django.core.management import call_command
from django.utils import timezone

from comments.mail.pipeline import ingest_raw_email
from comments.models import Comment, CommentStatus, Suppression, WriterAddress
from moderation import transitions as t
from moderation.models import Action, Decision, RejectReason
from tests.comments.mail.messages import email_bytes
from tests.factories import make_article, make_comment

pytestmark = pytest.mark.django_db(transaction=True)
OURS = "mx.passinbox.com"
PASS = {"Authentication-Results": f"{OURS}; spf=pass; dkim=pass; dmarc=pass"}


@pytest.fixture(autouse=True)
def _our_server(settings):
    settings.AUTHSERV_ID = OURS


def letter(article, *, headers=PASS, sender="Sam Example <sam@example.org>", body=""):
    raw = email_bytes(
        to=f"tech.handrail404+{article.slug}@passinbox.com",
        sender=sender,
        headers=headers,
        body=body or f"A letter about {article.title}, with something to say.",
    )
    return Comment.objects.get(pk=ingest_raw_email(raw).comment)


def to(mailoutbox, address):
    return [m for m in mailoutbox if m.to == [address]]


def page(client, article):
    return BeautifulSoup(client.get(article.get_absolute_url()).text, "html5lib")


# --- rename -----------------------------------------------------------------------


def test_emailed_letter_arrives_anonymous_and_editor_renames_it(client, editor):
    article = make_article()
    comment = letter(article)
    assert comment.author_name == "Anonymous"

    t.rename_comment(comment=comment, editor=editor, name="  Sam   Example ")
    t.publish_comment(comment=comment, editor=editor)

    decision = Decision.objects.filter(action=Action.RENAME).get()
    assert (decision.previous_text, decision.note) == ("Anonymous", "Sam Example")
    author = page(client, article).select_one(f"#c{comment.pk} .author")
    assert author.get_text() == "Sam Example:"


def test_rename_of_a_published_comment_shows_at_once(client, editor):
    comment = make_comment(status=CommentStatus.PUBLISHED, author_name="Bob")
    client.get(comment.article.get_absolute_url())  # the section is cached now

    t.rename_comment(comment=comment, editor=editor, name="Robert")

    assert "Robert:" in page(client, comment.article).select_one(".author").get_text()


@pytest.mark.parametrize(
    "name", ["Sam\x00Example", "Sam\nExample", "Sam\u202eelpmaxE", "x" * 101]
)
def test_rename_refuses_what_the_form_refuses(editor, name):
    comment = make_comment(author_name="Sam")

    with pytest.raises(t.InvalidTransition):
        t.rename_comment(comment=comment, editor=editor, name=name)

    comment.refresh_from_db()
    assert comment.author_name == "Sam"
    assert not Decision.objects.filter(action=Action.RENAME).exists()


def test_rename_to_the_same_name_is_refused(editor):
    comment = make_comment(author_name="Sam")

    with pytest.raises(t.InvalidTransition):
        t.rename_comment(comment=comment, editor=editor, name=" Sam ")


def test_rename_to_nothing_shows_anonymous(editor):
    comment = make_comment(author_name="Sam")

    t.rename_comment(comment=comment, editor=editor, name="\u200b ")

    comment.refresh_from_db()
    assert comment.author_name == "Anonymous"


def test_undo_of_a_rename_gives_the_old_name_back(editor):
    comment = make_comment(author_name="Sam")
    t.rename_comment(comment=comment, editor=editor, name="Samantha")

    t.undo_decision(decision=Decision.objects.get(action=Action.RENAME), editor=editor)

    comment.refresh_from_db()
    assert comment.author_name == "Sam"


# --- reply ------------------------------------------------------------------------


def test_reply_shows_under_the_comment_labelled_and_signed(client, editor, settings):
    comment = make_comment(status=CommentStatus.PUBLISHED)

    t.reply_to_comment(
        comment=comment, editor=editor, text="Thanks!\n\nSee https://example.org"
    )

    reply = page(client, comment.article).select_one(f"#c{comment.pk} .editors-reply")
    text = " ".join(reply.get_text(" ").split())
    assert text.startswith(f"Editors’ reply · {settings.SITE_NAME}")
    assert "Thanks!" in text
    link = reply.find("a", href="https://example.org")
    assert link["rel"] == ["nofollow", "ugc", "noopener"]


def test_reply_is_signed_by_the_editor_when_configured(editor, settings):
    settings.EDITORS_REPLY_SIGNED_BY = "editor"
    editor.first_name, editor.last_name = "Ada", "Lovelace"
    editor.save()
    comment = make_comment(status=CommentStatus.PUBLISHED)

    t.reply_to_comment(comment=comment, editor=editor, text="Well put.")

    comment.refresh_from_db()
    assert comment.reply_author == "Ada Lovelace"


def test_reply_is_in_the_comments_feed(client, editor):
    comment = make_comment(status=CommentStatus.PUBLISHED)
    t.reply_to_comment(comment=comment, editor=editor, text="An answer from us.")

    feed = client.get(f"/articles/{comment.article.slug}/comments/feed/").text

    assert "Editors’ reply" in feed and "An answer from us." in feed


def test_permalink_leads_to_the_comment_with_its_reply(client, editor):
    comment = make_comment(status=CommentStatus.PUBLISHED)
    t.reply_to_comment(comment=comment, editor=editor, text="An answer from us.")

    response = client.get(comment.get_absolute_url(), follow=True)

    soup = BeautifulSoup(response.text, "html5lib")
    assert "An answer from us." in soup.select_one(f"#c{comment.pk}").get_text()


@pytest.mark.parametrize(
    "status", [CommentStatus.PENDING, CommentStatus.REJECTED, CommentStatus.SPAM]
)
def test_only_a_published_comment_gets_a_reply(editor, status):
    comment = make_comment(status=status)

    with pytest.raises(t.InvalidTransition):
        t.reply_to_comment(comment=comment, editor=editor, text="Hello.")


def test_second_reply_empty_reply_and_editing_no_reply_are_refused(editor):
    comment = make_comment(status=CommentStatus.PUBLISHED)
    with pytest.raises(t.InvalidTransition):
        t.reply_to_comment(comment=comment, editor=editor, text="  ")
    with pytest.raises(t.InvalidTransition):
        t.edit_reply(comment=comment, editor=editor, text="Changed.")
    with pytest.raises(t.InvalidTransition):
        t.remove_reply(comment=comment, editor=editor)
    t.reply_to_comment(comment=comment, editor=editor, text="First.")

    with pytest.raises(t.InvalidTransition):
        t.reply_to_comment(comment=comment, editor=editor, text="Second.")
    with pytest.raises(t.InvalidTransition):
        t.reply_to_comment(comment=comment, editor=editor, text="x\x00")


def test_reply_edited_then_removed_each_a_decision(client, editor):
    comment = make_comment(status=CommentStatus.PUBLISHED)
    t.reply_to_comment(comment=comment, editor=editor, text="First answer.")
    t.edit_reply(comment=comment, editor=editor, text="Better answer.")
    assert "Better answer." in page(client, comment.article).get_text()

    t.remove_reply(comment=comment, editor=editor)

    soup = page(client, comment.article)
    assert soup.select(".editors-reply") == []
    log = list(Decision.objects.filter(comment=comment).order_by("pk"))
    assert [d.action for d in log][-3:] == ["reply", "edit_reply", "remove_reply"]
    assert [d.previous_text for d in log][-2:] == ["First answer.", "Better answer."]


def test_undo_of_a_removed_reply_puts_it_back(editor):
    comment = make_comment(status=CommentStatus.PUBLISHED)
    t.reply_to_comment(comment=comment, editor=editor, text="Kept answer.")
    t.remove_reply(comment=comment, editor=editor)

    t.undo_decision(
        decision=Decision.objects.get(action=Action.REMOVE_REPLY), editor=editor
    )

    comment.refresh_from_db()
    assert comment.reply_text == "Kept answer." and "Kept answer." in comment.reply_html


def test_page_with_a_reply_is_the_same_bytes_for_two_visitors(client, editor):
    from django.test import Client

    comment = make_comment(status=CommentStatus.PUBLISHED)
    t.reply_to_comment(comment=comment, editor=editor, text="Same for all.")
    t.rename_comment(comment=comment, editor=editor, name="Sam")
    signed_in = Client()
    signed_in.force_login(editor)

    first = client.get(comment.article.get_absolute_url())
    second = signed_in.get(comment.article.get_absolute_url())

    assert first.content == second.content
    assert "Set-Cookie" not in first.headers and "Set-Cookie" not in second.headers
    assert "Same for all." in first.text


# --- word back: emailed letters -----------------------------------------------------


def test_proven_letter_published_tells_the_writer_once(editor, mailoutbox):
    article = make_article(title="Open weights")
    comment = letter(article)
    t.edit_comment(comment=comment, editor=editor, text="An edited letter text.")
    t.publish_comment(comment=comment, editor=editor)
    t.reply_to_comment(comment=comment, editor=editor, text="Our answer.")
    assert len(to(mailoutbox, "sam@example.org")) == 1

    message = to(mailoutbox, "sam@example.org")[0]
    assert message.subject == "Your comment on “Open weights” is published"
    assert f"/comments/{comment.pk}/" in message.body
    assert "An edited letter text." in message.body
    headers = message.extra_headers
    assert headers["Auto-Submitted"] == "auto-generated"
    assert headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    assert headers["List-Unsubscribe"].startswith("<http://")
    assert headers["List-Unsubscribe"].strip("<>") in message.body  # visible too
    assert "sam@example.org" not in headers["List-Unsubscribe"]


@pytest.mark.parametrize(
    "headers",
    [
        {},
        {"Authentication-Results": f"{OURS}; dmarc=fail header.from=example.org"},
        {"Authentication-Results": "mx.forger.example; dmarc=pass"},
        {"Authentication-Results": f"{OURS}; spf=pass; dkim=pass"},
    ],
    ids=["no-results", "dmarc-fail", "other-server", "no-dmarc"],
)
def test_unproven_letter_is_never_answered(editor, mailoutbox, headers):
    comment = letter(make_article(), headers=headers)

    t.publish_comment(comment=comment, editor=editor)
    t.reject_comment(comment=comment, editor=editor, reason="x", tell_writer=True)

    assert to(mailoutbox, "sam@example.org") == []


def test_a_letter_arriving_sends_nothing(mailoutbox):
    letter(make_article())

    assert to(mailoutbox, "sam@example.org") == []


def test_second_decision_the_same_day_waits_and_comes_batched(editor, mailoutbox):
    article = make_article()
    first, second, third = (
        letter(article, body=f"Letter number {n}, with some words.") for n in range(3)
    )
    t.publish_comment(comment=first, editor=editor)
    t.publish_comment(comment=second, editor=editor)
    t.publish_comment(comment=third, editor=editor)
    assert len(to(mailoutbox, "sam@example.org")) == 1

    call_command("send_word_back")  # too early: nothing more today
    assert len(to(mailoutbox, "sam@example.org")) == 1
    WriterAddress.objects.update(last_sent_at=timezone.now() - timedelta(days=1))
    call_command("send_word_back")

    sent = to(mailoutbox, "sam@example.org")
    assert len(sent) == 2
    assert "Letter number 1" in sent[1].body and "Letter number 2" in sent[1].body
    assert "Letter number 0" not in sent[1].body


def test_comment_taken_down_before_its_batch_is_not_announced(editor, mailoutbox):
    article = make_article()
    first, second = (letter(article, body=f"Letter {n} with words.") for n in range(2))
    t.publish_comment(comment=first, editor=editor)
    t.publish_comment(comment=second, editor=editor)
    t.mark_spam(comment=second, editor=editor)
    WriterAddress.objects.update(last_sent_at=timezone.now() - timedelta(days=1))

    call_command("send_word_back")

    assert len(to(mailoutbox, "sam@example.org")) == 1


def test_deferring_backend_waits_a_grace_period_before_the_first_message(
    editor, settings, mailoutbox
):
    from django_tasks import default_task_backend

    settings.TASKS = {
        "default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend"}
    }
    before = timezone.now()

    t.publish_comment(comment=letter(make_article()), editor=editor)

    [result] = [
        r for r in default_task_backend.results if r.task.name == "send_word_back"
    ]
    assert result.task.run_after >= before + timedelta(minutes=10)
    assert to(mailoutbox, "sam@example.org") == []


def test_deferring_backend_schedules_the_batch_for_the_next_day(editor, settings):
    from django_tasks import default_task_backend

    article = make_article()
    first, second = (letter(article, body=f"Letter {n} with words.") for n in range(2))
    t.publish_comment(comment=first, editor=editor)
    settings.TASKS = {
        "default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend"}
    }

    t.publish_comment(comment=second, editor=editor)

    [result] = [
        r for r in default_task_backend.results if r.task.name == "send_word_back"
    ]
    last = WriterAddress.objects.get().last_sent_at
    assert result.task.run_after == last + timedelta(days=1)


def test_rejection_sends_nothing_unless_the_editor_chooses(editor, mailoutbox):
    comment = letter(make_article())

    t.reject_comment(comment=comment, editor=editor, reason="Off topic")

    assert to(mailoutbox, "sam@example.org") == []


def test_rejection_with_a_saved_reason_sends_its_letter(editor, mailoutbox):
    RejectReason.objects.create(
        text="One letter each", letter="We publish one letter per writer per article."
    )
    comment = letter(make_article(title="Open weights"))

    t.reject_comment(
        comment=comment, editor=editor, reason="One letter each", tell_writer=True
    )

    [message] = to(mailoutbox, "sam@example.org")
    assert "chose not to publish it" in message.body
    assert "We publish one letter per writer per article." in message.body
    assert message.extra_headers["List-Unsubscribe-Post"]


def test_rejection_in_the_editors_own_words(editor, mailoutbox):
    comment = letter(make_article())

    t.reject_comment(
        comment=comment, editor=editor, reason="We ran a similar one.", tell_writer=True
    )

    assert "We ran a similar one." in to(mailoutbox, "sam@example.org")[0].body


def test_spam_is_never_written_about(editor, mailoutbox):
    comment = letter(make_article())

    t.mark_spam(comment=comment, editor=editor)

    assert to(mailoutbox, "sam@example.org") == []


def test_republished_comment_is_not_announced_twice(editor, mailoutbox):
    comment = letter(make_article())
    t.publish_comment(comment=comment, editor=editor)
    t.return_to_pending(comment=comment, editor=editor)
    WriterAddress.objects.update(last_sent_at=timezone.now() - timedelta(days=2))

    t.publish_comment(comment=comment, editor=editor)

    assert len(to(mailoutbox, "sam@example.org")) == 1


# --- word back: the form ------------------------------------------------------------


def post(client, article, **data):
    fields = {"name": "Ada", "body": "A comment from the form, with words."}
    fields.update(data)
    return client.post(f"/articles/{article.slug}/comment/", fields)


def confirm_link(message):
    return next(w for w in message.body.split() if "/mail/confirm/" in w)


def test_form_writer_who_asks_gets_one_confirmation_request(client, mailoutbox):
    article = make_article()

    post(client, article, email="ada@example.org", notify="on")
    post(client, article, email="ADA@example.org", notify="on", body="Another one.")

    [message] = to(mailoutbox, "ada@example.org")
    assert "confirm" in message.subject.lower()
    assert message.extra_headers["Auto-Submitted"] == "auto-generated"
    assert message.extra_headers["List-Unsubscribe-Post"]
    assert "/mail/confirm/" in message.body


def test_form_writer_who_does_not_ask_gets_nothing(client, editor, mailoutbox):
    article = make_article()
    post(client, article, email="ada@example.org")

    t.publish_comment(comment=Comment.objects.get(), editor=editor)

    assert to(mailoutbox, "ada@example.org") == []


def test_unconfirmed_address_gets_nothing_on_publication(client, editor, mailoutbox):
    article = make_article()
    post(client, article, email="ada@example.org", notify="on")
    mailoutbox.clear()

    t.publish_comment(comment=Comment.objects.get(), editor=editor)

    assert mailoutbox == []


def test_confirmation_page_get_changes_nothing_post_confirms(client, mailoutbox):
    post(client, make_article(), email="ada@example.org", notify="on")
    url = confirm_link(to(mailoutbox, "ada@example.org")[0])

    shown = client.get(url)
    assert shown.status_code == 200 and "Confirm my address" in shown.text
    assert shown.headers["Cache-Control"].startswith("max-age=0")
    assert not WriterAddress.objects.confirmed().exists()
    done = client.post(url)

    assert done.status_code == 200 and "Address confirmed" in done.text
    assert WriterAddress.objects.confirmed().get().address == "ada@example.org"


def test_confirmed_address_hears_of_later_comments(client, editor, mailoutbox):
    article = make_article(title="Open weights")
    post(client, article, email="ada@example.org", notify="on")
    client.post(confirm_link(to(mailoutbox, "ada@example.org")[0]))
    post(client, article, email="Ada@Example.org", notify="on", body="Later one.")
    later = Comment.objects.latest("pk")

    t.publish_comment(comment=later, editor=editor)

    sent = to(mailoutbox, "ada@example.org")
    assert len(sent) == 2  # the confirmation request, then the publication
    assert sent[1].subject == "Your comment on “Open weights” is published"
    assert "Later one." in sent[1].body


def test_expired_or_forged_confirmation_link_confirms_nothing(
    client, mailoutbox, settings
):
    from unittest import mock

    post(client, make_article(), email="ada@example.org", notify="on")
    url = confirm_link(to(mailoutbox, "ada@example.org")[0])
    later = timezone.now() + timedelta(days=8)

    with mock.patch("django.core.signing.time.time", return_value=later.timestamp()):
        expired = client.post(url)
    forged = client.post(url[:-3] + "xx/")

    assert expired.status_code == forged.status_code == 410
    assert not WriterAddress.objects.confirmed().exists()


def test_spam_from_the_form_sends_no_confirmation(client, mailoutbox):
    post(client, make_article(), email="victim@example.org", notify="on", website="x")

    assert to(mailoutbox, "victim@example.org") == []


# --- stopping it ------------------------------------------------------------------


def stop_link(message):
    return message.extra_headers["List-Unsubscribe"].strip("<>")


def test_one_click_unsubscribe_then_nothing_more_ever(client, editor, mailoutbox):
    article = make_article()
    first = letter(article, body="First letter, with words.")
    t.publish_comment(comment=first, editor=editor)
    url = stop_link(to(mailoutbox, "sam@example.org")[0])

    # RFC 8058: a mail client POSTs exactly this, without cookies or tokens.
    response = client.post(
        url,
        "List-Unsubscribe=One-Click",
        content_type="application/x-www-form-urlencoded",
    )
    WriterAddress.objects.update(last_sent_at=None)
    second = letter(article, body="Second letter, with words.")
    t.publish_comment(comment=second, editor=editor)
    post(client, article, email="sam@example.org", notify="on")

    assert response.status_code == 200
    row = WriterAddress.objects.get()
    assert row.suppressed_because == Suppression.UNSUBSCRIBED
    assert len(to(mailoutbox, "sam@example.org")) == 1


def test_stop_page_get_shows_a_button_and_changes_nothing(client, editor, mailoutbox):
    t.publish_comment(comment=letter(make_article()), editor=editor)
    url = stop_link(to(mailoutbox, "sam@example.org")[0])

    response = client.get(url)

    assert response.status_code == 200 and "Stop all emails" in response.text
    assert not WriterAddress.objects.suppressed().exists()


def test_bounce_for_an_address_we_wrote_to_suppresses_it(editor, mailoutbox):
    article = make_article()
    t.publish_comment(comment=letter(article, body="First letter."), editor=editor)
    dsn = bounce_for("sam@example.org")

    result = ingest_raw_email(dsn)

    assert (result.outcome, result.reason) == ("ignored", "bounce")
    assert WriterAddress.objects.get().suppressed_because == Suppression.BOUNCED
    WriterAddress.objects.update(last_sent_at=None)
    t.publish_comment(comment=letter(article, body="Second letter."), editor=editor)
    assert len(to(mailoutbox, "sam@example.org")) == 1


def test_bounce_for_an_address_we_never_wrote_to_records_nothing():
    ingest_raw_email(bounce_for("stranger@example.org"))

    assert not WriterAddress.objects.exists()


def test_delayed_delivery_report_is_not_a_bounce(editor, mailoutbox):
    t.publish_comment(comment=letter(make_article()), editor=editor)

    ingest_raw_email(bounce_for("sam@example.org", action="delayed"))

    assert not WriterAddress.objects.suppressed().exists()


def bounce_for(address: str, action: str = "failed") -> bytes:
    return (
        "From: Mail Delivery System <MAILER-DAEMON@mx.example.org>\r\n"
        "To: noreply@sourcehat.example\r\n"
        "Subject: Undelivered Mail Returned to Sender\r\n"
        f"Message-ID: <dsn-{action}-{address}@mx.example.org>\r\n"
        "MIME-Version: 1.0\r\n"
        'Content-Type: multipart/report; report-type=delivery-status; boundary="B"\r\n'
        "\r\n--B\r\nContent-Type: text/plain\r\n\r\nUndelivered.\r\n"
        "--B\r\nContent-Type: message/delivery-status\r\n\r\n"
        "Reporting-MTA: dns; mx.example.org\r\n\r\n"
        f"Final-Recipient: rfc822; {address}\r\n"
        f"Action: {action}\r\nStatus: 5.1.1\r\n\r\n"
        "--B--\r\n"
    ).encode()


# --- privacy ----------------------------------------------------------------------


def test_privacy_page_says_what_is_sent_and_how_to_stop_it(client):
    text = " ".join(
        BeautifulSoup(client.get("/privacy/").text, "html5lib").get_text(" ").split()
    )

    assert "asking you to confirm your address" in text
    assert "passed DMARC" in text
    assert "At most one email a day" in text
    assert "“stop these emails” link" in text
    assert "list of addresses never to write to" in text
    assert "Nothing is ever sent about comments caught as spam" in text


def test_editors_see_the_suppression_list_in_the_admin(editor_client, editor):
    t.publish_comment(comment=letter(make_article()), editor=editor)
    ingest_raw_email(bounce_for("sam@example.org"))

    response = editor_client.get(
        "/admin/comments/writeraddress/?suppressed_because=bounced"
    )

    assert response.status_code == 200
    assert "sam@example.org" in response.text and "Mail to it bounced" in response.text


# --- the admin and the review screen ------------------------------------------------

QUEUE = "/admin/comments/comment/"


def change_form(comment, **fields):
    form = {
        "article": comment.article_id or "",
        "edited_body": comment.public_text,
        "author_name": comment.author_name,
        "reply": comment.reply_text,
        "decisions-TOTAL_FORMS": 0,
        "decisions-INITIAL_FORMS": 0,
        "_continue": "1",
    }
    form.update(fields)
    return form


def test_admin_renames_replies_and_publishes_a_letter(
    client, editor_client, editor, mailoutbox
):
    article = make_article(title="Open weights")
    comment = letter(article)
    url = f"{QUEUE}{comment.pk}/change/"
    page_html = editor_client.get(url).text
    assert "The sender gave “Sam Example”" in page_html

    editor_client.post(url, change_form(comment, author_name="Sam Example"))
    editor_client.post(url, change_form(comment, author_name="Sam Example", _publish=1))
    comment.refresh_from_db()
    editor_client.post(url, change_form(comment, reply="Thank you, Sam.\n\nWe agree."))

    comment.refresh_from_db()
    assert (comment.author_name, comment.status) == ("Sam Example", "published")
    actions = list(comment.decisions.order_by("pk").values_list("action", flat=True))
    assert actions == ["rename", "publish", "reply"]
    shown = page(client, article).select_one(f"#c{comment.pk}")
    assert "Sam Example:" in shown.get_text()
    assert "We agree." in shown.select_one(".editors-reply").get_text()
    assert len(to(mailoutbox, "sam@example.org")) == 1


def test_admin_refuses_a_name_the_form_refuses(editor_client):
    comment = letter(make_article())

    response = editor_client.post(
        f"{QUEUE}{comment.pk}/change/",
        change_form(comment, author_name="Sam\u202eelpmaxE"),
    )

    assert response.status_code == 200 and "characters we can" in response.text
    comment.refresh_from_db()
    assert comment.author_name == "Anonymous"


def test_admin_edits_then_removes_a_reply(editor_client, editor):
    comment = make_comment(status=CommentStatus.PUBLISHED)
    t.reply_to_comment(comment=comment, editor=editor, text="First.")
    comment.refresh_from_db()
    url = f"{QUEUE}{comment.pk}/change/"

    editor_client.post(url, change_form(comment, reply="Second."))
    comment.refresh_from_db()
    assert "Remove the reply" in editor_client.get(url).text
    editor_client.post(url, change_form(comment, _remove_reply="1"))

    comment.refresh_from_db()
    assert comment.reply_html == ""
    actions = list(comment.decisions.order_by("pk").values_list("action", flat=True))
    assert actions[-3:] == ["reply", "edit_reply", "remove_reply"]


def review_post(editor_client, comment, **data):
    from tests.moderation.desk import REVIEW_URL

    return editor_client.post(
        f"{REVIEW_URL}?c={comment.pk}", {"comment": comment.pk, **data}, follow=True
    )


def test_review_screen_offers_the_senders_name_as_one_key(editor_client):
    from tests.moderation.desk import REVIEW_URL

    comment = letter(make_article())

    html = editor_client.get(f"{REVIEW_URL}?c={comment.pk}").text
    soup = BeautifulSoup(html, "html5lib")
    button = soup.find(id="review-use-name")
    assert button["data-key"] == "a" and "“Sam Example”" in button.get_text()
    response = review_post(
        editor_client,
        comment,
        action="rename",
        name=button.find_previous("input", attrs={"name": "name"})["value"],
    )

    comment.refresh_from_db()
    assert comment.author_name == "Sam Example"
    assert comment.status == CommentStatus.PENDING  # still waiting, still shown
    soup = BeautifulSoup(response.text, "html5lib")
    assert soup.find(id="review-comment")["data-comment-id"] == str(comment.pk)
    assert soup.find(id="review-use-name") is None  # it is the name now


def test_review_screen_publishes_with_a_reply_and_undo_takes_both_back(
    client, editor_client, mailoutbox
):
    article = make_article()
    comment = letter(article)

    review_post(editor_client, comment, action="reply", reply="Our answer, Sam.")
    comment.refresh_from_db()
    assert comment.status == CommentStatus.PUBLISHED
    assert "Our answer, Sam." in page(client, article).select_one(".editors-reply").text
    assert "Our answer, Sam." in to(mailoutbox, "sam@example.org")[0].body

    review_post(editor_client, comment, action="undo")

    comment.refresh_from_db()
    assert (comment.status, comment.reply_text) == (CommentStatus.PENDING, "")


def test_review_screen_rejects_with_the_reason_sent_when_asked(
    editor_client, mailoutbox
):
    RejectReason.objects.create(text="One each", letter="One letter per writer.")
    first, second = letter(make_article()), letter(make_article())

    review_post(editor_client, first, action="reject", reason="One each")
    review_post(
        editor_client, second, action="reject", reason="One each", tell_writer="1"
    )

    [message] = to(mailoutbox, "sam@example.org")
    assert "One letter per writer." in message.body


def test_review_screen_refuses_an_invisible_name(editor_client):
    comment = letter(make_article())

    response = review_post(editor_client, comment, action="rename", name="\u202e")

    comment.refresh_from_db()
    assert comment.author_name == "Anonymous"
    assert "characters we can" in response.text
