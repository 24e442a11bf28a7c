"""Cross-site forgery defence for the comment form, by Fetch Metadata.

Public pages carry no per-reader token (blog/caching.py), so the comment POST is
protected the way OWASP recommends and Go 1.25's CrossOriginProtection does: a
browser says where a request comes from in `Sec-Fetch-Site` (every current
browser), or at least in `Origin` (older ones). A request with neither is not
from a browser, and could fetch any token anyway; the honeypot, the rate limit
and the spam rules are the defence there. Django's CSRF tokens stay for the
admin, the review screen and the moderation links.
"""

from urllib.parse import urlsplit

from django.conf import settings
from django.http import HttpRequest

# "none": the reader typed the address or used a bookmark (W3C Fetch Metadata).
ALLOWED_SITES = ("same-origin", "none")


def cross_origin_refusal(request: HttpRequest) -> str | None:
    """Why this POST must be refused as cross-origin, or None to go on."""
    site = request.headers.get("Sec-Fetch-Site", "")
    origin = request.headers.get("Origin", "")
    if site in ALLOWED_SITES:
        return None
    if origin in settings.CSRF_TRUSTED_ORIGINS:
        return None
    if site:  # cross-site, same-site (a sibling subdomain), or unknown
        return f"sent from another site (Sec-Fetch-Site: {site})"
    if not origin:
        return None
    if urlsplit(origin).netloc == request.get_host():
        return None
    return "sent from another site (Origin does not match)"
