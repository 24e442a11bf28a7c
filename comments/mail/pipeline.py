"""One email in, one stored outcome out: the core every entry point shares.

DESIGN.md "Email in": raw bytes -> store InboundEmail (commit) -> parse -> skip?
-> route -> extract + trim -> intake (commit) -> acknowledge. An answer to an
editors' notice is recognised by its address before routing and handed to
moderation (handoff.py) instead.

The raw row is committed on its own first, so nothing received is lost even
when processing fails. The message is then read (filters, extraction, trimming:
reading.py) outside any transaction and within its time budget (budget.py);
only then does a second transaction route it, hand it to intake and store
exactly one outcome (queued, ignored, rejected or failed) with a reason. A
message over its budget is ``failed`` / ``too_slow``, for an editor to
re-process. The caller acknowledges the message (pipe exit code, IMAP move)
only after this returns. A database outage is raised, never stored as
``failed``: the pipe exits 75 and the poller retries, so the mail server keeps
the message; a Redis outage is a cache miss (settings.py) and changes nothing.
Nothing here ever sends mail: senders can be forged, and machine mail must never
be answered (RFC 3834 §2).
"""

from __future__ import annotations

import logging
import re
from dataclasses import asdict, dataclass

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import (
    DatabaseError,
    InterfaceError,
    OperationalError,
    ProgrammingError,
    transaction,
)
from django.db.models import F
from django.utils import timezone

from blog.models import Article
from comments.addressing import our_recipient
from comments.intake import CommentsClosed, RepeatedComment, submit_comment
from comments.mail import handoff
from comments.mail.auth import authentication_verdict
from comments.mail.bounces import failed_recipients
from comments.mail.budget import Budget, OverBudget, Stopped
from comments.mail.filters import BOUNCE
from comments.mail.parsing import ParsedEmail, header_block, parse_email
from comments.mail.reading import Reading, read_message
from comments.mail.routing import route
from comments.models import Comment, CommentSource, InboundEmail, InboundOutcome
from comments.screening import SOFT, Signals
from comments.validation import clean_email

logger = logging.getLogger("sourcehat.comments.mail")

# Reasons beyond the routing and machine-mail ones (issue 4's list).
DUPLICATE = "duplicate"
REPEAT = "repeat"  # same sender, same text, same article within a day
MALFORMED = "malformed"
TOO_LARGE = "too_large"
EMPTY_BODY = "empty_body"
COMMENTS_CLOSED = "comments_closed"
PROCESSING_ERROR = "processing_error"
TOO_SLOW = "too_slow"

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
    "extracted_text",
    "processing_notes",
]
# Below the default threshold of 10 alone; with any other signal, over it.
DMARC_FAIL_POINTS = 8
# RFC 7208 §8.4-8.5: "fail" is the domain's explicit no, "softfail" a weak one.
_SPF_POINTS = {"fail": SOFT, "softfail": 2}
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


def outage(exc: BaseException) -> str:
    """ "database" when the error means "try again later" (the database, or the
    database cache in it, is unreachable), "" when it means "this mail is bad" or
    a bug. A Redis outage never gets here: it is a cache miss (settings.py)."""
    for error in (exc, exc.__cause__):
        if isinstance(error, (OperationalError, InterfaceError)):
            return "database"
        # The database cache's table missing (a database migrated before
        # `migrate` made it whatever CACHE_URL said): PostgreSQL calls that a
        # ProgrammingError. A cache problem is never a mail's fault (issue 22).
        if isinstance(error, ProgrammingError) and settings.CACHE_TABLE in str(error):
            return "database"
    return ""


def ingest_raw_email(
    raw: bytes,
    *,
    recipient: str = "",
    channel: str = "pipe",
    size: int | None = None,
    budget: Budget | None = None,
) -> IngestResult:
    """Store one raw message, then process it into exactly one outcome.

    ``size`` is the full size when the caller only has the headers (IMAP's
    RFC822.SIZE over the cap); a pipe passes up to MAX_EMAIL_BYTES + 1 bytes
    and the extra byte tells "too large". ``budget`` starts now by default.
    """
    budget = budget or Budget()
    raw = bytes(raw)
    size = len(raw) if size is None else size
    too_large = size > settings.MAX_EMAIL_BYTES
    if too_large:
        raw = header_block(raw)
    # The raw bytes are stored (committed) before the body is parsed: a process
    # killed while reading leaves the message for the next run or an editor.
    envelope = parse_email(raw, headers_only=True)
    row, created = _store(
        raw, envelope, size=size, recipient=recipient, channel=channel
    )
    if not created and row.outcome in FINAL_OUTCOMES:
        return IngestResult(InboundOutcome.IGNORED, DUPLICATE, inbound_email=row.pk)
    parsed = envelope if too_large else parse_email(raw)  # bounded (structure.py)
    return process(row, parsed, too_large=too_large, budget=budget)


def reprocess(inbound: InboundEmail, *, budget: Budget | None = None) -> IngestResult:
    """Process a stored message again (left ``received`` or ``failed``)."""
    if inbound.outcome not in REPROCESSABLE:
        return IngestResult(inbound.outcome, inbound.reason, inbound_email=inbound.pk)
    budget = budget or Budget()
    parsed = parse_email(bytes(inbound.raw))
    return process(inbound, parsed, too_large=False, budget=budget)


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
                "subject": parsed.subject[
                    :255
                ],  # decoded and cleaned once (headers.py)
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


def process(
    row: InboundEmail, parsed: ParsedEmail, *, too_large: bool, budget: Budget
) -> IngestResult:
    """Read the message, then decide and store the outcome in one transaction;
    failures (a bug, or over the time budget) mark the row ``failed``."""
    try:
        reading = read_message(parsed, budget=budget)
    except Stopped:
        raise  # left ``received``: the next run reads it again
    except OverBudget as exc:
        logger.warning("inbound email %s: %s", row.pk, exc)
        return _mark_failed(row.pk, TOO_SLOW, str(exc), notes=parsed.notes)
    except Exception as exc:
        logger.exception("inbound email %s could not be read", row.pk)
        return _mark_failed(row.pk, PROCESSING_ERROR, f"{type(exc).__name__}: {exc}")
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
            # What runs after the commit (intake's on_commit hooks) is robust:
            # its failures are logged, never raised here.
            return _decide(locked, parsed, reading, too_large=too_large)
    except Exception as exc:
        if outage(exc):
            raise
        logger.exception("inbound email %s failed", row.pk)
        return _mark_failed(row.pk, PROCESSING_ERROR, f"{type(exc).__name__}: {exc}")


def _mark_failed(
    pk: int, reason: str, error: str, *, notes: tuple[str, ...] = ()
) -> IngestResult:
    try:
        InboundEmail.objects.filter(pk=pk).update(
            outcome=InboundOutcome.FAILED,
            reason=reason,
            error=error[:5000],
            processing_notes=list(notes),
            attempts=F("attempts") + 1,
            processed_at=timezone.now(),
        )
    except DatabaseError as exc:
        if outage(exc):
            raise
        logger.exception("could not mark inbound email %s as failed", pk)
    return IngestResult(InboundOutcome.FAILED, reason, inbound_email=pk)


def _decide(
    row: InboundEmail, parsed: ParsedEmail, reading: Reading, *, too_large: bool
) -> IngestResult:
    _describe(row, parsed)
    row.extracted_text = reading.text
    row.processing_notes = list(reading.notes)
    article = None
    comment = None
    if too_large:
        outcome, reason = InboundOutcome.REJECTED, TOO_LARGE
    elif parsed.malformed:
        outcome, reason = InboundOutcome.REJECTED, MALFORMED
        row.error = parsed.malformed
    elif machine := reading.machine_reason:
        outcome, reason = InboundOutcome.IGNORED, machine
        if machine == BOUNCE:
            _hand_off_bounce(parsed)
    elif not parsed.from_address:
        # EMAIL-SPEC §6: a From without an address means no sender at all.
        outcome, reason = InboundOutcome.REJECTED, MALFORMED
        row.error = "no sender address"
    elif answer := _notice_answer(row, parsed, reading):
        outcome, reason = answer
    else:
        outcome, reason, article, comment = _submit(row, parsed, reading)
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


def _hand_off_bounce(parsed: ParsedEmail) -> None:
    """Tell whoever keeps the suppression list which addresses failed (the
    handoff's BOUNCE kind); the bounce itself is stored as it always was."""
    handler = handoff.handler_for(handoff.BOUNCE)
    if handler is None or parsed.message is None:
        return
    for address in failed_recipients(parsed.message):
        handler(address)


def _notice_answer(
    row: InboundEmail, parsed: ParsedEmail, reading: Reading
) -> tuple[str, str] | None:
    """An answer to an editors' notice, recognised by its address before routing,
    goes to moderation's handler (handoff.py) and never becomes a comment."""
    handler = handoff.handler_for(handoff.NOTICE_ANSWER)
    if handler is None:
        return None
    token = handoff.notice_answer_token([row.recipient, *parsed.recipients])
    if not token:
        return None
    return handler(row=row, parsed=parsed, reading=reading, token=token)


def _submit(
    row: InboundEmail, parsed: ParsedEmail, reading: Reading
) -> tuple[str, str, Article | None, Comment | None]:
    """Route the text read and hand it to the intake every channel uses."""
    if not reading.body:
        return InboundOutcome.REJECTED, EMPTY_BODY, None, None
    article, route_reason = route(parsed, recipient=row.recipient)
    try:
        comment = submit_comment(
            article=article,
            source=CommentSource.EMAIL,
            body=reading.body,
            author_name="Anonymous",
            author_email=_author_email(row.sender),
            inbound_email=row,
            trimmed_text=reading.removed,
            signals=Signals(extra=mail_signals(parsed, row.auth_verdict)),
        )
    except CommentsClosed:  # the article takes no comments (intake's rule)
        return InboundOutcome.REJECTED, COMMENTS_CLOSED, article, None
    except RepeatedComment as repeat:  # the same text from the same sender
        return InboundOutcome.IGNORED, REPEAT, article, repeat.comment
    return InboundOutcome.QUEUED, route_reason, article, comment


def _author_email(sender: str) -> str:
    # The column's rule (validation.clean_email); a longer "address" is kept on
    # the email row only.
    try:
        return clean_email(sender)
    except ValidationError:
        return ""


def _describe(row: InboundEmail, parsed: ParsedEmail) -> None:
    """Fill in what editors see about the message (private fields included)."""
    row.sender = parsed.from_address[:320]
    # Header texts are decoded and cleaned once, when read (headers.py).
    row.sender_name = parsed.from_name[:200]
    row.subject = parsed.subject[:255]
    if not row.recipient:
        row.recipient = our_recipient(parsed.recipients)[:320]
    row.authentication_results = "\n".join(
        " ".join(v.split()) for v in parsed.authentication_results
    )
    row.auth_verdict = authentication_verdict(
        parsed.authentication_results, settings.AUTHSERV_ID
    )
    row.attachment_names = [n[:255] for n in parsed.attachment_names]


def mail_signals(
    parsed: ParsedEmail, verdict: dict[str, str]
) -> tuple[tuple[int, str], ...]:
    """Spam points only the mail channel knows (none enough alone).

    A DMARC failure is a strong one: the From domain publishes a policy and
    this message failed it (RFC 7489 §6.6.2), so the sender it claims is likely
    forged; with any other signal it makes spam. Not enough alone, since a
    forwarder or mailing list can break DMARC for a real sender (RFC 7960 §3).
    """
    extra: list[tuple[int, str]] = []
    domain = parsed.from_address.rpartition("@")[2]
    if verdict.get("dmarc") == "fail" and domain:
        extra.append(
            (
                DMARC_FAIL_POINTS,
                f"DMARC failed at our mail server: the sender claims {domain} "
                "and may be fake.",
            )
        )
    spf = verdict.get("spf")
    if spf in _SPF_POINTS:
        extra.append((_SPF_POINTS[spf], f"SPF {spf} at our mail server."))
    for name, verdict_pattern in _SPAM_HEADERS:
        if verdict_pattern.match(parsed.headers.first(name)):
            extra.append((SOFT, f"Our mail server flagged it as spam ({name})."))
            break
    return tuple(extra)
