"""Is this HTML inert? Parsed like a browser parses it (html5lib), not by substring.

A page passes when nothing in it can run script: no <script> except same-origin
files (our static files, the admin's /admin/jsi18n/), no event-handler attribute,
no javascript:/data:/vbscript: URL in an attribute a browser follows, no element
that embeds active content, no CSS from user content.
"""

import re
from collections import Counter
from xml.etree import ElementTree

from bs4 import BeautifulSoup

FORBIDDEN_ELEMENTS = {
    "applet",
    "base",
    "embed",
    "frame",
    "frameset",
    "iframe",
    "math",
    "object",
    "style",
    "svg",
}
URL_ATTRIBUTES = {
    "action",
    "background",
    "data",
    "formaction",
    "href",
    "poster",
    "src",
    "xlink:href",
}
BAD_SCHEMES = ("javascript:", "data:", "vbscript:")
# Browsers ignore ASCII whitespace and controls inside a URL's scheme.
_IGNORED_IN_SCHEME = re.compile(r"[\x00-\x20\x7f]+")
ATOM = "{http://www.w3.org/2005/Atom}"


def _same_origin(src: str) -> bool:
    return src.startswith("/") and not src.startswith("//")


def problems(html: str) -> list[str]:
    """Everything executable in `html`, described; empty when it is inert."""
    found = []
    soup = BeautifulSoup(html, "html5lib")
    for element in soup.find_all(True):
        for problem in _element_problems(element):
            found.append(f"{problem}: {str(element)[:120]}")
    return found


def _element_problems(element: object) -> list[str]:
    found = []
    name = element.name.lower()
    if name in FORBIDDEN_ELEMENTS:
        found.append(f"<{name}> element")
    if name == "script" and not _same_origin(element.get("src", "")):
        found.append("script not from this site's files")
    for attribute, value in element.attrs.items():
        attribute = attribute.lower()
        value = " ".join(value) if isinstance(value, list) else str(value)
        if attribute.startswith("on"):
            found.append(f"event handler {attribute}")
        if attribute == "srcdoc":
            found.append("srcdoc")
        scheme = _IGNORED_IN_SCHEME.sub("", value).lower()
        if attribute in URL_ATTRIBUTES and scheme.startswith(BAD_SCHEMES):
            found.append(f"{attribute}={value[:40]!r}")
        if attribute == "style" and re.search(r"expression|url\(", value, re.I):
            found.append("active style")
        if name == "meta" and attribute == "http-equiv":
            found.append("meta http-equiv")
    return found


def assert_inert(html: str, *, baseline: Counter | None = None) -> None:
    """Fail on executable markup, beyond what `baseline` (found on the same page
    with harmless content: the Django admin's own SVG icons) already has."""
    found = Counter(problems(html)) - (baseline or Counter())
    assert not found, "executable markup:\n" + "\n".join(found.elements())


def atom_entry_html(xml: bytes) -> list[str]:
    """The HTML carried by each entry of an Atom feed (content or summary)."""
    root = ElementTree.fromstring(xml)
    fragments = []
    for entry in root.iter(f"{ATOM}entry"):
        for tag in ("content", "summary", "title"):
            node = entry.find(f"{ATOM}{tag}")
            if node is not None and node.get("type") == "html":
                fragments.append(node.text or "")
    return fragments
