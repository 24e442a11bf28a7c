"""Stream an export's XML in bounded memory, and tell which format it is.

defusedxml's iterparse: an export is untrusted input, so a DTD's entities
(billion laughs, external files) are refused instead of expanded.
"""

import codecs
import re
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import BinaryIO
from xml.etree.ElementTree import Element, ParseError, TreeBuilder

from defusedxml import DefusedXmlException
from defusedxml.ElementTree import DefusedXMLParser, iterparse

from moderation.transfer.records import ImportFileError

Progress = Callable[[int], None]
WXR, DISQUS = "wxr", "disqus"
DISQUS_NS = "http://disqus.com"
# Our own export's namespace (an identifier, not a page: .invalid never resolves).
# Its channel's <sourcehat:comment_content>text</...> says that every
# wp:comment_content holds the reader's text, HTML-escaped, not HTML to render.
OWN_NS = "http://sourcehat.invalid/export/1.0/"
# Any version of WordPress's export namespace: 1.0 to 1.2, http or https.
WP_NS = re.compile(r"^https?://wordpress\.org/export/\d+(\.\d+)*/?$")
# The XML declaration's encoding (in an ASCII-compatible file: UTF-16 has a BOM,
# which expat reads itself).
_DECLARED = re.compile(
    rb"^(?:\xef\xbb\xbf)?\s*<\?xml\s[^>]*?encoding\s*=\s*([\"'])([^\"'>]*)\1"
)
CHUNK = 64 * 1024


def no_progress(nbytes: int) -> None:
    return None


class _Counting:
    """A file object that reports how many bytes were read (for the progress bar)."""

    def __init__(self, raw: BinaryIO, progress: Progress) -> None:
        self._raw, self._progress = raw, progress

    def read(self, size: int = -1) -> bytes:
        data = self._raw.read(size)
        self._progress(len(data))
        return data


class _ToUTF8:
    """A file object that reads another encoding's bytes as UTF-8: expat reads
    only single-byte encodings besides its own (UTF-8, UTF-16, Latin-1, ASCII),
    so a Shift_JIS or GB18030 export is decoded here, as it is read."""

    def __init__(self, raw: _Counting, encoding: str, name: str) -> None:
        self._raw, self._encoding, self._name = raw, encoding, name
        self._decoder = codecs.getincrementaldecoder(encoding)()
        self._offset = 0  # bytes decoded so far, for the message

    def read(self, size: int = -1) -> bytes:
        data = self._raw.read(size if size > 0 else CHUNK)
        try:
            text = self._decoder.decode(data, final=not data)
        except UnicodeDecodeError as exc:
            raise ImportFileError(
                f"{self._name}: broken {self._encoding} at byte "
                f"{self._offset + exc.start + 1:,} (the encoding its XML declaration "
                "names); nothing was imported"
            ) from exc
        self._offset += len(data)
        return text.encode("utf-8")


def _encoding(path: Path, head: bytes) -> str | None:
    """The declared encoding when expat can't read it itself (multi-byte ones),
    else None; ImportFileError for an encoding no one knows."""
    declared = _DECLARED.match(head)
    if declared is None:
        return None
    name = declared.group(2).decode("ascii", "replace").strip()
    try:
        # What pyexpat asks of an encoding it doesn't know: 256 bytes, 256
        # characters (Modules/pyexpat.c, PyUnknownEncodingHandler).
        single_byte = len(bytes(range(256)).decode(name, "replace")) == 256
    except LookupError as exc:
        raise ImportFileError(
            f"{path.name}: unknown encoding {name!r} in the XML declaration "
            "(an export is UTF-8, or an encoding Python knows); nothing was imported"
        ) from exc
    return None if single_byte else name


def events(
    path: Path, progress: Progress = no_progress, kinds: tuple[str, ...] = ("end",)
) -> Iterator[tuple[str, object]]:
    """iterparse's (event, element) pairs; ImportFileError for broken XML."""
    try:
        raw = path.open("rb")
    except OSError as exc:
        raise ImportFileError(f"{path}: can't read it ({exc.strerror})") from exc
    with raw:
        source: _Counting | _ToUTF8 = _Counting(raw, progress)
        encoding = _encoding(path, raw.peek(512)[:512])
        parser = None
        if encoding is not None:
            source = _ToUTF8(source, encoding, path.name)
            # As iterparse makes its own, reading UTF-8 whatever the file declares.
            parser = DefusedXMLParser(
                target=TreeBuilder(), encoding="utf-8", forbid_dtd=False
            )
        stream = iterparse(source, events=kinds, parser=parser)
        while True:
            try:
                event = next(stream)
            except StopIteration:
                return
            except ParseError as exc:
                line, column = exc.position
                reason = str(exc).split(":")[0]
                raise ImportFileError(
                    f"{path.name}: broken XML at line {line}, column {column + 1}: "
                    f"{reason}; nothing was imported"
                ) from exc
            except DefusedXmlException as exc:
                raise ImportFileError(
                    f"{path.name}: refused: the file declares XML entities ({exc}); "
                    "an export never needs them"
                ) from exc
            except (LookupError, ValueError) as exc:  # pyexpat on an encoding
                raise ImportFileError(
                    f"{path.name}: can't read its encoding ({exc}); nothing was "
                    "imported"
                ) from exc
            yield event


def local(tag: str) -> str:
    """The tag's name without its namespace."""
    return tag.rpartition("}")[2]


def namespace(tag: str) -> str:
    return tag[1:].partition("}")[0] if tag.startswith("{") else ""


def detect_format(path: Path) -> str:
    """WXR or DISQUS, from the root element; ImportFileError for anything else."""
    declared: list[str] = []
    root = None
    stream = events(path, kinds=("start-ns", "start"))
    try:
        for event, value in stream:
            if event == "start":
                root = value
                break
            declared.append(value[1])
    except ImportFileError as exc:
        if not isinstance(exc.__cause__, ParseError):
            raise
        raise ImportFileError(
            f"{path.name}: unknown format: not an XML file ({exc.__cause__})"
        ) from exc
    finally:
        stream.close()
    if root is None:
        raise ImportFileError(f"{path.name}: unknown format: no XML element in it")
    return _format_of(path, root, declared)


def _format_of(path: Path, root: Element, declared: list[str]) -> str:
    if root.tag == f"{{{DISQUS_NS}}}disqus":
        return DISQUS
    if root.tag == "rss" and any(WP_NS.match(uri) for uri in declared):
        return WXR
    hint = "an RSS feed without WordPress's wp: namespace" if root.tag == "rss" else ""
    raise ImportFileError(
        f"{path.name}: unknown format: the root element is <{local(root.tag)}>"
        f"{' (' + hint + ')' if hint else ''}; expected a WordPress export (WXR: "
        "<rss> with the wp: namespace) or a Disqus export (<disqus>)"
    )
