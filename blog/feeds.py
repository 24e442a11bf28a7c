"""Atom feeds that a browser shows as a page: published articles (and, through
StyledAtom1Feed, any other feed of ours)."""

from datetime import datetime

from django.conf import settings
from django.contrib.syndication.views import Feed
from django.templatetags.static import static
from django.urls import reverse
from django.utils.feedgenerator import Atom1Feed
from django.utils.xmlutils import SimplerXMLGenerator

from blog.models import Article
from blog.siteurl import absolute_url


class StyledAtom1Feed(Atom1Feed):
    """Atom with an XSLT stylesheet named before the root element: a browser that
    opens the feed shows a page saying what a feed is, with its entries; feed
    readers ignore the processing instruction and read the same valid Atom.
    (Django 5.2's `Feed.stylesheets` reaches only its RSS writer.) Served as
    application/xml: browsers show application/atom+xml as plain text, without
    applying the stylesheet; feed readers read the document, whatever its type."""

    content_type = "application/xml; charset=utf-8"

    def write(self, outfile: object, encoding: str) -> None:
        handler = SimplerXMLGenerator(outfile, encoding, short_empty_elements=True)
        handler.startDocument()
        handler.processingInstruction(
            "xml-stylesheet", f'href="{static("feed.xsl")}" type="text/xsl"'
        )
        handler.startElement("feed", self.root_attributes())
        self.add_root_elements(handler)
        self.write_items(handler)
        handler.endElement("feed")


class LatestArticlesFeed(Feed):
    """Every address in it is SITE_URL's (blog/siteurl.py), so its links and Atom
    ids are the same whatever Host a request named."""

    feed_type = StyledAtom1Feed

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
