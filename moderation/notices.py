"""Emails to editors: comments are waiting, numbered, with signed links to decide
them one by one, and a Reply-To that decides them all by answering the email
(moderation/answers.py)."""

import logging
import textwrap
from datetime import timedelta

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import AbstractBaseUser
from django.core.cache import cache
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.text import Truncator
from django_tasks import task

from comments.models import Comment
from moderation import answers, links
from moderation.answer_lines import ANSWER_ABOVE
from moderation.models import EditorNotice
from moderation.notice_address import ANSWER_MAX_AGE, reply_to_for
from moderation.permissions import EDITORS_GROUP
from moderation.tasks import send_mail_task

logger = logging.getLogger("sourcehat.notices")

NOTICE_LOCK_KEY = "moderation:editor-notice-sent"
FOLLOW_UP_KEY = "moderation:editor-notice-follow-up"
MAX_LISTED = 50
# A comment's text in the notice: enough to decide most, short enough to scan.
TEXT_CHARS = 400
TEXT_WIDTH = 72
# How to answer, as the issue words it: (line, what it does); shown when the
# line's word is one of the table's decisions.
ANSWER_EXAMPLES = (
    ("1 publish", ""),
    ("2 pick Best of the week", "publish as an editor's pick, with its label"),
    ("3 reject off-topic", "the reason is kept in the decision log"),
    ("4 spam", ""),
    ("all spam", "every comment of this notice"),
    ("2 name Sam Example", "the name shown with the comment"),
)


def editor_users() -> list[AbstractBaseUser]:
    """Active editors (and superusers) with an address, one per address."""
    users = get_user_model().objects.filter(is_active=True).exclude(email="")
    editors = users.filter(groups__name=EDITORS_GROUP) | users.filter(is_superuser=True)
    by_address = {}
    for user in editors.distinct().order_by("pk"):
        by_address.setdefault(user.email.lower(), user)
    return sorted(by_address.values(), key=lambda u: u.email.lower())


def editor_addresses() -> list[str]:
    """Addresses of active editors (and superusers) who have one."""
    return [user.email for user in editor_users()]


def on_comment_submitted(sender: type, comment: Comment, **kwargs: object) -> None:
    """Tell editors comments are waiting, at most once per notice interval.

    A hundred comments arriving at once make one email, not a hundred: the first
    one takes the interval's slot in the shared cache and the notice lists every
    comment then waiting. What arrives after it would otherwise wait for the next
    arrival to be announced; where the task backend can run a task later (the
    database worker in production), one follow-up at the end of the interval
    covers it.

    A cache emptied early can send the next notice up to one interval early.
    """
    seconds = settings.EDITOR_NOTICE_INTERVAL_MINUTES * 60
    if cache.add(NOTICE_LOCK_KEY, True, timeout=seconds):
        if not send_editor_notice():
            # Nobody to tell yet (no editor with an address): the next arrival
            # tries again rather than waiting out an interval.
            cache.delete(NOTICE_LOCK_KEY)
        return
    if not follow_up_notice.get_backend().supports_defer:
        return
    if cache.add(FOLLOW_UP_KEY, True, timeout=seconds):
        run_after = timezone.now() + timedelta(seconds=seconds)
        follow_up_notice.using(run_after=run_after).enqueue()


@task()
def follow_up_notice() -> bool:
    """The end-of-interval notice for comments that came after the last one."""
    seconds = settings.EDITOR_NOTICE_INTERVAL_MINUTES * 60
    cache.set(NOTICE_LOCK_KEY, True, timeout=seconds)
    return send_editor_notice()


def send_editor_notice() -> bool:
    """Enqueue an email to each editor listing the comments waiting for review.

    One message per editor, not one to all: each carries that editor's own signed
    links (moderation/links.py), so a decision made from it is recorded as theirs,
    and its own Reply-To naming the comments it lists, numbered (EditorNotice).
    """
    editors = editor_users()
    waiting = Comment.objects.awaiting_review().select_related("article")
    total = waiting.count()
    if not editors or not total:
        return False
    comments = list(waiting[:MAX_LISTED])
    subject = (
        f"[{settings.SITE_NAME}] {total} comment{'s' if total != 1 else ''} waiting"
    )
    examples = [
        (line, note)
        for line, note in ANSWER_EXAMPLES
        if answers.decision_key(line.split()[1])
    ]
    for editor in editors:
        notice = EditorNotice.objects.create(
            editor=editor, comment_ids=[c.pk for c in comments]
        )
        context = {
            "entries": [
                (n, c, notice_text(c), _links_for(c, editor))
                for n, c in enumerate(comments, start=1)
            ],
            "answer_above": ANSWER_ABOVE,
            "examples": examples,
            "words": answers.words_help(),
            "answer_days": ANSWER_MAX_AGE.days,
            "total": total,
            "queue_url": settings.SITE_URL + reverse("admin:comments_comment_review"),
            "link_days": links.SIGNED_IN_MAX_AGE.days,
            "link_only_hours": int(links.LINK_ONLY_MAX_AGE.total_seconds() // 3600)
            if links.confirm_without_login_allowed()
            else None,
            "SITE_NAME": settings.SITE_NAME,
        }
        body = render_to_string("moderation/email/editor_notice.txt", context)
        send_mail_task.enqueue(
            subject, body, [editor.email], headers={"Reply-To": reply_to_for(notice)}
        )
    return True


def notice_text(comment: Comment) -> str:
    """The comment's text for the notice: whitespace folded, cut to TEXT_CHARS
    at a word, wrapped and indented under its heading."""
    text = Truncator(" ".join(comment.public_text.split())).chars(TEXT_CHARS)
    return textwrap.fill(
        text, width=TEXT_WIDTH, initial_indent="    ", subsequent_indent="    "
    )


def _links_for(comment: Comment, editor: AbstractBaseUser) -> list[tuple[str, str]]:
    return [
        (
            kind.label,
            links.link_url(comment_id=comment.pk, action=kind.key, editor_id=editor.pk),
        )
        for kind in links.actions_for(comment)
    ]
