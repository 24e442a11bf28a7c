from django.apps import AppConfig


class CommentsConfig(AppConfig):
    name = "comments"
    verbose_name = "Comments"

    def ready(self) -> None:
        # The article page is cached whole for anonymous readers; the form's signed
        # timestamp must still be made per request, or the "sent too fast" rule
        # would measure from when the page was cached (blog/pagecache.py).
        from blog.pagecache import per_request_field
        from comments.forms import signed_timestamp

        per_request_field("ts", lambda request: signed_timestamp())
