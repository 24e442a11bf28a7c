from django.urls import path

from comments import views
from comments.feeds import ArticleCommentsFeed

app_name = "comments"

urlpatterns = [
    path("articles/<slug:slug>/comment/", views.post_comment, name="post"),
    path("articles/<slug:slug>/comments/feed/", ArticleCommentsFeed(), name="feed"),
    path("comments/<int:pk>/", views.permalink, name="permalink"),
]
