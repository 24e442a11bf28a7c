"""Which article a thread's comments belong to.

In order: the operator's --map (old link -> slug), the slug the export names
(WordPress's post_name, Disqus's identifier), the slug in the thread's link
(/2014/test/ -> test). With --create-articles, a post or thread that matches
nothing becomes an article (articles.py).
"""

from pathlib import Path
from urllib.parse import urlsplit

from blog.models import Article
from moderation.transfer.articles import base_slug, create_article
from moderation.transfer.records import ImportFileError, Thread
from moderation.transfer.slugs import slug_from_link


def normalize_link(link: str) -> str:
    """host + path (+ query) without scheme or trailing slash: http and https,
    /post and /post/ are the same page."""
    return urlsplit(link.strip()).netloc.lower() + _path_only(link)


def _path_only(link: str) -> str:
    parts = urlsplit(link.strip())
    return parts.path.rstrip("/") + (f"?{parts.query}" if parts.query else "")


def read_map(path: Path) -> dict[str, str]:
    """--map FILE: `old-link,slug` lines (blank lines and # comments ignored)."""
    links: dict[str, str] = {}
    try:
        lines = path.read_text(encoding="utf-8-sig").splitlines()
    except (OSError, UnicodeDecodeError) as exc:
        raise ImportFileError(f"--map {path}: can't read it ({exc})") from exc
    for number, line in enumerate(lines, 1):
        line = line.strip()
        if not line or line.startswith("#"):
            continue
        link, comma, slug = line.rpartition(",")
        if not comma or not link.strip() or not slug.strip():
            raise ImportFileError(
                f"--map {path.name}, line {number}: expected `old-link,slug`, "
                f"got {line!r}"
            )
        links[normalize_link(link)] = slug.strip()
    missing = set(links.values()) - set(
        Article.objects.filter(slug__in=set(links.values())).values_list(
            "slug", flat=True
        )
    )
    if missing:
        raise ImportFileError(
            f"--map {path.name}: no article with the slug "
            + ", ".join(repr(s) for s in sorted(missing))
        )
    return links


class Matcher:
    """Finds (or creates) each thread's article once; remembers the answer."""

    def __init__(self, *, links: dict[str, str], create: bool) -> None:
        self._links, self._create = links, create
        self._found: dict[str, int | None] = {}
        self.created = 0

    def article_id(self, thread: Thread) -> int | None:
        if thread.key not in self._found:
            self._found[thread.key] = self._match(thread)
        return self._found[thread.key]

    def _candidates(self, thread: Thread) -> list[str]:
        found = []
        if thread.link:
            for key in (normalize_link(thread.link), _path_only(thread.link)):
                if key in self._links:
                    found.append(self._links[key])
        found += [s for s in thread.slugs if s]
        if thread.link:
            found.append(slug_from_link(thread.link))
        if thread.post is not None:  # what --create-articles made of it before
            found.append(base_slug(thread.post))
        return [s for s in found if s]

    def _match(self, thread: Thread) -> int | None:
        candidates = self._candidates(thread)
        ids = dict(
            Article.objects.filter(slug__in=candidates).values_list("slug", "pk")
        )
        for slug in candidates:
            if slug in ids:
                return ids[slug]
        if self._create and thread.post is not None:
            self.created += 1
            return create_article(thread.post).pk
        return None
