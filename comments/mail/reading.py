"""Read one parsed message into what the pipeline decides on: no database work.

Runs before any transaction opens (DESIGN.md "Email in"), so no lock is held
while text is worked on, and within the message's time budget (budget.py): the
filters, the text extraction and the trimming, each one pass over capped input.
The result is stored on the InboundEmail row, so editors see what was read
without the message being parsed again.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.conf import settings

from comments.mail.budget import Budget
from comments.mail.extract import extract
from comments.mail.filters import machine_mail_reason
from comments.mail.parsing import ParsedEmail
from comments.mail.trimming import trim_reply
from comments.validation import visible_text

# Zulip's construct_zulip_body marks a cut body visibly; so do we.
TRUNCATION_MARK = "\n\n[…]"


@dataclass(frozen=True)
class Reading:
    """What was read from one message."""

    machine_reason: str | None = None
    text: str = ""  # the decoded text, quotes included: what editors look at
    body: str = ""  # the comment: trimmed, cleaned, within the length cap
    removed: str = ""  # what trimming cut (quotes, signature)
    notes: tuple[str, ...] = ()  # what was left unread (caps reached)


def read_message(parsed: ParsedEmail, *, budget: Budget) -> Reading:
    """Filters, extraction and trimming of one message; raises OverBudget."""
    budget.check("parsing")
    if parsed.message is None:
        return Reading(notes=parsed.notes)
    machine = machine_mail_reason(parsed)
    budget.check("machine-mail filters")
    extraction = extract(parsed, budget=budget)
    budget.check("text extraction")
    body, removed = comment_text(extraction.text)
    budget.check("trimming")
    return Reading(
        machine_reason=machine,
        text=extraction.text,
        body=body,
        removed=removed,
        notes=parsed.notes + extraction.notes,
    )


def comment_text(text: str) -> tuple[str, str]:
    """(comment text, what trimming removed), cleaned and within the length cap;
    the comment text is "" when nothing visible is left."""
    kept, removed = trim_reply(text)  # lines of text already normalised once
    body, removed = kept.strip(), removed.strip()
    if len(visible_text(body)) < settings.COMMENT_MIN_LENGTH:
        return "", removed
    return truncate(body, settings.COMMENT_MAX_LENGTH), removed


def truncate(text: str, limit: int) -> str:
    """Text cut to ``limit`` characters at a word boundary, with a visible mark."""
    if len(text) <= limit:
        return text
    room = limit - len(TRUNCATION_MARK)
    cut = text[:room]
    space = max(cut.rfind(" "), cut.rfind("\n"))
    if space > room // 2:
        cut = cut[:space]
    return cut.rstrip() + TRUNCATION_MARK
