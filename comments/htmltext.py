"""Turn HTML into plain comment text: an email's HTML body (comments/mail/) and an
imported comment or post (moderation/transfer/) read it from here.

BeautifulSoup (stdlib ``html.parser`` backend, no lxml needed) rather than
html2text: we must cut client quote/signature blocks by class and id first,
which needs a tree anyway, and we store plain text, not Markdown, so html2text's
escapes (``\\-``, ``**``) would leak into comments. It also keeps Unicode as is
(html2text transliterates without ``unicode_snob``) and never emits a
``javascript:`` link (EMAIL-SPEC §7).
"""

from __future__ import annotations

import enum
import itertools
import re
import warnings
from collections.abc import Iterator
from dataclasses import dataclass, field
from urllib.parse import quote

from bs4 import BeautifulSoup, CData, NavigableString, PageElement, Tag
from bs4.element import PreformattedString

# What is read of an HTML body: a human's reply fits many times over (Gmail clips a
# message at 102 KB; Outlook spends three or four tags on a paragraph, Gmail two on
# a line), and what follows it is the quoted thread. Parsing costs per piece of
# markup (about 35 us for a tag in html.parser and the tree, a few for a stray "<"
# or an entity), against a fraction of that per character of text, so every "<"
# and "&" counts towards a cap as well as the characters. The rest stays in the
# stored raw message, and the pipeline notes the cut.
MAX_HTML_CHARS = 256 * 1024
MAX_HTML_MARKUP = 2_000
_MARKUP = re.compile(r"[<&]")
# Dropped with everything inside them (EMAIL-SPEC §7).
_DROP_TAGS = (
    "script",
    "style",
    "head",
    "title",
    "iframe",
    "object",
    "embed",
    "applet",
    "svg",
    "math",
    "form",
    "noscript",
    "template",
    "img",
    "video",
    "audio",
    "canvas",
    "map",
)
_BLOCK_TAGS = frozenset(
    [
        "address",
        "article",
        "aside",
        "blockquote",
        "center",
        "dd",
        "details",
        "dialog",
        "div",
        "dl",
        "dt",
        "fieldset",
        "figcaption",
        "figure",
        "footer",
        "h1",
        "h2",
        "h3",
        "h4",
        "h5",
        "h6",
        "header",
        "hr",
        "main",
        "nav",
        "ol",
        "p",
        "pre",
        "section",
        "summary",
        "table",
        "tbody",
        "thead",
        "tfoot",
        "tr",
        "ul",
    ]
)
# Client quote and signature markers: Discourse receiver.rb HTML_EXTRACTERS
# and talon html_quotations.py (EMAIL-SPEC §7).
_QUOTE_CLASSES = frozenset(
    {
        "gmail_quote",
        "gmail_extra",
        "gmail_signature",
        "moz-cite-prefix",
        "moz-signature",
        "moz-forward-container",
        "applemailsignature",
        "yahoo_quoted",
        "zmail_extra",
        "protonmail_quote",
        "protonmail_signature_block",
    }
)
_QUOTE_IDS = frozenset(
    {"olk_src_body_section", "signature", "appendonsend", "messagereplysection"}
)
# Outlook: the reply header block and everything after it is the old message.
_CUT_FROM_HERE_IDS = frozenset({"divrplyfwdmsg"})
_SAFE_SCHEMES = ("http://", "https://", "mailto:")
_URL_UNSAFE = re.compile(r"[<>\"'`\s]")
_SPACE_RUN = re.compile(r"[ \t\r\n\f\v\u00a0]+")


def html_to_text(html: str) -> str:
    """Plain text of an HTML body, quotes and signatures cut; never raises."""
    return html_text(html)[0]


def html_text(html: str) -> tuple[str, str]:
    """(html_to_text's text, a note if the HTML was cut: see capped).

    Linear in the HTML: it is parsed once (at most MAX_HTML_CHARS of it) and the
    tree read in one walk, never changed; a walk over 80,000 nested tags costs
    what one over 80,000 paragraphs does.
    """
    html, cut = capped(str(html))
    try:
        with warnings.catch_warnings():
            # MarkupResemblesLocatorWarning and friends are noise for email bodies.
            warnings.simplefilter("ignore")
            soup = BeautifulSoup(html, "html.parser")
        text = _tidy(_walk(soup, cut_quotes=True))
        if not text.strip():
            # talon: if removing the quote leaves nothing readable, the
            # "quote" was the message (e.g. a forward); keep it.
            text = _tidy(_walk(soup, cut_quotes=False))
    except Exception:  # html.parser is lenient, but a comment must never crash
        text = _SPACE_RUN.sub(" ", re.sub(r"<[^>]*>?", " ", html))
    # The reader's literal "<" stays as written: we store plain text and escape
    # it where it is shown (comments/rendering.py, STYLE.md §9), so rewriting
    # it here would only corrupt text such as "a<b" or "<stdio.h>".
    return text.strip(), cut


def capped(html: str) -> tuple[str, str]:
    """(the HTML within MAX_HTML_CHARS and MAX_HTML_MARKUP, a note if cut)."""
    note = ""
    if len(html) > MAX_HTML_CHARS:
        html = html[:MAX_HTML_CHARS]
        note = f"Read the first {MAX_HTML_CHARS:,} characters of the HTML."
    markup = _MARKUP.finditer(html)
    cut = next(itertools.islice(markup, MAX_HTML_MARKUP, None), None)
    if cut is not None:
        html = html[: cut.start()]
        note = f"Read the HTML up to its {MAX_HTML_MARKUP:,}th tag or entity."
    return html, note


@dataclass
class _Reader:
    """The state of one walk: the text so far and what the path holds."""

    cut_quotes: bool
    out: list[str] = field(default_factory=list)
    pre: int = 0  # <pre> elements open: their whitespace is kept
    blockquotes: int = 0
    link: Tag | None = None  # the outermost open <a>, and where its text starts
    link_start: int = 0


def _walk(soup: BeautifulSoup, *, cut_quotes: bool) -> str:
    """The tree's text in document order, without recursion (nesting is
    attacker-controlled) and without changing the tree."""
    reader = _Reader(cut_quotes=cut_quotes)
    stack: list[tuple[Iterator[PageElement], Tag | None]] = [
        (iter(soup.contents), None)
    ]
    while stack:
        node = next(stack[-1][0], None)
        if node is None:
            closed = stack.pop()[1]
            if closed is not None:
                _close(closed, reader)
        elif isinstance(node, Tag):
            verdict = _open(node, reader)
            if verdict is _Open.DESCEND:
                stack.append((iter(node.contents), node))
            elif verdict is _Open.CUT_REST:
                stack[-1] = (iter(()), stack[-1][1])
        elif _is_text(node):
            text = str(node)
            reader.out.append(text if reader.pre else _SPACE_RUN.sub(" ", text))
    return "".join(reader.out)


class _Open(enum.Enum):
    SKIP = "skip"  # leave the element and everything in it out
    DESCEND = "descend"
    CUT_REST = "cut_rest"  # leave it and every later sibling out


def _open(tag: Tag, reader: _Reader) -> _Open:
    name = tag.name
    if name in _DROP_TAGS:
        return _Open.SKIP
    if reader.cut_quotes:
        tag_id = str(tag.get("id") or "").lower() if tag.attrs else ""
        if tag_id in _CUT_FROM_HERE_IDS:
            # Outlook: "<hr>" + <div id="divRplyFwdMsg"> + the old message as
            # siblings; the marker and what follows it are the old message.
            return _Open.CUT_REST
        if _is_quote(tag, tag_id, reader):
            return _Open.SKIP
    if name == "br":
        reader.out.append("\n")
        return _Open.SKIP
    if name == "li":
        reader.out.append("\n- ")
    if name in _BLOCK_TAGS:
        reader.out.append("\n\n")
    if name == "pre":
        reader.pre += 1
    if name == "blockquote":
        reader.blockquotes += 1
    if name == "a" and reader.link is None:
        reader.link, reader.link_start = tag, len(reader.out)
    return _Open.DESCEND


def _close(tag: Tag, reader: _Reader) -> None:
    if tag is reader.link:
        label = _SPACE_RUN.sub(" ", "".join(reader.out[reader.link_start :])).strip()
        del reader.out[reader.link_start :]
        reader.out.append(_link_text(label, tag))
        reader.link = None
    if tag.name == "pre":
        reader.pre -= 1
    if tag.name == "blockquote":
        reader.blockquotes -= 1
    if tag.name in _BLOCK_TAGS:
        reader.out.append("\n\n")


def _is_quote(tag: Tag, tag_id: str, reader: _Reader) -> bool:
    if not tag.attrs:  # most tags: no class, id or type to look at
        return False
    return bool(
        _classes(tag) & _QUOTE_CLASSES
        or tag_id in _QUOTE_IDS
        or (
            tag.name == "blockquote"
            and str(tag.get("type") or "").lower() == "cite"
            and not reader.blockquotes
        )
    )


def _is_text(node: PageElement) -> bool:
    # What get_text() reads: text and CDATA, not comments, doctypes,
    # declarations or processing instructions.
    return isinstance(node, NavigableString) and (
        not isinstance(node, PreformattedString) or isinstance(node, CData)
    )


def _classes(tag: Tag) -> set[str]:
    value = tag.get("class") or []
    if isinstance(value, str):
        value = value.split()
    return {c.lower() for c in value}


def _link_text(label: str, link: Tag) -> str:
    # RFC 3986 §2 excludes "<", ">", quotes and spaces from URLs; quoting them
    # means every "<" in our output was a "<" the reader typed.
    href = _URL_UNSAFE.sub(
        lambda m: quote(m.group(), safe=""), str(link.get("href") or "").strip()
    )
    if not href.lower().startswith(_SAFE_SCHEMES) or _same_target(label, href):
        return label
    return f"{label} ({href})" if label else href


def _same_target(label: str, href: str) -> bool:
    bare = href.removeprefix("mailto:").rstrip("/")
    return label.rstrip("/") in (href.rstrip("/"), bare)


def _tidy(text: str) -> str:
    # Outside <pre> runs of spaces are already one space: trimming a single
    # leading space keeps preformatted indentation.
    raw_lines = text.replace("\r", "").split("\n")
    lines = [line.rstrip(" ").removeprefix(" ") for line in raw_lines]
    text = "\n".join(lines)
    return re.sub(r"\n{3,}", "\n\n", text).strip()
