"""The comments section the blog's article page includes (templates may cross apps)."""

from django import template
from django.core.cache import cache
from django.template.loader import render_to_string

from blog.models import Article
from blog.pagecache import comments_page_number
from comments.addressing import comments_address_for, mailto_for
from comments.forms import CommentForm
from comments.pages import comments_page, page_count

register = template.Library()


def published_comments_html(article: Article, page: int) -> str:
    """The rendered list of one page of comments, cached until the next transition.

    The key holds the article's comments_changed_at, which every transition moves
    on, so no process can serve a stale list after a decision (issue 6).
    """
    key = f"comments:{article.pk}:{article.comments_changed_at.timestamp()}:{page}"
    html = cache.get(key)
    if html is None:
        html = render_to_string(
            "comments/includes/_comment_list.html",
            {"comments": comments_page(article, page)},
        )
        cache.set(key, html, timeout=24 * 3600)
    return html


@register.inclusion_tag("comments/includes/_comments_section.html", takes_context=True)
def comments_section(context: template.Context, article: Article) -> dict:
    """Published comments, the address to write to, and the form."""
    request = context.get("request")
    pages = page_count(article)
    page = min(comments_page_number(request), pages) if request else 1
    return {
        "article": article,
        "comment_list_html": published_comments_html(article, page),
        "page": page,
        "pages": pages,
        "previous_page": page - 1 if page > 1 else None,
        "next_page": page + 1 if page < pages else None,
        "form": context.get("comment_form") or CommentForm(),
        "comments_address": comments_address_for(article),
        "mailto": mailto_for(article),
        "request": request,
        "csrf_token": context.get("csrf_token"),
    }
