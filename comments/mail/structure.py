"""A cheap structural pre-pass: what the standard parser may read of a message.

The stdlib's feed parser checks every line against the boundary of every open
``multipart`` part (``email.feedparser.BufferedSubFile.readline``), and resumes
one generator per open level for each line, so its cost is lines x depth: 295
nested parts whose closing boundaries never come, then 9 MB of newlines, kept
it busy for minutes (issue 22), all before the message's time budget is first
consulted. This pass counts that work without parsing, at the speed of
``bytes.count`` plus a step per boundary line and per multipart declaration
(both capped), and cuts the copy the parser reads where the work would pass
parse_work(), or before a part that would open level MAX_NESTING + 1. The
stored raw message keeps everything; the cut is noted for the editors.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

# Real mail nests a few levels (mixed > alternative > related); the text is
# read down to extract.MAX_DEPTH. Deeper than this is never a reader's letter.
MAX_NESTING = 20
# Line checks the parser may make: a line costs one, plus one per open
# multipart level. Allowed: a floor, plus one per WORK_BYTES bytes of the
# message, so the parse costs what a plain message of the same size costs
# (prose and base64 have a line per 70 to 80 bytes; real mail nests a few
# levels). A 10 MiB message of base64 three levels deep costs about 550,000
# of the 1.5 million it may; a flood of empty lines gets an eighth of its size.
MIN_PARSE_WORK = 200_000
WORK_BYTES = 8

# A multipart Content-Type field with its boundary parameter (RFC 2046 §5.1.1),
# continuation lines included. A declaration in a body that the parser reads
# as text is counted too: the count may only err on the side of more work.
_MULTIPART = re.compile(
    rb"^content-type[ \t]*:[ \t]*(?:\r?\n[ \t]+)?multipart/"
    rb"[^\n]*(?:\n[ \t][^\n]*)*",
    re.M | re.I,
)
_BOUNDARY_PARAMETER = re.compile(
    rb'boundary[ \t]*=[ \t]*(?:"([^"\r\n]*)"|([^;\s]+))', re.I
)
_DELIMITER = re.compile(rb"^--([^\r\n]*)", re.M)


@dataclass(frozen=True)
class Cut:
    """Where the parser's copy ends (None: nowhere), and the note saying why."""

    at: int | None = None
    note: str = ""
    work: int = 0  # line checks counted up to the cut (or the end)


def lines_between(data: bytes, start: int, end: int) -> int:
    """Lines the parser sees in data[start:end]: it splits on CRLF, CR and LF."""
    return (
        data.count(b"\n", start, end)
        + data.count(b"\r", start, end)
        - data.count(b"\r\n", start, end)
    )


def measure(data: bytes) -> Cut:
    """Walk the multipart declarations and delimiter lines of ``data`` in order,
    keeping the stack of open boundaries as the parser would, and count lines x
    (1 + open levels) between them."""
    events = sorted(
        [(m.start(), 0, m) for m in _MULTIPART.finditer(data)]
        + [(m.start(), 1, m) for m in _DELIMITER.finditer(data)]
    )
    stack: list[bytes] = []
    limit = parse_work(len(data))
    work = 0
    position = 0
    for start, kind, match in events:
        cost = lines_between(data, position, start) * (1 + len(stack))
        if work + cost > limit:
            return _cut_within(data, position, start, work, len(stack), limit)
        work, position = work + cost, start
        if kind == 0:
            boundary = _boundary(match.group(0))
            if boundary is None:
                continue  # no boundary: the parser reads it as one payload
            if len(stack) >= MAX_NESTING:
                return Cut(
                    start,
                    f"Read the message down to {MAX_NESTING} nested multipart "
                    "parts; the deeper ones were left unread.",
                    work,
                )
            stack.append(boundary)
        else:
            _delimit(stack, match.group(1).rstrip(b" \t"))
    cost = lines_between(data, position, len(data)) * (1 + len(stack))
    if work + cost > limit:
        return _cut_within(data, position, len(data), work, len(stack), limit)
    return Cut(None, "", work + cost)


def _boundary(field: bytes) -> bytes | None:
    found = _BOUNDARY_PARAMETER.search(field)
    if found is None:
        return None
    return (found.group(1) if found.group(1) is not None else found.group(2)).strip()


def _delimit(stack: list[bytes], token: bytes) -> None:
    """A "--boundary" line ends the parts opened inside that boundary's part; a
    "--boundary--" line ends that part too (RFC 2046 §5.1.1)."""
    for level in range(len(stack) - 1, -1, -1):
        if token == stack[level]:
            del stack[level + 1 :]
            return
        if token == stack[level] + b"--":
            del stack[level:]
            return


def parse_work(size: int) -> int:
    """Line checks the parser may make on a message of ``size`` bytes."""
    return MIN_PARSE_WORK + size // WORK_BYTES


def _cut_within(
    data: bytes, start: int, end: int, work: int, depth: int, limit: int
) -> Cut:
    """The cut at the last line of data[start:end] within the work left."""
    allowed = (limit - work) // (1 + depth)
    low, high = start, end  # the longest prefix holding at most ``allowed`` lines
    while low < high:
        middle = (low + high + 1) // 2
        if lines_between(data, start, middle) <= allowed:
            low = middle
        else:
            high = middle - 1
    return Cut(
        low,
        f"Read the first {limit:,} line checks of the message (its "
        f"lines times the multipart parts open around them); the rest was "
        "left unread.",
        work + allowed * (1 + depth),
    )
