"""What the readers hand to the import: threads, entries, and the one error."""

from dataclasses import dataclass
from datetime import datetime


class ImportFileError(Exception):
    """The file can't be imported (broken XML, a bad date, an unknown format);
    the message names the place."""


@dataclass(frozen=True, slots=True)
class Post:
    """What --create-articles needs of a WordPress post or a Disqus thread."""

    title: str
    slug: str
    html: str
    excerpt: str
    date: datetime | None
    public: bool
    comments_open: bool
    kind: str  # post | page


@dataclass(frozen=True, slots=True)
class Thread:
    """A post or Disqus thread: the comments of one article page."""

    key: str  # unique within the file
    link: str
    origin: str  # what its comments' origin ids start with
    title: str
    slugs: tuple[str, ...]  # candidates the export names (post_name, identifier)
    post: Post | None = None


@dataclass(slots=True)
class Entry:
    """One comment of the export, or why it is skipped (skip != "")."""

    origin_id: str
    thread: Thread
    skip: str = ""
    status: str = ""
    reply_to: str = ""
    author_name: str = "Anonymous"
    author_email: str = ""
    content: str = ""  # the body as exported
    markup: str = "html"  # what content is: one of MARKUPS
    date: datetime | None = None


# What an exported body is. HTML: HTML (Disqus). WORDPRESS: HTML whose newlines
# are paragraphs and line breaks (WordPress adds the <p> and <br> only when it shows
# a comment). TEXT: what the reader wrote, character for character (our own
# export, which says so: see export.py).
HTML, WORDPRESS, TEXT = "html", "wordpress", "text"
MARKUPS = (HTML, WORDPRESS, TEXT)

# Why a comment isn't imported (the report's wording).
DELETED = "deleted"
TRASHED = "trashed"
PING = "pingback/trackback"
OTHER_TYPE = "not a comment (other type)"
EMPTY = "empty"
DUPLICATE = "duplicate of an earlier import"
NO_ARTICLE = "thread matched no article"
