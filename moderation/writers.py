"""The writer's decisions, registered as comments/writer.py's hooks (in
ModerationConfig.ready): comments offers the change on its receipt page,
moderation makes it through its transitions and keeps it in the decision log."""

from comments import writer
from comments.models import Comment
from moderation import decisions
from moderation import transitions as t
from moderation.models import Decision


def correct(*, comment: Comment, text: str) -> Comment:
    """comments/writer.py's CORRECT: the transition, its refusal as TooLate."""
    try:
        return t.correct_by_writer(comment=comment, text=text)
    except t.InvalidTransition as exc:
        raise writer.TooLate(str(exc)) from exc


def withdraw(*, comment: Comment) -> Comment:
    """comments/writer.py's WITHDRAW: the transition, its refusal as TooLate."""
    try:
        return t.withdraw_by_writer(comment=comment)
    except t.InvalidTransition as exc:
        raise writer.TooLate(str(exc)) from exc


def editors_decided(comment: Comment) -> bool:
    """Whether any decision about the comment is not the writer's own."""
    return (
        Decision.objects.filter(comment=comment)
        .exclude(action__in=decisions.by_the_writer())
        .exists()
    )


def withdrawn(comment: Comment) -> bool:
    """Whether the comment's latest decision is the writer's withdrawal."""
    return t.withdrawn_by_writer(comment)


def register() -> None:
    """Hand comments/writer.py the functions it calls."""
    writer.register(writer.CORRECT, correct)
    writer.register(writer.WITHDRAW, withdraw)
    writer.register(writer.EDITORS_DECIDED, editors_decided)
    writer.register(writer.WITHDRAWN, withdrawn)
