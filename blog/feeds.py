"""Atom feed of published articles."""

from datetime import datetime

from django.conf import settings
from django.contrib.syndication.views import Feed
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
