"""The hostile message shapes of issues 16 and 22, each with a plain message of
the same size: shared by tests/comments/mail/test_hostile_shapes.py and
``make bench`` (bench/mail.py), which prints their wall-clock ratios."""

from __future__ import annotations

from collections.abc import Callable

from tests.comments.mail.messages import email_bytes

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


def nested_multipart(depth: int, newlines: int) -> tuple[bytes, bytes]:
    """``depth`` nested multipart/mixed parts whose closing boundaries never
    come, then a flood of empty lines (issue 22: 295 deep, 9 MB: 227 s)."""
    opened = b"".join(
        b'Content-Type: multipart/mixed; boundary="b%d"\n\n--b%d\n' % (n, n)
        for n in range(depth)
    )
    hostile = (
        email_bytes(body="x")
        .split(b"Content-Type:")[0]
        .replace(b"MIME-Version: 1.0\n", b"")
    )
    hostile += b"MIME-Version: 1.0\n" + opened + b"\n" * newlines
    return hostile, email_bytes(body=plain_text(len(hostile)))


def cc_fields(fields: int, addresses: int) -> tuple[bytes, bytes]:
    """``fields`` Cc fields of ``addresses`` short addresses each (issue 22:
    495 of 4,000: 15 s)."""
    cc = b"Cc: " + b",".join([b"r@x.o"] * addresses)
    hostile = email_bytes().replace(b"\n", b"\n" + (cc + b"\n") * fields, 1)
    return hostile, email_bytes(body=plain_text(len(hostile)))


SHAPES: dict[str, Callable[[], tuple[bytes, bytes]]] = {
    "html_bold_x_5000": lambda: nested_bold(5_000),
    "html_bold_x_20000": lambda: nested_bold(20_000),
    "html_bold_x_80000": lambda: nested_bold(80_000),
    "quote_lines_40000": quote_lines,
    "on_wrote_then_wrote_80000": wrote_run,
    "x_headers_100000": x_headers,
    "content_type_parameters_200000": content_type_parameters,
    "attachment_parameters_200000": attachment_parameters,
    "nested_multipart_295_then_200000_newlines": lambda: nested_multipart(295, 200_000),
    "cc_fields_100_of_4000": lambda: cc_fields(100, 4_000),
}
