"""The mail pipeline's one extension point: mail that is for moderation, not a comment.

`comments` never imports `moderation` (DESIGN.md), yet some mail concerns it: an
editor's answer to a notice (its address carries a signed token) and a bounce for
an address we wrote to. The pipeline recognises such a message and hands it to the
handler registered here for its kind; `moderation` registers its handlers in its
AppConfig.ready(), as it connects to `comment_submitted`. With no handler
registered, the pipeline treats the message as it would without this module.

Kinds:

- ``NOTICE_ANSWER``: an answer to an editors' notice, recognised by its address
  (comments/addressing.py: ``<local>+n-<token>@<domain>``, the notice's
  Reply-To) before routing. The handler is called inside the pipeline's
  transaction as ``handler(row=, parsed=, reading=, token=)`` with the stored
  row (locked), what the pipeline read and the token from the address; it
  decides and returns ``(outcome, reason)`` to store. Such a message never
  becomes a comment.
- ``BOUNCE``: a delivery failure for an address we wrote to. The handler takes
  each failed address (comments.mail.bounces reads them); the pipeline stores the
  bounce as it always has. The suppression list is kept by `comments` (see
  comments/writers.py), whose AppConfig registers this one.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any

from blog.models import Article
from comments.addressing import NOTICE_TAG_PREFIX, notice_token

NOTICE_ANSWER = "notice_answer"
BOUNCE = "bounce"
KINDS = (NOTICE_ANSWER, BOUNCE)

_handlers: dict[str, Callable[..., Any]] = {}


def register(kind: str, handler: Callable[..., Any]) -> None:
    """Make ``handler`` the one that takes mail of ``kind`` (last one wins)."""
    if kind not in KINDS:
        raise ValueError(f"no mail hand-off called {kind!r}; kinds: {KINDS}")
    _handlers[kind] = handler


def handler_for(kind: str) -> Callable[..., Any] | None:
    """The handler registered for ``kind``, or None."""
    return _handlers.get(kind)


def notice_answer_token(addresses: Iterable[str]) -> str:
    """The token of the first of our addresses that is a notice answer's, or "".

    An article whose slug starts with "n-" keeps its letters: such an address
    routes to it as any plus address does.
    """
    for address in addresses:
        token = notice_token(address) if address else ""
        if (
            token
            and not Article.objects.filter(
                slug__iexact=NOTICE_TAG_PREFIX + token
            ).exists()
        ):
            return token
    return ""
