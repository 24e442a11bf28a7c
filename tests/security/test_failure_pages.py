"""Readable answers when things go wrong: database outage, CSRF, malformed input."""

import pytest
from django.db.backends.utils import CursorWrapper
from django.db.utils import OperationalError
from django.test import Client


@pytest.fixture
def database_down(monkeypatch):
    def refuse(*args, **kwargs):
        raise OperationalError("connection refused")

    monkeypatch.setattr(CursorWrapper, "execute", refuse)
    monkeypatch.setattr(CursorWrapper, "executemany", refuse)


@pytest.mark.django_db
def test_posting_during_a_database_outage_answers_503_with_the_text_back(
    client, article, database_down
):
    response = client.post(
        f"/articles/{article.slug}/comment/",
        {"name": "Ada", "body": "My <b>careful</b> thoughts"},
    )

    assert response.status_code == 503
    assert response.headers["Retry-After"] == "120"
    assert "Back in a moment" in response.text
    assert "My &lt;b&gt;careful&lt;/b&gt; thoughts</textarea>" in response.text
    assert "sessionid" not in response.cookies


@pytest.mark.django_db
def test_reading_an_article_during_a_database_outage_answers_503(
    client, article, database_down
):
    response = client.get(article.get_absolute_url())

    assert response.status_code == 503
    assert "try again in a couple of minutes" in response.text


@pytest.mark.django_db
def test_editor_form_without_csrf_token_is_refused_with_a_readable_page():
    client = Client(enforce_csrf_checks=True)

    response = client.post("/admin/login/", {"username": "ed", "password": "x"})

    assert response.status_code == 403
    assert "Your form could not be sent" in response.text
    assert "reload the page" in response.text
