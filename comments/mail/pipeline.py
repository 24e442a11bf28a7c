"""One email in, one stored outcome out: the core every entry point shares.

DESIGN.md "Email in": raw bytes -> store InboundEmail (commit) -> parse -> skip?
-> route -> extract + trim -> intake (commit) -> acknowledge.

The raw row is committed on its own first, so nothing received is lost even
when processing fails; processing runs in a second transaction and ends in
exactly one outcome (queued, ignored, rejected or failed) with a reason. The
caller acknowledges the message (pipe exit code, IMAP move) only after this
returns. Nothing here ever sends mail: senders can be forged, and machine mail
must never be answered (RFC 3834 §2).
"""

from __future__ import annotations

import logging
import re
from dataclasses import asdict, dataclass
from email.utils import parseaddr

from django.conf import settings
from django.db import DatabaseError, InterfaceError, OperationalError, transaction
from django.db.models import F
from django.utils import timezone

from blog.models import Article
from comments.intake import CommentsClosed, RepeatedComment, submit_comment
from comments.mail.auth import authentication_verdict
from comments.mail.extract import extract_text
from comments.mail.filters import machine_mail_reason
from comments.mail.headers import first_header
from comments.mail.parsing import ParsedEmail, parse_email
from comments.mail.routing import plus_tag, route
from comments.mail.trimming import trim_reply
from comments.models import Comment, CommentSource, InboundEmail, InboundOutcome
from comments.screening import SOFT, Signals
from comments.validation import normalize_text

logger = logging.getLogger("sourcehat.comments.mail")

# Reasons beyond the routing and machine-mail ones (issue 4's list).
DUPLICATE = "duplicate"
REPEAT = "repeat"  # same sender, same text, same article within a day
MALFORMED = "malformed"
TOO_LARGE = "too_large"
EMPTY_BODY = "empty_body"
COMMENTS_CLOSED = "comments_closed"
PROCESSING_ERROR = "processing_error"

FINAL_OUTCOMES = (
    InboundOutcome.QUEUED,
    InboundOutcome.IGNORED,
    InboundOutcome.REJECTED,
)
REPROCESSABLE = (InboundOutcome.RECEIVED, InboundOutcome.FAILED)
DECISION_FIELDS = [
    "sender",
    "sender_name",
    "subject",
    "recipient",
    "authentication_results",
    "auth_verdict",
    "attachment_names",
    "outcome",
    "reason",
    "error",
    "attempts",
    "processed_at",
]
# Zulip's construct_zulip_body marks a cut body visibly; so do we.
TRUNCATION_MARK = "\n\n[…]"
# A header block is a few KiB; a runaway one must not fill the row either.
MAX_HEADER_BYTES = 256 * 1024
_HEADER_END = re.compile(rb"\r?\n\r?\n")
# Spam verdicts our own MTA or provider adds (EMAIL-SPEC §3, Discourse is_spam?).
_SPAM_HEADERS = (
    ("X-Spam-Flag", re.compile(r"^\s*yes\b", re.I)),
    ("X-Spam-Status", re.compile(r"^\s*yes\b", re.I)),
    ("X-SES-Spam-Verdict", re.compile(r"^\s*fail\b", re.I)),
)


@dataclass(frozen=True)
class IngestResult:
    """What became of one message, for the pipe's output and the IMAP mover."""

    outcome: str
    reason: str
    article: str | None = None
    comment: int | None = None
    inbound_email: int | None = None

    def summary(self) -> str:
        """One line for logs and the MTA: outcome, reason, article, ids."""
        return (
            f"{self.outcome} {self.reason} article={self.article or '-'} "
            f"comment={self.comment or '-'} inbound_email={self.inbound_email or '-'}"
        )

    def as_json(self) -> dict[str, object]:
        return asdict(self)


class DatabaseUnavailable(Exception):
    """The database could not be reached; the caller should retry later."""


def is_database_unavailable(exc: BaseException) -> bool:
    """True for errors that mean "try again later", not "this mail is bad"."""
    return isinstance(exc, (OperationalError, InterfaceError))


def ingest_raw_email(
    raw: bytes,
    *,
    recipient: str = "",
    channel: str = "pipe",
    size: int | None = None,
) -> IngestResult:
    """Store one raw message, then process it into exactly one outcome.

    ``size`` is the full size when the caller only has the headers (IMAP's
    RFC822.SIZE over the cap); a pipe passes up to MAX_EMAIL_BYTES + 1 bytes
    and the extra byte tells "too large".
    """
    raw = bytes(raw)
    size = len(raw) if size is None else size
    too_large = size > settings.MAX_EMAIL_BYTES
    if too_large:
        raw = header_block(raw)
    parsed = parse_email(raw)
    row, created = _store(raw, parsed, size=size, recipient=recipient, channel=channel)
    if not created and row.outcome in FINAL_OUTCOMES:
        return IngestResult(InboundOutcome.IGNORED, DUPLICATE, inbound_email=row.pk)
    return process(row, parsed, too_large=too_large)


def reprocess(inbound: InboundEmail) -> IngestResult:
    """Process a stored message again (left ``received`` or ``failed``)."""
    if inbound.outcome not in REPROCESSABLE:
        return IngestResult(inbound.outcome, inbound.reason, inbound_email=inbound.pk)
    parsed = parse_email(bytes(inbound.raw))
    return process(inbound, parsed, too_large=False)


def header_block(raw: bytes) -> bytes:
    """The header block of a message (what we keep of a too-large one)."""
    match = _HEADER_END.search(raw, 0, MAX_HEADER_BYTES)
    return raw[: match.end()] if match else raw[:MAX_HEADER_BYTES]


def _store(
    raw: bytes, parsed: ParsedEmail, *, size: int, recipient: str, channel: str
) -> tuple[InboundEmail, bool]:
    """Commit the raw row on its own (DESIGN.md: nothing received is lost)."""
    with transaction.atomic():
        row, created = InboundEmail.objects.defer("raw").get_or_create(
            dedupe_key=parsed.dedupe_key,
            defaults={
                # Kept byte for byte (bytea/BLOB hold NULs); text fields are
                # cleaned instead.
                "raw": raw,
                "raw_size": size,
                "raw_sha256": parsed.raw_sha256,
                "message_id": parsed.message_id[:998],
                "channel": channel,
                "recipient": recipient[:320],
                "subject": normalize_text(parsed.subject)[:255],
                "sender": parsed.from_address[:320],
            },
        )
        if not created:
            InboundEmail.objects.filter(pk=row.pk).update(
                seen_count=F("seen_count") + 1
            )
            if row.raw_sha256 != parsed.raw_sha256:
                # Message-IDs are not always unique (EMAIL-SPEC §4): note it.
                logger.warning(
                    "message-id %s seen again with different bytes (row %s)",
                    parsed.dedupe_key,
                    row.pk,
                )
    return row, created


def process(row: InboundEmail, parsed: ParsedEmail, *, too_large: bool) -> IngestResult:
    """Decide and store the outcome in one transaction; failures mark the row."""
    try:
        with transaction.atomic():
            # The lock makes a concurrent delivery of the same message wait, then
            # see the final outcome and count as a duplicate.
            locked = (
                InboundEmail.objects.select_for_update().defer("raw").get(pk=row.pk)
            )
            if locked.outcome in FINAL_OUTCOMES:
                return IngestResult(
                    InboundOutcome.IGNORED, DUPLICATE, inbound_email=locked.pk
                )
            return _decide(locked, parsed, too_large=too_large)
    except Exception as exc:
        if is_database_unavailable(exc):
            raise
        logger.exception("inbound email %s failed", row.pk)
        _mark_failed(row.pk, exc)
        return IngestResult(
            InboundOutcome.FAILED, PROCESSING_ERROR, inbound_email=row.pk
        )


def _mark_failed(pk: int, exc: Exception) -> None:
    try:
        InboundEmail.objects.filter(pk=pk).update(
            outcome=InboundOutcome.FAILED,
            reason=PROCESSING_ERROR,
            error=f"{type(exc).__name__}: {exc}"[:5000],
            attempts=F("attempts") + 1,
            processed_at=timezone.now(),
        )
    except DatabaseError:
        logger.exception("could not mark inbound email %s as failed", pk)


def _decide(row: InboundEmail, parsed: ParsedEmail, *, too_large: bool) -> IngestResult:
    _describe(row, parsed)
    article = None
    comment = None
    if too_large:
        outcome, reason = InboundOutcome.REJECTED, TOO_LARGE
    elif parsed.malformed:
        outcome, reason = InboundOutcome.REJECTED, MALFORMED
        row.error = parsed.malformed
    elif machine := machine_mail_reason(parsed, own_addresses()):
        outcome, reason = InboundOutcome.IGNORED, machine
    elif not parsed.from_address:
        # EMAIL-SPEC §6: a From without an address means no sender at all.
        outcome, reason = InboundOutcome.REJECTED, MALFORMED
        row.error = "no sender address"
    else:
        outcome, reason, article, comment = _submit(row, parsed)
    row.outcome, row.reason = outcome, reason
    row.attempts += 1
    row.processed_at = timezone.now()
    if outcome != InboundOutcome.REJECTED or reason != MALFORMED:
        row.error = ""
    # Never rewrite the raw bytes (up to MAX_EMAIL_BYTES) when deciding.
    row.save(update_fields=DECISION_FIELDS)
    logger.info("inbound email %s: %s %s", row.pk, outcome, reason)
    return IngestResult(
        outcome,
        reason,
        article=article.slug if article is not None else None,
        comment=comment.pk if comment is not None else None,
        inbound_email=row.pk,
    )


def _submit(
    row: InboundEmail, parsed: ParsedEmail
) -> tuple[str, str, Article | None, Comment | None]:
    """Extract, route and hand the text to the intake every channel uses."""
    body, removed = comment_text(parsed)
    if not body:
        return InboundOutcome.REJECTED, EMPTY_BODY, None, None
    article, route_reason = route(parsed, recipient=row.recipient)
    if article is not None and not article.comments_open:
        return InboundOutcome.REJECTED, COMMENTS_CLOSED, article, None
    try:
        comment = submit_comment(
            article=article,
            source=CommentSource.EMAIL,
            body=body,
            author_name="Anonymous",
            # EmailField is varchar(254) (RFC 5321's path limit); a longer
            # "address" is stored on the email row only.
            author_email=row.sender if len(row.sender) <= 254 else "",
            inbound_email=row,
            trimmed_text=removed,
            signals=Signals(extra=mail_signals(parsed, row.auth_verdict)),
        )
    except CommentsClosed:  # closed between our check and the insert
        return InboundOutcome.REJECTED, COMMENTS_CLOSED, article, None
    except RepeatedComment as repeat:  # the same text from the same sender
        return InboundOutcome.IGNORED, REPEAT, article, repeat.comment
    return InboundOutcome.QUEUED, route_reason, article, comment


def _describe(row: InboundEmail, parsed: ParsedEmail) -> None:
    """Fill in what editors see about the message (private fields included)."""
    row.sender = parsed.from_address[:320]
    row.sender_name = normalize_text(parsed.from_name)[:200]
    row.subject = normalize_text(parsed.subject)[:255]
    if not row.recipient:
        row.recipient = our_recipient(parsed)[:320]
    row.authentication_results = "\n".join(
        " ".join(v.split()) for v in parsed.authentication_results
    )
    row.auth_verdict = authentication_verdict(
        parsed.authentication_results, settings.AUTHSERV_ID
    )
    row.attachment_names = [normalize_text(n)[:255] for n in parsed.attachment_names]


def our_recipient(parsed: ParsedEmail) -> str:
    """The first recipient that is one of our plus addresses, else ours, else ""."""
    ours = parseaddr(settings.COMMENTS_EMAIL_ADDRESS)[1].lower()
    tagged = next((a for a in parsed.recipients if plus_tag(a)), "")
    return tagged or (ours if ours in parsed.recipients else "")


def own_addresses() -> list[str]:
    """Addresses this site sends from or receives at (the loop guard)."""
    values = (
        settings.COMMENTS_EMAIL_ADDRESS,
        settings.DEFAULT_FROM_EMAIL,
        settings.SERVER_EMAIL,
    )
    return [addr for addr in (parseaddr(v)[1] for v in values) if addr]


def comment_text(parsed: ParsedEmail) -> tuple[str, str]:
    """(comment text, what trimming removed), cleaned and within the length cap."""
    kept, removed = trim_reply(extract_text(parsed))
    body = normalize_text(kept)
    if len(body) < settings.COMMENT_MIN_LENGTH:
        return "", normalize_text(removed)
    return truncate(body, settings.COMMENT_MAX_LENGTH), normalize_text(removed)


def truncate(text: str, limit: int) -> str:
    """Text cut to ``limit`` characters at a word boundary, with a visible mark."""
    if len(text) <= limit:
        return text
    room = limit - len(TRUNCATION_MARK)
    cut = text[:room]
    space = max(cut.rfind(" "), cut.rfind("\n"))
    if space > room // 2:
        cut = cut[:space]
    return cut.rstrip() + TRUNCATION_MARK


def mail_signals(
    parsed: ParsedEmail, verdict: dict[str, str]
) -> tuple[tuple[int, str], ...]:
    """Soft spam points only the mail channel knows (never enough alone)."""
    extra: list[tuple[int, str]] = []
    if verdict.get("dmarc") == "fail":
        extra.append((SOFT, "DMARC failed at our mail server: the sender may be fake."))
    message = parsed.message
    if message is not None:
        for name, verdict_pattern in _SPAM_HEADERS:
            if verdict_pattern.match(first_header(message, name)):
                extra.append((SOFT, f"Our mail server flagged it as spam ({name})."))
                break
    return tuple(extra)
