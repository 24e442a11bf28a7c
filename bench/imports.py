"""Benchmark: import a generated 100,000-comment WordPress export into PostgreSQL.

    make bench-import                         # 100,000 comments
    make bench-import BENCH_ARGS="-n 20000"   # a quicker try

Its own database (IMPORT_DATABASE_URL, default
postgres://postgres@127.0.0.1:5432/sourcehat_bench_import) is dropped and
re-created, migrated, and given the 1,000 articles the file's posts name. The
file (var/bench/import.xml) is a WXR 1.2 export as WordPress writes it: 100
comments a post; 88% approved, 9% held, 3% spam; two in three bodies plain
text with paragraphs, one in three with HTML (links, emphasis, quotes); one in
five a reply, a quarter of those to a comment further down the file. The import
runs as the operator runs it (`manage.py import_comments`, DEBUG off) in a
process of its own: import_per_s is its comments over its whole wall time
(start-up included). import_peak_rss_mb is the peak memory of the import's
processes together (it forks workers that prepare the bodies): the sum of their
proportional set sizes (PSS: shared pages split among the processes sharing
them, so the forked copies are not counted twice), sampled every 0.1 s; the
largest single process's peak (VmHWM, from wait4) is reported beside it.
``run_import_bench(n)`` is what `make bench` calls.
"""

from __future__ import annotations

import argparse
import os
import random
import subprocess
import sys
import threading
import time
import urllib.parse
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))  # bench.run, when run as a script

from bench.run import WORDS as ARTICLE_WORDS  # noqa: E402
from bench.run import recreate_database  # noqa: E402

OUT_DIR = ROOT / "var" / "bench"
DEFAULT_URL = "postgres://postgres@127.0.0.1:5432/sourcehat_bench_import"
PER_POST = 100
WORDS = ARTICLE_WORDS[:50]
HEADER = """<?xml version="1.0" encoding="UTF-8" ?>
<rss version="2.0"
\txmlns:excerpt="http://wordpress.org/export/1.2/excerpt/"
\txmlns:content="http://purl.org/rss/1.0/modules/content/"
\txmlns:wfw="http://wellformedweb.org/CommentAPI/"
\txmlns:dc="http://purl.org/dc/elements/1.1/"
\txmlns:wp="http://wordpress.org/export/1.2/"
>
<channel>
\t<title>Bench blog</title>
\t<link>https://old.example.org</link>
\t<wp:wxr_version>1.2</wp:wxr_version>
\t<wp:base_blog_url>https://old.example.org</wp:base_blog_url>
"""


def _sentence(rng: random.Random) -> str:
    return " ".join(rng.choice(WORDS) for _ in range(rng.randint(8, 20))).capitalize()


def _body(rng: random.Random, n: int) -> str:
    paragraphs = [
        ". ".join(_sentence(rng) for _ in range(rng.randint(1, 3))) + "."
        for _ in range(rng.randint(1, 3))
    ]
    if n % 3 == 2:  # HTML, as WordPress keeps what commenters may use
        paragraphs[0] = (
            f'<em>{paragraphs[0]}</em> See <a href="https://example.org/n/{n}">'
            "this note</a>."
        )
        if len(paragraphs) > 1:
            paragraphs[1] = f"<blockquote>{paragraphs[1]}</blockquote>"
    elif n % 7 == 0:
        paragraphs[-1] += f" https://example.org/notes/{n}"
    return "\n\n".join(paragraphs)


def _comment(rng: random.Random, n: int, first: int) -> str:
    approved = "1" if n % 100 < 88 else "0" if n % 100 < 97 else "spam"
    parent = 0
    if n % 5 == 1 and n > first:
        # A quarter of the replies answer a comment that comes later in the file.
        parent = n + rng.randint(1, 3) if n % 20 == 1 else rng.randint(first, n - 1)
        parent = min(parent, first + PER_POST - 1)
        parent = 0 if parent == n else parent
    when = f"2019-{1 + n % 12:02d}-{1 + n % 28:02d} {n % 24:02d}:{n % 60:02d}:00"
    return (
        "\t\t<wp:comment>\n"
        f"\t\t\t<wp:comment_id>{n}</wp:comment_id>\n"
        f"\t\t\t<wp:comment_author><![CDATA[Reader {n % 5000}]]></wp:comment_author>\n"
        "\t\t\t<wp:comment_author_email><![CDATA[reader"
        f"{n % 5000}@example.org]]></wp:comment_author_email>\n"
        "\t\t\t<wp:comment_author_url></wp:comment_author_url>\n"
        "\t\t\t<wp:comment_author_IP><![CDATA[192.0.2.1]]></wp:comment_author_IP>\n"
        f"\t\t\t<wp:comment_date><![CDATA[{when}]]></wp:comment_date>\n"
        f"\t\t\t<wp:comment_date_gmt><![CDATA[{when}]]></wp:comment_date_gmt>\n"
        f"\t\t\t<wp:comment_content><![CDATA[{_body(rng, n)}]]></wp:comment_content>\n"
        f"\t\t\t<wp:comment_approved><![CDATA[{approved}]]></wp:comment_approved>\n"
        "\t\t\t<wp:comment_type><![CDATA[comment]]></wp:comment_type>\n"
        f"\t\t\t<wp:comment_parent>{parent}</wp:comment_parent>\n"
        "\t\t\t<wp:comment_user_id>0</wp:comment_user_id>\n"
        "\t\t</wp:comment>\n"
    )


def generate(path: Path, n: int) -> int:
    """Write an n-comment WXR file; returns the number of posts."""
    rng = random.Random(15)
    posts = -(-n // PER_POST)
    with path.open("w", encoding="utf-8") as out:
        out.write(HEADER)
        for post in range(posts):
            out.write(
                "\t<item>\n"
                f"\t\t<title>Bench post {post}</title>\n"
                f"\t\t<link>https://old.example.org/2019/bench-{post}/</link>\n"
                f"\t\t<pubDate>Tue, 01 Jan 2019 10:00:00 +0000</pubDate>\n"
                f'\t\t<guid isPermaLink="false">https://old.example.org/?p={post}</guid>\n'
                "\t\t<content:encoded><![CDATA[<p>A post.</p>]]></content:encoded>\n"
                f"\t\t<wp:post_id>{post + 1}</wp:post_id>\n"
                "\t\t<wp:post_date_gmt>2019-01-01 10:00:00</wp:post_date_gmt>\n"
                f"\t\t<wp:post_name><![CDATA[bench-{post}]]></wp:post_name>\n"
                "\t\t<wp:status>publish</wp:status>\n"
                "\t\t<wp:post_type>post</wp:post_type>\n"
            )
            first = post * PER_POST + 1
            for number in range(first, min(first + PER_POST, n + 1)):
                out.write(_comment(rng, number, first))
            out.write("\t</item>\n")
        out.write("</channel>\n</rss>\n")
    return posts


def _manage(env: dict, *args: str, **options: object) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, str(ROOT / "manage.py"), *args],
        env=env,
        check=True,
        cwd=ROOT,
        **options,
    )


def _seed_articles(env: dict, posts: int) -> None:
    code = (
        "from django.utils import timezone\n"
        "from blog.models import Article\n"
        "Article.objects.bulk_create([Article(title=f'Bench post {i}', "
        "slug=f'bench-{i}', body='A post.', body_html='<p>A post.</p>', "
        f"published_at=timezone.now()) for i in range({posts})])\n"
    )
    _manage(env, "shell", "-v0", "-c", code)


def _count(env: dict) -> int:
    code = "from comments.models import Comment; print(Comment.objects.count())"
    done = _manage(env, "shell", "-v0", "-c", code, capture_output=True, text=True)
    return int(done.stdout.strip().splitlines()[-1])


def _tree_pss_kib(pid: int) -> int:
    """The summed PSS of a process and its children, in KiB (0 once it is gone)."""
    total = 0
    try:
        children = Path(f"/proc/{pid}/task/{pid}/children").read_text().split()
    except OSError:
        return 0
    for each in (pid, *map(int, children)):
        try:
            rollup = Path(f"/proc/{each}/smaps_rollup").read_text()
        except OSError:
            continue
        for line in rollup.splitlines():
            if line.startswith("Pss:"):
                total += int(line.split()[1])
    return total


def _cpu_seconds(pid: int) -> float:
    """utime + stime of a process (0 once it is gone)."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rpartition(")")[2].split()
    except OSError:
        return 0.0
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def _sample(
    pid: int, url: str, stop: threading.Event, peak: list[int], server: dict
) -> None:
    """Peak PSS of the import's processes; CPU of its PostgreSQL backends."""
    import psycopg

    name = urllib.parse.urlsplit(url).path.lstrip("/")
    with psycopg.connect(url, autocommit=True) as conn:
        while not stop.wait(0.1):
            peak[0] = max(peak[0], _tree_pss_kib(pid))
            backends = conn.execute(
                "SELECT pid FROM pg_stat_activity WHERE datname = %s "
                "AND pid <> pg_backend_pid()",
                [name],
            ).fetchall()
            for (backend,) in backends:  # the server runs on this machine
                server[backend] = max(server.get(backend, 0.0), _cpu_seconds(backend))


def run_import_bench(n: int = 100_000, url: str | None = None) -> dict:
    """Generate, import, measure: {"import_per_s", "import_peak_rss_mb", ...}."""
    url = url or os.environ.get("IMPORT_DATABASE_URL", DEFAULT_URL)
    OUT_DIR.mkdir(parents=True, exist_ok=True)
    path = OUT_DIR / "import.xml"
    posts = generate(path, n)
    env = {
        **os.environ,
        "DATABASE_URL": url,
        "DEBUG": "0",
        "SECRET_KEY": "bench-import",
        "ALLOWED_HOSTS": "127.0.0.1",
        "ALLOW_PLAIN_HTTP": "1",
        "LOG_LEVEL": "WARNING",
        "EMAIL_URL": "dummymail://",
    }
    recreate_database(url)
    _manage(env, "migrate", "--noinput", "-v0")  # the cache table too
    _seed_articles(env, posts)
    start = time.perf_counter()
    proc = subprocess.Popen(
        [sys.executable, str(ROOT / "manage.py"), "import_comments", str(path)],
        env=env,
        cwd=ROOT,
        stdout=subprocess.PIPE,
        text=True,
    )
    peak, server, stop = [0], {}, threading.Event()
    load = os.getloadavg()[0]
    sampler = threading.Thread(target=_sample, args=(proc.pid, url, stop, peak, server))
    sampler.start()
    report = proc.stdout.read()
    stop.set()
    sampler.join()
    _, status, usage = os.wait4(proc.pid, 0)
    elapsed = time.perf_counter() - start
    if os.waitstatus_to_exitcode(status) != 0:
        raise SystemExit(f"import_comments failed:\n{report}")
    stored = _count(env)
    # CPU the import cost: its processes (workers included: waited for) and its
    # PostgreSQL backend. The machine may be shared; this doesn't depend on it.
    cpu = usage.ru_utime + usage.ru_stime + sum(server.values())
    return {
        "load_before": round(load, 2),
        "cpu_seconds": round(cpu, 1),
        "server_cpu_seconds": round(sum(server.values()), 1),
        "cpu_us_per_comment": round(cpu / stored * 1e6) if stored else None,
        "comments": stored,
        "file_mb": round(path.stat().st_size / 2**20, 1),
        "seconds": round(elapsed, 1),
        "import_per_s": round(stored / elapsed, 1),
        "import_peak_rss_mb": round(peak[0] / 1024, 1),
        "largest_process_peak_rss_mb": round(usage.ru_maxrss / 1024, 1),  # KiB
        "report": report.strip(),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("-n", type=int, default=100_000, help="comments (100,000)")
    args = parser.parse_args()
    result = run_import_bench(args.n)
    print(result["report"])
    print(
        f"import: {result['comments']:,} comments ({result['file_mb']} MB of WXR) in "
        f"{result['seconds']} s = {result['import_per_s']:,.1f} comments/s; "
        f"peak memory {result['import_peak_rss_mb']} MB (PSS, all its processes; "
        f"largest process VmHWM {result['largest_process_peak_rss_mb']} MB)"
    )
    print(
        f"CPU: {result['cpu_seconds']} s in all (import processes + PostgreSQL "
        f"backend, {result['server_cpu_seconds']} s of it) = "
        f"{result['cpu_us_per_comment']} µs a comment; load average "
        f"{result['load_before']} when it started ({os.cpu_count()} CPUs)"
    )


if __name__ == "__main__":
    main()
