from django.apps import AppConfig


class CommentsConfig(AppConfig):
    name = "comments"
    verbose_name = "Comments"

    def ready(self) -> None:
        from django.db.models.signals import post_delete, post_migrate, post_save

        from comments.mail import handoff
        from comments.models import SpamTerm
        from comments.screening import forget_spam_terms
        from comments.writers import on_bounce

        # The spam rules keep the editors' term lists in the cache between changes.
        post_save.connect(forget_spam_terms, sender=SpamTerm)
        post_delete.connect(forget_spam_terms, sender=SpamTerm)

        # `migrate` alone leaves a working site: the default cache is Django's
        # database cache, whose table no migration makes. Made whatever CACHE_URL
        # says, so a database migrated while Redis was configured still works
        # when the pipe or the site later runs without it (issue 22).
        post_migrate.connect(create_cache_tables, sender=self)

        # A bounce for an address we wrote to puts it on the suppression list,
        # which comments keeps (comments/writers.py says why it lives here).
        handoff.register(handoff.BOUNCE, on_bounce)


def create_cache_tables(using: str = "default", **kwargs: object) -> None:
    """post_migrate: make the database caches' tables that are missing (what
    `manage.py createcachetable` does; it skips tables that exist), the default
    cache's (settings.CACHE_TABLE) always."""
    from django.conf import settings
    from django.core.management import call_command
    from django.core.management.commands.createcachetable import Command

    call_command("createcachetable", database=using, verbosity=0)
    command = Command()
    command.verbosity = 0
    command.create_table(using, settings.CACHE_TABLE, dry_run=False)
