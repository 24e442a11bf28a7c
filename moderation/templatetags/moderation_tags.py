"""The queue summary on the admin index."""

from django import template

from moderation.permissions import is_editor
from moderation.queue import queue_health

register = template.Library()


@register.inclusion_tag("moderation/includes/_queue_summary.html", takes_context=True)
def queue_summary(context: template.Context) -> dict:
    """Pending count, oldest pending, median decision time, last mailbox read."""
    request = context.get("request")
    allowed = request is not None and is_editor(request.user)
    return {"health": queue_health(exact=False) if allowed else None}
