"""The comments section the blog's article page includes (templates may cross apps)."""

import re

from django import template
from django.core.cache import cache
from django.http import HttpRequest
from django.template.loader import render_to_string
from django.utils.html import format_html_join
from django.utils.safestring import SafeString, mark_safe

from blog.models import Article
from comments.addressing import comments_address_for, mailto_for
from comments.forms import CommentForm
from comments.pages import comments_page, page_count, requested_page

register = template.Library()
SECTION_SECONDS = 24 * 3600


def _render_section(article: Article, page: int, pages: int) -> str:
    comments = comments_page(article, page)
    return render_to_string(
        "comments/includes/_comments_section.html",
        {
            "article": article,
            "comment_list_html": render_to_string(
                "comments/includes/_comment_list.html", {"comments": comments}
            ),
            "page": page,
            "pages": pages,
            "previous_page": page - 1 if page > 1 else None,
            "next_page": page + 1 if page < pages else None,
            "form": CommentForm(),
            "comments_address": comments_address_for(article),
            "mailto": mailto_for(article),
        },
    )


@register.simple_tag(takes_context=True)
def comments_section(context: template.Context, article: Article) -> SafeString:
    """Published comments, the address to write to, and the form, rendered once
    per version of the article's comments.

    The key holds the article's comments_changed_at, which every transition and
    article edit moves on, so no process serves a stale section after a decision.
    The section is the same for every reader (no token, no user), so one copy
    serves all. Past the last page the last one is shown.
    """
    request: HttpRequest | None = context.get("request")
    pages = page_count(article)
    page = min(requested_page(request), pages)
    changed = article.comments_changed_at.timestamp()
    key = f"comments:section:{article.pk}:{changed}:{page}"
    html = cache.get_or_set(
        key, lambda: _render_section(article, page, pages), SECTION_SECONDS
    )
    return mark_safe(html)  # our own template's output, escaped as it rendered


@register.filter
def breakable_address(address: str) -> SafeString:
    """The address in pieces that never break inside, with the only break points
    after "+" and before "@": a phone shows it whole, or split where a reader
    can still see it is one address."""
    pieces = [p for p in re.split(r"(?<=\+)|(?=@)", address) if p]
    return format_html_join(
        mark_safe("<wbr>"), '<span class="nobr">{}</span>', ((p,) for p in pieces)
    )
