"""The form's preview: the comment as it will appear, through the page's own
rendering, with nothing stored; refused cross-site and rate-limited like the form."""

import pytest
from django.test import Client

from comments.models import Comment, CommentStatus
from moderation import transitions as t
from tests.factories import make_article
from tests.security.inert import assert_inert
from tests.security.xss_payloads import PAYLOADS

pytestmark = pytest.mark.django_db
CODE = (
    "Pin it:\n\n```python\nimport hashlib\n\nif digest != 'x':\n"
    "    raise SystemExit(1)  # <b>not bold</b>\n```\n\n"
    "Then `sha256sum -c` and    four-space text:\n\n    indented <code>\n"
)


def _preview(client, article, body: str, **headers):
    return client.post(
        f"/articles/{article.slug}/comment/preview/",
        {"name": "Ada", "body": body, "email": "not even an address"},
        headers={"Sec-Fetch-Site": "same-origin", **headers},
    )


def _published_html(client, article, body: str) -> str | None:
    """What the page shows once the comment is sent and published; None when the
    form refuses it."""
    posted = client.post(
        f"/articles/{article.slug}/comment/", {"name": "Ada", "body": body}
    )
    if posted.status_code == 200 and "Already received" in posted.text:
        return (
            ""  # a repeat of an earlier payload: shown (and compared) when that one was
        )
    if posted.status_code != 303:
        return None
    comment = Comment.objects.latest("pk")
    return t.publish_comment(comment=comment, editor=None).body_html


def test_preview_is_the_published_html_for_code_and_every_payload(settings):
    settings.COMMENT_RATE_LIMIT = settings.COMMENT_PREVIEW_RATE_LIMIT = "0"
    article = make_article(slug="preview")
    client = Client()

    for text in [CODE, *PAYLOADS]:
        preview = _preview(client, article, text)
        published = _published_html(client, article, text)

        if published is None:  # refused by the form: the preview says why
            assert preview.status_code == 400, text
            continue
        if not published:
            continue
        assert preview.status_code == 200, text
        assert f"Ada:</strong> {published}</div>" in preview.text, text
        assert_inert(preview.text)
    assert Comment.objects.filter(status=CommentStatus.PUBLISHED).count() > 30


def test_preview_stores_nothing_and_is_kept_by_no_cache(client, article):
    response = _preview(client, article, "Just looking.")

    assert response.status_code == 200
    assert "Ada:</strong> <p>Just looking.</p>" in response.text
    assert "no-store" in response["Cache-Control"]
    assert not Comment.objects.exists()


def test_preview_says_what_the_form_would_refuse(client, article):
    response = _preview(client, article, "x" * 10_001)

    assert response.status_code == 400
    assert "Please shorten it by 1." in response.text


def test_preview_from_another_site_is_refused(client, article):
    response = _preview(client, article, "Hi.", **{"Sec-Fetch-Site": "cross-site"})

    assert response.status_code == 403


def test_preview_is_rate_limited(client, article, settings):
    settings.COMMENT_PREVIEW_RATE_LIMIT = "2/m"

    codes = [_preview(client, article, "Again.").status_code for _ in range(3)]

    assert codes == [200, 200, 429]
