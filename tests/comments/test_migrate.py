"""`manage.py migrate` alone leaves a working site: the default cache's table too."""

import os
import subprocess
import sys

from tests.comments.test_ingest_email import ROOT


def manage(
    *args: str, database: str, cache_url: str = ""
) -> subprocess.CompletedProcess:
    env = {**os.environ, "DATABASE_URL": database, "LOG_LEVEL": "WARNING"}
    env["CACHE_URL"] = cache_url  # empty: the default, Django's database cache
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        capture_output=True,
        cwd=ROOT,
        env=env,
        timeout=120,
        text=True,
    )


def test_migrate_alone_makes_the_database_cache_usable(tmp_path):
    database = f"sqlite:///{tmp_path / 'fresh.sqlite3'}"

    migrated = manage("migrate", "--noinput", database=database)
    assert migrated.returncode == 0, migrated.stderr

    # What broke before: saving an article touches the cache (no such table).
    used = manage(
        "shell",
        "-c",
        "from django.core.cache import cache; from tests.factories import "
        "make_article; make_article(slug='first'); cache.set('k', 'v'); "
        "print(cache.get('k'))",
        database=database,
    )
    assert used.returncode == 0, used.stderr
    assert used.stdout.strip().splitlines()[-1] == "v"

    again = manage("migrate", "--noinput", database=database)  # idempotent
    assert again.returncode == 0, again.stderr


def test_database_migrated_under_redis_works_with_the_default_cache(
    tmp_path, redis_server
):
    database = f"sqlite:///{tmp_path / 'fresh.sqlite3'}"
    migrated = manage(
        "migrate", "--noinput", database=database, cache_url=redis_server.url
    )
    assert migrated.returncode == 0, migrated.stderr

    # Then run without CACHE_URL (issue 22: every message was stored "failed").
    used = manage(
        "shell",
        "-c",
        "from django.core.cache import cache; cache.set('k', 'v'); "
        "print(cache.get('k'))",
        database=database,
    )
    assert used.returncode == 0, used.stderr
    assert used.stdout.strip().splitlines()[-1] == "v"
