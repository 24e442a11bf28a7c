"""Write every article and its comments as WXR 1.2, WordPress's export format,
which WordPress and Disqus both import: a blog can leave with its readers' words.

Streamed: one article's comments at a time, read in chunks.
"""

import html
import re
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime
from datetime import timezone as dt_timezone
from email.utils import format_datetime
from typing import TextIO

from django.conf import settings
from django.utils import timezone
from django.utils.xmlutils import SimplerXMLGenerator

from blog.models import Article
from comments.models import Comment, CommentStatus
from moderation.transfer.text import wordpress_format
from moderation.transfer.xmlstream import OWN_NS

WP_NS = "http://wordpress.org/export/1.2/"
NAMESPACES = {
    "xmlns:excerpt": f"{WP_NS}excerpt/",
    "xmlns:content": "http://purl.org/rss/1.0/modules/content/",
    "xmlns:wfw": "http://wellformedweb.org/CommentAPI/",
    "xmlns:dc": "http://purl.org/dc/elements/1.1/",
    "xmlns:wp": WP_NS,
    "xmlns:sourcehat": OWN_NS,
}
# comment_approved as WordPress writes it; it has no "rejected": trash is closest.
APPROVED = {
    CommentStatus.PUBLISHED: "1",
    CommentStatus.PENDING: "0",
    CommentStatus.SPAM: "spam",
    CommentStatus.REJECTED: "trash",
}
NO_DATE = "0000-00-00 00:00:00"  # WordPress's own "no date"
# XML 1.0 has no place for these (https://www.w3.org/TR/xml/#charsets).
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff\ud800-\udfff]")


@dataclass
class ExportCounts:
    articles: int = 0
    comments: int = 0
    unrouted: int = 0  # waiting for an article: nowhere to put them in WXR


class _WXR(SimplerXMLGenerator):
    """Django's XML writer (its feeds' own), one element a line."""

    def field(self, name: str, text: str = "", attrs: dict | None = None) -> None:
        self.addQuickElement(name, _NOT_XML.sub("", text), attrs)
        self.ignorableWhitespace("\n")

    def open(self, name: str, attrs: dict | None = None) -> None:
        self.startElement(name, attrs or {})
        self.ignorableWhitespace("\n")

    def close(self, name: str) -> None:
        self.endElement(name)
        self.ignorableWhitespace("\n")

    def dates(self, name: str, when: datetime | None) -> None:
        local = gmt = NO_DATE
        if when is not None:
            local = wordpress_format(timezone.localtime(when))
            gmt = wordpress_format(when.astimezone(dt_timezone.utc))
        self.field(name, local)
        self.field(f"{name}_gmt", gmt)


def _site() -> str:
    return settings.SITE_URL.rstrip("/")


def _channel(xml: _WXR) -> None:
    xml.field("title", settings.SITE_NAME)
    xml.field("link", _site())
    xml.field("description")
    xml.field("pubDate", format_datetime(timezone.now()))
    xml.field("language", "en")
    xml.field("generator", "The Source Hat export_comments")
    xml.field("wp:wxr_version", "1.2")
    xml.field("wp:base_site_url", _site())
    xml.field("wp:base_blog_url", _site())
    # comment_content is what the reader wrote, escaped so that importers that
    # read it as HTML show it as written; ours reads it back exactly.
    xml.field("sourcehat:comment_content", "text")


def _post_status(article: Article) -> str:
    if article.published_at is None:
        return "draft"
    return "publish" if article.published_at <= timezone.now() else "future"


def _item_head(xml: _WXR, article: Article) -> None:
    when = article.published_at
    xml.field("title", article.title)
    xml.field("link", _site() + article.get_absolute_url())
    xml.field("pubDate", format_datetime(when) if when else "")
    xml.field("dc:creator")
    xml.field("guid", f"{_site()}/?p={article.pk}", {"isPermaLink": "false"})
    xml.field("description")
    xml.field("content:encoded", article.body_html)
    xml.field("excerpt:encoded", html.escape(article.standfirst, quote=False))
    xml.field("wp:post_id", str(article.pk))
    xml.dates("wp:post_date", when)
    xml.field("wp:comment_status", "open" if article.comments_open else "closed")
    xml.field("wp:ping_status", "closed")
    xml.field("wp:post_name", article.slug)
    xml.field("wp:status", _post_status(article))
    xml.field("wp:post_parent", "0")
    xml.field("wp:menu_order", "0")
    xml.field("wp:post_type", "post")
    xml.field("wp:post_password")
    xml.field("wp:is_sticky", "0")


def _comment(
    xml: _WXR, row: dict, *, article: Article, with_emails: bool, exported: set[str]
) -> None:
    published = row["status"] == CommentStatus.PUBLISHED
    # The date as shown: a published comment's publication date (an imported
    # one's is its original date), else when it was sent.
    when = row["published_at"] if published and row["published_at"] else None
    when = when or row["submitted_at"]
    parent = row["in_reply_to_id"]
    if (
        row["in_reply_to__status"] not in exported
        or row["in_reply_to__article_id"] != article.pk
    ):
        parent = 0  # not in this file: WordPress's "no parent"
    text = row["edited_body"] or row["body"]
    xml.open("wp:comment")
    xml.field("wp:comment_id", str(row["pk"]))
    # WordPress keeps names HTML-escaped, and its comments as HTML.
    xml.field("wp:comment_author", html.escape(row["author_name"]))
    xml.field("wp:comment_author_email", row["author_email"] if with_emails else "")
    xml.field("wp:comment_author_url")
    xml.field("wp:comment_author_IP")
    xml.dates("wp:comment_date", when)
    xml.field("wp:comment_content", html.escape(text, quote=False))
    xml.field("wp:comment_approved", APPROVED[row["status"]])
    xml.field("wp:comment_type", "comment")
    xml.field("wp:comment_parent", str(parent))
    xml.field("wp:comment_user_id", "0")
    xml.close("wp:comment")


COMMENT_FIELDS = (
    "pk",
    "author_name",
    "author_email",
    "body",
    "edited_body",
    "status",
    "submitted_at",
    "published_at",
    "in_reply_to_id",
    "in_reply_to__status",
    "in_reply_to__article_id",
)


def _comments(article: Article, all_statuses: bool) -> Iterator[dict]:
    comments = Comment.objects.for_article(article)
    if not all_statuses:
        comments = comments.published()
    return (
        comments.order_by("submitted_at", "pk")
        .values(*COMMENT_FIELDS)
        .iterator(chunk_size=2000)
    )


def export_wxr(
    out: TextIO, *, all_statuses: bool = False, with_emails: bool = False
) -> ExportCounts:
    """Write WXR 1.2 to out: every article, with its published comments (or,
    all_statuses, every comment routed to it); emails only with with_emails."""
    counts = ExportCounts()
    exported = set(APPROVED) if all_statuses else {CommentStatus.PUBLISHED}
    xml = _WXR(out, "UTF-8")
    xml.startDocument()
    xml.open("rss", {"version": "2.0", **NAMESPACES})
    xml.open("channel")
    _channel(xml)
    for article in Article.objects.order_by("pk").iterator(chunk_size=200):
        xml.open("item")
        _item_head(xml, article)
        for row in _comments(article, all_statuses):
            _comment(
                xml, row, article=article, with_emails=with_emails, exported=exported
            )
            counts.comments += 1
        xml.close("item")
        counts.articles += 1
    xml.close("channel")
    xml.close("rss")
    xml.endDocument()
    if all_statuses:
        counts.unrouted = Comment.objects.unrouted().count()
    return counts
