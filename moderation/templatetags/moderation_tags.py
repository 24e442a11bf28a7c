"""The queue summary on the admin index."""

from django import template

from moderation.queue import queue_health

register = template.Library()


@register.inclusion_tag("moderation/includes/_queue_summary.html", takes_context=True)
def queue_summary(context: template.Context) -> dict:
    """Pending count, oldest pending, median decision time, last mailbox read."""
    request = context.get("request")
    allowed = request is not None and request.user.has_perm("comments.change_comment")
    return {"health": queue_health() if allowed else None}
