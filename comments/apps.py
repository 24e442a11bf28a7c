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

        from django.db.models.signals import post_delete, post_save

        from comments.models import SpamTerm
        from comments.screening import forget_spam_terms

        # The spam rules keep the editors' term lists in the cache between changes.
        post_save.connect(forget_spam_terms, sender=SpamTerm)
        post_delete.connect(forget_spam_terms, sender=SpamTerm)
