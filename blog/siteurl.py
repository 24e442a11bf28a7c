"""The site's own addresses, absolute: from SITE_URL, never from a request.

Public pages are shared by every reader through the front cache, so nothing in
them may come from one request's headers: a `Host: 127.0.0.1:6666` once put that
port into the sitemap, robots.txt and the feeds' links and Atom ids that every
later reader was served (issue 22).
"""

from django.conf import settings


def absolute_url(path: str) -> str:
    """SITE_URL + path ("/feed/" -> "https://blog.example.org/feed/")."""
    return settings.SITE_URL + path


def site_scheme() -> str:
    """SITE_URL's scheme: "https" or "http"."""
    return settings.SITE_URL.partition("://")[0]


def site_authority() -> str:
    """SITE_URL after its scheme: the host, with a port if it has one."""
    return settings.SITE_URL.partition("://")[2]
