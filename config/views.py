"""Project-wide error views that are not tied to one app."""

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render


def csrf_failure(request: HttpRequest, reason: str = "") -> HttpResponse:
    """A readable 403 for a form sent without a valid CSRF token (CSRF_FAILURE_VIEW).

    The usual causes for a real reader are a page left open for a long time or
    cookies blocked; we say so, and hand back the comment text so nothing is lost.
    """
    typed = request.POST.get("body", "") if request.method == "POST" else ""
    return render(request, "403_csrf.html", {"typed": typed}, status=403)
