"""Site middleware: a readable 503 on a database outage; the CSP header, cheaper.

A readable 503 when the database is unreachable, instead of a 500.

The page is rendered without a request context: no context processors, no session,
no user, no cache (the cache may be the database too), so it shows whatever else is
broken. A reader who was posting a comment gets their text back, escaped, so a
database outage never loses what they typed.
"""

import functools
import logging
from collections.abc import Callable

from csp.constants import HEADER, HEADER_REPORT_ONLY
from csp.middleware import CheckableLazyObject, CSPMiddleware
from csp.utils import build_policy
from django.conf import settings
from django.core.signals import setting_changed
from django.db import InterfaceError, OperationalError
from django.dispatch import receiver
from django.http import HttpRequest, HttpResponse, HttpResponseBase
from django.template import loader

RETRY_AFTER_SECONDS = 120
logger = logging.getLogger("sourcehat.web")


def database_unavailable_response(request: HttpRequest) -> HttpResponse:
    """The 503 page; touches neither the database nor the session."""
    typed = request.POST.get("body", "") if request.method == "POST" else ""
    html = loader.get_template("503.html").render(
        {"SITE_NAME": settings.SITE_NAME, "typed": typed}
    )
    response = HttpResponse(html, status=503)
    response["Retry-After"] = str(RETRY_AFTER_SECONDS)
    response["Cache-Control"] = "no-store"
    return response


class DatabaseUnavailableMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_exception(
        self, request: HttpRequest, exception: Exception
    ) -> HttpResponse | None:
        # OperationalError: the server is down, refused, timed out, or (SQLite)
        # locked; InterfaceError: the connection was closed under us. Anything
        # else is a bug and stays a 500 with a traceback in the log.
        if isinstance(exception, OperationalError | InterfaceError):
            logger.error(
                "database unavailable path=%s error=%s",
                request.path,
                type(exception).__name__,
            )
            return database_unavailable_response(request)
        return None


# What django-csp's decorators leave on a response to change its policy.
_PER_RESPONSE_POLICY = (
    "_csp_config",
    "_csp_update",
    "_csp_replace",
    "_csp_config_ro",
    "_csp_update_ro",
    "_csp_replace_ro",
)
_SETTINGS = {
    HEADER: ("CONTENT_SECURITY_POLICY", "_csp_exempt"),
    HEADER_REPORT_ONLY: ("CONTENT_SECURITY_POLICY_REPORT_ONLY", "_csp_exempt_ro"),
}


@functools.cache
def _site_policy(header: str) -> str:
    return build_policy(report_only=header == HEADER_REPORT_ONLY)


@receiver(setting_changed)
def _forget_site_policy(*, setting: str, **kwargs: object) -> None:
    if setting.startswith("CONTENT_SECURITY_POLICY"):
        _site_policy.cache_clear()


class SitePolicyCSPMiddleware(CSPMiddleware):
    """django-csp's middleware, with the site's one policy built once.

    django-csp 4 builds the header from settings on every response, twice (the
    policy and the report-only one): a tenth of a cached article page's time.
    Our policy uses no nonce, so a response that no decorator changed gets the
    same string every time; anything else goes through django-csp unchanged.
    """

    def process_response(
        self, request: HttpRequest, response: HttpResponseBase
    ) -> HttpResponseBase:
        debug_page = settings.DEBUG and response.status_code in (404, 500)
        if (
            debug_page
            or getattr(request, "_csp_nonce", None) is not None
            or any(hasattr(response, name) for name in _PER_RESPONSE_POLICY)
        ):
            return super().process_response(request, response)
        for header, (setting, exempt) in _SETTINGS.items():
            policy = _site_policy(header)
            excluded = (getattr(settings, setting, None) or {}).get(
                "EXCLUDE_URL_PREFIXES"
            ) or ()
            if (
                policy
                and header not in response
                and not getattr(response, exempt, False)
                and not request.path_info.startswith(tuple(excluded))
            ):
                response[header] = policy
        # As django-csp does: a nonce asked for after this point is an error.
        request.csp_nonce = CheckableLazyObject(self._csp_nonce_post_response)
        return response
