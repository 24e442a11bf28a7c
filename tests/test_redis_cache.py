"""The Redis cache backend (config/cache.py) against a real Redis server."""

import os
import socket
import subprocess
import sys

import pytest

from config.cache import RedisCache
from tests.conftest import need

REDIS_URL = "redis://127.0.0.1:6379/15"


def _redis_running() -> bool:
    try:
        socket.create_connection(("127.0.0.1", 6379), timeout=0.5).close()
    except OSError:
        return False
    return True


@pytest.fixture
def redis_cache():
    need(_redis_running(), "Redis not running on 127.0.0.1:6379 (apt install redis)")
    cache = RedisCache(REDIS_URL, {"KEY_PREFIX": "test-redis-cache"})
    cache.clear()
    yield cache
    cache.clear()


def test_a_redis_cache_url_gets_the_client_reusing_backend():
    code = (
        "import django; django.setup(); from django.conf import settings; "
        "print(settings.CACHES['default']['BACKEND'])"
    )
    env = {
        **os.environ,
        "CACHE_URL": "redis://127.0.0.1:6379/1",
        "DJANGO_SETTINGS_MODULE": "config.settings",
    }

    out = subprocess.run(
        [sys.executable, "-c", code], env=env, capture_output=True, text=True
    )

    assert out.stdout.strip() == "config.cache.RedisCache", out.stderr


def test_redis_cache_does_what_the_app_asks_of_it(redis_cache):
    assert redis_cache.add("slot", 1, timeout=60) is True
    assert redis_cache.add("slot", 2, timeout=60) is False  # the notice slot
    assert redis_cache.incr("slot") == 2  # the rate limit's counter
    redis_cache.set("page", "<html>" * 1000, timeout=60)
    assert redis_cache.get("page") == "<html>" * 1000
    redis_cache.delete("page")
    assert redis_cache.get("page") is None


def test_redis_cache_keeps_one_client_per_server(redis_cache):
    first = redis_cache._cache.get_client(write=True)
    redis_cache.set("a", 1)
    redis_cache.get("a")

    assert redis_cache._cache.get_client(write=True) is first
