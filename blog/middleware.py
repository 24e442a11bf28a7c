"""The article page's cache hit, answered before the per-user middleware runs."""

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse

from blog.pagecache import serve_cached_page


class CachedArticlePageMiddleware:
    """Anonymous readers' article pages from the page cache (blog/pagecache.py).

    It sits after CsrfViewMiddleware (the page's token needs the reader's CSRF
    cookie, and a new reader gets one on the way out) and after the middleware
    that add security headers, and before sessions, auth and messages, which such
    a reader has no use for: on a cache hit that work was most of the request.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = serve_cached_page(request)
        return response if response is not None else self.get_response(request)
