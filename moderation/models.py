"""The decision log and the editors' short lists."""

from django.conf import settings
from django.db import models
from django.db.models import Q

from comments.models import Comment, CommentStatus, WriterAddress
from moderation import decisions

# The decision log's actions: the keys and past tenses of moderation/decisions.py's
# table (a new decision is a row there, and a migration here).
Action = models.TextChoices(
    "Action", [(k.key.upper(), (k.key, k.done)) for k in decisions.KINDS]
)


class Channel(models.TextChoices):
    """How a decision was made (blank: on an editor's screen or by the system)."""

    SCREEN = "", "On an editor’s screen"
    EMAIL_LINK = "email-link", "A link in the notice email"
    EMAIL_REPLY = "email-reply", "An email reply to the notice"


class Decision(models.Model):
    """One editor's (or the system's) decision about a comment. Append-only."""

    # Each foreign key is the first column of an index below, which serves its
    # lookups too: no index of its own.
    comment = models.ForeignKey(
        Comment, on_delete=models.CASCADE, related_name="decisions", db_index=False
    )
    editor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        db_index=False,
    )
    action = models.CharField(max_length=12, choices=Action)
    from_status = models.CharField(max_length=10, choices=CommentStatus.choices)
    to_status = models.CharField(max_length=10, choices=CommentStatus.choices)
    note = models.CharField(max_length=500, blank=True)
    previous_text = models.TextField(blank=True)
    channel = models.CharField(max_length=20, blank=True, choices=Channel)
    at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-at", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(action__in=Action.values), name="decision_action_valid"
            ),
        ]
        indexes = [
            models.Index(fields=["comment", "at"], name="decision_comment_idx"),
            models.Index(fields=["at"], name="decision_at_idx"),
            # An editor's latest decisions (undo), however long ago they decided.
            # For an editor back after months away, the planner walked
            # decision_at_idx through 855,000 newer rows: 113 ms, against 0.04.
            models.Index(fields=["editor", "at", "id"], name="decision_editor_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.get_action_display()} #{self.comment_id}"


class PickLabel(models.Model):
    """A label an editor may put on a featured comment ("dissent", "expert view")."""

    name = models.CharField(max_length=60, unique=True)
    position = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["position", "name"]

    def __str__(self) -> str:
        return self.name


class RejectReason(models.Model):
    """A short reason editors pick when rejecting ("off topic", "personal attack")."""

    text = models.CharField(max_length=200, unique=True)
    letter = models.TextField(
        blank=True,
        help_text="What the writer is told when an editor chooses to send this "
        "reason (empty: the reason itself). Nothing is sent unless an editor asks.",
    )
    position = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["position", "text"]

    def __str__(self) -> str:
        return self.text

    @property
    def words_for_writer(self) -> str:
        return self.letter or self.text


class UsedLink(models.Model):
    """A notice-email link that has been used: its nonce makes it single-use."""

    nonce = models.CharField(max_length=64, unique=True)
    used_at = models.DateTimeField(auto_now_add=True)
    editor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True
    )

    class Meta:
        ordering = ["-used_at"]

    def __str__(self) -> str:
        return f"link {self.nonce[:8]}… used {self.used_at:%Y-%m-%d %H:%M}"


class AlertSent(models.Model):
    """Editors were told this comment waited too long (moderation_report's alert)."""

    comment = models.OneToOneField(
        Comment, on_delete=models.CASCADE, related_name="overdue_alert"
    )
    at = models.DateTimeField(auto_now_add=True)

    def __str__(self) -> str:
        return f"overdue alert #{self.comment_id}"


class WriterNoticeKind(models.TextChoices):
    PUBLISHED = "published", "Published"
    REJECTED = "rejected", "Not published, with a reason"


class WriterNoticeQuerySet(models.QuerySet):
    def unsent(self) -> "WriterNoticeQuerySet":
        return self.filter(sent_at__isnull=True)


class WriterNotice(models.Model):
    """Word back to a writer after an editor's decision, waiting for its address's
    one message of the day (several decisions in a day go out as one message)."""

    address = models.ForeignKey(
        WriterAddress, on_delete=models.CASCADE, related_name="notices"
    )
    comment = models.ForeignKey(
        Comment, on_delete=models.CASCADE, related_name="writer_notices"
    )
    kind = models.CharField(max_length=10, choices=WriterNoticeKind)
    reason = models.TextField(blank=True, help_text="For a rejection: what we say.")
    created_at = models.DateTimeField(auto_now_add=True)
    sent_at = models.DateTimeField(null=True, blank=True)

    objects = WriterNoticeQuerySet.as_manager()

    class Meta:
        ordering = ["created_at", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(kind__in=WriterNoticeKind.values),
                name="writernotice_kind_valid",
            ),
        ]
        indexes = [
            models.Index(
                fields=["address"],
                name="writernotice_unsent_idx",
                condition=Q(sent_at__isnull=True),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} #{self.comment_id} to {self.address_id}"


class EditorNotice(models.Model):
    """One notice email sent to one editor: the comments it listed, numbered.

    The notice's Reply-To carries a signed token naming this row
    (moderation/notice_address.py): an answer's "2 publish" means the second of
    ``comment_ids``.
    """

    editor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True
    )
    comment_ids = models.JSONField(default=list)
    sent_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-sent_at", "-pk"]

    def __str__(self) -> str:
        return f"notice {self.pk} ({len(self.comment_ids)} comments)"
