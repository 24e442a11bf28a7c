from django.apps import AppConfig


class BlogConfig(AppConfig):
    name = "blog"
    verbose_name = "Blog"

    def ready(self) -> None:
        # The site's own deploy checks live with the settings they check.
        from config import checks  # noqa: F401
