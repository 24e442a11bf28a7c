"""No email costs minutes: the probe's shapes cost what a plain message does.

Each shape (issue 16's table, generated here) once took seconds to minutes, and
grew with the square of its size. Each is now read in a small multiple of the
time an ordinary message of the same size takes: measured as a ratio on this
machine (best of three runs each), not as a wall-clock limit. Then the same
messages go through the real pipeline to a stored outcome, with what was left
unread noted for the editors; and a message over its time budget is stored as
failed for an editor to re-process.
"""

from __future__ import annotations

import itertools
import time
from collections.abc import Callable

import pytest

from comments.mail.budget import Budget
from comments.mail.parsing import parse_email
from comments.mail.pipeline import ingest_raw_email, reprocess
from comments.mail.reading import read_message
from comments.models import Comment, InboundEmail
from tests.comments.mail.messages import email_bytes

# "A small multiple": these shapes were 100 to 10,000 times slower than a plain
# message before; a linear reading stays within a few times.
SMALL_MULTIPLE = 10
PROSE = (
    "I read the third section twice, and I think the argument holds if the "
    "weights are treated as data rather than as source. "
)


def plain_text(size: int) -> str:
    line = PROSE[:72].rstrip() + "\n"
    return (line * (size // len(line) + 1))[:size]


def ordinary_html(size: int) -> str:
    paragraph = (
        f"<p>{PROSE * 2}<b>Bold words</b> and "
        "<a href='https://example.org/notes'>a link</a>.</p>\n"
    )
    return (paragraph * (size // len(paragraph) + 1))[:size]


def nested_bold(count: int) -> tuple[bytes, bytes]:
    html = "<b>x" * count
    return (
        email_bytes(body="", html=html),
        email_bytes(body="", html=ordinary_html(len(html))),
    )


def quote_lines() -> tuple[bytes, bytes]:
    text = "My answer.\n" + "> q\n" * 40_000
    return email_bytes(body=text), email_bytes(body=plain_text(len(text)))


def wrote_run() -> tuple[bytes, bytes]:
    text = "My answer.\nOn Mon, 1 Jan 2024, Ed <ed@x.org> wrote\n" + "wrote " * 80_000
    return email_bytes(body=text), email_bytes(body=plain_text(len(text)))


def x_headers() -> tuple[bytes, bytes]:
    probes = b"".join(b"X-Probe-%d: v\n" % n for n in range(100_000))
    hostile = email_bytes().replace(b"\n", b"\n" + probes, 1)  # after From:
    return hostile, email_bytes(body=plain_text(len(hostile)))


def content_type_parameters() -> tuple[bytes, bytes]:
    # The stdlib copies the rest of the value at each ";": minutes for this one.
    raw = email_bytes().replace(
        b"Content-Type: text/plain; charset=",
        b"Content-Type: text/plain" + b"; a=b" * 200_000 + b"; charset=",
    )
    return raw, email_bytes(body=plain_text(len(raw)))


def attachment_parameters() -> tuple[bytes, bytes]:
    raw = email_bytes(attachment=("photo.jpg", b"\xff\xd8" * 100)).replace(
        b"Content-Disposition: attachment;",
        b"Content-Disposition: attachment;" + b" a=b;" * 200_000,
    )
    return raw, email_bytes(body=plain_text(len(raw)))


SHAPES: dict[str, Callable[[], tuple[bytes, bytes]]] = {
    "html_bold_x_5000": lambda: nested_bold(5_000),
    "html_bold_x_20000": lambda: nested_bold(20_000),
    "html_bold_x_80000": lambda: nested_bold(80_000),
    "quote_lines_40000": quote_lines,
    "on_wrote_then_wrote_80000": wrote_run,
    "x_headers_100000": x_headers,
    "content_type_parameters_200000": content_type_parameters,
    "attachment_parameters_200000": attachment_parameters,
}


def reading_seconds(raw: bytes) -> float:
    """The least of three readings: parse, filters, extraction, trimming."""
    runs = []
    for _ in range(3):
        start = time.perf_counter()
        read_message(parse_email(raw), budget=Budget(seconds=3600))
        runs.append(time.perf_counter() - start)
    return min(runs)


@pytest.mark.django_db
@pytest.mark.parametrize("shape", SHAPES)
def test_hostile_shape_reads_in_a_small_multiple_of_a_plain_message(shape):
    hostile, plain = SHAPES[shape]()
    assert 0.97 < len(hostile) / len(plain) < 1.03

    ratio = reading_seconds(hostile) / reading_seconds(plain)

    assert ratio < SMALL_MULTIPLE, f"{shape}: {ratio:.1f} times a plain message"


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("shape", "body_start", "note"),
    [
        ("html_bold_x_20000", "xxxxxxxx", "tag or entity"),
        ("quote_lines_40000", "My answer.", "lines of the text"),
        ("on_wrote_then_wrote_80000", "My answer.\nOn Mon", "characters of the text"),
        ("x_headers_100000", "I disagree with the third", "header fields"),
        ("content_type_parameters_200000", "I disagree", "overlong header field"),
        ("attachment_parameters_200000", "I disagree", "overlong header field"),
    ],
)
def test_hostile_shape_is_queued_with_what_was_left_unread_noted(
    shape, body_start, note
):
    hostile, _plain = SHAPES[shape]()

    result = ingest_raw_email(hostile)

    assert result.outcome == "queued"
    assert Comment.objects.get().body.startswith(body_start)
    row = InboundEmail.objects.get()
    assert any(note in n for n in row.processing_notes), row.processing_notes


@pytest.mark.django_db
def test_quoted_lines_are_cut_from_the_comment_and_kept_for_editors():
    hostile, _plain = quote_lines()

    ingest_raw_email(hostile)

    comment = Comment.objects.get()
    assert comment.body == "My answer."
    assert comment.trimmed_text.startswith("> q\n> q")
    assert InboundEmail.objects.get().extracted_text.startswith("My answer.\n> q")


def slow_clock(step: float) -> Callable[[], float]:
    """A clock that moves on `step` seconds each time it is read."""
    ticks = itertools.count()
    return lambda: next(ticks) * step


@pytest.mark.django_db
def test_message_over_its_time_budget_is_failed_then_reprocessed_by_an_editor():
    raw = email_bytes(body="A perfectly ordinary comment.")

    result = ingest_raw_email(raw, budget=Budget(seconds=20, clock=slow_clock(15)))

    assert (result.outcome, result.reason) == ("failed", "too_slow")
    row = InboundEmail.objects.get()
    assert (row.outcome, row.reason) == ("failed", "too_slow")
    assert "20 s" in row.error
    assert Comment.objects.count() == 0

    again = reprocess(row)

    assert (again.outcome, again.reason) == ("queued", "unrouted")
    assert Comment.objects.get().body == "A perfectly ordinary comment."


@pytest.mark.django_db
def test_time_budget_comes_from_the_setting(settings):
    settings.EMAIL_SECONDS_PER_MESSAGE = -1  # already over when reading starts

    result = ingest_raw_email(email_bytes())

    assert (result.outcome, result.reason) == ("failed", "too_slow")
