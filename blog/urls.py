from django.urls import path
from django.views.decorators.http import condition

from blog import views
from blog.feeds import LatestArticlesFeed, articles_feed_etag

app_name = "blog"

urlpatterns = [
    path("", views.ArticleListView.as_view(), name="article_list"),
    path(
        "feed/",
        condition(etag_func=articles_feed_etag)(LatestArticlesFeed()),
        name="article_feed",
    ),
    path("privacy/", views.privacy, name="privacy"),
    path(
        "articles/<slug:slug>/",
        views.ArticleDetailView.as_view(),
        name="article_detail",
    ),
]
