"""The cache is an accelerator: with Redis gone, pages, posts and /healthz still
answer sensibly (a real Redis server, stopped mid-test)."""

import shutil
import socket
import subprocess
import time

import pytest

from comments.models import Comment
from tests.conftest import need
from tests.factories import make_comment

pytestmark = pytest.mark.django_db


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture
def redis_cache(settings, tmp_path):
    """The site on its own real Redis; yields a function that stops it."""
    binary = shutil.which("redis-server")
    need(binary is not None, "redis-server not installed (apt install redis-server)")
    port = _free_port()
    options = ["--bind", "127.0.0.1", "--save", "", "--appendonly", "no"]
    server = subprocess.Popen(
        [binary, "--port", str(port), *options, "--dir", str(tmp_path)],
        stdout=subprocess.DEVNULL,
    )
    deadline = time.monotonic() + 10
    while True:
        try:
            socket.create_connection(("127.0.0.1", port), timeout=0.2).close()
            break
        except OSError:
            assert time.monotonic() < deadline, "redis-server did not start"
            time.sleep(0.05)
    settings.CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": f"redis://127.0.0.1:{port}/0",
        }
    }

    def stop() -> None:
        server.terminate()
        server.wait(timeout=10)

    yield stop
    if server.poll() is None:
        stop()


def test_article_page_renders_from_the_database_without_the_cache(
    client, article, redis_cache
):
    make_comment(article=article, status="published", body="Still readable.")
    assert "Still readable." in client.get(article.get_absolute_url()).text

    redis_cache()
    response = client.get(article.get_absolute_url())

    assert response.status_code == 200
    assert "Still readable." in response.text


def test_comment_posted_without_the_cache_is_stored(client, article, redis_cache):
    redis_cache()

    response = client.post(
        f"/articles/{article.slug}/comment/", {"body": "Typed during an outage."}
    )

    assert response.status_code == 303
    assert Comment.objects.get().body == "Typed during an outage."
    assert "Typed during an outage." in client.get(response["Location"]).text


def test_healthz_names_the_cache_when_it_is_down(client, redis_cache):
    assert client.get("/healthz").status_code == 200

    redis_cache()
    response = client.get("/healthz")

    assert response.status_code == 503
    assert response.text == "cache unavailable\n"
