"""The CSP middleware builds the site's policy once, and still honours decorators."""

from csp.constants import NONCE
from csp.decorators import csp_exempt, csp_update
from django.http import HttpResponse

from config.middleware import SitePolicyCSPMiddleware


def _answer(view):
    return lambda request: SitePolicyCSPMiddleware(view)(request)


def test_plain_response_gets_the_site_policy(rf):
    response = _answer(lambda request: HttpResponse("hi"))(rf.get("/"))

    policy = response.headers["Content-Security-Policy"]
    assert "script-src 'self'" in policy and "object-src 'none'" in policy


def test_decorated_view_gets_its_own_policy(rf):
    view = csp_update({"img-src": ["https://images.example"]})(
        lambda request: HttpResponse("hi")
    )

    response = _answer(view)(rf.get("/"))

    assert "https://images.example" in response.headers["Content-Security-Policy"]


def test_exempt_view_gets_no_policy(rf):
    view = csp_exempt()(lambda request: HttpResponse("hi"))

    response = _answer(view)(rf.get("/"))

    assert "Content-Security-Policy" not in response.headers


def test_changed_setting_changes_the_policy(rf, settings):
    _answer(lambda request: HttpResponse("hi"))(rf.get("/"))  # built and kept
    settings.CONTENT_SECURITY_POLICY = {
        "DIRECTIVES": {"default-src": ["'none'"], "img-src": ["https://cdn.example"]}
    }

    response = _answer(lambda request: HttpResponse("hi"))(rf.get("/"))

    assert "https://cdn.example" in response.headers["Content-Security-Policy"]


def test_nonce_used_by_a_page_goes_into_its_policy(rf, settings):
    settings.CONTENT_SECURITY_POLICY = {
        "DIRECTIVES": {"default-src": ["'self'"], "script-src": ["'self'", NONCE]}
    }

    def view(request):
        return HttpResponse(f'<script nonce="{request.csp_nonce}"></script>')

    request = rf.get("/")
    response = _answer(view)(request)

    policy = response.headers["Content-Security-Policy"]
    assert f"'nonce-{request._csp_nonce}'" in policy
