"""Store an import's comments in batches: the import's intake.

Each comment gets the first status its export gives (published ones rendered
once, as the publish transition does) and a Decision recording the import;
then the replies find their parents, and the articles' counts and cache keys
move on. Nothing here is kept per comment between batches, so memory stays flat.
"""

from collections import Counter

from django.db import reset_queries
from django.db.models import Count, Exists, OuterRef, Subquery
from django.db.models.functions import Coalesce
from django.utils import timezone

from blog.models import Article
from comments.models import Comment, CommentSource, CommentStatus
from comments.rendering import render_comment
from comments.screening import content_hash
from moderation.imports.records import Entry
from moderation.models import Action, Decision

BATCH_SIZE = 1000
LINK_BATCH = 20_000  # comments per UPDATE when linking replies
ARTICLE_BATCH = 500


class Writer:
    """Buffers entries and writes them batch by batch (call finish() at the end)."""

    def __init__(self, *, system: str, note: str, batch_size: int = BATCH_SIZE):
        self.system, self.note, self.batch_size = system, note[:500], batch_size
        self.stored: Counter[str] = Counter()  # by status
        self.duplicates = 0
        self.replies = 0
        self.articles: set[int] = set()
        self._pks: tuple[int, int] | None = None
        self._batch: list[tuple[Entry, int]] = []

    def add(self, entry: Entry, article_id: int) -> None:
        self._batch.append((entry, article_id))
        if len(self._batch) >= self.batch_size:
            self.flush()

    def flush(self) -> None:
        batch, self._batch = self._batch, []
        fresh: dict[str, tuple[Entry, int]] = {}
        for entry, article_id in batch:
            fresh.setdefault(entry.origin_id, (entry, article_id))
        known = set(
            Comment.objects.filter(
                origin_system=self.system, origin_id__in=list(fresh)
            ).values_list("origin_id", flat=True)
        )
        rows = [self._row(*fresh[key]) for key in fresh if key not in known]
        self.duplicates += len(batch) - len(rows)
        if not rows:
            return
        created = Comment.objects.bulk_create(rows)
        Decision.objects.bulk_create(
            Decision(
                comment=comment,
                editor=None,
                action=Action.IMPORT,
                from_status=comment.status,
                to_status=comment.status,
                note=self.note,
            )
            for comment in created
        )
        self.stored.update(comment.status for comment in created)
        self.articles.update(comment.article_id for comment in created)
        low, high = created[0].pk, created[-1].pk
        self._pks = (self._pks[0], high) if self._pks else (low, high)
        reset_queries()  # under DEBUG, Django would keep every statement

    def _row(self, entry: Entry, article_id: int) -> Comment:
        published = entry.status == CommentStatus.PUBLISHED
        return Comment(
            article_id=article_id,
            source=CommentSource.IMPORT,
            author_name=entry.author_name,
            author_email=entry.author_email,
            body=entry.text,
            body_html=render_comment(entry.text) if published else "",
            status=entry.status,
            submitted_at=entry.date,
            published_at=entry.date if published else None,
            content_hash=content_hash(entry.text),
            origin_system=self.system,
            origin_id=entry.origin_id,
            origin_reply_to=entry.reply_to,
        )

    def finish(self) -> None:
        """Write what is left, link the replies, bring the articles up to date."""
        self.flush()
        if self._pks is not None:
            self._link_replies(*self._pks)
        self._touch_articles()

    def _link_replies(self, low: int, high: int) -> None:
        # By origin id, in the database: a reply may come before its parent in
        # the file, and no map of the file's ids is kept in memory.
        parent = Comment.objects.filter(
            origin_system=OuterRef("origin_system"),
            origin_id=OuterRef("origin_reply_to"),
        ).order_by()
        for start in range(low, high + 1, LINK_BATCH):
            self.replies += (
                Comment.objects.filter(
                    pk__range=(start, min(start + LINK_BATCH - 1, high)),
                    origin_system=self.system,
                    in_reply_to__isnull=True,
                )
                .exclude(origin_reply_to="")
                .filter(Exists(parent))
                .update(in_reply_to=Subquery(parent.values("pk")[:1]))
            )

    def _touch_articles(self) -> None:
        """published_comment_count and comments_changed_at (the comments
        section's cache key), as the transitions keep them."""
        published = (
            Comment.objects.published()
            .filter(article=OuterRef("pk"))
            .order_by()
            .values("article")
            .annotate(n=Count("pk"))
            .values("n")
        )
        ids = sorted(self.articles)
        for start in range(0, len(ids), ARTICLE_BATCH):
            Article.objects.filter(pk__in=ids[start : start + ARTICLE_BATCH]).update(
                published_comment_count=Coalesce(Subquery(published), 0),
                comments_changed_at=timezone.now(),
            )
