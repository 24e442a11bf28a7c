"""The mail pipeline's one extension point: mail that is for moderation, not a comment.

`comments` never imports `moderation` (DESIGN.md), yet some mail concerns it: an
editor's answer to a notice (its address carries a signed token) and a bounce for
an address we wrote to. The pipeline recognises such a message and hands it to the
handler registered here for its kind; `moderation` registers its handlers in its
AppConfig.ready(), as it connects to `comment_submitted`. With no handler
registered, the pipeline treats the message as it would without this module.

Kinds:

- ``NOTICE_ANSWER``: an answer to an editors' notice, recognised by its address
  (``notice_answer_address``: ``<local>+n-<token>@<domain>``, the notice's
  Reply-To) before routing. The handler is called inside the pipeline's
  transaction as ``handler(row=, parsed=, reading=, token=)`` with the stored
  row (locked), what the pipeline read and the token from the address; it
  decides and returns ``(outcome, reason)`` to store. Such a message never
  becomes a comment.
- ``BOUNCE``: a delivery failure for an address we wrote to. The handler takes
  the failed address; the pipeline stores the bounce as it always has.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any

from django.conf import settings

from blog.models import Article
from comments.mail.routing import plus_tag

NOTICE_ANSWER = "notice_answer"
BOUNCE = "bounce"
KINDS = (NOTICE_ANSWER, BOUNCE)
# The plus tag of a notice answer's address: "n-" and the token.
NOTICE_TAG_PREFIX = "n-"

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


# Building and reading the address itself: the same pair as the mail branch's
# comments/addressing.py (issue 21, "our address" in one home); at that merge
# these two go and handoff imports them from there.
def notice_answer_address(token: str) -> str:
    """The address an editors' notice asks answers at: ``local+n-<token>@domain``."""
    local, _, domain = settings.COMMENTS_EMAIL_ADDRESS.rpartition("@")
    return f"{local}+{NOTICE_TAG_PREFIX}{token}@{domain}"


def notice_token(address: str) -> str:
    """The token of a notice answer's address; "" for any other address."""
    tag = plus_tag(address)
    return (
        tag.removeprefix(NOTICE_TAG_PREFIX) if tag.startswith(NOTICE_TAG_PREFIX) else ""
    )
