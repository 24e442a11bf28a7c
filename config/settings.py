"""Settings for The Source Hat: one file, driven by the environment (django-environ).

Every variable is documented in `.env.example`. With nothing set, a first local run
works on SQLite under var/ with DEBUG on; with DEBUG off, start-up refuses to go on
without SECRET_KEY and ALLOWED_HOSTS.
"""

import os
import warnings
from datetime import timedelta
from importlib import import_module
from pathlib import Path
from urllib.parse import urlsplit

import environ

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = BASE_DIR / "var"

env = environ.Env()
if (BASE_DIR / ".env").is_file():
    env.read_env(BASE_DIR / ".env")
# An empty value means the default: `.env.example` copied unchanged leaves several
# blank (DATABASE_URL=, CACHE_URL=, EMAIL_URL=, TASKS_BACKEND=), and so does
# compose's `${NAME:-}`. Unset them, so each setting below falls back to its own.
for _name in [name for name, value in os.environ.items() if not value.strip()]:
    del os.environ[_name]


# --- Core -------------------------------------------------------------------------
DEBUG = env.bool("DEBUG", default=True)
if not DEBUG:
    for _name in ("SECRET_KEY", "ALLOWED_HOSTS"):
        if not env.str(_name, default="").strip():
            # One line naming the variable, not a traceback (issue 2).
            raise SystemExit(
                f"ImproperlyConfigured: set {_name} (required when DEBUG is off)."
            )
ALLOWED_HOSTS = env.list(
    "ALLOWED_HOSTS", default=["localhost", "127.0.0.1", "[::1]", "testserver"]
)
CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[])
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
ROOT_URLCONF = "config.urls"
SECRET_KEY = env.str(
    "SECRET_KEY", default="dev-only-insecure-key-never-use-in-production"
)
WSGI_APPLICATION = "config.wsgi.application"

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.sitemaps",
    "django_tasks",
    "django_tasks_db",
    "axes",
    "config.apps.SiteConfig",
    "blog",
    "comments",
    "moderation",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "csp.middleware.CSPMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # ETag from the page's bytes, and 304 to a request that already has them:
    # before anything that could still change the response.
    "django.middleware.http.ConditionalGetMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    # Near the end: process_exception hooks run bottom-up, so a view's database
    # error reaches this one first (axes has none) and becomes the readable 503.
    "config.middleware.DatabaseUnavailableMiddleware",
    # After auth: it turns a locked-out login into the lockout page.
    "axes.middleware.AxesMiddleware",
]

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "blog.context_processors.site",
            ],
        },
    },
]

# --- Database and cache -----------------------------------------------------------
# An unusable DATABASE_URL (garbage, an unknown scheme, a driver not installed)
# is reported where it is met, in one line, not as a traceback while Django
# starts: the system checks stop every command that runs them (sourcehat.E001,
# config/checks.py), and the mail pipe defers the message (ingest_email exits
# 75, so the mail server retries) instead of bouncing it.
with warnings.catch_warnings(record=True) as _warned:  # environ warns, then fails
    try:
        DATABASES = {
            "default": env.db(
                "DATABASE_URL", default=f"sqlite:///{VAR_DIR / 'db.sqlite3'}"
            )
        }
        import_module(DATABASES["default"]["ENGINE"] + ".base")
        DATABASE_URL_ERROR = ""
    except Exception as exc:  # whatever the URL parser or the driver raised
        DATABASES = {"default": {"ENGINE": "django.db.backends.dummy"}}
        # environ's warning quotes the parsed URL, password included: not that.
        _why = "no database engine for its scheme" if _warned else f"{exc!r}"
        DATABASE_URL_ERROR = " ".join(_why.split())[:300]
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    VAR_DIR.mkdir(exist_ok=True)  # git-ignored; a fresh clone doesn't have it
    # WAL lets readers and one writer work at once; the busy timeout makes a second
    # writer wait instead of failing with "database is locked" (issue 6).
    # A file-backed test database, so tests can run commands in child processes.
    DATABASES["default"]["TEST"] = {"NAME": str(VAR_DIR / "test.sqlite3")}
    DATABASES["default"]["OPTIONS"] = {
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
        "timeout": 20,
        "transaction_mode": "IMMEDIATE",
    }
else:
    DATABASES["default"].setdefault("CONN_MAX_AGE", env.int("CONN_MAX_AGE", default=60))
    # Parameters sent apart from the query (psycopg 3), and a statement run a
    # fifth time on a connection prepared there, so the queries every request
    # runs are parsed once per connection instead of each time (Django leaves
    # prepare_threshold off; binding alone prepares nothing). Still planned for
    # each call's own values: a generic plan can't tell a rare content hash from
    # the empty one that many rows may share, and chose a sequential scan for
    # the duplicate check (36 ms instead of 0.05 on the benchmark's data). All
    # off behind PgBouncer in transaction pooling mode.
    server_side = env.bool("DATABASE_SERVER_SIDE_BINDING", default=True)
    DATABASES["default"].setdefault("OPTIONS", {}).update(
        server_side_binding=server_side,
        prepare_threshold=5 if server_side else None,
    )
    if server_side:
        # After any options the operator gave in DATABASE_URL (?options=...).
        # JIT off: the editors' list annotates each row with a small subquery, so
        # the planner's cost passes jit_above_cost and PostgreSQL spent 42 ms
        # compiling a query that runs in 1 (the admin search for an address, at a
        # million comments: 101 ms a page with JIT, see the closing note of issue
        # 25). Behind PgBouncer: ALTER DATABASE ... SET jit = off (README).
        options = DATABASES["default"]["OPTIONS"]
        options["options"] = " ".join(
            filter(
                None,
                [
                    options.get("options"),
                    "-c plan_cache_mode=force_custom_plan -c jit=off",
                ],
            )
        )
    # A reused connection is checked before a request's first query, so a
    # restarted database costs no request an error.
    DATABASES["default"]["CONN_HEALTH_CHECKS"] = True

# The database cache is shared by every worker process (unlike locmem); Redis in
# production through CACHE_URL=redis://...
CACHE_TABLE = "django_cache"
CACHES = {"default": env.cache_url("CACHE_URL", default=f"dbcache://{CACHE_TABLE}")}
if "redis" in CACHES["default"]["BACKEND"].lower():
    # django-redis rather than Django's own Redis backend: it keeps one client per
    # process where Django's builds a new one for every command.
    CACHES["default"]["BACKEND"] = "django_redis.cache.RedisCache"
    # An unreachable Redis fails fast, so pages render from the database instead
    # of waiting.
    CACHES["default"].setdefault("OPTIONS", {}).update(
        SOCKET_CONNECT_TIMEOUT=1, SOCKET_TIMEOUT=1
    )
# What a cache outage means, decided here and nowhere else: the cache only ever
# makes the site faster. With Redis unreachable, django-redis answers every read
# as a miss, drops every write and counts nothing (the rate limit fails open,
# RATELIMIT_FAIL_OPEN), logging each as "Exception ignored" on sourcehat.cache;
# pages render from the database, comments and mail are stored, sessions are
# read from the database (cached_db). The database cache is a table in the
# database: its outage is the database's (a 503 page, exit 75 for the pipe),
# and `migrate` always makes its table (comments/apps.py).
DJANGO_REDIS_IGNORE_EXCEPTIONS = True
DJANGO_REDIS_LOG_IGNORED_EXCEPTIONS = True
DJANGO_REDIS_LOGGER = "sourcehat.cache"
# django-ratelimit is used as a library (comments/ratelimit.py), not an installed
# app: its system checks call the database cache, the development default,
# unsupported, because it counts with a read and a write rather than one atomic
# step (two posts at the same instant may count as one). Good enough there;
# production counts in Redis.
RATELIMIT_FAIL_OPEN = True

# --- Email ------------------------------------------------------------------------
COMMENTS_EMAIL_ADDRESS = env.str(
    "COMMENTS_EMAIL_ADDRESS", default="tech.handrail404@passinbox.com"
)
DEFAULT_FROM_EMAIL = env.str(
    "DEFAULT_FROM_EMAIL", default="The Source Hat <noreply@sourcehat.example>"
)
SERVER_EMAIL = DEFAULT_FROM_EMAIL
vars().update(env.email_url("EMAIL_URL", default="consolemail://"))
IMAP_URL = env.str("IMAP_URL", default="")
IMAP_PROCESSED_FOLDER = env.str("IMAP_PROCESSED_FOLDER", default="Processed")
IMAP_REJECTED_FOLDER = env.str("IMAP_REJECTED_FOLDER", default="Rejected")
MAX_EMAIL_BYTES = env.int("MAX_EMAIL_BYTES", default=10 * 1024 * 1024)
EMAIL_SECONDS_PER_MESSAGE = env.float("EMAIL_SECONDS_PER_MESSAGE", default=20.0)
AUTHSERV_ID = env.str("AUTHSERV_ID", default="")

# --- Comments and moderation ------------------------------------------------------
COMMENT_MAX_LENGTH = 10_000
COMMENT_MIN_LENGTH = 2
COMMENT_PREVIEW_RATE_LIMIT = env.str("COMMENT_PREVIEW_RATE_LIMIT", default="30/m")
COMMENT_RATE_LIMIT = env.str("COMMENT_RATE_LIMIT", default="5/m")
# Published comments per article page; later ones are on ?comments=2, 3, ...
COMMENTS_PER_PAGE = 100
EDITOR_NOTICE_INTERVAL_MINUTES = env.int("EDITOR_NOTICE_INTERVAL_MINUTES", default=15)
# Who an editors' reply under a letter is signed by: "site" (SITE_NAME) or "editor"
# (the editor's full name, or SITE_NAME when their account has none).
EDITORS_REPLY_SIGNED_BY = env.str("EDITORS_REPLY_SIGNED_BY", default="site")
# The editors' lists count exactly up to this many rows (the comment list estimates
# beyond, the review screen says "more than"): each count costs up to this many
# index entries, on every page load.
MODERATION_QUEUE_COUNT_CAP = env.int("MODERATION_QUEUE_COUNT_CAP", default=1_000)
MODERATION_LINKS_CONFIRM_WITHOUT_LOGIN = env.bool(
    "MODERATION_LINKS_CONFIRM_WITHOUT_LOGIN", default=False
)
PERSONAL_DATA_RETENTION_DAYS = env.int("PERSONAL_DATA_RETENTION_DAYS", default=30)
SPAM_THRESHOLD = env.int("SPAM_THRESHOLD", default=10)
TRUSTED_PROXIES = env.list("TRUSTED_PROXIES", default=[])

# --- Site -------------------------------------------------------------------------
# How long nginx or a CDN may serve a public page before asking again (s-maxage),
# and serve it stale while it does (blog/caching.py).
PAGE_CACHE_SECONDS = env.int("PAGE_CACHE_SECONDS", default=30)
SITE_NAME = env.str("SITE_NAME", default="The Source Hat")
# Unset, it is where `make run` serves (its PORT), so the links printed and mailed
# in a local run lead back to it.
SITE_URL = env.str(
    "SITE_URL", default=f"http://127.0.0.1:{env.int('PORT', default=8000)}"
).rstrip("/")
SITE_DOMAIN = urlsplit(SITE_URL).hostname or "localhost"

# --- Static files -----------------------------------------------------------------
STATIC_ROOT = BASE_DIR / "staticfiles"
STATIC_URL = "/static/"
STATICFILES_DIRS = [BASE_DIR / "static"]
# Files browsers ask for at the site's root (/favicon.ico), served by whitenoise
# with a public Cache-Control like any static file.
WHITENOISE_ROOT = BASE_DIR / "static" / "root"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"
        if not DEBUG
        else "django.contrib.staticfiles.storage.StaticFilesStorage"
    },
}

# --- Tasks ------------------------------------------------------------------------
# Outgoing mail is sent by tasks: the database backend with a worker in production
# (docker-compose runs `manage.py db_worker`), the immediate backend otherwise.
TASKS = {
    "default": {
        "BACKEND": env.str(
            "TASKS_BACKEND", default="django_tasks.backends.immediate.ImmediateBackend"
        )
    }
}

# --- Auth, i18n -------------------------------------------------------------------
AUTH_PASSWORD_VALIDATORS = [
    {
        "NAME": "django.contrib.auth.password_validation."
        "UserAttributeSimilarityValidator"
    },
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LANGUAGE_CODE = "en-us"
LOGIN_URL = "admin:login"
TIME_ZONE = "UTC"
USE_I18N = True
USE_TZ = True

# --- Security ---------------------------------------------------------------------
# HTTPS-only with DEBUG off. ALLOW_PLAIN_HTTP is the one named opt-out, for
# production settings served over plain http on loopback (the benchmark uses it):
# it turns off exactly the four HTTPS settings below and silences exactly the four
# deploy checks about them (nothing else), and config/checks.py warns when it is
# set while ALLOWED_HOSTS names anything but loopback.
ALLOW_PLAIN_HTTP = env.bool("ALLOW_PLAIN_HTTP", default=False)
_https = not DEBUG and not ALLOW_PLAIN_HTTP
CSRF_COOKIE_HTTPONLY = True
CSRF_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_SECURE = _https
CSRF_FAILURE_VIEW = "config.views.csrf_failure"
REFERRER_POLICY = "strict-origin-when-cross-origin"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
SECURE_HSTS_INCLUDE_SUBDOMAINS = _https
SECURE_HSTS_PRELOAD = _https
SECURE_HSTS_SECONDS = 31_536_000 if _https else 0
SECURE_PROXY_SSL_HEADER = (
    ("HTTP_X_FORWARDED_PROTO", "https") if TRUSTED_PROXIES else None
)
SECURE_REFERRER_POLICY = REFERRER_POLICY
SECURE_SSL_REDIRECT = _https
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
SESSION_COOKIE_SECURE = _https
SESSION_ENGINE = "django.contrib.sessions.backends.cached_db"
SILENCED_SYSTEM_CHECKS = (
    # W004 HSTS, W008 SSL redirect, W012 session cookie, W016 CSRF cookie: exactly
    # what plain http means; every other deploy check still runs.
    ["security.W004", "security.W008", "security.W012", "security.W016"]
    if ALLOW_PLAIN_HTTP and not DEBUG
    else []
)
X_FRAME_OPTIONS = "DENY"

# Content Security Policy (django-csp 4): only our own files, no inline script or
# style, no plugins, never framed. The Django admin works under it: its scripts are
# static files configured through data- attributes.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "base-uri": ["'none'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
        "img-src": ["'self'", "data:"],
        "object-src": ["'none'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
    }
}

# Brute-force protection on the admin login (django-axes): a username tried from
# one IP address is locked after AXES_FAILURE_LIMIT wrong passwords for
# AXES_COOLOFF_TIME. Locking the pair (not the IP alone) keeps an office behind one
# address working while someone guesses one editor's password; an operator lifts a
# lock early with `manage.py axes_reset` (or axes_reset_username USERNAME).
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AXES_CLIENT_IP_CALLABLE = "comments.clientip.client_ip"
AXES_COOLOFF_TIME = timedelta(minutes=env.int("AXES_COOLOFF_MINUTES", default=15))
AXES_FAILURE_LIMIT = env.int("AXES_FAILURE_LIMIT", default=5)
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_LOCKOUT_TEMPLATE = "admin/locked_out.html"
AXES_RESET_ON_SUCCESS = True
# Successful sign-ins are in the auth log already; keep only failures.
AXES_DISABLE_ACCESS_LOG = True

# --- Logging ----------------------------------------------------------------------
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {
        "plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"}
    },
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["console"], "level": env.str("LOG_LEVEL", default="INFO")},
    "loggers": {
        # The "AXES: BEGIN" banner on every command start (ingest_email included).
        "axes.apps": {"level": "WARNING"},
        "django.db.backends": {"level": "WARNING"},
    },
}
