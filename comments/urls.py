from django.urls import path
from django.views.decorators.http import condition

from blog.feeds import comments_feed_etag
from comments import views
from comments.feeds import ArticleCommentsFeed

app_name = "comments"

urlpatterns = [
    path("articles/<slug:slug>/comment/", views.post_comment, name="post"),
    path(
        "articles/<slug:slug>/comments/feed/",
        condition(etag_func=comments_feed_etag)(ArticleCommentsFeed()),
        name="feed",
    ),
    path("comments/<int:pk>/", views.permalink, name="permalink"),
]
