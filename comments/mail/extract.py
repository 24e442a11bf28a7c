"""Pick the body part a reader wrote and decode it to clean Unicode text.

EMAIL-SPEC §2 and §7: prefer a non-empty text/plain part, else HTML converted
to text; skip attachments and non-text parts; decode every charset without
silently dropping characters; honour format=flowed; NFC; no control chars.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from email.message import Message

from comments.htmltext import html_text
from comments.mail.budget import Budget, OverBudget
from comments.mail.charsets import decode_bytes
from comments.mail.flowed import unflow
from comments.mail.headers import raw_header_values
from comments.mail.parsing import MAX_PARTS, ParsedEmail, content_type
from comments.validation import normalize_text

MAX_DEPTH = 10
# What is kept of the text: ten times the longest comment, and as many lines as
# a long reply with its whole quoted thread. Trimming reads no further; the raw
# message keeps the rest.
MAX_TEXT_CHARS = 100_000
MAX_TEXT_LINES = 5_000
# GitLab reply_parser.rb: a decoded body still holding MIME headers means the
# structure was not understood; publishing it would leak raw MIME. A
# multipart type, or a part header block (Content-Type then
# Content-Transfer-Encoding lines), both count.
_RAW_MIME = re.compile(
    r"content-type:\s*multipart/"
    r"|^content-type:[^\n]*\n(?:[ \t][^\n]*\n)*content-transfer-encoding:",
    re.I | re.M,
)


@dataclass
class _Walk:
    """Budget and findings of one walk over the MIME tree."""

    budget: Budget
    parts_left: int = MAX_PARTS
    too_deep: bool = False
    plain: list[str] = field(default_factory=list)
    html: list[str] = field(default_factory=list)


@dataclass(frozen=True)
class Extraction:
    """The text read from a message, and what was left unread."""

    text: str
    notes: tuple[str, ...] = ()


def extract(parsed: ParsedEmail, *, budget: Budget) -> Extraction:
    """The reader's text (plain part preferred, else HTML as text) with notes on
    what was left unread; OverBudget is the one exception it lets out."""
    if parsed.message is None:
        return Extraction("")
    walk = _Walk(budget)
    try:
        _visit(parsed.message, walk, depth=0)
        plain = "\n\n".join(t for t in walk.plain if t.strip())
        notes: list[str] = []
        text = mail_text(plain) or mail_text(
            "\n\n".join(_html_part(h, budget, notes) for h in walk.html if h.strip())
        )
    except OverBudget:
        raise
    except Exception:  # a broken message yields an empty body, not a crash
        return Extraction("")
    if walk.parts_left <= 0:
        notes.append(f"Read the first {MAX_PARTS} MIME parts.")
    if walk.too_deep:
        notes.append(
            f"Read the MIME parts down to {MAX_DEPTH} levels; deeper ones were "
            "left unread."
        )
    if _RAW_MIME.search(text):
        return Extraction("", tuple(notes))
    text, cut = cap_text(text)
    if cut:
        notes.append(cut)
    return Extraction(text, tuple(notes))


def _html_part(html: str, budget: Budget, notes: list[str]) -> str:
    budget.check("html")
    text, cut = html_text(html)
    if cut:
        notes.append(cut)
    return text


def cap_text(text: str) -> tuple[str, str]:
    """(text within MAX_TEXT_CHARS and MAX_TEXT_LINES, a note if it was cut)."""
    note = ""
    if len(text) > MAX_TEXT_CHARS:
        text = text[:MAX_TEXT_CHARS]
        note = f"Read the first {MAX_TEXT_CHARS:,} characters of the text."
    lines = text.split("\n", MAX_TEXT_LINES)
    if len(lines) > MAX_TEXT_LINES:
        text = "\n".join(lines[:MAX_TEXT_LINES])
        note = f"Read the first {MAX_TEXT_LINES:,} lines of the text."
    return text, note


def _visit(part: Message, walk: _Walk, depth: int) -> None:
    if depth > MAX_DEPTH:
        walk.too_deep = True
        return
    if walk.parts_left <= 0:
        return
    walk.parts_left -= 1
    walk.budget.check("mime parts")
    ctype = content_type(part)
    if ctype.startswith("multipart/"):
        _visit_multipart(part, ctype, walk, depth)
        return
    if is_attachment(part):
        return
    if ctype == "text/plain":
        walk.plain.append(decode_part(part))
    elif ctype == "text/html":
        walk.html.append(decode_part(part))
    # message/rfc822 (a forwarded or bounced original) and non-text parts are
    # not the reader's words: EMAIL-SPEC §3 "never route on the embedded
    # message", §7 "skip every non-text part".


def _visit_multipart(part: Message, ctype: str, walk: _Walk, depth: int) -> None:
    children = part.get_payload()
    if not isinstance(children, list):
        # "multipart" without parts (corpus: flanker__false-multipart); read
        # the payload as the text it is.
        payload = part.get_payload(decode=False)
        if isinstance(payload, str) and payload.strip():
            walk.plain.append(decode_part(part))
        return
    if ctype != "multipart/alternative":
        for child in children:
            _visit(child, walk, depth + 1)
        return
    # Alternatives are one message in several formats: keep one plain and one
    # HTML version (the first non-empty), never both concatenated.
    plain_before, html_before = len(walk.plain), len(walk.html)
    for child in children:
        _visit(child, walk, depth + 1)
    first_plain = next((t for t in walk.plain[plain_before:] if t.strip()), "")
    first_html = next((t for t in walk.html[html_before:] if t.strip()), "")
    del walk.plain[plain_before:], walk.html[html_before:]
    walk.plain.append(first_plain)
    walk.html.append(first_html)


def is_attachment(part: Message) -> bool:
    """True for Content-Disposition: attachment, with or without parameters."""
    for value in raw_header_values(part, "Content-Disposition"):
        if value.strip().lower().split(";", 1)[0].strip() == "attachment":
            return True
    return False


def decode_part(part: Message) -> str:
    """A leaf part's payload as text: transfer encoding undone, charset decoded."""
    try:
        data = part.get_payload(decode=True)
    except Exception:
        data = None
    if not isinstance(data, bytes):
        raw = part.get_payload()
        data = raw.encode("utf-8", "surrogateescape") if isinstance(raw, str) else b""
    try:
        declared = part.get_param("charset")
    except Exception:
        declared = None
    if isinstance(declared, tuple):  # RFC 2231-encoded parameter
        declared = declared[2]
    cte = "".join(raw_header_values(part, "Content-Transfer-Encoding")).lower()
    label = str(declared or "").strip().strip("\"'").lower()
    # A missing or us-ascii label, or 8bit transfer encoding, means the label is
    # evidently wrong: valid UTF-8 then wins (charsets.decode_bytes).
    utf8_first = "8bit" in cte or label in ("", "us-ascii", "ascii")
    text = decode_bytes(data, label, utf8_first=utf8_first)
    try:
        params = {k.lower(): str(v).lower() for k, v in part.get_params() or []}
    except Exception:
        params = {}
    if params.get("format") == "flowed":
        text = unflow(text.replace("\r\n", "\n"), delsp=params.get("delsp") == "yes")
    return text


def mail_text(text: str) -> str:
    """The text as every channel's is cleaned, read once: the trimming and the
    comment take it as it is."""
    return normalize_text(text, one_blank_line=True)
