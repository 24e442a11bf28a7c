"""The review screen's workings: which comment, its context, the decision, undo.

The view in moderation/views.py stays HTTP only; everything it shows or does about
comments is here, through queryset methods and the transitions.
"""

from dataclasses import dataclass
from datetime import date, timedelta
from types import SimpleNamespace
from urllib.parse import urlencode

from django.contrib.auth.models import AbstractBaseUser
from django.db import transaction
from django.db.models import (
    Case,
    Count,
    Exists,
    IntegerField,
    OuterRef,
    QuerySet,
    Subquery,
    Sum,
    Value,
    When,
)
from django.http import QueryDict

from comments.models import (
    Comment,
    CommentSource,
    CommentStatus,
    earlier_than,
    later_than,
)
from comments.names import suggested_name
from moderation import decisions, search
from moderation import transitions as t
from moderation.forms import parse_id
from moderation.history import earlier_letters
from moderation.models import Action, Decision
from moderation.pagination import count_cap

S = CommentStatus
DMARC = dict(search.DMARC_RESULTS)
HISTORY_LIMIT = 20
# One key that writes two decisions ("f": publish + feature, "e": edit + publish)
# is one step for undo, if the two were written this close together.
COMPOUND_WINDOW = timedelta(seconds=10)
OPENING_LENGTH = 40  # characters of a comment's text that say which one it was


@dataclass(frozen=True)
class ReviewFilters:
    """The list filters the screen carries through every link and form."""

    article: int | None = None
    source: str = ""
    unrouted: bool = False
    # Search and the filters beside it (moderation/search.py).
    q: str = ""
    dmarc: str = ""
    since: date | None = None
    until: date | None = None

    @classmethod
    def from_query(cls, query: QueryDict) -> "ReviewFilters":
        source = query.get("source", "")
        return cls(
            article=parse_id(query.get("article")),
            source=source if source in CommentSource.values else "",
            unrouted=query.get("unrouted") == "1",
            q=query.get("q", "").strip()[:200],
            dmarc=query.get("dmarc", "") if query.get("dmarc") in DMARC else "",
            since=search.parse_day(query.get("since")),
            until=search.parse_day(query.get("until")),
        )

    def apply(self, queryset: QuerySet) -> QuerySet:
        if self.unrouted:
            queryset = queryset.unrouted()
        elif self.article is not None:
            queryset = queryset.for_article(self.article)
        if self.source:
            queryset = queryset.filter(source=self.source)
        if self.dmarc:
            queryset = search.with_dmarc(queryset, self.dmarc)
        queryset = search.submitted_between(queryset, self.since, self.until)
        # In queue order, not by relevance: next and previous walk the queue.
        return queryset.search(self.q) if self.q else queryset

    def query_string(self, **extra: object) -> str:
        """The filters (plus `extra`, e.g. c=<pk>) as a query string, no '?'."""
        params: dict[str, object] = {}
        if self.article is not None and not self.unrouted:
            params["article"] = self.article
        if self.source:
            params["source"] = self.source
        if self.unrouted:
            params["unrouted"] = 1
        for name in ("q", "dmarc", "since", "until"):
            if getattr(self, name):
                params[name] = getattr(self, name)
        params.update({k: v for k, v in extra.items() if v is not None})
        return urlencode(params)

    @property
    def active(self) -> bool:
        return bool(
            self.article is not None
            or self.source
            or self.unrouted
            or self.q
            or self.dmarc
            or self.since
            or self.until
        )


def review_queue(filters: ReviewFilters) -> QuerySet:
    """Pending comments under the filters, oldest first."""
    return filters.apply(
        Comment.objects.awaiting_review().select_related("article", "inbound_email")
    )


def next_after(queue: QuerySet, comment: Comment) -> Comment | None:
    """The pending comment after `comment` (which may itself be decided by now)."""
    return queue.filter(later_than(comment)).first()


# The row being read, inside a subquery: earlier_than/later_than read these two.
THIS_ROW = SimpleNamespace(submitted_at=OuterRef("submitted_at"), pk=OuterRef("pk"))


def _with_neighbours(queue: QuerySet) -> QuerySet:
    """The queue's comments with their neighbours' ids (`previous_id`, `next_id`):
    two index probes in the query that fetches the comment."""
    previous = queue.filter(earlier_than(THIS_ROW)).order_by("-submitted_at", "-pk")
    return queue.annotate(
        previous_id=Subquery(previous.values("pk")[:1]),
        next_id=Subquery(queue.filter(later_than(THIS_ROW)).values("pk")[:1]),
    )


def current_comment(queue: QuerySet, wanted: str | None) -> Comment | None:
    """The comment asked for if it still waits, else the next one, else the oldest,
    with its neighbours' ids (one query when it still waits, the usual case)."""
    here = _with_neighbours(queue)
    pk = parse_id(wanted)
    if pk is not None:
        found = here.filter(pk=pk).first()
        if found is not None:
            return found
        asked = Comment.objects.filter(pk=pk).first()
        if asked is not None:
            found = next_after(here, asked)
            if found is not None:
                return found
    return here.first()


@dataclass
class Position:
    """Where the comment stands. Counts stop at the count cap: past it the screen
    says "more than 1,000" (the cap) rather than count or guess on every key press."""

    number: int
    total: int
    previous: int | None
    next: int | None
    cap: int

    @property
    def more_than_cap(self) -> bool:
        return self.total > self.cap

    @property
    def past_cap(self) -> bool:
        return self.number > self.cap


def position_in(queue: QuerySet, comment: Comment) -> Position:
    """Where `comment` (from current_comment) stands, in one LIMITed walk of the
    queue's index: the count cap's worth of the head of the queue, counted."""
    cap = count_cap()
    is_before = Case(
        When(earlier_than(comment), then=Value(1)),
        default=Value(0),
        output_field=IntegerField(),
    )
    head = (
        queue.annotate(is_before=is_before).values("is_before")[: cap + 1]
    ).aggregate(total=Count("*"), before=Sum("is_before"))
    number = (head["before"] or 0) + 1
    return Position(
        number=number,
        total=max(head["total"], number),
        previous=comment.previous_id,
        next=comment.next_id,
        cap=cap,
    )


def commenter_history(comment: Comment) -> list[Comment]:
    """The commenter's earlier comments, both channels, newest first, with the last
    decision on each (as `last_action`, `last_editor`, `last_at`) and what matched
    (`matched_by`: "address" or "IP").

    Matched by email address; web comments also by IP address, but only within the
    retention period: after it, IPs are personal data we no longer hold. Only
    earlier ones: what came later is not this comment's history.
    """
    matched_by = (
        Case(
            When(author_email__iexact=comment.author_email, then=Value("address")),
            default=Value("IP"),
        )
        if comment.author_email
        else Value("IP")
    )
    last = Decision.objects.filter(comment=OuterRef("pk")).order_by("-at", "-pk")
    history = list(
        earlier_letters(comment)
        .select_related("article")
        .annotate(
            matched_by=matched_by,
            last_action=Subquery(last.values("action")[:1]),
            last_editor=Subquery(last.values("editor__username")[:1]),
            last_at=Subquery(last.values("at")[:1]),
        )[:HISTORY_LIMIT]
    )
    for earlier in history:
        earlier.last_action = decisions.past_tense(earlier.last_action or "")
    return history


def auth_rows(comment: Comment) -> list[tuple[str, str]]:
    """SPF/DKIM/DMARC as our receiving server recorded them; 'not verified' when
    it recorded nothing (no AUTHSERV_ID, or no header from our server)."""
    email = comment.inbound_email
    verdict = email.auth_verdict if email is not None else {}
    rows = []
    for method in ("spf", "dkim", "dmarc"):
        value = (verdict or {}).get(method, "unknown")
        rows.append((method.upper(), "not verified" if value == "unknown" else value))
    return rows


def whose(comment: Comment) -> str:
    """'Mara's comment “Weights without the training…”': which one, for a person
    (the editors' messages; "#4" told them nothing)."""
    words = " ".join(comment.public_text.split())
    if len(words) > OPENING_LENGTH:
        words = words[:OPENING_LENGTH].rsplit(" ", 1)[0].rstrip(",.;:") + "…"
    name = comment.author_name.strip()
    if name and name != "Anonymous":
        who = f"{name}’s comment"
    elif comment.author_email:  # emailed ones stay "Anonymous" unless named
        who = f"the comment from {comment.author_email}"
    else:
        who = "an anonymous comment"
    return f"{who} “{words}”"


def buttons(comment: Comment | None) -> dict[str, dict]:
    """The screen's decision buttons by key: label, keyboard key, and whether the
    comment's state allows it (a disallowed one is shown disabled)."""
    if comment is None:
        return {}
    return {
        k.key: {"label": k.label, "key": k.review_key, "enabled": k.allows(comment)}
        for k in decisions.offered("review_key")
    }


def said(key: str, comment: Comment, note: str = "") -> str:
    """What the screens say once decision `key` is made about `comment`."""
    return f"{decisions.kind(key).said}: {whose(comment)}" + (
        f" ({note})." if note else "."
    )


@transaction.atomic
def decide(
    *,
    comment: Comment,
    editor: AbstractBaseUser,
    action: str,
    label: str = "",
    reason: str = "",
    text: str = "",
    name: str = "",
    reply: str = "",
    tell_writer: bool = False,
) -> str:
    """Apply one of the screen's decisions; return what was done, for a message.

    Raises InvalidTransition (rolling everything back) when it can't be done.
    With tell_writer, a rejection's reason goes to a proven writer.
    """
    if action == Action.EDIT:
        if text.strip() != comment.public_text.strip():
            comment = t.edit_comment(comment=comment, editor=editor, text=text)
        comment = t.publish_comment(comment=comment, editor=editor)
        return said(action, comment)  # as it now reads
    if action not in buttons(comment):
        raise ValueError(f"unknown review action {action!r}")
    note = {
        Action.FEATURE: label,
        Action.REJECT: reason,
        Action.RENAME: name,
        Action.REPLY: reply,
    }.get(action, "")
    if action == Action.REJECT and tell_writer:
        t.reject_comment(comment=comment, editor=editor, reason=note, tell_writer=True)
        return said(action, comment, f"{note}; sent to the writer")
    comment = t.apply_decision(action=action, comment=comment, editor=editor, note=note)
    return said(action, comment, "" if action == Action.REPLY else note)


def name_choice(comment: Comment | None) -> str:
    """The name the sender gave, for the rename key (none once it is shown)."""
    return suggested_name(comment) if comment is not None else ""


def last_step(editor: AbstractBaseUser, *, skip: set[int]) -> list[Decision]:
    """The editor's most recent decision that can still be undone (oldest first
    when one key wrote two decisions), skipping decisions that undid others.

    One query: each of the editor's recent decisions comes with whether the
    comment changed since, and the decision just before it (a compound's first).
    """
    same_comment = Decision.objects.filter(comment_id=OuterRef("comment_id"))
    before = same_comment.filter(pk__lt=OuterRef("pk")).order_by("-pk")
    recent = (
        Decision.objects.filter(editor=editor, action__in=decisions.undoable())
        .exclude(note="undo")
        .select_related("comment")
        .annotate(
            changed_since=Exists(same_comment.filter(pk__gt=OuterRef("pk"))),
            before_id=Subquery(before.values("pk")[:1]),
            before_action=Subquery(before.values("action")[:1]),
            before_editor=Subquery(before.values("editor_id")[:1]),
            before_at=Subquery(before.values("at")[:1]),
        )
        .order_by("-at", "-pk")[:25]
    )
    for decision in recent:
        if decision.pk in skip or decision.changed_since:
            continue  # someone (or an undo) changed it since: not the last step
        if decision.comment.status != decision.to_status:
            continue
        if (
            decision.before_id is not None
            and decision.before_editor == editor.pk
            and (decision.before_action, decision.action) in decisions.compounds()
            and decision.at - decision.before_at <= COMPOUND_WINDOW
            and decision.before_id not in skip
        ):
            return [Decision.objects.get(pk=decision.before_id), decision]
        return [decision]
    return []


def describe_step(step: list[Decision]) -> str:
    """'Published and featured (Mara's comment “Weights…”)', for the undo button."""
    if not step:
        return ""
    pressed = decisions.compounds().get(tuple(d.action for d in step))
    text = pressed.said if pressed else decisions.past_tense(step[-1].action)
    return f"{text} ({whose(step[-1].comment)})"  # loaded with its comment


@transaction.atomic
def undo_step(*, step: list[Decision], editor: AbstractBaseUser) -> list[int]:
    """Undo a step (latest decision first); return the new decisions' ids."""
    latest, *earlier = reversed(step)
    comment = t.undo_decision(decision=latest, editor=editor)
    for decision in earlier:
        comment = t.undo_part(decision=decision, editor=editor)
    first_new = (
        Decision.objects.filter(comment=comment, pk__gt=step[-1].pk)
        .order_by("pk")
        .values_list("pk", flat=True)
    )
    return list(first_new)
