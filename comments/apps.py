from django.apps import AppConfig


class CommentsConfig(AppConfig):
    name = "comments"
    verbose_name = "Comments"

    def ready(self) -> None:
        from django.db.models.signals import post_delete, post_save

        from comments.models import SpamTerm
        from comments.screening import forget_spam_terms

        # The spam rules keep the editors' term lists in the cache between changes.
        post_save.connect(forget_spam_terms, sender=SpamTerm)
        post_delete.connect(forget_spam_terms, sender=SpamTerm)
