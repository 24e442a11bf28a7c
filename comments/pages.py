"""Splitting an article's published comments into pages (no JavaScript needed)."""

from django.conf import settings
from django.http import HttpRequest

from blog.models import Article
from comments.models import Comment, CommentStatus


def requested_page(request: HttpRequest | None) -> int:
    """The comments page a reader asked for (?comments=N); 1 for anything else."""
    try:
        return max(1, int(request.GET.get("comments", 1))) if request else 1
    except ValueError:
        return 1


def page_count(article: Article) -> int:
    """Number of comment pages, from the count kept on the article row (no COUNT)."""
    per_page = settings.COMMENTS_PER_PAGE
    return max(1, -(-article.published_comment_count // per_page))


def comments_page(article: Article, page: int) -> list[Comment]:
    """One page of published comments, picks first, then in publication order.

    A reply to a published comment gets reply_href: that comment's anchor on
    this page, else its permalink (which finds its page).
    """
    per_page = settings.COMMENTS_PER_PAGE
    start = (page - 1) * per_page
    comments = list(
        Comment.objects.published()
        .for_article(article)
        .select_related("in_reply_to")
        .only(
            "pk",
            "author_name",
            "body_html",
            "featured",
            "pick_label",
            "submitted_at",
            "edited_body",
            "body",
            "reply_html",
            "reply_author",
            "in_reply_to__author_name",
            "in_reply_to__status",
        )[start : start + per_page]
    )
    here = {comment.pk for comment in comments}
    for comment in comments:
        parent = comment.in_reply_to
        comment.reply_href = ""
        if parent is not None and parent.status == CommentStatus.PUBLISHED:
            on_page = parent.pk in here
            comment.reply_href = (
                f"#{parent.anchor}" if on_page else parent.get_absolute_url()
            )
    return comments


def page_of_comment(comment: Comment) -> int:
    """The page a published comment is on, for its permalink: the comments before
    it, counted in the article's page index (not loaded)."""
    if comment.status != CommentStatus.PUBLISHED or comment.published_at is None:
        return 1
    ahead = Comment.objects.published().for_article(comment.article_id)
    return ahead.count_ahead_of(comment) // settings.COMMENTS_PER_PAGE + 1
