"""A writer's record beside their letter: how many they sent before, what became
of them, and whether this one was sent before ("sent before: rejected 3 Dec, off
topic"), counted and matched by the database.

The same writer is the same address or, for the web form, the same IP within the
retention period (after it, IPs are personal data we no longer hold). The same
letter is the same normalised text (content_hash) or, on PostgreSQL, text whose
trigram similarity (pg_trgm) is at least RESENT_SIMILARITY: a resubmission with a
word changed is still one.
"""

from dataclasses import dataclass
from datetime import datetime, timedelta

from django.conf import settings
from django.contrib.postgres.search import TrigramSimilarity
from django.db import connections
from django.db.models import Count, OuterRef, Q, QuerySet, Subquery, Value
from django.utils import timezone
from django.utils.dateformat import format as format_date

from comments.models import Comment, CommentSource, CommentStatus, earlier_than
from moderation.models import Decision

# How close a text must be to count as the same letter sent again (pg_trgm's
# similarity: shared trigrams over all trigrams; 1 is identical).
RESENT_SIMILARITY = 0.6
# A writer's record reads at most their newest WRITER_LETTERS letters: a spammer
# with 100,000 costs what a regular with a thousand does.
WRITER_LETTERS = 1000
SETTLED = (CommentStatus.PUBLISHED, CommentStatus.REJECTED, CommentStatus.SPAM)
PAST = {
    CommentStatus.PUBLISHED: "published",
    CommentStatus.REJECTED: "rejected",
    CommentStatus.SPAM: "marked as spam",
    CommentStatus.PENDING: "waiting",
}


def writer_letters(comment: Comment) -> QuerySet:
    """Every letter by the writer of `comment` (itself included): same address,
    or for the web form the same IP within the retention period."""
    mine = Comment.objects.none()
    if comment.author_email:
        mine = Comment.objects.by_commenter(email=comment.author_email)
    if comment.source == CommentSource.WEB and comment.ip_address:
        since = timezone.now() - timedelta(days=settings.PERSONAL_DATA_RETENTION_DAYS)
        mine = mine | Comment.objects.by_commenter(
            ip_address=comment.ip_address
        ).filter(source=CommentSource.WEB, submitted_at__gte=since)
    return mine


def resent_status() -> Subquery:
    """For each row of a list: what became of the writer's latest earlier letter
    with the same text ("rejected"), or None. The same writer as writer_letters;
    the same text only (the close-text comparison is the detail pages'), so each
    row costs one probe of comment_dup_idx."""
    since = timezone.now() - timedelta(days=settings.PERSONAL_DATA_RETENTION_DAYS)
    same_ip = Q(
        ip_address=OuterRef("ip_address"),
        source=CommentSource.WEB,
        submitted_at__gte=since,
    )
    earlier = (
        Comment.objects.filter(
            content_hash=OuterRef("content_hash"),
            submitted_at__lt=OuterRef("submitted_at"),
            status__in=SETTLED,
        )
        .exclude(content_hash="")
        .filter(
            Q(author_email__iexact=OuterRef("author_email")) & ~Q(author_email="")
            | same_ip
        )
        .order_by("-submitted_at")
    )
    return Subquery(earlier.values("status")[:1])


def earlier_letters(comment: Comment) -> QuerySet:
    """The writer's letters before this one, newest first."""
    return (
        writer_letters(comment)
        .filter(earlier_than(comment))
        .order_by("-submitted_at", "-pk")
    )


@dataclass(frozen=True)
class SentBefore:
    """The earlier letter this one repeats, and what the editors did with it."""

    comment_id: int
    status: str
    decided_at: datetime | None
    note: str
    same_text: bool

    @property
    def text(self) -> str:
        when = self.decided_at and format_date(
            timezone.localtime(self.decided_at), "j M"
        )
        said = ", ".join(part for part in (when, self.note) if part)
        return f"sent before: {PAST[self.status]}" + (f" {said}" if said else "")


@dataclass(frozen=True)
class WriterRecord:
    earlier: int
    outcomes: dict[str, int]
    sent_before: SentBefore | None
    capped: bool

    @property
    def summary(self) -> str:
        """'4 earlier letters: 1 published, 3 rejected' (or 'First letter')."""
        if not self.earlier:
            return "First letter from this writer."
        count = f"{self.earlier}{'+' if self.capped else ''}"
        plural = "s" if self.earlier != 1 else ""
        parts = [
            f"{self.outcomes[status]} {PAST[status]}"
            for status in (*SETTLED, CommentStatus.PENDING)
            if self.outcomes.get(status)
        ]
        return f"{count} earlier letter{plural}: {', '.join(parts)}."


def writer_record(comment: Comment) -> WriterRecord:
    """The writer's earlier letters counted by outcome, and the one this letter
    repeats if any (two queries, bounded by WRITER_LETTERS)."""
    newest = earlier_letters(comment).values("pk")[:WRITER_LETTERS]
    rows = (
        Comment.objects.filter(pk__in=Subquery(newest))
        .order_by()
        .values("status")
        .annotate(n=Count("pk"))
    )
    outcomes = {row["status"]: row["n"] for row in rows}
    earlier = sum(outcomes.values())
    return WriterRecord(
        earlier=earlier,
        outcomes=outcomes,
        sent_before=sent_before(comment, newest) if earlier else None,
        capped=earlier >= WRITER_LETTERS,
    )


def sent_before(comment: Comment, newest: QuerySet) -> SentBefore | None:
    """The writer's latest settled letter with the same or nearly the same text."""
    candidates = Comment.objects.filter(pk__in=Subquery(newest), status__in=SETTLED)
    same = Q(content_hash=comment.content_hash) if comment.content_hash else Q()
    if connections[candidates.db].vendor == "postgresql":
        candidates = candidates.annotate(
            likeness=TrigramSimilarity("body", comment.body)
        )
        close = Q(likeness__gte=RESENT_SIMILARITY)
        candidates = candidates.filter(same | close if same else close)
    elif same:
        candidates = candidates.filter(same).annotate(likeness=Value(1.0))
    else:
        return None
    last = Decision.objects.filter(
        comment=OuterRef("pk"), to_status=OuterRef("status")
    ).order_by("-at", "-pk")
    found = (
        candidates.annotate(
            decided_at=Subquery(last.values("at")[:1]),
            note=Subquery(last.values("note")[:1]),
        )
        # The closest first: an order no index gives, so the writer's few letters
        # are found first (walking an index in date order would compare texts
        # all the way through the table).
        .order_by("-likeness", "-submitted_at", "-pk")
        .values("pk", "status", "decided_at", "note", "content_hash")
        .first()
    )
    if found is None:
        return None
    return SentBefore(
        comment_id=found["pk"],
        status=found["status"],
        decided_at=found["decided_at"],
        note=found["note"] or "",
        same_text=found["content_hash"] == comment.content_hash,
    )
