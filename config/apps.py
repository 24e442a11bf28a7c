from django.apps import AppConfig


class SiteConfig(AppConfig):
    """The project itself, as an app: what belongs to the whole site."""

    name = "config"
    label = "site"
    verbose_name = "Site"

    def ready(self) -> None:
        from config import checks  # noqa: F401  (registers the deploy checks)
