"""Queue health on the admin index and in `moderation_report`, with its alerts."""

from datetime import timedelta
from io import StringIO

import pytest
from bs4 import BeautifulSoup
from django.core.management import call_command
from django.utils import timezone

from comments.models import CommentStatus, MailboxState
from moderation.models import AlertSent, Decision
from moderation.queue import queue_health
from tests.factories import make_article, make_comment, make_editor
from tests.moderation.desk import aged
from tests.moderation.transfer import run_import, wxr, wxr_comment, wxr_item

S = CommentStatus
pytestmark = pytest.mark.django_db


def decided_after(comment, hours: float, editor=None) -> None:
    """An editor publishes `comment`; the decision is dated `hours` after it came."""
    from moderation.transitions import publish_comment

    publish_comment(comment=comment, editor=editor or make_editor())
    Decision.objects.filter(comment=comment).update(
        at=comment.submitted_at + timedelta(hours=hours)
    )


def queue_with_known_numbers() -> None:
    """Pending: 2, the oldest 10 h old. Decisions in 30 days took 1, 2 and 6 h;
    one 50 days ago took 100 h and must not count."""
    aged(make_comment(), 10)
    aged(make_comment(), 3)
    for hours in (1, 2, 6):
        decided_after(aged(make_comment(), 24), hours)
    decided_after(aged(make_comment(), 24 * 50), 100)
    # The system's own publications (demo content) are not editors' decisions.
    from moderation.transitions import publish_comment

    publish_comment(comment=make_comment(), editor=None)


@pytest.fixture
def report(django_capture_on_commit_callbacks):
    """Run the command as cron would: its transactions commit, its mail goes."""

    def run(*args: str) -> str:
        out = StringIO()
        with django_capture_on_commit_callbacks(execute=True):
            call_command("moderation_report", *args, stdout=out)
        return out.getvalue()

    return run


def test_queue_health_counts_oldest_and_median_of_last_30_days():
    queue_with_known_numbers()

    health = queue_health()

    assert health.pending == 2
    assert timedelta(hours=10) <= health.oldest_pending_age < timedelta(hours=10.1)
    assert health.median_decision_time == timedelta(hours=2)


def test_admin_index_shows_queue_health(editor_client):
    queue_with_known_numbers()

    soup = BeautifulSoup(editor_client.get("/admin/").content.decode(), "html.parser")

    summary = soup.find(id="queue-summary")
    assert summary.find(class_="pending-badge").get_text() == "2"
    assert soup.find(id="queue-oldest").get_text() == "10\xa0hours"
    assert soup.find(id="queue-median").get_text() == "2\xa0hours"


def test_admin_index_counts_a_long_queue_only_as_far_as_the_cap(
    editor_client, settings
):
    settings.MODERATION_QUEUE_COUNT_CAP = 3
    for _ in range(5):
        make_comment()

    html = editor_client.get("/admin/").content.decode()
    badge = BeautifulSoup(html, "html.parser").find(class_="pending-badge")

    # PostgreSQL's planner estimate beyond the cap; other databases say the cap.
    assert badge.get_text().startswith("about ")
    assert int(badge.get_text().removeprefix("about ")) > 3


def test_report_prints_queue_health_and_mailbox_read(report):
    queue_with_known_numbers()
    MailboxState.objects.create(
        mailbox="INBOX", last_success_at=timezone.now() - timedelta(minutes=5)
    )

    out = report()

    assert "Pending comments: 2" in out
    assert "Oldest pending: 10\xa0hours" in out
    assert "Median time to a decision (30 days): 2\xa0hours" in out
    assert "Mailbox last read: never" not in out
    assert "Mailbox last read: 20" in out  # a date


def test_report_on_an_empty_site_says_so(report):
    out = report()

    assert "Pending comments: 0" in out
    assert "Oldest pending: —" in out
    assert "Mailbox last read: never" in out


def test_alert_after_mails_once_per_overdue_comment(mailoutbox, report):
    make_editor(email="ed@example.org")
    overdue = [aged(make_comment(), 30), aged(make_comment(), 26)]
    aged(make_comment(), 2)

    out = report("--alert-after", "24")

    assert len(mailoutbox) == 2
    assert all(m.to == ["ed@example.org"] for m in mailoutbox)
    subjects = {m.subject.partition("] Comment ")[2].split()[0] for m in mailoutbox}
    assert subjects == {f"#{c.pk}" for c in overdue}
    assert "Alerted editors about 2 comments waiting over 24 h" in out


def test_alert_after_does_not_repeat_on_later_runs(mailoutbox, report):
    make_editor(email="ed@example.org")
    aged(make_comment(), 30)
    report("--alert-after", "24")

    out = report("--alert-after", "24")
    newly_overdue = aged(make_comment(), 25)
    report("--alert-after", "24")

    assert len(mailoutbox) == 2
    assert f"#{newly_overdue.pk}" in mailoutbox[1].subject
    assert "about 0 comments" in out and "1 alerted before" in out


def test_alert_after_ignores_decided_comments(mailoutbox, report):
    make_editor(email="ed@example.org")
    aged(make_comment(status=S.PUBLISHED), 30)

    report("--alert-after", "24")

    assert mailoutbox == []


def test_alert_without_editor_addresses_records_nothing(mailoutbox, report):
    aged(make_comment(), 30)

    out = report("--alert-after", "24")

    assert "No editor has an email address" in out
    assert not AlertSent.objects.exists()


def test_alert_after_leaves_out_an_imported_backlog(mailoutbox, report, tmp_path):
    # Imported comments keep their old dates: a held backlog must not mail the
    # editors once per comment.
    make_editor(email="ed@example.org")
    make_article(slug="post")
    backlog = tmp_path / "held.xml"
    backlog.write_text(
        wxr(wxr_item("post", *(wxr_comment(n, approved="0") for n in range(1, 4))))
    )
    run_import(backlog)
    overdue = aged(make_comment(), 30)

    report("--alert-after", "24")

    assert len(mailoutbox) == 1
    assert f"Comment #{overdue.pk} " in mailoutbox[0].subject
