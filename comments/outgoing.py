"""Outgoing mail: the one way a message of ours is built, and the task that sends
a message to a writer (a slow or failing mail server never blocks a request, and
the database backend's worker retries)."""

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
    *, subject: str, body: str, to: list[str], headers: dict[str, str] | None = None
) -> EmailMessage:
    """An outgoing message with loop-guard headers and a Message-ID on our domain."""
    headers = {
        **AUTOMATIC_HEADERS,
        "Message-ID": make_msgid(domain=settings.SITE_DOMAIN),
        **(headers or {}),
    }
    return EmailMessage(subject=subject, body=body, to=to, headers=headers)


def send_logged(message: EmailMessage) -> int:
    """Send, logging a failure by the error's type only: SMTP errors quote the
    refused addresses, and logs carry no readers' addresses (issue 5)."""
    try:
        return message.send()
    except Exception as exc:
        logger.error(
            "sending %r to %d recipients failed: %s",
            message.subject,
            len(message.to),
            type(exc).__name__,
        )
        raise


@task()
def send_writer_mail(subject: str, body: str, to: str, headers: dict) -> int:
    """Send one plain-text message to a writer (retried by the worker on error)."""
    return send_logged(
        build_message(subject=subject, body=body, to=[to], headers=headers)
    )
