"""The nginx front (deploy/nginx/) for real: Debian's nginx before the live server.

Each test starts nginx from the repo's config in a temporary directory (its own
cache, logs and port) in front of pytest-django's live server, which runs in this
process, so the `settings` fixture reaches it.
"""

import http.client
import os
import subprocess
import time
from collections.abc import Iterator
from dataclasses import dataclass
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import urlencode, urlsplit

import pytest
from django.core.management import call_command
from django.test import Client

from comments.models import Comment, CommentStatus
from moderation.transitions import publish_comment, reject_comment
from tests import nginx_front
from tests.conftest import away_from_a_window_edge, need
from tests.factories import make_article, make_comment

pytestmark = pytest.mark.django_db(transaction=True)

PURGE = nginx_front.ROOT / "deploy" / "nginx" / "purge-cache"


@dataclass
class Front:
    url: str
    static_root: Path
    cache_dir: Path


@dataclass
class Answer:
    status: int
    headers: http.client.HTTPMessage
    body: bytes

    @property
    def cache(self) -> str | None:
        return self.headers.get("X-Cache-Status")

    @property
    def text(self) -> str:
        return self.body.decode()


@pytest.fixture
def front(live_server, settings, tmp_path: Path) -> Iterator[Front]:
    need(nginx_front.installed(), "nginx not installed (apt-get install nginx)")
    # The static files as production collects them: hashed names and a manifest.
    settings.STATIC_ROOT = tmp_path / "static"
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {
            "BACKEND": "django.contrib.staticfiles.storage.ManifestStaticFilesStorage"
        },
    }
    call_command("collectstatic", "--noinput", verbosity=0)
    upstream = f"127.0.0.1:{urlsplit(live_server.url).port}"
    run_dir = tmp_path / "nginx"
    with nginx_front.nginx_front(
        upstream=upstream, static_root=settings.STATIC_ROOT, run_dir=run_dir
    ) as url:
        yield Front(url, settings.STATIC_ROOT, run_dir / "cache")


def fetch(
    front: Front,
    path: str,
    *,
    method: str = "GET",
    body: str | None = None,
    headers: dict[str, str] | None = None,
    source: str | None = None,
) -> Answer:
    """One request to the front, redirects not followed; from the loopback address
    `source` (127.0.0.2, ...) when given, as another reader's machine."""
    parts = urlsplit(front.url)
    conn = http.client.HTTPConnection(
        parts.hostname,
        parts.port,
        timeout=30,
        source_address=(source, 0) if source else None,
    )
    try:
        conn.request(method, path, body=body, headers=headers or {})
        response = conn.getresponse()
        return Answer(response.status, response.headers, response.read())
    finally:
        conn.close()


def signed_in_cookie(user: object) -> str:
    """The Cookie header of a browser signed in as `user`."""
    client = Client()
    client.force_login(user)
    return f"sessionid={client.cookies['sessionid'].value}"


def wait_for(condition, *, within: float) -> bool:
    """Poll `condition` until it holds or `within` seconds have passed."""
    deadline = time.monotonic() + within
    while not condition():
        if time.monotonic() > deadline:
            return False
        time.sleep(0.1)
    return True


class _FormFields(HTMLParser):
    """The fields of the comment form (its action ends in /comment/)."""

    def __init__(self) -> None:
        super().__init__()
        self.action, self.fields, self._inside = "", {}, False

    def handle_starttag(self, tag: str, attrs: list) -> None:
        attrs = dict(attrs)
        if tag == "form" and (attrs.get("action") or "").endswith("/comment/"):
            self.action, self._inside = attrs["action"], True
        elif (
            tag == "input"
            and self._inside
            and attrs.get("name")
            and attrs.get("type") not in ("checkbox", "submit")
        ):
            self.fields[attrs["name"]] = attrs.get("value") or ""

    def handle_endtag(self, tag: str) -> None:
        if tag == "form":
            self._inside = False


def test_second_anonymous_get_of_an_article_is_a_hit_with_the_same_bytes(front):
    article = make_article(title="Cached Article")
    make_comment(article=article, status=CommentStatus.PUBLISHED, body="Seen by all.")

    first = fetch(front, article.get_absolute_url())
    second = fetch(front, article.get_absolute_url())

    assert first.status == 200 and "Seen by all." in first.text
    assert second.cache == "HIT"
    assert second.body == first.body


def test_index_second_get_is_a_hit(front):
    make_article(title="On The Index")

    fetch(front, "/")
    again = fetch(front, "/")

    assert again.status == 200 and "On The Index" in again.text
    assert again.cache == "HIT"


def test_comment_post_through_the_front_is_stored(front):
    article = make_article(title="Post Through")
    page = fetch(front, article.get_absolute_url())
    form = _FormFields()
    form.feed(page.text)
    assert form.action, "no comment form on the article page"
    text = "Posted through nginx, not swallowed by its cache."
    form.fields.update({"name": "Reader Through", "body": text})

    posted = fetch(
        front,
        form.action,
        method="POST",
        body=urlencode(form.fields),
        headers={
            "Content-Type": "application/x-www-form-urlencoded",
            # As a browser sends it; the site compares it with the Host nginx passes.
            "Origin": front.url,
        },
    )

    assert posted.status == 303, posted.text[:500]
    assert Comment.objects.filter(article=article, body=text).exists()
    # The reader's own confirmation page is theirs alone: never from the cache.
    location = urlsplit(posted.headers["Location"])
    confirmation = location.path + (f"?{location.query}" if location.query else "")
    seen = [fetch(front, confirmation) for _ in range(2)]
    assert all(a.status == 200 and text in a.text for a in seen)
    assert all(a.cache != "HIT" for a in seen)


def test_admin_pages_never_come_from_the_cache(front, editor):
    logins = [fetch(front, "/admin/login/") for _ in range(2)]
    cookie = signed_in_cookie(editor)
    signed_in = [fetch(front, "/admin/", headers={"Cookie": cookie}) for _ in range(2)]
    anonymous = fetch(front, "/admin/")

    assert all(a.status == 200 and a.cache != "HIT" for a in logins)
    assert all(a.status == 200 and a.cache != "HIT" for a in signed_in)
    assert all(editor.username in a.text for a in signed_in)
    # The editor's page was not kept for the next visitor, who is asked to sign in.
    assert anonymous.status == 302 and "/admin/login/" in anonymous.headers["Location"]


def test_signed_in_editor_sees_a_published_comment_at_once(front, settings, editor):
    settings.PAGE_CACHE_SECONDS = 600
    article = make_article(title="Editor Checks")
    url = article.get_absolute_url()
    fetch(front, url)
    assert fetch(front, url).cache == "HIT"
    cookie = signed_in_cookie(editor)

    publish_comment(
        comment=make_comment(article=article, body="Just published."), editor=editor
    )

    assert "Just published." in fetch(front, url, headers={"Cookie": cookie}).text


def test_published_comment_shows_once_the_shared_lifetime_has_passed(front, settings):
    settings.PAGE_CACHE_SECONDS = 1
    article = make_article(title="Fresh Enough")
    url = article.get_absolute_url()
    fetch(front, url)
    assert fetch(front, url).cache == "HIT"
    comment = make_comment(article=article, body="Published after the page was kept.")

    publish_comment(comment=comment, editor=None)

    assert wait_for(
        lambda: "Published after the page was kept." in fetch(front, url).text,
        within=15,
    ), "the published comment never reached the cached page"


def test_taken_down_comment_is_gone_at_once_after_a_purge(front, settings):
    settings.PAGE_CACHE_SECONDS = 600  # a take-down must not wait for this
    article = make_article(title="Take It Down")
    comment = make_comment(
        article=article, status=CommentStatus.PUBLISHED, body="Regrettable words."
    )
    url = article.get_absolute_url()
    fetch(front, url)
    assert fetch(front, url).cache == "HIT"
    reject_comment(comment=comment, editor=None, reason="taken down")
    still = fetch(front, url)  # the front keeps its copy for the page's lifetime
    assert still.cache == "HIT" and "Regrettable words." in still.text

    # The operator's command from the README, with the page's cache key prefix.
    subprocess.run(
        [str(PURGE), f"{front.url}{url}"],
        env={**os.environ, "SOURCEHAT_CACHE_DIR": str(front.cache_dir)},
        check=True,
    )

    after = fetch(front, url)
    assert after.status == 200 and "Take It Down" in after.text
    assert "Regrettable words." not in after.text


def test_static_files_are_served_by_nginx_from_the_collected_files(front):
    from django.contrib.staticfiles.storage import staticfiles_storage

    plain = fetch(front, "/static/css/site.css", headers={"Accept-Encoding": "gzip"})
    hashed = fetch(front, staticfiles_storage.url("css/site.css"))

    assert plain.status == 200
    assert plain.headers["Content-Encoding"] == "gzip"
    assert "max-age=3600" in plain.headers["Cache-Control"]
    # Answered from disk: the request never went to the cache or the site.
    assert plain.cache is None
    assert hashed.status == 200
    stored = front.static_root / staticfiles_storage.stored_name("css/site.css")
    assert hashed.body == stored.read_bytes()
    assert "immutable" in hashed.headers["Cache-Control"]


def raw_request(front: Front, request_line: str, host: str) -> Answer:
    """One request with its request line and Host exactly as given (http.client
    would mend either)."""
    parts = urlsplit(front.url)
    conn = http.client.HTTPConnection(parts.hostname, parts.port, timeout=30)
    try:
        conn.putrequest(*request_line.split(" ", 1), skip_host=True)
        conn.putheader("Host", host)
        conn.endheaders()
        response = conn.getresponse()
        return Answer(response.status, response.headers, response.read())
    finally:
        conn.close()


HOSTILE = [
    # (request line, Host): another port, another allowed name, an absolute
    # request line naming one host while the Host header names another.
    ("GET {path}", "127.0.0.1:6666"),
    ("GET {path}", "localhost"),
    ("GET http://localhost:6666{path}", "{front}"),
    ("GET http://{front}{path}", "localhost:6666"),
]


@pytest.mark.parametrize(
    "path", ["/robots.txt", "/sitemap.xml", "/feed/", "/articles/hosted/comments/feed/"]
)
def test_hostile_host_headers_never_reach_the_next_readers_copy(front, settings, path):
    settings.SITE_URL = "https://blog.example.org"
    settings.PAGE_CACHE_SECONDS = 600
    article = make_article(title="Hosted", slug="hosted")
    make_comment(article=article, status=CommentStatus.PUBLISHED, body="Hi there.")
    authority = urlsplit(front.url).netloc

    attacks = [
        raw_request(
            front, line.format(path=path, front=authority), host.format(front=authority)
        )
        for line, host in HOSTILE
    ]
    reader = fetch(front, path)  # the next reader, as a browser asks

    assert reader.status == 200
    for answer in [*attacks, reader]:
        if answer.status != 200:  # a Host Django doesn't allow: 400, never kept
            assert answer.cache != "HIT"
            continue
        assert "6666" not in answer.text
        assert "https://blog.example.org/" in answer.text
        assert "localhost" not in answer.text and authority not in answer.text
    assert fetch(front, path).body == reader.body


def test_copy_older_than_its_stale_allowance_is_never_served(front, settings):
    settings.PAGE_CACHE_SECONDS = 1  # fresh for 1 s, served stale for 1 s more
    article = make_article(title="Quiet Page")
    comment = make_comment(
        article=article, status=CommentStatus.PUBLISHED, body="Soon rejected."
    )
    url = article.get_absolute_url()
    fetch(front, url)
    assert fetch(front, url).cache == "HIT"
    reject_comment(comment=comment, editor=None, reason="off topic")

    time.sleep(3)  # a quiet spell, longer than s-maxage + stale-while-revalidate
    first = fetch(front, url)  # the first reader after it

    assert first.status == 200 and "Quiet Page" in first.text
    assert "Soon rejected." not in first.text


def post_comment_through(
    front: Front, article, text: str, *, source: str, forged: str
) -> Answer:
    """The article's form filled in and sent from `source`, with a forged
    X-Forwarded-For naming `forged`."""
    form = _FormFields()
    form.feed(fetch(front, article.get_absolute_url()).text)
    form.fields.update({"name": "Reader", "body": text})
    return fetch(
        front,
        form.action,
        method="POST",
        body=urlencode(form.fields),
        headers={
            "Content-Type": "application/x-www-form-urlencoded",
            "Origin": front.url,
            "X-Forwarded-For": forged,
        },
        source=source,
    )


def test_readers_real_address_reaches_the_rate_limit_and_the_row(front, settings):
    # Production's path: nginx is the trusted proxy, and it appends the address it
    # saw to X-Forwarded-For; whatever a reader put there before is theirs to forge.
    settings.TRUSTED_PROXIES = ["127.0.0.1"]  # nginx, as the live server sees it
    settings.COMMENT_RATE_LIMIT = "2/m"
    away_from_a_window_edge(60, "127.0.0.2")
    article = make_article(title="Who Posts")

    answers = [
        post_comment_through(
            front,
            article,
            f"Comment {n} from one reader.",
            source="127.0.0.2",
            forged=f"203.0.113.{n}",
        )
        for n in range(3)
    ]
    other = post_comment_through(
        front, article, "From another reader.", source="127.0.0.3", forged="127.0.0.2"
    )

    # Forging a new address each time doesn't escape the limit...
    assert [a.status for a in answers] == [303, 303, 429]
    # ...and the limit is the reader's, not the proxy's.
    assert other.status == 303
    stored = dict(Comment.objects.values_list("body", "ip_address"))
    assert stored == {
        "Comment 0 from one reader.": "127.0.0.2",
        "Comment 1 from one reader.": "127.0.0.2",
        "From another reader.": "127.0.0.3",
    }
