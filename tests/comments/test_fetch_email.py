"""IMAP polling against a real Dovecot: manage.py fetch_email."""

import io
import os
import subprocess
import sys
import time

import pytest
from django.core.management import call_command
from django.db import connection

from comments.mail import imap, poller
from comments.mail.pipeline import reprocess
from comments.models import Comment, InboundEmail, MailboxState
from tests.comments.mail.messages import email_bytes
from tests.comments.mail.shapes import nested_multipart
from tests.comments.test_ingest_email import CORPUS, ROOT, database_url
from tests.conftest import need
from tests.factories import make_article
from tests.imap_server import append_message, list_uids

PROCESSED, REJECTED = "Processed", "Rejected"


def fetch(*args: str) -> str:
    out = io.StringIO()
    call_command("fetch_email", *args, stdout=out)
    return out.getvalue().strip()


def comments_by_subject() -> dict[str, int]:
    counts: dict[str, int] = {}
    for c in Comment.objects.select_related("inbound_email"):
        key = c.inbound_email.subject
        counts[key] = counts.get(key, 0) + 1
    return counts


@pytest.fixture
def mailbox(imap_mailbox, settings):
    settings.IMAP_URL = imap_mailbox.url
    return imap_mailbox


def test_imap_url_schemes_and_defaults():
    secure = imap.parse_imap_url("imaps://me%40x.org:p%2Fw@mail.x.org/INBOX")
    assert (secure.scheme, secure.port, secure.username, secure.password) == (
        "imaps",
        993,
        "me@x.org",
        "p/w",
    )
    assert secure.label == "imaps://me@x.org@mail.x.org:993/INBOX"
    assert imap.parse_imap_url("imap://u:p@mail.x.org").port == 143
    assert imap.parse_imap_url("imap+plain://u:p@127.0.0.1:1143/").folder == "INBOX"


@pytest.mark.parametrize(
    "url",
    ["", "pop3://u:p@x.org", "imap+plain://u:p@mail.x.org/INBOX", "imaps://x.org"],
)
def test_unusable_imap_url_is_refused(url):
    from django.core.exceptions import ImproperlyConfigured

    with pytest.raises(ImproperlyConfigured):
        imap.parse_imap_url(url)


@pytest.mark.django_db
def test_fetch_stores_each_message_once_and_moves_it(mailbox):
    article = make_article(slug="open-weights")
    append_message(
        mailbox,
        email_bytes(
            subject="[open-weights] one", body="[open-weights] one has its own words."
        ),
    )
    append_message(mailbox, email_bytes(subject="two", body="two has its own words."))
    append_message(
        mailbox,
        email_bytes(subject="vacation", headers={"Auto-Submitted": "auto-replied"}),
    )
    append_message(mailbox, email_bytes(subject="[open-weights] empty", body="> q"))

    line = fetch()

    assert line == "fetched 4: queued 2, ignored 1, rejected 1"
    assert comments_by_subject() == {"[open-weights] one": 1, "two": 1}
    assert Comment.objects.filter(article=article).count() == 1
    assert list_uids(mailbox, "INBOX") == []
    assert len(list_uids(mailbox, PROCESSED)) == 3
    assert len(list_uids(mailbox, REJECTED)) == 1
    state = MailboxState.objects.get()
    assert state.last_success_at is not None
    assert state.last_batch["fetched"] == 4
    assert set(InboundEmail.objects.values_list("channel", flat=True)) == {"imap"}


@pytest.mark.django_db
def test_fetch_with_nothing_new_records_the_poll(mailbox):
    assert fetch() == "fetched 0: queued 0, ignored 0, rejected 0"
    assert MailboxState.objects.get().last_success_at is not None


@pytest.mark.django_db
def test_corpus_through_imap_ends_with_every_message_moved(mailbox):
    names = sorted(p.name for p in CORPUS.glob("*.eml"))[:20]
    for name in names:
        append_message(mailbox, (CORPUS / name).read_bytes())

    fetch("--batch", "100")

    assert list_uids(mailbox, "INBOX") == []
    moved = len(list_uids(mailbox, PROCESSED)) + len(list_uids(mailbox, REJECTED))
    assert moved == len(names)
    queued = InboundEmail.objects.filter(outcome="queued").count()
    assert Comment.objects.count() == queued


@pytest.mark.django_db
def test_oversized_message_is_recorded_from_its_headers_and_rejected(mailbox, settings):
    settings.MAX_EMAIL_BYTES = 5000
    append_message(mailbox, email_bytes(subject="huge", body="z" * 20_000))

    fetch()

    row = InboundEmail.objects.get()
    assert (row.outcome, row.reason, row.subject) == ("rejected", "too_large", "huge")
    assert row.raw_size > 20_000 and b"zzzz" not in bytes(row.raw)
    assert len(list_uids(mailbox, REJECTED)) == 1


@pytest.mark.django_db
def test_crash_between_commit_and_move_never_duplicates(mailbox, monkeypatch):
    for n in range(5):
        append_message(
            mailbox,
            email_bytes(subject=f"message {n}", body=f"message {n} has its own words."),
        )
    real_move, moves = imap.move, []

    def crashing_move(client, uid, folder):
        if len(moves) == 2:
            raise ConnectionResetError("killed mid-batch")
        moves.append(uid)
        real_move(client, uid, folder)

    monkeypatch.setattr(imap, "move", crashing_move)
    with pytest.raises(Exception, match="killed mid-batch"):
        fetch()
    assert Comment.objects.count() == 3  # stored, one of them not yet moved
    assert "killed mid-batch" in MailboxState.objects.get().last_error

    monkeypatch.setattr(imap, "move", real_move)
    fetch()

    assert comments_by_subject() == {f"message {n}": 1 for n in range(5)}
    assert InboundEmail.objects.get(subject="message 2").seen_count == 2
    assert list_uids(mailbox, "INBOX") == []
    assert len(list_uids(mailbox, PROCESSED)) == 5
    assert MailboxState.objects.get().last_error == ""


@pytest.mark.django_db
def test_batch_option_limits_one_poll(mailbox):
    for n in range(3):
        append_message(
            mailbox, email_bytes(subject=f"m{n}", body=f"m{n} has its own words.")
        )
    assert fetch("--batch", "2").startswith("fetched 2:")
    assert fetch("--batch", "2").startswith("fetched 1:")


@pytest.mark.django_db
def test_new_uidvalidity_resets_the_cursor(mailbox):
    append_message(
        mailbox, email_bytes(subject="first", body="first has its own words.")
    )
    fetch()
    state = MailboxState.objects.get()
    state.uidvalidity, state.last_uid = 1, 10_000
    state.save()
    append_message(
        mailbox, email_bytes(subject="second", body="second has its own words.")
    )

    fetch()

    assert comments_by_subject() == {"first": 1, "second": 1}


@pytest.mark.django_db
def test_second_poller_reports_the_lock_is_held(mailbox):
    target = imap.parse_imap_url(mailbox.url)
    with poller.poller_lock(target.label):
        err = io.StringIO()
        call_command("fetch_email", stdout=io.StringIO(), stderr=err)
    assert "holds the lock" in err.getvalue()
    assert MailboxState.objects.count() == 0


def child_env(mailbox) -> dict[str, str]:
    return {
        **os.environ,
        "DATABASE_URL": database_url(),
        "IMAP_URL": mailbox.url,
        "EMAIL_URL": "dummymail://",
        "LOG_LEVEL": "WARNING",
    }


def watching_child(mailbox) -> subprocess.Popen:
    """``fetch_email --watch`` in a child process, as compose runs it."""
    return subprocess.Popen(
        [sys.executable, "manage.py", "fetch_email", "--watch", "--interval", "1"],
        cwd=ROOT,
        env=child_env(mailbox),
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )


@pytest.mark.django_db(transaction=True)
def test_killed_poller_child_then_rerun_gives_one_comment_per_message(mailbox):
    count = 8
    for n in range(count):
        append_message(mailbox, email_bytes(subject=f"k{n}", body=f"Comment {n}."))
    child = subprocess.Popen(
        [sys.executable, "manage.py", "fetch_email", "--batch", "100"],
        cwd=ROOT,
        env=child_env(mailbox),
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )
    deadline = time.monotonic() + 30
    while InboundEmail.objects.count() < 1 and time.monotonic() < deadline:
        time.sleep(0.01)
    child.kill()  # SIGKILL: no cleanup at all
    child.wait()

    fetch("--batch", "100")

    assert comments_by_subject() == {f"k{n}": 1 for n in range(count)}
    assert list_uids(mailbox, "INBOX") == []


@pytest.mark.django_db(transaction=True)
def test_watch_prints_a_line_per_batch_and_stops_on_sigterm(mailbox):
    append_message(mailbox, email_bytes(subject="w1", body="w1 has its own words."))
    child = watching_child(mailbox)
    try:
        deadline = time.monotonic() + 30
        while Comment.objects.count() < 1 and time.monotonic() < deadline:
            time.sleep(0.05)
        append_message(
            mailbox, email_bytes(subject="w2", body="w2 has its own words.")
        )  # wakes IDLE
        while Comment.objects.count() < 2 and time.monotonic() < deadline:
            time.sleep(0.05)
    finally:
        child.terminate()
        out, err = child.communicate(timeout=20)
    assert child.returncode == 0, err.decode()
    assert b"Traceback" not in err
    # One line per batch; a loaded machine may poll once more and see a message
    # again (ignored as a duplicate), but each is queued exactly once.
    lines = out.decode().splitlines()
    assert lines and all(line.startswith("fetched ") for line in lines), lines
    assert sum("queued 1," in line for line in lines) == 2, lines
    assert comments_by_subject() == {"w1": 1, "w2": 1}


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_two_pollers_at_once_store_each_message_once(mailbox):
    need(connection.vendor == "postgresql", "PostgreSQL")
    count = 10
    for n in range(count):
        append_message(
            mailbox, email_bytes(subject=f"p{n}", body=f"p{n} has its own words.")
        )
    command = [sys.executable, "manage.py", "fetch_email", "--batch", "100"]
    children = [
        subprocess.Popen(
            command,
            cwd=ROOT,
            env=child_env(mailbox),
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
        )
        for _ in range(2)
    ]
    outputs = [child.communicate(timeout=60) for child in children]

    assert all(child.returncode == 0 for child in children), outputs
    stderr = b"".join(err for _out, err in outputs).decode()
    stdout = b"".join(out for out, _err in outputs).decode()
    if "holds the lock" not in stderr:
        # The first finished before the second started: it found nothing.
        assert "fetched 0" in stdout
    assert comments_by_subject() == {f"p{n}": 1 for n in range(count)}
    assert MailboxState.objects.get().last_success_at is not None


@pytest.mark.django_db
def test_hostile_message_does_not_hold_up_the_one_behind_it(mailbox):
    # 80,000 unclosed <b> tags (320 KB): once minutes of work, with the message
    # behind it unread after two 30-second polls.
    append_message(
        mailbox, email_bytes(subject="hostile", body="", html="<b>x" * 80_000)
    )
    append_message(mailbox, email_bytes(subject="behind it"))

    line = fetch()

    assert line == "fetched 2: queued 2, ignored 0, rejected 0"
    assert comments_by_subject() == {"hostile": 1, "behind it": 1}
    assert list_uids(mailbox, "INBOX") == []


@pytest.mark.django_db
def test_messages_over_their_time_budget_are_failed_and_the_poller_moves_on(
    mailbox, settings
):
    settings.EMAIL_SECONDS_PER_MESSAGE = -1  # every message over budget at once
    append_message(mailbox, email_bytes(subject="first", body="One comment."))
    append_message(mailbox, email_bytes(subject="second", body="Another one."))

    first_poll = fetch()
    again = fetch()

    assert first_poll == "fetched 2: queued 0, ignored 0, rejected 0, failed 2"
    assert again == "fetched 0: queued 0, ignored 0, rejected 0"  # no loop
    rows = InboundEmail.objects.order_by("pk")
    assert [(r.subject, r.reason) for r in rows] == [
        ("first", "too_slow"),
        ("second", "too_slow"),
    ]
    # Failed mail stays in the inbox for the editors, who re-process it.
    assert len(list_uids(mailbox, "INBOX")) == 2
    settings.EMAIL_SECONDS_PER_MESSAGE = 20
    assert [reprocess(r).outcome for r in rows] == ["queued", "queued"]


@pytest.mark.django_db(transaction=True)
def test_watch_stops_soon_after_sigterm_mid_message_and_loses_nothing(mailbox):
    # Docker sends SIGTERM, then SIGKILL 10 s later. The poller stores each
    # message before reading it and checks the stop flag while reading, so it
    # leaves the one it was reading for the next run.
    hostile, _plain = nested_multipart(295, 2_000_000)
    append_message(mailbox, hostile)
    append_message(mailbox, email_bytes(subject="behind it", body="Plain words."))
    child = watching_child(mailbox)
    try:
        deadline = time.monotonic() + 60
        while not InboundEmail.objects.exists() and time.monotonic() < deadline:
            time.sleep(0.01)
    finally:
        child.terminate()
        _out, err = child.communicate(timeout=10)  # Docker's grace period

    assert child.returncode == 0, err.decode()
    assert b"Traceback" not in err
    assert InboundEmail.objects.filter(subject="A comment").exists()  # stored first

    fetch("--batch", "100")

    outcomes = sorted(InboundEmail.objects.values_list("outcome", "reason"))
    assert outcomes == [("queued", "unrouted"), ("rejected", "empty_body")]
    assert list_uids(mailbox, "INBOX") == []
