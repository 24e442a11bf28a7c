"""The editors' pages outside the admin: the notice email's confirmation links.

(The review screen and the picks order live in the admin: moderation/admin.py.)
"""

from django.urls import path

from moderation import views

app_name = "moderation"

urlpatterns = [
    path("link/<str:token>/", views.link_confirm, name="link"),
]
