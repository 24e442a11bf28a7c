"""System checks of our own (deploy ones run by `manage.py check --deploy`)."""

from django.conf import settings
from django.core.checks import Error, Tags, Warning, register

LOOPBACK_HOSTS = {"localhost", "127.0.0.1", "[::1]", "::1"}


@register(Tags.security, deploy=True)
def plain_http_only_on_loopback(app_configs: object, **kwargs: object) -> list:
    """ALLOW_PLAIN_HTTP silences the HTTPS checks; say so if the site is public.

    The opt-out exists for production settings behind plain http on loopback (the
    benchmark). Set with a public host name, it would hide a real problem.
    """
    if settings.DEBUG or not settings.ALLOW_PLAIN_HTTP:
        return []
    public = [h for h in settings.ALLOWED_HOSTS if h not in LOOPBACK_HOSTS]
    if not public:
        return []
    return [
        Warning(
            "ALLOW_PLAIN_HTTP is set while ALLOWED_HOSTS names public hosts "
            f"({', '.join(public)}): cookies and logins would travel unencrypted.",
            hint="Unset ALLOW_PLAIN_HTTP, or restrict ALLOWED_HOSTS to loopback.",
            id="sourcehat.W001",
        )
    ]


@register(Tags.database)
def database_url_usable(app_configs: object, **kwargs: object) -> list:
    """DATABASE_URL that could not be used (config/settings.py), in one line."""
    if not settings.DATABASE_URL_ERROR:
        return []
    return [
        Error(
            f"DATABASE_URL can't be used ({settings.DATABASE_URL_ERROR}).",
            hint="postgres://user:password@host:5432/name or sqlite:///path",
            id="sourcehat.E001",
        )
    ]
