from django.contrib import admin

from comments.models import SpamTerm


@admin.register(SpamTerm)
class SpamTermAdmin(admin.ModelAdmin):
    list_display = ("term", "kind", "created_at")
    list_filter = ("kind",)
    search_fields = ("term",)
