from django.urls import path

from blog.caching import public_page
from comments import views
from comments.feeds import ArticleCommentsFeed

app_name = "comments"

urlpatterns = [
    path("articles/<slug:slug>/comment/", views.post_comment, name="post"),
    path(
        "articles/<slug:slug>/comment/preview/",
        views.preview_comment,
        name="preview",
    ),
    path(
        "articles/<slug:slug>/comments/feed/",
        public_page(ArticleCommentsFeed()),
        name="feed",
    ),
    path("comments/sent/<str:token>/", views.receipt, name="receipt"),
    path(
        "comments/sent/<str:token>/change/",
        views.change_own_comment,
        name="change_own",
    ),
    path("comments/<int:pk>/", views.permalink, name="permalink"),
    path("mail/confirm/<str:token>/", views.confirm_address, name="confirm"),
    path("mail/stop/<str:token>/", views.stop_mail, name="stop"),
]
