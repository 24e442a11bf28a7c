"""Word back to a writer after an editor's decision (DESIGN.md "Word back to writers").

Only an editor's decision sends anything (never the arrival of a letter), and only
to a proven address that is not on the suppression list (comments.writers decides
both, for every send path). A publication, or a rejection whose reason the editor
chose to send, becomes a WriterNotice; the address gets at most one message a day,
so what accumulates in between goes out together: a task runs when the address's
day is up, and no sooner than GRACE after the decision (the database backend
defers it; where the backend can't wait, as in development, the first message goes
at once and `manage.py send_word_back` sends what is due later). Spam never sends.
"""

import logging
from datetime import timedelta

from django.conf import settings
from django.db import transaction
from django.template.loader import render_to_string
from django.utils import timezone
from django_tasks import default_task_backend, task

from comments.models import Comment, CommentStatus, WriterAddress
from comments.outgoing import build_message, send_logged
from comments.writers import (
    list_headers,
    may_write_to,
    next_message_at,
    proven_address,
    stop_url,
)
from moderation.models import RejectReason, WriterNotice, WriterNoticeKind

logger = logging.getLogger("sourcehat.mail")
GRACE = timedelta(minutes=10)
STILL_TRUE = {
    WriterNoticeKind.PUBLISHED: CommentStatus.PUBLISHED,
    WriterNoticeKind.REJECTED: CommentStatus.REJECTED,
}


def tell_writer_on_commit(*, comment_id: int, kind: str, reason: str = "") -> None:
    """After the decision commits, queue word back to the comment's writer."""

    # robust: the decision is committed by then; a failure here is logged and
    # must not turn the editor's click into an error page. A named function, as
    # Django logs a robust hook's failure by its __qualname__.
    def queue_word_back() -> None:
        tell_writer(comment_id=comment_id, kind=kind, reason=reason)

    transaction.on_commit(queue_word_back, robust=True)


def _words_for(reason: str) -> str:
    """A saved reason's letter when the editor picked one, else their own words."""
    saved = RejectReason.objects.filter(text=reason.strip()).first()
    return saved.words_for_writer if saved else reason.strip()


def tell_writer(*, comment_id: int, kind: str, reason: str = "") -> WriterNotice | None:
    """Queue word back about a decision, if the writer's address is proven (once
    per comment and kind: a comment published again is not announced again)."""
    comment = (
        Comment.objects.select_related("inbound_email").filter(pk=comment_id).first()
    )
    row = proven_address(comment) if comment is not None else None
    if row is None or comment.writer_notices.filter(kind=kind).exists():
        return None
    notice = WriterNotice.objects.create(
        address=row,
        comment=comment,
        kind=kind,
        reason=_words_for(reason) if kind == WriterNoticeKind.REJECTED else "",
    )
    when = next_message_at(row)
    if default_task_backend.supports_defer:
        # A grace period: a reply written just after publishing goes in the same
        # message, and a decision undone at once is never announced.
        when = max(when, timezone.now() + GRACE)
        send_word_back.using(run_after=when).enqueue(row.pk)
    elif when <= timezone.now():
        send_word_back.enqueue(row.pk)
    return notice


@task()
def send_word_back(address_id: int) -> int:
    """Send an address's accumulated word back as one message, if its day is up."""
    return deliver(address_id)


def _still_true(notice: WriterNotice) -> bool:
    """A notice still says what is so (a comment taken down since is not
    "published"; one marked spam since is never written about)."""
    comment = notice.comment
    return comment.status == STILL_TRUE[notice.kind] and comment.article is not None


@transaction.atomic
def deliver(address_id: int) -> int:
    """Send what waits for one address in one message; the number of items sent.

    The row lock makes two workers for the same address send once. The message
    is sent inside the transaction: if the mail server fails, nothing is marked
    sent and the worker's retry sends it.
    """
    row = WriterAddress.objects.select_for_update().filter(pk=address_id).first()
    if row is None:
        return 0
    waiting = list(row.notices.unsent().select_related("comment__article"))
    if not waiting or next_message_at(row) > timezone.now():
        return 0
    items = [n for n in waiting if _still_true(n)] if may_write_to(row) else []
    now = timezone.now()
    WriterNotice.objects.filter(pk__in=[n.pk for n in items]).update(sent_at=now)
    # What no longer holds (or may not be sent) is dropped, not kept for later.
    WriterNotice.objects.filter(
        pk__in=[n.pk for n in waiting if n not in items]
    ).delete()
    if not items:
        return 0
    row.last_sent_at = now
    row.save(update_fields=["last_sent_at"])
    send_logged(_message(row, items))
    logger.info("word back sent to address %s: %d items", row.pk, len(items))
    return len(items)


def _message(row: WriterAddress, items: list[WriterNotice]):  # -> EmailMessage
    context = {
        "items": [
            {
                "notice": n,
                "comment": n.comment,
                "article": n.comment.article,
                "url": settings.SITE_URL + n.comment.get_absolute_url(),
            }
            for n in items
        ],
        "stop_url": stop_url(row),
        "SITE_NAME": settings.SITE_NAME,
    }
    first = items[0]
    if len(items) > 1:
        subject = f"News of your comments on {settings.SITE_NAME}"
    elif first.kind == WriterNoticeKind.PUBLISHED:
        subject = f"Your comment on “{first.comment.article.title}” is published"
    else:
        subject = f"Your comment on “{first.comment.article.title}”"
    body = render_to_string("moderation/email/word_back.txt", context)
    return build_message(
        subject=subject, body=body, to=[row.address], headers=list_headers(row)
    )


def deliver_due() -> int:
    """Send every address's word back whose day is up (the command's work)."""
    sent = 0
    addresses = (
        WriterNotice.objects.unsent()
        .values_list("address_id", flat=True)
        .distinct()
        .order_by()
    )
    for address_id in list(addresses):
        sent += deliver(address_id)
    return sent
