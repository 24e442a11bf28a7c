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
from tests.comments.mail.shapes import SHAPES, quote_lines

# The regressions these tests guard against made a shape 100 to 10,000 times
# slower than a plain message of its size; a linear reading stays within a
# few times (``make bench`` prints each ratio). The limit leaves a wide margin
# for a busy machine, where one run of a pair can be slowed more than the
# other: a check that fails by load would be a timed test in disguise.
NOT_QUADRATIC = 40


def reading_seconds(raw: bytes) -> float:
    """One reading: parse, filters, extraction, trimming."""
    start = time.perf_counter()
    read_message(parse_email(raw), budget=Budget(seconds=3600))
    return time.perf_counter() - start


def reading_ratio(hostile: bytes, plain: bytes) -> float:
    """The least hostile/plain ratio of three pairs, each pair read back to
    back, so a burst of load slows both of a pair alike."""
    return min(reading_seconds(hostile) / reading_seconds(plain) for _ in range(3))


@pytest.mark.django_db
@pytest.mark.parametrize("shape", SHAPES)
def test_hostile_shape_reads_in_a_small_multiple_of_a_plain_message(shape):
    hostile, plain = SHAPES[shape]()
    assert 0.97 < len(hostile) / len(plain) < 1.03

    ratio = reading_ratio(hostile, plain)

    assert ratio < NOT_QUADRATIC, f"{shape}: {ratio:.1f} times a plain message"


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
        ("cc_fields_100_of_4000", "I disagree", "recipient fields"),
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
def test_deeply_nested_multipart_is_stored_rejected_with_the_depth_noted():
    hostile, _plain = SHAPES["nested_multipart_295_then_200000_newlines"]()

    result = ingest_raw_email(hostile)

    assert (result.outcome, result.reason) == ("rejected", "empty_body")
    row = InboundEmail.objects.get()
    assert bytes(row.raw) == hostile
    assert any("20 nested multipart" in n for n in row.processing_notes)


@pytest.mark.django_db
def test_flood_of_empty_lines_is_read_up_to_its_share_and_noted():
    raw = email_bytes(body="My answer.\n" + "\n" * 400_000 + "Unread tail.")

    result = ingest_raw_email(raw)

    assert result.outcome == "queued"
    assert Comment.objects.get().body == "My answer."
    notes = InboundEmail.objects.get().processing_notes
    assert any("line checks" in n for n in notes), notes


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
