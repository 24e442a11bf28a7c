"""Posting a comment, the poster's receipt, a comment's permalink."""

from django.conf import settings
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import (
    require_GET,
    require_http_methods,
    require_POST,
)

from blog.models import Article
from comments.clientip import client_ip
from comments.crossorigin import cross_origin_refusal
from comments.forms import CommentForm
from comments.intake import RepeatedComment, submit_comment
from comments.models import Comment, CommentSource, Suppression
from comments.pages import page_of_comment
from comments.ratelimit import over_limit
from comments.receipts import RECEIPT_DAYS, comment_id_from, receipt_url
from comments.rendering import render_comment
from comments.screening import Signals
from comments.writers import confirm, row_to_confirm, row_to_stop, suppress

FORM_PAGE = "comments/comment_form.html"


@csrf_exempt  # no per-reader token on public pages: Fetch Metadata instead
@require_POST
def post_comment(request: HttpRequest, slug: str) -> HttpResponse:
    if cross_origin_refusal(request):
        context = {"typed": request.POST.get("body", ""), "cross_origin": True}
        return render(request, "403_csrf.html", context, status=403)
    ip = client_ip(request)
    if over_limit("comment", ip or "unknown", settings.COMMENT_RATE_LIMIT):
        form = CommentForm(request.POST)
        context = {"form": form, "rate_limited": True}
        return render(request, FORM_PAGE, context, status=429)
    article = get_object_or_404(Article.objects.published(), slug=slug)
    form = CommentForm(request.POST)
    context = {"article": article, "form": form}
    if not article.comments_open:
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


@require_GET
@never_cache  # this reader's own page: no shared cache may keep it
def receipt(request: HttpRequest, token: str) -> HttpResponse:
    comment = get_object_or_404(
        Comment.objects.select_related("article"), pk=comment_id_from(token)
    )
    context = {
        "comment": comment,
        "article": comment.article,
        "comment_html": render_comment(comment.public_text),
        "receipt_days": RECEIPT_DAYS,
    }
    response = render(request, "comments/comment_receipt.html", context)
    response["X-Robots-Tag"] = "noindex"
    return response


@require_GET
def permalink(request: HttpRequest, pk: int) -> HttpResponse:
    comment = get_object_or_404(
        Comment.objects.published().select_related("article"),
        pk=pk,
        article__in=Article.objects.published(),
    )
    page = page_of_comment(comment)
    suffix = f"?comments={page}" if page > 1 else ""
    return redirect(f"{comment.article.get_absolute_url()}{suffix}#{comment.anchor}")


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
