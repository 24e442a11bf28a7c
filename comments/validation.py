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
# Characters that show nothing: Unicode's Default_Ignorable_Code_Point property
# (UAX #44; "should be ignored in rendering" unless supported), which Python's
# unicodedata lacks. These are the ranges of DerivedCoreProperties.txt, Unicode
# 15.0 (https://www.unicode.org/Public/15.0.0/ucd/DerivedCoreProperties.txt, 4,174
# code points; the same in 14.0, and equal to its documented derivation over
# Python's own Unicode data: Other_Default_Ignorable_Code_Point + Cf +
# Variation_Selector - White_Space - FFF9..FFFB - 13430..1343F -
# Prepended_Concatenation_Mark). They include the zero-width space and joiners,
# the soft hyphen, U+034F, the Hangul fillers (U+115F, U+1160, U+3164, U+FFA0),
# U+17B4/5, U+180E, U+2061, the variation selectors and the tag characters.
DEFAULT_IGNORABLE = (
    "\u00ad\u034f\u061c\u115f\u1160\u17b4\u17b5\u180b-\u180f\u200b-\u200f"
    "\u202a-\u202e\u2060-\u206f\u3164\ufe00-\ufe0f\ufeff\uffa0\ufff0-\ufff8"
    "\U0001bca0-\U0001bca3\U0001d173-\U0001d17a\U000e0000-\U000e0fff"
)
# Printing characters that look like a space but are no White_Space: the braille
# blank (a "letter" of an empty braille cell, a favourite blank name).
BLANK_LOOKING = "\u2800"
# A name made of them looks empty or impersonates another; a text made only of
# them is no comment. Texts keep them (the joiners are part of emoji sequences
# and of Persian and Indic spelling; the soft hyphen is a hyphenation hint).
INVISIBLE_CHARACTERS = re.compile(f"[{DEFAULT_IGNORABLE}{BLANK_LOOKING}]")
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


_WHITESPACE_RUN = re.compile(r"\s+")
_BLANK_LINE_RUN = re.compile(r"\n{3,}")


def normalize_text(
    text: str,
    *,
    keep_indent: bool = False,
    one_line: bool = False,
    one_blank_line: bool = False,
) -> str:
    """The one text clean-up (form, email text and headers, imports): Unicode NFC,
    LF newlines, no control characters, no trailing spaces, no blank lines around.

    keep_indent keeps the first line's leading spaces (only blank lines around the
    text go): a comment may start with a block of code indented by four spaces.
    one_line makes every whitespace run one space (a header, a name).
    one_blank_line keeps at most one blank line between paragraphs (mail text,
    where clients pad with runs of them).
    """
    text = unicodedata.normalize("NFC", text.replace("\r\n", "\n").replace("\r", "\n"))
    text = strip_control_characters(text)
    if one_line:
        return _WHITESPACE_RUN.sub(" ", text).strip()
    text = "\n".join(line.rstrip() for line in text.split("\n"))
    if one_blank_line:
        text = _BLANK_LINE_RUN.sub("\n\n", text)
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
