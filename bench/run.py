"""`make bench`: The Source Hat under the peers' harness (../shared/bench/peers).

PostgreSQL + Redis + production settings (DEBUG off; plain http on loopback through
the named opt-out ALLOW_PLAIN_HTTP=1), gunicorn with 2 sync workers on 127.0.0.1,
wrk -t2 -c16 -d10s --timeout 30s --latency, 3 interleaved reps, median, waiting for
idle CPUs before each run. Then the same article pages through the nginx front
(deploy/nginx/, Debian's nginx, in front of that gunicorn) and, for scale, nginx
serving the very same bytes as static files, with the same wrk settings. Prints one
table shaped like the peers' RESULTS.md and writes the medians to
var/bench/latest.json. Every server it starts is stopped on exit (by PID). Traffic
goes to 127.0.0.1 only. It is a benchmark, not a test.

Options: --reps N (3), --duration S (10), --quick (1 rep of 5 s, for trying things);
then the editors' desk at --sizes (10000,100000,1000000; bench/desk.py), or only
that with --desk (DESK_DATABASE_URL, default .../sourcehat_desk; DESK_CACHE_URL,
default redis://127.0.0.1:6379/7); --reuse keeps one desk database per size
(<name>_<size>) and measures it again instead of seeding it anew; --sizes ""
skips the desk.
Environment: DATABASE_URL (default postgres://postgres@127.0.0.1:5432/sourcehat_bench;
the database is dropped and re-created), CACHE_URL (redis://127.0.0.1:6379/1),
PEERS_DIR (/tmp/peers): the ratios use the newest run of the peers' harness there
when it is less than 12 hours old (run it first: the targets are same-session
ratios), else the published RESULTS.md, and say which.
"""

import argparse
import atexit
import json
import os
import random
import re
import secrets
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import time
import urllib.parse
import urllib.request
from datetime import timedelta
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parent.parent
OUT_DIR = BASE_DIR / "var" / "bench"
BIN = Path(sys.executable).parent
SIZES = (10, 100, 1000)
QUEUE_SIZE = 100_000
WRK = ["-t2", "-c16", "--timeout", "30s", "--latency"]
# The peers' published medians (../shared/bench/peers/RESULTS.md, same machine).
PEERS = {
    "xtd (Postgres)": {10: 148.7, 100: 47.6, 1000: 6.3, "post": 94.9},
    "Isso": {10: 289.6, 100: 44.4, 1000: 4.6, "post": 198.3},
}
# x django-comments-xtd, at the origin (issue 13's targets for plain Django).
TARGETS = {10: 3, 1000: 30}
# The app's own code, for code_lines (tests live in tests/, outside these).
APPS = ("blog", "comments", "moderation", "config")

ENV = {
    "DEBUG": "0",
    "SECRET_KEY": "bench-" + secrets.token_urlsafe(32),
    "ALLOWED_HOSTS": "127.0.0.1",
    # The named opt-out: production settings over plain http on loopback.
    "ALLOW_PLAIN_HTTP": "1",
    "DATABASE_URL": os.environ.get(
        "DATABASE_URL", "postgres://postgres@127.0.0.1:5432/sourcehat_bench"
    ),
    "CACHE_URL": os.environ.get("CACHE_URL", "redis://127.0.0.1:6379/1"),
    # Lifted for the run, as the peers lifted Isso's guard: one client IP posts.
    "COMMENT_RATE_LIMIT": "0",
    "EMAIL_URL": "dummymail://",
    "SITE_URL": "http://127.0.0.1",
    "LOG_LEVEL": "WARNING",
    "PYTHONDONTWRITEBYTECODE": "1",
}

_children: list[subprocess.Popen] = []


def log(msg: str) -> None:
    print(msg, flush=True)


# --- processes --------------------------------------------------------------------
def _stop_children() -> None:
    for proc in _children:
        if proc.poll() is None:
            proc.terminate()  # by PID: TERM to the gunicorn master only
    for proc in _children:
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            proc.kill()
    _children.clear()


def _on_signal(signum: int, frame: object) -> None:
    _stop_children()
    sys.exit(128 + signum)


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def settle(limit: float = 30.0) -> None:
    """Wait until the CPUs are ~idle (<10% busy), as the peers' run.sh does."""

    def sample() -> tuple[int, int]:
        fields = [int(x) for x in Path("/proc/stat").read_text().split()[1:9]]
        busy = fields[0] + fields[1] + fields[2] + fields[5] + fields[6]
        return busy, fields[3] + fields[4]

    end = time.monotonic() + limit
    while time.monotonic() < end:
        b0, i0 = sample()
        time.sleep(0.5)
        b1, i1 = sample()
        if (b1 - b0) <= 0.10 * ((b1 - b0) + (i1 - i0)):
            return


def worker_pids(master: int) -> list[int]:
    path = Path(f"/proc/{master}/task/{master}/children")
    return [int(p) for p in path.read_text().split()] if path.exists() else []


def peak_rss_mb(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    return 0.0


def ensure_nginx() -> None:
    from tests.nginx_front import installed

    if not installed():
        raise SystemExit(
            "nginx missing (the front rows need it): "
            "run scripts/install-test-deps.sh as root, or apt-get install nginx"
        )


def ensure_wrk() -> str:
    if shutil.which("wrk"):
        return shutil.which("wrk")
    log("wrk missing: installing Debian's package (apt-get install wrk)")
    subprocess.run(["apt-get", "install", "-y", "-q", "wrk"], check=True)
    return shutil.which("wrk")


# --- database and data ------------------------------------------------------------
def wait_until_up(base: str) -> bool:
    """Whether the server at `base` answers /healthz within about 20 s."""
    for _ in range(100):
        try:
            urllib.request.urlopen(base + "/healthz", timeout=2).read()  # noqa: S310
            return True
        except OSError:
            time.sleep(0.2)
    return False


def recreate_database(url: str) -> None:
    import psycopg

    parts = urllib.parse.urlsplit(url)
    name = parts.path.lstrip("/")
    admin_url = urllib.parse.urlunsplit(parts._replace(path="/postgres"))
    with psycopg.connect(admin_url, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        conn.execute(f'CREATE DATABASE "{name}"')


_TEXT = (
    "the model weights are not the source code and a licence that forbids some uses "
    "is not open by any definition we have agreed on since the nineties I build "
    "these systems at work data training reproducible pipeline dataset release "
    "binary compiler analogy breaks down because you cannot rebuild it yourself "
    "which is the whole point of having the source in the first place"
)
WORDS = tuple(_TEXT.split())


def comment_text(rng: random.Random, n: int) -> str:
    words: list[str] = []
    while len(" ".join(words)) < 140:
        words.append(rng.choice(WORDS))
    text = " ".join(words).capitalize() + f". ({n})"
    if n % 7 == 0:
        text += " See https://example.org/notes/" + str(n)
    return text


def seed() -> dict:
    """Articles a10/a100/a1000 + post-target, published comments, a 100k queue."""
    from django.contrib.auth import get_user_model
    from django.contrib.auth.models import Group
    from django.core.cache import cache
    from django.utils import timezone

    from blog.models import Article
    from comments.models import Comment, CommentSource, CommentStatus
    from comments.rendering import render_comment
    from moderation.transitions import touch_article

    cache.clear()
    rng = random.Random(6)
    now = timezone.now()
    body = "\n\n".join(
        "A paragraph of the article, long enough to look like one. " * 6
        for _ in range(8)
    )
    articles = {}
    for slug in (*(f"a{n}" for n in SIZES), "post-target", "queue"):
        articles[slug] = Article.objects.create(
            title=f"Benchmark article {slug}",
            slug=slug,
            standfirst="An article with many reader comments.",
            body=body,
            published_at=now - timedelta(days=3),
        )
    seq = 0
    for n in SIZES:
        rows = []
        for i in range(n):
            seq += 1
            text = comment_text(rng, seq)
            rows.append(
                Comment(
                    article=articles[f"a{n}"],
                    source=CommentSource.WEB,
                    author_name=f"Reader {seq}",
                    author_email=f"reader{seq}@example.org",
                    body=text,
                    body_html=render_comment(text),
                    status=CommentStatus.PUBLISHED,
                    featured=i < 2,
                    submitted_at=now - timedelta(hours=2, seconds=n - i),
                    published_at=now - timedelta(hours=1, seconds=n - i),
                )
            )
        Comment.objects.bulk_create(rows, batch_size=1000)
        touch_article(articles[f"a{n}"].pk)
    batch = []
    for i in range(QUEUE_SIZE):
        batch.append(
            Comment(
                article=articles["queue"] if i % 10 else None,
                source=CommentSource.WEB if i % 3 else CommentSource.EMAIL,
                author_name=f"Queued {i}",
                author_email=f"q{i}@example.org",
                body=comment_text(rng, i),
                status=CommentStatus.PENDING,
                submitted_at=now - timedelta(seconds=QUEUE_SIZE - i),
                ip_address=f"10.0.{i % 250}.{i % 200 + 1}",
            )
        )
        if len(batch) == 5000:
            Comment.objects.bulk_create(batch)
            batch = []
    User = get_user_model()
    editor = User.objects.create_user(
        "bench-editor", "editor@example.org", secrets.token_urlsafe(12), is_staff=True
    )
    editor.groups.add(Group.objects.get(name="Editors"))
    from django.db import connection

    # The peers' data was seeded long before their run; settle ours the same way,
    # so the vacuum autovacuum owes 100,000 new rows and the writing-out of their
    # pages don't land in the measured runs.
    with connection.cursor() as cur:
        cur.execute("VACUUM (ANALYZE)")
        cur.execute("CHECKPOINT")
    return {"editor": editor, "post_target": articles["post-target"]}


# --- wrk --------------------------------------------------------------------------
def _ms(value: str) -> float:
    num, unit = re.fullmatch(r"([\d.]+)(us|ms|s|m)", value).groups()
    return float(num) * {"us": 0.001, "ms": 1, "s": 1000, "m": 60000}[unit]


def run_wrk(
    wrk: str, url: str, duration: int, script: str | None = None, *script_args: str
) -> dict:
    cmd = [wrk, *WRK, f"-d{duration}s"]
    if script:
        cmd += ["-s", script]
    out = subprocess.run(
        [*cmd, url, *script_args], capture_output=True, text=True, timeout=duration + 60
    ).stdout
    rps = float(re.search(r"Requests/sec:\s+([\d.]+)", out)[1])
    p50 = _ms(re.search(r"^\s+50%\s+(\S+)", out, re.M)[1])
    p99 = _ms(re.search(r"^\s+99%\s+(\S+)", out, re.M)[1])
    bad = re.search(r"Non-2xx or 3xx responses: (\d+)", out)
    errors = re.search(r"Socket errors: (.*)", out)
    statuses = re.search(r"STATUS (.*)", out)
    return {
        "rps": rps,
        "p50_ms": p50,
        "p99_ms": p99,
        "non_2xx_3xx": int(bad[1]) if bad else 0,
        "socket_errors": errors[1] if errors else "",
        "statuses": json.loads(statuses[1]) if statuses else {},
        "raw": out,
    }


POST_LUA = """-- generated by bench/run.py: POST the real form, unique text per request
local counter = 0
local nthreads = 0
local threads = {}
function setup(thread)
  nthreads = nthreads + 1
  thread:set("tid", nthreads)
  table.insert(threads, thread)
end
local rep = ""
function init(args)
  -- Each run's own texts: the same text again is a repeat, not stored twice.
  rep = args[1] or ""
  wrk.method = "POST"
  wrk.path = "%(path)s"
  wrk.headers["Content-Type"] = "application/x-www-form-urlencoded"
  wrk.headers["Sec-Fetch-Site"] = "same-origin"
  statuses = {}
end
local base_body = "%(body)s"
function request()
  counter = counter + 1
  local text = "Bench+comment+%(run)s+" .. rep .. "+" .. tostring(tid) .. "-" ..
    tostring(counter) ..
    "+about+open+models+and+what+the+source+of+a+trained+network+really+is"
  return wrk.format(nil, nil, nil, base_body .. "&body=" .. text)
end
function response(status, headers, body)
  statuses[status] = (statuses[status] or 0) + 1
end
function done(summary, latency, requests)
  local total = {}
  for _, t in ipairs(threads) do
    for k, v in pairs(t:get("statuses")) do total[k] = (total[k] or 0) + v end
  end
  local parts = {}
  for k, v in pairs(total) do table.insert(parts, '"' .. k .. '": ' .. v) end
  io.write("STATUS {" .. table.concat(parts, ", ") .. "}\\n")
end
"""


def make_post_script(base: str, slug: str, run: str) -> tuple[str, str]:
    """Read the page's form as a browser would; write a wrk script posting it."""
    page = urllib.request.urlopen(f"{base}/articles/{slug}/").read().decode()  # noqa: S310
    action = re.search(r'class="comment-form" method="post" action="([^"]+)"', page)
    # What the page's script sends: a reader who took a minute over it.
    body = urllib.parse.urlencode({"name": "Bench Reader", "elapsed": "60.0"})
    # One real post through urllib first: it must end on the reader's receipt.
    sanity = urllib.parse.urlencode({"body": f"Sanity post {run}"})
    request = urllib.request.Request(  # noqa: S310
        base + action[1],
        data=f"{body}&{sanity}".encode(),
        headers={"Sec-Fetch-Site": "same-origin"},
    )
    response = urllib.request.urlopen(request)  # noqa: S310
    assert response.status == 200 and "/comments/sent/" in response.url, (
        response.status,
        response.url,
    )
    script = OUT_DIR / "post.lua"
    script.write_text(POST_LUA % {"path": action[1], "body": body, "run": run})
    return str(script), action[1]


# --- the front ----------------------------------------------------------------------
STATIC_SERVER = """
    # bench/run.py: the same pages as plain files, for the front's yardstick.
    server {
        listen 127.0.0.1:%(port)d;
        root %(root)s;
    }
"""


def write_static_pages(base: str, root: Path) -> dict[int, str]:
    """Each article page fetched once from the origin, saved as a file; its path."""
    shutil.rmtree(root, ignore_errors=True)
    paths = {}
    for n in SIZES:
        path = f"/articles/a{n}/"
        with urllib.request.urlopen(base + path) as resp:  # noqa: S310
            page = resp.read()
        (root / path.strip("/")).mkdir(parents=True)
        (root / path.strip("/") / "index.html").write_bytes(page)
        paths[n] = path
    return paths


def check_front(front: str, static: str, paths: dict[int, str]) -> None:
    """Say so when the front isn't serving cached copies or the bytes differ."""
    for n, path in paths.items():
        with urllib.request.urlopen(front + path) as resp:  # noqa: S310
            cached, status = resp.read(), resp.headers.get("X-Cache-Status")
        with urllib.request.urlopen(static + path) as resp:  # noqa: S310
            same = resp.read() == cached
        log(
            f"front a{n}: X-Cache-Status {status}, "
            + ("same bytes as the static copy" if same else "BYTES DIFFER from it")
        )
        if status not in ("HIT", "STALE", "UPDATING", "REVALIDATED"):
            log(f"WARNING front a{n}: not from the cache; its rows measure the origin")


def run_front(wrk: str, base: str, reps: int, duration: int) -> dict[str, list[dict]]:
    """front_N (nginx's cache before gunicorn) and static_N (nginx, files)."""
    from tests.nginx_front import free_port, nginx_front

    pages, static_port = OUT_DIR / "static-pages", free_port()
    paths = write_static_pages(base, pages)
    run_dir = OUT_DIR / "nginx"
    shutil.rmtree(run_dir, ignore_errors=True)
    runs: dict[str, list[dict]] = {
        f"{kind}_{n}": [] for kind in ("front", "static") for n in SIZES
    }
    with nginx_front(
        upstream=urllib.parse.urlsplit(base).netloc,
        static_root=BASE_DIR / "staticfiles",
        run_dir=run_dir,
        extra=STATIC_SERVER % {"port": static_port, "root": pages},
    ) as front:
        static = f"http://127.0.0.1:{static_port}"
        log(f"nginx: the front on {front}, the static copies on {static}")
        urls = {
            **{f"front_{n}": front + path for n, path in paths.items()},
            **{f"static_{n}": static + path for n, path in paths.items()},
        }
        for url in urls.values():  # warm-up: the front fetches each page once
            settle()
            subprocess.run([wrk, "-t2", "-c2", "-d1s", url], capture_output=True)
        check_front(front, static, paths)
        for rep in range(1, reps + 1):
            for case, url in urls.items():
                settle()
                result = run_wrk(wrk, url, duration)
                runs[case].append(result)
                log(f"{case:<13} rep{rep} {result['rps']:>9.1f} req/s")
                if result["non_2xx_3xx"] or result["socket_errors"]:
                    log(
                        f"WARNING {case}: {result['non_2xx_3xx']} non-2xx/3xx "
                        f"responses; socket errors {result['socket_errors']}"
                    )
    return runs


def code_lines() -> int:
    """Non-blank lines of the apps' Python, migrations left out."""
    total = 0
    for app in APPS:
        for path in (BASE_DIR / app).rglob("*.py"):
            if "migrations" in path.parts or path.name.startswith("test"):
                continue
            total += sum(1 for line in path.read_text().splitlines() if line.strip())
    return total


# --- admin queue ------------------------------------------------------------------
def admin_queue(base: str, editor: object, n: int = 30) -> tuple[float, int]:
    """Median ms over HTTP (signed in) and the query count of one page, in-process."""
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    client = Client(HTTP_HOST="127.0.0.1")
    client.force_login(editor)
    session = client.cookies["sessionid"].value
    url = "/admin/comments/comment/"
    client.get(url)
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200, response.status_code
    assert b"Queued 0" in response.content  # the oldest pending comment heads it
    times = []
    for _ in range(n):
        start = time.perf_counter()
        req = urllib.request.Request(  # noqa: S310
            base + url, headers={"Cookie": f"sessionid={session}"}
        )
        with urllib.request.urlopen(req) as resp:  # noqa: S310
            resp.read()
            assert resp.status == 200
        times.append((time.perf_counter() - start) * 1000)
    return statistics.median(times), len(queries)


# --- report -----------------------------------------------------------------------
def median_of(runs: list[dict]) -> dict:
    return {
        "rps": round(statistics.median(r["rps"] for r in runs), 1),
        "p50_ms": round(statistics.median(r["p50_ms"] for r in runs), 2),
        "p99_ms": round(statistics.median(r["p99_ms"] for r in runs), 2),
        "min_rps": round(min(r["rps"] for r in runs), 1),
        "max_rps": round(max(r["rps"] for r in runs), 1),
    }


def table(results: dict, extra: dict) -> str:
    rows = [
        "| case | req/s (median) | req/s min–max | p50 ms | p99 ms |",
        "|---|---:|---:|---:|---:|",
    ]
    labels = {
        "article_10": "GET 10 comments — Source Hat page, Postgres + Redis",
        "article_100": "GET 100 comments — Source Hat page, Postgres + Redis",
        "article_1000": "GET 1000 comments — Source Hat page (100 a page), "
        "Postgres + Redis",
        "post": "POST comment — Source Hat form, Postgres (→ 303)",
    }
    labels.update(
        {
            **{
                f"front_{n}": f"GET {n} comments — through the nginx front (cache)"
                for n in SIZES
            },
            **{
                f"static_{n}": f"GET {n} comments — nginx, the same bytes as a file"
                for n in SIZES
            },
        }
    )
    for key, label in labels.items():
        r = results[key]
        rows.append(
            f"| {label} | {r['rps']:,.1f} | {r['min_rps']:,.1f}–{r['max_rps']:,.1f} "
            f"| {r['p50_ms']:.2f} | {r['p99_ms']:.2f} |"
        )
    rows.append(
        f"| admin queue, {QUEUE_SIZE:,} pending, signed-in editor | — | — "
        f"| {extra['admin_queue_ms']:.1f} (median of 30, sequential) | "
        f"{extra['admin_queue_queries']} queries |"
    )
    ingest = extra.get("ingest_per_s")
    rows.append(
        "| email ingestion, one process | "
        + (f"{ingest:,.1f} msg/s | — | — | — |" if ingest else "skipped | — | — | — |")
    )
    rows.append(
        f"| gunicorn worker peak RSS (VmHWM) | {extra['worker_peak_rss_mb']:.1f} MB "
        "| — | — | — |"
    )
    rows.append(
        f"| app code: {', '.join(APPS)} (Python, non-blank lines, no tests or "
        f"migrations) | {extra['code_lines']:,} lines | — | — | — |"
    )
    rows.append(
        f"| import_comments, 100,000-comment WXR (bench/imports.py) | "
        f"{extra['import_per_s']:,.1f} comments/s | — | — | — |"
    )
    rows.append(
        f"| import peak memory (PSS, all its processes) | "
        f"{extra['import_peak_rss_mb']:.1f} MB | — | — | — |"
    )
    return "\n".join(rows)


# The peers' harness's own default (its README): outside any git repository.
PEERS_DIR = Path(os.environ.get("PEERS_DIR", "/tmp/peers"))  # noqa: S108
PEER_ROWS = {
    "xtd (Postgres)": {10: "get-a10-xtd-pg", 100: "get-a100-xtd-pg",
                       1000: "get-a1000-xtd-pg", "post": "post-xtd-pg"},
    "Isso": {10: "get-a10-isso", 100: "get-a100-isso", 1000: "get-a1000-isso",
             "post": "post-isso"},
}  # fmt: skip


def measured_peers(max_age_hours: float = 12) -> tuple[dict, str] | None:
    """The peers' medians from the newest run of their harness on this machine.

    The targets are ratios measured in the same session; the machine's speed
    varies by 2x or more between sessions, so the published table is only a
    fallback. Returns (numbers shaped like PEERS, where they came from).
    """
    runs = sorted(PEERS_DIR.glob("results/*/summary.md"))
    if not runs or time.time() - runs[-1].stat().st_mtime > max_age_hours * 3600:
        return None
    medians = {}
    for line in runs[-1].read_text().splitlines():
        cells = [c.strip() for c in line.strip("|").split("|")]
        if len(cells) > 1:
            try:
                medians[cells[0]] = float(cells[1].replace(",", ""))
            except ValueError:
                continue
    try:
        peers = {
            peer: {case: medians[row] for case, row in rows.items()}
            for peer, rows in PEER_ROWS.items()
        }
    except KeyError:
        return None
    return peers, str(runs[-1])


def ratios(results: dict) -> tuple[str, dict]:
    measured = measured_peers()
    if measured:
        peers, source = measured
        lines = [f"Ratios vs the peers measured on this machine ({source}):"]
    else:
        peers, source = PEERS, "../shared/bench/peers/RESULTS.md"
        lines = [
            "Ratios vs the peers' published numbers (RESULTS.md): no run of their "
            f"harness in {PEERS_DIR}/results from the last 12 hours. Run "
            "`bash ../shared/bench/peers/run.sh` first for a same-session comparison."
        ]
    for peer, nums in peers.items():
        parts = []
        for n in SIZES:
            ours = results[f"article_{n}"]["rps"]
            parts.append(f"{n}: {ours / nums[n]:.1f}x")
        parts.append(f"POST: {results['post']['rps'] / nums['post']:.1f}x")
        lines.append(f"  vs {peer}: " + ", ".join(parts))
    xtd, isso = peers["xtd (Postgres)"], peers["Isso"]
    checks = [
        *(
            (
                f"GET {n} >= {t}x xtd",
                results[f"article_{n}"]["rps"] >= t * xtd[n],
            )
            for n, t in TARGETS.items()
        ),
        (
            "1000-comment rps >= half the 10-comment rps",
            results["article_1000"]["rps"] >= results["article_10"]["rps"] / 2,
        ),
        ("POST >= 2x xtd", results["post"]["rps"] >= 2 * xtd["post"]),
        ("POST ahead of Isso", results["post"]["rps"] > isso["post"]),
        (
            "front >= half of static at every size",
            all(
                results[f"front_{n}"]["rps"] >= results[f"static_{n}"]["rps"] / 2
                for n in SIZES
            ),
        ),
    ]
    lines += [f"  [{'met' if ok else 'MISSED'}] {name}" for name, ok in checks]
    lines.append(
        "  front / static: "
        + ", ".join(
            f"{n}: {results[f'front_{n}']['rps'] / results[f'static_{n}']['rps']:.2f}"
            for n in SIZES
        )
    )
    summary = {
        "source": source,
        "peers": {
            peer: {str(k): v for k, v in nums.items()} for peer, nums in peers.items()
        },
        "targets": {name: ok for name, ok in checks},
    }
    return "\n".join(lines), summary


# --- main -------------------------------------------------------------------------
def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--reps", type=int, default=3)
    parser.add_argument("--duration", type=int, default=10)
    parser.add_argument("--quick", action="store_true")
    parser.add_argument(
        "--desk", action="store_true", help="only the editors' desk (bench/desk.py)"
    )
    parser.add_argument(
        "--sizes",
        default="10000,100000,1000000",
        help="comment counts for the desk, comma-separated",
    )
    parser.add_argument(
        "--reuse",
        action="store_true",
        help="the desk keeps a database per size (<name>_<size>) and reuses it",
    )
    args = parser.parse_args()
    sizes = [int(n) for n in args.sizes.split(",") if n.strip()]
    if args.desk:
        return run_desk(sizes, args.reuse)
    if args.quick:
        args.reps, args.duration = 1, 5
    started = time.monotonic()
    OUT_DIR.mkdir(parents=True, exist_ok=True)
    atexit.register(_stop_children)
    signal.signal(signal.SIGTERM, _on_signal)
    signal.signal(signal.SIGINT, _on_signal)
    wrk = ensure_wrk()
    sys.path.insert(0, str(BASE_DIR))
    ensure_nginx()

    os.environ.update(ENV)
    log("Settings: DEBUG=0, ALLOW_PLAIN_HTTP=1 (the named opt-out: production")
    log("  settings over plain http on loopback), COMMENT_RATE_LIMIT=0 (per-IP rate")
    log("  limit lifted for this run: every POST comes from 127.0.0.1),")
    log(f"  DATABASE_URL={ENV['DATABASE_URL']}, CACHE_URL={ENV['CACHE_URL']}")
    recreate_database(ENV["DATABASE_URL"])
    manage = [str(BIN / "python"), str(BASE_DIR / "manage.py")]
    subprocess.run([*manage, "migrate", "--noinput", "-v0"], check=True, cwd=BASE_DIR)
    subprocess.run(
        [*manage, "collectstatic", "--noinput", "-v0"], check=True, cwd=BASE_DIR
    )
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    import django

    django.setup()
    t0 = time.monotonic()
    seeded = seed()
    took = time.monotonic() - t0
    log(f"Seeded a10/a100/a1000 and {QUEUE_SIZE:,} pending in {took:.1f} s")

    port = free_port()
    base = f"http://127.0.0.1:{port}"
    server_log = open(OUT_DIR / "gunicorn.log", "w")  # noqa: SIM115
    master = subprocess.Popen(
        [
            str(BIN / "gunicorn"),
            "config.wsgi",
            "--workers=2",
            "--worker-class=sync",
            f"--bind=127.0.0.1:{port}",
            "--log-level=warning",
        ],
        cwd=BASE_DIR,
        stdout=server_log,
        stderr=subprocess.STDOUT,
    )
    _children.append(master)
    if not wait_until_up(base):
        raise SystemExit("gunicorn did not come up; see var/bench/gunicorn.log")
    log(f"gunicorn: 2 sync workers on {base} (pid {master.pid})")

    from comments.models import Comment

    run_id = secrets.token_hex(3)
    post_script, _ = make_post_script(base, "post-target", run_id)
    urls = {f"article_{n}": f"{base}/articles/a{n}/" for n in SIZES}
    for url in urls.values():  # warm-up, as the peers' run.sh
        settle()
        subprocess.run([wrk, "-t2", "-c2", "-d1s", url], capture_output=True)
    runs: dict[str, list[dict]] = {case: [] for case in [*urls, "post"]}
    for rep in range(1, args.reps + 1):
        for case, url in urls.items():
            settle()
            result = run_wrk(wrk, url, args.duration)
            runs[case].append(result)
            log(f"{case:<13} rep{rep} {result['rps']:>9.1f} req/s")
    posted_before = Comment.objects.filter(article=seeded["post_target"]).count()
    for rep in range(1, args.reps + 1):
        settle()
        result = run_wrk(
            wrk,
            f"{base}/articles/post-target/comment/",
            args.duration,
            post_script,
            f"rep{rep}",
        )
        runs["post"].append(result)
        log(f"{'post':<13} rep{rep} {result['rps']:>9.1f} req/s  {result['statuses']}")
    settle()
    posted = Comment.objects.filter(article=seeded["post_target"]).count()
    posted -= posted_before
    redirects = sum(r["statuses"].get("303", 0) for r in runs["post"])
    other = {
        code: n
        for r in runs["post"]
        for code, n in r["statuses"].items()
        if code != "303"
    }
    for case, case_runs in runs.items():
        bad = sum(r["non_2xx_3xx"] for r in case_runs)
        errs = [r["socket_errors"] for r in case_runs if r["socket_errors"]]
        if bad or errs:
            log(f"WARNING {case}: {bad} non-2xx/3xx responses; socket errors {errs}")
    log(
        f"POST check: {redirects} answered 303, {posted} rows stored "
        f"(more rows than 303s = requests wrk left in flight at the end), "
        f"other statuses: {other or 'none'}; "
        + ("no post lost." if posted >= redirects and not other else "POSTS LOST!")
    )

    queue_ms, queue_queries = admin_queue(base, seeded["editor"])
    rss = max(peak_rss_mb(pid) for pid in worker_pids(master.pid))
    runs.update(run_front(wrk, base, args.reps, args.duration))
    _stop_children()

    ingest = None
    try:
        from bench.mail import run_mail_bench
    except ImportError:
        log("Email ingestion: bench/mail.py not present yet; row skipped.")
    else:
        mail = run_mail_bench(2000)
        ingest = mail["ingest_per_s"]
        from bench.mail import hostile_ratios, print_hostile_ratios

        print_hostile_ratios(hostile_ratios())

    from bench.imports import run_import_bench

    imported = run_import_bench()
    log(f"Import: {imported['report']}")

    results = {case: median_of(case_runs) for case, case_runs in runs.items()}
    extra = {
        "import_per_s": imported["import_per_s"],
        "import_peak_rss_mb": imported["import_peak_rss_mb"],
        "import_cpu_us_per_comment": imported["cpu_us_per_comment"],
        "admin_queue_ms": round(queue_ms, 1),
        "admin_queue_queries": queue_queries,
        "ingest_per_s": ingest,
        "worker_peak_rss_mb": round(rss, 1),
        "code_lines": code_lines(),
    }
    comparison, vs_peers = ratios(results)
    latest = {
        **{
            k: {m: v[m] for m in ("rps", "p50_ms", "p99_ms")}
            for k, v in results.items()
        },
        **extra,
        "vs_peers": vs_peers,
    }
    (OUT_DIR / "latest.json").write_text(json.dumps(latest, indent=2) + "\n")
    raw = OUT_DIR / "wrk.txt"
    raw.write_text(
        "\n".join(
            f"== {case} rep{i + 1}\n{r['raw']}"
            for case, case_runs in runs.items()
            for i, r in enumerate(case_runs)
        )
    )
    log("")
    log(
        f"The Source Hat, median of {args.reps} × wrk -t2 -c16 -d{args.duration}s, "
        "2 gunicorn sync workers, PostgreSQL + Redis, DEBUG off, ALLOW_PLAIN_HTTP=1, "
        "COMMENT_RATE_LIMIT=0"
    )
    log(table(results, extra))
    log("")
    log(comparison)
    log(
        f"\nWrote {OUT_DIR / 'latest.json'} (raw wrk output: {raw}); "
        f"total {time.monotonic() - started:.0f} s"
    )
    if not sizes:  # --sizes "": the public pages only
        return 0
    # A process of its own: this one's Django is set up on the bench's database,
    # and the desk needs its own (settings are read once, at setup).
    desk = [sys.executable, __file__, "--desk", "--sizes", ",".join(map(str, sizes))]
    if args.reuse:
        desk.append("--reuse")
    return subprocess.run(desk, cwd=BASE_DIR).returncode


def run_desk(sizes: list[int], reuse: bool = False) -> int:
    """The editors' desk at each size (its own database and cache)."""
    sys.path.insert(0, str(BASE_DIR))
    from bench.desk import run_desk as desk

    env = {
        **ENV,
        "DATABASE_URL": os.environ.get(
            "DESK_DATABASE_URL", "postgres://postgres@127.0.0.1:5432/sourcehat_desk"
        ),
        "CACHE_URL": os.environ.get("DESK_CACHE_URL", "redis://127.0.0.1:6379/7"),
    }
    atexit.register(_stop_children)
    return desk(sizes, env, reuse)


if __name__ == "__main__":
    sys.exit(main())
