"""Pick the body part a reader wrote and decode it to clean Unicode text.

EMAIL-SPEC §2 and §7: prefer a non-empty text/plain part, else HTML converted
to text; skip attachments and non-text parts; decode every charset without
silently dropping characters; honour format=flowed; NFC; no control chars.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from email.message import Message

from comments.mail.flowed import unflow
from comments.mail.headers import normalize_charset, raw_header_values
from comments.mail.html import html_to_text
from comments.mail.parsing import MAX_PARTS, ParsedEmail, content_type

MAX_DEPTH = 10
# C0 (except \t and \n) and C1 controls, DEL, and lone surrogates.
_CONTROL_CHARS = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f\ud800-\udfff]")
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

    parts_left: int = MAX_PARTS
    plain: list[str] = field(default_factory=list)
    html: list[str] = field(default_factory=list)


def extract_text(parsed: ParsedEmail) -> str:
    """The reader's text: plain part preferred, else HTML as text; never raises."""
    if parsed.message is None:
        return ""
    try:
        walk = _Walk()
        _visit(parsed.message, walk, depth=0)
        plain = clean_text("\n\n".join(t for t in walk.plain if t.strip()))
        text = plain or clean_text(
            "\n\n".join(html_to_text(h) for h in walk.html if h.strip())
        )
    except Exception:  # a broken message yields an empty body, not a crash
        return ""
    if _RAW_MIME.search(text):
        return ""
    return text


def _visit(part: Message, walk: _Walk, depth: int) -> None:
    if walk.parts_left <= 0 or depth > MAX_DEPTH:
        return
    walk.parts_left -= 1
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
    text = decode_body_bytes(data, str(declared or ""), eight_bit="8bit" in cte)
    try:
        params = {k.lower(): str(v).lower() for k, v in part.get_params() or []}
    except Exception:
        params = {}
    if params.get("format") == "flowed":
        text = unflow(text.replace("\r\n", "\n"), delsp=params.get("delsp") == "yes")
    return text


def decode_body_bytes(data: bytes, declared: str, *, eight_bit: bool = False) -> str:
    """Decode a body: declared charset, then UTF-8, windows-1252, ISO-8859-1.

    A missing or us-ascii label, or 8bit transfer encoding, puts UTF-8 first:
    the label is then evidently wrong and valid UTF-8 is a strong signal
    (Discourse receiver.rb fix_charset; corpus:
    djmbx__message_with_invalid_content_for_declared_encoding). Unlike Zulip's
    errors="ignore", every step is strict, and ISO-8859-1 accepts any byte, so
    no character is dropped silently.
    """
    name = normalize_charset(declared)
    label = declared.strip().strip("\"'").lower()
    order = [name, "utf-8", "windows-1252", "iso-8859-1"]
    if eight_bit or not label or label in ("us-ascii", "ascii"):
        order = ["utf-8", name, "windows-1252", "iso-8859-1"]
    for charset in order:
        if not charset:
            continue
        try:
            return data.decode(charset)
        except (UnicodeDecodeError, LookupError):
            continue
    return data.decode("iso-8859-1")


def clean_text(text: str) -> str:
    """LF newlines, NFC, no NUL/control chars (except \\n, \\t)."""
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    text = unicodedata.normalize("NFC", text)
    text = _CONTROL_CHARS.sub("", text)
    text = re.sub(r"\n[ \t]*\n(?:[ \t]*\n)+", "\n\n", text)
    return text.strip()
