"""Article Markdown -> sanitized HTML, rendered once when an article is saved."""

import bleach
import markdown as md

# Articles are written by editors, but the body still goes through an allowlist so a
# pasted snippet or a compromised editor account cannot put script on every page.
ALLOWED_TAGS = frozenset(
    {
        "a", "abbr", "blockquote", "br", "code", "em", "h2", "h3", "h4", "hr",
        "li", "ol", "p", "pre", "strong", "table", "tbody", "td", "th", "thead",
        "tr", "ul",
    }
)  # fmt: skip
ALLOWED_ATTRIBUTES = {"a": ["href", "title"], "abbr": ["title"]}
ALLOWED_PROTOCOLS = frozenset({"http", "https", "mailto"})


def render_markdown(text: str) -> str:
    """Turn an article's Markdown into HTML that is safe to mark safe."""
    html = md.markdown(text, extensions=["extra", "sane_lists"], output_format="html")
    return bleach.clean(
        html,
        tags=ALLOWED_TAGS,
        attributes=ALLOWED_ATTRIBUTES,
        protocols=ALLOWED_PROTOCOLS,
        strip=True,
    )
