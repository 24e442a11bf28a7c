"""--create-articles: a post (or Disqus thread) that matches no article becomes one.

Its HTML becomes our Markdown through markdownify (a maintained converter), and
the article's own save() sanitizes it as it does every article (blog/markdown.py).
"""

import re

from django.utils.text import slugify
from markdownify import markdownify

from blog.models import Article
from comments.htmltext import html_to_text
from moderation.transfer.records import Post
from moderation.transfer.text import paragraphs

# The block editor's markers (<!-- wp:paragraph -->, <!-- /wp:image -->).
_GUTENBERG = re.compile(r"<!--\s*/?wp:.*?-->", re.DOTALL)
_SLUG_MAX = Article._meta.get_field("slug").max_length
_TITLE_MAX = Article._meta.get_field("title").max_length


def to_markdown(content: str) -> str:
    """A post's HTML -> Markdown (classic posts' blank lines are paragraphs)."""
    content = _GUTENBERG.sub("", content).strip()
    if "<p" not in content.lower():
        content = paragraphs(content)
    return markdownify(content, heading_style="ATX", bullets="-").strip()


def base_slug(post: Post) -> str:
    """The slug an article made from this post gets (unless it is taken)."""
    return (slugify(post.slug) or slugify(post.title) or "imported-post")[:_SLUG_MAX]


def _free_slug(post: Post) -> str:
    base = base_slug(post)
    slug, n = base, 1
    while Article.objects.filter(slug=slug).exists():
        n += 1
        slug = f"{base[: _SLUG_MAX - len(str(n)) - 1]}-{n}"
    return slug


def create_article(post: Post) -> Article:
    """The article for a post: title, slug, date, body; a draft unless it was public."""
    return Article.objects.create(
        title=(post.title.strip() or "Untitled")[:_TITLE_MAX],
        slug=_free_slug(post),
        standfirst=html_to_text(post.excerpt) if post.excerpt.strip() else "",
        body=to_markdown(post.html),
        published_at=post.date if post.public else None,
        comments_open=post.comments_open,
    )
