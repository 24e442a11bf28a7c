from django.urls import path  # noqa: F401 - the editors' pages outside the admin

app_name = "moderation"

urlpatterns: list = []
