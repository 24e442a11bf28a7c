"""Articles: the posts readers comment on."""

import functools
from collections.abc import Callable, Sequence
from datetime import UTC, datetime

from django.core.signals import setting_changed
from django.db import models
from django.db.backends.base.base import BaseDatabaseWrapper
from django.dispatch import receiver
from django.urls import get_script_prefix, reverse
from django.utils import timezone

from blog.freshness import articles_changed, kept_row
from blog.markdown import render_markdown
from config import db

# What a cached page's key and a posted comment need of an article.
BRIEF_FIELDS = (
    "id",
    "slug",
    "title",
    "published_at",
    "updated_at",
    "comments_changed_at",
    "published_comment_count",
    "comments_open",
)


@functools.cache
def _brief_names() -> tuple[str, ...]:
    # In the model's field order, which Model.from_db expects.
    fields = Article._meta.concrete_fields
    return tuple(f.attname for f in fields if f.attname in BRIEF_FIELDS)


@db.per_vendor
def _brief_sql(vendor_quote: Callable[[str], str], extra: str = "") -> str:
    meta = Article._meta
    columns = ", ".join(
        vendor_quote(meta.get_field(name).column) for name in _brief_names()
    )
    table = vendor_quote(meta.db_table)
    slug = vendor_quote(meta.get_field("slug").column)
    # Names from the model (and the caller's own SQL in extra), the slug and
    # every value as parameters: nothing from the request.
    extra = f", {extra}" if extra else ""
    return f"SELECT {columns}{extra} FROM {table} WHERE {slug} = %s"  # noqa: S608


def is_published(published_at: datetime | None) -> bool:
    """The public may see an article: a publication date that has come."""
    return published_at is not None and published_at <= timezone.now()


def _brief(alias: str, slug: str) -> dict | None:
    row = db.read(alias, lambda connection: _fetch_one(connection, slug))
    return None if row is None else _brief_values(row)


def _brief_values(row: tuple) -> dict:
    values = dict(zip(_brief_names(), row, strict=True))
    # A raw cursor skips the ORM's conversions: SQLite gives naive UTC datetimes
    # (USE_TZ) and 0/1 for booleans.
    for name in ("published_at", "updated_at", "comments_changed_at"):
        if values[name] is not None and timezone.is_naive(values[name]):
            values[name] = timezone.make_aware(values[name], UTC)
    values["comments_open"] = bool(values["comments_open"])
    return values


def _fetch_one(
    connection: BaseDatabaseWrapper, slug: str, extra: str = "", params: Sequence = ()
) -> tuple | None:
    with connection.cursor() as cursor:
        cursor.execute(_brief_sql(connection, extra), [*params, slug])
        return cursor.fetchone()


@functools.lru_cache(maxsize=1024)
def _article_path(script_prefix: str, slug: str) -> str:
    """The article page's path, reversed once per slug (and script prefix,
    which reverse() reads itself). Reversing took 20 µs of the ~1.2 ms a posted
    comment costs a worker, for the redirect back to the article."""
    return reverse("blog:article_detail", kwargs={"slug": slug})


@receiver(setting_changed)
def _forget_paths(*, setting: str, **kwargs: object) -> None:
    if setting == "ROOT_URLCONF":
        _article_path.cache_clear()


class ArticleQuerySet(models.QuerySet):
    def published(self) -> "ArticleQuerySet":
        """Articles the public may see: a publication date that has come."""
        return self.filter(published_at__lte=timezone.now())

    def drafts(self) -> "ArticleQuerySet":
        return self.filter(published_at__isnull=True)

    def scheduled(self) -> "ArticleQuerySet":
        return self.filter(published_at__gt=timezone.now())

    def brief_row(self, slug: str) -> dict | None:
        """BRIEF_FIELDS of the article with this slug, published or not, in one
        small query.

        Raw, from the model's own names, for the two hot paths (a cached article
        page and a posted comment), where building the ORM query cost three times
        the query itself. is_published() tells whether the public may see it.
        """
        return _brief(self.db, slug)

    def brief(self, slug: str) -> "Article | None":
        """The published article with this slug, BRIEF_FIELDS loaded (the rest on
        access), from this worker's copy while no article changed (freshness.py)."""
        values = kept_row(slug, self.brief_row)
        if values is None or not is_published(values["published_at"]):
            return None
        return self._from_brief(values)

    def brief_with(
        self,
        slug: str,
        extra: Callable[[BaseDatabaseWrapper], str],
        params: list,
    ) -> "tuple[Article | None, tuple | None]":
        """The published article with this slug as brief() gives it, read fresh,
        and the values of the caller's own expressions, in the same SELECT.

        extra(connection) returns "expression, ..." (built once per database:
        db.per_vendor); params are its values. For a posted
        comment, whose screening query would be a round trip of its own. The
        expressions' values are None when there is no such article.
        """
        row = db.read(
            self.db,
            lambda connection: _fetch_one(connection, slug, extra(connection), params),
        )
        if row is None:
            return None, None
        width = len(_brief_names())
        values = _brief_values(row[:width])
        if not is_published(values["published_at"]):
            return None, row[width:]
        return self._from_brief(values), row[width:]

    def _from_brief(self, values: dict) -> "Article":
        return self.model.from_db(self.db, tuple(values), tuple(values.values()))

    def newest_first(self) -> "ArticleQuerySet":
        return self.order_by("-published_at", "-pk")

    # Writes that skip save() and its signals still tell the cached pages'
    # workers (blog/freshness.py); save() and delete() do it by signal (apps.py).
    def update(self, **kwargs: object) -> int:
        rows = super().update(**kwargs)
        articles_changed()
        return rows

    def bulk_create(self, *args: object, **kwargs: object) -> list:
        created = super().bulk_create(*args, **kwargs)
        articles_changed()
        return created


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
        return _article_path(get_script_prefix(), self.slug)

    @property
    def is_public(self) -> bool:
        return is_published(self.published_at)
