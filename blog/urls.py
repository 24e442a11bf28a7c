from django.urls import path

from blog import views
from blog.caching import public_page
from blog.feeds import LatestArticlesFeed

app_name = "blog"

urlpatterns = [
    path("", views.ArticleListView.as_view(), name="article_list"),
    path("feed/", public_page(LatestArticlesFeed()), name="article_feed"),
    path("privacy/", views.privacy, name="privacy"),
    path(
        "articles/<slug:slug>/",
        views.ArticleDetailView.as_view(),
        name="article_detail",
    ),
]
