"""Safe, decoded access to message headers.

The modern ``policy.default`` parses a header lazily, when it is read, and real
mail makes that raise (bad encoded-words, broken address lists, raw 8-bit bytes).
Everything here reads the *raw* stored value and decodes it ourselves, so a bad
header becomes a best-effort string, never an exception (EMAIL-SPEC §2).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from email.header import decode_header
from email.message import Message

from comments.mail.charsets import decode_bytes, normalize_charset
from comments.validation import normalize_text


def has_raw_bytes(value: str) -> bool:
    """True when a parsed header still holds surrogate-escaped 8-bit bytes."""
    return any("\udc80" <= ch <= "\udcff" for ch in value)


def decode_raw_8bit(value: str, charset_hint: str = "") -> str:
    """Turn surrogate-escaped 8-bit bytes (how the parser keeps them) into text:
    UTF-8 (RFC 6532), then the charset the body declares (what mail clients
    assume; corpus: mail__content_transfer_encoding_empty is Big5), then
    charsets.decode_bytes' last step (EMAIL-SPEC §2)."""
    if not has_raw_bytes(value):
        return value
    data = value.encode("utf-8", errors="surrogateescape")
    return decode_bytes(data, charset_hint, utf8_first=True)


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
    return normalize_text(decoded, one_line=True)


# RFC 2047 §6.2: whitespace between two adjacent encoded-words is not displayed.
_ENCODED_WORD_GAP = re.compile(
    r"(=\?[^?\s]+\?[bBqQ]\?[^?\s]*\?=)\s+(?==\?[^?\s]+\?[bBqQ]\?[^?\s]*\?=)"
)


class HeaderIndex:
    """The header fields of a message by lower-cased name, read in one pass.

    Every rule looks its field up here instead of re-reading the block (a rule
    per field over 100,000 fields was quadratic). Raw values, in order; the
    parser saw at most MAX_HEADER_FIELDS of them, each capped (parsing.bounded).
    """

    def __init__(self, items: Iterable[tuple[str, str]] = ()) -> None:
        self._fields: dict[str, list[str]] = {}
        self._items: list[tuple[str, str]] = []
        for name, value in items:
            pair = (str(name), str(value))
            self._items.append(pair)
            self._fields.setdefault(pair[0].lower(), []).append(pair[1])

    def __iter__(self) -> Iterator[tuple[str, str]]:
        """(name, raw value) of every field, in order."""
        return iter(self._items)

    def __contains__(self, name: object) -> bool:
        return str(name).lower() in self._fields

    def raw(self, name: str) -> list[str]:
        """Every raw value of field ``name`` (case-insensitive)."""
        return self._fields.get(name.lower(), [])

    def values(self, name: str, charset_hint: str = "") -> list[str]:
        """Every value of field ``name``, decoded; empty list when absent."""
        return [decode_header_value(v, charset_hint) for v in self.raw(name)]

    def first(self, name: str, charset_hint: str = "") -> str:
        """The first decoded value of field ``name``, or ""."""
        raw = self.raw(name)
        return decode_header_value(raw[0], charset_hint) if raw else ""


def index_headers(message: Message) -> HeaderIndex:
    """A HeaderIndex of a message's (or part's) own fields, never raising."""
    try:
        return HeaderIndex(message.raw_items())
    except Exception:
        return HeaderIndex()


def raw_header_values(message: Message, name: str) -> list[str]:
    """Every raw value of header ``name`` of one MIME part, never raising."""
    wanted = name.lower()
    try:
        return [str(v) for k, v in message.raw_items() if k.lower() == wanted]
    except Exception:
        return []


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
