"""The editors' decisions: one row each, read by every screen that offers or names one.

A row says what a decision is called and when it may be made: its key (what
`Decision.action` stores, what the admin's `_<key>` buttons, the review form and the
emailed links send), its button label, its past tense (the messages, the decision
log, undo), the statuses it is allowed from, whether it needs an article, its key
on the review screen, how undo takes it back, and where it is offered (the admin's
comment page and bulk actions, the notice email's links). The admin, the review
screen, the links, `Action` (the log's choices) and undo all read this table; no
screen writes a label or a "which buttons for this status" rule of its own.

Adding a decision is one row and one function:

1. Add a `Kind(...)` row to `KINDS` below (and a migration: the key joins
   `Decision.action`'s choices and its check constraint).
2. Write its transition in moderation/transitions.py, keyword-only and atomic,
   decorated with `@decides("<key>", note="<keyword that takes the note>")`; it
   records a Decision with `action=<key>` through `_finish`. Nothing else:
   `apply_decision(action="<key>", comment=..., editor=..., note=...)` then applies
   it, and every screen whose flag the row sets offers it.

This module is data only (no transitions import), so `moderation.models` can build
`Action` from it; transitions.py binds each row's function with `@decides`.
"""

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Protocol

from comments.models import CommentStatus

S = CommentStatus
ANY_STATUS = tuple(S.values)
# Undo of a status move: the decision that puts the comment back where it was.
BACK = "back"
# Undo of an edit: the text as it was before (kept in Decision.previous_text).
RESTORE = "restore"


class _Commentish(Protocol):
    status: str
    featured: bool
    article_id: int | None
    reply_text: str


@dataclass(frozen=True)
class Kind:
    """One decision. `key` is what `Decision.action` stores."""

    key: str
    label: str  # the button: "Mark as spam"
    done: str  # the past tense, everywhere it is named: "Marked as spam"
    allowed_from: tuple[str, ...] = ()  # statuses it may be made from
    needs_article: bool = False
    featured: bool | None = None  # only when (True) / unless (False) a pick
    replied: bool | None = None  # only when (True) / unless (False) it has a reply
    to_status: str = ""  # the status it moves to (undo's "back" finds it here)
    review_key: str = ""  # its key on the review screen ("" = not offered there)
    undo: str = ""  # BACK, RESTORE, the key of its inverse, or "" (can't be undone)
    # What the button did when its transition writes more than this one Decision
    # (publish and feature writes publish + feature); "" means `done`.
    outcome: str = ""
    writes: tuple[str, ...] = ()  # the decisions one press records, in order
    admin_button: bool = False  # a button on the comment's admin page
    bulk: str = ""  # the admin bulk action's description ("" = no bulk action)
    email_link: bool = False  # a signed link in the editors' notice email

    @property
    def said(self) -> str:
        """What one press of the button did ("Published and featured")."""
        return self.outcome or self.done

    def allows(self, comment: _Commentish) -> bool:
        """Whether this decision can be made about `comment` in its current state."""
        return (
            comment.status in self.allowed_from
            and (not self.needs_article or comment.article_id is not None)
            and (self.featured is None or bool(comment.featured) == self.featured)
            and (self.replied is None or bool(comment.reply_text) == self.replied)
        )


KINDS: tuple[Kind, ...] = (
    Kind(
        "publish",
        label="Publish",
        done="Published",
        allowed_from=(S.PENDING, S.REJECTED, S.SPAM),
        needs_article=True,
        to_status=S.PUBLISHED,
        review_key="p",
        undo=BACK,
        admin_button=True,
        bulk="Publish selected comments",
        email_link=True,
    ),
    Kind(
        "feature",
        label="Publish and feature",
        done="Featured",
        outcome="Published and featured",
        allowed_from=ANY_STATUS,
        needs_article=True,
        featured=False,
        review_key="f",
        undo="unfeature",
        writes=("publish", "feature"),
        admin_button=True,
        bulk="Publish and feature as editor’s picks",
        email_link=True,
    ),
    Kind(
        "reject",
        label="Reject",
        done="Rejected",
        allowed_from=(S.PENDING, S.PUBLISHED, S.SPAM),
        to_status=S.REJECTED,
        review_key="r",
        undo=BACK,
        admin_button=True,
        bulk="Reject selected comments",
        email_link=True,
    ),
    Kind(
        "spam",
        label="Mark as spam",
        done="Marked as spam",
        allowed_from=(S.PENDING, S.PUBLISHED, S.REJECTED),
        to_status=S.SPAM,
        review_key="s",
        undo=BACK,
        admin_button=True,
        bulk="Mark selected comments as spam",
        email_link=True,
    ),
    Kind(
        "pending",
        label="Back to pending",
        done="Returned to pending",
        allowed_from=(S.PUBLISHED, S.REJECTED, S.SPAM),
        to_status=S.PENDING,
        undo=BACK,
        admin_button=True,
        bulk="Send selected back to pending",
    ),
    Kind(
        "unfeature",
        label="Unfeature",
        done="Unfeatured",
        allowed_from=(S.PUBLISHED,),
        featured=True,
        undo="feature",
    ),
    Kind(
        "edit",
        label="Edit and publish",
        done="Edited",
        outcome="Edited and published",
        allowed_from=ANY_STATUS,
        needs_article=True,  # on the review screen it publishes too
        review_key="e",
        undo=RESTORE,
        writes=("edit", "publish"),
    ),
    # The writer's own decisions (comments/writer.py), from the receipt page while
    # the comment waits: offered on no editor's screen, and not for undo (the
    # comment is the writer's to change only until an editor decides).
    Kind(
        "correct",
        label="Correct my comment",
        done="Corrected by the writer",
        allowed_from=(S.PENDING,),
    ),
    Kind(
        "withdraw",
        label="Withdraw my comment",
        done="Withdrawn by the writer",
        allowed_from=(S.PENDING,),
        to_status=S.REJECTED,
    ),
    Kind(
        "rename",
        label="Use this name",
        done="Renamed",
        allowed_from=ANY_STATUS,
        review_key="a",  # the name the sender gave, in one key
        undo=RESTORE,
    ),
    # The editors' answer under a letter. Like "feature", one press publishes the
    # comment first when it waits (the review screen's "publish with a reply").
    Kind(
        "reply",
        label="Publish with a reply",
        done="Replied",
        outcome="Published with an editors’ reply",
        allowed_from=ANY_STATUS,
        needs_article=True,
        replied=False,
        review_key="w",
        undo="remove_reply",
        writes=("publish", "reply"),
    ),
    Kind(
        "edit_reply",
        label="Change the reply",
        done="Reply edited",
        allowed_from=(S.PUBLISHED,),
        replied=True,
        undo=RESTORE,
    ),
    Kind(
        "remove_reply",
        label="Remove the reply",
        done="Reply removed",
        allowed_from=(S.PUBLISHED,),
        replied=True,
        undo="reply",
        admin_button=True,
    ),
    Kind("assign", label="Assign to an article", done="Assigned to an article"),
    Kind("erase", label="Erase the commenter", done="Commenter erased"),
    Kind("import", label="Import", done="Imported"),
)
BY_KEY: dict[str, Kind] = {k.key: k for k in KINDS}


def kind(key: str) -> Kind:
    """The row for `key`; KeyError for a key that is no decision."""
    return BY_KEY[key]


def past_tense(key: str) -> str:
    """The decision's past tense ("Marked as spam"); an unknown key as it is."""
    return BY_KEY[key].done if key in BY_KEY else key


def allowed(comment: _Commentish, where: str | None = None) -> list[Kind]:
    """The decisions `comment`'s state allows, in table order; with `where`
    ("admin_button", "email_link", "review_key", "bulk"), only those offered there."""
    return [k for k in offered(where) if k.allows(comment)]


def offered(where: str | None = None) -> list[Kind]:
    """The decisions offered on one screen (see `allowed`), in table order."""
    return [k for k in KINDS if where is None or getattr(k, where)]


def undo_for_status(status: str) -> str:
    """The key of the decision that moves a comment back to `status`."""
    for k in KINDS:
        if k.undo == BACK and k.to_status == status:
            return k.key
    raise KeyError(status)


def by_the_writer() -> list[str]:
    """The keys of the writer's own decisions (not an editor's)."""
    return ["correct", "withdraw"]


def undoable() -> list[str]:
    """The keys of the decisions undo can take back."""
    return [k.key for k in KINDS if k.undo]


def compounds() -> dict[tuple[str, ...], Kind]:
    """The decision pairs one press records, mapped to the row that pressed."""
    return {k.writes: k for k in KINDS if k.writes}


# The transition of each decision that `apply_decision` can make, with the keyword
# its note goes to ("note", "reason", "label"). Filled by `decides` in transitions.
MOVES: dict[str, tuple[Callable, str]] = {}


def decides(key: str, *, note: str | None = "note") -> Callable[[Callable], Callable]:
    """Bind a transition to its row: `apply_decision(action=key, ...)` calls it,
    passing the decision's note as the keyword `note` (None: it takes no note)."""
    if key not in BY_KEY:
        raise KeyError(f"no row for decision {key!r} in moderation/decisions.py")

    def bind(move: Callable) -> Callable:
        MOVES[key] = (move, note or "")
        return move

    return bind


def choices(kinds: Iterable[Kind] = KINDS) -> list[tuple[str, str]]:
    """(key, past tense) pairs: the decision log's choices."""
    return [(k.key, k.done) for k in kinds]
