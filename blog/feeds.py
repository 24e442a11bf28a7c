"""Atom feed of published articles."""

from datetime import datetime

from django.conf import settings
from django.contrib.syndication.views import Feed
from django.urls import reverse
from django.utils.feedgenerator import Atom1Feed

from blog.models import Article
from blog.siteurl import absolute_url


class LatestArticlesFeed(Feed):
    """Every address in it is SITE_URL's (blog/siteurl.py), so its links and Atom
    ids are the same whatever Host a request named."""

    feed_type = Atom1Feed

    def link(self) -> str:
        return absolute_url(reverse("blog:article_list"))

    def feed_url(self) -> str:
        return absolute_url(reverse("blog:article_feed"))

    def item_link(self, item: Article) -> str:
        return absolute_url(item.get_absolute_url())

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
