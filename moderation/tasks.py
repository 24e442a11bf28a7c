"""Outgoing mail, sent by tasks so a slow or failing mail server never blocks a
request or loses a decision (the database backend retries through its worker)."""

import logging

from django.conf import settings
from django.core.mail import EmailMessage
from django.core.mail.message import make_msgid
from django_tasks import task

logger = logging.getLogger("sourcehat.mail")

# RFC 3834: mark everything we send as automatic, so auto-responders stay quiet and
# our own inbound pipeline recognises (and ignores) it if it ever comes back.
AUTOMATIC_HEADERS = {
    "Auto-Submitted": "auto-generated",
    "X-Auto-Response-Suppress": "All",
    "Precedence": "bulk",
}


def build_message(
    *,
    subject: str,
    body: str,
    to: list[str],
    reply_to: list[str] | None = None,
    headers: dict[str, str] | None = None,
) -> EmailMessage:
    """An outgoing message with loop-guard headers and a Message-ID on our domain."""
    headers = {
        **(headers or {}),
        **AUTOMATIC_HEADERS,
        "Message-ID": make_msgid(domain=settings.SITE_DOMAIN),
    }
    return EmailMessage(
        subject=subject, body=body, to=to, reply_to=reply_to, headers=headers
    )


@task()
def send_mail_task(
    subject: str,
    body: str,
    to: list[str],
    reply_to: list[str] | None = None,
    headers: dict[str, str] | None = None,
) -> int:
    """Send one plain-text message (retried by the worker when it raises);
    ``reply_to`` and extra ``headers`` (In-Reply-To) as the message needs."""
    try:
        message = build_message(
            subject=subject, body=body, to=to, reply_to=reply_to, headers=headers
        )
        return message.send()
    except Exception as exc:
        # Only the error's type: SMTP errors quote the refused addresses, and logs
        # carry no readers' addresses (issue 5).
        logger.error(
            "sending %r to %d recipients failed: %s",
            subject,
            len(to),
            type(exc).__name__,
        )
        raise
