"""Site-wide views: robots.txt, the health check, the error pages."""

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.template import loader
from django.urls import reverse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from blog.caching import public_page
from blog.siteurl import absolute_url
from config.health import OK, cache_state, database_state


def csrf_failure(request: HttpRequest, reason: str = "") -> HttpResponse:
    """A readable 403 for a form sent without a valid CSRF token (CSRF_FAILURE_VIEW).

    The usual causes for a real reader are a page left open for a long time or
    cookies blocked; we say so, and hand back the comment text so nothing is lost.
    """
    typed = request.POST.get("body", "") if request.method == "POST" else ""
    return render(request, "403_csrf.html", {"typed": typed}, status=403)


@require_GET
@public_page
def robots_txt(request: HttpRequest) -> HttpResponse:
    sitemap_url = absolute_url(reverse("sitemap"))  # never the request's Host
    lines = [
        "User-agent: *",
        "Disallow: /admin/",
        "Disallow: /moderation/",
        f"Sitemap: {sitemap_url}",
        "",
    ]
    return HttpResponse("\n".join(lines), content_type="text/plain")


@require_GET
@never_cache
def healthz(request: HttpRequest) -> HttpResponse:
    """200 while the database answers, 503 when it doesn't; each part's state in
    the body ("database ok", "cache unavailable"): a cache outage degrades the
    site, and restarting web processes can't mend it (config/health.py)."""
    database = database_state()
    body = f"database {database}\ncache {cache_state()}\n"
    status = 200 if database == OK else 503
    return HttpResponse(body, status=status, content_type="text/plain")


def page_not_found(request: HttpRequest, exception: Exception) -> HttpResponse:
    return render(request, "404.html", status=404)


def server_error(request: HttpRequest) -> HttpResponse:
    # No context processors that might touch the database: this page must render
    # when the database is the thing that failed.
    html = loader.get_template("500.html").render({"SITE_NAME": settings.SITE_NAME})
    return HttpResponse(html, status=500)
