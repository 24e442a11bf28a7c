"""The editors' desk in the Django admin: the comment queue and the decision log."""

from functools import partial

from django.contrib import admin, messages
from django.contrib.admin.views.main import ORDER_VAR
from django.db.models import QuerySet, Value
from django.forms.models import BaseInlineFormSet
from django.http import HttpRequest, HttpResponseRedirect
from django.template.loader import render_to_string
from django.urls import path
from django.utils import timezone
from django.utils.dateformat import format as format_date
from django.utils.html import format_html, format_html_join
from django.utils.safestring import mark_safe
from django.utils.text import Truncator

from blog.admin import ArticleAdmin
from blog.models import Article
from comments.models import Comment, CommentQuerySet, CommentSource, CommentStatus
from comments.rendering import render_comment
from moderation import decisions, history, search
from moderation import transitions as t
from moderation.forms import CommentChangeForm
from moderation.menus import review_menus
from moderation.models import Decision, PickLabel, RejectReason
from moderation.pagination import QueuePaginator
from moderation.review import parse_id, whose

# The comment list's filters sit in one row above the table, each folded to
# "title: current choice" (the list fits 1280 px beside the admin's side menu).
DROPDOWN_FILTER = "admin/comments/comment/filter.html"
SHORT_EXCERPT = 60


class StatusFilter(admin.SimpleListFilter):
    """Status, opening on the pending queue (the queue is what editors come for)."""

    template = DROPDOWN_FILTER
    title = "status"
    parameter_name = "status"

    def lookups(self, request: HttpRequest, model_admin: admin.ModelAdmin) -> list:
        return [*CommentStatus.choices, ("all", "All")]

    def choices(self, changelist):
        for value, label in self.lookup_choices:
            yield {
                "selected": (self.value() or CommentStatus.PENDING) == value,
                "query_string": changelist.get_query_string(
                    {self.parameter_name: value}
                ),
                "display": label,
            }

    def queryset(self, request: HttpRequest, queryset: QuerySet) -> QuerySet:
        value = self.value() or CommentStatus.PENDING
        if value == "all":
            return queryset
        by_status = {
            CommentStatus.PENDING: CommentQuerySet.awaiting_review,
            CommentStatus.PUBLISHED: CommentQuerySet.published,
            CommentStatus.REJECTED: CommentQuerySet.rejected,
            CommentStatus.SPAM: CommentQuerySet.spam,
        }
        # A made-up status in the address matches nothing (as a bad id would).
        return by_status[value](queryset) if value in by_status else queryset.none()


class UnroutedFilter(admin.SimpleListFilter):
    template = DROPDOWN_FILTER
    title = "routing"
    parameter_name = "routed"

    def lookups(self, request: HttpRequest, model_admin: admin.ModelAdmin) -> list:
        return [("no", "Unrouted (no article)"), ("yes", "On an article")]

    def queryset(self, request: HttpRequest, queryset: QuerySet) -> QuerySet:
        if self.value() == "no":
            return queryset.unrouted()
        if self.value() == "yes":
            return queryset.filter(article__isnull=False)
        return queryset


class SourceFilter(admin.ChoicesFieldListFilter):
    template = DROPDOWN_FILTER


class FeaturedFilter(admin.BooleanFieldListFilter):
    template = DROPDOWN_FILTER


class ArticleFilter(admin.RelatedFieldListFilter):
    template = DROPDOWN_FILTER

    def field_choices(self, field, request, model_admin):
        # Not every article (10,000 options on each page): the newest with
        # letters waiting, and the one chosen.
        chosen = self.lookup_val[0] if self.lookup_val else None
        return review_menus().article_choices(parse_id(chosen))


class DateFilter(admin.DateFieldListFilter):
    template = DROPDOWN_FILTER


class DmarcFilter(admin.SimpleListFilter):
    template = DROPDOWN_FILTER
    title = "DMARC"
    parameter_name = "dmarc"

    def lookups(self, request: HttpRequest, model_admin: admin.ModelAdmin) -> tuple:
        return search.DMARC_RESULTS

    def queryset(self, request: HttpRequest, queryset: QuerySet) -> QuerySet:
        value = self.value()
        return search.with_dmarc(queryset, value) if value else queryset


class DecisionInline(admin.TabularInline):
    model = Decision
    extra = 0
    can_delete = False
    template = "admin/moderation/decision/history_inline.html"  # no empty headers
    fields = ("at", "action", "from_status", "to_status", "editor", "note", "channel")
    readonly_fields = fields
    ordering = ("at", "pk")

    def has_add_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False


def _apply(
    modeladmin: admin.ModelAdmin, request: HttpRequest, queryset: QuerySet, action: str
) -> None:
    """A bulk action: the decision `action` (moderation/decisions.py) on each one."""
    done_word = decisions.kind(action).said
    done, skipped = 0, []
    for comment in queryset.order_by("submitted_at", "pk"):
        try:
            t.apply_decision(action=action, comment=comment, editor=request.user)
            done += 1
        except t.InvalidTransition:
            skipped.append(str(comment.pk))
    if done:
        modeladmin.message_user(
            request, f"{done_word} {done} comment{'s' if done != 1 else ''}."
        )
    if skipped:
        modeladmin.message_user(
            request,
            f"Skipped {len(skipped)} that can't be {done_word.lower()} from their "
            f"state (unrouted, already there, or withdrawn by the writer): "
            f"#{', #'.join(skipped)}.",
            level=messages.WARNING,
        )


def _bulk_action(kind: decisions.Kind):
    """The admin bulk action of a decision whose row has a `bulk` description."""

    def action(modeladmin: admin.ModelAdmin, request: HttpRequest, qs: QuerySet):
        _apply(modeladmin, request, qs, kind.key)

    action.__name__ = kind.key  # the action's name in the admin's form
    return admin.action(description=kind.bulk, permissions=["change"])(action)


@admin.register(Comment)
class CommentAdmin(admin.ModelAdmin):
    form = CommentChangeForm
    list_display = (
        "excerpt_column",
        "article_column",
        "from_column",
        "submitted_column",
        "spam_column",
        "status_column",
        "featured",
    )
    list_display_links = ("excerpt_column",)
    list_filter = (
        StatusFilter,
        ("source", SourceFilter),
        UnroutedFilter,
        ("featured", FeaturedFilter),
        ("article", ArticleFilter),
        DmarcFilter,
        ("submitted_at", DateFilter),
    )
    list_select_related = ("article",)
    raw_id_fields = ("article",)  # a menu of every article grows with the site
    search_fields = ("body", "edited_body", "author_name", "author_email")
    ordering = ("submitted_at", "pk")
    date_hierarchy = None
    show_full_result_count = False
    list_per_page = 50
    paginator = QueuePaginator  # no full COUNT of a 100,000-comment queue
    actions = tuple(_bulk_action(k) for k in decisions.offered("bulk"))
    inlines = (DecisionInline,)
    fieldsets = (
        (
            "The comment",
            {
                "fields": (
                    "article",
                    "status_line",
                    "writer_record",
                    "body",
                    "edited_body",
                    "preview",
                    "reply",
                )
            },
        ),
        (
            "What trimming removed (email)",
            {"classes": ("collapse",), "fields": ("trimmed_text",)},
        ),
        (
            "Sender (private)",
            {
                "fields": (
                    "author_name",
                    "author_email",
                    "source",
                    "sender_details",
                    "submitted_at",
                    "published_at",
                )
            },
        ),
        ("Spam screening", {"fields": ("spam_score", "spam_reason_list")}),
    )
    # save_model saves only through the transitions (each change a Decision): the
    # name shown is a rename, the reply a reply.
    readonly_fields = (
        "status_line",
        "writer_record",
        "body",
        "preview",
        "trimmed_text",
        "author_email",
        "source",
        "sender_details",
        "submitted_at",
        "published_at",
        "spam_score",
        "spam_reason_list",
    )

    def get_queryset(self, request: HttpRequest) -> QuerySet:
        queryset = super().get_queryset(request)
        match = request.resolver_match
        if match and match.url_name == "comments_comment_changelist":
            # Each row's article for its title (not its body), and "sent before:
            # rejected" beside a letter sent again.
            return queryset.defer(
                "trimmed_text", "body_html", "article__body", "article__body_html"
            ).annotate(resent=history.resent_status())
        # A comment's page shows its email's details, not the stored message.
        return queryset.select_related("inbound_email").defer("inbound_email__raw")

    def get_search_results(
        self, request: HttpRequest, queryset: QuerySet, search_term: str
    ) -> tuple[QuerySet, bool]:
        # The database's full-text index (comments/search.py), not LIKE on four
        # columns; the term rides along for the excerpt's marks.
        if not search_term.strip():
            return queryset, False
        found = queryset.search(search_term).annotate(search_terms=Value(search_term))
        if ORDER_VAR not in request.GET:  # unless a column was clicked
            found = found.by_relevance()
        return found, False

    def get_urls(self) -> list:
        # The editor's desk (moderation/views.py) inside the admin: its login, its
        # layout, and admin:comments_comment_review / _picks as names.
        from moderation import views

        wrap = self.admin_site.admin_view
        site = {"admin_site": self.admin_site}
        return [
            path(
                "review/",
                wrap(partial(views.review_queue, **site)),
                name="comments_comment_review",
            ),
            path(
                "picks/<int:article_id>/",
                wrap(partial(views.article_picks, **site)),
                name="comments_comment_picks",
            ),
            *super().get_urls(),
        ]

    def get_fieldsets(self, request: HttpRequest, obj: object = None) -> list:
        fieldsets = super().get_fieldsets(request, obj)
        if obj is not None and obj.source != CommentSource.EMAIL:
            # Nothing is trimmed from a form comment: no empty email section.
            fieldsets = [
                fs for fs in fieldsets if "trimmed_text" not in fs[1]["fields"]
            ]
        return fieldsets

    @admin.display(description="comment")
    def excerpt_column(self, obj: Comment) -> str:
        if getattr(obj, "search_terms", ""):
            return search.highlight(obj.public_text, obj.search_terms, SHORT_EXCERPT)
        return Truncator(obj.excerpt).chars(SHORT_EXCERPT)

    @admin.display(description="article", ordering="article__title")
    def article_column(self, obj: Comment) -> str:
        return obj.article.title if obj.article else "— unrouted —"

    @admin.display(description="from", ordering="author_name")
    def from_column(self, obj: Comment) -> str:
        source = "email" if obj.source == CommentSource.EMAIL else "web"
        return format_html(
            '{}<br><span class="quiet">{}</span>', obj.author_name, source
        )

    @admin.display(description="submitted", ordering="submitted_at")
    def submitted_column(self, obj: Comment) -> str:
        when = timezone.localtime(obj.submitted_at)
        return format_html(
            '<time datetime="{}">{}</time>',
            when.isoformat(),
            format_date(when, "j M Y, H:i"),
        )

    @admin.display(description="spam", ordering="spam_score")
    def spam_column(self, obj: Comment) -> int:
        return obj.spam_score

    @admin.display(description="status", ordering="status")
    def status_column(self, obj: Comment) -> str:
        status = obj.status.capitalize()  # "Pending": "Awaiting review" is long
        resent = getattr(obj, "resent", None)
        if not resent:
            return status
        return format_html(
            '{}<br><span class="resent">sent before: {}</span>',
            status,
            history.PAST[resent],
        )

    @admin.display(description="status")
    def status_line(self, obj: Comment) -> str:
        pick = f" · {obj.pick_mark}" if obj.featured else ""
        return f"{obj.get_status_display()}{pick}"

    @admin.display(description="writer")
    def writer_record(self, obj: Comment) -> str:
        return render_to_string(
            "moderation/includes/_writer_record.html",
            {"record": history.writer_record(obj)},
        )

    @admin.display(description="as visitors will see it")
    def preview(self, obj: Comment) -> str:
        # render_comment's output is escaped and sanitized: safe by construction.
        return format_html(
            '<div class="comment-preview">{}</div>',
            mark_safe(render_comment(obj.public_text)),
        )

    @admin.display(description="sender details")
    def sender_details(self, obj: Comment) -> str:
        rows = [
            ("IP address", obj.ip_address or "—"),
            ("Browser", obj.user_agent or "—"),
        ]
        email = obj.inbound_email
        if email is not None:
            rows += [
                ("Email subject", email.subject),
                ("From", email.sender),
                ("Envelope recipient", email.recipient or "—"),
                (
                    "Authentication",
                    ", ".join(f"{k}={v}" for k, v in sorted(email.auth_verdict.items()))
                    or "—",
                ),
                ("Attachments", ", ".join(email.attachment_names) or "none"),
            ]
        return format_html(
            "<dl>{}</dl>", format_html_join("", "<dt>{}</dt><dd>{}</dd>", rows)
        )

    @admin.display(description="reasons")
    def spam_reason_list(self, obj: Comment) -> str:
        if not obj.spam_reasons:
            return "No rule matched."
        return format_html(
            "<ul>{}</ul>",
            format_html_join("", "<li>{}</li>", ((r,) for r in obj.spam_reasons)),
        )

    # Editors change comments only through the transitions; never delete or add.
    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False

    def save_model(
        self, request: HttpRequest, obj: Comment, form: object, change: bool
    ) -> None:
        stored = Comment.objects.get(pk=obj.pk)
        if "article" in form.changed_data and obj.article is not None:
            t.assign_article(comment=stored, editor=request.user, article=obj.article)
        if "edited_body" in form.changed_data:
            # The field starts as the text visitors see; emptied, it means "back to
            # the reader's own text".
            text = obj.edited_body or stored.body
            if text.strip() != stored.public_text.strip():
                t.edit_comment(comment=stored, editor=request.user, text=text)
        if "author_name" in form.changed_data and obj.author_name != stored.author_name:
            self._decide(request, stored, "rename", obj.author_name)
        reply = form.cleaned_data.get("reply", "")
        if reply != stored.reply_text:
            key = "remove_reply" if not reply else "reply"
            key = "edit_reply" if reply and stored.reply_text else key
            self._decide(request, stored, key, reply)

    def _decide(
        self, request: HttpRequest, comment: Comment, key: str, note: str
    ) -> None:
        """A decision made by a field of the form, through its row of the table."""
        try:
            t.apply_decision(
                action=key, comment=comment, editor=request.user, note=note
            )
        except t.InvalidTransition as exc:
            self.message_user(request, f"Not done: {exc}.", level=messages.ERROR)

    def render_change_form(
        self,
        request: HttpRequest,
        context: dict,
        add: bool = False,
        change: bool = False,
        form_url: str = "",
        obj: Comment | None = None,
    ):
        # The decision buttons (submit_line.html): those the comment's state allows.
        context["decision_buttons"] = (
            decisions.allowed(obj, "admin_button") if obj is not None else []
        )
        return super().render_change_form(request, context, add, change, form_url, obj)

    def response_change(
        self, request: HttpRequest, obj: Comment
    ) -> HttpResponseRedirect:
        for kind in decisions.offered("admin_button"):
            if f"_{kind.key}" in request.POST:
                try:
                    t.apply_decision(action=kind.key, comment=obj, editor=request.user)
                    self.message_user(request, f"{kind.said}: {whose(obj)}.")
                except t.InvalidTransition as exc:
                    self.message_user(
                        request, f"Not done: {exc}.", level=messages.ERROR
                    )
                return HttpResponseRedirect(request.path)
        return super().response_change(request, obj)


@admin.register(Decision)
class DecisionAdmin(admin.ModelAdmin):
    list_display = (
        "at",
        "action",
        "comment",
        "from_status",
        "to_status",
        "editor",
        "note",
        "channel",
    )
    list_filter = ("action", "channel")
    list_select_related = ("comment", "editor")
    readonly_fields = (
        "comment",
        "editor",
        "action",
        "from_status",
        "to_status",
        "note",
        "previous_text",
        "at",
    )
    show_full_result_count = False

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False


@admin.register(PickLabel)
class PickLabelAdmin(admin.ModelAdmin):
    list_display = ("name", "position")
    list_editable = ("position",)


@admin.register(RejectReason)
class RejectReasonAdmin(admin.ModelAdmin):
    list_display = ("text", "position")
    list_editable = ("position",)


class FirstComments(BaseInlineFormSet):
    """The first ARTICLE_INLINE comments only: an article may have 50,000 (the
    page links to all of them in the comment list)."""

    def get_queryset(self) -> QuerySet:
        if not hasattr(self, "_first"):
            self._first = super().get_queryset()[:ARTICLE_INLINE]
        return self._first


ARTICLE_INLINE = 20


class ArticleCommentInline(admin.TabularInline):
    """An article's comments on its admin page: pick the best in one place."""

    model = Comment
    formset = FirstComments
    extra = 0
    can_delete = False
    fields = ("link", "status", "featured", "author_name", "submitted_at")
    readonly_fields = fields
    # The article's page index in its own order (comment_article_page_idx): the
    # first rows come straight off it, waiting ones first.
    ordering = ("status", "featured", "published_at", "pk")
    verbose_name_plural = (
        f"comments: the first {ARTICLE_INLINE}, waiting ones first "
        "(open one to publish, feature or reject it; “All its comments” lists all)"
    )

    @admin.display(description="comment")
    def link(self, obj: Comment) -> str:
        from django.urls import reverse

        return format_html(
            '<a href="{}">{}</a>',
            reverse("admin:comments_comment_change", args=[obj.pk]),
            obj.excerpt,
        )

    def has_add_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False


admin.site.unregister(Article)


@admin.register(Article)
class ArticleWithCommentsAdmin(ArticleAdmin):
    inlines = (ArticleCommentInline,)
