"""Outgoing mail, sent by tasks so a slow or failing mail server never blocks a
request or loses a decision (the database backend retries through its worker).
How a message of ours is built is comments/outgoing.py's (comments sends mail too:
a writer's confirmation request)."""

from django_tasks import task

from comments.outgoing import AUTOMATIC_HEADERS, build_message, send_logged

__all__ = ["AUTOMATIC_HEADERS", "build_message", "send_mail_task"]


@task()
def send_mail_task(
    subject: str, body: str, to: list[str], headers: dict[str, str] | None = None
) -> int:
    """Send one plain-text message (retried by the worker when it raises);
    ``headers`` adds to ours (Reply-To, In-Reply-To)."""
    return send_logged(
        build_message(subject=subject, body=body, to=to, headers=headers)
    )
