"""Signed, expiring, single-use links in the editors' notice email.

A link names one comment, one action and the editor whose email it was sent in,
plus a random nonce. It is signed with SECRET_KEY under its own salt (so no other
signed value of the site can be replayed as a link), expires (the age is checked
when it is read, from the timestamp `signing` embeds), and is used at most once
(the nonce goes into UsedLink, whose unique constraint settles races).

Opening a link never acts: mail scanners and link previewers follow links (a GET),
so the link opens a confirmation page and only its POST records a decision.
"""

import secrets
from dataclasses import dataclass
from datetime import timedelta

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import AbstractBaseUser
from django.core import signing
from django.db import IntegrityError, transaction
from django.urls import reverse

from comments.models import Comment
from moderation import decisions
from moderation import transitions as t
from moderation.models import Channel, UsedLink
from moderation.permissions import is_editor

SALT = "moderation.notice-link.v1"
# Confirming while signed in: the notice stays useful for a week of holidays.
SIGNED_IN_MAX_AGE = timedelta(days=7)
# Confirming with the link alone (MODERATION_LINKS_CONFIRM_WITHOUT_LOGIN): a link
# that is its own credential should not outlive the day it was sent.
LINK_ONLY_MAX_AGE = timedelta(hours=24)


class LinkRefused(Exception):
    """The link can't be used; `status` is the HTTP status that says why."""

    status = 400
    title = "This link is not valid"


class LinkTampered(LinkRefused):
    status = 400
    title = "This link is not valid"


class LinkExpired(LinkRefused):
    status = 410
    title = "This link has expired"


class LinkUsed(LinkRefused):
    status = 410
    title = "This link has already been used"


class LinkGone(LinkRefused):
    status = 410
    title = "This comment no longer exists"


class LinkForbidden(LinkRefused):
    status = 403
    title = "Only editors can confirm this"


@dataclass(frozen=True)
class LinkClaim:
    comment_id: int
    action: str
    editor_id: int
    nonce: str

    @property
    def action_label(self) -> str:
        return decisions.kind(self.action).label

    @property
    def action_done(self) -> str:
        return decisions.kind(self.action).said


def make_token(*, comment_id: int, action: str, editor_id: int) -> str:
    """A signed token for one action on one comment, for one editor."""
    if action not in _link_actions():
        raise ValueError(f"unknown link action {action!r}")
    payload = {
        "c": comment_id,
        "a": action,
        "e": editor_id,
        "n": secrets.token_urlsafe(12),
    }
    return signing.dumps(payload, salt=SALT)


def link_url(*, comment_id: int, action: str, editor_id: int) -> str:
    """The absolute URL of a confirmation page, for an email."""
    token = make_token(comment_id=comment_id, action=action, editor_id=editor_id)
    return settings.SITE_URL + reverse("moderation:link", kwargs={"token": token})


def _link_actions() -> set[str]:
    return {k.key for k in decisions.offered("email_link")}


def actions_for(comment: Comment) -> list[decisions.Kind]:
    """The decisions the notice email links for `comment`: those its state allows
    (unrouted: no publishing)."""
    return decisions.allowed(comment, "email_link")


def read_token(token: str, *, max_age: timedelta = SIGNED_IN_MAX_AGE) -> LinkClaim:
    """Check a token's signature, age and use; raise LinkRefused if it fails."""
    try:
        data = signing.loads(token, salt=SALT, max_age=max_age)
    except signing.SignatureExpired as exc:
        raise LinkExpired from exc
    except signing.BadSignature as exc:
        raise LinkTampered from exc
    try:
        claim = LinkClaim(
            comment_id=int(data["c"]),
            action=str(data["a"]),
            editor_id=int(data["e"]),
            nonce=str(data["n"]),
        )
    except (KeyError, TypeError, ValueError) as exc:
        raise LinkTampered from exc
    if claim.action not in _link_actions():
        raise LinkTampered
    if UsedLink.objects.filter(nonce=claim.nonce).exists():
        raise LinkUsed
    return claim


def link_editor(claim: LinkClaim) -> AbstractBaseUser | None:
    """The editor the link was sent to, if they still are one."""
    user = get_user_model().objects.filter(pk=claim.editor_id).first()
    return user if is_editor(user) else None


def confirm_without_login_allowed() -> bool:
    return bool(getattr(settings, "MODERATION_LINKS_CONFIRM_WITHOUT_LOGIN", False))


@transaction.atomic
def use_link(*, claim: LinkClaim, editor: AbstractBaseUser) -> Comment:
    """Spend the link's nonce and apply its action as a decision by `editor`.

    Both happen in one transaction: a refused transition (someone else decided
    first) leaves the link unspent, and two tabs confirming at once can't both act
    (the unique nonce makes the second insert fail).
    """
    try:
        with transaction.atomic():
            UsedLink.objects.create(nonce=claim.nonce, editor=editor)
    except IntegrityError as exc:
        raise LinkUsed from exc
    comment = Comment.objects.filter(pk=claim.comment_id).first()
    if comment is None:
        raise LinkGone
    return t.apply_decision(
        action=claim.action,
        comment=comment,
        editor=editor,
        channel=Channel.EMAIL_LINK,
    )
