"""Decode RFC 3676 format=flowed text into paragraphs."""

from __future__ import annotations

import re

_QUOTES = re.compile(r"^>+")
SIGNATURE_SEPARATOR = "-- "


def unflow(text: str, *, delsp: bool = False) -> str:
    """Join soft line breaks of format=flowed text (RFC 3676 §4.1-4.5)."""
    out: list[str] = []
    # The pieces of the paragraph being joined: a list, so a paragraph of many
    # thousand soft breaks is joined once, not copied at each line.
    current: list[str] | None = None
    current_depth = 0
    for line in text.split("\n"):
        match = _QUOTES.match(line)
        depth = len(match.group(0)) if match else 0
        content = line[depth:]
        # §4.4 space-stuffing: one leading space was added by the sender.
        content = content.removeprefix(" ")
        # §4.3 the signature separator is never flowed.
        flowed = content.endswith(" ") and content != SIGNATURE_SEPARATOR
        if flowed and delsp:  # §4.2 DelSp=yes: the trailing space is not text
            content = content[:-1]
        if current is not None and depth == current_depth:
            current.append(content)
        else:
            if current is not None:
                out.append(_with_quotes("".join(current), current_depth))
            current, current_depth = [content], depth
        if not flowed:
            out.append(_with_quotes("".join(current), current_depth))
            current = None
    if current is not None:
        out.append(_with_quotes("".join(current), current_depth))
    return "\n".join(out)


def _with_quotes(content: str, depth: int) -> str:
    return (">" * depth + " " + content) if depth else content
