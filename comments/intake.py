"""Screen and store a new comment, whichever channel it came by."""

import logging
from datetime import timedelta

from django.db import transaction
from django.utils import timezone

from blog.models import Article
from comments.models import Comment, CommentSource, CommentStatus, InboundEmail
from comments.screening import DUPLICATE_WINDOW, Signals, content_hash, screen
from comments.signals import comment_submitted
from comments.writers import request_confirmation

NO_SIGNALS = Signals()
# A reader who sends the same text again (a double click, a reload, an email sent
# twice) means the same comment: within this window it is not stored again.
REPEAT_WINDOW = timedelta(days=1)
SAME_TEXT_LOOKBACK = 20  # the newest earlier comments with the same text we look at
logger = logging.getLogger("sourcehat.comments")


class CommentsClosed(Exception):
    """The article does not take comments."""


class RepeatedComment(Exception):
    """The same reader sent the same text to the same article a moment ago."""

    def __init__(self, comment: Comment) -> None:
        super().__init__(f"repeat of comment {comment.pk}")
        self.comment = comment


def _same_reader(
    earlier: Comment, *, article: Article | None, email: str, ip: str | None
) -> bool:
    same_article = earlier.article_id == (article.pk if article else None)
    same_address = bool(email) and earlier.author_email.lower() == email.lower()
    same_ip = ip is not None and earlier.ip_address == ip
    return same_article and (same_address or same_ip)


def submit_comment(
    *,
    article: Article | None,
    source: CommentSource | str,
    body: str,
    author_name: str = "Anonymous",
    author_email: str = "",
    notify_on_publish: bool = False,
    ip_address: str | None = None,
    user_agent: str = "",
    inbound_email: InboundEmail | None = None,
    trimmed_text: str = "",
    signals: Signals = NO_SIGNALS,
) -> Comment:
    """Screen a comment and store it as pending (or spam, over the threshold).

    Raises CommentsClosed, or RepeatedComment (carrying the earlier comment) when
    the same reader sent the same text to the same article within REPEAT_WINDOW.
    """
    if article is not None and not article.accepts_comments:
        raise CommentsClosed(article.slug)
    digest = content_hash(body)
    now = timezone.now()
    same_text = list(
        Comment.objects.with_text(digest)
        .submitted_since(now - DUPLICATE_WINDOW)
        .only("article_id", "author_email", "ip_address", "submitted_at")
        .order_by("-submitted_at")[:SAME_TEXT_LOOKBACK]
    )
    for earlier in same_text:
        if earlier.submitted_at >= now - REPEAT_WINDOW and _same_reader(
            earlier, article=article, email=author_email, ip=ip_address
        ):
            raise RepeatedComment(earlier)
    verdict = screen(
        text=body,
        author_name=author_name,
        ip_address=ip_address,
        same_text_recently=bool(same_text),
        signals=signals,
    )
    comment = Comment.objects.create(
        article=article,
        source=source,
        author_name=author_name or "Anonymous",
        author_email=author_email,
        body=body,
        trimmed_text=trimmed_text,
        status=CommentStatus.SPAM if verdict.is_spam else CommentStatus.PENDING,
        spam_score=verdict.score,
        spam_reasons=verdict.reasons,
        notify_on_publish=notify_on_publish and bool(author_email),
        ip_address=ip_address,
        user_agent=user_agent[:300],
        content_hash=digest,
        inbound_email=inbound_email,
    )
    logger.info(
        "comment submitted id=%s source=%s article=%s status=%s score=%s",
        comment.pk,
        source,
        article.slug if article else "-",
        comment.status,
        verdict.score,
    )

    # robust: the comment is committed by then (at once from the form, where
    # no transaction is open); a failing notice (cache or queue down) is
    # logged, and must not make the caller think it was lost (the mail pipe
    # would exit 75 and the MTA deliver it again). A named function, not a
    # functools.partial: Django logs a robust hook's failure by its __qualname__,
    # which a partial lacks, so the failure became an AttributeError after all.
    def announce() -> None:
        comment_submitted.send(sender=Comment, comment=comment)

    transaction.on_commit(announce, robust=True)
    if comment.notify_on_publish:
        # The writer asked to be told: at once, one request to confirm the address
        # (nothing else is sent to it until they do).
        def ask_to_confirm() -> None:
            request_confirmation(comment.pk)

        transaction.on_commit(ask_to_confirm, robust=True)
    return comment
