"""Content rules shared by every channel (the web form and email).

The form reports a broken rule to the reader; the email pipeline cleans what it can
and rejects the rest. Either way the rules live here, once.
"""

import re
import unicodedata

from django.conf import settings
from django.core.exceptions import ValidationError

# C0 and C1 controls except tab and newline; plus the Unicode noncharacters and
# bidi overrides that hide what a text really says (CVE-2021-42574, "Trojan Source").
_CONTROL = re.compile(
    r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ufffe\uffff\u202a-\u202e\u2066-\u2069]"
)
NAME_MAX_LENGTH = 100


def normalize_text(text: str, *, keep_indent: bool = False) -> str:
    """Unicode NFC, LF newlines, no control characters, no trailing spaces.

    keep_indent keeps the first line's leading spaces (only blank lines around the
    text go): a comment may start with a block of code indented by four spaces.
    """
    text = unicodedata.normalize("NFC", text.replace("\r\n", "\n").replace("\r", "\n"))
    text = _CONTROL.sub("", text)
    text = "\n".join(line.rstrip() for line in text.split("\n"))
    return text.strip("\n") if keep_indent else text.strip()


def has_forbidden_characters(text: str) -> bool:
    """True when the raw input carries NULs or control characters."""
    return bool(_CONTROL.search(text.replace("\r", "")))


def clean_body(text: str) -> str:
    """A comment's text, normalised; ValidationError when it breaks a rule."""
    if has_forbidden_characters(text):
        raise ValidationError(
            "Your comment contains invisible control characters; please remove them.",
            code="control_characters",
        )
    text = normalize_text(text, keep_indent=True)
    if len(text.strip()) < settings.COMMENT_MIN_LENGTH:
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
    name = " ".join(normalize_text(name).split())
    if len(name) > NAME_MAX_LENGTH:
        raise ValidationError(
            f"Names are limited to {NAME_MAX_LENGTH} characters.", code="too_long"
        )
    return name or "Anonymous"
