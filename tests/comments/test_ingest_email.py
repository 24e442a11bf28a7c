"""The mail server's pipe: manage.py ingest_email, in-process and as a child."""

import io
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.management import call_command
from django.db import connection

from comments.models import Comment, InboundEmail
from tests.comments.mail.messages import email_bytes
from tests.factories import make_article

ROOT = Path(__file__).resolve().parents[2]
CORPUS = ROOT / "tests" / "data" / "email"
FILES = sorted(CORPUS.glob("*.eml"))
EX_TEMPFAIL = 75
OUTCOMES = {"queued", "ignored", "rejected", "failed"}
AUTO_REPLIES = [f"sisimai__rfc3834-0{n}.eml" for n in range(1, 5)]
BOUNCES = [
    "sisimai__rfc3464-01.eml",
    "sisimai__lhost-gmail-01.eml",
    "sisimai__lhost-postfix-01.eml",
    "sisimai__lhost-office365-01.eml",
    "mail__report_422.eml",
    "mail__multi_address_bounce1.eml",
    "flanker__gmail-invalid-address.eml",
    "flanker__mailbox-full.eml",
]
TALON_REPLIES = [
    "talon__gmail.eml",
    "talon__apple_mail.eml",
    "talon__android.eml",
    "talon__hotmail.eml",
    "talon__outlook.eml",
    "talon__thunderbird.eml",
    "talon__yahoo.eml",
]
SUBPROCESS_SAMPLE = [
    "talon__gmail.eml",
    "sisimai__rfc3834-01.eml",
    "sisimai__rfc3464-01.eml",
    "mail__japanese_iso_2022.eml",
    "mail__bad_encoded_subject.eml",
    "flanker__mailformed-headers.eml",
    "djmbx__message_with_koi8r_filename_attachments.eml",
    "mail__raw_email_with_illegal_boundary.eml",
    "flanker__8bitmime.eml",
    "mail__utf8_headers.eml",
]


def pipe(raw: bytes, monkeypatch, *args: str) -> str:
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(raw)))
    out = io.StringIO()
    call_command("ingest_email", *args, stdout=out)
    return out.getvalue().strip()


def pipe_json(raw: bytes, monkeypatch, *args: str) -> dict:
    return json.loads(pipe(raw, monkeypatch, "--json", *args))


def database_url() -> str:
    """A DATABASE_URL for a child process: the test database itself."""
    s = connection.settings_dict
    if connection.vendor == "sqlite":
        return f"sqlite:///{s['NAME']}"
    password = f":{s['PASSWORD']}" if s["PASSWORD"] else ""
    return (
        f"postgres://{s['USER']}{password}@{s['HOST'] or '127.0.0.1'}:"
        f"{s['PORT'] or 5432}/{s['NAME']}"
    )


def run_child(
    raw: bytes, *args: str, url: str, **environ: str
) -> subprocess.CompletedProcess:
    env = {
        **os.environ,
        "DATABASE_URL": url,
        "EMAIL_URL": "dummymail://",
        "LOG_LEVEL": "WARNING",
        **environ,
    }
    env.pop("ORIGINAL_RECIPIENT", None)
    return subprocess.run(
        [sys.executable, "manage.py", "ingest_email", *args],
        input=raw,
        capture_output=True,
        cwd=ROOT,
        env=env,
        timeout=60,
    )


@pytest.mark.django_db
@pytest.mark.parametrize("path", FILES, ids=lambda p: p.name)
def test_corpus_message_through_the_command_ends_in_a_stored_outcome(path, monkeypatch):
    result = pipe_json(path.read_bytes(), monkeypatch)

    assert result["outcome"] in OUTCOMES - {"failed"}
    row = InboundEmail.objects.get(pk=result["inbound_email"])
    assert (row.outcome, row.reason) == (result["outcome"], result["reason"])


@pytest.mark.django_db
@pytest.mark.parametrize("name", AUTO_REPLIES)
def test_corpus_auto_reply_is_ignored(name, monkeypatch):
    result = pipe_json((CORPUS / name).read_bytes(), monkeypatch)
    assert (result["outcome"], result["reason"]) == ("ignored", "auto_reply")
    assert Comment.objects.count() == 0


@pytest.mark.django_db
@pytest.mark.parametrize("name", BOUNCES)
def test_corpus_bounce_is_ignored(name, monkeypatch):
    result = pipe_json((CORPUS / name).read_bytes(), monkeypatch)
    assert (result["outcome"], result["reason"]) == ("ignored", "bounce")
    assert Comment.objects.count() == 0


@pytest.mark.django_db
@pytest.mark.parametrize("name", TALON_REPLIES)
def test_corpus_reply_is_queued_with_its_quote_stripped(name, monkeypatch):
    result = pipe_json((CORPUS / name).read_bytes(), monkeypatch)

    assert result["outcome"] == "queued"
    comment = Comment.objects.get(pk=result["comment"])
    assert comment.body == "Hello"
    assert comment.trimmed_text


@pytest.mark.django_db
def test_every_corpus_file_once_gives_one_comment_per_queued_message(monkeypatch):
    results = [pipe_json(p.read_bytes(), monkeypatch) for p in FILES]
    queued = [r for r in results if r["outcome"] == "queued"]
    assert len(queued) == Comment.objects.count() > 20
    # Two corpus files share a Message-ID: the second is a duplicate.
    assert [r["reason"] for r in results].count("duplicate") == 1


@pytest.mark.django_db
def test_plain_output_is_one_line_with_outcome_article_and_ids(monkeypatch):
    make_article(slug="open-weights")
    raw = email_bytes(subject="[open-weights] Open Weights")
    line = pipe(raw, monkeypatch)
    comment = Comment.objects.get()
    assert line == (
        f"queued routed_by_subject_token article=open-weights comment={comment.pk} "
        f"inbound_email={comment.inbound_email_id}"
    )


@pytest.mark.django_db
def test_recipient_option_routes_and_is_stored(monkeypatch):
    article = make_article(slug="open-weights")
    result = pipe_json(
        email_bytes(),
        monkeypatch,
        "--recipient",
        "tech.handrail404+open-weights@passinbox.com",
    )
    assert (result["reason"], result["article"]) == (
        "routed_by_plus_address",
        article.slug,
    )
    row = InboundEmail.objects.get()
    assert row.recipient == "tech.handrail404+open-weights@passinbox.com"


@pytest.mark.django_db
def test_original_recipient_environment_variable_routes(monkeypatch):
    make_article(slug="open-weights")
    monkeypatch.setenv(
        "ORIGINAL_RECIPIENT", "tech.handrail404+open-weights@passinbox.com"
    )
    assert pipe_json(email_bytes(), monkeypatch)["article"] == "open-weights"


@pytest.mark.django_db
def test_pipe_reads_only_cap_plus_one_bytes_and_rejects_too_large(
    monkeypatch, settings
):
    settings.MAX_EMAIL_BYTES = 3000
    result = pipe_json(email_bytes(body="y" * 10_000), monkeypatch)
    assert (result["outcome"], result["reason"]) == ("rejected", "too_large")
    row = InboundEmail.objects.get()
    assert row.raw_size == 3001
    assert len(bytes(row.raw)) < 3000


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("name", SUBPROCESS_SAMPLE)
def test_corpus_sample_through_a_child_process_exits_0(name):
    completed = run_child((CORPUS / name).read_bytes(), "--json", url=database_url())

    assert completed.returncode == 0, completed.stderr.decode()
    assert b"Traceback" not in completed.stderr
    result = json.loads(completed.stdout)
    assert InboundEmail.objects.get(pk=result["inbound_email"]).outcome in OUTCOMES


@pytest.mark.django_db(transaction=True)
def test_database_outage_exits_75_then_the_same_message_is_queued():
    raw = email_bytes(body="Arrived while the database was down.")

    down = run_child(raw, url="postgres://postgres@127.0.0.1:1/x")

    assert down.returncode == EX_TEMPFAIL
    lines = down.stderr.decode().strip().splitlines()
    assert len(lines) == 1 and "database unavailable" in lines[0]
    assert b"Traceback" not in down.stderr
    assert InboundEmail.objects.count() == 0

    back = run_child(raw, url=database_url())

    assert back.returncode == 0, back.stderr.decode()
    assert back.stdout.decode().startswith("queued unrouted")
    assert Comment.objects.get().body == "Arrived while the database was down."


@pytest.mark.django_db(transaction=True)
def test_unexpected_error_exits_75_without_traceback(tmp_path):
    # A database file in a directory that does not exist: not an email problem.
    completed = run_child(
        email_bytes(), url=f"sqlite:///{tmp_path}/missing/dir/db.sqlite3"
    )
    assert completed.returncode == EX_TEMPFAIL
    assert b"Traceback" not in completed.stderr
    assert len(completed.stderr.decode().strip().splitlines()) == 1


def test_help_states_the_exit_codes():
    from comments.management.commands import ingest_email

    assert "EX_TEMPFAIL" in ingest_email.Command.epilog


@pytest.mark.django_db(transaction=True)
def test_json_output_is_one_line_even_when_the_console_mail_backend_prints(
    editor,
):
    # The development default: the editors' notice printed by the console
    # backend used to come first on stdout, 700 lines before the JSON.
    completed = run_child(
        email_bytes(), "--json", url=database_url(), EMAIL_URL="consolemail://"
    )

    assert completed.returncode == 0, completed.stderr.decode()
    lines = completed.stdout.decode().splitlines()
    assert len(lines) == 1
    assert json.loads(lines[0])["outcome"] == "queued"
    assert editor.email in completed.stderr.decode()  # the notice, on stderr


@pytest.mark.parametrize("url", ["garbage", "mysql://x@y/z", "foo://bar"])
def test_unusable_database_url_exits_75_with_one_line(url):
    completed = run_child(email_bytes(), url=url)

    assert completed.returncode == EX_TEMPFAIL
    lines = completed.stderr.decode().strip().splitlines()
    assert len(lines) == 1 and "the mail server will retry" in lines[0]
    assert completed.stdout == b""


@pytest.mark.django_db(transaction=True)
def test_cache_outage_stores_the_message_as_a_comment(redis_server):
    cache_url = redis_server.url
    before = run_child(
        email_bytes(subject="before"), url=database_url(), CACHE_URL=cache_url
    )
    assert before.returncode == 0, before.stderr.decode()

    redis_server.stop()
    raw = email_bytes(subject="during", body="Sent while the cache was down.")
    down = run_child(raw, url=database_url(), CACHE_URL=cache_url)

    # A Redis outage is a cache miss (settings.py): the mail is queued as usual.
    assert down.returncode == 0, down.stderr.decode()
    row = InboundEmail.objects.get(subject="during")
    assert row.outcome == "queued"
    assert Comment.objects.filter(inbound_email=row).get().body == (
        "Sent while the cache was down."
    )


@pytest.mark.django_db(transaction=True)
def test_missing_cache_table_defers_the_message_never_failed(settings):
    # A database migrated while Redis was configured (before `migrate` made the
    # default cache's table whatever CACHE_URL said), then the pipe run without
    # CACHE_URL: every message was stored failed / processing_error, exit 0.
    with connection.cursor() as cursor:
        cursor.execute(f"DROP TABLE {settings.CACHE_TABLE}")
    try:
        raw = email_bytes(subject="no cache table", body="Kept for the retry.")
        down = run_child(raw, url=database_url(), CACHE_URL="")

        assert down.returncode == EX_TEMPFAIL, down.stderr.decode()
        assert not InboundEmail.objects.filter(outcome="failed").exists()
    finally:
        call_command("createcachetable", verbosity=0)

    retry = run_child(raw, url=database_url(), CACHE_URL="")

    assert retry.returncode == 0, retry.stderr.decode()
    row = InboundEmail.objects.get(subject="no cache table")
    assert row.outcome == "queued"


def test_unusable_database_url_stops_the_checked_commands_with_one_error():
    completed = subprocess.run(
        [sys.executable, "manage.py", "check"],
        cwd=ROOT,
        env={**os.environ, "DATABASE_URL": "foo://user:secret@bar/x"},
        capture_output=True,
    )

    assert completed.returncode != 0
    out = completed.stderr.decode()
    assert "sourcehat.E001" in out and "DATABASE_URL can't be used" in out
    assert "secret" not in out and "Traceback" not in out
