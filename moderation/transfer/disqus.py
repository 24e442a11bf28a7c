"""Read a Disqus export (its own XML: threads and posts as siblings), streaming.

Two passes over the file: the threads first (a post may come before its thread),
then the posts, each dropped once read. Memory holds the threads, not the posts.
"""

import hashlib
import html
from collections.abc import Iterator
from pathlib import Path
from xml.etree.ElementTree import Element

from comments.models import CommentStatus
from moderation.transfer import records as r
from moderation.transfer.records import Entry, ImportFileError, Post, Thread
from moderation.transfer.slugs import slug_from_link
from moderation.transfer.text import author_name, email, iso_date
from moderation.transfer.xmlstream import DISQUS_NS, Progress, events, local

SYSTEM = "disqus"
PASSES = 2
NS = "{" + DISQUS_NS + "}"
DSQ_ID = "{http://disqus.com/disqus-internals}id"


def read(path: Path, progress: Progress) -> Iterator[Entry]:
    """The file's posts (Entry)."""
    threads = {}
    for elem in _top_level(path, progress):
        if local(elem.tag) == "thread":
            thread = _thread(elem)
            threads[thread.key] = thread
    for elem in _top_level(path, progress):
        if local(elem.tag) == "post":
            yield _entry(elem, threads)


def _top_level(path: Path, progress: Progress) -> Iterator[Element]:
    depth, root = 0, None
    for event, elem in events(path, progress, ("start", "end")):
        if event == "start":
            depth += 1
            root = root if root is not None else elem
            continue
        depth -= 1
        if depth == 1:
            yield elem
            root.clear()


def _text(elem: Element, path: str) -> str:
    return (elem.findtext(NS + path.replace("/", "/" + NS)) or "").strip()


def _thread(elem: Element) -> Thread:
    identifier, link, title = (_text(elem, n) for n in ("id", "link", "title"))
    return Thread(
        key=elem.get(DSQ_ID, ""),
        origin=elem.get(DSQ_ID, ""),
        link=link,
        title=title,
        slugs=(identifier,) if identifier else (),
        post=_post(elem, link, title) if link or title else None,
    )


def _post(elem: Element, link: str, title: str) -> Post:
    """--create-articles: Disqus keeps no post text, so the article says where
    the page was (the operator may fill it in)."""
    try:
        date = iso_date(_text(elem, "createdAt"), f"thread {link or title!r}")
    except ImportFileError:
        date = None  # a draft, then: nothing to date it by
    text = f"Comments moved from {link}." if link else ""
    return Post(
        title=title or slug_from_link(link) or link,
        slug=slug_from_link(link),
        html=f"<p>{html.escape(text)}</p>",
        excerpt="",
        date=date,
        public=_text(elem, "isDeleted") != "true",
        comments_open=_text(elem, "isClosed") != "true",
        kind="page",  # only for its comments
    )


def _entry(elem: Element, threads: dict[str, Thread]) -> Entry:
    ref = elem.find(NS + "thread")
    thread_id = ref.get(DSQ_ID, "") if ref is not None else ""
    thread = threads.get(thread_id) or Thread(
        key=f"missing {thread_id}",
        origin="",
        link="",
        title=f"thread {thread_id or '(none)'} (not in the file)",
        slugs=(),
    )
    message = elem.findtext(NS + "message") or ""
    created = _text(elem, "createdAt")
    name = _text(elem, "author/name") or _text(elem, "author/username")
    origin = (
        elem.get(DSQ_ID, "")
        or "sha256:"
        + hashlib.sha256(
            "\x1f".join([thread_id, name, created, message]).encode()
        ).hexdigest()
    )
    entry = Entry(origin_id=origin, thread=thread)
    if _text(elem, "isDeleted") == "true":
        entry.skip = r.DELETED
        return entry
    where = f"post {origin} (thread {thread.title or thread.link or thread_id!r})"
    entry.date = iso_date(created, where)
    entry.content, entry.markup = message, r.HTML  # made text later
    if not message.strip():
        entry.skip = r.EMPTY
        return entry
    if _text(elem, "isSpam") == "true":
        entry.status = CommentStatus.SPAM
    elif _text(elem, "isApproved") == "false":
        entry.status = CommentStatus.PENDING
    else:
        entry.status = CommentStatus.PUBLISHED
    parent = elem.find(NS + "parent")
    if parent is not None and parent.get(DSQ_ID, origin) != origin:
        entry.reply_to = parent.get(DSQ_ID)
    entry.author_name = author_name(name, entities=False)
    entry.author_email = email(_text(elem, "author/email"))
    return entry
