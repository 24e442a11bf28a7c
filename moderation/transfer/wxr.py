"""Read a WordPress export (WXR, any version of the wp: namespace), streaming.

Yields each comment's Entry as it ends, and each item's Thread when the item
ends; elements are dropped once read, so memory stays flat in the file's size.
WordPress writes an item's comments after its own fields, so a comment's thread
is known when the comment is.
"""

import hashlib
import html
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import unquote
from xml.etree.ElementTree import Element

from comments.models import CommentStatus
from moderation.transfer import records as r
from moderation.transfer.records import Entry, Post, Thread
from moderation.transfer.text import author_name, email, wordpress_date
from moderation.transfer.xmlstream import (
    OWN_NS,
    WP_NS,
    Progress,
    events,
    local,
    namespace,
)

SYSTEM = "wordpress"
PASSES = 1  # reads the file once (disqus.py needs two)
APPROVED = {"1", "approve", "approved"}
TRASHED = {"trash", "post-trashed"}
PINGS = {"pingback", "trackback", "pings"}
COMMENT_TYPES = {"", "comment"}
POST_TYPES = {"", "post", "page"}
NOT_POSTS = {"trash", "auto-draft", "inherit"}
# The item's own fields we read: "encoded" is told apart by its namespace.
ITEM_FIELDS = {
    "title",
    "link",
    "guid",
    "pubDate",
    "post_id",
    "post_date",
    "post_date_gmt",
    "post_name",
    "status",
    "post_type",
    "post_password",
    "comment_status",
}


def read(path: Path, progress: Progress) -> Iterator[Entry | Thread]:
    """The file's comments (Entry) and, as each item ends, its Thread."""
    stack: list[Element] = []
    fields: dict[str, str] = {}
    site: dict[str, str] = {}
    thread: Thread | None = None
    count = 0
    own_text = False  # our own export: comment_content is the reader's text
    for event, elem in events(path, progress, ("start", "end")):
        if event == "start":
            stack.append(elem)
            continue
        stack.pop()
        depth, name = len(stack), local(elem.tag)
        if depth == 3 and local(stack[-1].tag) == "item":
            if name == "comment" and WP_NS.match(namespace(elem.tag)):
                if thread is None:
                    thread = _thread(fields, count, site)
                yield _entry(elem, thread, own_text=own_text)
            elif name == "encoded":
                key = "excerpt" if "excerpt" in namespace(elem.tag) else "content"
                fields[key] = elem.text or ""
            elif name in ITEM_FIELDS:
                fields[name] = (elem.text or "").strip()
            stack[-1].remove(elem)
        elif depth == 2:
            if name == "item":
                yield thread or _thread(fields, count, site)
                fields, thread, count = {}, None, count + 1
            elif name in ("base_blog_url", "link"):
                site[name] = (elem.text or "").strip()
            elif name == "comment_content" and namespace(elem.tag) == OWN_NS:
                own_text = (elem.text or "").strip() == "text"
            stack[-1].remove(elem)


def _thread(fields: dict[str, str], count: int, site: dict[str, str]) -> Thread:
    """The item's thread. Its origin: the blog and the post (comment ids are
    unique in one blog; guids are not: a copied post keeps its guid)."""
    link = fields.get("link", "")
    blog = site.get("base_blog_url") or site.get("link", "")
    post = fields.get("post_id") or link or fields.get("guid") or f"item {count + 1}"
    title = html.unescape(fields.get("title", ""))
    post_name = unquote(fields.get("post_name", ""))
    return Thread(
        key=str(count),
        origin=_short(f"{blog}|{post}"),
        link=link,
        title=title,
        slugs=(post_name,) if post_name else (),
        post=_post(fields, title, post_name),
    )


def _post(fields: dict[str, str], title: str, slug: str) -> Post | None:
    kind, status = fields.get("post_type", ""), fields.get("status", "")
    if kind not in POST_TYPES or status in NOT_POSTS:
        return None
    date = wordpress_date(
        fields.get("post_date_gmt", ""),
        fields.get("post_date", ""),
        f"post {title!r}",
        required=False,  # a draft may have none
    )
    return Post(
        title=title,
        slug=slug,
        html=fields.get("content", ""),
        excerpt=fields.get("excerpt", ""),
        date=date,
        # Private and password-protected posts were not public: drafts here.
        public=status in ("publish", "future", "") and not fields.get("post_password"),
        comments_open=fields.get("comment_status", "open") != "closed",
        kind=kind or "post",
    )


def _short(key: str) -> str:
    """An origin id fits its column (255); a longer one becomes its hash."""
    if len(key) <= 200:
        return key
    return "sha256:" + hashlib.sha256(key.encode()).hexdigest()


def _entry(elem: Element, thread: Thread, *, own_text: bool) -> Entry:
    ns = "{" + namespace(elem.tag) + "}"

    def field(name: str) -> str:
        return elem.findtext(ns + name) or ""

    comment_id = field("comment_id").strip()
    content = field("comment_content")
    origin = comment_id or "sha256:" + hashlib.sha256(content.encode()).hexdigest()
    entry = Entry(origin_id=_short(f"{thread.origin}#{origin}"), thread=thread)
    kind, approved = field("comment_type").strip(), field("comment_approved").strip()
    if kind in PINGS:
        entry.skip = r.PING
    elif kind not in COMMENT_TYPES:
        entry.skip = r.OTHER_TYPE
    elif approved in TRASHED:
        entry.skip = r.TRASHED
    if entry.skip:
        return entry
    where = f"item {thread.title or thread.link!r}, comment {comment_id or '(no id)'}"
    entry.date = wordpress_date(field("comment_date_gmt"), field("comment_date"), where)
    # Made text later, in batches (writer.prepare).
    if own_text:  # escaped as HTML for other importers: exactly what was written
        entry.content, entry.markup = html.unescape(content), r.TEXT
    else:
        entry.content, entry.markup = content, r.WORDPRESS
    if not content.strip():
        entry.skip = r.EMPTY
        return entry
    if approved in APPROVED:
        entry.status = CommentStatus.PUBLISHED
    elif approved == "spam":
        entry.status = CommentStatus.SPAM
    else:
        entry.status = CommentStatus.PENDING
    parent = field("comment_parent").strip()
    if parent and parent not in ("0", comment_id):  # not itself (broken files)
        entry.reply_to = _short(f"{thread.origin}#{parent}")
    entry.author_name = author_name(field("comment_author"), entities=True)
    entry.author_email = email(field("comment_author_email"))
    return entry
