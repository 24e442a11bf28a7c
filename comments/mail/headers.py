"""Safe, decoded access to message headers.

The modern ``policy.default`` parses a header lazily, when it is read, and real
mail makes that raise (bad encoded-words, broken address lists, raw 8-bit bytes).
Everything here reads the *raw* stored value and decodes it ourselves, so a bad
header becomes a best-effort string, never an exception (EMAIL-SPEC §2).
"""

from __future__ import annotations

import codecs
import re
import unicodedata
from email.header import decode_header
from email.message import Message

# C0 and C1 controls (and DEL); tab and newline are dealt with by the callers.
_CONTROL_CHARS = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")
_WHITESPACE_RUN = re.compile(r"\s+")

# Bytes that are not valid UTF-8 are most often windows-1252 in Western mail
# (EMAIL-SPEC §2, corpus: djmbx__message_with_single_byte_extended_subject_...).
FALLBACK_CHARSETS: tuple[str, ...] = ("utf-8", "windows-1252", "iso-8859-1")


def decode_bytes(data: bytes, declared: str | None = None) -> str:
    """Decode bytes with the declared charset, then UTF-8, windows-1252, latin-1."""
    for charset in _candidate_charsets(declared):
        try:
            return data.decode(charset)
        except (UnicodeDecodeError, LookupError):
            continue
    # Unreachable in practice (iso-8859-1 decodes every byte), kept for safety.
    return data.decode("utf-8", errors="replace")


def _candidate_charsets(declared: str | None) -> list[str]:
    candidates: list[str] = []
    name = normalize_charset(declared)
    if name:
        candidates.append(name)
    candidates.extend(c for c in FALLBACK_CHARSETS if c not in candidates)
    return candidates


# WHATWG Encoding Standard labels: browsers decode these as windows-1252, and
# Outlook labels windows-1252 text (curly quotes, euro sign) as iso-8859-1; a
# strict Latin-1 decode would store C1 controls instead (EMAIL-SPEC §2).
# ks_c_5601-1987 is Microsoft's name for cp949 (corpus: mail__ks_c_5601-1987).
_CHARSET_ALIASES: dict[str, str] = {
    "us-ascii": "windows-1252",
    "ascii": "windows-1252",
    "iso-8859-1": "windows-1252",
    "iso8859-1": "windows-1252",
    "iso_8859-1": "windows-1252",
    "latin1": "windows-1252",
    "latin-1": "windows-1252",
    "l1": "windows-1252",
    "ks_c_5601-1987": "cp949",
    "ks_c_5601": "cp949",
    "ksc5601": "cp949",
    "euc-kr": "cp949",
    "x-sjis": "shift_jis",
    "shift-jis": "shift_jis",
    "gb2312": "gb18030",
    "gbk": "gb18030",
    "big5": "big5hkscs",
}


def normalize_charset(declared: str | None) -> str:
    """Map a declared MIME charset to a Python codec name, or "" if unknown."""
    if not declared:
        return ""
    name = str(declared).strip().strip("\"'").lower()
    name = _CHARSET_ALIASES.get(name, name)
    try:
        return codecs.lookup(name).name
    except LookupError:
        return ""


def _cp1252_fallback(error: UnicodeError) -> tuple[str, int]:
    """Codec error handler: decode each byte that isn't UTF-8 as windows-1252."""
    if not isinstance(error, UnicodeDecodeError):
        raise error
    bad = error.object[error.start : error.end]
    return bad.decode("windows-1252", errors="ignore") or bad.decode("latin-1"), (
        error.end
    )


codecs.register_error("sourcehat-cp1252-fallback", _cp1252_fallback)


def decode_mixed(data: bytes) -> str:
    """Decode bytes as UTF-8 where valid and windows-1252 elsewhere.

    Raw 8-bit header bytes are UTF-8 or a legacy charset, sometimes both in one
    field (corpus: flanker__mailformed-headers); per-byte fallback keeps the
    valid UTF-8 and still reads pure windows-1252 the same as decoding it whole.
    """
    return data.decode("utf-8", errors="sourcehat-cp1252-fallback")


def has_raw_bytes(value: str) -> bool:
    """True when a parsed header still holds surrogate-escaped 8-bit bytes."""
    return any("\udc80" <= ch <= "\udcff" for ch in value)


def decode_raw_8bit(value: str, charset_hint: str = "") -> str:
    """Turn surrogate-escaped 8-bit bytes (how the parser keeps them) into text.

    Order: UTF-8 (RFC 6532), then the charset the body declares (what mail
    clients assume; corpus: mail__content_transfer_encoding_empty is Big5),
    then UTF-8 with a per-byte windows-1252 fallback (EMAIL-SPEC §2).
    """
    if not has_raw_bytes(value):
        return value
    data = value.encode("utf-8", errors="surrogateescape")
    for charset in ("utf-8", normalize_charset(charset_hint)):
        if charset:
            try:
                return data.decode(charset)
            except (UnicodeDecodeError, LookupError):
                continue
    return decode_mixed(data)


def decode_header_value(raw: object, charset_hint: str = "") -> str:
    """Decode one raw header value (RFC 2047 words, raw 8-bit) to clean text."""
    try:
        text = decode_raw_8bit(str(raw), charset_hint)
        text = _ENCODED_WORD_GAP.sub(r"\1", text)
        pieces: list[str] = []
        for chunk, charset in decode_header(text):
            if isinstance(chunk, bytes):
                pieces.append(decode_bytes(chunk, charset))
            else:
                pieces.append(chunk)
        decoded = "".join(pieces)
    except Exception:
        # decode_header raises on some malformed words (bad base64 padding,
        # corpus: mail__bad_encoded_subject); keep the undecoded text instead.
        decoded = decode_raw_8bit(str(raw), charset_hint)
    return clean_header_text(decoded)


# RFC 2047 §6.2: whitespace between two adjacent encoded-words is not displayed.
_ENCODED_WORD_GAP = re.compile(
    r"(=\?[^?\s]+\?[bBqQ]\?[^?\s]*\?=)\s+(?==\?[^?\s]+\?[bBqQ]\?[^?\s]*\?=)"
)


def clean_header_text(text: str) -> str:
    """Unfold, drop NUL/control characters, collapse whitespace, NFC-normalize."""
    text = _CONTROL_CHARS.sub("", text.replace("\t", " "))
    text = _WHITESPACE_RUN.sub(" ", text).strip()
    return unicodedata.normalize("NFC", text)


def raw_header_values(message: Message, name: str) -> list[str]:
    """Every raw value of header ``name`` (case-insensitive), never raising."""
    wanted = name.lower()
    try:
        return [str(v) for k, v in message.raw_items() if k.lower() == wanted]
    except Exception:
        return []


def header_values(message: Message, name: str, charset_hint: str = "") -> list[str]:
    """Every value of header ``name``, decoded; empty list when absent."""
    return [
        decode_header_value(v, charset_hint) for v in raw_header_values(message, name)
    ]


def first_header(message: Message, name: str, charset_hint: str = "") -> str:
    """The first decoded value of header ``name``, or ""."""
    values = header_values(message, name, charset_hint)
    return values[0] if values else ""


def body_charset_hint(message: Message) -> str:
    """The first non-Latin-1 charset a text part declares, for raw 8-bit headers."""
    try:
        for count, part in enumerate(message.walk()):
            if count > 20:
                break
            charset = normalize_charset(part.get_param("charset") or "")
            if charset and charset not in ("cp1252", "utf-8", "ascii"):
                return charset
    except Exception:
        return ""
    return ""


def header_names(message: Message) -> list[str]:
    """The header field names in order, never raising."""
    try:
        return [str(k) for k, _ in message.raw_items()]
    except Exception:
        return []
