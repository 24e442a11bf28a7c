"""An export's names, bodies and dates, turned into ours."""

import html
import re
from datetime import datetime
from datetime import timezone as dt_timezone

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.utils import timezone
from django.utils.dateparse import parse_datetime

from comments.htmltext import html_to_text
from comments.validation import (
    EMAIL_MAX_LENGTH,
    clean_name,
    normalize_text,
    strip_control_characters,
)
from moderation.transfer import records as r
from moderation.transfer.records import ImportFileError

_MARKUP = re.compile(r"[<&]")
_PRE = re.compile(r"(<pre\b.*?</pre>)", re.IGNORECASE | re.DOTALL)
_BLANK_LINE = re.compile(r"\n[ \t]*\n\s*")
_SPACES = re.compile(r"[ \t\f\v\u00a0]+")
_MANY_BREAKS = re.compile(r"\n{3,}")
WP_DATE = "%Y-%m-%d %H:%M:%S"


def _plain(text: str) -> str:
    """Text with no markup at all: html_to_text's spacing without its parser."""
    lines = (_SPACES.sub(" ", line).strip() for line in text.split("\n"))
    return _MANY_BREAKS.sub("\n\n", "\n".join(lines)).strip()


def paragraphs(content: str) -> str:
    """WordPress's line breaks as HTML: it keeps a comment's paragraphs as blank
    lines and adds the <p> and <br> only when it shows it (wpautop)."""
    parts = _PRE.split(content)
    for i in range(0, len(parts), 2):  # outside <pre>
        part = _BLANK_LINE.sub("</p><p>", parts[i].strip("\n"))
        parts[i] = part.replace("\n", "<br>\n")
    return "<p>" + "".join(parts) + "</p>"


def body_text(content: str, *, markup: str) -> str:
    """An exported comment body -> our plain text (links kept as URLs).

    markup says what the body is (records.MARKUPS): our own export's TEXT is the
    reader's text, kept character for character under the rule the form applies
    (normalize_text); HTML and WORDPRESS bodies are HTML made text. A body
    without any markup is already text.
    """
    if markup == r.TEXT:
        return normalize_text(content, keep_indent=True)
    content = content.replace("\r\n", "\n").replace("\r", "\n")
    if not _MARKUP.search(content):
        return normalize_text(_plain(content))
    if markup == r.WORDPRESS:
        content = paragraphs(content)
    return normalize_text(html_to_text(content))


def author_name(name: str, *, entities: bool) -> str:
    """The web form's name rule (clean_name), as lenient as an export needs: one
    line, controls dropped, cut to the length it allows; empty -> Anonymous.

    entities: WordPress stores names HTML-escaped (&amp;, &#039;).
    """
    if entities:
        name = html.unescape(name)
    name = " ".join(strip_control_characters(name).split())
    try:
        return clean_name(name)
    except ValidationError:  # too long: the form asks for less; keep the start
        pass
    # The longest start that the rule takes (what it drops, such as invisible
    # characters, doesn't count towards the length).
    fits, too_long = 0, len(name)
    while too_long - fits > 1:
        middle = (fits + too_long) // 2
        try:
            clean_name(name[:middle])
            fits = middle
        except ValidationError:
            too_long = middle
    return clean_name(name[:fits])


def email(address: str) -> str:
    """The address, or "" when it isn't one (it stays private either way)."""
    address = address.strip()
    if not address or len(address) > EMAIL_MAX_LENGTH:
        return ""
    try:
        validate_email(address)
    except ValidationError:
        return ""
    return address


def wordpress_date(
    gmt: str, local: str, where: str, *, required: bool = True
) -> datetime | None:
    """comment_date_gmt, else comment_date in our time zone (WordPress writes
    0000-00-00 00:00:00 for a date it doesn't have). None: no date, not required."""
    for value, utc in ((gmt, True), (local, False)):
        value = value.strip()
        if not value or value.startswith("0000-00-00"):
            continue
        try:
            when = datetime.strptime(value, WP_DATE)
        except ValueError as exc:
            raise ImportFileError(
                f"{where}: bad date {value!r} (expected YYYY-MM-DD HH:MM:SS); "
                "nothing was imported"
            ) from exc
        return _shown(
            when.replace(tzinfo=dt_timezone.utc) if utc else _local(when, value, where),
            value,
            where,
        )
    if not required:
        return None
    raise ImportFileError(f"{where}: no date; nothing was imported")


def iso_date(value: str, where: str) -> datetime:
    """An ISO 8601 date (Disqus's createdAt); no zone means UTC."""
    value = value.strip()
    try:
        when = parse_datetime(value)
    except ValueError:
        when = None
    if when is None:
        raise ImportFileError(
            f"{where}: bad date {value!r} (expected ISO 8601, e.g. "
            "2013-10-10T19:20:29Z); nothing was imported"
        )
    if timezone.is_naive(when):
        when = when.replace(tzinfo=dt_timezone.utc)
    return _shown(when, value, where)


def _local(when: datetime, value: str, where: str) -> datetime:
    try:
        return timezone.make_aware(when)
    except OverflowError as exc:
        raise _out_of_range(value, where) from exc


def _shown(when: datetime, value: str, where: str) -> datetime:
    """The date, if it can be stored and shown: in UTC (how both databases keep
    it) and in our time zone (how pages show it) it stays within years 1 to
    9999, all Python's datetime holds (0001-01-01T00:00:00+14:00 is a day
    before year 1 in UTC: PostgreSQL would store it and then fail every page
    that reads it back)."""
    try:
        when.astimezone(dt_timezone.utc)
        timezone.localtime(when)
    except OverflowError as exc:
        raise _out_of_range(value, where) from exc
    return when


def _out_of_range(value: str, where: str) -> ImportFileError:
    return ImportFileError(
        f"{where}: date {value!r} is out of range (with its time zone, before "
        "year 1 or after 9999); nothing was imported"
    )


def wordpress_format(when: datetime) -> str:
    """A date as WordPress writes it (WP_DATE), four-digit year included:
    strftime writes year 1 as "1", which no importer reads back."""
    return when.replace(tzinfo=None).isoformat(sep=" ", timespec="seconds")
