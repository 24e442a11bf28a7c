"""Articles: the posts readers comment on."""

import functools
from collections.abc import Callable
from datetime import UTC, datetime

from django.db import InterfaceError, OperationalError, connections, models
from django.db.backends.base.base import BaseDatabaseWrapper
from django.urls import reverse
from django.utils import timezone

from blog.markdown import render_markdown

PAGE_STATE_FIELDS = (
    "id",
    "published_at",
    "updated_at",
    "comments_changed_at",
    "published_comment_count",
)


@functools.cache
def _page_state_sql(vendor_quote: Callable[[str], str]) -> str:
    meta = Article._meta
    columns = ", ".join(
        vendor_quote(meta.get_field(name).column) for name in PAGE_STATE_FIELDS
    )
    table = vendor_quote(meta.db_table)
    slug = vendor_quote(meta.get_field("slug").column)
    # Names from the model, the slug as a parameter: nothing from the request.
    return f"SELECT {columns} FROM {table} WHERE {slug} = %s"  # noqa: S608


def _page_state(alias: str, slug: str) -> tuple | None:
    connection = connections[alias]
    # This query is its own health check: CONN_HEALTH_CHECKS would send a
    # "SELECT 1" first, doubling the round trips of a cached page. A connection
    # the server dropped fails here instead, and is replaced once.
    connection.health_check_done = True
    try:
        row = _fetch_one(connection, slug)
    except (InterfaceError, OperationalError):
        if connection.in_atomic_block:
            raise  # closing would break the caller's transaction
        connection.close()
        row = _fetch_one(connection, slug)
    if row is None:
        return None
    pk, published_at, updated_at, changed_at, count = row
    if published_at is None or _aware(published_at) > timezone.now():
        return None
    return pk, _aware(updated_at), _aware(changed_at), count


def _fetch_one(connection: BaseDatabaseWrapper, slug: str) -> tuple | None:
    with connection.cursor() as cursor:
        cursor.execute(_page_state_sql(connection.ops.quote_name), [slug])
        return cursor.fetchone()


def _aware(value: datetime) -> datetime:
    # SQLite keeps naive UTC (USE_TZ); the ORM converts, a raw cursor doesn't.
    return timezone.make_aware(value, UTC) if timezone.is_naive(value) else value


class ArticleQuerySet(models.QuerySet):
    def published(self) -> "ArticleQuerySet":
        """Articles the public may see: a publication date that has come."""
        return self.filter(published_at__lte=timezone.now())

    def drafts(self) -> "ArticleQuerySet":
        return self.filter(published_at__isnull=True)

    def scheduled(self) -> "ArticleQuerySet":
        return self.filter(published_at__gt=timezone.now())

    def page_state(self, slug: str) -> tuple | None:
        """A published article's page-cache fields (PageState), in one small query.

        Raw SQL from the model's own names: this runs on every cached page view,
        where building the ORM query cost three times the query itself.
        """
        return _page_state(self.db, slug)

    def newest_first(self) -> "ArticleQuerySet":
        return self.order_by("-published_at", "-pk")


class Article(models.Model):
    title = models.CharField(max_length=200)
    slug = models.SlugField(max_length=100, unique=True)
    standfirst = models.TextField(
        blank=True, help_text="One or two sentences shown under the title."
    )
    body = models.TextField(help_text="Markdown.")
    body_html = models.TextField(blank=True, editable=False)
    published_at = models.DateTimeField(
        null=True,
        blank=True,
        help_text="Empty: a draft. In the future: scheduled.",
    )
    comments_open = models.BooleanField(default=True)
    # Kept up to date by moderation's transitions, so the blog can show comment
    # counts and key the cached comments section without importing comments.
    published_comment_count = models.PositiveIntegerField(default=0, editable=False)
    comments_changed_at = models.DateTimeField(default=timezone.now, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = ArticleQuerySet.as_manager()

    class Meta:
        ordering = ["-published_at", "-pk"]
        indexes = [models.Index(fields=["published_at"], name="article_published_idx")]

    def __str__(self) -> str:
        return self.title

    def save(self, *args: object, **kwargs: object) -> None:
        self.body_html = render_markdown(self.body)
        # An edited article changes the page, so the cached comments section and the
        # page's ETag must move on too.
        self.comments_changed_at = timezone.now()
        update_fields = kwargs.get("update_fields")
        if update_fields is not None:
            kwargs["update_fields"] = {
                *update_fields,
                "body_html",
                "comments_changed_at",
            }
        super().save(*args, **kwargs)

    def get_absolute_url(self) -> str:
        return reverse("blog:article_detail", kwargs={"slug": self.slug})

    @property
    def is_public(self) -> bool:
        return self.published_at is not None and self.published_at <= timezone.now()
