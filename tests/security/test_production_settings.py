"""Production settings: check --deploy, security headers, cookies, the opt-out."""

import json
import os
import secrets
import subprocess
import sys
from pathlib import Path

import pytest
from django.db import connection

from tests.factories import make_article

ROOT = Path(__file__).resolve().parents[2]


# Set by the test run, never in production (the e2e tests set
# DJANGO_ALLOW_ASYNC_UNSAFE while they run).
NOT_PRODUCTION = {
    "ALLOW_PLAIN_HTTP",
    "ALLOWED_HOSTS",
    "DEBUG",
    "DJANGO_ALLOW_ASYNC_UNSAFE",
    "SECRET_KEY",
}


def production_env(**extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k not in NOT_PRODUCTION}
    env.update(
        DEBUG="0",
        SECRET_KEY=secrets.token_urlsafe(60),
        ALLOWED_HOSTS="example.org",
        PYTHONPATH=str(ROOT),
    )
    env.update(extra)
    return env


def check_deploy(**extra: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=ROOT,
        env=production_env(**extra),
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_check_deploy_with_debug_off_reports_no_issue():
    result = check_deploy()

    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues (0 silenced)" in result.stdout


def test_plain_http_opt_out_on_loopback_silences_only_the_https_checks():
    result = check_deploy(ALLOW_PLAIN_HTTP="1", ALLOWED_HOSTS="127.0.0.1,localhost")

    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues (4 silenced)" in result.stdout


def test_plain_http_opt_out_with_a_public_host_is_reported():
    result = check_deploy(ALLOW_PLAIN_HTTP="1", ALLOWED_HOSTS="example.org")

    assert result.returncode != 0
    assert "sourcehat.W001" in result.stderr + result.stdout


def test_plain_http_opt_out_does_not_hide_other_deploy_problems():
    result = check_deploy(
        ALLOW_PLAIN_HTTP="1", ALLOWED_HOSTS="127.0.0.1", SECRET_KEY="short"
    )

    assert result.returncode != 0
    assert "security.W009" in result.stderr + result.stdout  # weak SECRET_KEY


@pytest.mark.parametrize("missing", ["SECRET_KEY", "ALLOWED_HOSTS"])
def test_missing_required_variable_with_debug_off_stops_with_one_line(missing):
    env = production_env()
    del env[missing]

    result = subprocess.run(
        [sys.executable, "manage.py", "check"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )

    assert result.returncode != 0
    assert result.stderr.strip().splitlines()[-1] == (
        f"ImproperlyConfigured: set {missing} (required when DEBUG is off)."
    )
    assert "Traceback" not in result.stderr


# The child process serves two pages with the real production settings (DEBUG off)
# from this test's database, and reports the headers and cookies it sent.
CHILD = """
import json, sys, django
django.setup()
from django.test import Client, override_settings
# No collectstatic in a test run: the manifest storage would have nothing to map.
plain = {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}
with override_settings(STORAGES={"staticfiles": plain, "default": {
        "BACKEND": "django.core.files.storage.FileSystemStorage"}}):
    client = Client(HTTP_HOST="example.org")
    out = {}
    for name, path in (("article", sys.argv[1]), ("admin", "/admin/login/"),
                       ("insecure", sys.argv[1])):
        r = client.get(path, secure=name != "insecure")
        out[name] = {
            "status": r.status_code,
            "headers": dict(r.headers),
            "cookies": {
                k: {"secure": bool(m["secure"]), "httponly": bool(m["httponly"]),
                    "samesite": m["samesite"]}
                for k, m in r.cookies.items()
            },
        }
print(json.dumps(out))
"""


def database_url() -> str:
    s = connection.settings_dict
    if connection.vendor == "sqlite":
        return f"sqlite:///{s['NAME']}"
    auth = s["USER"] + (f":{s['PASSWORD']}" if s["PASSWORD"] else "")
    return f"postgres://{auth}@{s['HOST']}:{s['PORT']}/{s['NAME']}"


@pytest.fixture
def production_pages(transactional_db):
    article = make_article(title="Headers")
    result = subprocess.run(
        [sys.executable, "-c", CHILD, article.get_absolute_url()],
        cwd=ROOT,
        env=production_env(DATABASE_URL=database_url()),
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout.strip().splitlines()[-1])


@pytest.mark.parametrize("page", ["article", "admin"])
def test_production_pages_send_the_security_headers(production_pages, page):
    response = production_pages[page]
    headers = response["headers"]

    assert response["status"] == 200
    assert "max-age=31536000" in headers["Strict-Transport-Security"]
    assert "includeSubDomains" in headers["Strict-Transport-Security"]
    assert headers["X-Content-Type-Options"] == "nosniff"
    assert headers["X-Frame-Options"] == "DENY"
    assert headers["Referrer-Policy"] == "strict-origin-when-cross-origin"
    csp = headers["Content-Security-Policy"]
    assert "script-src 'self'" in csp and "unsafe-inline" not in csp
    assert "frame-ancestors 'none'" in csp and "object-src 'none'" in csp


def test_production_admin_cookies_are_secure_httponly_and_samesite(
    production_pages,
):
    cookies = production_pages["admin"]["cookies"]

    assert "csrftoken" in cookies
    for cookie in cookies.values():
        assert cookie == {"secure": True, "httponly": True, "samesite": "Lax"}


def test_production_redirects_plain_http_to_https(production_pages):
    response = production_pages["insecure"]

    assert response["status"] == 301
    assert response["headers"]["Location"].startswith("https://example.org/")


@pytest.mark.django_db
@pytest.mark.parametrize("path", ["article", "/admin/login/"])
def test_pages_forbid_inline_script_and_framing(client, article, path):
    url = article.get_absolute_url() if path == "article" else path

    response = client.get(url)

    csp = response.headers["Content-Security-Policy"]
    directives = dict(d.strip().split(" ", 1) for d in csp.split(";"))
    assert directives["script-src"] == "'self'"
    assert directives["default-src"] == "'self'"
    assert directives["frame-ancestors"] == "'none'"
    assert response.headers["X-Frame-Options"] == "DENY"
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.headers["Referrer-Policy"] == "strict-origin-when-cross-origin"


def database_options(
    url: str = "postgres://blog@db.example.org:5432/blog", **extra: str
) -> dict:
    code = (
        "import json; from django.conf import settings; "
        "print(json.dumps(settings.DATABASES['default']['OPTIONS']))"
    )
    result = subprocess.run(
        [sys.executable, "-c", f"import django; django.setup(); {code}"],
        cwd=ROOT,
        env=production_env(
            DJANGO_SETTINGS_MODULE="config.settings",
            DATABASE_URL=url,
            **extra,
        ),
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)


def test_postgresql_prepares_statements_but_plans_each_call():
    options = database_options()

    assert options["server_side_binding"] is True
    assert options["prepare_threshold"] == 5
    assert options["options"] == "-c plan_cache_mode=force_custom_plan -c jit=off"


def test_options_given_in_the_database_url_are_kept():
    options = database_options(
        "postgres://blog@db.example.org:5432/blog?options=-c%20statement_timeout%3D5000"
    )

    assert options["options"] == (
        "-c statement_timeout=5000 -c plan_cache_mode=force_custom_plan -c jit=off"
    )


def test_behind_pgbouncer_nothing_is_prepared_and_no_startup_option_is_sent():
    # Transaction pooling can't keep prepared statements, and PgBouncer refuses
    # an "options" startup parameter it was not told to ignore.
    options = database_options(DATABASE_SERVER_SIDE_BINDING="0")

    assert options["server_side_binding"] is False
    assert options["prepare_threshold"] is None
    assert "options" not in options


@pytest.mark.postgres
@pytest.mark.django_db
def test_the_sites_postgresql_sessions_plan_each_call_and_compile_nothing():
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("SHOW jit")
        jit = cursor.fetchone()[0]
        cursor.execute("SHOW plan_cache_mode")
        plans = cursor.fetchone()[0]

    assert (jit, plans) == ("off", "force_custom_plan")
