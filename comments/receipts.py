"""The private page a reader lands on after posting: their comment, as sent.

Its address carries a signed, expiring token holding only the comment's id (never
the reader's address), so nobody can guess another reader's page, and the link
stops working after RECEIPT_DAYS.
"""

from django.core import signing
from django.urls import reverse

from comments.models import Comment

SALT = "comments.receipt"
RECEIPT_DAYS = 7


def receipt_url(comment: Comment) -> str:
    """Where the reader who sent this comment can see it."""
    token = signing.dumps(comment.pk, salt=SALT)
    return reverse("comments:receipt", kwargs={"token": token})


def comment_id_from(token: str) -> int | None:
    """The comment a receipt token names, or None if forged or expired."""
    try:
        value = signing.loads(token, salt=SALT, max_age=RECEIPT_DAYS * 24 * 3600)
    except signing.BadSignature:
        return None
    return value if isinstance(value, int) else None
