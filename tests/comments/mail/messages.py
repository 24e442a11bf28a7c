"""Build realistic raw emails for the pipeline tests."""

from __future__ import annotations

import itertools
from email.message import EmailMessage
from email.utils import format_datetime, make_msgid

from django.utils import timezone

from comments.mail.budget import Budget
from comments.mail.parsing import ParsedEmail
from comments.mail.reading import read_message

_seq = itertools.count(1)


def email_bytes(
    *,
    body: str = "I disagree with the third paragraph: weights are not source.",
    subject: str = "A comment",
    to: str = "tech.handrail404@passinbox.com",
    sender: str = "Reader One <reader@example.org>",
    html: str | None = None,
    headers: dict[str, str] | None = None,
    message_id: str | None = "",
    attachment: tuple[str, bytes] | None = None,
) -> bytes:
    """A raw RFC 5322 message; message_id None means no Message-ID header."""
    msg = EmailMessage()
    msg["From"] = sender
    msg["To"] = to
    msg["Subject"] = subject
    msg["Date"] = format_datetime(timezone.now())
    if message_id is not None:
        msg["Message-ID"] = message_id or make_msgid(
            idstring=f"t{next(_seq)}", domain="example.org"
        )
    for name, value in (headers or {}).items():
        msg[name] = value
    if body:
        msg.set_content(body)
    if html is not None:
        if body:
            msg.add_alternative(html, subtype="html")
        else:
            msg.set_content(html, subtype="html")
    if attachment is not None:
        name, data = attachment
        msg.add_attachment(data, maintype="image", subtype="jpeg", filename=name)
    return msg.as_bytes()


def text_of(parsed: ParsedEmail) -> str:
    """The text the pipeline reads from a parsed message (before trimming)."""
    return read_message(parsed, budget=Budget(seconds=3600)).text
