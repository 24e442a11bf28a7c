"""Erase a commenter: their address and name everywhere, and their text on request.

DESIGN.md's one documented exception to "the reader's text is never changed". Each
erased comment gets a Decision (action ERASE) saying what was done; the Decision
itself holds no address. A published comment whose text goes is taken down first
through reject_comment, so the page, the count and the cache move on as for any
other decision.
"""

from collections.abc import Iterator
from dataclasses import dataclass

from django.db import transaction
from django.utils import timezone

from comments.models import Comment, CommentStatus, InboundEmail, WriterAddress
from moderation import transitions as t
from moderation.models import Action, Decision, WriterNotice

ANONYMOUS = "Anonymous"


@dataclass(frozen=True)
class ErasureReport:
    comments: int
    taken_down: int
    texts_kept: int
    emails: int
    dry_run: bool = False

    def summary(self) -> str:
        erased, took, kept = (
            ("Would erase", "would take", "would keep")
            if self.dry_run
            else ("Erased", "took", "kept")
        )
        return (
            f"{erased} the address and name from {self.comments} comment(s) and "
            f"{self.emails} stored email(s); {took} down {self.taken_down} published "
            f"comment(s); {kept} the published text of {self.texts_kept}."
        )


@transaction.atomic
def erase_commenter(
    *,
    email: str,
    editor: t.Editor = None,
    keep_published_text: bool = False,
    dry_run: bool = False,
) -> ErasureReport:
    """Remove one commenter's address and name (and, unless kept, their text);
    with dry_run, only count what would go."""
    email = email.strip()
    if not email:
        raise ValueError("an email address is needed")
    # By ids, a chunk of rows at a time: a writer of 50,000 letters is erased in
    # the memory of a few hundred (and the rows change under the address lookup).
    theirs = Comment.objects.by_commenter(email=email)
    ids = list(theirs.order_by("pk").values_list("pk", flat=True))
    emails = InboundEmail.objects.from_sender(email).values_list("pk", flat=True)
    mailed = theirs.exclude(inbound_email=None).values_list("inbound_email_id")
    email_ids = set(emails) | {pk for (pk,) in mailed}
    if dry_run:
        published = theirs.filter(status=CommentStatus.PUBLISHED).count()
        return ErasureReport(
            comments=len(ids),
            taken_down=0 if keep_published_text else published,
            texts_kept=published if keep_published_text else 0,
            emails=len(email_ids),
            dry_run=True,
        )
    taken_down = kept = 0
    shown_on: set[int] = set()  # articles whose page shows a name that goes
    for comment in _in_chunks(ids):
        keep = keep_published_text and comment.status == CommentStatus.PUBLISHED
        if comment.status == CommentStatus.PUBLISHED and not keep:
            t.reject_comment(comment=comment, editor=editor, reason="erasure")
            taken_down += 1
        kept += keep
        if _erase_one(comment, editor=editor, keep_text=keep):
            shown_on.add(comment.article_id)
    t.touch_articles(list(shown_on))
    _forget_address(email)
    InboundEmail.objects.filter(pk__in=email_ids).update(
        sender="",
        sender_name="",
        subject="",
        authentication_results="",
        raw=b"",
        extracted_text="",  # the raw message's text, quotes and all
        raw_purged_at=timezone.now(),
    )
    return ErasureReport(
        comments=len(ids),
        taken_down=taken_down,
        texts_kept=kept,
        emails=len(email_ids),
    )


def _forget_address(email: str) -> None:
    """The address's confirmation and waiting word back go; a suppression stays
    (the privacy page promises a stopped address stays stopped), with nothing
    else about it."""
    rows = WriterAddress.objects.for_address(email)
    WriterNotice.objects.filter(address__in=rows).delete()
    rows.filter(suppressed_at__isnull=True).delete()
    rows.update(confirmation_sent_at=None, confirmed_at=None, last_sent_at=None)


def _erase_one(comment: Comment, *, editor: t.Editor, keep_text: bool) -> bool:
    """Erase one comment's writer (and text); True if it is on its article's page."""
    current = Comment.objects.select_for_update().get(pk=comment.pk)
    current.author_email, current.author_name = "", ANONYMOUS
    current.ip_address, current.user_agent, current.notify_on_publish = None, "", False
    fields = ["author_email", "author_name", "ip_address", "user_agent"]
    fields.append("notify_on_publish")
    if not keep_text:
        current.body = current.edited_body = current.trimmed_text = ""
        current.body_html = current.content_hash = ""
        fields += ["body", "edited_body", "trimmed_text", "body_html", "content_hash"]
        # Earlier versions of the text live on in the edit decisions.
        Decision.objects.filter(comment=current).update(previous_text="")
    current.save(update_fields=fields)
    # The names it was shown under live on in the rename decisions.
    Decision.objects.filter(comment=current, action=Action.RENAME).update(
        note="", previous_text=""
    )
    t.record_decisions(
        [current],
        editor=editor,
        action=Action.ERASE,
        note="commenter erased; published text kept"
        if keep_text
        else "commenter erased with their text",
    )
    return current.status == CommentStatus.PUBLISHED  # the name on the page changes


def _in_chunks(ids: list[int], size: int = 500) -> Iterator[Comment]:
    for start in range(0, len(ids), size):
        yield from Comment.objects.filter(pk__in=ids[start : start + size]).order_by(
            "pk"
        )
