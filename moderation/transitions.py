"""Every status change a comment goes through after intake (DESIGN.md's table).

Each transition runs in one transaction, locks the row, checks the current state,
writes a Decision, and moves the article's `comments_changed_at` (the cache key of
its comments section) when visitors would see a difference. Illegal moves raise
InvalidTransition and change nothing.

Which statuses each decision is allowed from, and what it is called, is the table in
moderation/decisions.py; each decision's transition is bound to its row here with
`@decides`, and `apply_decision` applies any of them by key.
"""

import logging
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from functools import partial

from django.conf import settings
from django.contrib.auth.models import AbstractBaseUser
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Count, OuterRef, Subquery
from django.db.models.functions import Coalesce
from django.utils import timezone

from blog.models import Article
from comments import writer
from comments.models import Comment, CommentStatus
from comments.rendering import render_comment
from comments.screening import content_hash
from comments.validation import clean_body, clean_name
from moderation import decisions
from moderation.decisions import decides
from moderation.models import Action, Decision, WriterNoticeKind
from moderation.word_back import tell_writer_on_commit

S = CommentStatus
Editor = AbstractBaseUser | None
logger = logging.getLogger("sourcehat.moderation")
# How the decisions being written were made (Decision.channel); see `made_via`.
_channel: ContextVar[str] = ContextVar("decision_channel", default="")


class InvalidTransition(Exception):
    """The comment's current state does not allow this change."""


def _lock(comment: Comment) -> Comment:
    try:
        return Comment.objects.select_for_update().get(pk=comment.pk)
    except Comment.DoesNotExist as exc:
        raise InvalidTransition(f"comment {comment.pk} no longer exists") from exc


def _check(current: Comment, key: str) -> None:
    """Refuse unless the decision `key` is allowed from the comment's status, and
    never put a comment its writer withdrew back on the way to the page."""
    if current.status not in decisions.kind(key).allowed_from:
        raise InvalidTransition(
            f"comment {current.pk} can't be {decisions.past_tense(key).lower()}"
            f" while {current.status}"
        )
    if key in (Action.PUBLISH, Action.PENDING) and withdrawn_by_writer(current):
        raise InvalidTransition(f"comment {current.pk} was withdrawn by its writer")


def withdrawn_by_writer(comment: Comment) -> bool:
    """Whether the comment's latest decision is its writer's withdrawal."""
    if comment.status != S.REJECTED:
        return False
    latest = comment.decisions.order_by("-at", "-pk").values_list("action").first()
    return latest == (Action.WITHDRAW,)


@contextmanager
def made_via(channel: str) -> Iterator[None]:
    """Record the decisions written inside the block as made via `channel`
    (a Decision.channel value, e.g. a notice-email link)."""
    token = _channel.set(channel)
    try:
        yield
    finally:
        _channel.reset(token)


def touch_article(article_id: int | None) -> None:
    """Recount the article's published comments and move its cache key on."""
    touch_articles([article_id])


def _record(
    *,
    comment: Comment,
    editor: Editor,
    action: str,
    from_status: str,
    note: str = "",
    previous_text: str = "",
) -> Decision:
    return Decision.objects.create(
        comment=comment,
        editor=editor,
        action=action,
        from_status=from_status,
        to_status=comment.status,
        note=note[:500],
        previous_text=previous_text,
        channel=_channel.get(),
    )


def _log(decision: Decision) -> None:
    logger.info(
        "decision action=%s comment=%s from=%s to=%s editor=%s",
        decision.action,
        decision.comment_id,
        decision.from_status,
        decision.to_status,
        decision.editor_id or "system",
    )


def _finish(
    current: Comment,
    *,
    editor: Editor,
    action: str,
    from_status: str,
    fields: list[str],
    visible: bool,
    note: str = "",
    previous_text: str = "",
) -> Comment:
    current.save(update_fields=fields)
    decision = _record(
        comment=current,
        editor=editor,
        action=action,
        from_status=from_status,
        note=note,
        previous_text=previous_text,
    )
    if visible:
        touch_article(current.article_id)
    transaction.on_commit(partial(_log, decision))
    return current


@decides("publish")
@transaction.atomic
def publish_comment(*, comment: Comment, editor: Editor, note: str = "") -> Comment:
    """Put a comment on its article's page."""
    current = _lock(comment)
    _check(current, Action.PUBLISH)
    if current.article_id is None:
        raise InvalidTransition(f"comment {current.pk} has no article yet")
    was = current.status
    current.status, current.published_at = S.PUBLISHED, timezone.now()
    current.body_html = render_comment(current.public_text)
    _finish(
        current,
        editor=editor,
        action=Action.PUBLISH,
        from_status=was,
        fields=["status", "published_at", "body_html"],
        visible=True,
        note=note,
    )
    tell_writer_on_commit(comment_id=current.pk, kind=WriterNoticeKind.PUBLISHED)
    return current


def _move(
    comment: Comment,
    *,
    editor: Editor,
    action: str,
    note: str,
) -> Comment:
    """A plain status change; from published it takes the comment off the page."""
    current = _lock(comment)
    _check(current, action)
    was = current.status
    current.status = decisions.kind(action).to_status
    current.featured = False
    return _finish(
        current,
        editor=editor,
        action=action,
        from_status=was,
        fields=["status", "featured"],
        visible=was == S.PUBLISHED,
        note=note,
    )


@decides("reject", note="reason")
@transaction.atomic
def reject_comment(
    *, comment: Comment, editor: Editor, reason: str = "", tell_writer: bool = False
) -> Comment:
    """Turn a comment down (from published: take it off the page); with
    tell_writer, the reason goes to a proven writer (by default nothing is sent)."""
    current = _move(
        comment,
        editor=editor,
        action=Action.REJECT,
        note=reason,
    )
    if tell_writer and reason.strip():
        tell_writer_on_commit(
            comment_id=current.pk, kind=WriterNoticeKind.REJECTED, reason=reason
        )
    return current


@decides("spam")
@transaction.atomic
def mark_spam(*, comment: Comment, editor: Editor, note: str = "") -> Comment:
    """File a comment as spam (from published: take it off the page)."""
    return _move(
        comment,
        editor=editor,
        action=Action.SPAM,
        note=note,
    )


@decides("pending")
@transaction.atomic
def return_to_pending(*, comment: Comment, editor: Editor, note: str = "") -> Comment:
    """Put a decided comment back in the queue."""
    return _move(
        comment,
        editor=editor,
        action=Action.PENDING,
        note=note,
    )


@transaction.atomic
def feature_comment(
    *, comment: Comment, editor: Editor, label: str = "", order: int | None = None
) -> Comment:
    """Make a published comment an editor's pick (optionally labelled and placed)."""
    current = _lock(comment)
    if current.status != S.PUBLISHED:
        raise InvalidTransition(
            f"comment {current.pk} can't be featured while {current.status}"
        )
    if order is None:
        order = (
            current.feature_order
            if current.featured
            else _next_feature_order(current.article_id)
        )
    current.featured, current.pick_label, current.feature_order = True, label, order
    return _finish(
        current,
        editor=editor,
        action=Action.FEATURE,
        from_status=current.status,
        visible=True,
        note=label,
        fields=["featured", "pick_label", "feature_order"],
    )


@decides("feature", note="label")
@transaction.atomic
def publish_and_feature(
    *, comment: Comment, editor: Editor, label: str = ""
) -> Comment:
    """Publish a comment (unless it is already) and make it an editor's pick."""
    if _lock(comment).status != S.PUBLISHED:
        comment = publish_comment(comment=comment, editor=editor)
    return feature_comment(comment=comment, editor=editor, label=label)


def _next_feature_order(article_id: int | None) -> int:
    last = (
        Comment.objects.featured()
        .for_article(article_id)
        .order_by("-feature_order")
        .values_list("feature_order", flat=True)
        .first()
    )
    return 0 if last is None else last + 1


@decides("unfeature", note=None)
@transaction.atomic
def unfeature_comment(*, comment: Comment, editor: Editor) -> Comment:
    """Take the pick mark off a published comment."""
    current = _lock(comment)
    _check(current, Action.UNFEATURE)
    if not current.featured:
        raise InvalidTransition(f"comment {current.pk} is not featured")
    current.featured, current.pick_label = False, ""
    return _finish(
        current,
        editor=editor,
        action=Action.UNFEATURE,
        from_status=current.status,
        fields=["featured", "pick_label"],
        visible=True,
    )


@transaction.atomic
def edit_comment(*, comment: Comment, editor: Editor, text: str) -> Comment:
    """Set the editors' version of a comment; the reader's original is kept."""
    current = _lock(comment)
    previous = current.public_text
    new_text = "" if text.strip() == current.body.strip() else text.strip()
    if new_text == current.edited_body:
        raise InvalidTransition(f"comment {current.pk}: the text is unchanged")
    current.edited_body = new_text
    fields = ["edited_body"]
    if current.status == S.PUBLISHED:
        current.body_html = render_comment(current.public_text)
        fields.append("body_html")
    return _finish(
        current,
        editor=editor,
        action=Action.EDIT,
        from_status=current.status,
        fields=fields,
        visible=current.status == S.PUBLISHED,
        previous_text=previous,
    )


def _writers_turn(current: Comment, key: str) -> None:
    """Refuse unless the writer may still change the comment (comments/writer.py:
    waiting, within the window, no editor's decision yet)."""
    _check(current, key)
    if not writer.may_change(current):
        raise InvalidTransition(
            f"comment {current.pk} is no longer the writer's to change"
        )


@transaction.atomic
def correct_by_writer(*, comment: Comment, text: str) -> Comment:
    """The writer's correction of their waiting comment; editors see the new text."""
    current = _lock(comment)
    _writers_turn(current, Action.CORRECT)
    if text == current.body:
        raise InvalidTransition(f"comment {current.pk}: the text is unchanged")
    previous = current.body
    current.body, current.content_hash = text, content_hash(text)
    return _finish(
        current,
        editor=None,
        action=Action.CORRECT,
        from_status=current.status,
        fields=["body", "content_hash"],
        visible=False,
        previous_text=previous,
    )


@transaction.atomic
def withdraw_by_writer(*, comment: Comment) -> Comment:
    """The writer takes their waiting comment back: out of the queue, unpublished."""
    current = _lock(comment)
    _writers_turn(current, Action.WITHDRAW)
    return _move(current, editor=None, action=Action.WITHDRAW, note="")


@transaction.atomic
def assign_article(*, comment: Comment, editor: Editor, article: Article) -> Comment:
    """Route an (emailed) comment to an article."""
    current = _lock(comment)
    if current.article_id == article.pk:
        raise InvalidTransition(f"comment {current.pk} is already on {article.slug}")
    old_article = current.article_id
    current.article = article
    _finish(
        current,
        editor=editor,
        action=Action.ASSIGN,
        from_status=current.status,
        fields=["article"],
        visible=current.status == S.PUBLISHED,
        note=f"{article.slug}",
    )
    if current.status == S.PUBLISHED:
        touch_article(old_article)
    return current


@transaction.atomic
def reorder_features(
    *, article: Article, editor: Editor, comment_ids: list[int]
) -> None:
    """Set the order of an article's picks (first id first)."""
    picks = {
        c.pk: c
        for c in Comment.objects.featured().for_article(article).select_for_update()
    }
    for position, pk in enumerate(comment_ids):
        if pk not in picks:
            raise InvalidTransition(f"comment {pk} is not a pick on {article.slug}")
        Comment.objects.filter(pk=pk).update(feature_order=position)
    touch_article(article.pk)


def _valid(clean: Callable[[str], str], value: str, comment: Comment) -> str:
    """The form's own rule for the value (comments/validation.py), so no decision
    puts on a page what the form refuses."""
    try:
        return clean(value)
    except ValidationError as exc:
        raise InvalidTransition(f"comment {comment.pk}: {exc.messages[0]}") from exc


@decides("rename", note="name")
@transaction.atomic
def rename_comment(*, comment: Comment, editor: Editor, name: str) -> Comment:
    """Set the name shown with a comment; the old one is kept in the Decision."""
    current = _lock(comment)
    new_name = _valid(clean_name, name, current)
    if new_name == current.author_name:
        raise InvalidTransition(f"comment {current.pk} already shows that name")
    old_name, current.author_name = current.author_name, new_name
    return _finish(
        current,
        editor=editor,
        action=Action.RENAME,
        from_status=current.status,
        fields=["author_name"],
        visible=current.status == S.PUBLISHED,
        note=new_name,
        previous_text=old_name,
    )


def reply_signature(editor: Editor) -> str:
    """The name an editors' reply is signed with (EDITORS_REPLY_SIGNED_BY)."""
    if settings.EDITORS_REPLY_SIGNED_BY == "editor" and editor is not None:
        full_name = " ".join(editor.get_full_name().split())
        if full_name:
            return full_name[:150]
    return settings.SITE_NAME


def _write_reply(
    comment: Comment, *, editor: Editor, text: str, action: str, has_reply: bool
) -> Comment:
    current = _lock(comment)
    if current.status != S.PUBLISHED:  # the "reply" row publishes first; this can't
        raise InvalidTransition(
            f"comment {current.pk} can't be answered while {current.status}"
        )
    if bool(current.reply_text) != has_reply:
        state = "already has" if current.reply_text else "has no"
        raise InvalidTransition(f"comment {current.pk} {state} an editors' reply")
    new_text = _valid(clean_body, text, current) if text else ""
    if has_reply and new_text == current.reply_text:
        raise InvalidTransition(f"comment {current.pk}: the reply is unchanged")
    previous = current.reply_text
    current.reply_text, current.reply_html = new_text, ""
    current.reply_author, current.replied_at = "", None
    if new_text:
        current.reply_html = render_comment(new_text)
        current.reply_author = reply_signature(editor)
        current.replied_at = timezone.now()
    return _finish(
        current,
        editor=editor,
        action=action,
        from_status=current.status,
        fields=["reply_text", "reply_html", "reply_author", "replied_at"],
        visible=True,
        previous_text=previous,
    )


@transaction.atomic
def reply_to_comment(*, comment: Comment, editor: Editor, text: str) -> Comment:
    """Write the editors' reply under a published comment."""
    if not text.strip():
        raise InvalidTransition(f"comment {comment.pk}: the reply is empty")
    return _write_reply(
        comment, editor=editor, text=text, action=Action.REPLY, has_reply=False
    )


@decides("edit_reply", note="text")
@transaction.atomic
def edit_reply(*, comment: Comment, editor: Editor, text: str) -> Comment:
    """Change the editors' reply under a comment (the old text is kept)."""
    if not text.strip():
        raise InvalidTransition(f"comment {comment.pk}: the reply is empty")
    return _write_reply(
        comment, editor=editor, text=text, action=Action.EDIT_REPLY, has_reply=True
    )


@decides("remove_reply", note=None)
@transaction.atomic
def remove_reply(*, comment: Comment, editor: Editor) -> Comment:
    """Take the editors' reply off a comment (the text is kept in the Decision)."""
    return _write_reply(
        comment, editor=editor, text="", action=Action.REMOVE_REPLY, has_reply=True
    )


@decides("reply", note="text")
@transaction.atomic
def publish_and_reply(*, comment: Comment, editor: Editor, text: str) -> Comment:
    """Publish a comment (unless it is already) with the editors' reply under it."""
    if not text.strip():
        raise InvalidTransition(f"comment {comment.pk}: the reply is empty")
    current = _lock(comment)
    if current.reply_text:
        raise InvalidTransition(f"comment {current.pk} already has an editors' reply")
    if current.status != S.PUBLISHED:
        comment = publish_comment(comment=comment, editor=editor)
    return reply_to_comment(comment=comment, editor=editor, text=text)


@transaction.atomic
def set_reply(*, comment: Comment, editor: Editor, text: str) -> Comment:
    """Reply, edit the reply or remove it, whichever makes the reply `text`."""
    has_reply = bool(_lock(comment).reply_text)
    if not text.strip():
        return remove_reply(comment=comment, editor=editor)
    if has_reply:
        return edit_reply(comment=comment, editor=editor, text=text)
    return reply_to_comment(comment=comment, editor=editor, text=text)


def apply_decision(
    *, action: str, comment: Comment, editor: Editor, note: str = "", channel: str = ""
) -> Comment:
    """Apply the decision `action` (a key of moderation/decisions.py's table) to
    `comment`, its note going to the keyword its transition takes it as; `channel`
    (a Decision.channel value) says how it was made."""
    if action not in decisions.MOVES:
        raise InvalidTransition(f"there is no decision called {action!r}")
    move, keyword = decisions.MOVES[action]
    noted = {keyword: note} if keyword else {}
    with made_via(channel):
        return move(comment=comment, editor=editor, **noted)


@transaction.atomic
def undo_decision(*, decision: Decision, editor: Editor) -> Comment:
    """Apply the inverse of a decision, as a new decision."""
    comment = _lock(decision.comment)
    later = Decision.objects.filter(comment=comment, pk__gt=decision.pk)
    if later.exists() or comment.status != decision.to_status:
        raise InvalidTransition(f"comment {comment.pk} has changed since that decision")
    return _invert(decision, comment=comment, editor=editor)


def _invert(decision: Decision, *, comment: Comment, editor: Editor) -> Comment:
    """The decision that takes `decision` back (its row's `undo`), applied."""
    inverse = decisions.BY_KEY.get(decision.action)
    if inverse is None or not inverse.undo:
        raise InvalidTransition(f"decision {decision.pk} can't be undone")
    if inverse.undo == decisions.RESTORE and decision.action == Action.EDIT:
        return edit_comment(comment=comment, editor=editor, text=decision.previous_text)
    if inverse.undo == decisions.RESTORE:
        # The same decision again, with the name or reply it replaced.
        return apply_decision(
            action=decision.action,
            comment=comment,
            editor=editor,
            note=decision.previous_text,
        )
    if inverse.undo == decisions.BACK:
        try:
            key = decisions.undo_for_status(decision.from_status)
        except KeyError as exc:
            raise InvalidTransition(f"decision {decision.pk} can't be undone") from exc
        return apply_decision(action=key, comment=comment, editor=editor, note="undo")
    # The inverse takes what the decision replaced, if it takes a note (removing
    # a reply is undone by replying with the removed text).
    return apply_decision(
        action=inverse.undo,
        comment=comment,
        editor=editor,
        note=decision.previous_text,
    )


def undo_part(*, decision: Decision, editor: Editor) -> Comment:
    """Take back one decision of a compound step whose later half was just undone
    (undo_decision refuses a decision with later ones on the comment)."""
    return _invert(decision, comment=decision.comment, editor=editor)


__all__ = [
    "InvalidTransition",
    "apply_decision",
    "assign_article",
    "edit_comment",
    "edit_reply",
    "feature_comment",
    "made_via",
    "mark_spam",
    "publish_and_feature",
    "publish_and_reply",
    "publish_comment",
    "reject_comment",
    "remove_reply",
    "rename_comment",
    "reorder_features",
    "reply_to_comment",
    "return_to_pending",
    "set_reply",
    "touch_article",
    "undo_decision",
    "undo_part",
    "unfeature_comment",
]


# Bulk forms of the helpers above, for the writers of many rows at once (an
# import writes thousands of comments a second; an erasure many).


def record_decisions(
    comments: list[Comment], *, editor: Editor, action: str, note: str = ""
) -> None:
    """Record, in one statement, a decision that left each comment's status as it
    was (an import's first status, an erasure)."""
    Decision.objects.bulk_create(
        Decision(
            comment=comment,
            editor=editor,
            action=action,
            from_status=comment.status,
            to_status=comment.status,
            note=note[:500],
        )
        for comment in comments
    )


TOUCH_BATCH = 500  # articles an UPDATE recounts


def touch_articles(article_ids: list[int | None]) -> None:
    """touch_article for many articles: their counts recounted by the database,
    a few hundred articles a statement."""
    published = (
        Comment.objects.published()
        .filter(article=OuterRef("pk"))
        .order_by()
        .values("article")
        .annotate(n=Count("pk"))
        .values("n")
    )
    ids = sorted(set(article_ids) - {None})
    for start in range(0, len(ids), TOUCH_BATCH):
        Article.objects.filter(pk__in=ids[start : start + TOUCH_BATCH]).update(
            published_comment_count=Coalesce(Subquery(published), 0),
            comments_changed_at=timezone.now(),
        )
