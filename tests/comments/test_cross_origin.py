"""The comment POST refuses other sites by Fetch Metadata (no per-reader token)."""

import pytest
from django.test import Client

from comments.models import Comment

pytestmark = pytest.mark.django_db


def _post(article, headers: dict, body: str = "From wherever I am."):
    # enforce_csrf_checks: what a real browser meets (the test client skips it).
    client = Client(enforce_csrf_checks=True)
    return client.post(
        f"/articles/{article.slug}/comment/", {"body": body}, headers=headers
    )


@pytest.mark.parametrize(
    "headers",
    [
        {"Sec-Fetch-Site": "same-origin", "Origin": "http://testserver"},
        {"Sec-Fetch-Site": "none"},  # typed or bookmarked, says the browser
        {"Origin": "http://testserver"},  # an older browser, same host
        {},  # not a browser at all: screening and the rate limit apply
    ],
    ids=["same-origin", "none", "old-browser-same-host", "no-browser-headers"],
)
def test_post_from_the_sites_own_page_is_accepted(article, headers):
    response = _post(article, headers)

    assert response.status_code == 303
    assert Comment.objects.count() == 1


@pytest.mark.parametrize(
    "headers",
    [
        {"Sec-Fetch-Site": "cross-site", "Origin": "https://evil.example"},
        {"Sec-Fetch-Site": "same-site", "Origin": "http://blog.testserver"},
        {"Origin": "https://evil.example"},  # an older browser, another site
        {"Origin": "null"},  # a sandboxed frame or a data: page
    ],
    ids=["cross-site", "same-site-sibling", "old-browser-other-host", "null-origin"],
)
def test_post_from_another_site_is_refused_with_the_text_back(article, headers):
    response = _post(article, headers, body="Typed <b>elsewhere</b>, kept.")

    assert response.status_code == 403
    assert "another site" in response.text
    assert "Typed &lt;b&gt;elsewhere&lt;/b&gt;, kept.</textarea>" in response.text
    assert Comment.objects.count() == 0


def test_trusted_origin_may_post_across_sites(article, settings):
    settings.CSRF_TRUSTED_ORIGINS = ["https://www.example.org"]

    response = _post(
        article,
        {"Sec-Fetch-Site": "cross-site", "Origin": "https://www.example.org"},
    )

    assert response.status_code == 303
    assert Comment.objects.count() == 1
