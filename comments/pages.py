"""Splitting an article's published comments into pages (no JavaScript needed)."""

from django.conf import settings

from blog.models import Article
from comments.models import Comment

PAGE_SIZE = getattr(settings, "COMMENTS_PER_PAGE", 100)


def page_count(article: Article) -> int:
    """Number of comment pages, from the count kept on the article row (no COUNT)."""
    return max(1, -(-article.published_comment_count // PAGE_SIZE))


def comments_page(article: Article, page: int) -> list[Comment]:
    """One page of published comments, picks first, then in publication order."""
    start = (page - 1) * PAGE_SIZE
    return list(
        Comment.objects.published()
        .filter(article=article)
        .only(
            "pk",
            "author_name",
            "body_html",
            "featured",
            "pick_label",
            "published_at",
            "edited_body",
            "body",
        )[start : start + PAGE_SIZE]
    )


def page_of_comment(comment: Comment) -> int:
    """The page a published comment is on, for its permalink."""
    ids = list(
        Comment.objects.published()
        .filter(article_id=comment.article_id)
        .values_list("pk", flat=True)
    )
    return ids.index(comment.pk) // PAGE_SIZE + 1 if comment.pk in ids else 1
