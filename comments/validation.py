"""Content rules shared by every channel (the web form and email).

The form reports a broken rule to the reader; the email pipeline cleans what it can
and rejects the rest. Either way the rules live here, once.
"""

import re
import unicodedata

from django.conf import settings
from django.core.exceptions import ValidationError

# The one list of characters no comment, name or header text keeps (every channel
# and the mail pipeline use it): C0 and C1 controls except tab and newline (a CR is
# folded into a newline before this is applied), lone surrogates (undecodable
# bytes), the Unicode noncharacters, and the bidi overrides and isolates that hide
# what a text really says (CVE-2021-42574, "Trojan Source").
CONTROL_CHARACTERS = re.compile(
    r"[\x00-\x08\x0b-\x1f\x7f-\x9f\ud800-\udfff\ufffe\uffff"
    r"\u202a-\u202e\u2066-\u2069]"
)
# Characters that show nothing: zero-width space, non-joiner and joiner, the
# left-to-right and right-to-left marks, word joiner, BOM (zero-width no-break
# space), Arabic letter mark. A name made of them looks empty or impersonates
# another; a text made only of them is no comment. Texts keep them (the joiners
# are part of emoji sequences and of Persian and Indic spelling).
INVISIBLE_CHARACTERS = re.compile(r"[\u200b-\u200f\u2060\ufeff\u061c]")
NAME_MAX_LENGTH = 100
# RFC 5321 §4.5.3.1.3: a path is at most 256 octets with its angle brackets, so an
# address is at most 254; Comment.author_email is a column of that size.
EMAIL_MAX_LENGTH = 254


def strip_control_characters(text: str) -> str:
    """The text without CONTROL_CHARACTERS (tab and newline kept)."""
    return CONTROL_CHARACTERS.sub("", text)


def visible_text(text: str) -> str:
    """The text without invisible characters and surrounding whitespace."""
    return INVISIBLE_CHARACTERS.sub("", text).strip()


def normalize_text(text: str, *, keep_indent: bool = False) -> str:
    """Unicode NFC, LF newlines, no control characters, no trailing spaces.

    keep_indent keeps the first line's leading spaces (only blank lines around the
    text go): a comment may start with a block of code indented by four spaces.
    """
    text = unicodedata.normalize("NFC", text.replace("\r\n", "\n").replace("\r", "\n"))
    text = strip_control_characters(text)
    text = "\n".join(line.rstrip() for line in text.split("\n"))
    return text.strip("\n") if keep_indent else text.strip()


def has_forbidden_characters(text: str) -> bool:
    """True when the raw input carries NULs or control characters."""
    return bool(CONTROL_CHARACTERS.search(text.replace("\r", "")))


def clean_body(text: str) -> str:
    """A comment's text, normalised; ValidationError when it breaks a rule."""
    if has_forbidden_characters(text):
        raise ValidationError(
            "Your comment contains invisible control characters; please remove them.",
            code="control_characters",
        )
    text = normalize_text(text, keep_indent=True)
    if len(visible_text(text)) < settings.COMMENT_MIN_LENGTH:
        raise ValidationError("Please write a comment.", code="too_short")
    if len(text) > settings.COMMENT_MAX_LENGTH:
        over = len(text) - settings.COMMENT_MAX_LENGTH
        raise ValidationError(
            f"Comments are limited to {settings.COMMENT_MAX_LENGTH:,} characters; "
            f"yours has {len(text):,}. Please shorten it by {over:,}.",
            code="too_long",
        )
    return text


def clean_name(name: str) -> str:
    """The public name: one line, no controls; empty means "Anonymous"."""
    if has_forbidden_characters(name) or "\n" in name:
        raise ValidationError(
            "Your name contains characters we can't show.", code="control_characters"
        )
    name = " ".join(INVISIBLE_CHARACTERS.sub("", normalize_text(name)).split())
    if len(name) > NAME_MAX_LENGTH:
        raise ValidationError(
            f"Names are limited to {NAME_MAX_LENGTH} characters.", code="too_long"
        )
    return name or "Anonymous"


def clean_email(address: str) -> str:
    """An optional address that fits the column; ValidationError when too long."""
    address = address.strip()
    if len(address) > EMAIL_MAX_LENGTH:
        raise ValidationError(
            f"Email addresses are limited to {EMAIL_MAX_LENGTH} characters.",
            code="too_long",
        )
    return address
