"""Cut quoted replies and signatures from an email comment, keeping what was cut.

Written here rather than taken from PyPI: on the corpus' talon__* replies,
email-reply-parser 0.5.12 (2020) kept Android's Russian attribution and the
Thunderbird quote, and mail-parser-reply 1.36 also kept Yahoo's
"--- On ... wrote:" line and the Thunderbird quote; neither hands back the
removed text. The approach follows discourse/email_reply_trimmer (classify
lines, cut on markers, keep quotes that are followed by new text) with the
marker lists of EMAIL-SPEC §8.
"""

from __future__ import annotations

import itertools
import re

# Verbs that end an "On <date>, <name> wrote:" attribution, in the languages of
# email_reply_trimmer's EmbeddedEmailMatcher and the corpus (talon__android is
# Russian).
_WROTE = (
    r"wrote|writes|schrieb|a [ée]crit|escribi[óo]|ha scritto|scrisse|schreef"
    r"|escreveu|skrev|kirjoitti|napisa[łl]\w*|pisze|napsal\w*|написал\w*"
    r"|пише|yazd[\u0131i]|írta|έγραψε|写道|寫道|のメッセージ|님이 작성"
)
_WROTE_WORD = re.compile(_WROTE, re.I)
# A line this long is text, not an "On ... wrote:" (talon caps its attribution
# search the same way); it also bounds every pattern below to a short string.
_MAX_LINE_CHARS = 300
_ORIGINAL_MESSAGE = re.compile(
    r"^\s*[-_=]{2,}\s*(original message|forwarded message|weitergeleitete nachricht"
    r"|urspr[üu]ngliche nachricht|message d'origine|message transf[ée]r[ée]"
    r"|mensaje original|mensaje reenviado|messaggio originale|messaggio inoltrato"
    r"|oorspronkelijk bericht|doorgestuurd bericht|mensagem original"
    r"|originalmeddelande|oprindelig meddelelse|opprinnelig melding"
    r"|alkuper[äa]inen viesti|p[ůu]vodn[íi] zpr[áa]va|исходное сообщение"
    r"|пересылаемое сообщение)\s*[-_=]*\s*$",
    re.I,
)
# The Outlook reply header block (From/Sent/To/Subject), localized
# (email_reply_trimmer EmailHeaderMatcher).
_HEADER_FIELD = re.compile(
    r"^\s*>?\s*\*?(from|sent|to|cc|subject|date|reply-to|von|gesendet|an|betreff"
    r"|datum|de|envoy[ée]|[àa]|objet|date|enviado|para|asunto|fecha|da|inviato"
    r"|oggetto|data|van|verzonden|aan|onderwerp|datum|fra|sendt|til|emne|från"
    r"|skickat|till|ämne|от|отправлено|кому|тема|дата)\*?\s*:",
    re.I,
)
# RFC 3676 §4.3 "-- "; Zulip accepts a bare "--" line too (filter_footer);
# GitHub's parser "__"; Outlook/Hotmail draw a line of underscores.
_SIGNATURE_DELIMITER = re.compile(r"^(-- ?|__|_{5,})\s*$")
# email_reply_trimmer signature_matcher.rb, GitHub's "Sent from my X".
_MOBILE_SIGNATURE = re.compile(
    r"^\s*(sent from (my|mail for|yahoo|outlook|windows|samsung|the)\b.*"
    r"|sent (with|using|via) \w+.*"
    r"|get outlook for (ios|android)\b.*"
    r"|envoy[ée] (de|depuis) (mon|ma|l'|outlook|yahoo).*"
    r"|von meinem .* gesendet\.?|gesendet (von|mit) .*"
    r"|enviado (desde|de) (mi|mi|outlook|yahoo).*|enviado do meu .*"
    r"|inviato da(l mio)? .*|verzonden (met|vanaf) .*|verstuurd (met|vanaf) .*"
    r"|skickat från .*|sendt fra min .*|lähetetty .*|отправлено \u0441 .*)\s*$",
    re.I,
)
_MAX_SIGNATURE_CHARS = 60  # talon signature/constants.py: longer lines are text
_MAX_ATTRIBUTION_LINES = 3  # clients wrap long "On ... wrote:" lines


def trim_reply(text: str) -> tuple[str, str]:
    """(comment text, removed quotes and signature) of an email body.

    Linear in the number of lines: each step is one pass (a running "text
    above" flag, not a rescan per line), and patterns only see the first
    _MAX_LINE_CHARS of a line.
    """
    lines = text.replace("\r\n", "\n").replace("\r", "\n").split("\n")
    leading: list[str] = []
    lines = _cut_leading_reply_header(lines, leading)
    trailing: list[str] = []
    cut = _first_cut(lines)
    if cut is not None:
        lines, trailing = lines[:cut], lines[cut:]
    lines, tail = _cut_trailing(lines)
    trailing = tail + trailing
    if _only_quotes(lines):
        # GitLab reply_parser.rb: nothing but quotes means an empty comment.
        leading, lines = leading + lines, []
    kept = "\n".join(lines).strip("\n").rstrip()
    return kept, "\n".join(leading + trailing).strip("\n")


def _only_quotes(lines: list[str]) -> bool:
    """True for quotes and blank lines, optionally under an "... wrote:" line."""
    start = next((i for i, ln in enumerate(lines) if ln.strip()), len(lines))
    if start < len(lines):
        start += _attribution_at(lines, start)
    return all(_is_quote(line) or not line.strip() for line in lines[start:])


def _is_quote(line: str) -> bool:
    return line.lstrip().startswith(">")


def _attribution_at(lines: list[str], index: int) -> int:
    """Number of lines (1-3) forming an attribution starting at index, or 0."""
    first = lines[index].strip()
    if not first or _is_quote(first) or len(first) > _MAX_LINE_CHARS:
        return 0
    joined = ""
    for count in range(1, _MAX_ATTRIBUTION_LINES + 1):
        if index + count > len(lines):
            return 0
        joined = (joined + " " + lines[index + count - 1].strip()).strip()
        if len(joined) > _MAX_LINE_CHARS:
            return 0
        if _is_attribution(joined):
            return count
        if not lines[index + count - 1].strip():
            return 0
    return 0


def _is_attribution(text: str) -> bool:
    """ "<...> wrote:" in one of _WROTE's languages, ending in a colon (also the
    full-width one of CJK clients), naming a date or an address (talon
    RE_ON_DATE_*). Searched, not matched with ".*": no backtracking."""
    if not text.endswith((":", "\uff1a")):
        return False
    return bool(_WROTE_WORD.search(text, 0, len(text) - 1)) and bool(
        re.search(r"\d|@", text)
    )


def _is_header_field(line: str) -> bool:
    return bool(_HEADER_FIELD.match(line[:_MAX_LINE_CHARS]))


def _header_block_at(lines: list[str], index: int) -> bool:
    """True when 3+ of the next lines are reply header fields (Outlook block)."""
    window = [ln for ln in lines[index : index + 6] if ln.strip()]
    return _is_header_field(lines[index]) and (
        sum(1 for ln in window if _is_header_field(ln)) >= 3
    )


def _first_cut(lines: list[str]) -> int | None:
    """Index where the trailing quoted message or signature starts, if any."""
    text_above = False
    for index, line in enumerate(lines):
        short = line if len(line) <= _MAX_LINE_CHARS else ""  # else it is text
        if _SIGNATURE_DELIMITER.match(short) or _ORIGINAL_MESSAGE.match(short):
            return index
        if text_above:
            if _header_block_at(lines, index):
                return index
            count = _attribution_at(lines, index)
            if count and not _new_text_after_quotes(lines, index + count):
                return index
        text_above = text_above or bool(line.strip() and not _is_quote(line))
    return None


def _new_text_after_quotes(lines: list[str], start: int) -> bool:
    """True if unquoted text follows a quote block from ``start`` (an
    interleaved answer). Stops at the first unquoted text, so the scans from
    several attributions never cover the same lines twice."""
    seen_quote = False
    for line in itertools.islice(lines, start, None):
        if _is_quote(line):
            seen_quote = True
        elif line.strip() and seen_quote:
            return True
        elif line.strip() and not seen_quote:
            # An unquoted message after the attribution (Gmail HTML, Outlook):
            # that is the old message itself, not an answer.
            return False
    return False


def _cut_leading_reply_header(lines: list[str], removed: list[str]) -> list[str]:
    """Bottom-posting: drop "On ... wrote:" + one quote block before the answer.

    Only when the quote is the single one (Thunderbird, corpus:
    talon__thunderbird); with several quote blocks the answers are interleaved
    and every quote stays for context (EMAIL-SPEC §8).
    """
    start = next((i for i, ln in enumerate(lines) if ln.strip()), None)
    if start is None:
        return lines
    count = _attribution_at(lines, start)
    if not count:
        return lines
    end = start + count
    while end < len(lines) and (_is_quote(lines[end]) or not lines[end].strip()):
        end += 1
    rest = lines[end:]
    if not any(ln.strip() for ln in rest) or any(_is_quote(ln) for ln in rest):
        return lines
    removed.extend(lines[start:end])
    return rest


def _cut_trailing(lines: list[str]) -> tuple[list[str], list[str]]:
    """Split off trailing quote lines, blank lines and a mobile signature."""
    end = len(lines)
    while end and (not lines[end - 1].strip() or _is_quote(lines[end - 1])):
        end -= 1
    last_texts: list[int] = []
    index = end
    while index and len(last_texts) < 3:
        index -= 1
        if lines[index].strip():
            last_texts.insert(0, index)
    for index in last_texts:
        line = lines[index].strip()
        if len(line) <= _MAX_SIGNATURE_CHARS and _MOBILE_SIGNATURE.match(line):
            end = index
            break
    while end and not lines[end - 1].strip():
        end -= 1
    return lines[:end], lines[end:]
