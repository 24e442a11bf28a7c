"""Sitemap of public articles."""

from datetime import datetime

from django.contrib.sitemaps import Sitemap

from blog.models import Article
from blog.siteurl import site_authority, site_scheme


class ArticleSitemap(Sitemap):
    changefreq = "weekly"

    def items(self) -> list[Article]:
        return list(Article.objects.published().newest_first())

    def lastmod(self, item: Article) -> datetime:
        return max(item.updated_at, item.comments_changed_at)

    # Django's view passes the request's host and scheme: SITE_URL's instead
    # (blog/siteurl.py).
    def get_domain(self, site: object = None) -> str:
        return site_authority()

    def get_protocol(self, protocol: str | None = None) -> str:
        return site_scheme()
