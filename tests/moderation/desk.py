"""Helpers shared by the editor's-desk tests (review screen, links, report)."""

import hashlib
from datetime import timedelta

from django.urls import reverse
from django.utils import timezone

from comments.models import Comment, CommentSource, InboundEmail
from tests.factories import make_comment

REVIEW_URL = reverse("admin:comments_comment_review")


def aged(comment: Comment, hours: float) -> Comment:
    """Pretend the comment was submitted `hours` ago (queue order is by age)."""
    when = timezone.now() - timedelta(hours=hours)
    Comment.objects.filter(pk=comment.pk).update(submitted_at=when)
    comment.refresh_from_db()
    return comment


def make_email_comment(
    *, verdict: dict | None = None, subject: str = "Re: an article", **kw: object
) -> Comment:
    raw = f"Subject: {subject}\n\nhello {timezone.now().timestamp()}".encode()
    inbound = InboundEmail.objects.create(
        raw=raw,
        raw_size=len(raw),
        raw_sha256=hashlib.sha256(raw).hexdigest(),
        dedupe_key=hashlib.sha256(raw).hexdigest(),
        sender="reader@example.org",
        subject=subject,
        auth_verdict=verdict or {},
    )
    kw.setdefault("author_email", "reader@example.org")
    return make_comment(source=CommentSource.EMAIL, inbound_email=inbound, **kw)
