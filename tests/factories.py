"""Test data, built with the same code paths the product uses."""

import itertools
from datetime import timedelta

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.utils import timezone

from blog.models import Article
from comments.intake import submit_comment
from comments.models import Comment, CommentSource, CommentStatus

_seq = itertools.count(1)


def make_article(**overrides: object) -> Article:
    n = next(_seq)
    fields = {
        "title": f"Article {n}",
        "slug": f"article-{n}",
        "standfirst": "A standfirst.",
        "body": "Some *Markdown* body.",
        "published_at": timezone.now() - timedelta(days=1),
    }
    fields.update(overrides)
    return Article.objects.create(**fields)


def make_comment(
    *,
    article: object = ...,
    status: str = CommentStatus.PENDING,
    featured: bool = False,
    **overrides: object,
) -> Comment:
    """A comment through intake, then moved to `status` by the real transitions."""
    from moderation import transitions as t

    if article is ...:
        article = make_article()
    fields = {
        "source": CommentSource.WEB,
        "body": f"A thoughtful comment number {next(_seq)}.",
    }
    fields.update(overrides)
    comment = submit_comment(article=article, **fields)
    if comment.status != CommentStatus.PENDING and status == CommentStatus.PENDING:
        comment = t.return_to_pending(comment=comment, editor=None)
    moves = {
        CommentStatus.PUBLISHED: t.publish_comment,
        CommentStatus.REJECTED: t.reject_comment,
        CommentStatus.SPAM: t.mark_spam,
    }
    if status != comment.status and status in moves:
        comment = moves[status](comment=comment, editor=None)
    if featured:
        comment = t.feature_comment(comment=comment, editor=None)
    return comment


def make_user(**overrides: object):
    n = next(_seq)
    fields = {"username": f"user{n}", "email": f"user{n}@example.org", "is_staff": True}
    fields.update(overrides)
    user = get_user_model().objects.create_user(password="pw-for-tests-only", **fields)
    return user


def make_editor(**overrides: object):
    user = make_user(**overrides)
    user.groups.add(Group.objects.get(name="Editors"))
    return user
