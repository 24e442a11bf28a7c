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
    *, subject: str, body: str, to: list[str], headers: dict[str, str] | None = None
) -> EmailMessage:
    """An outgoing message with loop-guard headers and a Message-ID on our domain;
    ``headers`` adds to them (Reply-To, In-Reply-To)."""
    headers = {
        **AUTOMATIC_HEADERS,
        "Message-ID": make_msgid(domain=settings.SITE_DOMAIN),
        **(headers or {}),
    }
    return EmailMessage(subject=subject, body=body, to=to, headers=headers)


@task()
def send_mail_task(
    subject: str, body: str, to: list[str], headers: dict[str, str] | None = None
) -> int:
    """Send one plain-text message (retried by the worker when it raises)."""
    try:
        return build_message(subject=subject, body=body, to=to, headers=headers).send()
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
