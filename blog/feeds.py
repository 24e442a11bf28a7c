"""Atom feed of published articles, and the validators both feeds answer 304 with."""

import hashlib
from datetime import datetime

from django.conf import settings
from django.contrib.syndication.views import Feed
from django.http import HttpRequest
from django.utils.feedgenerator import Atom1Feed

from blog.models import Article


class LatestArticlesFeed(Feed):
    feed_type = Atom1Feed
    link = "/"

    def title(self) -> str:
        return settings.SITE_NAME

    def subtitle(self) -> str:
        return f"New articles on {settings.SITE_NAME}"

    def items(self) -> list[Article]:
        return list(Article.objects.published().newest_first()[:20])

    def item_title(self, item: Article) -> str:
        return item.title

    def item_description(self, item: Article) -> str:
        return item.body_html

    def item_pubdate(self, item: Article) -> datetime | None:
        return item.published_at

    def item_updateddate(self, item: Article) -> datetime:
        return item.updated_at


def _digest(*parts: object) -> str:
    return hashlib.blake2b(repr(parts).encode(), digest_size=12).hexdigest()


def articles_feed_etag(request: HttpRequest) -> str:
    """Changes when an article in the feed is edited, published or withdrawn."""
    shown = Article.objects.published().newest_first()[:20]
    return _digest(*shown.values_list("pk", "updated_at", "published_at"))


def comments_feed_etag(request: HttpRequest, slug: str) -> str | None:
    """Changes with every transition visitors see (comments_changed_at)."""
    row = (
        Article.objects.published()
        .filter(slug=slug)
        .values_list("pk", "updated_at", "comments_changed_at")
        .first()
    )
    return _digest(*row) if row else None
