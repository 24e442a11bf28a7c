"""Parse raw email bytes into a ParsedEmail, leniently and without raising.

STYLE.md §11 and EMAIL-SPEC §2: parse bytes with ``BytesParser(policy.default)``;
a parse problem becomes ``ParsedEmail.malformed`` (a stored outcome), never an
exception out of the pipeline.
"""

from __future__ import annotations

import hashlib
import itertools
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from email import policy
from email.message import EmailMessage, Message
from email.parser import BytesParser
from email.utils import collapse_rfc2231_value, getaddresses

from comments.mail.headers import (
    HeaderIndex,
    body_charset_hint,
    decode_header_value,
    decode_raw_8bit,
    index_headers,
)
from comments.mail.structure import measure
from comments.validation import normalize_text

MAX_SUBJECT_CHARS = 255
# The dedupe key goes into a unique varchar(255) column (DESIGN.md "Data").
MAX_MESSAGE_ID_CHARS = 255
# Walking a pathological MIME tree costs time and memory; real comments have a
# handful of parts (EMAIL-SPEC §1 "Cap the work, not just the bytes").
MAX_PARTS = 100
# What the parser is given of a message (the stored raw bytes stay whole). Real
# mail has tens of header fields (a long Received chain: a hundred or two), and a
# MIME part starts at a line beginning "--" (RFC 2046 §5.1.1), and the stdlib
# parser spends hundreds of times more on a part than on a plain line, so a
# 10 MiB message of a million empty parts would keep it busy for a long time.
MAX_HEADER_FIELDS = 500
MAX_BOUNDARY_LINES = 3 * MAX_PARTS
# A header block is a few KiB; a runaway one is cut here (and for a too-large
# message, the header block is all that is kept).
MAX_HEADER_BYTES = 256 * 1024
# One header field, continuation lines included: real ones are well under this
# (a DKIM signature, a long References list). The Content-* fields, of the message
# and of each MIME part, get less: the stdlib reads their parameters by copying
# the rest of the value at each ";" (email.message._parseparam), so a Content-Type
# of 200,000 parameters took minutes; a long RFC 2231 filename fits easily.
MAX_FIELD_BYTES = 16 * 1024
MAX_CONTENT_FIELD_BYTES = 4 * 1024
# And each parse of one costs per parameter, and happens at every read of the
# field: real ones have a few (a filename in RFC 2231 pieces: a few more).
MAX_CONTENT_PARAMETERS = 32
# The recipient fields are read only to find our own address among them; a
# real message names a few dozen recipients (a large list: a few thousand
# characters). The stdlib's address parser costs a lot per address: 495 Cc
# fields of 4,000 addresses each took 15 s (issue 22).
MAX_RECIPIENT_CHARS = 32 * 1024

# Zulip's order (zerver/lib/email_mirror.py find_emailgateway_recipient),
# preceded by X-Original-To (Postfix's envelope recipient) and extended with
# GitLab's X-Envelope-To (lib/gitlab/email/receiver.rb); EMAIL-SPEC §5.
RECIPIENT_HEADERS: tuple[str, ...] = (
    "X-Original-To",
    "X-Gm-Original-To",
    "Delivered-To",
    "Envelope-To",
    "X-Envelope-To",
    "Resent-To",
    "Resent-Cc",
    "To",
    "Cc",
)

_MBOX_FROM_LINE = re.compile(rb"\AFrom [^\r\n]*\r?\n")
_HEADER_LINE = re.compile(rb"\A[!-9;-~]+[ \t]*:")
# Outlook's "x@example.com [mailto:x@example.com]" (EMAIL-SPEC §6).
_MAILTO_SUFFIX = re.compile(r"\s*\[mailto:[^\]]*\]", re.I)
# The blank line that ends the header block (RFC 5322 §2.1).
_HEADER_END = re.compile(rb"\r?\n\r?\n")
_BOUNDARY_LINE = re.compile(rb"^--", re.M)
# A header field: its first line and its continuation lines (RFC 5322 §2.2.3).
_FIELD = re.compile(rb"^[!-9;-~]+[ \t]*:[^\n]*(?:\n[ \t][^\n]*)*", re.M)
# The Content-* fields, of the message and its MIME parts (whose headers are in
# the body), whose parameters the parser reads.
_CONTENT_FIELD = re.compile(
    rb"^content-[!-9;-~]*[ \t]*:[^\n]*(?:\n[ \t][^\n]*)*", re.M | re.I
)


@dataclass(frozen=True)
class ParsedEmail:
    """What the pipeline needs from one raw message, decoded and cleaned."""

    message: EmailMessage | None
    message_id: str
    dedupe_key: str
    raw_sha256: str
    subject: str = ""
    from_address: str = ""
    from_name: str = ""
    recipients: tuple[str, ...] = ()
    authentication_results: tuple[str, ...] = ()
    attachment_names: tuple[str, ...] = ()
    malformed: str = ""
    defects: tuple[str, ...] = ()
    # The top-level header fields by lower-cased name, raw values in order: read
    # once, so each rule looks a field up instead of re-reading the block.
    headers: HeaderIndex = field(default_factory=HeaderIndex)
    # What was left unread (a cap reached), for the editors: the raw message
    # keeps it all.
    notes: tuple[str, ...] = ()


def parse_email(raw: bytes, *, headers_only: bool = False) -> ParsedEmail:
    """Parse raw RFC 5322 bytes; never raises (problems go to ``malformed``).

    ``headers_only`` reads just the header block (what storing the raw message
    needs, at once and cheaply); the dedupe key is the whole message's still.
    """
    raw = bytes(raw or b"")
    raw_sha256 = hashlib.sha256(raw).hexdigest()
    fallback_key = f"sha256:{raw_sha256}"
    if headers_only:
        raw = header_block(raw)
    if not raw.strip():
        return ParsedEmail(None, "", fallback_key, raw_sha256, malformed="empty")
    body, notes = bounded(strip_mbox_from_line(raw.lstrip(b" \t\r\n")))
    if not _HEADER_LINE.match(body.lstrip(b"\r\n")):
        # Without a leading "Name:" line the parser would file everything as
        # body (or as a defect); there is no sender, subject or recipient.
        return ParsedEmail(None, "", fallback_key, raw_sha256, malformed="no headers")
    try:
        message = BytesParser(policy=policy.default).parsebytes(body)
    except Exception as exc:  # the stdlib parser is lenient; this is a backstop
        return ParsedEmail(
            None, "", fallback_key, raw_sha256, malformed=f"not an email ({exc!r})"
        )
    try:
        return _build(message, raw_sha256, notes)
    except Exception as exc:  # never let a field extraction escape
        return ParsedEmail(
            message if isinstance(message, EmailMessage) else None,
            "",
            fallback_key,
            raw_sha256,
            malformed=f"unreadable headers ({type(exc).__name__})",
            notes=notes,
        )


def bounded(raw: bytes) -> tuple[bytes, tuple[str, ...]]:
    """What the parser reads of a message: its header block repaired and capped
    at MAX_HEADER_FIELDS fields, its body cut before the line that would start
    part MAX_BOUNDARY_LINES + 1 and where its parse would cost more than
    structure.MAX_PARSE_WORK; with a note for each cut."""
    notes: list[str] = []
    match = _HEADER_END.search(raw)
    head, rest = (
        (raw, b"") if match is None else (raw[: match.start()], raw[match.start() :])
    )
    head, long_fields = cap_fields(head, _FIELD, MAX_FIELD_BYTES)  # before the loop
    head, fields, dropped = repair_header_block(head)
    if dropped:
        notes.append(
            f"Read the first {MAX_HEADER_FIELDS:,} of {fields:,} header fields."
        )
    lines = _BOUNDARY_LINE.finditer(rest)
    cut = next(itertools.islice(lines, MAX_BOUNDARY_LINES, None), None)
    if cut is not None:
        rest = rest[: cut.start()]
        notes.append(
            f"Read the message up to its {MAX_BOUNDARY_LINES + 1:,}th line starting "
            f'with "--" (at most {MAX_BOUNDARY_LINES:,} MIME boundaries).'
        )
    data = head + rest
    cut = measure(data)
    if cut.at is not None:
        data = data[: cut.at]
        notes.append(cut.note)
    data, long_content_fields = cap_fields(
        data,
        _CONTENT_FIELD,
        MAX_CONTENT_FIELD_BYTES,
        parameters=MAX_CONTENT_PARAMETERS,
    )
    if long_fields + long_content_fields:
        notes.append(
            f"Cut {long_fields + long_content_fields:,} overlong header field(s) "
            f"(at {MAX_FIELD_BYTES // 1024} KiB; Content-* ones at "
            f"{MAX_CONTENT_FIELD_BYTES // 1024} KiB or "
            f"{MAX_CONTENT_PARAMETERS} parameters)."
        )
    return data, tuple(notes)


def cap_fields(
    data: bytes, pattern: re.Pattern[bytes], limit: int, *, parameters: int = 0
) -> tuple[bytes, int]:
    """(data with each field ``pattern`` finds cut to ``limit`` bytes, and before
    its parameter number ``parameters + 1`` if given, how many were cut); one
    pass, no copy when nothing is cut."""
    pieces: list[bytes] = []
    start = 0
    for match in pattern.finditer(data):
        cut_at = min(match.end(), match.start() + limit)
        if parameters:
            semicolon = match.start()
            for _ in range(parameters + 1):
                semicolon = data.find(b";", semicolon + 1, cut_at)
                if semicolon < 0:
                    break
            else:
                cut_at = semicolon
        if cut_at == match.end():
            continue
        pieces += [data[start:cut_at].rstrip(b"\r\n")]
        start = match.end()  # the field's own line end follows
    if not pieces:
        return data, 0
    return b"".join([*pieces, data[start:]]), len(pieces)


def header_block(raw: bytes) -> bytes:
    """The header block of a message (what we keep of a too-large one)."""
    match = _HEADER_END.search(raw, 0, MAX_HEADER_BYTES)
    return raw[: match.end()] if match else raw[:MAX_HEADER_BYTES]


def strip_mbox_from_line(raw: bytes) -> bytes:
    """Drop a leading mbox ``From `` separator line (Postfix pipe flags=F, mbox)."""
    return _MBOX_FROM_LINE.sub(b"", raw, count=1)


def repair_header_block(head: bytes) -> tuple[bytes, int, int]:
    """(header block, fields in it, fields dropped): lines that are neither
    fields nor continuations dropped, and fields past MAX_HEADER_FIELDS.

    One stray line ("quite Delivered-To: ...", corpus:
    mail__raw_email_incorrect_header) makes the stdlib end the header block
    there, losing From and Subject; mikel/mail skips such lines, so do we.
    """
    kept: list[bytes] = []
    fields = 0
    for line in head.splitlines(keepends=True):
        if _HEADER_LINE.match(line):
            fields += 1
        elif line[:1] not in (b" ", b"\t"):
            continue
        if fields <= MAX_HEADER_FIELDS:
            kept.append(line)
    if kept:
        # The block's end (the blank line) follows in the body part; a line
        # that ended a cut block must not end with a newline of its own.
        kept[-1] = kept[-1].rstrip(b"\r\n")
    return b"".join(kept), fields, max(0, fields - MAX_HEADER_FIELDS)


def _build(
    message: EmailMessage, raw_sha256: str, notes: tuple[str, ...]
) -> ParsedEmail:
    headers = index_headers(message)
    message_id = clean_message_id(headers.first("Message-ID"))
    if message_id and len(message_id) <= MAX_MESSAGE_ID_CHARS:
        dedupe_key = message_id
    else:
        dedupe_key = f"sha256:{raw_sha256}"
    hint = body_charset_hint(message)
    from_name, from_address = sender(headers, hint)
    to, cut = recipients(headers)
    defects = tuple(type(d).__name__ for d in _all_defects(message))
    return ParsedEmail(
        message=message,
        message_id=message_id,
        dedupe_key=dedupe_key,
        raw_sha256=raw_sha256,
        subject=headers.first("Subject", hint)[:MAX_SUBJECT_CHARS],
        from_address=from_address,
        from_name=from_name,
        recipients=to,
        authentication_results=tuple(headers.values("Authentication-Results")),
        attachment_names=attachment_names(message),
        defects=defects,
        headers=headers,
        notes=(*notes, cut) if cut else notes,
    )


def clean_message_id(value: str) -> str:
    """The Message-ID without angle brackets or whitespace ("" when empty)."""
    value = value.strip()
    match = re.search(r"<([^<>]*)>", value)
    if match:
        value = match.group(1)
    return re.sub(r"\s+", "", value).strip("<>")


def addresses(raw_values: list[str], charset_hint: str = "") -> list[tuple[str, str]]:
    """(display name, lower-cased address) pairs; only entries with an ``@``."""
    found: list[tuple[str, str]] = []
    try:
        # Decode raw 8-bit first (harmless for the address grammar), but keep
        # RFC 2047 words encoded so a decoded comma can't split a name.
        texts = [
            _MAILTO_SUFFIX.sub("", _text_only(v, charset_hint)) for v in raw_values
        ]
        pairs = getaddresses(texts)
    except Exception:
        return found
    for name, address in pairs:
        address = normalize_text(address, one_line=True).strip("<>[]").lower()
        if "@" not in address or address.startswith("@") or address.endswith("@"):
            continue
        found.append((decode_header_value(name, charset_hint).strip("\"' "), address))
    return found


def _text_only(raw: str, charset_hint: str) -> str:
    # Only the raw 8-bit bytes are decoded here; encoded-words stay as they are.
    return decode_raw_8bit(raw, charset_hint)


def sender(headers: HeaderIndex, charset_hint: str = "") -> tuple[str, str]:
    """(display name, lower-cased address) of From; ("", "") when unusable."""
    raw_from = headers.raw("From")
    found = addresses(raw_from[:1], charset_hint)
    if found:
        return found[0]
    name = decode_header_value(raw_from[0], charset_hint) if raw_from else ""
    return name, ""


def recipients(headers: HeaderIndex) -> tuple[tuple[str, ...], str]:
    """(every recipient address, in RECIPIENT_HEADERS order, without repeats; a
    note when the fields were longer than MAX_RECIPIENT_CHARS and cut there)."""
    seen: dict[str, None] = {}
    left = MAX_RECIPIENT_CHARS
    for header in RECIPIENT_HEADERS:
        values = []
        for value in headers.raw(header):
            if len(value) > left:  # cut at the last whole address that fits
                values.append(value[: value.rfind(",", 0, left) + 1])
                left = 0
                break
            values.append(value)
            left -= len(value)
        for _name, address in addresses(values):
            seen.setdefault(address, None)
        if left <= 0:
            note = (
                f"Read the first {MAX_RECIPIENT_CHARS // 1024} KiB of the "
                "recipient fields (To, Cc, ...)."
            )
            return tuple(seen), note
    return tuple(seen), ""


def walk_parts(message: Message, limit: int = MAX_PARTS) -> Iterator[Message]:
    """``message.walk()`` capped at ``limit`` parts, never raising."""
    try:
        for count, part in enumerate(message.walk()):
            if count >= limit:
                return
            yield part
    except Exception:
        return


def content_type(part: Message) -> str:
    """A part's lower-cased content type; "" when the header can't be read."""
    try:
        return part.get_content_type()
    except Exception:  # policy.default parses Content-Type lazily and may raise
        return ""


def part_filename(part: Message) -> str:
    """A part's decoded filename (RFC 2231 or RFC 2047 encoded), or ""."""
    places = (("content-disposition", "filename"), ("content-type", "name"))
    for header, param in places:
        try:
            value = part.get_param(param, header=header)
        except Exception:  # a broken parameter list means "no name here"
            value = None
        if value:
            if isinstance(value, tuple):  # RFC 2231 (charset, language, text)
                value = collapse_rfc2231_value(value, errors="replace")
            return decode_header_value(str(value))
    return ""


def attachment_names(message: Message) -> tuple[str, ...]:
    """Decoded filenames of every part that has one."""
    names = (part_filename(part) for part in walk_parts(message))
    return tuple(name for name in names if name)


def _all_defects(message: Message) -> list[object]:
    defects: list[object] = []
    for part in walk_parts(message):
        defects.extend(getattr(part, "defects", []) or [])
    return defects
