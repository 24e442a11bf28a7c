from django.contrib import admin
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils import timezone

from blog.models import Article


class PublicationFilter(admin.SimpleListFilter):
    title = "publication"
    parameter_name = "publication"

    def lookups(self, request: HttpRequest, model_admin: admin.ModelAdmin) -> list:
        return [
            ("published", "Published"),
            ("scheduled", "Scheduled"),
            ("draft", "Draft"),
        ]

    def queryset(self, request: HttpRequest, queryset: QuerySet) -> QuerySet:
        match self.value():
            case "published":
                return queryset.published()
            case "scheduled":
                return queryset.scheduled()
            case "draft":
                return queryset.drafts()
        return queryset


@admin.register(Article)
class ArticleAdmin(admin.ModelAdmin):
    list_display = (
        "title",
        "published_at",
        "publication",
        "comments_open",
        "published_comment_count",
    )
    list_filter = (PublicationFilter, "comments_open")
    search_fields = ("title", "standfirst", "body")
    prepopulated_fields = {"slug": ("title",)}
    readonly_fields = ("published_comment_count", "created_at", "updated_at")
    fields = (
        "title",
        "slug",
        "standfirst",
        "body",
        "published_at",
        "comments_open",
        "published_comment_count",
        "created_at",
        "updated_at",
    )

    @admin.display(description="state")
    def publication(self, obj: Article) -> str:
        if obj.published_at is None:
            return "Draft"
        return "Scheduled" if obj.published_at > timezone.now() else "Published"
