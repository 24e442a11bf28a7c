"""Editors decide by answering the notice email (issue 24).

The mail pipeline recognises an answer by its address (the notice's Reply-To,
moderation/notice_address.py) before routing and hands it here through
comments/mail/handoff.py; it never becomes a comment. It acts only when all of
these hold, and otherwise changes nothing:

- the message passed DMARC for our AUTHSERV_ID (``InboundEmail.sender_proven``),
- its From is the address of an active editor's account,
- the token is ours, unexpired, and names a notice we sent.

Each line then names comments by their number in that notice and one decision
of the table (moderation/decisions.py), by its key or one of a few words
editors use for it (``pick``: feature, ``name``: rename); it is applied through
the same transitions as every screen's, recorded with the editor and the
channel "email reply". A comment that is no longer waiting (another editor, or
an earlier answer, decided it since the notice) is left as it is and reported.
Delivered twice, an answer applies once: the pipeline stores one row per
message and locks it, and the comments are locked while their state is checked
and changed.

The proven editor gets one reply (through the task worker): what was done, what
was not and why, and the state of each comment of the notice. Nobody else gets
any answer: a From that isn't proven may be forged (DESIGN.md "Email in").
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import partial

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import AbstractBaseUser
from django.core.exceptions import ValidationError
from django.db import DataError, transaction
from django.template.loader import render_to_string
from django.urls import reverse

from comments.addressing import notice_answer_address
from comments.mail.parsing import ParsedEmail
from comments.mail.reading import Reading
from comments.models import Comment, CommentStatus, InboundEmail, InboundOutcome
from moderation import decisions
from moderation import transitions as t
from moderation.answer_lines import ANSWER_ABOVE, AnswerLine, answer_lines
from moderation.models import Channel, Decision, EditorNotice
from moderation.notice_address import ANSWER_MAX_AGE, TokenRefused, read_token
from moderation.permissions import is_editor
from moderation.tasks import send_mail_task

# The outcome reasons stored on the InboundEmail row.
ANSWERED = "notice_answer"
UNPROVEN = "notice_answer_unproven"
DMARC_FAILED = "notice_answer_dmarc_fail"
NOT_EDITOR = "notice_answer_not_editor"
# Words editors write for a decision whose key reads otherwise (the issue's own).
ALIASES = {"pick": "feature", "name": "rename"}


@dataclass(frozen=True)
class LineResult:
    """What became of one line of an answer (for one comment, when it names one)."""

    line: str
    done: bool
    says: str


@dataclass(frozen=True)
class CommentState:
    number: int
    comment: Comment | None


def handle_notice_answer(
    *, row: InboundEmail, parsed: ParsedEmail, reading: Reading, token: str
) -> tuple[str, str]:
    """The pipeline's NOTICE_ANSWER handler: check, apply, answer the editor;
    returns the (outcome, reason) the pipeline stores on the row."""
    if not row.sender_proven:
        failed = row.auth_verdict.get("dmarc") == "fail"
        return InboundOutcome.REJECTED, DMARC_FAILED if failed else UNPROVEN
    editor = proven_editor(row.sender)
    if editor is None:
        return InboundOutcome.REJECTED, NOT_EDITOR
    try:
        notice = read_token(token).notice
    except TokenRefused as refused:
        _reply(row, editor, token="", refused=refused)
        return InboundOutcome.REJECTED, refused.reason
    results, states = apply_answer(notice=notice, editor=editor, text=reading.body)
    _reply(row, editor, token=token, notice=notice, results=results, states=states)
    return InboundOutcome.IGNORED, ANSWERED


def proven_editor(address: str) -> AbstractBaseUser | None:
    """The active editor whose account has this address (the first, if several)."""
    users = get_user_model().objects.filter(email__iexact=address, is_active=True)
    return next((u for u in users.order_by("pk") if is_editor(u)), None)


def apply_answer(
    *, notice: EditorNotice, editor: AbstractBaseUser, text: str
) -> tuple[list[LineResult], list[CommentState]]:
    """Apply each line of ``text`` to the notice's comments, in order."""
    ids = list(notice.comment_ids)
    # Locked in id order (no deadlock with another answer), for the whole
    # answer: nobody decides them between this check and the transitions.
    locked = Comment.objects.select_for_update().filter(pk__in=ids).order_by("pk")
    waiting = {c.pk for c in locked if c.status == CommentStatus.PENDING}
    lines, cut = answer_lines(text)
    results: list[LineResult] = []
    for line in lines:
        results.extend(_apply_line(line, ids, waiting, notice, editor))
    if cut:
        results.append(LineResult("…", False, "only the first lines were read"))
    if not lines:
        results.append(LineResult("", False, "no decision found in the answer"))
    found = Comment.objects.select_related("article").in_bulk(ids)
    states = [CommentState(n, found.get(pk)) for n, pk in enumerate(ids, start=1)]
    return results, states


def decision_key(word: str) -> str | None:
    """The table's decision a word names (its key, or an alias), or None: any
    decision of the table that ``apply_decision`` can make."""
    key = ALIASES.get(word, word)
    return key if key in decisions.MOVES else None


def _apply_line(
    line: AnswerLine,
    ids: list[int],
    waiting: set[int],
    notice: EditorNotice,
    editor: AbstractBaseUser,
) -> list[LineResult]:
    def refused(says: str) -> list[LineResult]:
        return [LineResult(line.text, False, says)]

    if not line.understood:
        return refused("not understood: a number, then a decision")
    key = decision_key(line.word)
    if key is None:
        return refused(f"“{line.word}” is not a decision ({words_help()})")
    if line.every:
        numbers = list(range(1, len(ids) + 1))
    elif line.numbers:
        numbers = list(line.numbers)
    elif len(ids) == 1:
        numbers = [1]
    else:
        return refused(f"which comment? Write its number (1 to {len(ids)}) first")
    results = []
    for number in numbers:
        if not 1 <= number <= len(ids):
            results.append(
                LineResult(line.text, False, f"this notice has no comment {number}")
            )
            continue
        results.append(
            _decide(line, number, ids[number - 1], key, waiting, notice, editor)
        )
    return results


def _decide(
    line: AnswerLine,
    number: int,
    pk: int,
    key: str,
    waiting: set[int],
    notice: EditorNotice,
    editor: AbstractBaseUser,
) -> LineResult:
    """One decision about one comment, or why not."""
    label = f"{number} (#{pk})"
    if pk not in waiting:
        return LineResult(line.text, False, f"{label}: {_since(pk, notice)}")
    comment = Comment.objects.filter(pk=pk).first()
    if comment is None:
        return LineResult(line.text, False, f"{label}: no longer exists")
    kind = decisions.kind(key)
    if not kind.allows(comment):
        return LineResult(line.text, False, f"{label}: {_not_allowed(kind, comment)}")
    if line.rest and not decisions.MOVES[key][1]:
        return LineResult(
            line.text, False, f"{label}: “{line.word}” takes nothing after it"
        )
    try:
        with transaction.atomic():
            done = t.apply_decision(
                action=key,
                comment=comment,
                editor=editor,
                note=line.rest,
                channel=Channel.EMAIL_REPLY,
            )
    except (t.InvalidTransition, ValidationError, DataError) as exc:
        return LineResult(line.text, False, f"{label}: not done ({_why(exc)})")
    return LineResult(line.text, True, f"{label}: {state_of(done)}")


def _since(pk: int, notice: EditorNotice) -> str:
    """Why a comment of the notice is left as it is: who decided it since."""
    comment = Comment.objects.filter(pk=pk).first()
    if comment is None:
        return "no longer exists"
    last = (
        Decision.objects.filter(comment_id=pk, at__gte=notice.sent_at)
        .select_related("editor")
        .order_by("-at", "-pk")
        .first()
    )
    who = ""
    if last is not None:
        name = last.editor.get_username() if last.editor else "the system"
        who = f" by {name}, {last.at:%d %b %H:%M}"
    return f"decided since the notice{who}; left as it is ({state_of(comment)})"


def _not_allowed(kind: decisions.Kind, comment: Comment) -> str:
    """Why the table doesn't allow ``kind`` for the comment as it is now."""
    if kind.needs_article and comment.article_id is None:
        return f"not done: {kind.label.lower()} needs an article (assign one first)"
    if kind.featured is not None and comment.featured != kind.featured:
        return f"not done: {kind.label.lower()} is not possible ({state_of(comment)})"
    return (
        f"not done: {kind.label.lower()} is not possible while "
        f"{comment.get_status_display().lower()}"
    )


def _why(exc: Exception) -> str:
    if isinstance(exc, ValidationError):
        return " ".join(exc.messages)
    if isinstance(exc, DataError):
        return "too long"
    return str(exc)


def state_of(comment: Comment) -> str:
    """A comment's state in words: "published, editor's pick · Best of the week"."""
    state = comment.get_status_display().lower()
    if comment.status == CommentStatus.PUBLISHED and comment.featured:
        state += f", {comment.pick_mark}"
    if comment.article_id is None:
        state += ", no article yet"
    return state


def words_help() -> str:
    """The words an answer may use, for the notice and the reply."""
    aliases = {key: word for word, key in ALIASES.items()}
    keys = [k.key for k in decisions.KINDS if k.key in decisions.MOVES]
    return ", ".join(f"{aliases[k]} ({k})" if k in aliases else k for k in keys)


def _reply(
    row: InboundEmail,
    editor: AbstractBaseUser,
    *,
    token: str,
    notice: EditorNotice | None = None,
    results: list[LineResult] | None = None,
    states: list[CommentState] | None = None,
    refused: TokenRefused | None = None,
) -> None:
    """One message to the proven editor, sent once the answer's outcome commits;
    answering it again reaches the same notice (until the token expires)."""
    results, states = results or [], states or []
    done = [r for r in results if r.done]
    context = {
        "notice": notice,
        "refused": refused,
        "expired": refused is not None and refused.reason.endswith("expired"),
        "answer_above": ANSWER_ABOVE,
        "answer_days": ANSWER_MAX_AGE.days,
        "done": done,
        "not_done": [r for r in results if not r.done],
        "states": [
            (s.number, s.comment, s.comment and state_of(s.comment)) for s in states
        ],
        "queue_url": settings.SITE_URL + reverse("admin:comments_comment_review"),
        "SITE_NAME": settings.SITE_NAME,
    }
    body = render_to_string("moderation/email/notice_answer_reply.txt", context)
    count = len(done)
    subject = (
        f"[{settings.SITE_NAME}] Your answer: "
        f"{count} decision{'s' if count != 1 else ''} made"
    )
    headers = {"In-Reply-To": f"<{row.message_id}>"} if row.message_id else {}
    if token:
        headers["Reply-To"] = notice_answer_address(token)
    transaction.on_commit(
        partial(send_mail_task.enqueue, subject, body, [editor.email], headers=headers)
    )
