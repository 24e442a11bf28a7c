"""The email to a commenter who asked to hear when their comment is published."""

from django.conf import settings
from django.template.loader import render_to_string

from comments.models import Comment
from moderation.tasks import send_mail_task


def enqueue_publication_notice(comment_id: int) -> None:
    """Tell a commenter who asked that their comment is on the page."""
    comment = Comment.objects.select_related("article").get(pk=comment_id)
    if not (comment.notify_on_publish and comment.author_email and comment.article):
        return
    context = {
        "comment": comment,
        "url": settings.SITE_URL + comment.get_absolute_url(),
        "SITE_NAME": settings.SITE_NAME,
    }
    subject = f"Your comment on “{comment.article.title}” is published"
    body = render_to_string("moderation/email/comment_published.txt", context)
    send_mail_task.enqueue(subject, body, [comment.author_email])
