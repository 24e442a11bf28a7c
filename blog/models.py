"""Articles: the posts readers comment on."""

from django.db import models
from django.urls import reverse
from django.utils import timezone

from blog.markdown import render_markdown


class ArticleQuerySet(models.QuerySet):
    def published(self) -> "ArticleQuerySet":
        """Articles the public may see: a publication date that has come."""
        return self.filter(published_at__lte=timezone.now())

    def drafts(self) -> "ArticleQuerySet":
        return self.filter(published_at__isnull=True)

    def scheduled(self) -> "ArticleQuerySet":
        return self.filter(published_at__gt=timezone.now())

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
    def accepts_comments(self) -> bool:
        """The one home of "comments are closed": the form, the mail intake and the
        pages ask this, so a change to the rule is made here only."""
        return self.comments_open
