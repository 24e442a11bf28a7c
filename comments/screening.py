"""Spam rules: each new comment gets a score and human-readable reasons.

Soft signals (a fast post, one suspect term, a busy IP, a few links) add a little;
only a filled honeypot or a blocked term can reach the threshold on its own. Nothing
is deleted: spam is stored as spam, and editors can rescue it.
"""

import hashlib
import re
from dataclasses import dataclass, field
from datetime import timedelta

from django.conf import settings
from django.core.cache import cache
from django.db import transaction

from comments.models import SpamTerm, SpamTermKind
from comments.ratelimit import count_hit

HARD = 100  # reaches any sane threshold on its own
SOFT = 4  # below the default threshold of 10, alone or in a pair
DUPLICATE_WINDOW = timedelta(days=7)
BUSY_IP_WINDOW = timedelta(minutes=10)
BUSY_IP_COUNT = 5  # earlier comments; the next one gets the signal
MIN_HUMAN_SECONDS = 3
MANY_LINKS = 10
SPAM_TERMS_KEY = "comments:spam-terms"
SPAM_TERMS_TIMEOUT = 300
_URL = re.compile(r"(?:https?://|www\.)\S+", re.IGNORECASE)


@dataclass(frozen=True)
class Signals:
    """What the channel knows beyond the text (web: honeypot and timing)."""

    honeypot_filled: bool = False
    seconds_to_submit: float | None = None
    extra: tuple[tuple[int, str], ...] = ()  # (points, reason), e.g. DMARC fail


@dataclass
class Verdict:
    score: int = 0
    reasons: list[str] = field(default_factory=list)

    def add(self, points: int, reason: str) -> None:
        self.score += points
        self.reasons.append(reason)

    @property
    def is_spam(self) -> bool:
        return self.score >= settings.SPAM_THRESHOLD


def content_hash(text: str) -> str:
    """Hash of the text with case and spacing folded, for the duplicate rule."""
    return hashlib.sha256(" ".join(text.lower().split()).encode()).hexdigest()


def spam_terms() -> list[tuple[str, str]]:
    """The editors' (kind, term) lists, kept in the shared cache between changes.

    Every post reads them; editors change them rarely. A change deletes the
    entry (forget_spam_terms); the timeout bounds the one race left, a post that
    read the old lists just before a change and stored them just after.
    """
    return cache.get_or_set(
        SPAM_TERMS_KEY,
        lambda: list(SpamTerm.objects.values_list("kind", "term")),
        timeout=SPAM_TERMS_TIMEOUT,
    )


def forget_spam_terms(**kwargs: object) -> None:
    """A SpamTerm was saved or deleted: read the lists afresh (after the commit)."""
    transaction.on_commit(lambda: cache.delete(SPAM_TERMS_KEY))


def _matching_terms(text: str) -> dict[str, list[str]]:
    """The editors' blocked and suspect terms found in the text."""
    lowered = text.lower()
    found: dict[str, list[str]] = {SpamTermKind.BLOCKED: [], SpamTermKind.SUSPECT: []}
    for kind, term in spam_terms():
        if term.lower() in lowered:
            found[kind].append(term)
    return found


def posts_from_ip(ip_address: str | None) -> int:
    """Count this comment against its address; returns the address's comments in
    the current BUSY_IP_WINDOW, this one included (a counter in the shared cache,
    like the rate limit's; 0 without an address or a reachable cache)."""
    if not ip_address:
        return 0
    return count_hit("busy-ip", ip_address, int(BUSY_IP_WINDOW.total_seconds()))


def screen(
    *,
    text: str,
    author_name: str,
    ip_address: str | None,
    same_text_recently: bool,
    signals: Signals,
) -> Verdict:
    """Score a new comment against the rules.

    same_text_recently: a comment with the same text arrived in the last
    DUPLICATE_WINDOW (intake looks them up for its repeat rule anyway).
    """
    verdict = Verdict()
    if signals.honeypot_filled:
        verdict.add(HARD, "A hidden field only robots see was filled in.")
    combined = f"{author_name}\n{text}"
    terms = _matching_terms(combined)
    for term in terms[SpamTermKind.BLOCKED]:
        verdict.add(HARD, f"Contains the blocked term “{term}”.")
    for term in terms[SpamTermKind.SUSPECT]:
        verdict.add(3, f"Contains the suspect term “{term}”.")
    links = len(_URL.findall(text))
    if links >= MANY_LINKS:  # link spam, whatever else the comment says
        verdict.add(HARD, f"{links} links.")
    elif links >= 6:
        verdict.add(8, f"{links} links.")
    elif links >= 3:
        verdict.add(SOFT, f"{links} links.")
    if (
        signals.seconds_to_submit is not None
        and signals.seconds_to_submit < MIN_HUMAN_SECONDS
    ):
        verdict.add(
            SOFT, f"Sent {signals.seconds_to_submit:.1f} s after the page loaded."
        )
    if same_text_recently:
        verdict.add(6, "Same text as a comment from the last 7 days.")
    posts = posts_from_ip(ip_address)
    if posts > BUSY_IP_COUNT:
        verdict.add(SOFT, f"{posts} comments from this IP in 10 minutes.")
    for points, reason in signals.extra:
        verdict.add(points, reason)
    return verdict
