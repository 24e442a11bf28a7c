"""Atom feed of an article's published comments.

Each entry's `published` is when the comment went public (an editor published
it) and `updated` is when its public text last changed (the same moment, unless
an editor edits it later); the article page shows when the reader wrote it.
"""

from datetime import datetime

from django.contrib.syndication.views import Feed
from django.http import HttpRequest
from django.shortcuts import get_object_or_404
from django.template.loader import render_to_string
from django.urls import reverse

from blog.feeds import StyledAtom1Feed
from blog.models import Article
from blog.siteurl import absolute_url
from comments.models import Comment


class ArticleCommentsFeed(Feed):
    """Every address in it is SITE_URL's (blog/siteurl.py), so its links and Atom
    ids are the same whatever Host a request named."""

    feed_type = StyledAtom1Feed

    def get_object(self, request: HttpRequest, slug: str) -> Article:
        return get_object_or_404(Article.objects.published(), slug=slug)

    def title(self, obj: Article) -> str:
        return f"Comments on “{obj.title}”"

    def link(self, obj: Article) -> str:
        return absolute_url(obj.get_absolute_url())

    def feed_url(self, obj: Article) -> str:
        return absolute_url(reverse("comments:feed", kwargs={"slug": obj.slug}))

    def items(self, obj: Article) -> list[Comment]:
        return list(
            Comment.objects.published().for_article(obj).order_by("-published_at")[:50]
        )

    def item_title(self, item: Comment) -> str:
        return f"{item.author_name}: {item.excerpt}"

    def item_description(self, item: Comment) -> str:
        # Both rendered once, escaped and sanitized; the reply block as on the page.
        if not item.reply_html:
            return item.body_html
        reply = render_to_string("comments/includes/_editors_reply.html", {"c": item})
        return item.body_html + reply

    def item_link(self, item: Comment) -> str:
        return absolute_url(item.get_absolute_url())

    def item_author_name(self, item: Comment) -> str:
        return item.author_name

    def item_pubdate(self, item: Comment) -> datetime | None:
        return item.published_at  # Atom's <published>: when it went public

    def item_updateddate(self, item: Comment) -> datetime | None:
        return item.published_at  # Atom's <updated>: see the module's docstring
