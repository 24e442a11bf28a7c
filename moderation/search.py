"""Finding letters on the editors' desk: search and the filters beside it, shared by
the admin's comment list and the review screen.

The search itself is the comments' (CommentQuerySet.search: the database's
full-text index); here are what the desk adds: the DMARC and date filters, the
article choices, and the matched words marked in a list's excerpt.
"""

import re
from datetime import date, datetime, time, timedelta

from django.db.models import Exists, OuterRef, QuerySet
from django.utils import timezone
from django.utils.html import escape, format_html
from django.utils.safestring import SafeString, mark_safe

from blog.models import Article
from comments.models import Comment
from comments.search import words

# What a receiving server records for DMARC (RFC 8601 §2.7.1), and "none
# recorded" for web comments and mail our server said nothing about.
DMARC_RESULTS = (
    ("pass", "pass"),
    ("fail", "fail"),
    ("none", "none (no policy)"),
    ("unverified", "not verified"),
)
# The review screen's article menu: the newest articles with letters waiting. A
# menu of every article would grow with the site; the admin list's filter and the
# article's own page reach the others.
ARTICLE_CHOICES = 50
EXCERPT = 60


def with_dmarc(queryset: QuerySet, result: str) -> QuerySet:
    """Comments whose email had this DMARC result ("unverified": none recorded)."""
    if result == "unverified":
        return queryset.exclude(
            inbound_email__auth_verdict__dmarc__in=["pass", "fail", "none"]
        )
    if result in dict(DMARC_RESULTS):
        return queryset.filter(inbound_email__auth_verdict__dmarc=result)
    return queryset.none()


def submitted_between(
    queryset: QuerySet, since: date | None, until: date | None
) -> QuerySet:
    """Comments submitted from `since` to `until`, both days included."""
    if since is not None:
        queryset = queryset.submitted_since(_start_of(since))
    if until is not None:
        queryset = queryset.submitted_before(_start_of(until + timedelta(days=1)))
    return queryset


def _start_of(day: date) -> datetime:
    return timezone.make_aware(datetime.combine(day, time.min))


def parse_day(value: object) -> date | None:
    """A YYYY-MM-DD day from a query parameter, or None."""
    try:
        return date.fromisoformat(value) if isinstance(value, str) else None
    except ValueError:
        return None


def newest_waiting_articles() -> QuerySet:
    """The review screen's article menu: the newest articles with letters waiting
    (stops after ARTICLE_CHOICES: one index probe each); moderation/menus.py keeps
    it."""
    waiting = Comment.objects.awaiting_review().filter(article=OuterRef("pk"))
    return Article.objects.filter(Exists(waiting)).order_by("-published_at", "-pk")[
        :ARTICLE_CHOICES
    ]


def highlight(text: str, query: str, width: int = EXCERPT) -> SafeString:
    """`text` cut to `width` around the first word of `query` it has, with every
    such word marked (<mark>); escaped, so safe to show."""
    text = " ".join(text.split())
    pattern = _words_pattern(query)
    found = pattern.search(text) if pattern else None
    start = 0
    if found and found.start() > width // 3:
        start = text.rfind(" ", 0, found.start() - width // 4) + 1
    end = start + width
    shown = text[start:end]
    if end < len(text):
        shown = shown[: shown.rfind(" ")] if " " in shown else shown
    # Marked on the text, escaped piece by piece (never a mark inside "&amp;").
    pieces, at = [], 0
    for word in pattern.finditer(shown) if pattern else ():
        pieces += [escape(shown[at : word.start()]), f"<mark>{escape(word[0])}</mark>"]
        at = word.end()
    marked = "".join([*pieces, escape(shown[at:])])
    before = "…" if start else ""
    after = "…" if start + len(shown) < len(text) else ""
    return format_html("{}{}{}", before, mark_safe(marked), after)


def _words_pattern(query: str) -> re.Pattern | None:
    # A search finds stems ("checkers" for "checker"): mark the word it begins.
    stems = sorted({_stem(w) for w in words(query) if w}, key=len, reverse=True)
    if not stems:
        return None
    alternatives = "|".join(re.escape(stem) for stem in stems)
    return re.compile(rf"\b(?:{alternatives})\w*", re.IGNORECASE)


def _stem(word: str) -> str:
    for suffix in ("ing", "es", "ed", "s"):
        if word.endswith(suffix) and len(word) - len(suffix) >= 3:
            return word[: -len(suffix)]
    return word
