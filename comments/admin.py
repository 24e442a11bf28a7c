from django.contrib import admin, messages
from django.db.models import QuerySet
from django.http import HttpRequest
from django.urls import reverse
from django.utils.html import format_html, format_html_join

from comments.mail.parsing import header_block
from comments.mail.pipeline import REPROCESSABLE
from comments.mail.tasks import reprocess_email
from comments.models import InboundEmail, SpamTerm, WriterAddress

# Enough to judge a message; the full bytes stay in the database.
RAW_PREVIEW_CHARS = 20_000


@admin.register(SpamTerm)
class SpamTermAdmin(admin.ModelAdmin):
    list_display = ("term", "kind", "created_at")
    list_filter = ("kind",)
    search_fields = ("term",)


@admin.register(WriterAddress)
class WriterAddressAdmin(admin.ModelAdmin):
    """Who confirmed their address, and the suppression list (read-only: a writer
    confirms or stops mail themselves, a bounce stops it by itself)."""

    list_display = (
        "address",
        "confirmed_at",
        "suppressed_because",
        "suppressed_at",
        "last_sent_at",
    )
    list_filter = ("suppressed_because",)
    search_fields = ("address",)
    show_full_result_count = False
    readonly_fields = (
        "address",
        "confirmation_sent_at",
        "confirmed_at",
        "suppressed_at",
        "suppressed_because",
        "last_sent_at",
    )

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False


@admin.register(InboundEmail)
class InboundEmailAdmin(admin.ModelAdmin):
    """Every email received, whatever became of it; read-only but re-processable."""

    list_display = (
        "received_at",
        "subject_column",
        "sender",
        "outcome",
        "reason",
        "comment_link",
    )
    list_filter = ("outcome", "reason", "channel")
    search_fields = ("subject", "sender", "message_id")
    date_hierarchy = "received_at"
    show_full_result_count = False
    actions = ("reprocess_selected",)
    fieldsets = (
        (
            "Outcome",
            {
                "fields": (
                    "outcome",
                    "reason",
                    "comment_link",
                    "error",
                    "attempts",
                    "seen_count",
                    "received_at",
                    "processed_at",
                    "channel",
                )
            },
        ),
        (
            "Message (private)",
            {
                "fields": (
                    "subject",
                    "sender",
                    "sender_name",
                    "recipient",
                    "message_id",
                    "auth_verdict",
                    "authentication_results",
                    "attachment_names",
                    "raw_size",
                )
            },
        ),
        ("Decoded text", {"fields": ("decoded_text", "notes")}),
        ("Headers", {"classes": ("collapse",), "fields": ("headers",)}),
        ("Raw message", {"classes": ("collapse",), "fields": ("raw_preview",)}),
    )
    # Every field is read-only: a stored email is evidence, not something to edit.
    readonly_fields = tuple(f for _, group in fieldsets for f in group["fields"])

    def get_queryset(self, request: HttpRequest) -> QuerySet:
        # The list never needs the raw bytes (up to 10 MiB a row); the detail
        # page loads them when it shows them.
        return super().get_queryset(request).prefetch_related("comments").defer("raw")

    @admin.display(description="subject", ordering="subject")
    def subject_column(self, obj: InboundEmail) -> str:
        return obj.subject or "(no subject)"

    @admin.display(description="comment")
    def comment_link(self, obj: InboundEmail) -> str:
        links = [
            (reverse("admin:comments_comment_change", args=[c.pk]), f"#{c.pk}")
            for c in obj.comments.all()
        ]
        return format_html_join(" ", '<a href="{}">{}</a>', links) or "—"

    @admin.display(description="text as the pipeline read it")
    def decoded_text(self, obj: InboundEmail) -> str:
        # Stored when the pipeline decided: never parsed again here (a hostile
        # message could take minutes on every view).
        text = obj.extracted_text or "(none)"
        return format_html('<pre class="inbound-text">{}</pre>', text)

    @admin.display(description="left unread")
    def notes(self, obj: InboundEmail) -> str:
        notes = [str(n) for n in obj.processing_notes or []]
        return format_html_join("", "<p>{}</p>", ((n,) for n in notes)) or "—"

    @admin.display(description="headers")
    def headers(self, obj: InboundEmail) -> str:
        block = header_block(bytes(obj.raw)).decode("utf-8", "replace")
        return format_html('<pre class="inbound-raw">{}</pre>', block)

    @admin.display(description="raw message (as text, truncated)")
    def raw_preview(self, obj: InboundEmail) -> str:
        # Escaped text, never rendered: the HTML of a hostile mail stays inert.
        text = bytes(obj.raw[: RAW_PREVIEW_CHARS * 4]).decode("utf-8", "replace")
        more = len(text) > RAW_PREVIEW_CHARS or obj.raw_size > len(obj.raw)
        return format_html(
            '<pre class="inbound-raw">{}</pre>{}',
            text[:RAW_PREVIEW_CHARS],
            f"… ({obj.raw_size:,} bytes in all)" if more else "",
        )

    @admin.action(
        description="Re-process (failed or unprocessed only)", permissions=["change"]
    )
    def reprocess_selected(self, request: HttpRequest, queryset: QuerySet) -> None:
        # In the task worker: one message may take its whole time budget.
        done, waiting, skipped = [], [], []
        for inbound in queryset.only("pk", "outcome"):
            if inbound.outcome not in REPROCESSABLE:
                skipped.append(f"#{inbound.pk}")
                continue
            task = reprocess_email.enqueue(inbound.pk)
            if task.is_finished and task.return_value:  # an immediate backend
                outcome = task.return_value
                done.append(f"#{inbound.pk}: {outcome['outcome']} {outcome['reason']}")
            else:
                waiting.append(f"#{inbound.pk}")
        if done:
            self.message_user(request, "Re-processed " + "; ".join(done) + ".")
        if waiting:
            self.message_user(
                request,
                f"Queued for re-processing by the task worker: {', '.join(waiting)}. "
                "Each one's outcome shows in this list once it is done.",
            )
        if skipped:
            self.message_user(
                request,
                f"Skipped (already has a final outcome): {', '.join(skipped)}.",
                level=messages.WARNING,
            )

    # Mail arrives only through the pipeline; nothing here edits it.
    def has_add_permission(self, request: HttpRequest) -> bool:
        return False
