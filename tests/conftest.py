"""Test-only settings tweaks and shared fixtures.

Tests needing a system part that may be missing (Dovecot, chromium, a Compose
binary) call `need()`: it skips with one line saying what to install, except under
CI=true, where a missing part fails the run (CI must run them for real).
"""

import os
import shutil
import socket
import subprocess
import time
import zlib
from dataclasses import dataclass

import pytest
from django.db import connection

pytest_plugins = ["tests.imap_server"]


def need(available: bool, what: str) -> None:
    """Skip (or, under CI=true, fail) when a system part is missing."""
    if available:
        return
    if os.environ.get("CI") == "true":
        pytest.fail(f"missing under CI: {what}", pytrace=False)
    pytest.skip(what)


def pytest_collection_modifyitems(config: pytest.Config, items: list) -> None:
    """Deselect PostgreSQL-only tests when the suite runs on SQLite."""
    from django.conf import settings

    if "postgresql" in settings.DATABASES["default"]["ENGINE"]:
        return
    keep, drop = [], []
    for item in items:
        (drop if item.get_closest_marker("postgres") else keep).append(item)
    if drop:
        config.hook.pytest_deselected(items=drop)
        items[:] = keep


@pytest.fixture(autouse=True)
def _test_settings(settings: object, tmp_path: object) -> None:
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    settings.TASKS = {
        "default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}
    }
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {
            "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"
        },
    }
    settings.COMMENT_RATE_LIMIT = "1000/m"
    # Real hashing costs ~0.5 s a user; tests don't need brute-force resistance.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def _fresh_cache(db: None) -> None:
    """Each test starts with an empty cache (rate limits, notice slots, sections)."""
    from django.core.cache import cache

    cache.clear()


@pytest.fixture
def editor(db: None):
    from tests.factories import make_editor

    return make_editor()


@pytest.fixture
def editor_client(client, editor):
    client.force_login(editor)
    return client


@pytest.fixture
def article(db: None):
    from tests.factories import make_article

    return make_article()


def is_postgres() -> bool:
    return connection.vendor == "postgresql"


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@dataclass
class RedisServer:
    url: str
    process: subprocess.Popen

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.terminate()
            self.process.wait(timeout=10)


@pytest.fixture
def redis_server(tmp_path):
    """A redis-server of this test's own on a free loopback port (stop() ends it)."""
    binary = shutil.which("redis-server")
    need(binary is not None, "redis-server not installed (apt install redis-server)")
    port = _free_port()
    options = ["--bind", "127.0.0.1", "--save", "", "--appendonly", "no"]
    process = subprocess.Popen(
        [binary, "--port", str(port), *options, "--dir", str(tmp_path)],
        stdout=subprocess.DEVNULL,
    )
    server = RedisServer(f"redis://127.0.0.1:{port}/0", process)
    deadline = time.monotonic() + 10
    while True:
        try:
            socket.create_connection(("127.0.0.1", port), timeout=0.2).close()
            break
        except OSError:
            assert time.monotonic() < deadline, "redis-server did not start"
            time.sleep(0.05)
    yield server
    server.stop()


@pytest.fixture
def redis_cache(settings, redis_server):
    """The site's cache on its own real Redis server (as in production); yields a
    function that stops it."""
    settings.CACHES = {
        "default": {
            "BACKEND": "django_redis.cache.RedisCache",  # as settings.py picks it
            "LOCATION": redis_server.url,
            "OPTIONS": {"SOCKET_CONNECT_TIMEOUT": 1, "SOCKET_TIMEOUT": 1},
        }
    }
    return redis_server.stop


def away_from_a_window_edge(seconds: int, counted: str = "203.0.113.7") -> None:
    """The posting counters count in fixed windows (django-ratelimit: each counted
    value's windows start crc32(value) % seconds after the clock's); a test posting
    a handful in a row starts well inside one, so that its posts can't fall into
    two."""
    offset = zlib.crc32(counted.encode()) % seconds
    left = seconds - (time.time() - offset) % seconds
    if left < 5:
        time.sleep(left + 0.1)
