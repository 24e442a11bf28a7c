"""Comment text -> safe HTML. The one place bleach is called for comments.

Commenters write plain text. It is escaped, split into paragraphs (a blank line) and
line breaks, and bare http(s) URLs become links with rel="nofollow ugc noopener".
No markup from a commenter survives: `<b>` shows up as the text "<b>".
bleach is deprecated upstream, so it stays behind this function (swappable for nh3).
"""

import re
from functools import partial

import bleach
from bleach.linkifier import Linker
from django.utils.html import escape

_PARAGRAPH_BREAK = re.compile(r"\n\s*\n")
_REL = "nofollow ugc noopener"


def _set_rel(attrs: dict, new: bool = False) -> dict:
    href = attrs.get((None, "href"), "")
    if not href.startswith(("http://", "https://")):
        return None  # only web links; linkify never makes javascript: links anyway
    attrs[(None, "rel")] = _REL
    return attrs


_linker = Linker(callbacks=[_set_rel], skip_tags={"pre", "code"}, parse_email=False)
_clean = partial(
    bleach.clean,
    tags={"p", "br", "a"},
    attributes={"a": ["href", "rel"]},
    protocols={"http", "https"},
    strip=True,
)


def render_comment(text: str) -> str:
    """Plain comment text -> escaped HTML with paragraphs and nofollow links."""
    text = text.replace("\r\n", "\n").replace("\r", "\n").strip()
    paragraphs = [p.strip() for p in _PARAGRAPH_BREAK.split(text) if p.strip()]
    html = "".join("<p>" + escape(p).replace("\n", "<br>") + "</p>" for p in paragraphs)
    # linkify parses the escaped HTML, so it can only ever add <a> around URLs;
    # clean() is the final allowlist over the result.
    return _clean(_linker.linkify(html))
