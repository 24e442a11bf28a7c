"""Re-processing a stored email in the task worker, not in an admin request.

Reading one message may take up to its time budget (EMAIL_SECONDS_PER_MESSAGE,
20 s), and an editor may select many; a request doing that ran past gunicorn's
30-second timeout and answered 500 (issue 22). The worker has no such limit.
"""

from __future__ import annotations

from django_tasks import task

from comments.mail.pipeline import reprocess
from comments.models import InboundEmail


@task()
def reprocess_email(inbound_email_id: int) -> dict[str, object]:
    """Process one stored email again (left ``received`` or ``failed``)."""
    inbound = InboundEmail.objects.defer("raw").filter(pk=inbound_email_id).first()
    if inbound is None:  # purged meanwhile (retention)
        return {}
    return reprocess(inbound).as_json()
