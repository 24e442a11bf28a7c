"""Find the article an emailed comment is about.

Order (issue 4, EMAIL-SPEC §5), first hit wins:

1. a plus address ``<local part of COMMENTS_EMAIL_ADDRESS>+<slug>@<domain>``: the
   envelope recipient when the MTA passes it, else the recipient headers
   (X-Original-To, Delivered-To, ..., To, Cc; ``ParsedEmail.recipients``);
2. a ``[<slug>]`` token in the subject (our mailto: link puts one there);
3. a subject naming an article's title once reply/forward prefixes are gone
   ("Re: AI Is Not Open-Source"); exact match after case, whitespace and NFC
   normalisation, never fuzzy.

An explicit address beats the subject: readers reuse old threads for new
articles, but the address is what they (or our mailto: link) chose. Only
published articles route; a slug naming a draft or nothing falls through to
the next method, and an unrouted comment waits for an editor to assign it.
"""

from __future__ import annotations

import re
import unicodedata

from blog.models import Article
from comments.addressing import plus_tag
from comments.mail.parsing import ParsedEmail

ROUTED_BY_PLUS_ADDRESS = "routed_by_plus_address"
ROUTED_BY_SUBJECT_TOKEN = "routed_by_subject_token"
ROUTED_BY_SUBJECT_TITLE = "routed_by_subject_title"
UNROUTED = "unrouted"

# Slug characters (Django's SlugField, Unicode-free).
_SUBJECT_TOKEN = re.compile(r"\[([A-Za-z0-9_-]+)\]")
# Reply and forward prefixes, possibly repeated ("Re: Fwd: AW: ..."), numbered
# ("Re[2]:", "RE^2:") or full-width (CJK clients). Zulip strip_from_subject
# covers RE/AW/FWD/FW; the others are the localized forms clients really send.
_REPLY_PREFIX = re.compile(
    r"^\s*(?:re|fwd?|aw|wg|sv|vs|antw|tr|rif|r|ref|res|enc|odp|vl|vá|továbbítás"
    r"|回复|回覆|答复|转发|轉寄)\s*(?:\[\d+\]|\^\d+|\(\d+\))?\s*[:：]\s*",
    re.I,
)
# A bracketed tag in front ("[tech] Re: ..."): mailing lists and our own token.
_LEADING_TAG = re.compile(r"^\s*\[[^\]]*\]\s*")


def route(parsed: ParsedEmail, *, recipient: str = "") -> tuple[Article | None, str]:
    """(published article | None, reason) for an email comment."""
    article = by_plus_address([recipient, *parsed.recipients])
    if article is not None:
        return article, ROUTED_BY_PLUS_ADDRESS
    article = by_subject_token(parsed.subject)
    if article is not None:
        return article, ROUTED_BY_SUBJECT_TOKEN
    article = by_subject_title(parsed.subject)
    if article is not None:
        return article, ROUTED_BY_SUBJECT_TITLE
    return None, UNROUTED


def by_plus_address(addresses: list[str]) -> Article | None:
    """The published article named by the first of our plus addresses."""
    for address in addresses:
        tag = plus_tag(address) if address else ""
        if tag:
            article = Article.objects.published().filter(slug__iexact=tag).first()
            if article is not None:
                return article
    return None


def by_subject_token(subject: str) -> Article | None:
    """The published article of the first ``[slug]`` token that names one."""
    tokens = [t.lower() for t in _SUBJECT_TOKEN.findall(subject or "")]
    if not tokens:
        return None
    found = {
        a.slug.lower(): a for a in Article.objects.published().filter(slug__in=tokens)
    }
    return next((found[t] for t in tokens if t in found), None)


def by_subject_title(subject: str) -> Article | None:
    """The published article whose title is the subject, prefixes stripped."""
    wanted = normalize_title(strip_subject_prefixes(subject or ""))
    if not wanted:
        return None
    # Titles are few (a blog, not a forum) and the comparison must use the
    # same Unicode normalisation on both sides, so compare in Python.
    titles = Article.objects.published().values_list("pk", "title")
    pk = next((pk for pk, title in titles if normalize_title(title) == wanted), None)
    return Article.objects.get(pk=pk) if pk is not None else None


def strip_subject_prefixes(subject: str) -> str:
    """The subject without "Re:", "Fwd:", "AW:", ... and leading [tags]."""
    previous = None
    while previous != subject:
        previous = subject
        subject = _REPLY_PREFIX.sub("", subject, count=1)
        subject = _LEADING_TAG.sub("", subject, count=1)
    return subject.strip()


def normalize_title(text: str) -> str:
    """NFC, case-folded, whitespace runs as one space."""
    return " ".join(unicodedata.normalize("NFC", text).casefold().split())
