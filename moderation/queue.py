"""Queue health: what the admin index and moderation_report show."""

from dataclasses import dataclass
from datetime import datetime, timedelta
from statistics import median

from django.db.models import Min
from django.utils import timezone
from django.utils.timesince import timesince

from comments.models import Comment, CommentStatus, MailboxState, dated_here
from moderation.models import Decision
from moderation.pagination import capped_count, count_cap


@dataclass(frozen=True)
class QueueHealth:
    pending: int
    oldest_pending_at: datetime | None
    median_decision_time: timedelta | None
    last_mail_poll_at: datetime | None
    pending_estimated: bool = False  # past the count cap: the database's estimate

    @property
    def median_decision_text(self) -> str:
        return humanize(self.median_decision_time)

    @property
    def oldest_pending_text(self) -> str:
        return humanize(self.oldest_pending_age)

    @property
    def oldest_pending_age(self) -> timedelta | None:
        return (
            timezone.now() - self.oldest_pending_at if self.oldest_pending_at else None
        )


def humanize(span: timedelta | None) -> str:
    """'3 hours, 20 minutes' (Django's timesince, two units); '—' when there is
    nothing to measure."""
    if span is None:
        return "—"
    now = timezone.now()
    return timesince(now - span, now, depth=2)


def queue_health(days: int = 30, *, exact: bool = True) -> QueueHealth:
    """Pending count, oldest pending, median time to decision, last mail poll.

    Not `exact` (the admin index, on every visit), the pending count stops at the
    count cap and is the database's estimate beyond: constant cost at any size.
    """
    pending = Comment.objects.awaiting_review()
    stats = pending.aggregate(oldest=Min("submitted_at"))
    since = timezone.now() - timedelta(days=days)
    firsts = (
        # Editors' decisions only: the system's (demo content, erasures) would
        # pull the median towards zero.
        Decision.objects.filter(at__gte=since, from_status=CommentStatus.PENDING)
        .exclude(to_status=CommentStatus.PENDING)
        .exclude(editor=None)
        .filter(dated_here("comment__"))
        .values_list("at", "comment__submitted_at")[:5000]
    )
    waits = [at - submitted for at, submitted in firsts]
    last_poll = (
        MailboxState.objects.exclude(last_success_at=None)
        .order_by("-last_success_at")
        .values_list("last_success_at", flat=True)
        .first()
    )
    count = pending.count() if exact else capped_count(pending)
    return QueueHealth(
        pending=count,
        pending_estimated=not exact and count > count_cap(),
        oldest_pending_at=stats["oldest"],
        median_decision_time=median(waits) if waits else None,
        last_mail_poll_at=last_poll,
    )
