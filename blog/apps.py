from django.apps import AppConfig


class BlogConfig(AppConfig):
    name = "blog"
    verbose_name = "Blog"

    def ready(self) -> None:
        from django.db.models.signals import post_delete, post_save

        from blog.freshness import articles_changed

        # The site's own deploy checks live with the settings they check.
        from config import checks  # noqa: F401

        # Cached pages' workers keep article rows until one changes (freshness.py).
        for signal in (post_save, post_delete):
            signal.connect(
                lambda **kwargs: articles_changed(),
                sender="blog.Article",
                weak=False,
                dispatch_uid=f"blog.articles_changed.{signal is post_save}",
            )
