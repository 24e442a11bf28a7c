"""Root URLs: the blog, its comments, the editors' admin, health and robots."""

from django.conf import settings
from django.contrib import admin
from django.contrib.sitemaps.views import sitemap
from django.urls import include, path

from blog.caching import public_page
from blog.sitemaps import ArticleSitemap
from config.views import healthz, robots_txt

admin.site.site_header = f"{settings.SITE_NAME}: editors"
admin.site.site_title = settings.SITE_NAME
admin.site.index_title = "The editors' desk"

urlpatterns = [
    path("admin/", admin.site.urls),
    path("healthz", healthz, name="healthz"),
    path("robots.txt", robots_txt, name="robots_txt"),
    path(
        "sitemap.xml",
        public_page(sitemap),
        {"sitemaps": {"articles": ArticleSitemap}},
        name="sitemap",
    ),
    path("moderation/", include("moderation.urls")),
    path("", include("comments.urls")),
    path("", include("blog.urls")),
]

handler404 = "config.views.page_not_found"
handler500 = "config.views.server_error"
