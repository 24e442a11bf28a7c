"""Screen and store a new comment, whichever channel it came by."""

import logging
from functools import partial

from django.db import transaction

from blog.models import Article
from comments.forms import CommentForm
from comments.models import Comment, CommentSource, CommentStatus, InboundEmail
from comments.screening import Signals, content_hash, lookalike_terms, screen
from comments.signals import comment_submitted
from config import db

NO_SIGNALS = Signals()
logger = logging.getLogger("sourcehat.comments")


class CommentsClosed(Exception):
    """The article does not take comments."""


def article_posted_to(
    slug: str, form: CommentForm, ip_address: str | None
) -> tuple[Article | None, tuple[bool, int] | None]:
    """The published article a form's comment is posted to, and, when the form
    is valid, the screening's lookalikes (screening.screen), in one query.

    The article is read fresh then, not from the worker's kept row: a post
    must not go to an article that an unannounced write has just closed.
    """
    if not form.is_valid():
        return Article.objects.brief(slug), None
    terms = lookalike_terms(
        digest=content_hash(form.cleaned_data["body"]), ip_address=ip_address
    )
    return Comment.objects.posted_to(slug, **terms)


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
    lookalikes: tuple[bool, int] | None = None,
) -> Comment:
    """Screen a comment and store it as pending (or spam, over the threshold).

    One statement writes: the INSERT is its own transaction from the form, and
    joins the caller's from the email pipeline. Screening only reads, before it.
    The INSERT's SQL is built once (config/db.insert), not compiled per post.
    lookalikes: see screening.screen.
    """
    if article is not None and not article.comments_open:
        raise CommentsClosed(article.slug)
    digest = content_hash(body)
    verdict = screen(
        text=body,
        author_name=author_name,
        ip_address=ip_address,
        digest=digest,
        signals=signals,
        lookalikes=lookalikes,
    )
    comment = db.insert(
        Comment(
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
    # would exit 75 and the MTA deliver it again).
    transaction.on_commit(
        partial(comment_submitted.send, sender=Comment, comment=comment), robust=True
    )
    return comment
