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

from blog.models import Article
from comments.models import Comment, CommentStatus
from moderation.transfer.text import wordpress_format
from moderation.transfer.xmlstream import OWN_NS

WP_NS = "http://wordpress.org/export/1.2/"
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
HEADER = f"""<?xml version="1.0" encoding="UTF-8" ?>
<!-- generator="The Source Hat" export_comments -->
<rss version="2.0"
\txmlns:excerpt="{WP_NS}excerpt/"
\txmlns:content="http://purl.org/rss/1.0/modules/content/"
\txmlns:wfw="http://wellformedweb.org/CommentAPI/"
\txmlns:dc="http://purl.org/dc/elements/1.1/"
\txmlns:wp="{WP_NS}"
\txmlns:sourcehat="{OWN_NS}"
>
<channel>
"""


@dataclass
class ExportCounts:
    articles: int = 0
    comments: int = 0
    unrouted: int = 0  # waiting for an article: nowhere to put them in WXR


def cdata(value: str) -> str:
    """WordPress's wxr_cdata(): text as CDATA, "]]>" split across two sections."""
    value = _NOT_XML.sub("", value)
    return "<![CDATA[" + value.replace("]]>", "]]]]><![CDATA[>") + "]]>"


def _text(value: str) -> str:
    return html.escape(_NOT_XML.sub("", value), quote=False)


def _dates(tag: str, when: datetime | None) -> str:
    local = gmt = NO_DATE
    if when is not None:
        local = wordpress_format(timezone.localtime(when))
        gmt = wordpress_format(when.astimezone(dt_timezone.utc))
    return f"<{tag}>{local}</{tag}><{tag}_gmt>{gmt}</{tag}_gmt>"


def _site() -> str:
    return settings.SITE_URL.rstrip("/")


def _channel() -> str:
    return (
        f"\t<title>{_text(settings.SITE_NAME)}</title>\n"
        f"\t<link>{_text(_site())}</link>\n"
        "\t<description></description>\n"
        f"\t<pubDate>{format_datetime(timezone.now())}</pubDate>\n"
        "\t<language>en</language>\n"
        "\t<wp:wxr_version>1.2</wp:wxr_version>\n"
        f"\t<wp:base_site_url>{_text(_site())}</wp:base_site_url>\n"
        f"\t<wp:base_blog_url>{_text(_site())}</wp:base_blog_url>\n"
        # comment_content is what the reader wrote, escaped so that importers
        # that read it as HTML show it as written; ours reads it back exactly.
        "\t<sourcehat:comment_content>text</sourcehat:comment_content>\n"
    )


def _post_status(article: Article) -> str:
    if article.published_at is None:
        return "draft"
    return "publish" if article.published_at <= timezone.now() else "future"


def _item_head(article: Article) -> str:
    when = article.published_at
    return (
        "\t<item>\n"
        f"\t\t<title>{_text(article.title)}</title>\n"
        f"\t\t<link>{_text(_site() + article.get_absolute_url())}</link>\n"
        f"\t\t<pubDate>{format_datetime(when) if when else ''}</pubDate>\n"
        "\t\t<dc:creator><![CDATA[]]></dc:creator>\n"
        f'\t\t<guid isPermaLink="false">{_text(_site())}/?p={article.pk}</guid>\n'
        "\t\t<description></description>\n"
        f"\t\t<content:encoded>{cdata(article.body_html)}</content:encoded>\n"
        f"\t\t<excerpt:encoded>{cdata(article.standfirst)}</excerpt:encoded>\n"
        f"\t\t<wp:post_id>{article.pk}</wp:post_id>\n"
        f"\t\t{_dates('wp:post_date', when)}\n"
        "\t\t<wp:comment_status>"
        f"{'open' if article.comments_open else 'closed'}</wp:comment_status>\n"
        "\t\t<wp:ping_status>closed</wp:ping_status>\n"
        f"\t\t<wp:post_name>{cdata(article.slug)}</wp:post_name>\n"
        f"\t\t<wp:status>{_post_status(article)}</wp:status>\n"
        "\t\t<wp:post_parent>0</wp:post_parent>\n"
        "\t\t<wp:menu_order>0</wp:menu_order>\n"
        "\t\t<wp:post_type>post</wp:post_type>\n"
        "\t\t<wp:post_password></wp:post_password>\n"
        "\t\t<wp:is_sticky>0</wp:is_sticky>\n"
    )


def _comment(
    row: dict, *, article: Article, with_emails: bool, exported: set[str]
) -> str:
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
    return (
        "\t\t<wp:comment>\n"
        f"\t\t\t<wp:comment_id>{row['pk']}</wp:comment_id>\n"
        # WordPress keeps names HTML-escaped, and its comments as HTML.
        f"\t\t\t<wp:comment_author>{cdata(html.escape(row['author_name']))}"
        "</wp:comment_author>\n"
        "\t\t\t<wp:comment_author_email>"
        f"{cdata(row['author_email'] if with_emails else '')}"
        "</wp:comment_author_email>\n"
        "\t\t\t<wp:comment_author_url></wp:comment_author_url>\n"
        "\t\t\t<wp:comment_author_IP></wp:comment_author_IP>\n"
        f"\t\t\t{_dates('wp:comment_date', when)}\n"
        f"\t\t\t<wp:comment_content>{cdata(html.escape(text, quote=False))}"
        "</wp:comment_content>\n"
        f"\t\t\t<wp:comment_approved>{APPROVED[row['status']]}"
        "</wp:comment_approved>\n"
        "\t\t\t<wp:comment_type>comment</wp:comment_type>\n"
        f"\t\t\t<wp:comment_parent>{parent}</wp:comment_parent>\n"
        "\t\t\t<wp:comment_user_id>0</wp:comment_user_id>\n"
        "\t\t</wp:comment>\n"
    )


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
    out.write(HEADER + _channel())
    for article in Article.objects.order_by("pk").iterator(chunk_size=200):
        out.write(_item_head(article))
        for row in _comments(article, all_statuses):
            out.write(
                _comment(
                    row, article=article, with_emails=with_emails, exported=exported
                )
            )
            counts.comments += 1
        out.write("\t</item>\n")
        counts.articles += 1
    out.write("</channel>\n</rss>\n")
    if all_statuses:
        counts.unrouted = Comment.objects.unrouted().count()
    return counts
