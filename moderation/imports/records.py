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
    content: str = ""  # the body as exported (HTML)
    line_breaks: bool = False  # its newlines are paragraphs (WordPress)
    date: datetime | None = None


# Why a comment isn't imported (the report's wording).
DELETED = "deleted"
TRASHED = "trashed"
PING = "pingback/trackback"
OTHER_TYPE = "not a comment (other type)"
EMPTY = "empty"
DUPLICATE = "duplicate of an earlier import"
NO_ARTICLE = "thread matched no article"
