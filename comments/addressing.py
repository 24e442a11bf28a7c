"""The blog's comments address and the per-article plus addresses readers write to."""

from urllib.parse import quote

from django.conf import settings

from blog.models import Article


def comments_address_for(article: Article) -> str:
    """The plus address that routes a reader's email to this article."""
    local, _, domain = settings.COMMENTS_EMAIL_ADDRESS.partition("@")
    return f"{local}+{article.slug}@{domain}"


def mailto_for(article: Article) -> str:
    """A mailto: link whose address and subject both name the article."""
    subject = quote(f"[{article.slug}] {article.title}")
    return f"mailto:{comments_address_for(article)}?subject={subject}"
