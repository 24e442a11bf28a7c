"""Public pages: the same bytes for every visitor, so any HTTP cache may keep them.

nginx in front (deploy/nginx/), or any CDN, serves such a page for
PAGE_CACHE_SECONDS and then revalidates it; the origin renders each version once
per lifetime. Comments are pre-moderated, so a published comment showing a few
seconds late is harmless; a take-down that can't wait is a purge (README).

A public page must carry nothing made for one reader: no CSRF token, no flash
message, no user (which would add `Vary: Cookie` or a `Set-Cookie` and make every
shared cache pass it by). ETags and 304s come from Django's
ConditionalGetMiddleware (settings.MIDDLEWARE).

Behind the front, parts of pages are kept in Django's cache (`cache.get_or_set`),
which is never more than an accelerator: what an outage means is decided once,
in settings.py (DJANGO_REDIS_IGNORE_EXCEPTIONS).
"""

from collections.abc import Callable
from functools import wraps

from django.conf import settings
from django.http import HttpRequest, HttpResponseBase
from django.utils.cache import patch_cache_control

View = Callable[..., HttpResponseBase]


def public_page(view: View) -> View:
    """Mark a view's answers shareable: `public`, with a short shared lifetime.

    Browsers revalidate every time (max-age=0, answered by the cache's 304);
    shared caches keep the page for PAGE_CACHE_SECONDS and may serve it stale
    for as long again while they fetch the next version (RFC 5861).
    """

    @wraps(view)
    def wrapped(request: HttpRequest, *args: object, **kwargs: object):
        response = view(request, *args, **kwargs)
        if request.method in ("GET", "HEAD") and response.status_code < 500:
            seconds = settings.PAGE_CACHE_SECONDS
            patch_cache_control(
                response,
                public=True,
                max_age=0,
                s_maxage=seconds,
                stale_while_revalidate=seconds,
            )
        return response

    return wrapped
