"""Alerts about comments that wait too long (moderation_report --alert-after)."""

from dataclasses import dataclass
from datetime import timedelta
from functools import partial

from django.conf import settings
from django.db import IntegrityError, transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone

from comments.models import Comment, dated_here
from moderation.models import AlertSent
from moderation.notices import editor_addresses
from moderation.queue import humanize
from moderation.tasks import send_mail_task


@dataclass(frozen=True)
class AlertResult:
    hours: float
    alerted: int
    already: int
    recipients: int

    def summary(self) -> str:
        if not self.recipients:
            return "No editor has an email address: no alert sent."
        return (
            f"Alerted editors about {self.alerted} comment"
            f"{'s' if self.alerted != 1 else ''} waiting over {self.hours:g} h"
            f" ({self.already} alerted before)."
        )


def alert_overdue(*, hours: float) -> AlertResult:
    """Mail the editors once about each comment pending longer than `hours`."""
    cutoff = timezone.now() - timedelta(hours=hours)
    # Not imported comments: an import of a held backlog must not mail the
    # editors once per comment.
    overdue = (
        Comment.objects.awaiting_review()
        .filter(submitted_at__lt=cutoff)
        .filter(dated_here())
    )
    already = overdue.filter(overdue_alert__isnull=False).count()
    recipients = editor_addresses()
    if not recipients:
        # Nothing recorded: they will be alerted once someone can read it.
        return AlertResult(hours=hours, alerted=0, already=already, recipients=0)
    alerted = 0
    for comment in overdue.filter(overdue_alert__isnull=True).select_related("article"):
        alerted += _alert_once(comment, recipients)
    return AlertResult(
        hours=hours, alerted=alerted, already=already, recipients=len(recipients)
    )


@transaction.atomic
def _alert_once(comment: Comment, recipients: list[str]) -> int:
    # The one-to-one row is the "sent" mark; a second cron run racing this one
    # fails the insert and sends nothing.
    try:
        with transaction.atomic():
            AlertSent.objects.create(comment=comment)
    except IntegrityError:
        return 0
    waited = humanize(timezone.now() - comment.submitted_at)
    review = reverse("admin:comments_comment_review")
    context = {
        "comment": comment,
        "waited": waited,
        "review_url": f"{settings.SITE_URL}{review}?c={comment.pk}",
        "SITE_NAME": settings.SITE_NAME,
    }
    subject = f"[{settings.SITE_NAME}] Comment #{comment.pk} has waited {waited}"
    body = render_to_string("moderation/email/overdue_alert.txt", context)
    transaction.on_commit(partial(send_mail_task.enqueue, subject, body, recipients))
    return 1
