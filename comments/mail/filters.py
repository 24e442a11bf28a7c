"""Recognise machine mail (loops, bounces, auto-replies, bulk, lists).

None of these may become a comment or get an answer (RFC 3834 §2, EMAIL-SPEC §3).

Order, first match wins, so the stored reason is the most specific one:

1. ``own_mail``: loops are the most dangerous case (Discourse
   ``is_from_reply_by_email_address?``).
2. ``bounce``: any multipart/report (DSN RFC 3464, MDN RFC 8098, ARF RFC 5965)
   or a mailer-daemon/postmaster sender. Checked before auto-reply because
   Postfix DSNs also carry ``Auto-Submitted: auto-replied``
   (corpus: mail__multi_address_bounce1).
3. ``auto_reply``: vacation and out-of-office answers.
4. ``bounce`` again for a null reverse path (``Return-Path: <>``) that had no
   auto-reply signal: Exchange sends its out-of-office replies with ``<>`` too
   (corpus: sisimai__rfc3834-02), and "auto_reply" is the truer reason there.
5. ``auto_generated``: Auto-Submitted other than ``no``, Precedence bulk/junk,
   no-reply senders, Discourse's auto-response header heuristic.
6. ``mailing_list``: List-* headers (RFC 2369/2919), Mailman, Precedence list.
"""

from __future__ import annotations

import re
from email.message import Message

from comments.addressing import is_own_address
from comments.mail.headers import HeaderIndex, decode_header_value
from comments.mail.parsing import ParsedEmail, content_type, walk_parts

OWN_MAIL = "own_mail"
BOUNCE = "bounce"
AUTO_REPLY = "auto_reply"
AUTO_GENERATED = "auto_generated"
MAILING_LIST = "mailing_list"

# Discourse receiver.rb is_auto_generated?: mailer-daemon, postmaster with
# "-"/"_" variants.
_BOUNCE_SENDER = re.compile(r"^(mailer[-_]?daemon|post[-_]?master)$", re.I)
_NO_REPLY_SENDER = re.compile(
    r"^(no[-_.]?reply|do[-_.]?not[-_.]?reply|dont[-_.]?reply)([-_+.].*)?$", re.I
)
# Auto-reply subject prefixes: Discourse's list (receiver.rb
# is_auto_generated?) plus Apple's "Auto reply:" (corpus: sisimai__rfc3834-03).
# The phrase must be followed by ":" or end the subject, so a human subject
# such as "Out of office culture" is not caught.
_AUTO_REPLY_SUBJECT = re.compile(
    r"^\s*(auto:|(automatic reply|auto[- ]?reply|autosvar|automatisk svar"
    r"|automatisch antwoord|abwesenheitsnotiz|risposta non al computer"
    r"|auto response|respuesta autom[aá]tica|fuori sede|out of (the )?office"
    r"|fr[aå]nvaro|r[eé]ponse automatique|absence|vacation|on vacation)"
    r"\s*(:|$))",
    re.I,
)
# Discourse: any header (other than X-Auto-Response-Suppress) mentioning these.
_AUTO_HEADER_WORDS = re.compile(
    r"auto[-_]?(response|submitted|replied|reply|generated|respond)"
    r"|holidayreply|machinegenerated",
    re.I,
)
# Headers that only *ask* not to be answered, or that we judge separately.
_AUTO_HEADER_SKIP = frozenset({"x-auto-response-suppress", "auto-submitted"})
_LIST_HEADERS = (
    "list-id",
    "list-unsubscribe",
    "list-post",
    "list-help",
    "list-subscribe",
    "list-owner",
    "list-archive",
    "x-mailman-version",
)


def machine_mail_reason(parsed: ParsedEmail) -> str | None:
    """Why this message is machine mail to ignore, or None for a human's mail.

    Each rule looks its fields up in ``parsed.headers`` (read once), and the
    header-word rule reads each field once: linear in the header block.
    """
    message, headers = parsed.message, parsed.headers
    if is_own_address(parsed.from_address):
        return OWN_MAIL
    if message is None:
        return None
    if is_report(message) or _local_part_matches(parsed.from_address, _BOUNCE_SENDER):
        return BOUNCE
    if is_auto_reply(headers, parsed.subject):
        return AUTO_REPLY
    if has_null_return_path(headers):
        return BOUNCE
    if is_auto_generated(headers, parsed.from_address):
        return AUTO_GENERATED
    if is_list_mail(headers):
        return MAILING_LIST
    return None


def _local_part_matches(address: str, pattern: re.Pattern[str]) -> bool:
    local = address.rpartition("@")[0]
    return bool(local) and bool(pattern.match(local))


def is_report(message: Message) -> bool:
    """True for any multipart/report part: DSN, MDN read receipt, ARF report."""
    return any(content_type(part) == "multipart/report" for part in walk_parts(message))


def has_null_return_path(headers: HeaderIndex) -> bool:
    """True when the reverse path is empty (RFC 5321 §4.5.5: notifications)."""
    return any(v.strip() in ("<>", "") for v in headers.values("Return-Path"))


def _auto_submitted(headers: HeaderIndex) -> str:
    # RFC 3834 §5: the keyword may be followed by comments/parameters,
    # e.g. "auto-generated (failure)" (corpus: sisimai__rfc3464-01).
    value = headers.first("Auto-Submitted").lower()
    return re.split(r"[\s;(]", value, maxsplit=1)[0] if value else ""


def is_auto_reply(headers: HeaderIndex, subject: str) -> bool:
    """True for vacation / out-of-office answers (RFC 3834 auto-replied)."""
    if _auto_submitted(headers) == "auto-replied":
        return True
    # GitLab receiver.rb ignore_auto_reply!: X-Autoreply: yes; X-Autorespond
    # is what Exim/cPanel autoresponders add.
    for name in ("X-Autoreply", "X-Autorespond"):
        value = headers.first(name).lower()
        if value and value != "no":
            return True
    # Apple iCloud vacation (corpus: sisimai__rfc3834-03).
    if headers.first("X-Apple-Action").lower() == "vacation":
        return True
    # Exchange OOF carries X-Auto-Response-Suppress and no Auto-Submitted
    # (corpus: sisimai__rfc3834-02/-04); the subject prefix decides either way.
    return bool(_AUTO_REPLY_SUBJECT.match(subject))


def is_auto_generated(headers: HeaderIndex, from_address: str) -> bool:
    """True for robot mail that is not a reply: notifications, bulk, no-reply."""
    auto = _auto_submitted(headers)
    if auto and auto != "no":
        return True
    precedence = headers.first("Precedence").lower()
    if precedence in ("bulk", "junk", "auto_reply"):
        return True
    if _local_part_matches(from_address, _NO_REPLY_SENDER):
        return True
    return _has_auto_response_header(headers)


def _has_auto_response_header(headers: HeaderIndex) -> bool:
    # Discourse matches its words against the whole header block except
    # X-Auto-Response-Suppress. We look at header names and X-* values only:
    # a human's Subject or References may well say "auto-reply". One pass:
    # each field is read once.
    for name, value in headers:
        lowered = name.lower()
        if lowered in _AUTO_HEADER_SKIP:
            continue
        if _AUTO_HEADER_WORDS.search(lowered):
            return True
        if lowered.startswith("x-") and _AUTO_HEADER_WORDS.search(
            decode_header_value(value)
        ):
            return True
    return False


def is_list_mail(headers: HeaderIndex) -> bool:
    """True for mailing-list traffic (RFC 2369 / RFC 2919 headers, Mailman)."""
    if any(name in headers for name in _LIST_HEADERS):
        return True
    return headers.first("Precedence").lower() == "list"
