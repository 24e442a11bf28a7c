"""The editors' pages: the review screen and picks order (mounted in the admin by
moderation/admin.py) and the confirmation page of the notice email's links."""

from django.contrib import admin, messages
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods

from blog.models import Article
from comments.models import Comment, CommentSource
from comments.rendering import render_comment
from moderation import links, search
from moderation import review as rv
from moderation import transitions as t
from moderation.forms import PickOrderForm, ReviewDecisionForm
from moderation.history import writer_record
from moderation.menus import review_menus
from moderation.models import PickLabel
from moderation.permissions import is_editor

UNDO_SESSION_KEY = "moderation:undo-decisions"


def _require_editor(request: HttpRequest) -> None:
    if not is_editor(request.user):
        raise PermissionDenied


def _review_url(filters: rv.ReviewFilters, comment_id: int | None = None) -> str:
    query = filters.query_string(c=comment_id)
    url = reverse("admin:comments_comment_review")
    return f"{url}?{query}" if query else url


@require_http_methods(["GET", "POST"])
def review_queue(request: HttpRequest, *, admin_site: admin.AdminSite) -> HttpResponse:
    """One pending comment at a time, with its context and the decision buttons."""
    _require_editor(request)
    filters = rv.ReviewFilters.from_query(request.GET)
    queue = rv.review_queue(filters)
    if request.method == "POST":
        return _review_decision(request, filters, queue)
    comment = rv.current_comment(queue, request.GET.get("c"))
    context = {
        **admin_site.each_context(request),
        **_review_context(request, filters, queue, comment),
    }
    return render(request, "admin/comments/comment/review.html", context)


def _review_context(
    request: HttpRequest,
    filters: rv.ReviewFilters,
    queue: object,
    comment: Comment | None,
) -> dict:
    step = rv.last_step(
        request.user, skip=set(request.session.get(UNDO_SESSION_KEY, []))
    )
    position = rv.position_in(queue, comment) if comment else None
    menus = review_menus()
    return {
        "title": "Review queue",
        "opts": Comment._meta,
        "comment": comment,
        "filters": filters,
        "query": filters.query_string(),
        "form_query": filters.query_string(c=comment.pk if comment else None),
        "position": position,
        "previous_query": filters.query_string(
            c=position.previous if position else None
        ),
        "next_query": filters.query_string(c=position.next if position else None),
        # As visitors would see it: code as code, links as links.
        "comment_html": render_comment(comment.public_text) if comment else "",
        "history": rv.commenter_history(comment) if comment else [],
        "writer": writer_record(comment) if comment else None,
        "auth_rows": rv.auth_rows(comment)
        if comment and comment.source == CommentSource.EMAIL
        else [],
        "undo_text": rv.describe_step(step),
        # The decision buttons: labels, keys, and which the comment's state allows.
        "buttons": rv.buttons(comment),
        "suggested_name": rv.name_choice(comment),
        "form": ReviewDecisionForm(
            initial={"text": comment.public_text if comment else ""}, menus=menus
        ),
        "article_choices": menus.article_choices(filters.article),
        "dmarc_choices": search.DMARC_RESULTS,
        "source_choices": CommentSource.choices,
    }


def _review_decision(
    request: HttpRequest, filters: rv.ReviewFilters, queue: object
) -> HttpResponseRedirect:
    form = ReviewDecisionForm(request.POST)
    if not form.is_valid():
        messages.error(request, " ".join(form.errors.get("__all__", ["Not done."])))
        return HttpResponseRedirect(_review_url(filters, request.POST.get("comment")))
    data = form.cleaned_data
    if data["action"] == "undo":
        return _review_undo(request, filters)
    comment = get_object_or_404(Comment, pk=data["comment"])
    following = rv.next_after(queue, comment)
    try:
        done = rv.decide(
            comment=comment,
            editor=request.user,
            action=data["action"],
            label=form.label_name,
            reason=form.reject_reason,
            text=data["text"],
            name=data["name"],
            reply=data["reply"],
            tell_writer=data["tell_writer"],
        )
    except t.InvalidTransition as exc:
        messages.error(request, f"Not done: {exc}.")
        return HttpResponseRedirect(_review_url(filters, comment.pk))
    messages.success(request, f"{done} Press u to undo.")
    if queue.filter(pk=comment.pk).exists():  # it still waits (a rename)
        return HttpResponseRedirect(_review_url(filters, comment.pk))
    return HttpResponseRedirect(_review_url(filters, following and following.pk))


def _review_undo(
    request: HttpRequest, filters: rv.ReviewFilters
) -> HttpResponseRedirect:
    skip = request.session.get(UNDO_SESSION_KEY, [])
    step = rv.last_step(request.user, skip=set(skip))
    if not step:
        messages.warning(request, "Nothing to undo.")
        return HttpResponseRedirect(_review_url(filters))
    try:
        new = rv.undo_step(step=step, editor=request.user)
    except t.InvalidTransition as exc:
        messages.error(request, f"Not undone: {exc}.")
        return HttpResponseRedirect(_review_url(filters))
    # Remember the undo's own decisions so the next "u" goes further back instead
    # of redoing what was just undone. Bounded: a session is not a log.
    request.session[UNDO_SESSION_KEY] = (skip + new)[-200:]
    messages.success(request, f"Undone: {rv.describe_step(step)}.")
    return HttpResponseRedirect(_review_url(filters, step[0].comment_id))


@require_http_methods(["GET", "POST"])
def article_picks(
    request: HttpRequest, article_id: int, *, admin_site: admin.AdminSite
) -> HttpResponse:
    """An article's editor's picks, in page order: move them up or down, label them."""
    _require_editor(request)
    article = get_object_or_404(Article, pk=article_id)
    picks = list(Comment.objects.featured().for_article(article))
    form = PickOrderForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        _change_picks(request, article, picks, form.cleaned_data)
        return HttpResponseRedirect(request.path)
    context = {
        **admin_site.each_context(request),
        "title": f"Editor’s picks on “{article.title}”",
        "opts": Comment._meta,
        "article": article,
        "picks": picks,
        "labels": PickLabel.objects.all(),
    }
    return render(request, "admin/comments/comment/picks.html", context)


def _change_picks(
    request: HttpRequest, article: Article, picks: list[Comment], data: dict
) -> None:
    ids = [c.pk for c in picks]
    if data["comment"] not in ids:
        messages.error(request, "That comment is not a pick on this article.")
        return
    if data["move"] == "label":
        comment = picks[ids.index(data["comment"])]
        name = data["label"].name if data["label"] else ""
        t.feature_comment(comment=comment, editor=request.user, label=name)
        messages.success(request, f"Label of #{comment.pk} set to “{name or 'none'}”.")
        return
    at = ids.index(data["comment"])
    to = at - 1 if data["move"] == "up" else at + 1
    if 0 <= to < len(ids):
        ids[at], ids[to] = ids[to], ids[at]
        t.reorder_features(article=article, editor=request.user, comment_ids=ids)


def _refused(request: HttpRequest, exc: links.LinkRefused) -> HttpResponse:
    return render(
        request,
        "moderation/link_result.html",
        {"outcome": "refused", "heading": exc.title, "status": exc.status},
        status=exc.status,
    )


@never_cache
@require_http_methods(["GET", "HEAD", "POST"])
def link_confirm(request: HttpRequest, token: str) -> HttpResponse:
    """A notice-email link: GET shows what it would do, only POST does it."""
    try:
        claim = links.read_token(token)
        comment = Comment.objects.select_related("article").get(pk=claim.comment_id)
    except links.LinkRefused as exc:
        return _refused(request, exc)
    except Comment.DoesNotExist:
        return _refused(request, links.LinkGone())
    signed_in = is_editor(request.user)
    if request.user.is_authenticated and not signed_in:
        return _refused(request, links.LinkForbidden())
    link_only = not signed_in and _link_alone_may_confirm(token)
    # Link checkers send HEAD as often as GET (RFC 9110 §9.3.2: same answer, no
    # body); only a POST ever acts.
    if request.method != "POST":
        context = {"claim": claim, "comment": comment, "can_confirm": signed_in}
        context.update(link_only=link_only, login_url=_login_url(request))
        return render(request, "moderation/link_confirm.html", context)
    if signed_in:
        return _confirm(request, claim, request.user)
    editor = links.link_editor(claim) if link_only else None
    if editor is None:
        return redirect_to_login(request.path, reverse("admin:login"))
    return _confirm(request, claim, editor)


def _link_alone_may_confirm(token: str) -> bool:
    if not links.confirm_without_login_allowed():
        return False
    try:
        links.read_token(token, max_age=links.LINK_ONLY_MAX_AGE)
    except links.LinkRefused:
        return False
    return True


def _login_url(request: HttpRequest) -> str:
    return redirect_to_login(request.path, reverse("admin:login")).url


def _confirm(
    request: HttpRequest, claim: links.LinkClaim, editor: object
) -> HttpResponse:
    try:
        comment = links.use_link(claim=claim, editor=editor)
    except links.LinkRefused as exc:
        return _refused(request, exc)
    except t.InvalidTransition:
        comment = Comment.objects.select_related("article").get(pk=claim.comment_id)
        context = {"outcome": "conflict", "comment": comment, "claim": claim}
        return render(request, "moderation/link_result.html", context, status=409)
    context = {"outcome": "done", "comment": comment, "claim": claim, "editor": editor}
    return render(request, "moderation/link_result.html", context)
