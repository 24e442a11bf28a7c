"""The writer's own say over a comment that waits: correct it or withdraw it.

From the receipt page (comments/views.py), while the comment is still waiting and
for WINDOW after it was sent, as Isso and Remark42 allow: a typo fixed, a second
thought taken back. Once an editor has decided anything about it, it is theirs.

`comments` never imports `moderation` (DESIGN.md), yet a change of text or status
is a decision, recorded in moderation's log and made only by its transitions. So
moderation registers, in its AppConfig.ready() (as it connects to
`comment_submitted` and registers the mail hand-offs), the functions this module
calls:

- ``CORRECT``: ``handler(comment=..., text=...)`` stores the writer's new text
  and records the decision; raises ``TooLate`` when it may no longer.
- ``WITHDRAW``: ``handler(comment=...)`` takes the comment out of the queue and
  records the decision; raises ``TooLate`` likewise.
- ``EDITORS_DECIDED``: ``handler(comment)`` says whether an editor has made any
  decision about the comment.
- ``WITHDRAWN``: ``handler(comment)`` says whether the writer withdrew it.

With nothing registered (comments alone), the writer is offered no change.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime, timedelta
from typing import Any

from django.utils import timezone

from comments.models import Comment, CommentStatus
from comments.validation import clean_body

WINDOW = timedelta(minutes=10)

CORRECT = "correct"
WITHDRAW = "withdraw"
EDITORS_DECIDED = "editors_decided"
WITHDRAWN = "withdrawn"
KINDS = (CORRECT, WITHDRAW, EDITORS_DECIDED, WITHDRAWN)

_handlers: dict[str, Callable[..., Any]] = {}


class TooLate(Exception):
    """The comment is no longer the writer's to change."""


def register(kind: str, handler: Callable[..., Any]) -> None:
    """Make ``handler`` the one for ``kind`` (last one wins)."""
    if kind not in KINDS:
        raise ValueError(f"no writer hook called {kind!r}; kinds: {KINDS}")
    _handlers[kind] = handler


def open_until(comment: Comment) -> datetime:
    """When the writer's window on this comment closes."""
    return comment.submitted_at + WINDOW


def may_change(comment: Comment, *, now: datetime | None = None) -> bool:
    """Whether the writer may still correct or withdraw the comment."""
    decided = _handlers.get(EDITORS_DECIDED)
    return (
        CORRECT in _handlers
        and comment.status == CommentStatus.PENDING
        and (now or timezone.now()) <= open_until(comment)
        and decided is not None
        and not decided(comment)
    )


def was_withdrawn(comment: Comment) -> bool:
    """Whether the writer took the comment back."""
    handler = _handlers.get(WITHDRAWN)
    return bool(handler and handler(comment))


def correct(*, comment: Comment, text: str) -> Comment:
    """Replace the waiting comment's text with the writer's correction.

    The text meets the same rules as a new comment (ValidationError otherwise);
    TooLate once the window has closed or an editor has decided.
    """
    text = clean_body(text)
    if not may_change(comment):
        raise TooLate(f"comment {comment.pk} is no longer the writer's to change")
    return _handlers[CORRECT](comment=comment, text=text)


def withdraw(*, comment: Comment) -> Comment:
    """Take the waiting comment back: no editor will see it in the queue."""
    if not may_change(comment):
        raise TooLate(f"comment {comment.pk} is no longer the writer's to change")
    return _handlers[WITHDRAW](comment=comment)
