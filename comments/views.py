"""Posting a comment, a comment's permalink, an article's comments feed."""

from django.conf import settings
from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_GET, require_POST

from blog.models import Article
from comments.clientip import client_ip
from comments.forms import CommentForm
from comments.intake import article_posted_to, submit_comment
from comments.models import Comment, CommentSource
from comments.pages import page_of_comment
from comments.ratelimit import over_limit
from comments.screening import Signals

THANKS = (
    "Thanks — your comment is waiting for an editor. The best ones are published here."
)


@require_POST
def post_comment(request: HttpRequest, slug: str) -> HttpResponse:
    form = CommentForm(request.POST)
    ip = client_ip(request)
    article, lookalikes = article_posted_to(slug, form, ip)
    if article is None:
        raise Http404("No such article.")
    context = {"article": article, "form": form}
    if not article.comments_open:
        return render(request, "comments/comment_form.html", context, status=403)
    if over_limit("comment", ip or "unknown", settings.COMMENT_RATE_LIMIT):
        return render(
            request,
            "comments/comment_form.html",
            {**context, "rate_limited": True},
            status=429,
        )
    if form.errors:
        return render(request, "comments/comment_form.html", context, status=400)
    data = form.cleaned_data
    submit_comment(
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
        lookalikes=lookalikes,
    )
    messages.success(request, THANKS)
    # Not redirect(): given a URL, it first tries it as a view name to reverse.
    return HttpResponseRedirect(article.get_absolute_url() + "#comments")


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
