"""Public pages: the index, an article, robots.txt, health, error pages."""

from django.conf import settings
from django.db import connection
from django.db.utils import DatabaseError
from django.http import HttpRequest, HttpResponse, HttpResponseNotModified
from django.shortcuts import render
from django.urls import reverse
from django.views.decorators.http import require_GET
from django.views.generic import DetailView, ListView

from blog import pagecache
from blog.models import Article


class ArticleListView(ListView):
    paginate_by = 10
    template_name = "blog/article_list.html"

    def get_queryset(self):
        return Article.objects.published().newest_first().defer("body", "body_html")


class ArticleDetailView(DetailView):
    """The article page: conditional GET, and one cached page for anonymous readers.

    blog/pagecache.py explains who gets what; the comments list inside is cached
    on its own too (comments_tags), for the readers who get a fresh page.
    """

    template_name = "blog/article_detail.html"

    def get_queryset(self):
        return Article.objects.published()

    def get(self, request: HttpRequest, *args: object, **kwargs: object):
        self.object = self.get_object()
        version = pagecache.page_version(request, self.object)
        if pagecache.not_modified(request, version):
            return pagecache.finish(request, HttpResponseNotModified(), version)
        html = pagecache.cached_page(request, version)
        if html is None:
            context = self.get_context_data(object=self.object)
            html = self.render_to_response(context).render().content.decode()
            pagecache.store_page(version, html)
        return pagecache.finish(request, HttpResponse(html), version)


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
def healthz(request: HttpRequest) -> HttpResponse:
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
    except DatabaseError:
        return HttpResponse(
            "database unavailable\n", status=503, content_type="text/plain"
        )
    return HttpResponse("ok\n", content_type="text/plain")


def page_not_found(request: HttpRequest, exception: Exception) -> HttpResponse:
    return render(request, "404.html", status=404)


def server_error(request: HttpRequest) -> HttpResponse:
    # No context processors that might touch the database: this page must render
    # when the database is the thing that failed.
    from django.template import loader

    html = loader.get_template("500.html").render({"SITE_NAME": settings.SITE_NAME})
    return HttpResponse(html, status=500)
