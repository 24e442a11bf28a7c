"""Our own email addresses: the one place that reads and builds them.

``COMMENTS_EMAIL_ADDRESS`` is the address readers write to. Its plus forms carry
a tag after the local part (RFC 5233 subaddressing): ``local+<article-slug>@domain``
routes a letter to an article, and ``local+n-<token>@domain`` is the address an
editors' notice asks answers at. ``DEFAULT_FROM_EMAIL`` and ``SERVER_EMAIL`` are
the addresses we send from; with the comments address and its plus forms they
are "ours", which the mail pipeline never takes a letter from (a loop).
Addresses compare case-insensitively: the local part is case-sensitive by the
letter of RFC 5321 §2.4, but no mail provider treats it so, nor do readers. A
tag keeps its case as written (a notice's signed token needs it).
"""

from __future__ import annotations

from email.utils import parseaddr
from urllib.parse import quote

from django.conf import settings

from blog.models import Article

# The tag of a notice answer's address: "n-" and the notice's signed token.
NOTICE_TAG_PREFIX = "n-"


def _split(address: str) -> tuple[str, str]:
    """(local part, lower-cased domain) of an address, display name dropped."""
    bare = parseaddr(address or "")[1].strip()
    local, _, domain = bare.rpartition("@")
    return (local, domain.lower()) if local and domain else ("", "")


def comments_address() -> str:
    """The address readers write to, bare and lower-cased ("" when unset)."""
    local, domain = _split(settings.COMMENTS_EMAIL_ADDRESS)
    return f"{local.lower()}@{domain}" if local else ""


def own_addresses() -> tuple[str, ...]:
    """Every address of ours: the comments address and those we send from."""
    values = (
        settings.COMMENTS_EMAIL_ADDRESS,
        settings.DEFAULT_FROM_EMAIL,
        settings.SERVER_EMAIL,
    )
    found = ("@".join(_split(v)).lower() for v in values)
    return tuple(dict.fromkeys(a for a in found if a != "@"))


def is_own_address(address: str) -> bool:
    """True for one of own_addresses() or a plus form of one."""
    local, domain = _split(address)
    if not local:
        return False
    for own in own_addresses():
        own_local, own_domain = _split(own)
        if domain == own_domain and local.partition("+")[0].lower() == own_local:
            return True
    return False


def plus_address(tag: str) -> str:
    """``local+tag@domain`` on the comments address."""
    local, domain = _split(settings.COMMENTS_EMAIL_ADDRESS)
    return f"{local}+{tag}@{domain}"


def plus_tag(address: str) -> str:
    """The tag of ``local+tag@domain`` when it is the comments address; else ""."""
    local, domain = _split(address)
    our_local, our_domain = _split(settings.COMMENTS_EMAIL_ADDRESS)
    base, plus, tag = local.partition("+")
    if not our_local or domain != our_domain or not plus:
        return ""
    return tag if base.lower() == our_local.lower() else ""


def our_recipient(recipients: list[str] | tuple[str, ...]) -> str:
    """The first of ``recipients`` that is a plus form of the comments address,
    else the comments address if among them, else ""."""
    tagged = next((a for a in recipients if plus_tag(a)), "")
    ours = comments_address()
    return tagged or (ours if ours and ours in recipients else "")


def notice_answer_address(token: str) -> str:
    """The address an editors' notice asks answers at: ``local+n-<token>@domain``."""
    return plus_address(NOTICE_TAG_PREFIX + token)


def notice_token(address: str) -> str:
    """The token of a notice answer's address; "" for any other address."""
    tag = plus_tag(address)
    return (
        tag.removeprefix(NOTICE_TAG_PREFIX) if tag.startswith(NOTICE_TAG_PREFIX) else ""
    )


def comments_address_for(article: Article) -> str:
    """The plus address that routes a reader's email to this article."""
    return plus_address(article.slug)


def mailto_for(article: Article) -> str:
    """A mailto: link whose address and subject both name the article."""
    subject = quote(f"[{article.slug}] {article.title}")
    return f"mailto:{comments_address_for(article)}?subject={subject}"
