"""Sitemap of public articles."""

from datetime import datetime

from django.contrib.sitemaps import Sitemap

from blog.models import Article


class ArticleSitemap(Sitemap):
    changefreq = "weekly"

    def items(self) -> list[Article]:
        return list(Article.objects.published().newest_first())

    def lastmod(self, item: Article) -> datetime:
        return max(item.updated_at, item.comments_changed_at)
