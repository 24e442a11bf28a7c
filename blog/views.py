"""Public pages: the index, an article, robots.txt, health, error pages."""

from django.conf import settings
from django.core.cache import cache
from django.db import connection
from django.db.utils import DatabaseError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.decorators import method_decorator
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET
from django.views.generic import DetailView, ListView

from blog.caching import public_page
from blog.models import Article


@method_decorator(public_page, name="dispatch")
class ArticleListView(ListView):
    paginate_by = 10
    template_name = "blog/article_list.html"

    def get_queryset(self):
        return Article.objects.published().newest_first().defer("body", "body_html")


@method_decorator(public_page, name="dispatch")
class ArticleDetailView(DetailView):
    """The article page; its comments section is cached on its own (comments_tags)."""

    template_name = "blog/article_detail.html"

    def get_queryset(self):
        return Article.objects.published()


@public_page
def privacy(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "blog/privacy.html",
        {
            "comments_address": settings.COMMENTS_EMAIL_ADDRESS,
            "retention_days": settings.PERSONAL_DATA_RETENTION_DAYS,
        },
    )


@require_GET
@public_page
def robots_txt(request: HttpRequest) -> HttpResponse:
    sitemap_url = request.build_absolute_uri(reverse("sitemap"))
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
    """200 "ok" when the database and the cache answer; else 503 naming which."""
    down = []
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
    except DatabaseError:
        down.append("database")
    try:
        cache.set("healthz", 1, timeout=10)
    except Exception:  # Redis, memcached or the database cache: any failure
        down.append("cache")
    if down:
        text = "".join(f"{part} unavailable\n" for part in down)
        return HttpResponse(text, status=503, content_type="text/plain")
    return HttpResponse("ok\n", content_type="text/plain")


def page_not_found(request: HttpRequest, exception: Exception) -> HttpResponse:
    return render(request, "404.html", status=404)


def server_error(request: HttpRequest) -> HttpResponse:
    # No context processors that might touch the database: this page must render
    # when the database is the thing that failed.
    from django.template import loader

    html = loader.get_template("500.html").render({"SITE_NAME": settings.SITE_NAME})
    return HttpResponse(html, status=500)
