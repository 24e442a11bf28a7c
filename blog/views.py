"""The blog's public pages: the index, an article, the privacy page."""

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.decorators import method_decorator
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
