"""Comments and the emails they came from."""

from datetime import datetime

from django.contrib.postgres.search import SearchVectorField
from django.db import connections, models
from django.db.models import Q
from django.db.models.functions import Upper
from django.urls import reverse
from django.utils import timezone
from django.utils.text import Truncator

from blog.models import Article
from comments.search import SearchDocument, match


class CommentStatus(models.TextChoices):
    PENDING = "pending", "Awaiting review"
    PUBLISHED = "published", "Published"
    REJECTED = "rejected", "Rejected"
    SPAM = "spam", "Spam"


# A search also finds the comments of the newest mails whose subject matches.
SUBJECT_MATCHES = 200


class CommentSource(models.TextChoices):
    WEB = "web", "Web form"
    EMAIL = "email", "Email"
    IMPORT = "import", "Imported"


def dated_here(prefix: str = "") -> Q:
    """Comments whose `submitted_at` is when they reached us: not imported ones,
    which keep the old system's date (waits and overdue alerts leave them out).
    `prefix` reaches them through a relation ("comment__")."""
    return ~Q(**{f"{prefix}source": CommentSource.IMPORT})


def earlier_than(comment: "Comment") -> Q:
    """Submitted before `comment` in the queue's order (ties go by id). The first
    condition bounds an index walk on submitted_at: it starts at `comment`, not
    at an end of the table (an OR alone gives the index no bound). `comment` may
    also be OuterRefs to a row being read (moderation/review.py's THIS_ROW)."""
    at = comment.submitted_at
    return Q(submitted_at__lte=at) & (Q(submitted_at__lt=at) | Q(pk__lt=comment.pk))


def later_than(comment: "Comment") -> Q:
    """Submitted after `comment` in the queue's order (as earlier_than)."""
    at = comment.submitted_at
    return Q(submitted_at__gte=at) & (Q(submitted_at__gt=at) | Q(pk__gt=comment.pk))


class CommentQuerySet(models.QuerySet):
    def awaiting_review(self) -> "CommentQuerySet":
        return self.filter(status=CommentStatus.PENDING).order_by("submitted_at", "pk")

    def published(self) -> "CommentQuerySet":
        """What visitors see, in page order: picks first (in the editors' order)."""
        return self.filter(status=CommentStatus.PUBLISHED).order_by(
            "-featured", "feature_order", "published_at", "pk"
        )

    def ahead_of(self, comment: "Comment") -> "CommentQuerySet":
        """Published comments shown before `comment` on its article's pages (the
        order of published(): picks in the editors' order, then by publication)."""
        earlier = Q(published_at__lt=comment.published_at) | Q(
            published_at=comment.published_at, pk__lt=comment.pk
        )
        if not comment.featured:
            return self.filter(Q(featured=True) | Q(featured=False) & earlier)
        return self.filter(featured=True).filter(
            Q(feature_order__lt=comment.feature_order)
            | Q(feature_order=comment.feature_order) & earlier
        )

    def count_ahead_of(self, comment: "Comment") -> int:
        """How many of ahead_of(comment) there are, counted in separate ranges of
        the article's page index: their OR would read each row from the table."""
        if comment.featured:
            return self.ahead_of(comment).count()
        plain = self.filter(featured=False)
        return (
            self.filter(featured=True).count()
            + plain.filter(published_at__lt=comment.published_at).count()
            + plain.filter(published_at=comment.published_at, pk__lt=comment.pk).count()
        )

    def featured(self) -> "CommentQuerySet":
        return self.published().filter(featured=True)

    def spam(self) -> "CommentQuerySet":
        return self.filter(status=CommentStatus.SPAM)

    def rejected(self) -> "CommentQuerySet":
        return self.filter(status=CommentStatus.REJECTED)

    def unrouted(self) -> "CommentQuerySet":
        return self.filter(article__isnull=True)

    def for_article(self, article: Article | int | None) -> "CommentQuerySet":
        """The comments of one article (given as a row or its id)."""
        return self.filter(article=article)

    def submitted_before(self, when: datetime) -> "CommentQuerySet":
        return self.filter(submitted_at__lt=when)

    def submitted_since(self, when: datetime) -> "CommentQuerySet":
        return self.filter(submitted_at__gte=when)

    def with_text(self, digest: str) -> "CommentQuerySet":
        """Comments whose normalised text has this hash (screening.content_hash)."""
        return self.filter(content_hash=digest)

    def holding_network_data(self) -> "CommentQuerySet":
        """Comments still carrying an IP address or a user agent (purged later)."""
        return self.filter(Q(ip_address__isnull=False) | ~Q(user_agent=""))

    def turned_down(self) -> "CommentQuerySet":
        """Spam and rejected comments: the ones a purge may delete on purpose."""
        return self.filter(status__in=[CommentStatus.SPAM, CommentStatus.REJECTED])

    def by_commenter(self, *, email: str = "", ip_address: str | None = None):
        """Comments from the same person: same address, or (web) the same IP."""
        match = Q(pk__in=[])
        if email:
            match |= Q(author_email__iexact=email)
        if ip_address:
            match |= Q(ip_address=ip_address)
        return self.filter(match)

    def search(self, query: str) -> "CommentQuerySet":
        """Comments with every word of `query` in their text, name, address or
        email subject, best first (comments/search.py: the database's index)."""
        vendor = connections[self.db].vendor
        condition, rank = match(query, vendor=vendor)
        # Subjects live on the email row: its own index gives the newest matching
        # mails (one small query), so the comment table is read through indexes
        # only (an OR across a join would read every row).
        mails = InboundEmail.objects.filter(condition).order_by("-received_at")
        ids = list(mails.values_list("pk", flat=True)[:SUBJECT_MATCHES])
        if ids:
            condition |= Q(inbound_email__in=ids)
        return self.filter(condition).annotate(search_rank=rank)

    def by_relevance(self) -> "CommentQuerySet":
        """A search's results, best first, then newest (after search())."""
        return self.order_by("-search_rank", "-submitted_at", "-pk")


class CommentManager(models.Manager.from_queryset(CommentQuerySet)):
    def get_queryset(self) -> CommentQuerySet:
        # The search document is the database's to read: rows never carry it.
        return super().get_queryset().defer("search_document")


class Comment(models.Model):
    article = models.ForeignKey(
        Article,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="comments",
        help_text="Empty while an emailed comment waits to be routed.",
        # comment_article_page_idx starts with the article: a second index on it
        # alone would only cost every insert.
        db_index=False,
    )
    source = models.CharField(max_length=10, choices=CommentSource)
    author_name = models.CharField(max_length=100, default="Anonymous")
    author_email = models.EmailField(blank=True, help_text="Private: editors only.")
    body = models.TextField(help_text="What the reader wrote. Never changed.")
    trimmed_text = models.TextField(
        blank=True, help_text="For email: the quoted reply or signature removed."
    )
    edited_body = models.TextField(
        blank=True, help_text="The editors' version; shown instead of the original."
    )
    body_html = models.TextField(blank=True, editable=False)
    status = models.CharField(
        max_length=10, choices=CommentStatus, default=CommentStatus.PENDING
    )
    featured = models.BooleanField(default=False)
    pick_label = models.CharField(max_length=60, blank=True)
    feature_order = models.PositiveIntegerField(default=0)
    submitted_at = models.DateTimeField(default=timezone.now)
    published_at = models.DateTimeField(null=True, blank=True)
    spam_score = models.IntegerField(default=0)
    spam_reasons = models.JSONField(default=list, blank=True)
    notify_on_publish = models.BooleanField(default=False)
    ip_address = models.GenericIPAddressField(null=True, blank=True)
    user_agent = models.CharField(max_length=300, blank=True)
    # SHA-256 of the normalised text, for the duplicate rule without scanning bodies.
    content_hash = models.CharField(max_length=64, blank=True, editable=False)
    inbound_email = models.ForeignKey(
        "InboundEmail",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="comments",
        db_index=False,  # comment_inbound_idx: emailed comments only
    )
    # Whom the comment answered, where the old system knew (imports). Our pages
    # stay flat: this only adds "in reply to <name>" to a published reply.
    in_reply_to = models.ForeignKey(
        "self",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="replies",
        db_index=False,  # comment_reply_idx: replies only
    )
    # Where an imported comment came from, so a second import of the same file
    # finds it (comment_origin_unique). Empty for our own channels.
    origin_system = models.CharField(max_length=20, blank=True, editable=False)
    origin_id = models.CharField(max_length=255, blank=True, editable=False)
    # The origin_id of the comment it answered, kept until that one is found
    # (a reply may come before its parent in an export).
    origin_reply_to = models.CharField(max_length=255, blank=True, editable=False)
    # What a search reads (comments.search): kept by the database itself, so
    # every path that writes the text (intake, edits, imports, erasure) keeps it.
    search_document = models.GeneratedField(
        expression=SearchDocument(
            texts=("body", "edited_body"), names=("author_name", "author_email")
        ),
        output_field=SearchVectorField(),
        db_persist=True,
    )
    # The editors' answer under a published letter (the reply transitions write
    # all four; reply_html is rendered once, when the reply is written).
    reply_text = models.TextField(blank=True, editable=False)
    reply_html = models.TextField(blank=True, editable=False)
    reply_author = models.CharField(
        max_length=150,
        blank=True,
        editable=False,
        help_text="The name it is signed with.",
    )
    replied_at = models.DateTimeField(null=True, blank=True, editable=False)

    objects = CommentManager()

    class Meta:
        ordering = ["submitted_at", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(status__in=CommentStatus.values),
                name="comment_status_valid",
            ),
            models.CheckConstraint(
                condition=Q(source__in=CommentSource.values),
                name="comment_source_valid",
            ),
            models.UniqueConstraint(
                fields=["origin_system", "origin_id"],
                condition=~Q(origin_id=""),
                name="comment_origin_unique",
            ),
        ]
        indexes = [
            # The queue in its order (oldest first, id for ties): next, previous
            # and the position are one bounded walk each.
            models.Index(
                fields=["status", "submitted_at", "id"], name="comment_queue_idx"
            ),
            # Every status in that order (the admin list's "all" and its filters
            # by channel, article, DMARC or date: a short walk at any size).
            models.Index(fields=["submitted_at", "id"], name="comment_time_idx"),
            # The channel filter's few (most letters come by the web form, whose
            # posts skip this index): a list and its count stay short walks.
            models.Index(
                fields=["source", "submitted_at", "id"],
                name="comment_channel_idx",
                condition=Q(source__in=[CommentSource.EMAIL, CommentSource.IMPORT]),
            ),
            # The admin list's featured filter, without walking every published
            # comment.
            models.Index(
                fields=["submitted_at"],
                name="comment_featured_idx",
                condition=Q(featured=True),
            ),
            models.Index(
                fields=["article", "status", "featured", "published_at"],
                name="comment_article_page_idx",
            ),
            models.Index(
                fields=["content_hash", "submitted_at"], name="comment_dup_idx"
            ),
            # Partial where a column is often empty, so that most inserts skip
            # the index (every index is work on every post).
            models.Index(
                fields=["ip_address", "submitted_at"],
                name="comment_ip_idx",
                condition=Q(ip_address__isnull=False),
            ),
            # The commenter's history matches addresses case-insensitively
            # (by_commenter: iexact, UPPER() on PostgreSQL). Not partial: ANALYZE
            # keeps statistics for a whole expression index only, and without
            # them the planner guesses a writer has thousands of letters and
            # walks comment_time_idx through the whole table for their newest.
            models.Index(Upper("author_email"), name="comment_email_idx"),
            models.Index(
                fields=["inbound_email"],
                name="comment_inbound_idx",
                condition=Q(inbound_email__isnull=False),
            ),
            models.Index(
                fields=["in_reply_to"],
                name="comment_reply_idx",
                condition=Q(in_reply_to__isnull=False),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.author_name}: {self.excerpt}"

    def get_absolute_url(self) -> str:
        if self.article_id is None:
            return reverse("blog:article_list")
        return reverse("comments:permalink", kwargs={"pk": self.pk})

    @property
    def anchor(self) -> str:
        return f"c{self.pk}"

    @property
    def public_text(self) -> str:
        return self.edited_body or self.body

    @property
    def is_edited(self) -> bool:
        return bool(self.edited_body) and self.edited_body != self.body

    @property
    def has_reply(self) -> bool:
        return bool(self.reply_html)

    @property
    def pick_mark(self) -> str:
        """The mark "Editor's pick · <label>", without a label that says it again."""
        letters = "".join(ch for ch in self.pick_label.lower() if ch.isalpha())
        if not letters or letters in {"editorspick", "editorpick", "editorspicks"}:
            return "Editor’s pick"
        return f"Editor’s pick · {self.pick_label}"

    @property
    def excerpt(self) -> str:
        return Truncator(" ".join(self.public_text.split())).chars(80)


class InboundOutcome(models.TextChoices):
    RECEIVED = "received", "Received (not yet processed)"
    QUEUED = "queued", "Queued"
    IGNORED = "ignored", "Ignored"
    REJECTED = "rejected", "Rejected"
    FAILED = "failed", "Failed"


class InboundEmailQuerySet(models.QuerySet):
    def older_than(self, when) -> "InboundEmailQuerySet":
        return self.filter(received_at__lt=when)

    def raw_kept(self) -> "InboundEmailQuerySet":
        return self.filter(raw_purged_at__isnull=True)

    def from_sender(self, address: str) -> "InboundEmailQuerySet":
        return self.filter(sender__iexact=address)


class InboundEmail(models.Model):
    raw = models.BinaryField(
        help_text="The message as received (headers only if too large)."
    )
    raw_size = models.PositiveIntegerField(default=0)
    raw_sha256 = models.CharField(max_length=64)
    raw_purged_at = models.DateTimeField(null=True, blank=True)
    dedupe_key = models.CharField(max_length=255, unique=True)
    message_id = models.CharField(max_length=998, blank=True)
    seen_count = models.PositiveIntegerField(default=1)
    channel = models.CharField(max_length=10, default="pipe")  # pipe | imap
    sender = models.CharField(max_length=320, blank=True)
    sender_name = models.CharField(max_length=200, blank=True)
    recipient = models.CharField(
        max_length=320, blank=True, help_text="Envelope recipient."
    )
    subject = models.CharField(max_length=255, blank=True)
    authentication_results = models.TextField(blank=True)
    auth_verdict = models.JSONField(default=dict, blank=True)
    attachment_names = models.JSONField(default=list, blank=True)
    received_at = models.DateTimeField(default=timezone.now)
    processed_at = models.DateTimeField(null=True, blank=True)
    outcome = models.CharField(
        max_length=10, choices=InboundOutcome, default=InboundOutcome.RECEIVED
    )
    reason = models.CharField(max_length=40, blank=True)
    error = models.TextField(blank=True)
    attempts = models.PositiveIntegerField(default=0)
    # What the pipeline read, stored when it decided: editors see it without the
    # message being parsed again (a hostile one could take minutes).
    extracted_text = models.TextField(
        blank=True, help_text="The decoded text, quotes included, as read."
    )
    processing_notes = models.JSONField(
        default=list, blank=True, help_text="What was left unread (a limit reached)."
    )
    # The subject, searchable (comments.search), kept by the database.
    search_document = models.GeneratedField(
        expression=SearchDocument(texts=("subject",)),
        output_field=SearchVectorField(),
        db_persist=True,
    )

    objects = InboundEmailQuerySet.as_manager()

    class Meta:
        ordering = ["-received_at", "-pk"]
        verbose_name = "inbound email"
        constraints = [
            models.CheckConstraint(
                condition=Q(outcome__in=InboundOutcome.values),
                name="inbound_outcome_valid",
            ),
        ]
        indexes = [
            models.Index(fields=["outcome", "received_at"], name="inbound_outcome_idx"),
        ]

    def __str__(self) -> str:
        return self.subject or self.dedupe_key

    @property
    def sender_proven(self) -> bool:
        """The From address is proven: the message passed DMARC as our own
        receiving server (AUTHSERV_ID) recorded it. DMARC ties the result to the
        From header's domain (RFC 7489 §3.1), so a pass means that domain vouched
        for this message; nothing else a letter says proves who sent it."""
        return bool(self.sender) and self.auth_verdict.get("dmarc") == "pass"


def normalize_address(address: str) -> str:
    """The key an address is known by: trimmed and lower-cased. Local parts are
    case-sensitive in theory (RFC 5321 §2.4) and never in practice; one writer
    typing "Sam@Example.org" once and "sam@example.org" later is one writer."""
    return address.strip().lower()


class Suppression(models.TextChoices):
    UNSUBSCRIBED = "unsubscribed", "Asked for no more email"
    BOUNCED = "bounced", "Mail to it bounced"


class WriterAddressQuerySet(models.QuerySet):
    def for_address(self, address: str) -> "WriterAddressQuerySet":
        return self.filter(address=normalize_address(address))

    def confirmed(self) -> "WriterAddressQuerySet":
        return self.filter(confirmed_at__isnull=False)

    def suppressed(self) -> "WriterAddressQuerySet":
        return self.filter(suppressed_at__isnull=False)

    def written_to(self) -> "WriterAddressQuerySet":
        """Addresses we have sent something (a bounce for them can be ours)."""
        return self.filter(
            Q(last_sent_at__isnull=False) | Q(confirmation_sent_at__isnull=False)
        )


class WriterAddress(models.Model):
    """What we know about writing to one address: a form writer's confirmation,
    the suppression list (an unsubscribe or a bounce), and when we last wrote.

    Keyed on the normalised address, not on a comment: a writer confirms once
    for all their comments, and a suppression holds across channels.
    """

    address = models.CharField(max_length=254, unique=True)
    confirmation_sent_at = models.DateTimeField(null=True, blank=True)
    confirmed_at = models.DateTimeField(null=True, blank=True)
    suppressed_at = models.DateTimeField(null=True, blank=True)
    suppressed_because = models.CharField(
        max_length=12, blank=True, choices=Suppression
    )
    last_sent_at = models.DateTimeField(
        null=True, blank=True, help_text="The last word back (one a day at most)."
    )

    objects = WriterAddressQuerySet.as_manager()

    class Meta:
        ordering = ["address"]
        verbose_name = "writer's address"
        verbose_name_plural = "writers' addresses"
        constraints = [
            models.CheckConstraint(
                condition=Q(suppressed_because__in=["", *Suppression.values]),
                name="writeraddress_suppression_valid",
            ),
        ]

    def __str__(self) -> str:
        return self.address

    @property
    def is_confirmed(self) -> bool:
        return self.confirmed_at is not None

    @property
    def is_suppressed(self) -> bool:
        return self.suppressed_at is not None


class SpamTermKind(models.TextChoices):
    BLOCKED = "blocked", "Blocked (straight to spam)"
    SUSPECT = "suspect", "Suspect (adds to the score)"


class SpamTerm(models.Model):
    """A word or phrase the spam rules look for; editors keep the lists."""

    term = models.CharField(max_length=100)
    kind = models.CharField(max_length=10, choices=SpamTermKind)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["kind", "term"]
        constraints = [
            models.UniqueConstraint(fields=["term", "kind"], name="spamterm_unique"),
            models.CheckConstraint(
                condition=Q(kind__in=SpamTermKind.values), name="spamterm_kind_valid"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.term} ({self.kind})"


class MailboxState(models.Model):
    """Where the IMAP poller got to, and when it last read the mailbox."""

    mailbox = models.CharField(max_length=300, unique=True)
    uidvalidity = models.BigIntegerField(null=True, blank=True)
    last_uid = models.BigIntegerField(default=0)
    last_success_at = models.DateTimeField(null=True, blank=True)
    last_error = models.TextField(blank=True)
    last_error_at = models.DateTimeField(null=True, blank=True)
    last_batch = models.JSONField(default=dict, blank=True)

    def __str__(self) -> str:
        return self.mailbox
