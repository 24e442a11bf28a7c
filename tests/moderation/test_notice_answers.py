"""Editors decide by answering the notice email (issue 24): answers delivered
through `manage.py ingest_email` (and IMAP polling), checked against the
Decision log, the article page and the mail sent."""

import re
import time
from datetime import timedelta

import pytest
from django.urls import reverse

from comments.models import Comment, CommentStatus, InboundEmail
from moderation import decisions
from moderation import transitions as t
from moderation.models import Decision
from moderation.notices import send_editor_notice
from tests.comments.mail.messages import email_bytes
from tests.comments.test_ingest_email import pipe_json
from tests.factories import make_article, make_comment, make_editor, make_user
from tests.moderation.desk import make_email_comment

S = CommentStatus
pytestmark = pytest.mark.django_db(transaction=True)
MX = "mx.passinbox.com"
DMARC_PASS = (
    f"{MX}; spf=pass smtp.mailfrom=example.org; dmarc=pass header.from=example.org"
)
DMARC_FAIL = (
    f"{MX}; spf=fail smtp.mailfrom=example.org; dmarc=fail header.from=example.org"
)


@pytest.fixture(autouse=True)
def _our_mail_server(settings):
    settings.AUTHSERV_ID = MX
    settings.SITE_URL = "https://blog.example.org"


@pytest.fixture
def alice(db):
    return make_editor(username="alice", email="alice@example.org")


def reply_to(message) -> str:
    """The Reply-To of a message as sent."""
    return message.message()["Reply-To"]


def notice_for(mailoutbox, editor):
    """Send the notice now; the one message to `editor`."""
    mailoutbox.clear()
    assert send_editor_notice()
    (notice,) = [m for m in mailoutbox if m.to == [editor.email]]
    mailoutbox.clear()
    return notice


def answer(
    notice,
    body: str,
    *,
    sender: str = "Alice <alice@example.org>",
    auth: str | None = DMARC_PASS,
    to: str | None = None,
    message_id: str = "",
) -> bytes:
    headers = {"In-Reply-To": notice.extra_headers["Message-ID"]}
    if auth is not None:
        headers["Authentication-Results"] = auth
    return email_bytes(
        body=body,
        subject=f"Re: {notice.subject}",
        sender=sender,
        to=to or reply_to(notice),
        headers=headers,
        message_id=message_id,
    )


def waiting_comments(article, count: int) -> list[Comment]:
    texts = [
        "Weights are not source code, and the licence says so.",
        "The third paragraph gets the history of the GPL right.",
        "Off topic: what keyboard do you use?",
        "Buy cheap watches at example.net today!!!",
    ]
    return [make_comment(article=article, body=texts[n]) for n in range(count)]


def decisions_of(comment: Comment) -> list[tuple[str, str, str]]:
    return [
        (d.action, d.editor.username if d.editor else "", d.note)
        for d in Decision.objects.filter(comment=comment).order_by("at", "pk")
        if d.editor is not None
    ]


def test_notice_numbers_each_comment_and_says_how_to_answer(mailoutbox, alice):
    article = make_article(title="Open weights are not open source")
    make_email_comment(
        article=article,
        body="A long letter. " + "More words here. " * 60,
        verdict={"dmarc": "fail"},
    )
    make_comment(article=article, body="Short and kind.")

    notice = notice_for(mailoutbox, alice)

    body = notice.body
    assert re.match(
        r"^tech\.handrail404\+n-[0-9a-z]+-[0-9a-z]+-[a-z2-7]{20}@"
        r"passinbox\.com$",
        reply_to(notice),
    )
    assert len(reply_to(notice).partition("@")[0]) <= 64  # RFC 5321 §4.5.3.1.1
    assert "1. #" in body and "2. #" in body
    assert "· Email · on “Open weights are not open source”" in body
    assert "· Web form ·" in body
    assert "Short and kind." in body
    assert "A long letter. More words here." in body
    assert "More words here. " * 40 not in body  # trimmed to a readable length
    for example in (
        "1 publish",
        "2 pick Best of the week",
        "3 reject off-topic",
        "4 spam",
        "all spam",
    ):
        assert f"\n  {example}" in body


def test_notice_shows_the_spam_reasons(mailoutbox, alice, settings):
    make_comment(body="Buy now http://a.example http://b.example " * 3)
    comment = Comment.objects.get()
    Comment.objects.filter(pk=comment.pk).update(
        spam_reasons=["Many links (6)."], spam_score=4
    )

    notice = notice_for(mailoutbox, alice)

    assert "Spam signals (score 4): Many links (6)." in notice.body


def test_proven_editor_publishes_picks_rejects_and_spams_in_one_answer(
    mailoutbox, alice, client, monkeypatch
):
    article = make_article()
    first, second, third, fourth = waiting_comments(article, 4)
    notice = notice_for(mailoutbox, alice)

    result = pipe_json(
        answer(
            notice,
            "1 publish\n2 pick Best of the week\n3 reject off-topic\n4 spam\n\n"
            "Thanks!\n\n-- \nAlice\nEditor, The Source Hat",
        ),
        monkeypatch,
    )

    assert (result["outcome"], result["reason"]) == ("ignored", "notice_answer")
    assert result["comment"] is None
    assert Comment.objects.count() == 4  # the answer is no comment
    for comment in (first, second, third, fourth):
        comment.refresh_from_db()
    assert [c.status for c in (first, second, third, fourth)] == [
        S.PUBLISHED,
        S.PUBLISHED,
        S.REJECTED,
        S.SPAM,
    ]
    assert second.featured and second.pick_label == "Best of the week"
    assert decisions_of(first) == [("publish", "alice", "")]
    assert decisions_of(second) == [
        ("publish", "alice", ""),
        ("feature", "alice", "Best of the week"),
    ]
    assert decisions_of(third) == [("reject", "alice", "off-topic")]
    assert decisions_of(fourth) == [("spam", "alice", "")]
    by_alice = Decision.objects.filter(editor=alice)
    assert set(by_alice.values_list("channel", flat=True)) == {"email-reply"}
    client.force_login(alice)
    log = client.get(reverse("admin:comments_comment_change", args=[third.pk])).text
    assert "An email reply to the notice" in log and "off-topic" in log
    client.logout()
    page = client.get(article.get_absolute_url()).content.decode()
    assert first.body in page and second.body in page
    assert "Best of the week" in page
    assert third.body not in page and fourth.body not in page
    (reply,) = mailoutbox
    assert reply.to == ["alice@example.org"]
    assert reply.subject.endswith("Your answer: 4 decisions made")
    assert "Done:" in reply.body and "Not done:" in reply.body
    assert "Thanks!  ->  “thanks” is not a decision" in reply.body  # not guessed
    assert f"1. #{first.pk} published" in reply.body
    assert f"2. #{second.pk} published, Editor’s pick · Best of the week" in reply.body
    assert f"3. #{third.pk} rejected" in reply.body
    assert f"4. #{fourth.pk} spam" in reply.body
    assert reply.extra_headers["Auto-Submitted"] == "auto-generated"
    assert reply_to(reply) == reply_to(notice)


def test_all_spam_files_every_comment_of_the_notice(mailoutbox, alice, monkeypatch):
    comments = waiting_comments(make_article(), 3)
    notice = notice_for(mailoutbox, alice)
    later = make_comment(body="Arrived after the notice was sent.")

    pipe_json(answer(notice, "all spam"), monkeypatch)

    assert [
        c.status for c in Comment.objects.filter(pk__in=[c.pk for c in comments])
    ] == [S.SPAM] * 3
    later.refresh_from_db()
    assert later.status == S.PENDING  # not in that notice


def test_notice_about_one_comment_accepts_a_bare_word(mailoutbox, alice, monkeypatch):
    (comment,) = waiting_comments(make_article(), 1)
    notice = notice_for(mailoutbox, alice)
    assert "a bare “publish”" in notice.body

    pipe_json(answer(notice, "Publish"), monkeypatch)

    comment.refresh_from_db()
    assert comment.status == S.PUBLISHED


def test_bare_word_in_a_notice_of_several_is_not_guessed(
    mailoutbox, alice, monkeypatch
):
    comments = waiting_comments(make_article(), 2)
    notice = notice_for(mailoutbox, alice)

    pipe_json(answer(notice, "publish"), monkeypatch)

    assert {c.status for c in Comment.objects.all()} == {S.PENDING}
    assert "which comment? Write its number (1 to 2) first" in mailoutbox[0].body
    assert not Decision.objects.filter(editor=alice).exists()
    assert len(comments) == 2


def test_same_answer_delivered_twice_applies_once(mailoutbox, alice, monkeypatch):
    first, second = waiting_comments(make_article(), 2)
    notice = notice_for(mailoutbox, alice)
    raw = answer(notice, "1 publish\n2 reject off-topic")

    once = pipe_json(raw, monkeypatch)
    twice = pipe_json(raw, monkeypatch)

    assert (once["outcome"], once["reason"]) == ("ignored", "notice_answer")
    assert (twice["outcome"], twice["reason"]) == ("ignored", "duplicate")
    assert decisions_of(first) == [("publish", "alice", "")]
    assert decisions_of(second) == [("reject", "alice", "off-topic")]
    assert InboundEmail.objects.get().seen_count == 2
    assert len(mailoutbox) == 1  # one reply


def test_the_same_lines_sent_again_as_a_new_message_change_nothing(
    mailoutbox, alice, monkeypatch
):
    (comment,) = waiting_comments(make_article(), 1)
    notice = notice_for(mailoutbox, alice)
    pipe_json(answer(notice, "1 reject off-topic"), monkeypatch)

    pipe_json(answer(notice, "1 reject off-topic"), monkeypatch)

    assert decisions_of(comment) == [("reject", "alice", "off-topic")]
    assert "decided since the notice by alice" in mailoutbox[1].body


def test_answer_read_by_imap_and_the_pipe_applies_once(
    mailoutbox, alice, monkeypatch, imap_mailbox, settings
):
    from tests.comments.test_fetch_email import fetch
    from tests.imap_server import append_message

    settings.IMAP_URL = imap_mailbox.url
    first, second = waiting_comments(make_article(), 2)
    notice = notice_for(mailoutbox, alice)
    raw = answer(notice, "1 pick Letter of the week\n2 spam")
    append_message(imap_mailbox, raw)

    by_imap = fetch()
    by_pipe = pipe_json(raw, monkeypatch)

    assert by_imap == "fetched 1: queued 0, ignored 1, rejected 0"
    assert by_pipe["reason"] == "duplicate"
    first.refresh_from_db()
    assert (first.status, first.pick_label) == (S.PUBLISHED, "Letter of the week")
    assert decisions_of(second) == [("spam", "alice", "")]
    assert len(mailoutbox) == 1


def refused(mailoutbox, monkeypatch, raw: bytes, reason: str) -> None:
    """The answer changed nothing, was stored with `reason`, and became no comment."""
    before = Comment.objects.count()
    result = pipe_json(raw, monkeypatch)
    assert (result["outcome"], result["reason"]) == ("rejected", reason)
    row = InboundEmail.objects.get(pk=result["inbound_email"])
    assert (row.outcome, row.reason) == ("rejected", reason)
    assert Comment.objects.count() == before
    assert {c.status for c in Comment.objects.all()} == {S.PENDING}
    assert not Decision.objects.exclude(editor=None).exists()


@pytest.mark.parametrize(
    "auth",
    [
        None,  # nothing our server vouched for
        "mx.attacker.example; dmarc=pass header.from=example.org",  # not ours
    ],
    ids=["no-authentication-results", "another-servers-results"],
)
def test_answer_with_a_forged_from_does_nothing_and_gets_no_reply(
    mailoutbox, alice, client, monkeypatch, auth
):
    article = make_article()
    (comment,) = waiting_comments(article, 1)
    notice = notice_for(mailoutbox, alice)

    refused(
        mailoutbox,
        monkeypatch,
        answer(notice, "1 publish", auth=auth),
        "notice_answer_unproven",
    )

    assert mailoutbox == []
    assert comment.body not in client.get(article.get_absolute_url()).content.decode()


def test_answer_failing_dmarc_does_nothing_and_gets_no_reply(
    mailoutbox, alice, monkeypatch
):
    waiting_comments(make_article(), 2)
    notice = notice_for(mailoutbox, alice)

    refused(
        mailoutbox,
        monkeypatch,
        answer(notice, "all spam", auth=DMARC_FAIL),
        "notice_answer_dmarc_fail",
    )

    assert mailoutbox == []


@pytest.mark.parametrize("who", ["reader", "inactive editor", "staff, not editor"])
def test_answer_from_someone_who_is_no_editor_does_nothing(
    mailoutbox, alice, monkeypatch, who
):
    waiting_comments(make_article(), 1)
    notice = notice_for(mailoutbox, alice)
    address = "someone@example.org"
    if who == "inactive editor":
        make_editor(email=address, is_active=False)
    elif who == "staff, not editor":
        make_user(email=address, is_staff=True)

    refused(
        mailoutbox,
        monkeypatch,
        answer(notice, "1 publish", sender=f"Someone <{address}>"),
        "notice_answer_not_editor",
    )

    assert mailoutbox == []


def test_answer_to_a_tampered_address_does_nothing(mailoutbox, alice, monkeypatch):
    waiting_comments(make_article(), 1)
    notice = notice_for(mailoutbox, alice)
    local, _, domain = reply_to(notice).partition("@")
    last = "b" if local[-1] != "b" else "c"
    tampered = f"{local[:-1]}{last}@{domain}"

    refused(
        mailoutbox,
        monkeypatch,
        answer(notice, "1 publish", to=tampered),
        "notice_answer_bad_token",
    )

    (reply,) = mailoutbox  # the proven editor hears why
    assert "Nothing was done" in reply.body and "not one of our notices" in reply.body


def test_answer_naming_another_notice_number_does_nothing(
    mailoutbox, alice, monkeypatch
):
    waiting_comments(make_article(), 1)
    notice = notice_for(mailoutbox, alice)
    local, _, domain = reply_to(notice).partition("@")
    tag = local.partition("+n-")[2]
    other = f"{local.partition('+')[0]}+n-{'9' + tag}@{domain}"  # another id

    refused(
        mailoutbox,
        monkeypatch,
        answer(notice, "1 publish", to=other),
        "notice_answer_bad_token",
    )


def test_answer_after_the_token_expired_does_nothing(mailoutbox, alice, monkeypatch):
    waiting_comments(make_article(), 1)
    notice = notice_for(mailoutbox, alice)
    now = time.time()
    eight_days = timedelta(days=8).total_seconds()
    monkeypatch.setattr(time, "time", lambda: now + eight_days)

    refused(
        mailoutbox, monkeypatch, answer(notice, "1 publish"), "notice_answer_expired"
    )

    assert "has expired" in mailoutbox[0].body


def test_lines_that_name_no_comment_of_the_notice_or_no_decision_do_nothing(
    mailoutbox, alice, monkeypatch
):
    article = make_article()
    first, second = waiting_comments(article, 2)
    outside = make_comment(article=article, body="Not in that notice at all.")
    unrouted = make_email_comment(article=None, body="Which article was this for?")
    notice = notice_for(mailoutbox, alice)  # lists first, second, outside, unrouted
    Comment.objects.filter(pk=outside.pk).delete()

    pipe_json(
        answer(
            notice,
            f"7 publish\n1 approve\n2 pending\n4 publish\n3 spam\n{outside.pk} spam",
        ),
        monkeypatch,
    )

    assert {c.status for c in Comment.objects.all()} == {S.PENDING}
    assert not Decision.objects.exclude(editor=None).exists()
    reply = mailoutbox[0].body
    assert "7 publish  ->  this notice has no comment 7" in reply
    assert "1 approve  ->  “approve” is not a decision" in reply
    assert f"2 pending  ->  2 (#{second.pk}): not done" in reply
    assert f"4 publish  ->  4 (#{unrouted.pk}): not done" in reply
    assert "3 spam  ->  3 (#" in reply and "no longer exists" in reply
    assert "0 decisions made" in mailoutbox[0].subject
    assert first.pk != outside.pk


def test_answer_after_another_editor_decided_leaves_that_decision(
    mailoutbox, alice, client, monkeypatch
):
    bob = make_editor(username="bob", email="bob@example.org")
    article = make_article()
    first, second = waiting_comments(article, 2)
    notice = notice_for(mailoutbox, alice)
    t.publish_comment(comment=first, editor=bob)

    pipe_json(answer(notice, "1 reject off-topic\n2 publish"), monkeypatch)

    first.refresh_from_db()
    second.refresh_from_db()
    assert (first.status, second.status) == (S.PUBLISHED, S.PUBLISHED)
    assert decisions_of(first) == [("publish", "bob", "")]
    assert decisions_of(second) == [("publish", "alice", "")]
    page = client.get(article.get_absolute_url()).content.decode()
    assert first.body in page
    reply = mailoutbox[0].body
    assert (
        f"1 reject off-topic  ->  1 (#{first.pk}): decided since the notice by bob"
        in reply
    )
    assert "left as it is (published)" in reply


def test_quoted_notice_and_signature_in_the_answer_are_not_read(
    mailoutbox, alice, monkeypatch
):
    first, second = waiting_comments(make_article(), 2)
    notice = notice_for(mailoutbox, alice)
    quoted = "\n".join(f"> {line}" for line in notice.body.splitlines())

    pipe_json(
        answer(
            notice,
            f"2 publish\n\n-- \nAlice\n1 spam\n\nOn Mon, 7 Dec 2026, "
            f"The Source Hat <noreply@sourcehat.example> wrote:\n{quoted}\n",
        ),
        monkeypatch,
    )

    first.refresh_from_db()
    second.refresh_from_db()
    assert (first.status, second.status) == (S.PENDING, S.PUBLISHED)


def test_notice_copied_below_the_answer_without_quote_marks_is_not_read(
    mailoutbox, alice, monkeypatch
):
    waiting_comments(make_article(), 2)
    notice = notice_for(mailoutbox, alice)

    pipe_json(answer(notice, f"1 publish\n\n{notice.body}"), monkeypatch)

    statuses = list(Comment.objects.order_by("pk").values_list("status", flat=True))
    assert statuses == [S.PUBLISHED, S.PENDING]


def test_letter_to_an_article_whose_slug_starts_like_a_notice_is_a_comment(
    monkeypatch,
):
    article = make_article(slug="n-body-problem")

    result = pipe_json(
        email_bytes(to="tech.handrail404+n-body-problem@passinbox.com"), monkeypatch
    )

    assert (result["outcome"], result["article"]) == ("queued", article.slug)


def test_answer_through_the_mail_servers_pipe_in_a_fresh_process(
    mailoutbox, alice, client
):
    from tests.comments.test_ingest_email import database_url, run_child

    article = make_article()
    (comment,) = waiting_comments(article, 1)
    notice = notice_for(mailoutbox, alice)

    child = run_child(
        answer(notice, "1 pick Letter of the week"),
        "--json",
        url=database_url(),
        AUTHSERV_ID=MX,
    )

    assert child.returncode == 0, child.stderr.decode()
    comment.refresh_from_db()
    assert (comment.status, comment.pick_label) == (S.PUBLISHED, "Letter of the week")
    assert decisions_of(comment)[-1] == ("feature", "alice", "Letter of the week")
    assert "Letter of the week" in client.get(article.get_absolute_url()).text


def deliver_at_once(*raws: bytes) -> None:
    """Each message through the pipeline in its own thread and connection, all
    starting together (the pipe and the poller, or two editors, at once)."""
    import threading

    from django.db import connection

    from comments.mail.pipeline import ingest_raw_email

    start = threading.Barrier(len(raws))
    errors = []

    def deliver(raw: bytes) -> None:
        try:
            start.wait()
            ingest_raw_email(raw)
        except Exception as exc:  # reported below, in the test's thread
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=deliver, args=(raw,)) for raw in raws]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []


@pytest.mark.postgres
def test_same_answer_delivered_by_pipe_and_poller_at_once_applies_once(
    mailoutbox, alice
):
    first, second = waiting_comments(make_article(), 2)
    notice = notice_for(mailoutbox, alice)
    raw = answer(notice, "1 publish\n2 spam")

    deliver_at_once(raw, raw)

    assert decisions_of(first) == [("publish", "alice", "")]
    assert decisions_of(second) == [("spam", "alice", "")]
    assert InboundEmail.objects.get().seen_count == 2
    assert len(mailoutbox) == 1


@pytest.mark.postgres
def test_two_editors_answering_at_once_decide_each_comment_once(mailoutbox, alice):
    bob = make_editor(username="bob", email="bob@example.org")
    (comment,) = waiting_comments(make_article(), 1)
    mailoutbox.clear()
    send_editor_notice()
    notices = {m.to[0]: m for m in mailoutbox}
    mailoutbox.clear()

    deliver_at_once(
        answer(notices[alice.email], "1 publish"),
        answer(notices[bob.email], "1 reject", sender="Bob <bob@example.org>"),
    )

    comment.refresh_from_db()
    (decision,) = Decision.objects.filter(comment=comment).exclude(editor=None)
    assert comment.status == decision.to_status
    loser = "bob" if decision.editor == alice else "alice"
    (reply,) = [m for m in mailoutbox if m.to == [f"{loser}@example.org"]]
    assert "decided since the notice" in reply.body


def test_answering_the_reply_again_reaches_the_same_notice(
    mailoutbox, alice, monkeypatch
):
    first, second = waiting_comments(make_article(), 2)
    notice = notice_for(mailoutbox, alice)
    pipe_json(answer(notice, "1 publish"), monkeypatch)
    (reply,) = mailoutbox
    mailoutbox.clear()

    pipe_json(answer(reply, f"2 reject off-topic\n\n{reply.body}"), monkeypatch)

    assert decisions_of(first) == [("publish", "alice", "")]
    assert decisions_of(second) == [("reject", "alice", "off-topic")]
    assert "1 decision made" in mailoutbox[0].subject


@pytest.mark.skipif(
    "rename" not in decisions.MOVES,
    reason="the rename decision (issue 23, letters) is not in the table yet",
)
def test_name_line_renames_through_the_tables_rename_decision(
    mailoutbox, alice, client, monkeypatch
):
    article = make_article()
    (comment,) = waiting_comments(article, 1)
    notice = notice_for(mailoutbox, alice)
    assert "\n  2 name Sam Example" in notice.body

    pipe_json(answer(notice, "1 name Sam Example\n1 publish"), monkeypatch)

    comment.refresh_from_db()
    assert (comment.author_name, comment.status) == ("Sam Example", S.PUBLISHED)
    assert [a for a, _, _ in decisions_of(comment)] == ["rename", "publish"]
    assert "Sam Example" in client.get(article.get_absolute_url()).text
