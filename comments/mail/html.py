"""Turn an HTML email body into plain comment text.

BeautifulSoup (stdlib ``html.parser`` backend, no lxml needed) rather than
html2text: we must cut client quote/signature blocks by class and id first,
which needs a tree anyway, and we store plain text, not Markdown, so html2text's
escapes (``\\-``, ``**``) would leak into comments. It also keeps Unicode as is
(html2text transliterates without ``unicode_snob``) and never emits a
``javascript:`` link (EMAIL-SPEC §7).
"""

from __future__ import annotations

import re
import warnings
from urllib.parse import quote

from bs4 import BeautifulSoup, Comment, Doctype, Tag

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
    try:
        text = _convert(str(html), cut_quotes=True)
        if not text.strip():
            # talon: if removing the quote leaves nothing readable, the
            # "quote" was the message (e.g. a forward); keep it.
            text = _convert(str(html), cut_quotes=False)
    except Exception:  # html.parser is lenient, but a comment must never crash
        text = _SPACE_RUN.sub(" ", re.sub(r"<[^>]*>?", " ", str(html)))
    # The reader's literal "<" stays as written: we store plain text and escape
    # it where it is shown (comments/rendering.py, STYLE.md §9), so rewriting
    # it here would only corrupt text such as "a<b" or "<stdio.h>".
    return text.strip()


def _convert(html: str, *, cut_quotes: bool) -> str:
    with warnings.catch_warnings():
        # MarkupResemblesLocatorWarning and friends are noise for email bodies.
        warnings.simplefilter("ignore")
        soup = BeautifulSoup(html, "html.parser")
    for node in soup.find_all(string=lambda s: isinstance(s, (Comment, Doctype))):
        node.extract()
    for tag in soup.find_all(_DROP_TAGS):
        tag.decompose()
    if cut_quotes:
        _cut_quotes(soup)
    _rewrite_links(soup)
    for node in soup.find_all(string=True):
        if node.find_parent("pre") is None:
            node.replace_with(_SPACE_RUN.sub(" ", str(node)))
    for tag in soup.find_all("br"):
        tag.replace_with("\n")
    for tag in soup.find_all("li"):
        tag.insert_before("\n- ")
    for tag in soup.find_all(_BLOCK_TAGS):
        tag.insert_before("\n\n")
        tag.insert_after("\n\n")
    return _tidy(soup.get_text())


def _classes(tag: Tag) -> set[str]:
    value = tag.get("class") or []
    if isinstance(value, str):
        value = value.split()
    return {c.lower() for c in value}


def _cut_quotes(soup: BeautifulSoup) -> None:
    for tag in list(soup.find_all(True)):
        if tag.decomposed:
            continue
        tag_id = str(tag.get("id") or "").lower()
        if tag_id in _CUT_FROM_HERE_IDS:
            _cut_from(tag)
        elif (
            _classes(tag) & _QUOTE_CLASSES
            or tag_id in _QUOTE_IDS
            or (
                tag.name == "blockquote"
                and str(tag.get("type") or "").lower() == "cite"
                and tag.find_parent("blockquote") is None
            )
        ):
            tag.decompose()


def _cut_from(tag: Tag) -> None:
    # Outlook puts "<hr>" + <div id="divRplyFwdMsg"> + the old message as
    # siblings; drop the marker, what follows it, and a separator just before.
    previous = tag.find_previous_sibling()
    if isinstance(previous, Tag) and previous.name == "hr":
        previous.decompose()
    for sibling in list(tag.next_siblings):
        sibling.extract()
    tag.decompose()


def _rewrite_links(soup: BeautifulSoup) -> None:
    for link in soup.find_all("a"):
        label = _SPACE_RUN.sub(" ", link.get_text()).strip()
        # RFC 3986 §2 excludes "<", ">", quotes and spaces from URLs; quoting
        # them means every "<" in our output was a "<" the reader typed.
        href = _URL_UNSAFE.sub(
            lambda m: quote(m.group(), safe=""), str(link.get("href") or "").strip()
        )
        if not href.lower().startswith(_SAFE_SCHEMES) or _same_target(label, href):
            link.replace_with(label)
        elif label:
            link.replace_with(f"{label} ({href})")
        else:
            link.replace_with(href)


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
