"""A readable 503 when the database is unreachable, instead of a 500.

The page is rendered without a request context: no context processors, no session,
no user, no cache (the cache may be the database too), so it shows whatever else is
broken. A reader who was posting a comment gets their text back, escaped, so a
database outage never loses what they typed.
"""

import logging
from collections.abc import Callable

from django.conf import settings
from django.db import InterfaceError, OperationalError
from django.http import HttpRequest, HttpResponse
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
