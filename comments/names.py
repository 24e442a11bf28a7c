"""The name an emailed letter's sender gave, for an editor to choose (never shown
on its own: a letter appears as "Anonymous" until an editor renames it)."""

import re

from django.core.exceptions import ValidationError

from comments.models import Comment
from comments.validation import clean_name

# RFC 3676 §4.3 "-- " and the bare "--" many clients write.
_SIGNATURE_START = re.compile(r"^--\s*$")
# A signature's first line is a name when it looks like one: a few words of
# letters (with the marks names carry), nothing that is an address, link or number.
_NAME_LIKE = re.compile(r"^[^\W\d_]+(?:[ '’.\-][^\W\d_]+\.?){0,4}$")
_MAX_WORDS = 5


def _signature_name(trimmed_text: str) -> str:
    lines = trimmed_text.splitlines()
    for n, line in enumerate(lines):
        if _SIGNATURE_START.match(line):
            rest = [x.strip() for x in lines[n + 1 :] if x.strip()]
            first = rest[0] if rest else ""
            words = len(first.split())
            if _NAME_LIKE.match(first) and words <= _MAX_WORDS:
                return first
            return ""
    return ""


def suggested_name(comment: Comment) -> str:
    """The From display name, else the signature's name before trimming; "" when
    there is none, it is the name already shown, or the form's rules refuse it."""
    inbound = comment.inbound_email
    if inbound is None:
        return ""
    for candidate in (inbound.sender_name, _signature_name(comment.trimmed_text)):
        if "@" in candidate:  # "sam@example.org" <sam@example.org>: no name
            continue
        try:
            name = clean_name(candidate.strip().strip("\"'"))
        except ValidationError:
            continue
        if name != "Anonymous":
            return "" if name == comment.author_name else name
    return ""
