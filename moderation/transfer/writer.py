"""Store an import's comments in batches: the import's intake.

Each comment gets the first status its export gives (published ones rendered
once, as the publish transition does) and a Decision recording the import;
then the replies find their parents, and the articles' counts and cache keys
move on. Nothing is kept per comment between batches, so memory stays flat.

Turning bodies into text and rendering them (prepare) is most of the work; with
a worker pool it runs in other processes while this one reads on and writes.
"""

from collections import Counter, deque
from multiprocessing.pool import AsyncResult, Pool

from django.db import reset_queries
from django.db.models import Exists, OuterRef, Subquery

from comments.models import Comment, CommentSource, CommentStatus
from comments.rendering import render_comments
from comments.screening import content_hash
from moderation import transitions
from moderation.models import Action
from moderation.transfer.records import Entry
from moderation.transfer.text import body_text

BATCH_SIZE = 1000
RENDER_CHUNK = 100
IN_FLIGHT = 4  # batches being prepared at once (bounds memory)
LINK_BATCH = 20_000  # comments per UPDATE when linking replies

Batch = list[tuple[Entry, int]]


def prepare(bodies: list[tuple[str, str, bool]]) -> list[tuple[str, str, str]]:
    """(exported body, its markup, published) -> (our text, its HTML for
    published ones, its content_hash). Pure: runs in a worker process as well."""
    texts = [body_text(content, markup=markup) for content, markup, _ in bodies]
    shown = [
        text for text, (_, _, published) in zip(texts, bodies, strict=True) if published
    ]
    # A hundred at a time: most of a pass's fixed cost saved, without holding a
    # thousand comments' parse trees at once.
    rendered = iter(
        [
            html
            for start in range(0, len(shown), RENDER_CHUNK)
            for html in render_comments(shown[start : start + RENDER_CHUNK])
        ]
    )
    return [
        (text, next(rendered) if published else "", content_hash(text))
        for text, (_, _, published) in zip(texts, bodies, strict=True)
    ]


class Writer:
    """Buffers entries and writes them batch by batch (call finish() at the end)."""

    def __init__(self, *, system: str, note: str, pool: Pool | None = None) -> None:
        self.system, self.note, self.pool = system, note[:500], pool
        self.stored: Counter[str] = Counter()  # by status
        self.duplicates = self.empty = self.replies = 0
        self.articles: set[int] = set()
        self._pks: tuple[int, int] | None = None
        self._batch: Batch = []
        self._pending: deque[tuple[Batch, AsyncResult]] = deque()
        # The origin ids of the batches being prepared: not in the database yet.
        self._in_flight: set[str] = set()

    def add(self, entry: Entry, article_id: int) -> None:
        self._batch.append((entry, article_id))
        if len(self._batch) >= BATCH_SIZE:
            self._submit()

    def _known(self, origin_ids: list[str]) -> set[str]:
        """Which of these were imported before (by an earlier run or batch)."""
        return set(
            Comment.objects.filter(
                origin_system=self.system, origin_id__in=origin_ids
            ).values_list("origin_id", flat=True)
        )

    def _submit(self) -> None:
        batch, self._batch = self._batch, []
        # Known ones (by an earlier run, an earlier batch, or one still being
        # prepared) and repeats within the batch are left out before the costly
        # part: the only time a batch is checked.
        seen = self._known([entry.origin_id for entry, _ in batch]) | self._in_flight
        fresh: Batch = []
        for entry, article_id in batch:
            if entry.origin_id in seen:
                self.duplicates += 1
            else:
                seen.add(entry.origin_id)
                fresh.append((entry, article_id))
        if not fresh:
            return
        bodies = [
            (e.content, e.markup, e.status == CommentStatus.PUBLISHED) for e, _ in fresh
        ]
        busy = len(self._pending) >= IN_FLIGHT and not self._pending[0][1].ready()
        if self.pool is None or busy:
            # No pool, or its workers are behind: this process prepares the
            # batch itself rather than wait for them.
            self._write(fresh, prepare(bodies))
        else:
            self._in_flight.update(entry.origin_id for entry, _ in fresh)
            self._pending.append((fresh, self.pool.apply_async(prepare, (bodies,))))
        while self._pending and self._pending[0][1].ready():
            self._write_oldest()

    def _write_oldest(self) -> None:
        batch, result = self._pending.popleft()
        self._write(batch, result.get())
        self._in_flight.difference_update(entry.origin_id for entry, _ in batch)

    def _write(self, batch: Batch, prepared: list[tuple[str, str, str]]) -> None:
        rows = []
        for (entry, article_id), body in zip(batch, prepared, strict=True):
            if body[0]:
                rows.append(self._row(entry, article_id, body))
            else:
                self.empty += 1  # nothing left once the markup is gone
        if rows:
            self._store(rows)
        reset_queries()  # under DEBUG, Django would keep every statement

    def _row(
        self, entry: Entry, article_id: int, body: tuple[str, str, str]
    ) -> Comment:
        published = entry.status == CommentStatus.PUBLISHED
        text, html, digest = body
        return Comment(
            article_id=article_id,
            source=CommentSource.IMPORT,
            author_name=entry.author_name,
            author_email=entry.author_email,
            body=text,
            body_html=html,
            status=entry.status,
            submitted_at=entry.date,
            published_at=entry.date if published else None,
            content_hash=digest,
            origin_system=self.system,
            origin_id=entry.origin_id,
            origin_reply_to=entry.reply_to,
        )

    def _store(self, rows: list[Comment]) -> None:
        created = Comment.objects.bulk_create(rows)
        transitions.record_decisions(
            created, editor=None, action=Action.IMPORT, note=self.note
        )
        self.stored.update(comment.status for comment in created)
        self.articles.update(comment.article_id for comment in created)
        low, high = created[0].pk, created[-1].pk
        self._pks = (self._pks[0], high) if self._pks else (low, high)

    def finish(self) -> None:
        """Write what is left, link the replies, bring the articles up to date."""
        self._submit()
        while self._pending:
            self._write_oldest()
        if self._pks is not None:
            self._link_replies(*self._pks)
        # Their counts and cache keys, as the transitions keep them.
        transitions.touch_articles(list(self.articles))

    def _link_replies(self, low: int, high: int) -> None:
        # By origin id, in the database: a reply may come before its parent in
        # the file, and no map of the file's ids is kept in memory.
        parent = (
            Comment.objects.filter(
                origin_system=OuterRef("origin_system"),
                origin_id=OuterRef("origin_reply_to"),
            )
            .exclude(origin_id="")  # the unique index's condition: it is used
            .order_by()
        )
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
