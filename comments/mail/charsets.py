"""Bytes to text for every part of a message: the one charset-fallback rule.

Headers (RFC 2047 words, raw 8-bit bytes) and bodies both come here. A label is a
hint, not a promise (EMAIL-SPEC §2): the declared charset first, then UTF-8, then
Windows-1252 as the WHATWG Encoding Standard defines it, which decodes every byte,
so nothing is ever dropped silently.
"""

from __future__ import annotations

import codecs
import functools

WINDOWS_1252 = "cp1252"
# WHATWG Encoding Standard labels: browsers decode these as windows-1252, and
# Outlook labels windows-1252 text (curly quotes, "…", the euro sign) as
# iso-8859-1 or us-ascii; a strict Latin-1 decode would store C1 controls instead.
# ks_c_5601-1987 is Microsoft's name for cp949 (corpus: mail__ks_c_5601-1987).
_ALIASES: dict[str, str] = {
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


def _whatwg_1252_gaps(error: UnicodeError) -> tuple[str, int]:
    """Codec error handler: the five bytes Python's cp1252 leaves undefined.

    WHATWG's index-windows-1252 maps 0x81, 0x8D, 0x8F, 0x90 and 0x9D to the C1
    code points of the same value (dropped later as control characters), so one
    such byte no longer sends the whole text to Latin-1 and its quotes to C1.
    """
    if not isinstance(error, UnicodeDecodeError):
        raise error
    bad = error.object[error.start : error.end]
    return "".join(chr(byte) for byte in bad), error.end


codecs.register_error("sourcehat-whatwg-1252", _whatwg_1252_gaps)


def _utf8_else_1252(error: UnicodeError) -> tuple[str, int]:
    """Codec error handler: each byte that isn't UTF-8 read as windows-1252."""
    if not isinstance(error, UnicodeDecodeError):
        raise error
    bad = error.object[error.start : error.end]
    return decode_windows_1252(bad), error.end


codecs.register_error("sourcehat-utf8-else-1252", _utf8_else_1252)


def normalize_charset(declared: object) -> str:
    """A declared MIME charset as a Python codec name, or "" if unknown."""
    if not declared:
        return ""
    return _codec_name(str(declared)[:64])


@functools.lru_cache(maxsize=256)
def _codec_name(declared: str) -> str:
    # A label is a hint: "utf-8\0" (a NUL, or any control character, around a
    # name) still names UTF-8 (issue 22). Only codecs that decode text count:
    # Python's "undefined" codec raises on every byte, and "base64" or "rot13"
    # are no charsets at all.
    name = "".join(ch for ch in declared if ch.isprintable()).strip().strip("\"'")
    name = _ALIASES.get(name.lower(), name.lower())
    try:
        codec = codecs.lookup(name)
        b"a".decode(codec.name)
    except Exception:  # LookupError, ValueError, UnicodeError: not a charset
        return ""
    return codec.name


def decode_windows_1252(data: bytes) -> str:
    """Windows-1252 as browsers decode it: never fails."""
    return data.decode(WINDOWS_1252, errors="sourcehat-whatwg-1252")


def decode_bytes(
    data: bytes, declared: object = "", *, utf8_first: bool = False
) -> str:
    """Decode with the declared charset, then UTF-8, then WHATWG windows-1252
    (byte by byte where the rest is UTF-8): the one charset-fallback order.

    ``utf8_first`` when the label is evidently wrong (missing, us-ascii, or an
    8bit transfer encoding) or, for raw 8-bit header bytes, only a hint taken
    from the body: valid UTF-8 is then the strongest signal (RFC 6532; Discourse
    receiver.rb fix_charset; corpus:
    djmbx__message_with_invalid_content_for_declared_encoding). Every step but
    the last is strict; unlike Zulip's errors="ignore", nothing is dropped.
    """
    name = normalize_charset(declared)
    order = ["utf-8", name] if utf8_first else [name, "utf-8"]
    for charset in order:
        if not charset:
            continue
        if charset == WINDOWS_1252:
            return decode_windows_1252(data)
        try:
            return data.decode(charset)
        except (UnicodeError, LookupError):
            continue
    return decode_mixed(data)


def decode_mixed(data: bytes) -> str:
    """Decode bytes as UTF-8 where valid and windows-1252 elsewhere.

    Raw 8-bit header bytes are UTF-8 or a legacy charset, sometimes both in one
    field (corpus: flanker__mailformed-headers); per-byte fallback keeps the
    valid UTF-8 and still reads pure windows-1252 the same as decoding it whole.
    """
    return data.decode("utf-8", errors="sourcehat-utf8-else-1252")
