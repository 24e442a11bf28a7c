"""Posting a comment, the poster's receipt, a comment's permalink."""

from django.conf import settings
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import (
    require_GET,
    require_http_methods,
    require_POST,
)

from blog.models import Article
from comments import writer
from comments.clientip import client_ip
from comments.crossorigin import cross_origin_refusal
from comments.forms import CommentForm, CorrectionForm
from comments.intake import RepeatedComment, submit_comment
from comments.models import Comment, CommentSource, Suppression
from comments.pages import page_of_comment
from comments.ratelimit import over_limit
from comments.receipts import RECEIPT_DAYS, comment_id_from, receipt_url
from comments.rendering import render_comment
from comments.screening import Signals
from comments.writers import confirm, row_to_confirm, row_to_stop, suppress

FORM_PAGE = "comments/comment_form.html"
PREVIEW_FRAGMENT = "comments/includes/_comment_preview.html"


@csrf_exempt  # no per-reader token on public pages: Fetch Metadata instead
@require_POST
def post_comment(request: HttpRequest, slug: str) -> HttpResponse:
    if cross_origin_refusal(request):
        context = {"typed": request.POST.get("body", ""), "cross_origin": True}
        return render(request, "403_csrf.html", context, status=403)
    ip = client_ip(request)
    if over_limit("comment", ip or "unknown", settings.COMMENT_RATE_LIMIT):
        article = Article.objects.published().filter(slug=slug).first()
        context = {"form": CommentForm(request.POST), "rate_limited": True}
        context["article"] = article  # named, and linked back to, on the refusal
        return render(request, FORM_PAGE, context, status=429)
    article = get_object_or_404(Article.objects.published(), slug=slug)
    form = CommentForm(request.POST)
    context = {"article": article, "form": form}
    if not article.accepts_comments:
        return render(request, FORM_PAGE, context, status=403)
    if not form.is_valid():
        return render(request, FORM_PAGE, context, status=400)
    data = form.cleaned_data
    try:
        comment = submit_comment(
            article=article,
            source=CommentSource.WEB,
            body=data["body"],
            author_name=data["name"],
            author_email=data["email"],
            notify_on_publish=data["notify"],
            ip_address=ip,
            user_agent=request.headers.get("User-Agent", ""),
            signals=Signals(
                honeypot_filled=form.honeypot_filled,
                seconds_to_submit=form.seconds_to_submit,
            ),
        )
    except RepeatedComment:
        # Its own answer, never the earlier comment's receipt: knowing a text and
        # an address (or sharing an IP) must not show someone else's name and
        # status (issue 22). The earlier sender still has their receipt's link.
        return render(request, "comments/comment_repeat.html", {"article": article})
    return HttpResponseRedirect(receipt_url(comment), status=303)


@csrf_exempt  # refused cross-site by Fetch Metadata, like the form it previews
@require_POST
@never_cache
def preview_comment(request: HttpRequest, slug: str) -> HttpResponse:
    """The comment as it will appear, through the same rendering the page uses;
    stores nothing. For the form's Preview button (static/js/comment-tools.js)."""
    if cross_origin_refusal(request):
        return HttpResponse("Refused: sent from another site.", status=403)
    ip = client_ip(request) or "unknown"
    if over_limit("preview", ip, settings.COMMENT_PREVIEW_RATE_LIMIT):
        context = {"refusal": "Too many previews at once: wait a minute."}
        return render(request, PREVIEW_FRAGMENT, context, status=429)
    get_object_or_404(Article.objects.published(), slug=slug)
    form = CommentForm(request.POST)
    form.is_valid()  # the email and the rest don't matter to how it looks
    errors = [e for f in ("name", "body") for e in form.errors.get(f, [])]
    if errors:
        return render(request, PREVIEW_FRAGMENT, {"errors": errors}, status=400)
    context = {
        "author_name": form.cleaned_data["name"],  # "Anonymous" when empty
        "comment_html": render_comment(form.cleaned_data["body"]),
    }
    return render(request, PREVIEW_FRAGMENT, context)


@require_GET
@never_cache  # this reader's own page: no shared cache may keep it
def receipt(request: HttpRequest, token: str) -> HttpResponse:
    comment = (
        Comment.objects.select_related("article")
        .filter(pk=comment_id_from(token))
        .first()
    )
    if comment is None:  # forged, mistyped or past its days: say which life it has
        context = {"receipt_days": RECEIPT_DAYS}
        response = render(request, "comments/receipt_gone.html", context, status=404)
        response["X-Robots-Tag"] = "noindex"
        return response
    return _receipt_page(request, comment, token)


def _receipt_page(
    request: HttpRequest,
    comment: Comment,
    token: str,
    correction: CorrectionForm | None = None,
    status: int = 200,
) -> HttpResponse:
    may_change = writer.may_change(comment)
    context = {
        "comment": comment,
        "article": comment.article,
        "comment_html": render_comment(comment.public_text),
        "receipt_days": RECEIPT_DAYS,
        "token": token,
        "may_change": may_change,
        "withdrawn": writer.was_withdrawn(comment),
        "open_until": writer.open_until(comment),
        "changed": request.GET.get("changed", ""),
        "too_late": status == 409,
        "correction": correction
        or (CorrectionForm(initial={"body": comment.body}) if may_change else None),
    }
    response = render(request, "comments/comment_receipt.html", context, status=status)
    response["X-Robots-Tag"] = "noindex"
    return response


@csrf_exempt  # the receipt carries no token either: Fetch Metadata, as for the form
@require_POST
@never_cache
def change_own_comment(request: HttpRequest, token: str) -> HttpResponse:
    """The writer corrects or withdraws their waiting comment (comments/writer.py)."""
    if cross_origin_refusal(request):
        context = {"typed": request.POST.get("body", ""), "cross_origin": True}
        return render(request, "403_csrf.html", context, status=403)
    comment = get_object_or_404(Comment, pk=comment_id_from(token))
    form = CorrectionForm(request.POST)
    if not form.is_valid():
        return _receipt_page(request, comment, token, correction=form, status=400)
    try:
        if form.cleaned_data["withdraw"]:
            writer.withdraw(comment=comment)
        else:
            writer.correct(comment=comment, text=form.cleaned_data["body"])
    except writer.TooLate:
        return _receipt_page(request, comment, token, status=409)
    done = "withdrawn" if form.cleaned_data["withdraw"] else "corrected"
    url = reverse("comments:receipt", kwargs={"token": token})
    return HttpResponseRedirect(f"{url}?changed={done}", status=303)


@require_GET
def permalink(request: HttpRequest, pk: int) -> HttpResponse:
    comment = (
        Comment.objects.published()
        .select_related("article")
        .filter(pk=pk, article__in=Article.objects.published())
        .first()
    )
    if comment is None:
        return editors_preview(request, pk)
    page = page_of_comment(comment)
    suffix = f"?comments={page}" if page > 1 else ""
    return redirect(f"{comment.article.get_absolute_url()}{suffix}#{comment.anchor}")


@never_cache  # an editor's view of an unpublished comment: no shared cache keeps it
def editors_preview(request: HttpRequest, pk: int) -> HttpResponse:
    """A comment that is not (or not yet) on its article, as visitors would see
    it: the admin's "View on site" for a waiting comment. Anyone else gets the
    404 an unpublished comment has always had."""
    if not request.user.has_perm("comments.view_comment"):
        raise Http404("No published comment has this number.")
    comment = get_object_or_404(Comment.objects.select_related("article"), pk=pk)
    context = {
        "comment": comment,
        "article": comment.article,
        "comment_html": render_comment(comment.public_text),
    }
    response = render(request, "comments/comment_preview.html", context)
    response["X-Robots-Tag"] = "noindex"
    return response


def _private(response: HttpResponse) -> HttpResponse:
    response["X-Robots-Tag"] = "noindex"
    return response


@require_http_methods(["GET", "POST"])
@never_cache  # one writer's page
def confirm_address(request: HttpRequest, token: str) -> HttpResponse:
    """GET shows what confirming means; only the button's POST confirms (a link
    checker or preview that opens the link changes nothing)."""
    row = row_to_confirm(token)
    if row is None:
        context = {"expired": True}
        return _private(
            render(request, "comments/address_confirm.html", context, status=410)
        )
    if request.method == "POST":
        confirm(row)
    context = {"row": row, "done": request.method == "POST"}
    return _private(render(request, "comments/address_confirm.html", context))


@csrf_exempt  # RFC 8058: a mail client's one-click POST carries no token of ours
@require_http_methods(["GET", "POST"])
@never_cache
def stop_mail(request: HttpRequest, token: str) -> HttpResponse:
    """GET shows a button; its POST (or a mail client's RFC 8058 one-click POST
    of "List-Unsubscribe=One-Click") puts the address on the suppression list."""
    row = row_to_stop(token)
    if row is None:
        context = {"invalid": True}
        return _private(render(request, "comments/mail_stop.html", context, status=404))
    if request.method == "POST":
        suppress(row, because=Suppression.UNSUBSCRIBED)
    context = {"row": row, "done": request.method == "POST" or row.is_suppressed}
    return _private(render(request, "comments/mail_stop.html", context))
