"""The slug a post's old link names."""

import re
from urllib.parse import unquote, urlsplit

_NOT_SLUGS = {"index.html", "index.htm", "index.php", "amp", "feed"}
_EXTENSION = re.compile(r"\.(html?|php|aspx?)$", re.IGNORECASE)
_COMMENT_PAGE = re.compile(r"comment-page-\d+")


def slug_from_link(link: str) -> str:
    """The last meaningful path segment: /2014/test/ -> test,
    /blog/2013/02/12/redacted/index.html -> redacted; "" for /?p=4."""
    segments = [unquote(s) for s in urlsplit(link.strip()).path.split("/") if s]
    while segments and (
        segments[-1].lower() in _NOT_SLUGS or _COMMENT_PAGE.fullmatch(segments[-1])
    ):
        segments.pop()
    return _EXTENSION.sub("", segments[-1]) if segments else ""
