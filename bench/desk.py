"""The editors' desk at several sizes (issue 25): `make bench BENCH_ARGS="--desk
--sizes 10000,100000,1000000"`.

For each size N: a fresh database (dropped and re-created) holding N comments, a
tenth of them pending, N/100 articles, one article with N/20 published comments,
one letter in twenty emailed (with its stored mail), each settled one with the
editor's decision, written in batches of BATCH rows with COPY (bulk_create's
rows, the bulk path the import uses, at a tenth of its time). Then gunicorn
with one sync worker, production settings, signed in as an editor: each page's
median of REPS requests after one warm-up, and its query count (counted
in-process through the test client, the same settings). Then each command's
peak memory (its own process's maximum RSS, from wait4). Prints one table with a
column per size and writes var/bench/desk.json. A benchmark, not a test.
"""

import hashlib
import json
import os
import random
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.parse
import urllib.request
from datetime import timedelta
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parent.parent
OUT_DIR = BASE_DIR / "var" / "bench"
BIN = Path(sys.executable).parent
BATCH = 5000
REPS = 5
PAGE_TARGET_MS, PAGE_TARGET_QUERIES, ORIGIN_TARGET_MS, MEMORY_TARGET_MB = (
    150,
    10,
    50,
    150,
)
SEARCH = "borrow checker"
# The same vocabulary as the public pages' bench (bench/run.py).
_TEXT = (
    "the model weights are not the source code and a licence that forbids some "
    "uses is not open by any definition we have agreed on since the nineties I "
    "build these systems at work data training reproducible pipeline dataset "
    "release binary compiler analogy breaks down because you cannot rebuild it"
)
# One letter in RARE talks about the borrow checker: a search that finds a few
# dozen letters at 10,000 and a few thousand at 1,000,000.
RARE = 500


def log(msg: str) -> None:
    print(msg, flush=True)


# --- the site ---------------------------------------------------------------------
def texts(rng: random.Random, count: int) -> list[tuple[str, str, str]]:
    """(text, its HTML, its content hash) for `count` letters, rendered once."""
    from comments.rendering import render_comment
    from comments.screening import content_hash

    pool = []
    vocabulary = _TEXT.split()
    for n in range(count):
        words = [rng.choice(vocabulary) for _ in range(rng.randint(18, 60))]
        if n % 50 == 0:
            at = rng.randrange(len(words))
            words[at:at] = ["the", "borrow", "checker", "rejected", "my", "lifetimes"]
        text = " ".join(words).capitalize() + f". Letter {n}."
        pool.append((text, render_comment(text), content_hash(text)))
    return pool


def copy_rows(model: type, objs: list, with_ids: int | None = None) -> None:
    """Write model instances with COPY (bulk_create's rows, a tenth of its
    time at a million): every stored column, the database's own generated ones
    left to it. `with_ids` numbers them from there (they are referred to)."""
    from django.db import connection

    fields = [
        f
        for f in model._meta.concrete_fields
        if not f.generated and (with_ids is not None or not f.primary_key)
    ]
    if with_ids is not None:
        for n, obj in enumerate(objs):
            obj.pk = with_ids + n
    columns = ", ".join(f'"{f.column}"' for f in fields)
    sql = f'COPY "{model._meta.db_table}" ({columns}) FROM STDIN'
    with connection.cursor() as cursor, cursor.cursor.copy(sql) as copy:
        for obj in objs:
            copy.write_row(
                [
                    f.get_db_prep_save(getattr(obj, f.attname), connection)
                    for f in fields
                ]
            )


def seed(size: int) -> dict:
    """The site of `size` comments; returns what the measurements need."""
    from django.contrib.auth import get_user_model
    from django.contrib.auth.models import Group
    from django.db import connection
    from django.utils import timezone

    from blog.models import Article
    from comments.models import Comment, CommentSource, CommentStatus, InboundEmail
    from moderation.models import Action, Decision
    from moderation.transitions import reject_comment, touch_article

    rng = random.Random(25)
    now = timezone.now()
    User = get_user_model()
    editor = User.objects.create_user("desk-editor", "editor@example.org", "x" * 20)
    editor.is_staff = True
    editor.save()
    editor.groups.add(Group.objects.get(name="Editors"))
    n_articles = max(10, size // 100)
    big_share = size // 20
    pending = size // 10
    Article.objects.bulk_create(
        [
            Article(
                title=f"Desk article {i}",
                slug=f"desk-{i}",
                standfirst="An article.",
                body="Some words.",
                body_html="<p>Some words.</p>",
                published_at=now - timedelta(days=800 - i * 700 / n_articles),
            )
            for i in range(n_articles)
        ],
        batch_size=BATCH,
    )
    article_ids = list(Article.objects.order_by("pk").values_list("pk", flat=True))
    big = article_ids[0]
    pool = texts(rng, 2000)
    rare = [t for t in pool if SEARCH in t[0]]
    common = [t for t in pool if SEARCH not in t[0]]
    writers = max(100, size // 10)
    span = timedelta(days=720).total_seconds()
    verdicts = ({"dmarc": "pass"}, {"dmarc": "fail"}, {"dmarc": "none"}, {})
    # Pending last (the queue is the newest letters), the big article's spread.
    statuses = [CommentStatus.PUBLISHED] * 75 + [CommentStatus.REJECTED] * 15
    statuses += [CommentStatus.SPAM] * 10
    rows, mails, decided = [], [], []
    next_mail = next_comment = 1
    verbs = {
        CommentStatus.PUBLISHED: Action.PUBLISH,
        CommentStatus.REJECTED: Action.REJECT,
        CommentStatus.SPAM: Action.SPAM,
    }
    for i in range(size):
        is_pending = i >= size - pending
        on_big = not is_pending and i % 18 == 0 and big_share > 0
        status = (
            CommentStatus.PENDING
            if is_pending
            else CommentStatus.PUBLISHED
            if on_big
            else statuses[i % len(statuses)]
        )
        text, html, digest = rng.choice(rare) if i % RARE == 3 else rng.choice(common)
        emailed = i % 20 == 0
        submitted = now - timedelta(seconds=span * (size - i) / size + 60)
        writer = i % writers
        comment = Comment(
            article_id=big if on_big else article_ids[1 + i % (len(article_ids) - 1)],
            source=CommentSource.EMAIL if emailed else CommentSource.WEB,
            author_name=f"Writer {writer}",
            author_email=f"w{writer}@example.org",
            body=text,
            body_html=html if status == CommentStatus.PUBLISHED else "",
            status=status,
            submitted_at=submitted,
            published_at=submitted + timedelta(hours=1)
            if status == CommentStatus.PUBLISHED
            else None,
            content_hash=digest,
            ip_address=None if emailed else f"10.{writer % 200}.{writer % 250}.7",
        )
        if emailed:
            if i % 200 == 0:
                subject = f"About {SEARCH} again"
            else:
                subject = f"Re: Desk article {i % n_articles}"
            raw = f"Subject: {subject}\n\n{text}".encode()
            key = hashlib.sha256(raw + str(i).encode()).hexdigest()
            mail = InboundEmail(
                raw=raw,
                raw_size=len(raw),
                raw_sha256=key,
                dedupe_key=key,
                sender=comment.author_email,
                subject=subject,
                auth_verdict=verdicts[i % len(verdicts)],
                received_at=submitted,
                outcome="queued",
            )
            mails.append(mail)
            comment._mail = mail
        rows.append(comment)
        if len(rows) == BATCH or i == size - 1:
            copy_rows(InboundEmail, mails, with_ids=next_mail)
            next_mail += len(mails)
            for row in rows:
                if getattr(row, "_mail", None) is not None:
                    row.inbound_email_id = row._mail.pk
            copy_rows(Comment, rows, with_ids=next_comment)
            next_comment += len(rows)
            # Each settled letter was decided by the editor, as on a real desk
            # (the undo and the writer's record read these).
            decided = [
                Decision(
                    comment_id=row.pk,
                    editor_id=editor.pk,
                    action=verbs[row.status],
                    from_status=CommentStatus.PENDING,
                    to_status=row.status,
                    channel="",
                    at=row.submitted_at + timedelta(hours=1),
                )
                for row in rows
                if row.status in verbs
            ]
            copy_rows(Decision, decided)
            rows, mails = [], []
    with connection.cursor() as cur:
        for table in ("comments_inboundemail", "comments_comment"):
            sql = "SELECT setval(pg_get_serial_sequence(%s, 'id'), (SELECT max(id) "
            sql += "FROM {}))"
            cur.execute(sql.format(connection.ops.quote_name(table)), [table])
    # The big article's picks, and its page counts.
    first = list(
        Comment.objects.published().for_article(big).values_list("pk", flat=True)[:3]
    )
    Comment.objects.filter(pk__in=first).update(featured=True)
    touch_article(big)
    # One resubmission to show: a letter rejected, then sent again (mid-queue).
    queue = Comment.objects.awaiting_review()
    middle = queue[pending // 2]
    earlier = queue[pending // 2 - 1]
    Comment.objects.filter(pk=earlier.pk).update(
        body=middle.body,
        content_hash=middle.content_hash,
        author_email=middle.author_email,
    )
    reject_comment(
        comment=Comment.objects.get(pk=earlier.pk), editor=editor, reason="off topic"
    )
    with connection.cursor() as cur:
        cur.execute("VACUUM (ANALYZE)")
        cur.execute("CHECKPOINT")
    last = (
        Comment.objects.published().for_article(big).values_list("pk", flat=True)
    ).last()
    article = Article.objects.get(pk=big)
    return {
        "editor": editor,
        "big": article,
        "middle": middle.pk,
        "head": queue.first().pk,
        "second": queue[1].pk,
        "last_comment": last,
        "writer": middle.author_email,
    }


# --- measuring --------------------------------------------------------------------
def pages(site: dict) -> list[tuple[str, str]]:
    from comments.pages import page_count

    big = site["big"]
    day = time.strftime("%Y-%m-%d", time.gmtime(time.time() - 7 * 86400))
    week = urllib.parse.quote(f"{day} 00:00:00+00:00")
    listing = "/admin/comments/comment/"
    review = "/admin/comments/comment/review/"
    q = urllib.parse.quote_plus(SEARCH)
    return [
        ("admin index", "/admin/"),
        ("admin list: pending", listing),
        ("admin list: all statuses", f"{listing}?status=all"),
        ("admin list: published", f"{listing}?status=published"),
        ("admin list: spam", f"{listing}?status=spam"),
        ("admin list: email", f"{listing}?source__exact=email&status=all"),
        ("admin list: unrouted", f"{listing}?routed=no&status=all"),
        (
            "admin list: featured",
            f"{listing}?featured__exact=1&status=published",
        ),
        (
            "admin list: big article",
            f"{listing}?article__id__exact={big.pk}&status=all",
        ),
        ("admin list: DMARC pass", f"{listing}?dmarc=pass&status=all"),
        ("admin list: past 7 days", f"{listing}?submitted_at__gte={week}&status=all"),
        (f"admin search “{SEARCH}”", f"{listing}?q={q}"),
        (f"admin search “{SEARCH}”, all", f"{listing}?q={q}&status=all"),
        (
            "admin search a writer's address",
            f"{listing}?q={urllib.parse.quote_plus(site['writer'])}&status=all",
        ),
        ("comment change page", f"{listing}{site['middle']}/change/"),
        ("review screen", review),
        ("review: next", f"{review}?c={site['second']}"),
        ("review: mid-queue (resubmission)", f"{review}?c={site['middle']}"),
        (f"review search “{SEARCH}”", f"{review}?q={q}"),
        ("article admin (big article)", f"/admin/blog/article/{big.pk}/change/"),
        ("permalink, big article's last", f"/comments/{site['last_comment']}/"),
        (
            "big article's last page (origin)",
            f"{big.get_absolute_url()}?comments={page_count(big)}",
        ),
    ]


def measure_pages(base: str, site: dict) -> dict[str, tuple[float, int]]:
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    client = Client(HTTP_HOST="127.0.0.1")
    client.force_login(site["editor"])
    cookie = f"sessionid={client.cookies['sessionid'].value}"
    results = {}
    for name, url in pages(site):
        client.get(url)
        with CaptureQueriesContext(connection) as queries:
            response = client.get(url)
        assert response.status_code in (200, 302), (url, response.status_code)
        times = []
        for rep in range(REPS + 1):
            start = time.perf_counter()
            request = urllib.request.Request(  # noqa: S310 (http to 127.0.0.1)
                base + url, headers={"Cookie": cookie}
            )
            opener = urllib.request.build_opener(_NoRedirect)
            try:
                with opener.open(request) as resp:
                    resp.read()
            except urllib.error.HTTPError as exc:  # a redirect, not followed
                if exc.code != 302:
                    raise
            if rep:  # the first is the warm-up
                times.append((time.perf_counter() - start) * 1000)
        results[name] = (statistics.median(times), len(queries))
        log(f"  {name:<40} {results[name][0]:8.1f} ms {results[name][1]:3d} queries")
    return results


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args: object, **kwargs: object) -> None:
        return None


_PEAK = (
    "import resource, subprocess, sys; "
    "code = subprocess.run(sys.argv[1:], stdout=subprocess.DEVNULL).returncode; "
    "print(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss); sys.exit(code)"
)


def measure_commands(site: dict) -> dict[str, float]:
    manage = [str(BIN / "python"), str(BASE_DIR / "manage.py")]
    out = Path(tempfile.mkdtemp()) / "export.xml"
    commands = {
        "export_comments --all": ["export_comments", str(out), "--all"],
        "moderation_report": ["moderation_report"],
        "erase_commenter": ["erase_commenter", site["writer"], "--no-input"],
        "purge_personal_data": ["purge_personal_data"],
        "purge_personal_data --spam-older-than 0": [
            "purge_personal_data",
            "--spam-older-than",
            "0",
        ],
    }
    peaks = {}
    for name, args in commands.items():
        start = time.perf_counter()
        # Through a small parent: a child forked from this process would start
        # with this process's memory as its peak (ru_maxrss survives the fork).
        done = subprocess.run(
            [sys.executable, "-c", _PEAK, *manage, *args],
            cwd=BASE_DIR,
            capture_output=True,
            stdin=subprocess.DEVNULL,
            text=True,
        )
        if done.returncode:
            log(f"  {name}: exit {done.returncode}: {done.stderr[-500:]}")
        peaks[name] = int(done.stdout.strip().splitlines()[-1]) / 1024
        took = time.perf_counter() - start
        log(f"  {name:<40} {peaks[name]:8.1f} MB peak, {took:.1f} s")
    out.unlink(missing_ok=True)
    return peaks


# --- the run ----------------------------------------------------------------------
def site_file(size: int) -> Path:
    return OUT_DIR / f"desk-site-{size}.json"


def save_site(size: int, site: dict) -> None:
    ids = {k: (v.pk if hasattr(v, "pk") else v) for k, v in site.items()}
    site_file(size).write_text(json.dumps(ids) + "\n")


def load_site(size: int) -> dict | None:
    """The site a previous --reuse run seeded at this size, if it is still there."""
    from django.contrib.auth import get_user_model
    from django.db import DatabaseError

    from blog.models import Article
    from comments.models import Comment

    try:
        ids = json.loads(site_file(size).read_text())
        if not Comment.objects.filter(pk=ids["last_comment"]).exists():
            return None
    except (OSError, ValueError, KeyError, DatabaseError):
        return None
    ids["editor"] = get_user_model().objects.get(pk=ids["editor"])
    ids["big"] = Article.objects.get(pk=ids["big"])
    return ids


def size_url(url: str, size: int) -> str:
    """With --reuse each size keeps a database of its own: <name>_<size>."""
    parts = urllib.parse.urlsplit(url)
    return urllib.parse.urlunsplit(parts._replace(path=f"{parts.path}_{size}"))


def run_size(size: int, env: dict, reuse: bool = False) -> dict:
    from django.db import connections

    from bench.run import free_port, recreate_database, wait_until_up

    connections.close_all()
    url = env["DATABASE_URL"]
    if reuse:
        url = size_url(url, size)
        os.environ["DATABASE_URL"] = url
        name = urllib.parse.urlsplit(url).path.lstrip("/")
        connections["default"].settings_dict["NAME"] = name
    manage = [str(BIN / "python"), str(BASE_DIR / "manage.py")]
    from django.core.cache import cache

    site = None
    if reuse:
        try:
            subprocess.run(
                [*manage, "migrate", "--noinput", "-v0"],
                check=True,
                cwd=BASE_DIR,
                capture_output=True,
            )
            site = load_site(size)
        except subprocess.CalledProcessError:
            site = None
        if site is not None:
            log(f"{size:,} comments: reusing {url} (seeded before)")
    if site is None:
        connections.close_all()
        recreate_database(url)
        subprocess.run(
            [*manage, "migrate", "--noinput", "-v0"], check=True, cwd=BASE_DIR
        )
        started = time.monotonic()
        site = seed(size)
        save_site(size, site)
        log(f"{size:,} comments seeded in {time.monotonic() - started:.0f} s")
    cache.clear()
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    server = subprocess.Popen(
        [
            str(BIN / "gunicorn"),
            "config.wsgi",
            "--workers=1",
            "--worker-class=sync",
            f"--bind=127.0.0.1:{port}",
            "--log-level=warning",
        ],
        cwd=BASE_DIR,
    )
    try:
        if not wait_until_up(base):
            raise SystemExit("gunicorn did not come up for the desk")
        page_results = measure_pages(base, site)
    finally:
        server.terminate()
        server.wait(timeout=30)
    if not reuse:
        return {"pages": page_results, "commands": measure_commands(site)}
    # The commands erase and purge: on a copy, so the kept database stays as seeded.
    connections.close_all()
    scratch = urllib.parse.urlsplit(url)
    scratch = urllib.parse.urlunsplit(scratch._replace(path=scratch.path + "_scratch"))
    _copy_database(url, scratch)
    os.environ["DATABASE_URL"] = scratch
    try:
        commands = measure_commands(site)
    finally:
        os.environ["DATABASE_URL"] = url
    return {"pages": page_results, "commands": commands}


def _copy_database(url: str, copy_url: str) -> None:
    import psycopg

    parts = urllib.parse.urlsplit(url)
    admin_url = urllib.parse.urlunsplit(parts._replace(path="/postgres"))
    name = parts.path.lstrip("/")
    copy = urllib.parse.urlsplit(copy_url).path.lstrip("/")
    with psycopg.connect(admin_url, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{copy}" WITH (FORCE)')
        conn.execute(f'CREATE DATABASE "{copy}" TEMPLATE "{name}"')


def table(results: dict[int, dict]) -> str:
    sizes = sorted(results)
    head = "| page | " + " | ".join(f"{s:,}" for s in sizes) + " | target |"
    rows = [head, "|---|" + "---:|" * (len(sizes) + 1)]
    names = list(results[sizes[0]]["pages"])
    for name in names:
        origin = name.startswith(("permalink", "big article"))
        target = (
            f"< {ORIGIN_TARGET_MS} ms"
            if origin
            else (f"< {PAGE_TARGET_MS} ms, ≤ {PAGE_TARGET_QUERIES} q")
        )
        cells = ["{:.1f} ms ({} q)".format(*results[s]["pages"][name]) for s in sizes]
        rows.append(f"| {name} | " + " | ".join(cells) + f" | {target} |")
    for name in results[sizes[0]]["commands"]:
        cells = [f"{results[s]['commands'][name]:.0f} MB" for s in sizes]
        rows.append(
            f"| {name} (peak RSS) | "
            + " | ".join(cells)
            + f" | < {MEMORY_TARGET_MB} MB |"
        )
    return "\n".join(rows)


def run_desk(sizes: list[int], env: dict, reuse: bool = False) -> int:
    """Measure the desk at each size; print the table."""
    os.environ.update(env)
    os.environ["DJANGO_SETTINGS_MODULE"] = "config.settings"
    sys.path.insert(0, str(BASE_DIR))
    import django

    django.setup()
    OUT_DIR.mkdir(parents=True, exist_ok=True)
    manage = [str(BIN / "python"), str(BASE_DIR / "manage.py")]
    subprocess.run(
        [*manage, "collectstatic", "--noinput", "-v0"], check=True, cwd=BASE_DIR
    )
    results = {}
    for size in sizes:
        log(f"== the desk at {size:,} comments")
        results[size] = run_size(size, env, reuse)
    log("")
    log(
        "The editors' desk: median of 5 after a warm-up, 1 gunicorn sync worker, "
        "PostgreSQL, DEBUG off, signed in; (q) = queries per page"
    )
    log(table(results))
    (OUT_DIR / "desk.json").write_text(
        json.dumps({str(k): v for k, v in results.items()}, indent=2) + "\n"
    )
    return 0
