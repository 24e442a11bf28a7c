"""Who may hear from us, and how they stop it (DESIGN.md "Word back to writers").

An address is proven in two ways only: a form writer confirms it through a signed
link (GET shows a page, POST confirms: a link checker's GET changes nothing), or a
letter passed DMARC for our AUTHSERV_ID (InboundEmail.sender_proven). What we know
about an address (its confirmation, the suppression list, when we last wrote) is
one WriterAddress row keyed on the normalised address, so it holds for all of that
writer's comments and across channels.

This lives in `comments`, not `moderation`: comments sends the confirmation request
itself (at once, when the form asks), so it must be able to read the suppression
list, and comments never imports moderation. Every send path (the confirmation
here, moderation's word back after a decision) asks `may_write_to`.

Signed links carry the row's id, never the address (addresses stay out of URLs and
so out of access logs), each under its own salt.
"""

import logging
from datetime import datetime, timedelta
from functools import partial

from django.conf import settings
from django.core import signing
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone

from comments.models import (
    Comment,
    CommentSource,
    CommentStatus,
    Suppression,
    WriterAddress,
    normalize_address,
)
from comments.outgoing import send_writer_mail

CONFIRM_SALT = "comments.confirm-address.v1"
STOP_SALT = "comments.stop-mail.v1"
# A confirmation link is good for a week; a second request within a day sends
# nothing (anyone can type an address into the form: it must not become a way to
# mail someone over and over).
CONFIRM_DAYS = 7
CONFIRMATION_INTERVAL = timedelta(days=1)
# At most one message a day to an address (a confirmation request aside).
DAILY = timedelta(days=1)
logger = logging.getLogger("sourcehat.mail")


def row_for(address: str) -> WriterAddress:
    """The address's row (made on first use)."""
    row, _ = WriterAddress.objects.get_or_create(address=normalize_address(address))
    return row


def may_write_to(row: WriterAddress | None) -> bool:
    """The suppression list, asked by every send path."""
    return row is not None and not row.is_suppressed


def proven_address(comment: Comment) -> WriterAddress | None:
    """The writer's address, if it is proven and not suppressed; else None.

    A form writer's address is proven once confirmed, and only for a comment
    whose writer asked to be told; an emailed letter's sender when the letter
    passed DMARC for our AUTHSERV_ID. Imports and everything else: never.
    """
    if not comment.author_email:
        return None
    if comment.source == CommentSource.WEB:
        if not comment.notify_on_publish:
            return None
        row = WriterAddress.objects.for_address(comment.author_email).first()
        proven = row is not None and row.is_confirmed
    elif comment.source == CommentSource.EMAIL:
        inbound = comment.inbound_email
        proven = (
            inbound is not None
            and inbound.sender_proven
            and normalize_address(inbound.sender)
            == normalize_address(comment.author_email)
        )
        row = row_for(comment.author_email) if proven else None
    else:
        return None
    return row if proven and may_write_to(row) else None


def next_message_at(row: WriterAddress) -> datetime:
    """When the address may get its next message (now, or a day after the last)."""
    now = timezone.now()
    if row.last_sent_at is None:
        return now
    return max(now, row.last_sent_at + DAILY)


def _url(name: str, token: str) -> str:
    return settings.SITE_URL + reverse(name, kwargs={"token": token})


def confirm_url(row: WriterAddress) -> str:
    return _url("comments:confirm", signing.dumps(row.pk, salt=CONFIRM_SALT))


def stop_url(row: WriterAddress) -> str:
    """The "stop these emails" link (no expiry: an old message's link still works)."""
    return _url("comments:stop", signing.dumps(row.pk, salt=STOP_SALT))


def _row_from(token: str, salt: str, max_age: int | None) -> WriterAddress | None:
    try:
        pk = signing.loads(token, salt=salt, max_age=max_age)
    except signing.BadSignature:
        return None
    if not isinstance(pk, int):
        return None
    return WriterAddress.objects.filter(pk=pk).first()


def row_to_confirm(token: str) -> WriterAddress | None:
    """The address a confirmation link names, or None (forged or expired)."""
    return _row_from(token, CONFIRM_SALT, CONFIRM_DAYS * 24 * 3600)


def row_to_stop(token: str) -> WriterAddress | None:
    """The address a "stop these emails" link names, or None (forged)."""
    return _row_from(token, STOP_SALT, None)


def list_headers(row: WriterAddress) -> dict[str, str]:
    """RFC 2369 List-Unsubscribe with RFC 8058 one-click: a mail client's button
    POSTs "List-Unsubscribe=One-Click" to the URL, which is all it takes."""
    return {
        "List-Unsubscribe": f"<{stop_url(row)}>",
        "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
    }


def send_to_writer(*, row: WriterAddress, subject: str, body: str) -> None:
    """Queue one message to a writer, with the headers every such message has."""
    send_writer_mail.enqueue(subject, body, row.address, list_headers(row))


@transaction.atomic
def request_confirmation(comment_id: int) -> bool:
    """Ask a form writer who wants to be told to confirm their address (once a
    day at most; never to a confirmed or suppressed address, nor for spam)."""
    comment = Comment.objects.filter(pk=comment_id).select_related("article").first()
    if comment is None or not (comment.notify_on_publish and comment.author_email):
        return False
    if comment.status == CommentStatus.SPAM:
        return False  # a robot's form post must not make us mail its victim
    row = row_for(comment.author_email)
    row = WriterAddress.objects.select_for_update().get(pk=row.pk)
    now = timezone.now()
    recently = (
        row.confirmation_sent_at is not None
        and row.confirmation_sent_at > now - CONFIRMATION_INTERVAL
    )
    if row.is_confirmed or not may_write_to(row) or recently:
        return False
    row.confirmation_sent_at = now
    row.save(update_fields=["confirmation_sent_at"])
    context = {
        "article": comment.article,
        "confirm_url": confirm_url(row),
        "stop_url": stop_url(row),
        "confirm_days": CONFIRM_DAYS,
        "SITE_NAME": settings.SITE_NAME,
    }
    body = render_to_string("comments/email/confirm_address.txt", context)
    subject = f"Please confirm your address for {settings.SITE_NAME}"
    transaction.on_commit(partial(send_to_writer, row=row, subject=subject, body=body))
    return True


def confirm(row: WriterAddress) -> WriterAddress:
    """The writer confirmed their address (the confirmation page's POST)."""
    if row.confirmed_at is None:
        row.confirmed_at = timezone.now()
        row.save(update_fields=["confirmed_at"])
    return row


def suppress(row: WriterAddress, *, because: str) -> WriterAddress:
    """Put an address on the suppression list: nothing is ever sent to it again."""
    if row.suppressed_at is None:
        row.suppressed_at, row.suppressed_because = timezone.now(), because
        row.save(update_fields=["suppressed_at", "suppressed_because"])
        logger.info("address %s suppressed: %s", row.pk, because)
    return row


def on_bounce(address: str) -> bool:
    """The mail pipeline's BOUNCE hand-off: a delivery failure for `address`.

    Only an address we wrote to is suppressed (a bounce naming any other address
    is not about our mail).
    """
    row = WriterAddress.objects.written_to().for_address(address).first()
    if row is None:
        return False
    suppress(row, because=Suppression.BOUNCED)
    return True
