"""Comment text -> safe HTML. The one place bleach is called for comments.

Commenters write plain text. It is escaped, split into paragraphs (a blank line) and
line breaks, and bare http(s) URLs become links with rel="nofollow ugc noopener".
Code keeps its shape, as readers of a technology blog paste it: a fenced block
(```), a block indented by four spaces, and `inline backticks` follow CommonMark's
rules for them (what GitHub and Stack Overflow taught readers) and become
<pre><code> and <code>. Nothing else of Markdown applies: `*`, `#`, `>` and `<b>`
show up as typed.

markdown-it-py's "zero" preset with only those rules enabled does the parsing, with
raw HTML off (it escapes everything), so a spec-conformant parser, not a regex of
ours, decides where code starts and ends. bleach then links URLs outside code and is
the final allowlist; bleach is deprecated upstream, so it stays behind this function
(swappable for nh3).
"""

import re
import secrets
from functools import partial

import bleach
from bleach.linkifier import Linker
from markdown_it import MarkdownIt

_REL = "nofollow ugc noopener"
# Our own markup from markdown-it: the code inside is escaped, so "</code>" in it can
# only be the closing tag.
_CODE = re.compile(r"(<code[^>]*>)(.*?)(</code>)", re.DOTALL)
_CODE_RULES = ["fence", "code", "backticks", "newline"]


def _set_rel(attrs: dict, new: bool = False) -> dict | None:
    href = attrs.get((None, "href"), "")
    if not href.startswith(("http://", "https://")):
        return None  # only web links; linkify never makes javascript: links anyway
    attrs[(None, "rel")] = _REL
    return attrs


# breaks: a single newline is a line break, as it was in the reader's text box.
_markdown = MarkdownIt("zero", {"html": False, "breaks": True}).enable(_CODE_RULES)
_linker = Linker(callbacks=[_set_rel], parse_email=False)
_clean = partial(
    bleach.clean,
    tags={"p", "br", "a", "pre", "code"},
    attributes={"a": ["href", "rel"]},
    protocols={"http", "https"},
    strip=True,
)


def _markup(text: str) -> str:
    """The text as our HTML, before links and the allowlist."""
    html = _markdown.render(text.replace("\r\n", "\n").replace("\r", "\n"))
    # markdown-it puts a newline after each block and line break; inside <pre> text
    # is escaped, so these literal tags can only be markup, never the reader's code.
    html = html.replace("</p>\n", "</p>").replace("</pre>\n", "</pre>")
    # No tabindex on <pre>: a block that fits is no tab stop (100 comments with code
    # were 100 extra Tabs before the form). static/js/comment-tools.js makes the
    # blocks that overflow focusable, so a keyboard can scroll them (WCAG 2.1.1).
    return html.replace("<br>\n", "<br>").strip()


def _safe(html: str) -> str:
    """Links around URLs outside code, then the allowlist."""
    # A URL inside code is code: linking it would change what the reader pasted. So
    # code goes aside under an unguessable placeholder while linkify runs (its own
    # skip_tags escapes the entities in skipped elements a second time: bleach 6.x).
    nonce, kept = secrets.token_hex(8), []

    def set_aside(match: re.Match) -> str:
        kept.append(match.group(2))
        return f"{match.group(1)}{nonce}-{len(kept) - 1}-{match.group(3)}"

    html = _linker.linkify(_CODE.sub(set_aside, html))
    html = re.sub(rf"{nonce}-(\d+)-", lambda m: kept[int(m.group(1))], html)
    # linkify parses the escaped HTML, so it can only ever add <a> around URLs;
    # clean() is the final allowlist over the result.
    return _clean(html)


def render_comment(text: str) -> str:
    """Plain comment text -> escaped HTML: paragraphs, code as code, nofollow links."""
    return _safe(_markup(text))


# Between two comments' HTML: never in one (markdown-it writes no empty
# paragraph, and a reader's "<p>" is escaped), kept as is by linkify and clean.
_SEPARATOR = "<p></p>"


def render_comments(texts: list[str]) -> list[str]:
    """render_comment of each text, with one pass of bleach over them all: an
    import renders thousands, and each pass has a fixed cost."""
    rendered = _safe(_SEPARATOR.join(map(_markup, texts))).split(_SEPARATOR)
    if len(rendered) != len(texts):  # can't happen; never guess which is which
        return [render_comment(text) for text in texts]
    return rendered
