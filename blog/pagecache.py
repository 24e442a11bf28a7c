"""Conditional GET and a whole-page cache for the article page (issue 6).

The article page is the same for every anonymous reader except for two hidden form
fields made per request: the CSRF token (a fresh mask of the reader's own secret)
and the comment form's signed timestamp. So the page is cached once per article
version and comments page with those values cut out ("holes"), and each request
fills its own in. Rendering the page costs ~20x more than filling the holes (the
form's widgets alone are a third of a render), measured in bench/.

Who never gets a cached page or a 304: a reader with a message waiting (the
thank-you after posting is shown once, on the next page), and signed-in users
(rare, and their pages may differ). Form errors never reach this path: a POST
re-renders its own page (comments/views.py).

Keys and validators hold the article's `updated_at` and `comments_changed_at`
(and the secret the holes were made with); every transition and article save
moves one of them, so the old entry becomes unreachable in every process at once.
That is also why each worker may keep a few pages in its own memory in front of
the shared cache: an entry is never invalidated, only no longer asked for, so no
worker can serve a page another has replaced (a Redis round trip and a client
object per request saved; the peers' harness measures exactly this path).

An anonymous reader's hit is served by `serve_cached_page`, from
blog/middleware.py, before the session, auth and messages middleware run: such a
reader carries no session cookie (no user, no session-stored message) and no
message cookie, which the hit path checks instead of loading them. The article's
row comes from the worker's own copy while the shared cache says no article has
changed since (blog/freshness.py), else from one small query. Everything else (a
miss, a signed-in editor, a reader with a message) goes through ArticleDetailView.
"""

import functools
import hashlib
import re
from collections import OrderedDict
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from typing import NamedTuple

from django.conf import settings
from django.contrib.messages import get_messages
from django.contrib.messages.storage.cookie import CookieStorage
from django.core.cache import cache
from django.core.signals import setting_changed
from django.db import DatabaseError
from django.dispatch import receiver
from django.http import HttpRequest, HttpResponse, HttpResponseNotModified
from django.middleware.csrf import get_token
from django.urls import Resolver404, resolve
from django.utils.cache import get_conditional_response, patch_vary_headers
from django.utils.crypto import salted_hmac
from django.utils.html import escape
from django.utils.http import http_date, quote_etag

from blog.freshness import forget_kept_rows, kept_row
from blog.models import Article, is_published

PAGE_TIMEOUT = 24 * 3600
LOCAL_PAGES = 32  # per worker: ~40 KB each at 100 comments a page
ARTICLE_VIEW = "blog:article_detail"
_local: OrderedDict[str, str] = OrderedDict()
Filler = Callable[[HttpRequest], str]
_fillers: dict[str, Filler] = {"csrfmiddlewaretoken": get_token}


def per_request_field(name: str, fill: Filler) -> None:
    """Declare a hidden form field whose value is made per request (a page hole).

    comments declares its form's signed timestamp here: blog must not import
    comments (DESIGN.md), so the dependency points the allowed way.
    """
    _fillers[name] = fill


@functools.cache
def _sentinel(name: str) -> str:
    # Derived from SECRET_KEY: the same in every worker (the cache is shared).
    return "hole-" + salted_hmac("blog.pagecache.hole", name).hexdigest()[:32]


@functools.cache
def _key_secret() -> str:
    # The holes are made from SECRET_KEY: pages stored under another key (before
    # a rotation) have holes this process would not find, so they must not be
    # found either.
    return _sentinel("cache-key")[-12:]


@receiver(setting_changed)
def _forget_secrets(*, setting: str, **kwargs: object) -> None:
    if setting == "SECRET_KEY":
        _sentinel.cache_clear()
        _empty_hole.cache_clear()
        _key_secret.cache_clear()


@functools.cache
def _empty_hole(name: str) -> str:
    return _hole(name, _sentinel(name))


def _hole(name: str, value: str) -> str:
    # The whole attribute pair, quotes included: escaped comment text can never
    # contain it, so only the form's own field is ever filled in.
    return f'name="{name}" value="{value}"'


def message_waiting(request: HttpRequest) -> bool:
    """A flash message will be shown on this page (len() doesn't consume it)."""
    return len(get_messages(request)) > 0


def comments_page_number(request: HttpRequest) -> int:
    try:
        return max(1, int(request.GET.get("comments", 1)))
    except ValueError:
        return 1


class PageState(NamedTuple):
    """The article row's fields that the page's bytes and validators depend on."""

    id: int
    updated_at: datetime
    comments_changed_at: datetime
    published_comment_count: int

    @classmethod
    def of(cls, article: Article) -> "PageState":
        return cls(*(getattr(article, name) for name in cls._fields))

    @classmethod
    def from_values(cls, values: dict) -> "PageState":
        return cls(*(values[name] for name in cls._fields))


@dataclass(frozen=True)
class PageVersion:
    """What the article page's bytes depend on, for a reader with no message."""

    state: PageState
    page: int
    user_id: int

    @classmethod
    def for_request(
        cls, request: HttpRequest, state: PageState, user_id: int = 0
    ) -> "PageVersion":
        # Past the last page the last one is shown (comments_tags): one key for
        # both, so made-up page numbers can't fill the cache with copies.
        per_page = settings.COMMENTS_PER_PAGE
        pages = max(1, -(-state.published_comment_count // per_page))
        return cls(state, min(comments_page_number(request), pages), user_id)

    @property
    def last_modified(self) -> datetime:
        return max(self.state.updated_at, self.state.comments_changed_at)

    @functools.cached_property
    def cache_key(self) -> str:
        s = self.state
        return (
            f"page:article:{_key_secret()}:{s.id}:{s.updated_at.timestamp()}:"
            f"{s.comments_changed_at.timestamp()}:{self.page}"
        )

    def etag(self, request: HttpRequest) -> str:
        # The CSRF secret the page's token was made from: after sign-in (which
        # rotates it) or a lost cookie, the stored page's token is no good, so it
        # must not be revalidated with a 304.
        secret = request.META.get("CSRF_COOKIE", "")
        digest = hashlib.blake2b(
            f"{self.cache_key}:{self.user_id}:{secret}".encode(), digest_size=12
        )
        return digest.hexdigest()


def page_version(request: HttpRequest, article: Article) -> PageVersion | None:
    """The page's version, or None when this reader must get a fresh page."""
    if message_waiting(request):
        return None
    user_id = request.user.pk if request.user.is_authenticated else 0
    return PageVersion.for_request(request, PageState.of(article), user_id or 0)


def not_modified(request: HttpRequest, version: PageVersion | None) -> bool:
    if version is None:
        return False
    answer = get_conditional_response(
        request,
        etag=quote_etag(version.etag(request)),
        last_modified=int(version.last_modified.timestamp()),
    )
    return answer is not None and answer.status_code == 304


def cached_page(request: HttpRequest, version: PageVersion | None) -> str | None:
    """The stored page with this request's holes filled, if there is one."""
    if version is None or version.user_id:
        return None
    html = _local_get(version.cache_key)
    if html is None:
        html = cache.get(version.cache_key)
        if html is None:
            return None
        _local_put(version.cache_key, html)
    for name, fill in _fillers.items():
        hole = _empty_hole(name)
        if hole in html:
            html = html.replace(hole, _hole(name, escape(fill(request))))
    return html


def store_page(version: PageVersion | None, html: str) -> None:
    """Keep an anonymous reader's page, with its per-request values cut out."""
    if version is None or version.user_id:
        return
    for name in _fillers:
        pattern = re.compile(rf'name="{re.escape(name)}" value="[^"]*"')
        html = pattern.sub(_empty_hole(name), html)
    cache.set(version.cache_key, html, timeout=PAGE_TIMEOUT)
    _local_put(version.cache_key, html)


def reader_without_state(request: HttpRequest) -> bool:
    """A reader whose page can only be the anonymous one, judged by cookies alone.

    No session cookie means no signed-in user and no message kept in a session;
    no message cookie means no message kept in a cookie (the two places Django's
    default message storage uses).
    """
    cookies = request.COOKIES
    return (
        request.method in ("GET", "HEAD")
        and settings.SESSION_COOKIE_NAME not in cookies
        and CookieStorage.cookie_name not in cookies
    )


@functools.lru_cache(maxsize=1024)
def _article_slug(path: str) -> str | None:
    """The slug when the path is an article page's (resolved once per path)."""
    try:
        match = resolve(path)
    except Resolver404:
        return None
    return match.kwargs["slug"] if match.view_name == ARTICLE_VIEW else None


@receiver(setting_changed)
def _forget_routes(*, setting: str, **kwargs: object) -> None:
    if setting == "ROOT_URLCONF":
        _article_slug.cache_clear()


def serve_cached_page(request: HttpRequest) -> HttpResponse | None:
    """An anonymous reader's article page from the cache, or None to render it."""
    if not reader_without_state(request):
        return None
    # CommonMiddleware, which this path runs before, is where Django checks the
    # Host header against ALLOWED_HOSTS: a DisallowedHost here is the same 400.
    request.get_host()
    slug = _article_slug(request.path_info)
    if slug is None:
        return None
    try:
        article = kept_row(slug, Article.objects.brief_row)
    except DatabaseError:
        return None  # the view meets it again and answers with the 503 page
    if article is None or not is_published(article["published_at"]):
        return None  # the view answers 404
    version = PageVersion.for_request(request, PageState.from_values(article))
    if not_modified(request, version):
        return finish(request, HttpResponseNotModified(), version)
    html = cached_page(request, version)
    if html is None:
        return None
    return finish(request, HttpResponse(html), version)


def _local_get(key: str) -> str | None:
    html = _local.get(key)
    if html is not None:
        _local.move_to_end(key)
    return html


def _local_put(key: str, html: str) -> None:
    _local[key] = html
    _local.move_to_end(key)
    while len(_local) > LOCAL_PAGES:
        _local.popitem(last=False)


def forget_local_pages() -> None:
    """Empty this worker's copies (tests that start from a cold cache)."""
    _local.clear()
    forget_kept_rows()


def finish(
    request: HttpRequest, response: HttpResponse, version: PageVersion | None
) -> HttpResponse:
    """Validators and caching headers: private (a CSRF token is in the page)."""
    patch_vary_headers(response, ("Cookie",))
    if version is None:
        response.headers["Cache-Control"] = "private, no-store"
        return response
    response.headers["Cache-Control"] = "private, no-cache"
    response.headers["ETag"] = quote_etag(version.etag(request))
    response.headers["Last-Modified"] = http_date(version.last_modified.timestamp())
    if response.status_code == 200:
        # CommonMiddleware would add it, but a cached page is answered before it.
        response.headers["Content-Length"] = str(len(response.content))
    return response
