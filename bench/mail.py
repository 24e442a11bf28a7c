"""Benchmark: ingest a few thousand generated emails into PostgreSQL in one process.

    make bench-mail                      # 3000 messages
    make bench-mail BENCH_ARGS="-n 5000"

DATABASE_URL defaults to postgres://postgres@127.0.0.1:5432/sourcehat_bench; the
database is created and migrated when missing. Messages go through
``ingest_raw_email`` exactly as the pipe and the IMAP poller hand them over
(store, commit, process, commit), on one core. The mix: plain replies with a
quoted original and a signature, HTML-only mail, routing by plus address, by
[slug] token, by title, and unrouted. Reports messages/second and the peak RSS.
``run_mail_bench(n)`` is importable by the main benchmark (Django already set up).

Then the hostile shapes (tests/comments/mail/shapes.py, issues 16 and 22, the
last two at the size the issue measured): for each, the time to read it
(parse, filters, extraction, trimming) over the time to read a plain message
of the same size, the median of three back-to-back pairs. The target is a small
multiple (under 10); the tests only check that no shape is quadratic again.
``hostile_ratios()`` is importable too; ``--hostile-only`` runs just these.
"""

from __future__ import annotations

import argparse
import os
import resource
import sys
import time
import uuid
from email.message import EmailMessage
from email.utils import format_datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
DEFAULT_DATABASE_URL = "postgres://postgres@127.0.0.1:5432/sourcehat_bench"
ARTICLES = [
    ("bench-open-weights", "Open Weights Are Not Open Source"),
    ("bench-reproducible-builds", "Reproducible Builds, Ten Years On"),
    ("bench-terminal", "Why I Still Live in the Terminal"),
]
PARAGRAPHS = [
    "I think the argument in the third section holds up, but only if you treat "
    "the training data as part of the source.",
    "We tried this at work last year and ran into exactly the licensing problem "
    "you describe; the lawyers were not amused.",
    "Minor nit: the benchmark numbers quoted are from 2021 and the tooling has "
    "improved a lot since.",
    "Thanks for writing this. Sharing it with my team.",
]
QUOTE = (
    "On Tue, 4 Mar 2025 at 09:12, The Source Hat <tech@passinbox.com> wrote:\n"
    + "".join(f"> {line}\n" for line in ["Our new article is out.", ""] * 12)
)
SIGNATURE = "\n-- \nAlex Reader\nhttps://alex.example.org\n"


def generate(n: int, run: str) -> list[bytes]:
    """n realistic messages with unique Message-IDs for this run."""
    messages = []
    for i in range(n):
        slug, title = ARTICLES[i % len(ARTICLES)]
        body = "\n\n".join(PARAGRAPHS[: 1 + i % len(PARAGRAPHS)])
        msg = EmailMessage()
        msg["From"] = f"Reader {i} <reader{i}@example.org>"
        msg["Date"] = format_datetime(_now())
        msg["Message-ID"] = f"<{run}.{i}@bench.example.org>"
        kind = i % 5
        to, subject = "tech.handrail404@passinbox.com", f"Re: {title}"
        if kind in (0, 3):
            to = f"tech.handrail404+{slug}@passinbox.com"
        elif kind == 1:
            subject = f"Re: [{slug}] {title}"
        elif kind == 4:
            subject = f"Thoughts {i}"
        msg["To"], msg["Subject"] = to, subject
        if kind == 3:  # HTML-only with a Gmail quote
            html = "".join(f"<p>{p}</p>" for p in body.split("\n\n"))
            msg.set_content(
                f"<html><body>{html}<div class=gmail_quote>old</div></body></html>",
                subtype="html",
            )
        else:
            msg.set_content(f"{body} (#{i})\n\n{QUOTE}{SIGNATURE}")
        messages.append(msg.as_bytes())
    return messages


def _now():
    from datetime import datetime, timezone

    return datetime.now(timezone.utc)


def peak_rss_mb() -> float:
    # ru_maxrss is KiB on Linux.
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def run_mail_bench(n: int = 3000) -> dict[str, float]:
    """Ingest n generated messages; {"ingest_per_s", "peak_rss_mb", ...}."""
    from blog.models import Article
    from comments.mail.pipeline import ingest_raw_email

    for slug, title in ARTICLES:
        Article.objects.get_or_create(
            slug=slug,
            defaults={"title": title, "body": "Bench.", "published_at": _now()},
        )
    messages = generate(n, uuid.uuid4().hex[:12])
    outcomes: dict[str, int] = {}
    start = time.perf_counter()
    for raw in messages:
        result = ingest_raw_email(raw)
        key = f"{result.outcome}/{result.reason}"
        outcomes[key] = outcomes.get(key, 0) + 1
    elapsed = time.perf_counter() - start
    return {
        "messages": n,
        "seconds": round(elapsed, 2),
        "ingest_per_s": round(n / elapsed, 1),
        "peak_rss_mb": round(peak_rss_mb(), 1),
        "outcomes": outcomes,
    }


def hostile_ratios() -> dict[str, dict[str, float]]:
    """{shape: {"bytes", "hostile_s", "plain_s", "ratio"}} for every hostile shape."""
    from statistics import median

    from comments.mail.budget import Budget
    from comments.mail.parsing import parse_email
    from comments.mail.reading import read_message
    from tests.comments.mail.shapes import SHAPES, cc_fields, nested_multipart

    def seconds(raw: bytes) -> float:
        start = time.perf_counter()
        read_message(parse_email(raw), budget=Budget(seconds=3600))
        return time.perf_counter() - start

    shapes = {
        **SHAPES,
        "nested_multipart_295_then_9_MB_of_newlines": lambda: nested_multipart(
            295, 9_000_000
        ),
        "cc_fields_495_of_4000": lambda: cc_fields(495, 4_000),
    }
    report = {}
    for name, make in shapes.items():
        hostile, plain = make()
        pairs = [(seconds(hostile), seconds(plain)) for _ in range(3)]
        report[name] = {
            "bytes": len(hostile),
            "hostile_s": round(median(h for h, _ in pairs), 3),
            "plain_s": round(median(p for _, p in pairs), 3),
            "ratio": round(median(h / p for h, p in pairs), 1),
        }
    return report


def print_hostile_ratios(report: dict[str, dict[str, float]]) -> None:
    print("hostile shape vs a plain message of its size (read: parse to trim)")
    for name, row in report.items():
        print(
            f"  {name}: {row['bytes']:,} bytes, {row['hostile_s']} s vs "
            f"{row['plain_s']} s = {row['ratio']}x"
        )


def _prepare_database(url: str) -> None:
    """Create the bench database when missing (PostgreSQL only)."""
    from urllib.parse import urlsplit

    import psycopg

    parts = urlsplit(url)
    name = parts.path.lstrip("/")
    admin = url.replace(parts.path, "/postgres", 1)
    with psycopg.connect(admin, autocommit=True) as conn:
        found = conn.execute(
            "SELECT 1 FROM pg_database WHERE datname = %s", [name]
        ).fetchone()
        if not found:
            conn.execute(f'CREATE DATABASE "{name}"')


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("-n", type=int, default=3000, help="messages (default 3000)")
    parser.add_argument("--profile", action="store_true", help="cProfile the run")
    parser.add_argument("--sort", default="cumulative", help="profile sort key")
    parser.add_argument(
        "--hostile-only",
        action="store_true",
        help="only the hostile shapes' ratios (no database needed)",
    )
    parser.add_argument(
        "--async-commit",
        action="store_true",
        help="synchronous_commit=off for this session: measures the CPU cost "
        "without the disk's fsync latency (never do this in production: the "
        "pipe's exit 0 promises the mail is on disk)",
    )
    args = parser.parse_args()
    os.environ.setdefault("DATABASE_URL", DEFAULT_DATABASE_URL)
    # Logs at WARNING (two INFO lines a message would measure the terminal) and
    # no editor-notice mail printed to the console.
    os.environ.setdefault("LOG_LEVEL", "WARNING")
    os.environ.setdefault("EMAIL_URL", "dummymail://")
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    sys.path.insert(0, str(ROOT))
    if args.hostile_only:
        import django

        django.setup()
        print_hostile_ratios(hostile_ratios())
        return
    if os.environ["DATABASE_URL"].startswith("postgres"):
        _prepare_database(os.environ["DATABASE_URL"])
    import django
    from django.core.management import call_command

    django.setup()
    call_command("migrate", verbosity=0)
    call_command("createcachetable", verbosity=0)
    from django.db import connection

    if args.async_commit and connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SET synchronous_commit TO off")
    if args.profile:
        import cProfile
        import pstats

        profiler = cProfile.Profile()
        report = profiler.runcall(run_mail_bench, args.n)
        pstats.Stats(profiler).sort_stats(args.sort).print_stats(30)
    else:
        report = run_mail_bench(args.n)
    commit = "async commit" if args.async_commit else "durable commit"
    print(
        f"mail ingest ({connection.vendor}, {commit}): "
        f"{report['messages']} messages in {report['seconds']} s = "
        f"{report['ingest_per_s']} msg/s; "
        f"peak RSS {report['peak_rss_mb']} MB"
    )
    for key, count in sorted(report["outcomes"].items()):
        print(f"  {key}: {count}")
    print_hostile_ratios(hostile_ratios())


if __name__ == "__main__":
    main()
